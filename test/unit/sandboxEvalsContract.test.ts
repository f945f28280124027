/**
 * The sandbox's evals routes against what the SDK of 61d9c44e reads (Node
 * workflows/evals/interfaces/{workflow-eval,workflow-eval-run,workflow-eval-result}.interface.ts,
 * the Python types/workflows/evals/*): every eval, run and result it serves, the create, rename and
 * delete answers, paging of the 120-eval workflow, and 405 with evals off.
 */
import * as assert from 'node:assert/strict';
import { Sandbox, startSandbox } from '../sandbox/server';
import { CONDITION_KINDS } from '../sandbox/evals/sandboxEvals';
import { Schema, anyValue, arrayOf, datetime, int, literal, nullable, object, opt, recordOf, str, validate } from './support/schema';

const LIFECYCLE_STATUS = literal('pending', 'queued', 'running', 'completed', 'error', 'cancelled');
const OUTCOME = literal('passed', 'failed', 'blocked');
const HANDLE_VALUE: Schema = anyValue;

const EVAL: Schema = object('WorkflowEval', {
  id: str,
  workflow_id: str,
  target: object('EvalTarget', { type: literal('block'), block_id: str }),
  source: object('EvalSource', { type: literal('manual', 'run_step'), handle_inputs: opt(recordOf(HANDLE_VALUE)), run_id: opt(str) }),
  name: nullable(str),
  assertion: nullable(
    object('AssertionSpec', {
      id: opt(str),
      target: object('AssertionTarget', { output_handle_id: str, path: opt(nullable(str)) }),
      condition: object('Condition', { kind: literal(...CONDITION_KINDS) }),
      label: opt(nullable(str)),
    }),
  ),
  assertion_drift_status: opt(nullable(literal('valid', 'drifted', 'broken'))),
  schema_drift: opt(literal('none', 'partial', 'drifted', 'unknown')),
  freshness: opt(object('EvalFreshness', { status: literal('fresh', 'stale', 'unknown'), reasons: arrayOf(str) })),
  drift: opt(object('EvalDrift', { status: literal('none', 'drifted', 'broken', 'unknown'), affected_targets: arrayOf(str) })),
  validation_status: opt(str),
  latest_run_summary: opt(
    nullable(
      object('LatestRunSummary', {
        run_record_id: str,
        status: LIFECYCLE_STATUS,
        outcome: opt(nullable(OUTCOME)),
        started_at: datetime,
        completed_at: opt(nullable(datetime)),
        duration_ms: opt(nullable(int)),
        assertions_passed: opt(int),
        assertions_failed: opt(int),
        blocked_assertions: opt(int),
      }),
    ),
  ),
  created_at: datetime,
  updated_at: datetime,
});

const RUN: Schema = object('WorkflowEvalRun', {
  id: str,
  workflow_id: str,
  workflow_version_id: opt(nullable(str)),
  trigger: object('EvalRunTrigger', { type: literal('manual', 'api', 'schedule', 'webhook', 'email', 'custom', 'restart') }),
  lifecycle: object('Lifecycle', { status: LIFECYCLE_STATUS, message: opt(str), reason: opt(str) }),
  timing: object('Timing', { created_at: datetime, started_at: opt(nullable(datetime)), completed_at: opt(nullable(datetime)) }),
  target: opt(nullable(object('EvalRunBlockTarget', { type: literal('block'), block_id: str }))),
  eval_id: opt(nullable(str)),
  total_evals: int,
  counts: object('EvalRunCounts', {
    lifecycle_counts: object('LifecycleCounts', { pending: int, queued: int, running: int, completed: int, error: int, cancelled: int }),
    outcome: object('OutcomeCounts', { passed: int, failed: int, blocked: int }),
  }),
});

const RESULT: Schema = object('WorkflowEvalResult', {
  id: str,
  workflow_eval_run_id: opt(nullable(str)),
  eval_id: str,
  lifecycle: opt(nullable(object('Lifecycle', { status: LIFECYCLE_STATUS, message: opt(str) }))),
  verdict: opt(nullable(OUTCOME)),
  workflow_id: str,
  block_id: str,
  block_type: str,
  handle_inputs: opt(recordOf(HANDLE_VALUE)),
  handle_outputs: opt(nullable(recordOf(HANDLE_VALUE))),
  assertion_result: opt(
    nullable(
      object('AssertionResult', {
        assertion_id: str,
        condition_kind: str,
        outcome: OUTCOME,
        actual_value: anyValue,
        expected_value: anyValue,
        failure: opt(object('AssertionFailure', { code: str, message: str, details: anyValue })),
      }),
    ),
  ),
});

const page = (item: Schema): Schema =>
  object('Page', { data: arrayOf(item), list_metadata: object('ListMetadata', { before: nullable(str), after: nullable(str) }) });

function conforms(schema: Schema, value: unknown, what: string): void {
  assert.deepEqual(validate(schema, value).slice(0, 10), [], `${what} does not match ${schema.name}`);
}

type Json = Record<string, unknown>;

describe('Retab sandbox: evals, as the SDK of 61d9c44e reads them', function () {
  this.timeout(30_000);
  let sandbox: Sandbox;
  let now = Date.parse('2026-08-07T12:00:00Z');
  before(async () => {
    sandbox = await startSandbox({ api: 'g3', clock: () => now });
  });
  after(async () => {
    await sandbox.close();
  });
  const call = async (route: string, init: RequestInit = {}): Promise<{ status: number; json: Json }> => {
    const response = await fetch(`${sandbox.url}${route}`, { ...init, headers: { ...sandbox.authHeaders(), 'content-type': 'application/json' } });
    const text = await response.text();
    return { status: response.status, json: text ? (JSON.parse(text) as Json) : {} };
  };

  it('serves every eval of every workflow, paged, with all 21 condition kinds among them', async () => {
    const kinds = new Set<string>();
    for (const workflow of ['wf_invoices', 'wf_big', 'wf_hostile']) {
      let after: string | null = null;
      let pages = 0;
      do {
        const reply: { status: number; json: Json } = await call(`/workflows/evals?workflow_id=${workflow}&limit=100${after ? `&after=${after}` : ''}`);
        assert.equal(reply.status, 200);
        conforms(page(EVAL), reply.json, `evals of ${workflow}`);
        for (const item of reply.json.data as Json[]) {
          kinds.add(((item.assertion as Json).condition as Json).kind as string);
        }
        after = (reply.json.list_metadata as Json).after as string | null;
        pages++;
      } while (after);
      if (workflow === 'wf_big') {
        assert.equal(pages, 2, '120 evals: two pages of 100');
      }
    }
    assert.equal(kinds.size, CONDITION_KINDS.length);
    assert.equal((await call('/workflows/evals')).status, 422, 'workflow_id is required');
    assert.equal((await call('/workflows/evals?workflow_id=wf_nope')).status, 404);
  });

  it('runs progress over time, results one by one, and cancel stops a run', async () => {
    const started = await call('/workflows/evals/runs', { method: 'POST', body: JSON.stringify({ workflow_id: 'wf_invoices', scope: { type: 'workflow' } }) });
    assert.equal(started.status, 201);
    conforms(RUN, started.json, 'a started run');
    assert.equal((started.json.lifecycle as Json).status, 'pending');
    const id = String(started.json.id);
    now += 1_000;
    const running = await call(`/workflows/evals/runs/${id}`);
    conforms(RUN, running.json, 'a running run');
    assert.equal((running.json.lifecycle as Json).status, 'running');
    const partial = await call(`/workflows/evals/results?run_id=${id}&limit=100`);
    conforms(page(RESULT), partial.json, 'results so far');
    assert.ok((partial.json.data as Json[]).length > 0 && (partial.json.data as Json[]).length < Number(started.json.total_evals));
    now += 60_000;
    const done = await call(`/workflows/evals/runs/${id}`);
    assert.equal((done.json.lifecycle as Json).status, 'completed');
    const results = (await call(`/workflows/evals/results?run_id=${id}&limit=100`)).json.data as Json[];
    conforms(arrayOf(RESULT), results, 'every result');
    const verdicts = new Set(results.map((result) => result.verdict));
    assert.ok(verdicts.has('passed') && verdicts.has('failed'), [...verdicts].join(', '));
    assert.ok(
      results.some((result) => JSON.stringify(result).length > 300_000),
      'a 300 KB actual value',
    );

    const other = await call('/workflows/evals/runs', { method: 'POST', body: JSON.stringify({ workflow_id: 'wf_big' }) });
    now += 1_000;
    const cancelled = await call(`/workflows/evals/runs/${String(other.json.id)}/cancel`, { method: 'POST' });
    conforms(RUN, cancelled.json, 'a cancelled run');
    assert.equal((cancelled.json.lifecycle as Json).status, 'cancelled');
    assert.equal((await call(`/workflows/evals/runs/${String(other.json.id)}/cancel`, { method: 'POST' })).status, 404, 'not cancellable twice');

    const unknown = await call('/workflows/evals/runs', {
      method: 'POST',
      body: JSON.stringify({ workflow_id: 'wf_invoices', scope: { type: 'single', eval_id: 'wfnodeeval_nope' } }),
    });
    now += 1_000;
    const errored = await call(`/workflows/evals/runs/${String(unknown.json.id)}`);
    assert.equal((errored.json.lifecycle as Json).status, 'error', 'an unknown eval errors the run, not the create');
  });

  it('creates, renames and deletes an eval', async () => {
    const list = (await call('/workflows/evals?workflow_id=wf_invoices&limit=100')).json.data as Json[];
    const block = (list[0].target as Json).block_id;
    const created = await call('/workflows/evals', {
      method: 'POST',
      body: JSON.stringify({
        workflow_id: 'wf_invoices',
        name: 'pinned',
        target: { type: 'block', block_id: block },
        source: { type: 'manual', handle_inputs: { 'input-json-0': { type: 'json', data: { a: 1 } } } },
        assertion: { target: { output_handle_id: 'output-json-0', path: 'invoice.total' }, condition: { kind: 'equals', expected: 12 } },
      }),
    });
    assert.equal(created.status, 201);
    conforms(EVAL, created.json, 'a created eval');
    const id = String(created.json.id);
    const renamed = await call(`/workflows/evals/${id}`, { method: 'PATCH', body: JSON.stringify({ name: 'renamed' }) });
    assert.equal(renamed.json.name, 'renamed');
    assert.equal((await call(`/workflows/evals/${id}`, { method: 'DELETE' })).status, 204);
    assert.equal((await call(`/workflows/evals/${id}`)).status, 404);
  });

  it('answers 405 everywhere with evals off', async () => {
    const off = await startSandbox({ api: 'g3', evals: false });
    try {
      const response = await fetch(`${off.url}/workflows/evals?workflow_id=wf_invoices`, { headers: off.authHeaders() });
      assert.equal(response.status, 405);
    } finally {
      await off.close();
    }
  });
});
