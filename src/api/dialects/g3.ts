import { l10n } from '../../l10n';
import { Dialect } from './dialect';
import { flatRoutes } from './flatRoutes';

/** SDK e921d6ea (June 2026) to today: the flat routes with `Authorization: Bearer`. */
export const g3: Dialect = {
  id: 'g3',
  label: l10n.t('G3 (flat routes, Authorization: Bearer header)'),
  signature: { routes: 'flat', auth: 'bearer', lists: 'page' },
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
