import { pageOf, pageQuery } from '../paging';
import { ApiResponse, Route, RouteContext, bodyObject, invalid, json, notFound } from '../respond';

/**
 * `/workflows/evals…` (SDK 61d9c44e, Node workflows/evals/{workflow-evals,runs,results}.ts): the
 * evals of a workflow, their runs and results, as `{data, list_metadata}` pages of at most 100.
 * With evals off (`--evals off`) every route answers 405, as an environment without them did.
 */
function enabled(context: RouteContext, then: () => ApiResponse): ApiResponse {
  return context.evals.enabled ? then() : json(405, { detail: 'Method Not Allowed' });
}

const PAGE = { defaultLimit: 50, maxLimit: 100 } as const;

export const EVAL_ROUTES: readonly Route[] = [
  {
    method: 'GET',
    pattern: ['workflows', 'evals'],
    handle: (context) =>
      enabled(context, () => {
        const workflowId = context.request.query.get('workflow_id');
        if (!workflowId) {
          return invalid('workflow_id is required');
        }
        const evals = context.evals.evalsOf(workflowId);
        if (!evals) {
          return notFound('Workflow not found');
        }
        const block = context.request.query.get('target_block_id');
        const chosen = block ? evals.filter((item) => item.blockId === block) : evals;
        const query = pageQuery(context.request.query, { ...PAGE, defaultOrder: 'desc' });
        const ordered = query.order === 'asc' ? chosen : [...chosen].reverse();
        const page = pageOf(ordered, (item) => item.id, `evals ${workflowId} ${block ?? ''} ${query.order}`, query);
        return json(200, { data: page.data.map((item) => context.evals.evalJson(item)), list_metadata: page.list_metadata });
      }),
  },
  {
    method: 'POST',
    pattern: ['workflows', 'evals'],
    handle: (context) =>
      enabled(context, () => {
        const body = bodyObject(context.request.body);
        if (typeof body === 'string') {
          return invalid(body);
        }
        const made = context.evals.create(body, context.store.now());
        if (made === 'workflow') {
          return notFound('Workflow not found');
        }
        return typeof made === 'string' ? invalid(made) : json(201, context.evals.evalJson(made));
      }),
  },
  {
    method: 'POST',
    pattern: ['workflows', 'evals', 'runs'],
    handle: (context) =>
      enabled(context, () => {
        const body = bodyObject(context.request.body);
        if (typeof body === 'string') {
          return invalid(body);
        }
        if (typeof body.workflow_id !== 'string') {
          return invalid('workflow_id is required');
        }
        const scope = body.scope === undefined || body.scope === null ? null : (body.scope as Record<string, unknown>);
        const started = context.evals.startRun(body.workflow_id, scope, context.store.now());
        if (typeof started === 'string') {
          return notFound('Workflow not found');
        }
        return json(201, context.evals.runJson(started, context.store.now()));
      }),
  },
  {
    method: 'GET',
    pattern: ['workflows', 'evals', 'runs'],
    handle: (context) =>
      enabled(context, () => {
        const workflowId = context.request.query.get('workflow_id') ?? '';
        const query = pageQuery(context.request.query, PAGE);
        const runs = context.evals.runsOf(workflowId);
        const page = pageOf(runs, (record) => record.id, `eval runs ${workflowId}`, query);
        return json(200, { data: page.data.map((record) => context.evals.runJson(record, context.store.now())), list_metadata: page.list_metadata });
      }),
  },
  {
    method: 'GET',
    pattern: ['workflows', 'evals', 'runs', ':run'],
    handle: (context) =>
      enabled(context, () => {
        const record = context.evals.run(context.params.run);
        return record ? json(200, context.evals.runJson(record, context.store.now())) : notFound(`Eval run ${context.params.run} not found`);
      }),
  },
  {
    method: 'POST',
    pattern: ['workflows', 'evals', 'runs', ':run', 'cancel'],
    handle: (context) =>
      enabled(context, () => {
        const record = context.evals.run(context.params.run);
        if (!record || !context.evals.cancel(record, context.store.now())) {
          return notFound(`Eval run ${context.params.run} not found or not cancellable`);
        }
        return json(200, context.evals.runJson(record, context.store.now()));
      }),
  },
  {
    method: 'GET',
    pattern: ['workflows', 'evals', 'results'],
    handle: (context) =>
      enabled(context, () => {
        const runId = context.request.query.get('run_id');
        if (!runId) {
          return invalid('run_id is required');
        }
        const record = context.evals.run(runId);
        if (!record) {
          return notFound(`Eval run ${runId} not found`);
        }
        const query = pageQuery(context.request.query, { ...PAGE, defaultLimit: 20, defaultOrder: 'asc' });
        const results = context.evals.resultsOf(record, context.store.now());
        const page = pageOf(results, (result) => String(result.id), `eval results ${runId}`, query);
        return json(200, page);
      }),
  },
  {
    method: 'PATCH',
    pattern: ['workflows', 'evals', ':eval'],
    handle: (context) =>
      enabled(context, () => {
        const body = bodyObject(context.request.body);
        if (typeof body === 'string') {
          return invalid(body);
        }
        const renamed = context.evals.rename(context.params.eval, body.name);
        return renamed ? json(200, context.evals.evalJson(renamed)) : notFound(`Eval ${context.params.eval} not found`);
      }),
  },
  {
    method: 'DELETE',
    pattern: ['workflows', 'evals', ':eval'],
    handle: (context) =>
      enabled(context, () => (context.evals.remove(context.params.eval) ? { status: 204, body: '' } : notFound(`Eval ${context.params.eval} not found`))),
  },
  {
    method: 'GET',
    pattern: ['workflows', 'evals', ':eval'],
    handle: (context) =>
      enabled(context, () => {
        const item = context.evals.evalById(context.params.eval);
        return item ? json(200, context.evals.evalJson(item)) : notFound(`Eval ${context.params.eval} not found`);
      }),
  },
];
