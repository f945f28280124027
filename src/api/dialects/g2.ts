import { l10n } from '../../l10n';
import { Dialect } from './dialect';
import { flatRoutes } from './flatRoutes';

/** SDK 91b7543e (May 2026): flat routes, paged lists, `lifecycle` and `timing` objects, still the `Api-Key` header. */
export const g2: Dialect = {
  id: 'g2',
  label: l10n.t('G2 (flat routes, Api-Key header)'),
  signature: { routes: 'flat', auth: 'api-key', lists: 'page' },
  capabilities: {
    perRunConsensus: false,
    retryFailedOnly: false,
    placeholders: false,
    jobByDocumentRoute: false,
    cancelByRun: true,
    lookupById: true,
    evals: true,
    blocks: true,
    resultsFromBothEnds: true,
  },
  ...flatRoutes(),
};
