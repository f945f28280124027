import { ExperimentSeed, WorkflowSeed } from './data';
import { SandboxStore } from './store';
import { ArtifactOperation, Consensus, WorkflowJson, iso } from './wire';

/** The `/v1` surface of the Retab API: request in, status and serialised JSON out. No HTTP here. */

export interface ApiResponse {
  status: number;
  body: string;
}

export interface ApiRequest {
  method: string;
  /** Path segments after `/v1`, already percent-decoded. */
  segments: readonly string[];
  query: URLSearchParams;
  body: string;
}

type Params = Readonly<Record<string, string>>;

interface Route {
  method: 'GET' | 'POST';
  pattern: readonly string[];
  handle(store: SandboxStore, params: Params, request: ApiRequest): ApiResponse;
}

const ARTIFACT_COLLECTIONS: Readonly<Record<string, ArtifactOperation>> = {
  extractions: 'extraction',
  classifications: 'classification',
  splits: 'split',
  parses: 'parse',
  edits: 'edit',
  partitions: 'partition',
};

const EXPERIMENT = ['workflows', ':workflow', 'experiments', ':experiment'];

const ROUTES: readonly Route[] = [
  { method: 'GET', pattern: ['workflows'], handle: (store, _params, request) => listWorkflows(store, request.query) },
  { method: 'GET', pattern: ['workflows', ':workflow'], handle: (store, params) => withWorkflow(store, params, (workflow) => json(200, workflowJson(workflow))) },
  {
    method: 'GET',
    pattern: ['workflows', ':workflow', 'experiments'],
    handle: (store, params) =>
      withWorkflow(store, params, (workflow) => json(200, (store.experimentsOf(workflow.id) ?? []).map((experiment) => store.experimentJson(experiment)))),
  },
  { method: 'GET', pattern: EXPERIMENT, handle: (store, params) => withExperiment(store, params, (experiment) => json(200, store.experimentJson(experiment))) },
  {
    method: 'GET',
    pattern: [...EXPERIMENT, 'runs'],
    handle: (store, params) =>
      withExperiment(store, params, (experiment) => json(200, { runs: [...store.runsOf(experiment)].reverse().map((run) => store.runSummary(run)) })),
  },
  {
    method: 'GET',
    pattern: [...EXPERIMENT, 'content'],
    handle: (store, params, request) =>
      withExperiment(store, params, (experiment) => {
        const runId = request.query.get('run_id') || undefined;
        const body = store.contentBody(experiment, runId);
        return body === undefined ? notFound(`Run ${runId} not found in experiment ${experiment.id}`) : { status: 200, body };
      }),
  },
  {
    method: 'GET',
    pattern: [...EXPERIMENT, 'runs', ':run', 'documents', ':document'],
    handle: (store, params) =>
      withExperiment(store, params, (experiment) => {
        const run = store.run(experiment, params.run);
        if (!run) {
          return notFound(`Run ${params.run} not found in experiment ${experiment.id}`);
        }
        const job = store.job(run, params.document);
        return job ? json(200, job) : notFound(`Document ${params.document} has no job in run ${run.id}`);
      }),
  },
  {
    method: 'GET',
    pattern: [...EXPERIMENT, 'metrics'],
    handle: (store, params, request) =>
      withExperiment(store, params, (experiment) => {
        const view = request.query.get('view') ?? 'summary';
        if (view !== 'summary') {
          return invalid(`view must be "summary", not "${view}"`);
        }
        const runId = request.query.get('run_id') || undefined;
        const runs = store.runsOf(experiment);
        const run = runId === undefined ? runs[runs.length - 1] : store.run(experiment, runId);
        if (runId !== undefined && !run) {
          return notFound(`Run ${runId} not found in experiment ${experiment.id}`);
        }
        if (!run) {
          return json(200, { experiment_id: experiment.id, run_id: null, view, error: 'no_metrics', kind: 'no_metrics', message: 'The experiment has never run.' });
        }
        return json(200, store.metrics(run));
      }),
  },
  {
    method: 'POST',
    pattern: [...EXPERIMENT, 'run'],
    handle: (store, params, request) =>
      withExperiment(store, params, (experiment) => {
        const parsed = parseStartRun(request.body);
        if (typeof parsed === 'string') {
          return invalid(parsed);
        }
        const outcome = store.startRun(experiment, parsed);
        return outcome.ok ? json(200, outcome.value) : json(outcome.status, { detail: { code: outcome.code, message: outcome.message } });
      }),
  },
  {
    method: 'POST',
    pattern: [...EXPERIMENT, 'cancel'],
    handle: (store, params) =>
      withExperiment(store, params, (experiment) => {
        const outcome = store.cancel(experiment);
        return outcome.ok ? json(200, outcome.value) : json(outcome.status, { detail: { code: outcome.code, message: outcome.message } });
      }),
  },
  ...Object.entries(ARTIFACT_COLLECTIONS).map(
    ([collection, operation]): Route => ({
      method: 'GET',
      pattern: [collection, ':id'],
      handle: (store, params) => {
        const record = store.artifact(operation, params.id);
        return record ? json(200, record) : notFound(`${operation[0].toUpperCase()}${operation.slice(1)} ${params.id} not found`);
      },
    }),
  ),
];

export function handleApi(store: SandboxStore, request: ApiRequest): ApiResponse {
  let pathMatched = false;
  for (const route of ROUTES) {
    const params = match(route.pattern, request.segments);
    if (!params) {
      continue;
    }
    pathMatched = true;
    if (route.method === request.method) {
      return route.handle(store, params, request);
    }
  }
  return pathMatched ? json(405, { detail: 'Method Not Allowed' }) : notFound('Not Found');
}

function match(pattern: readonly string[], segments: readonly string[]): Params | undefined {
  if (pattern.length !== segments.length) {
    return undefined;
  }
  const params: Record<string, string> = {};
  for (let index = 0; index < pattern.length; index++) {
    const part = pattern[index];
    if (part.startsWith(':')) {
      params[part.slice(1)] = segments[index];
    } else if (part !== segments[index]) {
      return undefined;
    }
  }
  return params;
}

export function json(status: number, value: unknown): ApiResponse {
  return { status, body: JSON.stringify(value) };
}

function notFound(detail: string): ApiResponse {
  return json(404, { detail });
}

function invalid(detail: string): ApiResponse {
  return json(422, { detail });
}

function withWorkflow(store: SandboxStore, params: Params, then: (workflow: WorkflowSeed) => ApiResponse): ApiResponse {
  const workflow = store.catalog.workflowById.get(params.workflow);
  return workflow ? then(workflow) : notFound(`Workflow ${params.workflow} not found`);
}

function withExperiment(store: SandboxStore, params: Params, then: (experiment: ExperimentSeed) => ApiResponse): ApiResponse {
  return withWorkflow(store, params, (workflow) => {
    const experiment = store.experiment(workflow.id, params.experiment);
    return experiment ? then(experiment) : notFound(`Experiment ${params.experiment} not found in workflow ${workflow.id}`);
  });
}

function workflowJson(workflow: WorkflowSeed): WorkflowJson {
  return {
    id: workflow.id,
    name: workflow.name,
    description: workflow.description,
    created_at: iso(workflow.createdAt),
    updated_at: iso(workflow.updatedAt),
    published: workflow.published,
  };
}

const SORT_KEYS = ['created_at', 'updated_at', 'name'] as const;
type SortKey = (typeof SORT_KEYS)[number];

/** Cursor paging: a cursor is the id of the workflow the page starts after (or ends before). */
function listWorkflows(store: SandboxStore, query: URLSearchParams): ApiResponse {
  const limitText = query.get('limit') || '10';
  const limit = Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    return invalid(`limit must be an integer from 1 to 100, not "${limitText}"`);
  }
  const order = query.get('order') || 'desc';
  if (order !== 'asc' && order !== 'desc') {
    return invalid(`order must be "asc" or "desc", not "${order}"`);
  }
  const sortBy = query.get('sort_by') || 'created_at';
  if (!(SORT_KEYS as readonly string[]).includes(sortBy)) {
    return invalid(`sort_by must be one of ${SORT_KEYS.join(', ')}, not "${sortBy}"`);
  }
  const after = query.get('after') || undefined;
  const before = query.get('before') || undefined;
  if (after && before) {
    return invalid('pass either after or before, not both');
  }
  const sorted = sortWorkflows(store.catalog.workflows, sortBy as SortKey, order);
  let start = 0;
  let end = limit;
  const cursor = after ?? before;
  if (cursor !== undefined) {
    const position = sorted.findIndex((workflow) => workflow.id === cursor);
    if (position < 0) {
      return json(400, { detail: { code: 'invalid_cursor', message: `Unknown cursor "${cursor}"` } });
    }
    if (after) {
      start = position + 1;
      end = start + limit;
    } else {
      end = position;
      start = Math.max(0, end - limit);
    }
  }
  const page = sorted.slice(start, end);
  return json(200, {
    data: page.map(workflowJson),
    list_metadata: {
      before: start > 0 && page.length > 0 ? page[0].id : null,
      after: end < sorted.length && page.length > 0 ? page[page.length - 1].id : null,
    },
  });
}

function sortWorkflows(workflows: readonly WorkflowSeed[], sortBy: SortKey, order: 'asc' | 'desc'): WorkflowSeed[] {
  const key = (workflow: WorkflowSeed): number | string =>
    sortBy === 'name' ? workflow.name.toLowerCase() : sortBy === 'updated_at' ? workflow.updatedAt : workflow.createdAt;
  const sorted = [...workflows].sort((a, b) => {
    const left = key(a);
    const right = key(b);
    return left < right ? -1 : left > right ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
  return order === 'desc' ? sorted.reverse() : sorted;
}

function parseStartRun(body: string): { nConsensus?: Consensus; retryFailedOnly: boolean } | string {
  let value: unknown = {};
  if (body.trim() !== '') {
    try {
      value = JSON.parse(body);
    } catch {
      return 'the request body is not valid JSON';
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return 'the request body must be a JSON object';
  }
  const fields = value as Record<string, unknown>;
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
