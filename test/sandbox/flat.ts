import { COMMON_ROUTES } from './common';
import { FILE_ROUTES } from './files/fileRoutes';
import { EVAL_ROUTES } from './evals/evalRoutes';
import { BLOCK_ROUTES } from './blocks/blockRoutes';
import { ExperimentSeed, documentsFingerprint } from './data';
import { ApiGeneration } from './generations';
import { handleInputs } from './inputs';
import { parseMetricsRequest } from './metrics';
import { RunRecord, RunView, resultIdOf } from './jobs';
import { pageOf, pageQuery } from './paging';
import { opaqueId } from './prng';
import { ApiResponse, Route, RouteContext, bodyObject, conflict, invalid, json, notFound } from './respond';
import { SandboxStore } from './store';
import { JobJson, JobStatus, RunStatus, iso, isoWithoutZone } from './wire';

/**
 * The flat generations: experiments, runs, results and metrics addressed by their own ids under
 * `/workflows/experiments`, lists as `{data, list_metadata}` pages with opaque cursors.
 *
 * - G2 (SDK 91b7543e, types/workflows/experiments.py): runs name their workflow by a
 *   `workflow` snapshot reference and their definition by `definition_fingerprint`; results say
 *   `run_id`; `Api-Key` header.
 * - G3 (SDK 61d9c44e, types/workflows/experiments/{__init__,runs,results,metrics}.py):
 *   `workflow_id` + `workflow_version_id`, `block_execution_fingerprint`, results say
 *   `experiment_run_id`, experiments carry freshness and drift; `Authorization: Bearer`.
 *
 * Runs have a `lifecycle` (pending, queued, running, completed, error with `message`/`details`,
 * cancelled with `reason`) and `timing`; results have no `skipped` (a skipped document kept its
 * result: `completed`); a run started through the API is `queued` until its first job starts.
 */

type FlatApi = Extract<ApiGeneration, 'g2' | 'g3'>;
type FlatStatus = RunStatus | 'queued';

/** Real servers write some UTC timestamps without a zone: this experiment's, its runs' and its results' are sent so. */
const ZONELESS_EXPERIMENTS: ReadonlySet<string> = new Set(['exp_invoices_v1']);

const RUN_STATUSES: readonly FlatStatus[] = ['pending', 'queued', 'running', 'completed', 'error', 'cancelled'];

export const FLAT_ROUTES: readonly Route[] = [
  // Before the workflow routes: `/workflows/evals` is not a workflow named "evals".
  ...EVAL_ROUTES,
  // Before the workflow routes too: `/workflows/blocks` and `/workflows/versions` are not workflows.
  ...BLOCK_ROUTES,
  { method: 'GET', pattern: ['workflows', 'experiments'], handle: listExperiments },
  { method: 'GET', pattern: ['workflows', 'experiments', 'runs'], handle: listRuns },
  { method: 'POST', pattern: ['workflows', 'experiments', 'runs'], handle: startRun },
  { method: 'GET', pattern: ['workflows', 'experiments', 'results'], handle: listResults },
  { method: 'GET', pattern: ['workflows', 'experiments', 'metrics'], handle: metrics },
  {
    method: 'GET',
    pattern: ['workflows', 'experiments', 'runs', ':run'],
    handle: (context) => withRun(context, (record) => json(200, runJson(context.store, flatApi(context), record))),
  },
  { method: 'POST', pattern: ['workflows', 'experiments', 'runs', ':run', 'cancel'], handle: cancelRun },
  { method: 'GET', pattern: ['workflows', 'experiments', 'results', ':result'], handle: getResult },
  { method: 'GET', pattern: ['workflows', 'experiments', ':experiment'], handle: getExperiment },
  { method: 'GET', pattern: ['workflows', 'artifacts', ':id'], handle: getArtifact },
  ...COMMON_ROUTES,
  ...FILE_ROUTES,
];

function flatApi(context: RouteContext): FlatApi {
  return context.api as FlatApi;
}

function withRun(context: RouteContext, then: (record: RunRecord) => ApiResponse, runId = context.params.run): ApiResponse {
  const record = context.store.findRun(runId);
  return record ? then(record) : notFound(`Experiment run ${runId} not found`);
}

function timeFor(experiment: ExperimentSeed): (epochMs: number) => string {
  return ZONELESS_EXPERIMENTS.has(experiment.id) ? isoWithoutZone : iso;
}

// ---------------------------------------------------------------------------------------------
// Experiments

function getExperiment(context: RouteContext): ApiResponse {
  const experiment = context.store.catalog.experimentById.get(context.params.experiment);
  return experiment ? json(200, experimentJson(context.store, flatApi(context), experiment)) : notFound(`Experiment ${context.params.experiment} not found`);
}

function listExperiments(context: RouteContext): ApiResponse {
  const { store, request } = context;
  const api = flatApi(context);
  const workflowId = request.query.get('workflow_id') || undefined;
  if (workflowId === undefined && api === 'g3') {
    return invalid('workflow_id is required');
  }
  if (workflowId !== undefined && !store.catalog.workflowById.has(workflowId)) {
    return notFound(`Workflow ${workflowId} not found`);
  }
  const query = pageQuery(request.query, { defaultLimit: 50, maxLimit: 100 });
  const blockId = request.query.get('block_id') || undefined;
  const experiments = [...store.catalog.experimentById.values()]
    .filter((experiment) => (workflowId === undefined || experiment.workflowId === workflowId) && (blockId === undefined || experiment.blockId === blockId))
    .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
  if (query.order === 'desc') {
    experiments.reverse();
  }
  const page = pageOf(experiments, (experiment) => experiment.id, `experiments:${workflowId ?? ''}:${blockId ?? ''}`, query);
  return json(200, { data: page.data.map((experiment) => experimentJson(store, api, experiment)), list_metadata: page.list_metadata });
}

/**
 * G2's WorkflowExperiment (`block_type`, schema drift may be `partial`); G3 adds `freshness`,
 * `freshness_state`, `freshness_reasons`, `run_plan_mode`, `rerunnable_document_count` and
 * `drift`. Fields a never-run experiment would send at their SDK default (status `draft`, no score,
 * no last run, not stale, drift unknown, no reasons) are left out, as is a zero rerunnable count.
 */
function experimentJson(store: SandboxStore, api: FlatApi, experiment: ExperimentSeed): Record<string, unknown> {
  const { latest, view, status } = store.experimentState(experiment);
  const time = timeFor(experiment);
  const stale = latest !== undefined && latest.definition !== store.currentDefinitionOf(experiment);
  const drift = experiment.flatSchemaDrift;
  const body: Record<string, unknown> = {
    id: experiment.id,
    workflow_id: experiment.workflowId,
    block_id: experiment.blockId,
    n_consensus: latest?.nConsensus ?? experiment.nConsensus,
    document_count: experiment.documents.length,
    name: experiment.name,
    created_at: time(experiment.createdAt),
    updated_at: time(Math.max(experiment.createdAt, latest?.createdAt ?? 0)),
    block_type: experiment.blockKind,
  };
  if (latest && view) {
    Object.assign(body, {
      last_run_id: latest.id,
      status,
      score: view.score,
      is_stale: stale,
      schema_drift: drift,
      schema_drift_detail:
        drift === 'drifted' || drift === 'partial' ? `${drift === 'partial' ? 'Some' : 'Most'} fields of the block's schema changed since the last run.` : null,
    });
  }
  if (api === 'g3') {
    const active = view !== undefined && (view.status === 'pending' || view.status === 'running');
    const freshness = latest === undefined ? 'unknown' : stale ? 'stale' : 'fresh';
    const reasons = latest === undefined ? ['no_baseline'] : stale ? ['validity_changed'] : [];
    const rerunnable = latest === undefined || stale ? experiment.documents.length : (view?.errorCount ?? 0);
    Object.assign(body, {
      freshness: {
        status: freshness,
        reasons,
        validity_fingerprint: store.currentDefinitionOf(experiment),
        input_fingerprint: documentsFingerprint(experiment.documents),
        baseline_run_id: latest?.id ?? null,
      },
      freshness_state: freshness,
      ...(reasons.length > 0 ? { freshness_reasons: reasons } : {}),
      run_plan_mode: active ? 'conflict' : rerunnable > 0 ? 'run' : 'noop',
      ...(rerunnable > 0 ? { rerunnable_document_count: rerunnable } : {}),
      ...(latest
        ? {
            drift: {
              status: drift === 'partial' ? 'drifted' : drift,
              affected_targets: drift === 'drifted' || drift === 'partial' ? ['total_amount', 'line_items'] : [],
              detail: null,
            },
          }
        : {}),
    });
  }
  return body;
}

// ---------------------------------------------------------------------------------------------
// Runs

function flatStatus(record: RunRecord, status: RunStatus | JobStatus): FlatStatus {
  if (status === 'pending' && record.seed === null) {
    // A run started through the API waits in the queue until its first job starts.
    return 'queued';
  }
  return status === 'skipped' ? 'completed' : status;
}

function runLifecycle(record: RunRecord, view: RunView): Record<string, unknown> {
  const status = flatStatus(record, view.status);
  switch (status) {
    case 'error':
      return {
        status,
        message: `${view.errorCount} of ${view.finishedCount} documents failed; the run was stopped.`,
        details: {
          error_code: 'too_many_failures',
          block_id: record.experiment.blockId,
          block_name: record.experiment.name,
          context: { error_count: view.errorCount },
        },
      };
    case 'cancelled':
      // Seeded cancellations have no recorded reason (the SDK's default is null).
      return record.seed ? { status } : { status, reason: 'Cancelled through the API.' };
    default:
      return { status };
  }
}

/** The workflow version a run ran: the published one when the run used the current definition. */
function workflowVersionOf(store: SandboxStore, record: RunRecord): string {
  const workflow = store.catalog.workflowById.get(record.experiment.workflowId);
  return workflow?.published && record.definition === store.currentDefinitionOf(record.experiment)
    ? workflow.published.versionId
    : opaqueId('wfver', `${record.experiment.workflowId}/${record.definition}`);
}

function runJson(store: SandboxStore, api: FlatApi, record: RunRecord): Record<string, unknown> {
  const view = store.view(record);
  const experiment = record.experiment;
  const time = timeFor(experiment);
  const g3 = api === 'g3';
  const versionId = workflowVersionOf(store, record);
  // G3 may send null counts where it has none yet (the SDK reads them as 0); G2 leaves zero counts out.
  const unknownCounts = g3 && record.seed !== null && view.status === 'pending';
  const counts: Record<string, number | null> = {
    total_document_count: record.documents.length,
    completed_document_count: unknownCounts ? null : view.finishedCount,
    document_count: record.documents.length,
    error_count: unknownCounts ? null : view.errorCount,
  };
  if (!g3) {
    for (const key of ['completed_document_count', 'error_count']) {
      if (counts[key] === 0) {
        delete counts[key];
      }
    }
  }
  return {
    id: record.id,
    ...(g3
      ? { workflow_id: experiment.workflowId, workflow_version_id: versionId }
      : {
          workflow: {
            workflow_id: experiment.workflowId,
            version_id: versionId,
            name_at_run_time: store.catalog.workflowById.get(experiment.workflowId)?.name ?? 'Untitled Workflow',
            requested_version: 'production',
          },
        }),
    trigger: { type: record.seed === null ? 'api' : record.parentRunId ? 'retry_failed' : 'manual_run' },
    lifecycle: runLifecycle(record, view),
    timing: {
      created_at: time(record.createdAt),
      started_at: view.startedAt === null ? null : time(view.startedAt),
      completed_at: view.completedAt === null ? null : time(view.completedAt),
      duration_ms: view.completedAt === null ? null : Math.round(view.completedAt - record.createdAt),
    },
    experiment_id: experiment.id,
    block_id: experiment.blockId,
    block_type: experiment.blockKind,
    n_consensus: record.nConsensus,
    parent_run_id: record.parentRunId,
    block_version_id: store.blockVersionIdOf(record),
    [g3 ? 'block_execution_fingerprint' : 'definition_fingerprint']: record.definition,
    documents_fingerprint: documentsFingerprint(record.documents),
    score: view.score,
    ...counts,
  };
}

function listRuns(context: RouteContext): ApiResponse {
  const { store, request } = context;
  const api = flatApi(context);
  const query = pageQuery(request.query, { defaultLimit: 20, maxLimit: 100 });
  const experimentId = request.query.get('experiment_id') || undefined;
  const workflowId = request.query.get('workflow_id') || undefined;
  const blockId = request.query.get('block_id') || undefined;
  const status = request.query.get('status') || undefined;
  if (status !== undefined && !(RUN_STATUSES as readonly string[]).includes(status)) {
    return invalid(`status must be one of ${RUN_STATUSES.join(', ')}, not "${status}"`);
  }
  const sortBy = request.query.get('sort_by') || 'created_at';
  if (sortBy !== 'created_at') {
    return invalid(`the sandbox sorts runs by created_at only, not "${sortBy}"`);
  }
  const runs = store
    .allRuns()
    .filter(
      (record) =>
        (experimentId === undefined || record.experiment.id === experimentId) &&
        (workflowId === undefined || record.experiment.workflowId === workflowId) &&
        (blockId === undefined || record.experiment.blockId === blockId) &&
        (status === undefined || flatStatus(record, store.view(record).status) === status),
    )
    .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
  if (query.order === 'desc') {
    runs.reverse();
  }
  const page = pageOf(runs, (record) => record.id, `runs:${experimentId ?? ''}:${workflowId ?? ''}:${blockId ?? ''}:${status ?? ''}`, query);
  return json(200, { data: page.data.map((record) => runJson(store, api, record)), list_metadata: page.list_metadata });
}

function startRun(context: RouteContext): ApiResponse {
  const { store } = context;
  const fields = bodyObject(context.request.body);
  if (typeof fields === 'string') {
    return invalid(fields);
  }
  if (typeof fields.experiment_id !== 'string' || fields.experiment_id === '') {
    return invalid('experiment_id is required');
  }
  if (fields.workflow_id !== undefined && fields.workflow_id !== null && typeof fields.workflow_id !== 'string') {
    return invalid('workflow_id must be a string');
  }
  const experiment = store.catalog.experimentById.get(fields.experiment_id);
  if (!experiment || (typeof fields.workflow_id === 'string' && fields.workflow_id !== experiment.workflowId)) {
    return notFound(`Experiment ${fields.experiment_id} not found${typeof fields.workflow_id === 'string' ? ` in workflow ${fields.workflow_id}` : ''}`);
  }
  // No per-run consensus and no retry of failed documents in the flat generations: other fields are ignored.
  const outcome = store.startRun(experiment, { retryFailedOnly: false });
  return outcome.ok ? json(200, runJson(store, flatApi(context), outcome.value.record)) : conflict(outcome.code, outcome.message, outcome.status);
}

function cancelRun(context: RouteContext): ApiResponse {
  return withRun(context, (record) => {
    const outcome = context.store.cancelRun(record);
    return outcome.ok ? json(200, { id: record.id, lifecycle: runLifecycle(record, context.store.view(record)) }) : notFound(outcome.message);
  });
}

// ---------------------------------------------------------------------------------------------
// Results

function errorLifecycle(record: RunRecord, error: string): Record<string, unknown> {
  const [headline, ...rest] = error.split('\n');
  const trace = rest.join('\n').trim();
  const code = /^([A-Za-z]+):/.exec(headline)?.[1] ?? null;
  return {
    status: 'error',
    message: headline,
    ...(trace === '' ? {} : { details: { stack_trace: trace, block_id: record.experiment.blockId, block_name: record.experiment.name, error_code: code } }),
  };
}

function resultJson(api: FlatApi, record: RunRecord, index: number, job: JobJson): Record<string, unknown> {
  const status = flatStatus(record, job.status);
  const time = timeFor(record.experiment);
  const at = (value: string | null): string | null => (value === null ? null : time(Date.parse(value)));
  return {
    id: resultIdOf(job.id),
    [api === 'g3' ? 'experiment_run_id' : 'run_id']: record.id,
    experiment_id: record.experiment.id,
    document_id: job.document_id,
    lifecycle:
      status === 'error'
        ? errorLifecycle(record, job.error ?? '')
        : status === 'cancelled'
          ? { status, reason: 'The run was cancelled before this document finished.' }
          : { status },
    timing: { created_at: at(job.created_at), started_at: at(job.started_at), completed_at: at(job.completed_at), duration_ms: job.duration_ms },
    block_type: record.experiment.blockKind,
    handle_inputs: handleInputs(record.documents[index], api),
    artifact: job.artifact,
    attempt: job.attempt,
  };
}

function listResults(context: RouteContext): ApiResponse {
  const { store, request } = context;
  const runId = request.query.get('run_id') || undefined;
  if (runId === undefined) {
    return invalid('run_id is required');
  }
  // Document order by default; `order=desc` reverses it.
  const query = pageQuery(request.query, { defaultLimit: 50, maxLimit: 100, defaultOrder: 'asc' });
  return withRun(
    context,
    (record) => {
      const view = store.view(record);
      const positions = Array.from({ length: view.jobs.length }, (_, index) => index);
      if (query.order === 'desc') {
        positions.reverse();
      }
      const page = pageOf(positions, (index) => view.jobs[index].id, `results:${record.id}`, query);
      return json(200, { data: page.data.map((index) => resultJson(flatApi(context), record, index, view.jobs[index])), list_metadata: page.list_metadata });
    },
    runId,
  );
}

function getResult(context: RouteContext): ApiResponse {
  const id = context.params.result;
  const found = id.startsWith('expresult_') ? context.store.jobById(id) : undefined;
  if (!found) {
    return notFound(`Experiment result ${id} not found`);
  }
  const job = context.store.view(found.record).jobs[found.index];
  return json(200, resultJson(flatApi(context), found.record, found.index, job));
}

// ---------------------------------------------------------------------------------------------
// Metrics and artifacts

function metrics(context: RouteContext): ApiResponse {
  const { store, request } = context;
  const runId = request.query.get('run_id') || undefined;
  if (runId === undefined) {
    return invalid('run_id is required');
  }
  const parsed = parseMetricsRequest(request.query);
  if (typeof parsed === 'string') {
    return invalid(parsed);
  }
  return withRun(
    context,
    (record) => {
      const outcome = store.metrics(flatApi(context), record, parsed);
      return outcome.ok ? { status: 200, body: outcome.value } : notFound(outcome.message);
    },
    runId,
  );
}

function getArtifact(context: RouteContext): ApiResponse {
  const record = context.store.artifactById(context.api, context.params.id);
  return record ? json(200, record) : notFound(`Artifact ${context.params.id} not found`);
}
