/** Routes of the nested generations: everything under `/workflows/{wf}/experiments/{exp}`. */
import { l10n } from '../../l10n';
import { RetabError } from '../errors';
import { JobRef } from '../ids';
import { Capabilities, Experiment, Job, RunSummary } from '../models';
import { JsonObject } from '../validate';
import { artifactCollection, parseArtifactRecord, parseRunMetrics, segment, workflowRoutes, fileRoutes } from './common';
import { Dialect, JobsSpec, Page, RequestSpec, StartRunOptions, unsupported } from './dialect';
import {
  parseNestedCancelledRun,
  parseNestedContent,
  parseNestedExperiment,
  parseNestedJob,
  parseNestedList,
  parseNestedRun,
  parseNestedStartedRun,
} from './nestedWire';

type NestedDialect = Omit<Dialect, 'id' | 'label' | 'signature' | 'capabilities'>;

function workflowPath(workflowId: string): string {
  return `/workflows/${segment(workflowId, l10n.t('Workflow id'))}`;
}

function experimentPath(workflowId: string | undefined, experimentId: string): string {
  if (!workflowId) {
    throw new RetabError('invalid_id', l10n.t('This server needs the workflow of experiment {0} to read it.', experimentId));
  }
  return `${workflowPath(workflowId)}/experiments/${segment(experimentId, l10n.t('Experiment id'))}`;
}

/**
 * The route set both nested generations share; they differ in list shapes and in the job route,
 * which the generation's capabilities name (`jobByDocumentRoute`).
 */
export function nestedRoutes(capabilities: Pick<Capabilities, 'jobByDocumentRoute'>): NestedDialect {
  const routes: NestedDialect = {
    ...workflowRoutes(),
    // Nested servers read nothing by its id alone, and (G1p) have no route for one document's job.
    getRun: unsupported(l10n.t('runs by id')),
    getJobById: unsupported(l10n.t('jobs by id')),
    getJobByDocument: unsupported(l10n.t('a route for one document’s job')),
    ...fileRoutes(),
    listExperiments: (workflowId, cursor, limit): RequestSpec<Page<Experiment>> => ({
      method: 'GET',
      path: `${workflowPath(workflowId)}/experiments`,
      query: { limit, after: cursor },
      list: true,
      parse: (value) => parseNestedList(value, null, parseNestedExperiment),
    }),
    getExperiment: (workflowId, experimentId) => ({
      method: 'GET',
      path: experimentPath(workflowId, experimentId),
      parse: (value) => parseNestedExperiment(value, 'response'),
    }),
    listRuns: (workflowId, experimentId, cursor, limit): RequestSpec<Page<RunSummary>> => ({
      method: 'GET',
      path: `${experimentPath(workflowId, experimentId)}/runs`,
      query: { limit, after: cursor },
      list: true,
      parse: (value) => parseNestedList(value, 'runs', parseNestedRun),
    }),
    runJobs: (workflowId, experimentId, runId): JobsSpec => {
      // A job read as the answer is parsed is not read again by the whole answer's parse.
      const read = new WeakMap<object, Job>();
      const parseJob = (item: unknown, index: number): Job => {
        const known = typeof item === 'object' && item !== null ? read.get(item) : undefined;
        if (known) {
          return known;
        }
        const job = parseNestedJob(item, `response.content.jobs[${index}]`);
        if (typeof item === 'object' && item !== null) {
          read.set(item, job);
        }
        return job;
      };
      return {
        method: 'GET',
        path: `${experimentPath(workflowId, experimentId)}/content`,
        query: { run_id: runId === undefined ? undefined : segment(runId, l10n.t('Run id')) },
        size: 'large',
        parse: (value) => parseNestedContent(value, parseJob),
        jobItems: { path: ['content', 'jobs'], parseJob },
      };
    },
    metricsPath: (workflowId, experimentId) => `${experimentPath(workflowId, experimentId)}/metrics`,
    runMetrics: (workflowId, experimentId, runId) => ({
      method: 'GET',
      path: `${experimentPath(workflowId, experimentId)}/metrics`,
      query: { view: 'summary', run_id: segment(runId, l10n.t('Run id')) },
      // A score per document: megabytes for a 50,000-document run.
      size: 'large',
      parse: parseRunMetrics,
    }),
    startRun: (workflowId, experimentId, options: StartRunOptions) => {
      const body: JsonObject = {};
      if (options.nConsensus !== undefined) {
        body.n_consensus = options.nConsensus;
      }
      if (options.retryFailedOnly !== undefined) {
        body.retry_failed_only = options.retryFailedOnly;
      }
      return { method: 'POST', path: `${experimentPath(workflowId, experimentId)}/run`, body, parse: parseNestedStartedRun };
    },
    cancelRun: (workflowId, experimentId) => ({
      method: 'POST',
      path: `${experimentPath(workflowId, experimentId)}/cancel`,
      body: {},
      parse: parseNestedCancelledRun,
    }),
    artifact: (operation, artifactId) => ({
      method: 'GET',
      path: `/${artifactCollection(operation)}/${segment(artifactId, l10n.t('Artifact id'))}`,
      parse: parseArtifactRecord,
    }),
  };
  if (capabilities.jobByDocumentRoute) {
    routes.getJobByDocument = (ref: JobRef) => ({
      method: 'GET',
      path: `${experimentPath(ref.workflowId, ref.experimentId)}/runs/${segment(ref.runId, l10n.t('Run id'))}/documents/${segment(ref.documentId, l10n.t('Document id'))}`,
      parse: (value) => parseNestedJob(value, 'response'),
    });
  }
  return routes;
}
