import { l10n } from '../../l10n';
import { Dialect } from './dialect';
import { nestedRoutes } from './nestedRoutes';
import { Capabilities } from '../models';

const CAPABILITIES: Capabilities = {
  perRunConsensus: true,
  retryFailedOnly: true,
  placeholders: true,
  jobByDocumentRoute: true,
  cancelByRun: false,
  lookupById: false,
  evals: false,
  blocks: false,
  resultsFromBothEnds: false,
};

/** The seed's generation (SDK d8f4738c, May 2026): nested routes, bare-array lists, `Api-Key`, a route per document's job. */
export const g1: Dialect = {
  id: 'g1',
  label: l10n.t('G1 (nested routes, bare-array lists, Api-Key header)'),
  signature: { routes: 'nested', auth: 'api-key', lists: 'array' },
  capabilities: CAPABILITIES,
  ...nestedRoutes(CAPABILITIES),
};
