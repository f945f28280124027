import { l10n } from '../../l10n';
import { Dialect } from './dialect';
import { nestedRoutes } from './nestedRoutes';
import { Capabilities } from '../models';

const CAPABILITIES: Capabilities = {
  perRunConsensus: true,
  retryFailedOnly: true,
  placeholders: true,
  jobByDocumentRoute: false,
  cancelByRun: false,
  lookupById: false,
  evals: false,
  blocks: false,
  resultsFromBothEnds: false,
};

/**
 * SDK 72e410ea (May 2026): the nested routes with experiment and run lists as
 * `{data, list_metadata}` pages; the per-document job route had left the SDKs (4f739f88), so a
 * document's job is read from its run's content.
 */
export const g1p: Dialect = {
  id: 'g1p',
  label: l10n.t('G1p (nested routes, paged lists, Api-Key header)'),
  signature: { routes: 'nested', auth: 'api-key', lists: 'page' },
  capabilities: CAPABILITIES,
  ...nestedRoutes(CAPABILITIES),
};
