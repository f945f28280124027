/** Routes of the flat generations: `/workflows/experiments/…`, filtered by query parameters. */
import { l10n } from '../../l10n';
import { RetabError } from '../errors';
import { ARTIFACT_COLLECTIONS, parseArtifactRecord, parsePage, parseRunMetrics, segment, workflowRoutes, fileRoutes } from './common';
import { Dialect, unsupported } from './dialect';
import {
  parseFlatCancelledRun,
  parseFlatExperiment,
  parseFlatLocatedRun,
  parseFlatResult,
  parseFlatResultsPage,
  parseFlatRun,
  parseFlatStartedRun,
} from './flatWire';

type FlatDialect = Omit<Dialect, 'id' | 'label' | 'signature' | 'capabilities'>;

/** The results route takes at most 100 per page. */
const MAX_RESULTS_PER_PAGE = 100;

export function flatRoutes(): FlatDialect {
  return {
    ...workflowRoutes(),
    ...fileRoutes(),
    listExperiments: (workflowId, cursor, limit) => ({
      method: 'GET',
      path: '/workflows/experiments',
      query: { workflow_id: segment(workflowId, l10n.t('Workflow id')), limit, after: cursor, order: 'desc' },
      list: true,
      parse: (value) => parsePage(value, parseFlatExperiment),
    }),
    getExperiment: (_workflowId, experimentId) => ({
      method: 'GET',
      path: `/workflows/experiments/${segment(experimentId, l10n.t('Experiment id'))}`,
      parse: (value) => parseFlatExperiment(value, 'response'),
    }),
    listRuns: (workflowId, experimentId, cursor, limit) => ({
      method: 'GET',
      path: '/workflows/experiments/runs',
      query: {
        experiment_id: segment(experimentId, l10n.t('Experiment id')),
        workflow_id: segment(workflowId, l10n.t('Workflow id')),
        limit,
        after: cursor,
        order: 'desc',
      },
      list: true,
      parse: (value) => parsePage(value, parseFlatRun),
    }),
    getRun: (runId) => ({
      method: 'GET',
      path: `/workflows/experiments/runs/${segment(runId, l10n.t('Run id'))}`,
      parse: parseFlatLocatedRun,
    }),
    runJobs: (_workflowId, experimentId, runId, cursor, limit, order) => {
      if (runId === undefined) {
        // No placeholders here: callers check `capabilities.placeholders` first.
        throw new RetabError('client', l10n.t('This server lists documents only for a run.'));
      }
      return {
        method: 'GET',
        path: '/workflows/experiments/results',
        // `order` only when reading from the end: the start is the list's default order.
        query: {
          run_id: segment(runId, l10n.t('Run id')),
          limit: Math.min(limit, MAX_RESULTS_PER_PAGE),
          after: cursor,
          order: order === 'desc' ? 'desc' : undefined,
        },
        size: 'large',
        list: true,
        parse: parseFlatResultsPage(experimentId, runId),
      };
    },
    // Flat servers have no route for one document's job: a result is read by its own id.
    getJobByDocument: unsupported(l10n.t('a route for one document’s job')),
    getJobById: (resultId) => ({
      method: 'GET',
      path: `/workflows/experiments/results/${segment(resultId, l10n.t('Result id'))}`,
      parse: (value) => parseFlatResult(value, 'response'),
    }),
    metricsPath: () => '/workflows/experiments/metrics',
    runMetrics: (_workflowId, _experimentId, runId) => ({
      method: 'GET',
      path: '/workflows/experiments/metrics',
      query: { run_id: segment(runId, l10n.t('Run id')), view: 'summary' },
      // A score per document: megabytes for a 50,000-document run.
      size: 'large',
      parse: parseRunMetrics,
    }),
    // Runs take the experiment's own consensus and always cover every document here.
    startRun: (workflowId, experimentId) => ({
      method: 'POST',
      path: '/workflows/experiments/runs',
      body: { experiment_id: experimentId, workflow_id: workflowId },
      parse: parseFlatStartedRun,
    }),
    cancelRun: (_workflowId, _experimentId, runId) => {
      if (!runId) {
        throw new RetabError('conflict', l10n.t('No run of this experiment is in progress.'));
      }
      return { method: 'POST', path: `/workflows/experiments/runs/${segment(runId, l10n.t('Run id'))}/cancel`, body: {}, parse: parseFlatCancelledRun };
    },
    // Known operations keep their own collections; anything newer goes through the generic route.
    artifact: (operation, artifactId) => {
      const collection = ARTIFACT_COLLECTIONS.get(operation);
      const id = segment(artifactId, l10n.t('Artifact id'));
      return { method: 'GET', path: collection ? `/${collection}/${id}` : `/workflows/artifacts/${id}`, parse: parseArtifactRecord };
    },
  };
}
