import { COMMON_ROUTES, withWorkflow } from './common';
import { ExperimentSeed, documentsFingerprint } from './data';
import { ApiGeneration } from './generations';
import { RunRecord, placeholderJobs } from './jobs';
import { noMetricsBody, parseMetricsRequest } from './metrics';
import { PageQuery, pageOf, pageQuery } from './paging';
import { ApiResponse, Route, RouteContext, bodyObject, conflict, invalid, json, notFound } from './respond';
import { SandboxStore } from './store';
import { Consensus, JobJson, iso } from './wire';

/**
 * The nested generations: every experiment route under `/workflows/{workflow_id}/experiments`.
 *
 * - G1 (SDK d8f4738c, the seed's): experiments as a bare array, runs as `{runs: […]}`, the
 *   per-document job route `…/runs/{run}/documents/{document}`.
 * - G1p (SDK 72e410ea): both lists are `{data, list_metadata}` pages (default limits 10 and 5,
 *   so a client must follow `list_metadata.after`); no per-document job route (gone from the SDK
 *   at 4f739f88); runs carry `total_document_count` / `completed_document_count`, and job statuses
 *   are only pending, running, completed and error, as that SDK's enum says.
 */

type NestedApi = Extract<ApiGeneration, 'g1' | 'g1p'>;

const EXPERIMENT = ['workflows', ':workflow', 'experiments', ':experiment'];

function nestedRoutes(api: NestedApi): Route[] {
  const routes: Route[] = [
    { method: 'GET', pattern: ['workflows', ':workflow', 'experiments'], handle: listExperiments },
    {
      method: 'GET',
      pattern: EXPERIMENT,
      handle: (context) => withExperiment(context, (experiment) => json(200, experimentJson(context.store, context.api, experiment))),
    },
    { method: 'GET', pattern: [...EXPERIMENT, 'runs'], handle: listRuns },
    { method: 'GET', pattern: [...EXPERIMENT, 'content'], handle: content },
    { method: 'GET', pattern: [...EXPERIMENT, 'metrics'], handle: metrics },
    { method: 'POST', pattern: [...EXPERIMENT, 'run'], handle: startRun },
    { method: 'POST', pattern: [...EXPERIMENT, 'cancel'], handle: cancel },
  ];
  if (api === 'g1') {
    routes.push({ method: 'GET', pattern: [...EXPERIMENT, 'runs', ':run', 'documents', ':document'], handle: jobOfDocument });
  }
  return [...routes, ...COMMON_ROUTES];
}

export const NESTED_ROUTES: Readonly<Record<NestedApi, readonly Route[]>> = { g1: nestedRoutes('g1'), g1p: nestedRoutes('g1p') };

function withExperiment(context: RouteContext, then: (experiment: ExperimentSeed) => ApiResponse): ApiResponse {
  return withWorkflow(context, (workflow) => {
    const experiment = context.store.experiment(workflow.id, context.params.experiment);
    return experiment ? then(experiment) : notFound(`Experiment ${context.params.experiment} not found in workflow ${workflow.id}`);
  });
}

function withRun(context: RouteContext, experiment: ExperimentSeed, runId: string, then: (record: RunRecord) => ApiResponse): ApiResponse {
  const record = context.store.run(experiment, runId);
  return record ? then(record) : notFound(`Run ${runId} not found in experiment ${experiment.id}`);
}

/** G1 pages nothing; G1p pages experiments by 10 and runs by 5 unless `limit` says otherwise. */
function nestedPage(context: RouteContext, defaultLimit: number): PageQuery {
  return pageQuery(context.request.query, { defaultLimit, maxLimit: 100 });
}

function listExperiments(context: RouteContext): ApiResponse {
  return withWorkflow(context, (workflow) => {
    const { store, api } = context;
    const experiments = store.experimentsOf(workflow.id) ?? [];
    if (api === 'g1') {
      return json(
        200,
        experiments.map((experiment) => experimentJson(store, api, experiment)),
      );
    }
    const query = nestedPage(context, 10);
    const ordered = query.order === 'desc' ? experiments : [...experiments].reverse();
    const page = pageOf(ordered, (experiment) => experiment.id, `experiments:${workflow.id}`, query);
    return json(200, { data: page.data.map((experiment) => experimentJson(store, api, experiment)), list_metadata: page.list_metadata });
  });
}

function listRuns(context: RouteContext): ApiResponse {
  return withExperiment(context, (experiment) => {
    const { store, api } = context;
    const newestFirst = [...store.runsOf(experiment)].reverse();
    if (api === 'g1') {
      return json(200, { runs: newestFirst.map((record) => runSummaryJson(store, api, record)) });
    }
    const query = nestedPage(context, 5);
    const ordered = query.order === 'desc' ? newestFirst : [...newestFirst].reverse();
    const page = pageOf(ordered, (record) => record.id, `runs:${experiment.id}`, query);
    // An experiment that never ran: `data` is left out (the SDK's default is an empty list).
    return json(
      200,
      page.data.length === 0
        ? { list_metadata: page.list_metadata }
        : { data: page.data.map((record) => runSummaryJson(store, api, record)), list_metadata: page.list_metadata },
    );
  });
}

function content(context: RouteContext): ApiResponse {
  return withExperiment(context, (experiment) => {
    const { store } = context;
    const api = context.api as NestedApi;
    const runId = context.request.query.get('run_id') || undefined;
    if (runId === undefined) {
      const latest = store.latest(experiment);
      if (!latest) {
        // Before a first run, one placeholder per document; the SDKs type `run_id` as a string, so it is empty.
        return json(200, { experiment_id: experiment.id, run_id: '', content: { jobs: placeholderJobs(experiment).map((job) => jobFor(api, job)) } });
      }
      return { status: 200, body: contentBody(store, api, latest) };
    }
    return withRun(context, experiment, runId, (record) => ({ status: 200, body: contentBody(store, api, record) }));
  });
}

export function contentBody(store: SandboxStore, api: NestedApi, record: RunRecord): string {
  return store.cachedBody(api, record, (view) =>
    JSON.stringify({
      experiment_id: record.experiment.id,
      run_id: record.id,
      content: { jobs: api === 'g1' ? view.jobs : view.jobs.map((job) => jobFor(api, job)) },
    }),
  );
}

/** G1p's job statuses are pending, running, completed and error: a cancelled job reads as failed, a skipped one as completed (it kept its result). */
function jobFor(api: NestedApi, job: JobJson): JobJson {
  if (api === 'g1') {
    return job;
  }
  if (job.status === 'cancelled') {
    return { ...job, status: 'error', error: 'Cancelled: the run was cancelled before this document finished.' };
  }
  if (job.status === 'skipped') {
    return { ...job, status: 'completed' };
  }
  return job;
}

function jobOfDocument(context: RouteContext): ApiResponse {
  return withExperiment(context, (experiment) =>
    withRun(context, experiment, context.params.run, (record) => {
      const job = context.store.view(record).jobs.find((candidate) => candidate.document_id === context.params.document);
      return job ? json(200, job) : notFound(`Document ${context.params.document} has no job in run ${record.id}`);
    }),
  );
}

/** Every view of the latest run, or of `run_id`'s (see metrics.ts for the query). */
function metrics(context: RouteContext): ApiResponse {
  return withExperiment(context, (experiment) => {
    const { store, api, request } = context;
    const parsed = parseMetricsRequest(request.query);
    if (typeof parsed === 'string') {
      return invalid(parsed);
    }
    const answer = (record: RunRecord): ApiResponse => {
      const outcome = store.metrics(api, record, parsed);
      return outcome.ok ? { status: 200, body: outcome.value } : notFound(outcome.message);
    };
    const runId = request.query.get('run_id') || undefined;
    if (runId !== undefined) {
      return withRun(context, experiment, runId, answer);
    }
    const latest = store.latest(experiment);
    return latest ? answer(latest) : json(200, noMetricsBody(experiment.id, null, 'The experiment has never run.', parsed.view));
  });
}

function startRun(context: RouteContext): ApiResponse {
  return withExperiment(context, (experiment) => {
    const { store, api } = context;
    const parsed = parseStartRun(context.request.body);
    if (typeof parsed === 'string') {
      return invalid(parsed);
    }
    const outcome = store.startRun(experiment, parsed);
    if (!outcome.ok) {
      return conflict(outcome.code, outcome.message, outcome.status);
    }
    const { record, previousCompleted } = outcome.value;
    const view = store.view(record);
    return json(200, {
      experiment_id: experiment.id,
      run_id: record.id,
      job_id: record.jobId,
      status: view.status,
      definition_fingerprint: record.definition,
      ...(api === 'g1p' ? { total_document_count: record.documents.length, completed_document_count: view.finishedCount } : {}),
      document_count: record.documents.length,
      n_consensus: record.nConsensus,
      // The SDK's PreviousRunSummary: the latest completed run before this one.
      ...(previousCompleted
        ? { previous_run: { run_id: previousCompleted.id, definition_fingerprint: previousCompleted.definition, score: store.view(previousCompleted).score } }
        : {}),
      ...(api === 'g1p' ? { noop: false } : {}),
    });
  });
}

function cancel(context: RouteContext): ApiResponse {
  return withExperiment(context, (experiment) => {
    const outcome = context.store.cancel(experiment);
    return outcome.ok ? json(200, { status: 'cancelled', run_id: outcome.value.id }) : notFound(outcome.message);
  });
}

/**
 * G1's Experiment (SDK d8f4738c ZExperimentResponse). G1p sends the same fields, but leaves out
 * those of a never-run experiment that the SDK defaults (status `draft`, `is_stale` false,
 * `schema_drift` `unknown`, no score, no last run).
 */
function experimentJson(store: SandboxStore, api: ApiGeneration, experiment: ExperimentSeed): Record<string, unknown> {
  const { latest, view, status } = store.experimentState(experiment);
  const neverRunDefaults = api === 'g1p' && latest === undefined;
  return {
    id: experiment.id,
    workflow_id: experiment.workflowId,
    block_id: experiment.blockId,
    name: experiment.name,
    block_kind: experiment.blockKind,
    n_consensus: latest?.nConsensus ?? experiment.nConsensus,
    document_count: experiment.documents.length,
    ...(neverRunDefaults
      ? {}
      : {
          status,
          score: view?.score ?? null,
          last_run_id: latest?.id ?? null,
          is_stale: latest !== undefined && latest.definition !== store.currentDefinitionOf(experiment),
          schema_drift: experiment.schemaDrift,
        }),
    created_at: iso(experiment.createdAt),
    updated_at: iso(Math.max(experiment.createdAt, latest?.createdAt ?? 0)),
  };
}

/** G1's ExperimentRunSummary; G1p adds the document counts and leaves out counts that are 0 (the SDK's default). */
function runSummaryJson(store: SandboxStore, api: ApiGeneration, record: RunRecord): Record<string, unknown> {
  const view = store.view(record);
  const g1p = api === 'g1p';
  return {
    id: record.id,
    status: view.status,
    block_kind: record.experiment.blockKind,
    score: view.score,
    ...(g1p ? { total_document_count: record.documents.length, ...(view.finishedCount > 0 ? { completed_document_count: view.finishedCount } : {}) } : {}),
    document_count: record.documents.length,
    ...(g1p && view.errorCount === 0 ? {} : { error_count: view.errorCount }),
    n_consensus: record.nConsensus,
    created_at: iso(record.createdAt),
    completed_at: view.completedAt === null ? null : iso(view.completedAt),
    duration_ms: view.completedAt === null ? null : Math.round(view.completedAt - record.createdAt),
    definition_fingerprint: record.definition,
    documents_fingerprint: documentsFingerprint(record.documents),
    parent_run_id: record.parentRunId,
    job_id: record.jobId,
  };
}

function parseStartRun(body: string): { nConsensus?: Consensus; retryFailedOnly: boolean } | string {
  const fields = bodyObject(body);
  if (typeof fields === 'string') {
    return fields;
  }
  const n = fields.n_consensus;
  if (n !== undefined && n !== null && n !== 3 && n !== 5 && n !== 7) {
    return 'n_consensus must be 3, 5 or 7';
  }
  const retry = fields.retry_failed_only;
  if (retry !== undefined && retry !== null && typeof retry !== 'boolean') {
    return 'retry_failed_only must be a boolean';
  }
  return { nConsensus: n === undefined || n === null ? undefined : n, retryFailedOnly: retry === true };
}
