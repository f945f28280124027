/**
 * The sandbox against the public SDKs' types, one generation at a time: every route's answers
 * must be what the SDK of that era (named by its commit) would accept. Plus what differs between
 * generations and is not a shape: auth, route-level 404/405, cursor paging, the run-time switch.
 */
import * as assert from 'node:assert/strict';
import { API_GENERATIONS, ApiGeneration, GENERATIONS, isFlat } from '../sandbox/generations';
import { Sandbox, startSandbox } from '../sandbox/server';
import { Schema, validate } from './support/schema';
import { EraSchemas, SDK_SCHEMAS } from './support/sdkSchemas';

type Json = Record<string, unknown>;
/** A list item: the page's schema check has already required its string id. */
type Item = Json & { id: string };

interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json<T = Json>(): T;
}

async function call(sandbox: Sandbox, route: string, init: RequestInit & { auth?: Record<string, string> | null } = {}): Promise<Reply> {
  const headers = new Headers(init.headers);
  for (const [name, value] of Object.entries(init.auth === undefined ? sandbox.authHeaders() : (init.auth ?? {}))) {
    headers.set(name, value);
  }
  const response = await fetch(`${sandbox.url}${route}`, { ...init, headers });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: <T>() => JSON.parse(text) as T };
}

async function get<T = Json>(sandbox: Sandbox, route: string): Promise<T> {
  const reply = await call(sandbox, route);
  assert.equal(reply.status, 200, `${route}: ${reply.text.slice(0, 300)}`);
  return reply.json<T>();
}

async function post(sandbox: Sandbox, route: string, body: unknown): Promise<Reply> {
  return call(sandbox, route, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
}

function conforms(schema: Schema | undefined, value: unknown, what: string): void {
  assert.ok(schema, `no schema for ${what}`);
  const issues = validate(schema, value);
  assert.deepEqual(issues.slice(0, 10), [], `${what} does not match ${schema.name}`);
}

const withQuery = (route: string, query: string): string => `${route}${route.includes('?') ? '&' : '?'}${query}`;

/** Every item of a `{data, list_metadata}` list, following `after`; checks each page against `schema`. */
async function everyPage<T = Item>(sandbox: Sandbox, route: string, schema: Schema | undefined, what: string): Promise<T[]> {
  const items: T[] = [];
  const cursors = new Set<string>();
  let after: string | null = null;
  do {
    const body: Json = await get(sandbox, after === null ? route : withQuery(route, `after=${encodeURIComponent(after)}`));
    conforms(schema, body, what);
    items.push(...((body.data as T[] | undefined) ?? []));
    after = (body.list_metadata as { after: string | null }).after;
    if (after !== null) {
      assert.ok(!cursors.has(after), `${what}: cursor ${after} handed out twice`);
      cursors.add(after);
    }
  } while (after !== null);
  return items;
}

const NESTED_INVOICES = '/workflows/wf_invoices/experiments/exp_invoices_v2';
const FIXED_NOW = Date.parse('2026-11-01T12:00:00Z');

function title(api: ApiGeneration): string {
  return `${api === 'g1p' ? 'G1p' : api.toUpperCase()} (SDK ${GENERATIONS[api].sdkCommit})`;
}

// ---------------------------------------------------------------------------------------------
// Metrics views: routes and fixtures (see test/sandbox/data.ts)

/** Fixed ids of the field-level metrics fixtures. */
const FIELDS = {
  classifier: { workflow: 'Receipts & expenses', experiment: 'exp_LVkQmjSpd3wL', run: 'exprun_EPeBPC3oQPdHSr', prior: 'exprun_Q5CpnU9oN00BGN' },
  split: { workflow: 'Lease agreements', experiment: 'exp_c9c9aOsV0uBk', run: 'exprun_hiidvXOofMAk29' },
} as const;

/** `/metrics` of an experiment's run in any generation: nested under the experiment, or flat with `run_id`. */
function metricsRoute(api: ApiGeneration, workflowId: string, experimentId: string, runId: string, query: string): string {
  return isFlat(api)
    ? `/workflows/experiments/metrics?run_id=${runId}&${query}`
    : `/workflows/${workflowId}/experiments/${experimentId}/metrics?run_id=${runId}&${query}`;
}

const invoicesMetrics = (api: ApiGeneration, runId: string, query: string): string => metricsRoute(api, 'wf_invoices', 'exp_invoices_v2', runId, query);

interface CatalogueRun {
  workflowId: string;
  experimentId: string;
  runId: string;
  documents: number;
}

/** Every run of the catalogue, walked through the generation's own list routes. */
async function catalogueRuns(sandbox: Sandbox, api: ApiGeneration): Promise<CatalogueRun[]> {
  const runs: CatalogueRun[] = [];
  for (const workflow of (await get<{ data: Json[] }>(sandbox, '/workflows?limit=100')).data) {
    const workflowId = workflow.id as string;
    const experiments: Json[] = isFlat(api)
      ? (await get<{ data: Json[] }>(sandbox, `/workflows/experiments?workflow_id=${workflowId}&limit=100`)).data
      : api === 'g1'
        ? await get<Json[]>(sandbox, `/workflows/${workflowId}/experiments`)
        : ((await get<{ data?: Json[] }>(sandbox, `/workflows/${workflowId}/experiments?limit=100`)).data ?? []);
    for (const experiment of experiments) {
      const experimentId = experiment.id as string;
      const list: Json[] = isFlat(api)
        ? (await get<{ data: Json[] }>(sandbox, `/workflows/experiments/runs?experiment_id=${experimentId}&limit=100`)).data
        : api === 'g1'
          ? ((await get<{ runs?: Json[] }>(sandbox, `/workflows/${workflowId}/experiments/${experimentId}/runs`)).runs ?? [])
          : ((await get<{ data?: Json[] }>(sandbox, `/workflows/${workflowId}/experiments/${experimentId}/runs?limit=100`)).data ?? []);
      for (const run of list) {
        runs.push({ workflowId, experimentId, runId: run.id as string, documents: (run.document_count ?? run.total_document_count) as number });
      }
    }
  }
  return runs;
}

/** The flows of a confusion in the generation's spelling, as `[from, to]`. */
function flowPairs(api: ApiGeneration, flows: Json[]): Array<[string, string]> {
  return flows.map((flow) => {
    assert.deepEqual(
      Object.keys(flow).sort(),
      isFlat(api) ? ['score', 'source', 'target'] : ['from', 'score', 'to'],
      'flows are {source, target} from G2 on, {from, to} before',
    );
    return isFlat(api) ? [flow.source as string, flow.target as string] : [flow.from as string, flow.to as string];
  });
}

describe('Retab sandbox: contract with the SDK of each generation', function () {
  this.timeout(30_000);

  for (const api of API_GENERATIONS) {
    const schemas: EraSchemas = SDK_SCHEMAS[api];

    describe(title(api), () => {
      let sandbox: Sandbox;
      let now = FIXED_NOW;

      before(async () => {
        sandbox = await startSandbox({ api, clock: () => now });
      });
      after(async () => {
        await sandbox.close();
      });
      beforeEach(() => {
        sandbox.reset();
        now = FIXED_NOW;
      });

      it('serves workflows as the SDK reads them', async () => {
        const workflows = await everyPage(sandbox, '/workflows?limit=4', schemas.workflowPage, 'GET /workflows');
        assert.equal(workflows.length, 14);
        assert.equal(workflows[0].id, 'wf_invoices');
        for (const workflow of workflows) {
          conforms(schemas.workflow, await get(sandbox, `/workflows/${workflow.id}`), `GET /workflows/${workflow.id}`);
        }
        const published = workflows.find((workflow) => workflow.published !== null)?.published as Json;
        assert.ok(api === 'g1' ? 'snapshot_id' in published : 'version_id' in published, 'G1 publishes a snapshot_id, later generations a version_id');
        assert.equal(
          workflows.some((workflow) => 'project_id' in workflow),
          api === 'g3',
          'project_id is G3’s',
        );
      });

      if (!isFlat(api)) {
        it('serves every experiment, run, job and metrics body of the catalogue as the SDK reads them', async () => {
          const fileShapes = new Set<string>();
          const jobStatuses = new Set<string>();
          let placeholders = 0;
          for (const workflow of await everyPage(sandbox, '/workflows?limit=100', schemas.workflowPage, 'GET /workflows')) {
            const base = `/workflows/${workflow.id}/experiments`;
            const experiments: Json[] = api === 'g1' ? await get<Json[]>(sandbox, base) : await everyPage(sandbox, base, schemas.experimentList, `GET ${base}`);
            if (api === 'g1') {
              conforms(schemas.experimentList, experiments, `GET ${base}`);
            }
            for (const experiment of experiments) {
              const path = `${base}/${experiment.id}`;
              conforms(schemas.experiment, await get(sandbox, path), `GET ${path}`);
              const runs: Json[] =
                api === 'g1'
                  ? ((await get<{ runs?: Json[] }>(sandbox, `${path}/runs`)).runs ?? [])
                  : await everyPage(sandbox, `${path}/runs`, schemas.runList, `GET ${path}/runs`);
              if (api === 'g1') {
                conforms(schemas.runList, await get(sandbox, `${path}/runs`), `GET ${path}/runs`);
              }
              const latest = await get<Json>(sandbox, `${path}/content`);
              conforms(schemas.content, latest, `GET ${path}/content`);
              if (runs.length === 0) {
                assert.equal(latest.run_id, '', 'before a first run the content’s run_id is a string, empty');
                placeholders += (latest.content as { jobs: Json[] }).jobs.filter((job) => job.is_placeholder === true).length;
              }
              conforms(schemas.metrics, await get(sandbox, `${path}/metrics?view=summary`), `GET ${path}/metrics`);
              for (const run of runs) {
                conforms(schemas.run, run, `run ${run.id}`);
                conforms(schemas.metrics, await get(sandbox, `${path}/metrics?view=summary&run_id=${run.id}`), `metrics of ${run.id}`);
                if ((run.document_count as number) > 1000) {
                  continue;
                }
                const content = await get<{ content: { jobs: Json[] } }>(sandbox, `${path}/content?run_id=${run.id}`);
                conforms(schemas.content, content, `content of ${run.id}`);
                for (const job of content.content.jobs) {
                  jobStatuses.add(job.status as string);
                  for (const input of Object.values(job.handle_inputs as Record<string, Json>)) {
                    fileShapes.add(input.type === 'file' ? ('document' in input ? 'file:document' : 'file:filename') : (input.type as string));
                    if (input.type === 'json') {
                      assert.ok('data' in input && !('value' in input), 'JSON inputs carry `data`');
                    }
                  }
                }
                if (schemas.job) {
                  const first = content.content.jobs[0];
                  conforms(
                    schemas.job,
                    await get(sandbox, `${path}/runs/${run.id}/documents/${first.document_id}`),
                    `job of ${first.document_id} in ${run.id}`,
                  );
                }
              }
            }
          }
          assert.ok(placeholders > 0);
          assert.deepEqual([...fileShapes].filter((shape) => shape.startsWith('file')).sort(), ['file:document', 'file:filename'], 'both file shapes');
          assert.ok(fileShapes.has('json'));
          assert.deepEqual(
            [...jobStatuses].sort(),
            api === 'g1' ? ['cancelled', 'completed', 'error', 'pending', 'running', 'skipped'] : ['completed', 'error', 'pending', 'running'],
          );
        });

        it('starts a run (previous_run as the SDK’s PreviousRunSummary) and cancels it; nothing to cancel is a 404', async () => {
          const started = await post(sandbox, `${NESTED_INVOICES}/run`, {});
          assert.equal(started.status, 200, started.text);
          const body = started.json();
          conforms(schemas.startedRun, body, 'POST …/run');
          assert.deepEqual(Object.keys(body.previous_run as Json).sort(), ['definition_fingerprint', 'run_id', 'score']);
          assert.equal((body.previous_run as Json).run_id, 'exprun_inv_6', 'the latest completed run');
          const cancelled = await post(sandbox, `${NESTED_INVOICES}/cancel`, {});
          assert.equal(cancelled.status, 200);
          conforms(schemas.cancelled, cancelled.json(), 'POST …/cancel');
          const again = await post(sandbox, `${NESTED_INVOICES}/cancel`, {});
          assert.equal(again.status, 404, 'the SDK documents 404 when no run is in flight');
          assert.equal(typeof again.json().detail, 'string');
        });

        it('answers the stale-metrics envelope with last_run and the current fingerprint', async () => {
          const stale = await get(sandbox, `${NESTED_INVOICES}/metrics?view=summary&run_id=exprun_inv_1`);
          conforms(schemas.metrics, stale, 'stale metrics');
          assert.equal(stale.error, 'stale_metrics');
          assert.deepEqual(Object.keys(stale.last_run as Json).sort(), ['created_at', 'definition_fingerprint', 'run_id', 'score']);
          assert.equal(typeof stale.current_config_fingerprint, 'string');
        });

        it(api === 'g1' ? 'keeps the seed’s per-document job route' : 'has no per-document job route (gone at 4f739f88)', async () => {
          const reply = await call(sandbox, `${NESTED_INVOICES}/runs/exprun_inv_6/documents/expdoc_inv_001`);
          if (api === 'g1') {
            assert.equal(reply.status, 200);
            assert.deepEqual(reply.json().handle_inputs, { 'input-document-0': { type: 'file', filename: 'invoice_q1.pdf' } });
          } else {
            assert.equal(reply.status, 404);
            assert.deepEqual(reply.json(), { detail: 'Not Found' });
          }
        });

        it('matches GET /workflows/experiments as a workflow id, as a nested server would', async () => {
          const reply = await call(sandbox, '/workflows/experiments');
          assert.equal(reply.status, 404);
          assert.deepEqual(reply.json(), { detail: 'Workflow experiments not found' });
          assert.deepEqual((await call(sandbox, '/workflows/experiments/runs')).json(), { detail: 'Not Found' });
        });
      } else {
        it('serves every experiment, run, result and metrics body of the catalogue as the SDK reads them', async () => {
          const lifecycles = new Set<string>();
          const resultStatuses = new Set<string>();
          let zoneless = 0;
          let errorDetails = 0;
          const runKey = api === 'g3' ? 'experiment_run_id' : 'run_id';
          for (const workflow of await everyPage(sandbox, '/workflows?limit=100', schemas.workflowPage, 'GET /workflows')) {
            const experiments = await everyPage(
              sandbox,
              `/workflows/experiments?workflow_id=${workflow.id}&limit=2`,
              schemas.experimentList,
              'GET /workflows/experiments',
            );
            for (const experiment of experiments) {
              conforms(schemas.experiment, await get(sandbox, `/workflows/experiments/${experiment.id}`), `GET /workflows/experiments/${experiment.id}`);
              zoneless += typeof experiment.created_at === 'string' && !experiment.created_at.endsWith('Z') ? 1 : 0;
              const runs = await everyPage(
                sandbox,
                `/workflows/experiments/runs?experiment_id=${experiment.id}&limit=2`,
                schemas.runList,
                'GET /workflows/experiments/runs',
              );
              for (const run of runs) {
                conforms(schemas.run, await get(sandbox, `/workflows/experiments/runs/${run.id}`), `GET /workflows/experiments/runs/${run.id}`);
                lifecycles.add((run.lifecycle as Json).status as string);
                conforms(schemas.metrics, await get(sandbox, `/workflows/experiments/metrics?run_id=${run.id}&view=summary`), `metrics of ${run.id}`);
                if ((run.total_document_count as number) > 1000) {
                  continue;
                }
                const results = await everyPage(
                  sandbox,
                  `/workflows/experiments/results?run_id=${run.id}&limit=100`,
                  schemas.resultPage,
                  `results of ${run.id}`,
                );
                assert.equal(results.length, run.total_document_count);
                for (const result of results) {
                  assert.equal(result[runKey], run.id);
                  const lifecycle = result.lifecycle as Json;
                  resultStatuses.add(lifecycle.status as string);
                  errorDetails += lifecycle.details ? 1 : 0;
                  for (const input of Object.values(result.handle_inputs as Record<string, Json>)) {
                    assert.ok(input.type === 'json' || (input.type === 'file' && 'document' in input), 'flat inputs are JSON or file documents');
                  }
                }
                conforms(
                  schemas.result,
                  await get(sandbox, `/workflows/experiments/results/${results[0].id}`),
                  `GET /workflows/experiments/results/${results[0].id}`,
                );
              }
            }
          }
          assert.deepEqual([...lifecycles].sort(), ['cancelled', 'completed', 'error', 'pending', 'running']);
          assert.deepEqual([...resultStatuses].sort(), ['cancelled', 'completed', 'error', 'pending', 'running'], 'no skipped result');
          assert.ok(zoneless > 0, 'some timestamps come without a zone');
          assert.ok(errorDetails > 0);
        });

        it('starts a run (queued, then running, then done) and cancels runs as the SDK documents', async () => {
          const started = await post(sandbox, '/workflows/experiments/runs', { experiment_id: 'exp_invoices_v2' });
          assert.equal(started.status, 200, started.text);
          const run = started.json();
          conforms(schemas.startedRun, run, 'POST /workflows/experiments/runs');
          assert.equal((run.lifecycle as Json).status, 'queued');
          const runPath = `/workflows/experiments/runs/${run.id}`;
          assert.equal(((await get(sandbox, runPath)).lifecycle as Json).status, 'queued');
          now += 700;
          assert.equal(((await get(sandbox, runPath)).lifecycle as Json).status, 'running');
          const results = await everyPage(sandbox, `/workflows/experiments/results?run_id=${run.id}`, schemas.resultPage, 'results of a running run');
          assert.equal(results.length, 40);
          assert.ok(results.some((result) => (result.lifecycle as Json).status === 'queued'));
          assert.equal((await post(sandbox, '/workflows/experiments/runs', { experiment_id: 'exp_invoices_v2' })).status, 409, 'one active run at a time');

          const cancel = await post(sandbox, `${runPath}/cancel`, {});
          assert.equal(cancel.status, 200);
          conforms(schemas.cancelled, cancel.json(), 'POST …/cancel');
          assert.equal((cancel.json().lifecycle as Json).status, 'cancelled');
          assert.equal((await post(sandbox, `${runPath}/cancel`, {})).status, 200, 'cancelling a cancelled run is idempotent');
          const completed = await post(sandbox, '/workflows/experiments/runs/exprun_inv_6/cancel', {});
          assert.equal(completed.status, 404, 'a completed run cannot be cancelled');
          assert.equal(typeof completed.json().detail, 'string');
          assert.equal((await post(sandbox, '/workflows/experiments/runs/exprun_nope/cancel', {})).status, 404);

          assert.equal((await post(sandbox, '/workflows/experiments/runs', {})).status, 422, 'experiment_id is required');
          assert.equal(
            (await post(sandbox, '/workflows/experiments/runs', { experiment_id: 'exp_invoices_v2', workflow_id: 'wf_big' })).status,
            404,
            'workflow_id must match',
          );
          const again = await post(sandbox, '/workflows/experiments/runs', { experiment_id: 'exp_invoices_v2', workflow_id: 'wf_invoices' });
          assert.equal(again.status, 200);
          now += 60_000;
          const done = await get(sandbox, `/workflows/experiments/runs/${again.json().id}`);
          conforms(schemas.run, done, 'a finished started run');
          assert.equal(done.trigger && (done.trigger as Json).type, 'api');
          assert.ok(['completed', 'error'].includes((done.lifecycle as Json).status as string));
        });

        it('answers the stale-metrics envelope with last_run and the current fingerprint; run_id is required', async () => {
          const stale = await get(sandbox, '/workflows/experiments/metrics?run_id=exprun_inv_1&view=summary');
          conforms(schemas.metrics, stale, 'stale metrics');
          assert.equal(stale.kind, 'stale_metrics');
          const fingerprint = api === 'g3' ? 'block_execution_fingerprint' : 'definition_fingerprint';
          assert.deepEqual(Object.keys(stale.last_run as Json).sort(), ['created_at', fingerprint, 'run_id', 'score'].sort());
          assert.equal(typeof stale[api === 'g3' ? 'current_block_execution_fingerprint' : 'current_config_fingerprint'], 'string');
          assert.equal((await call(sandbox, '/workflows/experiments/metrics?view=summary')).status, 422);
          assert.equal((await call(sandbox, '/workflows/experiments/metrics?run_id=exprun_nope')).status, 404);
        });

        it('answers the nested routes with a route-level 404', async () => {
          for (const route of [
            '/workflows/wf_invoices/experiments',
            NESTED_INVOICES,
            `${NESTED_INVOICES}/runs`,
            `${NESTED_INVOICES}/content`,
            `${NESTED_INVOICES}/runs/exprun_inv_6/documents/expdoc_inv_001`,
          ]) {
            const reply = await call(sandbox, route);
            assert.equal(reply.status, 404, route);
            assert.deepEqual(reply.json(), { detail: 'Not Found' }, route);
          }
          assert.deepEqual((await post(sandbox, `${NESTED_INVOICES}/run`, {})).json(), { detail: 'Not Found' });
        });

        it('applies SDK defaults where fields are left out: a never-run experiment has no status, score or last run', async () => {
          const draft = await get(sandbox, '/workflows/experiments/exp_invoices_vendor');
          for (const key of ['status', 'score', 'last_run_id', 'is_stale']) {
            assert.ok(!(key in draft), key);
          }
        });
      }

      describe('field-level metrics views (by_document, by_target, votes)', () => {
        const views = (): EraSchemas['metricsViews'] => schemas.metricsViews;
        const viewOf = async (route: string, view: 'by_document' | 'by_target' | 'votes'): Promise<Json> => {
          const body = await get(sandbox, route);
          conforms(schemas.metrics, body, route);
          if (body.error === undefined) {
            conforms(views()[view], body, route);
            assert.equal(body.view, view);
            assert.equal('kind' in body, isFlat(api), 'kind beside view from G2 on');
            assert.equal(body.kind, isFlat(api) ? view : undefined);
          }
          return body;
        };

        it('serves every view of every run of the catalogue as the SDK reads them', async function () {
          this.timeout(120_000);
          let scored = 0;
          const envelopes = new Set<string>();
          for (const run of await catalogueRuns(sandbox, api)) {
            const route = (query: string): string => metricsRoute(api, run.workflowId, run.experimentId, run.runId, query);
            const summary = await get(sandbox, route('view=summary'));
            if (summary.error !== undefined) {
              // Stale and never-scored runs answer every view with the summary's envelope.
              envelopes.add(summary.error as string);
              for (const query of ['view=by_document&document_id=any', 'view=by_target&target_path=any', 'view=votes&document_id=any&target_path=any']) {
                const body = await get(sandbox, route(query));
                conforms(schemas.metrics, body, route(query));
                assert.equal(body.error, summary.error, `${run.runId}: ${query}`);
                assert.equal(body.view, new URLSearchParams(query).get('view'));
              }
              continue;
            }
            scored++;
            const documents = summary.documents as Json[];
            const aggregate = summary.aggregate as Json;
            const big = run.documents > 1000;
            const paths = new Set<string>();
            for (const document of big ? documents.slice(0, 3) : documents) {
              const byDocument = await viewOf(route(`view=by_document&document_id=${document.id}`), 'by_document');
              assert.deepEqual(byDocument.document, { id: document.id, filename: document.filename });
              assert.equal(byDocument.score, document.score, 'the summary’s document score');
              const targets = byDocument.targets as Json[];
              assert.ok(targets.length > 0);
              const scores = targets.map((target) => (target.score as number | null) ?? 2);
              assert.deepEqual(
                scores,
                [...scores].sort((a, b) => a - b),
                'targets worst first (the SDK: "sorted ascending")',
              );
              targets.forEach((target) => paths.add(target.path as string));
              if (document === documents[0]) {
                for (const target of targets) {
                  const votes = await viewOf(route(`view=votes&document_id=${document.id}&target_path=${encodeURIComponent(target.path as string)}`), 'votes');
                  assert.equal(votes.score, target.score);
                  assert.ok((votes.rows as Json[]).length > 0);
                }
              }
            }
            if ('likelihoods' in aggregate) {
              if (!big) {
                assert.deepEqual(Object.keys(aggregate.likelihoods as Json).sort(), [...paths].sort(), `${run.runId}: likelihoods list every field path`);
              }
              assert.ok(!('diag' in aggregate));
            } else {
              assert.ok(aggregate.diag && Array.isArray(aggregate.flows), `${run.runId}: classifier and split summaries carry diag and flows`);
              flowPairs(api, aggregate.flows as Json[]);
            }
            const targetPaths = big ? ['delivery_number'] : [...paths];
            for (const path of targetPaths) {
              const byTarget = await viewOf(route(`view=by_target&target_path=${encodeURIComponent(path)}`), 'by_target');
              assert.equal(byTarget.target, path);
              if ('likelihoods' in aggregate) {
                assert.equal(byTarget.score, (aggregate.likelihoods as Json)[path] ?? null, 'the summary’s run-level score');
              }
            }
          }
          assert.ok(scored >= 15, `${scored} scored runs`);
          assert.deepEqual([...envelopes].sort(), ['no_metrics', 'stale_metrics']);
        });

        it('compares with the prior completed run unless include_prior=false, and honours prior_run_id', async () => {
          const current = await viewOf(invoicesMetrics(api, 'exprun_inv_6', 'view=by_document&document_id=expdoc_inv_001'), 'by_document');
          const previous = await viewOf(invoicesMetrics(api, 'exprun_inv_5', 'view=by_document&document_id=expdoc_inv_001'), 'by_document');
          assert.equal(current.prior_score, previous.score);
          const before = new Map((previous.targets as Json[]).map((target) => [target.path, target.score]));
          for (const target of current.targets as Json[]) {
            assert.ok('prior_score' in target, `${target.path} carries prior_score`);
            assert.equal(target.prior_score, before.get(target.path) ?? null, `${target.path}: the prior run’s score`);
          }
          const summary = await get(sandbox, invoicesMetrics(api, 'exprun_inv_6', 'view=summary'));
          assert.equal(summary.prior_run_id, 'exprun_inv_5');

          for (const query of [
            'view=summary',
            'view=by_document&document_id=expdoc_inv_001',
            'view=by_target&target_path=vendor.name',
            'view=votes&document_id=expdoc_inv_001&target_path=vendor.name',
          ]) {
            const reply = await call(sandbox, invoicesMetrics(api, 'exprun_inv_6', `${query}&include_prior=false`));
            assert.equal(reply.status, 200, query);
            conforms(schemas.metrics, reply.json(), query);
            assert.ok(!reply.text.includes('prior_score'), `${query}: include_prior=false leaves prior_score out`);
          }
          assert.equal((await get(sandbox, invoicesMetrics(api, 'exprun_inv_6', 'view=summary&include_prior=false'))).prior_run_id ?? null, null);

          const againstFour = await get(
            sandbox,
            invoicesMetrics(api, 'exprun_inv_6', 'view=votes&document_id=expdoc_inv_001&target_path=vendor.name&prior_run_id=exprun_inv_4'),
          );
          assert.equal(againstFour.prior_score, 0.6, 'run 4’s vendor.name had three wrong votes of five');
          const summaryAgainstFour = await get(sandbox, invoicesMetrics(api, 'exprun_inv_6', 'view=summary&prior_run_id=exprun_inv_4'));
          assert.equal(summaryAgainstFour.prior_run_id, 'exprun_inv_4');
          const bigTarget = await get(sandbox, metricsRoute(api, 'wf_big', 'exp_big', 'exprun_big_1', 'view=by_target&target_path=delivery_number'));
          assert.equal(bigTarget.prior_score, null, 'a first run has nothing to compare with');
        });

        it('shows disagreeing voters, null votes, missed list rows and a consensus that changed between runs 5 and 6', async () => {
          const votes = async (runId: string, path: string, document = 'expdoc_inv_001'): Promise<Json> =>
            viewOf(invoicesMetrics(api, runId, `view=votes&document_id=${document}&target_path=${path}`), 'votes');
          const total = await votes('exprun_inv_6', 'invoice.total');
          const [totalRow] = total.rows as Json[];
          assert.equal((totalRow.votes as unknown[]).length, 5);
          assert.equal((totalRow.votes as unknown[]).filter((vote) => vote !== totalRow.consensus).length, 1, 'one voter of five differs');
          assert.equal(total.score, 0.8);
          const issued = await votes('exprun_inv_6', 'invoice.issue_date');
          const [issuedRow] = issued.rows as Json[];
          assert.equal((issuedRow.votes as unknown[]).filter((vote) => vote === null).length, 2, 'two null votes');
          assert.notEqual(issuedRow.consensus, null);

          const items = await votes('exprun_inv_6', 'line_items');
          const rows = items.rows as Json[];
          assert.equal(rows.length, 2, 'expdoc_inv_001 has two line items');
          assert.equal((rows[1].votes as unknown[])[2], null, 'voter 3 missed the second line item');
          assert.deepEqual(Object.keys(rows[0].consensus as Json).sort(), ['amount', 'description']);
          if (isFlat(api)) {
            assert.deepEqual([rows[1].present_voter_count, rows[1].total_voter_count, rows[1].row_presence_score], [4, 5, 0.8]);
            assert.equal(((await votes('exprun_inv_6', 'line_items.1.amount')).rows as Json[])[0].present_voter_count, 4);
          } else {
            assert.deepEqual(Object.keys(rows[0]).sort(), ['consensus', 'votes'], 'G1/G1p vote rows are {consensus, votes}');
          }

          const five = await votes('exprun_inv_5', 'vendor.name');
          const six = await votes('exprun_inv_6', 'vendor.name');
          assert.notEqual((five.rows as Json[])[0].consensus, (six.rows as Json[])[0].consensus, 'vendor.name’s consensus changed between runs 5 and 6');
          assert.deepEqual([five.score, six.score, six.prior_score], [0.6, 1, 0.6]);

          // Elsewhere too, without fixtures: run 6 changes some scores and some consensus values of run 5.
          let valueChanges = 0;
          let scoreChanges = 0;
          for (const id of ['expdoc_inv_002', 'expdoc_inv_005', 'expdoc_inv_010', 'expdoc_inv_020']) {
            const now = await get(sandbox, invoicesMetrics(api, 'exprun_inv_6', `view=by_document&document_id=${id}`));
            const then = new Map(
              ((await get(sandbox, invoicesMetrics(api, 'exprun_inv_5', `view=by_document&document_id=${id}`))).targets as Json[]).map((target) => [
                target.path,
                target,
              ]),
            );
            for (const target of now.targets as Json[]) {
              const old = then.get(target.path);
              valueChanges += old && JSON.stringify(old.value) !== JSON.stringify(target.value) ? 1 : 0;
              scoreChanges += old && old.score !== target.score ? 1 : 0;
            }
          }
          assert.ok(valueChanges > 0 && scoreChanges > 0, `${valueChanges} values and ${scoreChanges} scores changed`);
        });

        it('carries a value of more than 10,000 characters on notes of expdoc_inv_007', async () => {
          const failed = await viewOf(invoicesMetrics(api, 'exprun_inv_6', 'view=by_document&document_id=expdoc_inv_007'), 'by_document');
          const notes = (failed.targets as Json[]).find((target) => target.path === 'notes') as Json;
          assert.ok(typeof notes.value === 'string' && notes.value.length > 10_000, 'the long value');
          assert.equal(failed.score, null, 'the document failed in run 6: no scores');
          assert.equal(notes.score, null);
          const [row] = (await get(sandbox, invoicesMetrics(api, 'exprun_inv_6', 'view=votes&document_id=expdoc_inv_007&target_path=notes'))).rows as Json[];
          const lengths = (row.votes as string[]).map((vote) => vote.length);
          assert.equal(lengths.filter((length) => length > 10_000).length, 4, 'one voter’s copy is cut off');
          const scoredNotes = (
            (await get(sandbox, invoicesMetrics(api, 'exprun_inv_5', 'view=by_document&document_id=expdoc_inv_007'))).targets as Json[]
          ).find((target) => target.path === 'notes') as Json;
          assert.ok((scoredNotes.value as string).length > 10_000 && typeof scoredNotes.score === 'number', 'run 5 has it with a score');
        });

        it('reports confusion for classifier and split blocks, and votes whose values are labels', async () => {
          const experiments = await catalogueRuns(sandbox, api);
          const workflowOf = (experimentId: string): string => experiments.find((run) => run.experimentId === experimentId)?.workflowId ?? '';
          const { classifier, split } = FIELDS;
          const labels = { [classifier.run]: ['travel', 'meals', 'lodging', 'office_supplies', 'other'], [split.run]: ['lease', 'amendment', 'schedule'] };
          for (const fixture of [classifier, split]) {
            const route = (query: string): string => metricsRoute(api, workflowOf(fixture.experiment), fixture.experiment, fixture.run, query);
            const summary = await get(sandbox, route('view=summary'));
            const aggregate = summary.aggregate as Json;
            assert.ok(Object.keys(aggregate.diag as Json).length > 0);
            const flows = flowPairs(api, aggregate.flows as Json[]);
            assert.ok(flows.length > 0);
            let withConfusion = 0;
            for (const document of summary.documents as Json[]) {
              const byDocument = await viewOf(route(`view=by_document&document_id=${document.id}`), 'by_document');
              for (const target of byDocument.targets as Json[]) {
                assert.ok(labels[fixture.run].includes(target.path as string), `${target.path} is a label`);
                const votes = await viewOf(route(`view=votes&document_id=${document.id}&target_path=${target.path}`), 'votes');
                for (const row of votes.rows as Json[]) {
                  assert.ok(
                    labels[fixture.run].includes(row.consensus as string) && (row.votes as string[]).every((vote) => labels[fixture.run].includes(vote)),
                    'votes are labels',
                  );
                }
              }
              const confusion = byDocument.confusion as Json | null;
              if (confusion) {
                withConfusion++;
                assert.ok(Object.keys(confusion.diag as Json).length > 0);
                flowPairs(api, confusion.flows as Json[]);
              }
            }
            assert.ok(withConfusion > 0);
            const [from, to] = flows[0];
            const byTarget = await viewOf(route(`view=by_target&target_path=${from}`), 'by_target');
            const confusion = byTarget.confusion as Json;
            assert.equal(confusion.self, (aggregate.diag as Json)[from]);
            assert.ok(to in (confusion.flow_to as Json), 'flow_to names where the label’s votes went');
            const other = (await get<Json>(sandbox, route(`view=by_target&target_path=${to}`))).confusion as Json;
            assert.ok(from in (other.flow_from as Json), 'flow_from names where the label’s votes came from');
          }
        });

        it('names the missing parameter (422) and the unknown document or target (404)', async () => {
          const expect = async (route: string, status: number, mention: string): Promise<void> => {
            const reply = await call(sandbox, route);
            assert.equal(reply.status, status, `${route}: ${reply.text}`);
            const detail = reply.json().detail;
            assert.ok(typeof detail === 'string' && detail.includes(mention), `${route}: ${detail}`);
          };
          const route = (query: string): string => invoicesMetrics(api, 'exprun_inv_6', query);
          await expect(route('view=by_document'), 422, 'document_id');
          await expect(route('view=by_target'), 422, 'target_path');
          await expect(route('view=votes&document_id=expdoc_inv_001'), 422, 'target_path');
          await expect(route('view=votes&target_path=notes'), 422, 'document_id');
          await expect(route('view=votes'), 422, 'document_id and target_path');
          await expect(route('view=everything'), 422, 'view');
          await expect(route('view=summary&include_prior=perhaps'), 422, 'include_prior');
          await expect(route('view=by_document&document_id=expdoc_nope'), 404, 'expdoc_nope');
          await expect(route('view=by_document&document_id=expdoc_big_0001'), 404, 'expdoc_big_0001');
          await expect(route('view=by_target&target_path=vendor.nope'), 404, 'vendor.nope');
          await expect(route('view=votes&document_id=expdoc_inv_001&target_path=line_items.2.amount'), 404, 'line_items.2.amount');
          await expect(route('view=votes&document_id=expdoc_nope&target_path=notes'), 404, 'expdoc_nope');
          await expect(route('view=by_document&document_id=expdoc_inv_001&prior_run_id=exprun_nope'), 404, 'exprun_nope');
          await expect(invoicesMetrics(api, 'exprun_nope', 'view=by_document&document_id=expdoc_inv_001'), 404, 'exprun_nope');
          if (isFlat(api)) {
            await expect('/workflows/experiments/metrics?view=by_document&document_id=expdoc_inv_001', 422, 'run_id');
          }
        });

        it('answers by_target over the 5,000 documents of wf_big quickly, and from a cache the second time', async () => {
          const route = metricsRoute(api, 'wf_big', 'exp_big', 'exprun_big_1', 'view=by_target&target_path=items.7.weight_kg');
          const first = await viewOf(route, 'by_target');
          assert.equal((first.documents as Json[]).length, 5000);
          const summary = await get(sandbox, metricsRoute(api, 'wf_big', 'exp_big', 'exprun_big_1', 'view=summary'));
          assert.equal(Object.keys((summary.aggregate as Json).likelihoods as Json).length, 50, '50 fields');
          const again = await call(sandbox, route);
          assert.equal(again.text, JSON.stringify(first));
          const served = sandbox
            .requests()
            .filter((entry) => entry.query.target_path === 'items.7.weight_kg')
            .map((entry) => entry.durationMs ?? Infinity);
          assert.equal(served.length, 2);
          assert.ok(served[0] < 1500 && served[1] < 500, `served in ${served.join(' and ')} ms`);
        });
      });

      it('serves the artifact records jobs point at, with the fields the SDK requires', async () => {
        // One artifact of each operation the catalogue's jobs produce (for_each blocks produce extractions and partitions).
        const artifacts = new Map<string, string>();
        for (const workflow of (await get<{ data: Json[] }>(sandbox, '/workflows?limit=100')).data) {
          const experiments: Json[] = isFlat(api)
            ? (await get<{ data: Json[] }>(sandbox, `/workflows/experiments?workflow_id=${workflow.id}`)).data
            : api === 'g1'
              ? await get<Json[]>(sandbox, `/workflows/${workflow.id}/experiments`)
              : ((await get<{ data?: Json[] }>(sandbox, `/workflows/${workflow.id}/experiments`)).data ?? []);
          for (const experiment of experiments.filter((candidate) => candidate.last_run_id && (candidate.document_count as number) < 1000)) {
            const items: Json[] = isFlat(api)
              ? (await get<{ data: Json[] }>(sandbox, `/workflows/experiments/results?run_id=${experiment.last_run_id}&limit=100`)).data
              : (await get<{ content: { jobs: Json[] } }>(sandbox, `/workflows/${workflow.id}/experiments/${experiment.id}/content`)).content.jobs;
            for (const item of items) {
              const artifact = item.artifact as { operation: string; id: string } | null;
              if (artifact && !artifacts.has(artifact.operation)) {
                artifacts.set(artifact.operation, artifact.id);
              }
            }
          }
        }
        assert.deepEqual([...artifacts.keys()].sort(), ['classification', 'extraction', 'partition', 'split']);
        const extraction = artifacts.get('extraction') ?? '';
        artifacts.set('parse', `prs_${extraction.slice(4)}`);
        artifacts.set('edit', 'edt_invoice_q1');
        const collections: Record<string, string> = {
          extraction: 'extractions',
          classification: 'classifications',
          split: 'splits',
          parse: 'parses',
          edit: 'edits',
          partition: 'partitions',
        };
        for (const [operation, id] of artifacts) {
          const record = await get(sandbox, `/${collections[operation]}/${id}`);
          conforms(schemas.artifacts[operation as keyof EraSchemas['artifacts']], record, `GET /${collections[operation]}/${id}`);
          const byId = await call(sandbox, `/workflows/artifacts/${id}`);
          if (isFlat(api)) {
            assert.equal(byId.status, 200, `GET /workflows/artifacts/${id}`);
            conforms(schemas.workflowArtifact, byId.json(), `GET /workflows/artifacts/${id}`);
            assert.equal(byId.json().operation, operation);
          } else {
            assert.equal(byId.status, 404, 'nested servers read /workflows/artifacts as a workflow route');
          }
        }
        assert.equal((await call(sandbox, '/workflows/artifacts/ext_nope')).status, 404);
      });

      it('answers unknown routes with 404 and known routes with another method with 405', async () => {
        for (const route of ['/nothing', '/workflows/wf_invoices/nothing', '/extractions', '/workflows/experiments/runs/exprun_inv_6/nothing']) {
          const reply = await call(sandbox, route);
          assert.equal(reply.status, 404, route);
          assert.deepEqual(reply.json(), { detail: 'Not Found' }, route);
        }
        const routes = isFlat(api)
          ? ['/workflows/experiments/exp_invoices_v2', '/workflows/experiments/runs/exprun_inv_6', '/workflows/experiments/results']
          : [NESTED_INVOICES, `${NESTED_INVOICES}/runs`];
        for (const route of ['/workflows', '/workflows/wf_invoices', ...routes]) {
          const reply = await call(sandbox, route, { method: 'DELETE' });
          assert.equal(reply.status, 405, route);
          assert.deepEqual(reply.json(), { detail: 'Method Not Allowed' }, route);
        }
        const postOnly = isFlat(api) ? '/workflows/experiments/runs/exprun_inv_6/cancel' : `${NESTED_INVOICES}/cancel`;
        assert.equal((await call(sandbox, postOnly)).status, 405, `GET ${postOnly}`);
      });
    });
  }

  describe('auth per generation', () => {
    let sandbox: Sandbox;
    before(async () => {
      sandbox = await startSandbox({ api: 'g1' });
    });
    after(async () => {
      await sandbox.close();
    });

    for (const api of API_GENERATIONS) {
      it(`${title(api)}: only ${GENERATIONS[api].auth === 'bearer' ? 'Authorization: Bearer' : 'the Api-Key header'}`, async () => {
        sandbox.reset();
        sandbox.setApi(api);
        const key = sandbox.apiKey;
        const bearer = GENERATIONS[api].auth === 'bearer';
        const right: Record<string, string> = bearer ? { Authorization: `Bearer ${key}` } : { 'Api-Key': key };
        const other: Record<string, string> = bearer ? { 'Api-Key': key } : { Authorization: `Bearer ${key}` };
        assert.equal((await call(sandbox, '/workflows', { auth: right })).status, 200);
        const refused: Array<Record<string, string>> = [
          other,
          {},
          bearer ? { Authorization: 'Bearer sk_wrong' } : { 'Api-Key': 'sk_wrong' },
          { Authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}` },
          { Authorization: key },
        ];
        for (const auth of refused) {
          const reply = await call(sandbox, '/workflows', { auth });
          assert.equal(reply.status, 401, JSON.stringify(auth));
          assert.equal(typeof reply.json().detail, 'string');
          assert.match(reply.headers.get('x-request-id') ?? '', /^req_/);
          assert.equal(reply.headers.get('www-authenticate'), bearer ? 'Bearer' : null);
        }
        assert.equal(
          (await call(sandbox, `/workflows?access_token=${key}`, { auth: {} })).status,
          api === 'g1' ? 200 : 401,
          'the seed’s access_token only in G1',
        );
        const log = sandbox.requests();
        assert.deepEqual(
          log.map((entry) => entry.authScheme),
          bearer ? ['bearer', 'api-key', null, 'bearer', 'bearer', 'bearer', null] : ['api-key', 'bearer', null, 'api-key', 'bearer', 'bearer', null],
        );
        assert.deepEqual(
          log.map((entry) => entry.apiKey),
          ['valid', 'invalid', 'missing', 'invalid', 'invalid', 'invalid', api === 'g1' ? 'valid' : 'missing'],
        );
        assert.ok(log.every((entry) => entry.api === api));
        assert.ok(!JSON.stringify(log).includes(key), 'the key is never stored');
      });
    }
  });

  describe('switching generation at run time', () => {
    it('switches by POST /__sandbox/api and by setApi, keeps the data, and goes back on reset', async () => {
      const sandbox = await startSandbox({ api: 'g1', clock: () => FIXED_NOW });
      try {
        const control = async (method: string, body?: unknown): Promise<Reply> => {
          const response = await fetch(`${sandbox.origin}/__sandbox/api`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
          const text = await response.text();
          return { status: response.status, headers: response.headers, text, json: <T>() => JSON.parse(text) as T };
        };
        assert.equal((await control('GET')).json().api, 'g1');
        const started = await post(sandbox, `${NESTED_INVOICES}/run`, { n_consensus: 3 });
        assert.equal(started.status, 200);
        const runId = started.json().run_id as string;

        const switched = await control('POST', { api: 'g3' });
        assert.equal(switched.status, 200);
        assert.deepEqual(
          { api: switched.json().api, auth: switched.json().auth, routes: switched.json().routes },
          { api: 'g3', auth: 'bearer', routes: 'flat' },
        );
        assert.equal(sandbox.api(), 'g3');
        assert.equal((await call(sandbox, '/workflows', { auth: { 'Api-Key': sandbox.apiKey } })).status, 401, 'the old header no longer works');
        assert.deepEqual((await call(sandbox, `${NESTED_INVOICES}/runs`)).json(), { detail: 'Not Found' });
        const run = await get(sandbox, `/workflows/experiments/runs/${runId}`);
        assert.equal(run.n_consensus, 3, 'a run started in G1 is there in G3');
        assert.equal((run.lifecycle as Json).status, 'queued');

        sandbox.setApi('g2');
        assert.equal((await control('GET')).json().api, 'g2');
        assert.equal((await get(sandbox, `/workflows/experiments/runs/${runId}`)).id, runId);
        assert.equal((await control('POST', { api: 'g4' })).status, 400);
        assert.equal((await control('POST', 'g1')).status, 400);
        assert.throws(() => sandbox.setApi('g9' as ApiGeneration));
        assert.equal(sandbox.api(), 'g2');
        assert.deepEqual([...new Set(sandbox.requests().map((entry) => entry.api))], ['g1', 'g3', 'g2']);

        sandbox.reset();
        assert.equal(sandbox.api(), 'g1', 'reset goes back to the generation it started with');
        assert.equal((await get<{ runs: Json[] }>(sandbox, `${NESTED_INVOICES}/runs`)).runs.length, 6);
      } finally {
        await sandbox.close();
      }
    });

    it('defaults to G3, the newest', async () => {
      const sandbox = await startSandbox();
      try {
        assert.equal(sandbox.api(), 'g3');
        assert.deepEqual(sandbox.authHeaders(), { Authorization: `Bearer ${sandbox.apiKey}` });
        assert.equal((await get<{ data: Json[] }>(sandbox, '/workflows/experiments?workflow_id=wf_invoices')).data.length, 4);
      } finally {
        await sandbox.close();
      }
    });
  });

  describe('cursor paging', () => {
    let sandbox: Sandbox;
    before(async () => {
      sandbox = await startSandbox({ api: 'g3' });
    });
    after(async () => {
      await sandbox.close();
    });

    for (const api of ['g2', 'g3'] as const) {
      it(`${title(api)}: the 5,000-document run is 50 pages of 100 results, each result once`, async () => {
        sandbox.setApi(api);
        const seen = new Set<string>();
        const documents = new Set<string>();
        const cursors = new Set<string>();
        let pages = 0;
        let after: string | null = null;
        do {
          const page: { data: Json[]; list_metadata: { before: string | null; after: string | null } } = await get(
            sandbox,
            `/workflows/experiments/results?run_id=exprun_big_1&limit=100${after ? `&after=${encodeURIComponent(after)}` : ''}`,
          );
          pages++;
          assert.equal(page.data.length, 100);
          assert.equal(page.list_metadata.before === null, pages === 1);
          for (const result of page.data) {
            assert.ok(!seen.has(result.id as string), `${result.id} twice`);
            seen.add(result.id as string);
            documents.add(result.document_id as string);
          }
          after = page.list_metadata.after;
          if (after !== null) {
            assert.ok(!cursors.has(after), 'a cursor is never handed out twice');
            assert.ok(!after.includes('expjob_') && !after.includes('expresult_'), 'cursors are opaque');
            cursors.add(after);
          }
        } while (after !== null);
        assert.equal(pages, 50);
        assert.equal(seen.size, 5000);
        assert.equal(documents.size, 5000);
        const served = sandbox.requests().map((entry) => entry.durationMs ?? Infinity);
        assert.ok(
          served.every((ms) => ms < 200),
          `served in up to ${Math.max(...served)} ms`,
        );
      });
    }

    it('respects limit and order, goes back with before, and refuses bad limits and foreign or broken cursors', async () => {
      sandbox.setApi('g3');
      const first = await get<{ data: Json[]; list_metadata: { before: string | null; after: string } }>(
        sandbox,
        '/workflows/experiments/results?run_id=exprun_inv_6&limit=7',
      );
      assert.equal(first.data.length, 7);
      assert.equal(first.data[0].document_id, 'expdoc_inv_001', 'document order by default');
      const second = await get<{ data: Json[]; list_metadata: { before: string } }>(
        sandbox,
        `/workflows/experiments/results?run_id=exprun_inv_6&limit=7&after=${first.list_metadata.after}`,
      );
      assert.equal(second.data[0].document_id, 'expdoc_inv_008');
      const back = await get<{ data: Json[] }>(sandbox, `/workflows/experiments/results?run_id=exprun_inv_6&limit=7&before=${second.list_metadata.before}`);
      assert.deepEqual(
        back.data.map((result) => result.id),
        first.data.map((result) => result.id),
      );
      const reversed = await get<{ data: Json[] }>(sandbox, '/workflows/experiments/results?run_id=exprun_inv_6&limit=1&order=desc');
      assert.equal(reversed.data[0].document_id, 'expdoc_inv_040');
      for (const limit of ['0', '101', 'x']) {
        assert.equal((await call(sandbox, `/workflows/experiments/results?run_id=exprun_inv_6&limit=${limit}`)).status, 422, limit);
      }
      assert.equal((await call(sandbox, '/workflows/experiments/results?limit=10')).status, 422, 'run_id is required');
      assert.equal((await call(sandbox, '/workflows/experiments/results?run_id=exprun_nope')).status, 404);
      assert.equal(
        (await call(sandbox, `/workflows/experiments/results?run_id=exprun_inv_5&after=${first.list_metadata.after}`)).status,
        400,
        'a cursor of another list',
      );
      assert.equal((await call(sandbox, '/workflows/experiments/results?run_id=exprun_inv_6&after=not-a-cursor')).status, 400);
      const defaults = await get<{ data: Json[] }>(sandbox, '/workflows/experiments/results?run_id=exprun_big_1');
      assert.equal(defaults.data.length, 50, 'default limit 50');
    });

    it('pages runs newest first across every experiment, each run once, and filters them', async () => {
      sandbox.setApi('g3');
      const runs = await everyPage(sandbox, '/workflows/experiments/runs?limit=7', SDK_SCHEMAS.g3.runList, 'GET /workflows/experiments/runs');
      assert.equal(new Set(runs.map((run) => run.id)).size, runs.length);
      const created = runs.map((run) =>
        Date.parse((run.timing as { created_at: string }).created_at + ((run.timing as { created_at: string }).created_at.endsWith('Z') ? '' : 'Z')),
      );
      assert.deepEqual(
        created,
        [...created].sort((a, b) => b - a),
        'newest first',
      );
      const invoices = await everyPage(
        sandbox,
        '/workflows/experiments/runs?experiment_id=exp_invoices_v2&limit=4',
        SDK_SCHEMAS.g3.runList,
        'runs of exp_invoices_v2',
      );
      assert.deepEqual(
        invoices.map((run) => run.id),
        ['exprun_inv_6', 'exprun_inv_5', 'exprun_inv_4', 'exprun_inv_3', 'exprun_inv_2', 'exprun_inv_1'],
      );
      const cancelled = await everyPage(
        sandbox,
        '/workflows/experiments/runs?status=cancelled&workflow_id=wf_invoices',
        SDK_SCHEMAS.g3.runList,
        'cancelled runs',
      );
      assert.deepEqual(
        cancelled.map((run) => run.id),
        ['exprun_inv_3'],
      );
      assert.equal((await call(sandbox, '/workflows/experiments/runs?status=skipped')).status, 422);
      assert.equal((await call(sandbox, '/workflows/experiments')).status, 422, 'G3 lists experiments of one workflow');
      sandbox.setApi('g2');
      assert.equal(
        (await get<{ data: Json[] }>(sandbox, '/workflows/experiments?limit=100')).data.length,
        25,
        'G2 lists every experiment without a workflow_id',
      );
    });

    it('G1p pages experiments by 10 and runs by 5 unless told otherwise; an empty page leaves `data` out', async () => {
      sandbox.setApi('g1p');
      const first = await get<{ data: Json[]; list_metadata: { after: string | null } }>(sandbox, `${NESTED_INVOICES}/runs`);
      assert.equal(first.data.length, 5);
      assert.ok(first.list_metadata.after);
      const runs = await everyPage(sandbox, `${NESTED_INVOICES}/runs`, SDK_SCHEMAS.g1p.runList, 'G1p runs');
      assert.deepEqual(
        runs.map((run) => run.id),
        ['exprun_inv_6', 'exprun_inv_5', 'exprun_inv_4', 'exprun_inv_3', 'exprun_inv_2', 'exprun_inv_1'],
      );
      const empty = await get(sandbox, '/workflows/wf_invoices/experiments/exp_invoices_vendor/runs');
      assert.deepEqual(empty, { list_metadata: { before: null, after: null } });
    });
  });

  describe('the schemas themselves', () => {
    it('refuse what the SDKs would refuse', () => {
      const job = { id: 'expjob_1', run_id: 'exprun_1', experiment_id: 'exp_1', document_id: 'expdoc_1', status: 'completed', block_kind: 'extract' };
      assert.deepEqual(validate(SDK_SCHEMAS.g1.job as Schema, job), []);
      assert.equal(validate(SDK_SCHEMAS.g1.job as Schema, { ...job, status: 'queued' }).length, 1, 'an unknown status');
      assert.equal(validate(SDK_SCHEMAS.g1.job as Schema, { ...job, run_id: null }).length, 1, 'run_id is a required string');
      const content = { experiment_id: 'exp_1', run_id: null, content: { jobs: [] } };
      assert.equal(validate(SDK_SCHEMAS.g1.content as Schema, content).length, 1, 'ZExperimentContentResponse.run_id is a string');
      assert.equal(
        validate(SDK_SCHEMAS.g1p.content as Schema, { ...content, run_id: 'exprun_1', content: { jobs: [{ ...job, status: 'skipped' }] } }).length,
        1,
        'G1p jobs are never skipped',
      );
      const result = {
        id: 'expresult_1',
        experiment_run_id: 'exprun_1',
        experiment_id: 'exp_1',
        document_id: 'expdoc_1',
        lifecycle: { status: 'completed' },
        timing: {},
        block_type: 'extract',
        handle_inputs: { 'input-document-0': { type: 'file', document: { id: 'file_1', filename: 'a.pdf', mime_type: 'application/pdf' } } },
      };
      assert.deepEqual(validate(SDK_SCHEMAS.g3.result as Schema, result), []);
      assert.ok(validate(SDK_SCHEMAS.g2.result as Schema, result).length > 0, 'G2 results say run_id, and its file documents are materialized');
      assert.equal(validate(SDK_SCHEMAS.g3.result as Schema, { ...result, lifecycle: { status: 'skipped' } }).length, 1, 'no skipped lifecycle');
      assert.equal(
        validate(SDK_SCHEMAS.g3.result as Schema, { ...result, handle_inputs: { x: { type: 'file', filename: 'a.pdf' } } }).length,
        1,
        'a bare filename is no FileHandleInput',
      );
      assert.equal(validate(SDK_SCHEMAS.g3.result as Schema, { ...result, timing: { created_at: 'yesterday' } }).length, 1);
      assert.deepEqual(
        validate(SDK_SCHEMAS.g3.result as Schema, { ...result, timing: { created_at: '2026-07-01T10:00:00' } }),
        [],
        'a zone-less timestamp is a datetime',
      );
      const stale = { error: 'stale_metrics', kind: 'stale_metrics', experiment_id: 'exp_1', message: 'stale' };
      assert.equal(validate(SDK_SCHEMAS.g3.metrics, stale).length, 1, 'last_run is required');
      assert.equal(validate(SDK_SCHEMAS.g1.metrics, stale).length, 1, 'last_run is required');
      const byDocument = {
        run_id: 'exprun_1',
        kind: 'by_document',
        view: 'by_document',
        document: { id: 'expdoc_1', filename: 'a.pdf' },
        targets: [{ path: 'a', score: 1, value: 'x' }],
      };
      assert.deepEqual(validate(SDK_SCHEMAS.g3.metrics, byDocument), []);
      assert.equal(validate(SDK_SCHEMAS.g3.metrics, { ...byDocument, document: 'expdoc_1' }).length, 1, 'document is {id, filename}');
      assert.equal(validate(SDK_SCHEMAS.g3.metrics, { ...byDocument, targets: [{ score: 1 }] }).length, 1, 'a target has a path');
      assert.equal(
        validate(SDK_SCHEMAS.g3.metrics, { ...byDocument, confusion: { flows: [{ from: 'a', to: 'b', score: 1 }] } }).length,
        2,
        'flat flows are {source, target}',
      );
      assert.equal(
        validate(SDK_SCHEMAS.g1.metrics, { ...byDocument, confusion: { flows: [{ source: 'a', target: 'b', score: 1 }] } }).length,
        2,
        'G1 flows are {from, to}',
      );
      assert.equal(validate(SDK_SCHEMAS.g1.metrics, { ...byDocument, targets: null }).length, 1, 'G1 lists are never null');
      assert.deepEqual(validate(SDK_SCHEMAS.g2.metrics, { ...byDocument, targets: null }), [], 'from G2 on they may be');
      const votes = {
        run_id: 'exprun_1',
        kind: 'votes',
        view: 'votes',
        document: { id: 'expdoc_1', filename: 'a.pdf' },
        target: 'a',
        rows: [{ consensus: 1, votes: [1, null], present_voter_count: 1 }],
      };
      assert.deepEqual(validate(SDK_SCHEMAS.g3.metrics, votes), []);
      assert.equal(validate(SDK_SCHEMAS.g3.metrics, { ...votes, rows: [{ votes: [], present_voter_count: 1.5 }] }).length, 1, 'voter counts are integers');
      assert.equal(validate(SDK_SCHEMAS.g3.metrics, { ...votes, target: undefined }).length, 1, 'votes name their target');
      assert.equal(validate(SDK_SCHEMAS.g2.metrics, { ...votes, kind: 'vote' }).length, 1, 'an unknown kind');
      assert.equal(
        validate(SDK_SCHEMAS.g1.metrics, { run_id: 'exprun_1', view: 'by_target', documents: [] }).length,
        1,
        'G1 tells views apart by `view`: by_target names its target',
      );
      assert.equal(
        validate(SDK_SCHEMAS.g1.artifacts.classification, {
          id: 'cls_1',
          file: { id: 'file_1', filename: 'a.pdf', mime_type: 'application/pdf' },
          model: 'm',
          categories: ['a'],
          output: { category: 'a', reasoning: 'r' },
        }).length,
        1,
        'categories are objects',
      );
    });
  });
});
