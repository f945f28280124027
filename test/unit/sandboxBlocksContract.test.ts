/**
 * The sandbox's blocks routes against what the SDK of 61d9c44e reads (Node
 * workflows/blocks/interfaces/{workflow-block,workflow-block-version}.interface.ts, the versions
 * diff, validate-config's answer; workflows.ts publish): blocks with each type's config, the
 * server's 422 for unknown keys, PATCH merge and replace, a block version per save, restore,
 * publish, `block_version_id` on new runs and staleness after an edit, and 404/405 without them.
 */
import * as assert from 'node:assert/strict';
import { Sandbox, startSandbox } from '../sandbox/server';
import { Schema, anyValue, arrayOf, bool, datetime, nullable, num, object, opt, recordOf, str, validate } from './support/schema';

const BLOCK: Schema = object('WorkflowBlock', {
  id: str,
  workflow_id: str,
  type: str,
  label: str,
  position_x: num,
  position_y: num,
  width: opt(nullable(num)),
  height: opt(nullable(num)),
  config: opt(nullable(recordOf(anyValue))),
  parent_id: opt(nullable(str)),
  declarative_path: opt(nullable(str)),
  declarative_source_block_id: opt(nullable(str)),
  updated_at: datetime,
  resolved_schemas: opt(nullable(recordOf(anyValue))),
});

const VERSION: Schema = object('WorkflowBlockVersion', {
  id: str,
  block_id: str,
  workflow_id: str,
  workflow_version_id: str,
  type: str,
  label: str,
  position_x: num,
  position_y: num,
  width: opt(nullable(num)),
  height: opt(nullable(num)),
  parent_id: opt(nullable(str)),
  config: opt(nullable(recordOf(anyValue))),
  resolved_schemas: opt(nullable(recordOf(anyValue))),
  config_hash: str,
  created_at: datetime,
});

const DIFF: Schema = object('WorkflowBlockVersionDiff', {
  from_block_version_id: str,
  to_block_version_id: str,
  block_id: str,
  changes: arrayOf(object('WorkflowBlockVersionChange', { field: str, from_value: opt(anyValue), to_value: opt(anyValue) })),
});

const VALIDATED: Schema = object('ValidateConfigResponse', { ok: bool, workflow_id: str, block_id: str, block_type: str, config_hash: str });

const page = (item: Schema): Schema =>
  object('Page', { data: arrayOf(item), list_metadata: object('ListMetadata', { before: nullable(str), after: nullable(str) }) });

function conforms(schema: Schema, value: unknown, what: string): void {
  assert.deepEqual(validate(schema, value).slice(0, 10), [], `${what} does not match ${schema.name}`);
}

type Json = Record<string, unknown>;

for (const api of ['g3', 'g2'] as const) {
  describe(`Retab sandbox (${api}): blocks, as the SDK of 61d9c44e reads them`, function () {
    this.timeout(30_000);
    let sandbox: Sandbox;
    before(async () => {
      sandbox = await startSandbox({ api });
    });
    after(async () => {
      await sandbox.close();
    });
    afterEach(() => sandbox.reset());
    const call = async (route: string, init: RequestInit = {}): Promise<{ status: number; json: Json }> => {
      const response = await fetch(`${sandbox.url}${route}`, { ...init, headers: { ...sandbox.authHeaders(), 'content-type': 'application/json' } });
      const text = await response.text();
      return { status: response.status, json: text ? (JSON.parse(text) as Json) : {} };
    };
    const post = (route: string, body: unknown, method = 'POST'): Promise<{ status: number; json: Json }> =>
      call(route, { method, body: JSON.stringify(body) });
    const blocksOf = async (workflowId: string): Promise<Json[]> => {
      const answer = await call(`/workflows/blocks?workflow_id=${workflowId}`);
      assert.equal(answer.status, 200);
      conforms(page(BLOCK), answer.json, `blocks of ${workflowId}`);
      return answer.json.data as Json[];
    };

    it('serves every workflow’s blocks with their type’s config, and versions in the SDK’s shape', async () => {
      const types = new Set<string>();
      for (const workflowId of ['wf_invoices', 'wf_big']) {
        for (const block of await blocksOf(workflowId)) {
          types.add(block.type as string);
          const one = await call(`/workflows/blocks/${block.id as string}`);
          conforms(BLOCK, one.json, `block ${block.id as string}`);
          const versions = await call(`/workflows/blocks/versions?workflow_id=${workflowId}&block_id=${block.id as string}`);
          conforms(page(VERSION), versions.json, `versions of ${block.id as string}`);
          assert.ok((versions.json.data as Json[]).length >= 1);
        }
      }
      assert.ok(types.has('extract'));
      const all = new Set<string>();
      for (const workflow of ((await call('/workflows?limit=100')).json.data as Json[]).slice(0, 20)) {
        for (const block of await blocksOf(workflow.id as string)) {
          all.add(block.type as string);
          const config = block.config as Json;
          const key = { extract: 'json_schema', classifier: 'categories', split: 'subdocuments', for_each: 'map_method' }[block.type as string];
          assert.ok(key && key in config, `${block.id as string} (${block.type as string}) has ${key}`);
        }
      }
      assert.deepEqual([...all].sort(), ['classifier', 'extract', 'for_each', 'split']);
    });

    it('validates a config without writing it, and refuses unknown keys with the server’s 422 naming them', async () => {
      const [block] = await blocksOf('wf_invoices');
      const id = block.id as string;
      const ok = await post(`/workflows/blocks/${id}/validate-config`, { config: block.config, config_mode: 'replace' });
      assert.equal(ok.status, 200);
      conforms(VALIDATED, ok.json, 'validate-config');
      const bad = await post(`/workflows/blocks/${id}/validate-config`, { config: { ...(block.config as Json), prompt: 'x', image_resolution_dpi: 150 } });
      assert.equal(bad.status, 422);
      assert.match(
        JSON.stringify(bad.json),
        /Invalid config fields for 'extract' block: image_resolution_dpi, prompt\. Valid fields: inputs, json_schema, model, n_consensus, review\./,
      );
      // Null counts as absent: what the CLI's hint (null the legacy key) relies on.
      assert.equal((await post(`/workflows/blocks/${id}/validate-config`, { config: { ...(block.config as Json), prompt: null } })).status, 200);
      assert.deepEqual((await call(`/workflows/blocks/${id}`)).json.config, block.config, 'nothing written');
    });

    it('replaces or merges on PATCH, a new block version each save, diffed field by field, and restores', async () => {
      const [block] = await blocksOf('wf_invoices');
      const id = block.id as string;
      const before = (await call(`/workflows/blocks/versions?workflow_id=wf_invoices&block_id=${id}`)).json.data as Json[];
      const replaced = await post(
        `/workflows/blocks/${id}`,
        { config: { model: 'retab-large', json_schema: { type: 'object', properties: {} } }, config_mode: 'replace' },
        'PATCH',
      );
      assert.equal(replaced.status, 200);
      assert.deepEqual(replaced.json.config, { model: 'retab-large', json_schema: { type: 'object', properties: {} } });
      const merged = await post(`/workflows/blocks/${id}`, { config: { n_consensus: 3, model: null }, config_mode: 'merge' }, 'PATCH');
      assert.deepEqual(merged.json.config, { json_schema: { type: 'object', properties: {} }, n_consensus: 3 });
      const refused = await post(`/workflows/blocks/${id}`, { config: { prompt: 'x' }, config_mode: 'merge' }, 'PATCH');
      assert.equal(refused.status, 422);
      assert.equal((await post(`/workflows/blocks/${id}`, { config_mode: 'merge' }, 'PATCH')).status, 422, 'a mode without a config');
      const after = (await call(`/workflows/blocks/versions?workflow_id=wf_invoices&block_id=${id}`)).json.data as Json[];
      assert.equal(after.length, before.length + 2, 'a version per accepted save');
      const diff = await call(`/workflows/blocks/versions/diff?from_block_version_id=${before[0].id as string}&to_block_version_id=${after[0].id as string}`);
      conforms(DIFF, diff.json, 'diff');
      const fields = (diff.json.changes as Json[]).map((change) => change.field);
      assert.ok(fields.includes('config.model') && fields.includes('config.n_consensus'), fields.join());
      const restored = await post(`/workflows/blocks/versions/${before[0].id as string}/restore`, {});
      assert.equal(restored.status, 200);
      assert.deepEqual(restored.json.config, before[0].config);
    });

    it('ties new runs to the block version they used, turns the experiment stale after an edit, and publishes the draft', async () => {
      const experiment = (await call('/workflows/experiments/exp_invoices_v2')).json;
      const blockId = experiment.block_id as string;
      const block = (await call(`/workflows/blocks/${blockId}`)).json;
      const runs = (await call('/workflows/experiments/runs?experiment_id=exp_invoices_v2&limit=100')).json.data as Json[];
      assert.ok(
        runs.every((run) => typeof run.block_version_id === 'string'),
        'seeded runs name their block version',
      );
      const saved = await post(
        `/workflows/blocks/${blockId}`,
        { config: { ...(block.config as Json), model: 'retab-large-2' }, config_mode: 'replace' },
        'PATCH',
      );
      assert.equal(saved.status, 200);
      const stale = (await call('/workflows/experiments/exp_invoices_v2')).json;
      assert.equal(stale.is_stale, true);
      const started = await post('/workflows/experiments/runs', { experiment_id: 'exp_invoices_v2', workflow_id: 'wf_invoices' });
      assert.ok(started.status < 300, JSON.stringify(started.json));
      const latest = (await call('/workflows/blocks/versions?workflow_id=wf_invoices&block_id=' + blockId)).json.data as Json[];
      const run = (await call(`/workflows/experiments/runs/${(started.json.id ?? started.json.run_id) as string}`)).json;
      assert.equal(run.block_version_id, latest[0].id);
      const published = await post('/workflows/wf_invoices/publish', { description: 'model 2' });
      assert.equal(published.status, 200);
      const versionId = (published.json.published as Json).version_id as string;
      const again = await post('/workflows/wf_invoices/publish', { description: 'nothing new' });
      assert.equal((again.json.published as Json).version_id, versionId, 'a draft equal to the live version publishes nothing');
      const inVersion = (await call(`/workflows/blocks/versions?workflow_id=wf_invoices&block_id=${blockId}&workflow_version_id=${versionId}&limit=1`)).json
        .data as Json[];
      assert.equal(inVersion[0].id, latest[0].id);
    });

    it('lets a test change a block behind the editor’s back, and answers 404 or 405 as a server without blocks', async () => {
      const [block] = await blocksOf('wf_invoices');
      assert.ok(sandbox.touchBlock(block.id as string));
      assert.notEqual(((await call(`/workflows/blocks/${block.id as string}`)).json.config as Json).model, (block.config as Json).model);
      sandbox.setBlocksMode('405');
      assert.equal((await call(`/workflows/blocks/${block.id as string}`)).status, 405);
      sandbox.setBlocksMode('404');
      assert.equal((await call('/workflows/blocks?workflow_id=wf_invoices')).status, 404);
    });
  });
}

describe('Retab sandbox (g1): no blocks routes', () => {
  it('answers 404 to them', async () => {
    const sandbox = await startSandbox({ api: 'g1' });
    try {
      const response = await fetch(`${sandbox.url}/workflows/blocks?workflow_id=wf_invoices`, { headers: sandbox.authHeaders() });
      assert.equal(response.status, 404);
    } finally {
      await sandbox.close();
    }
  });
});

describe('Retab sandbox: runs of an edited block follow its definition', function () {
  this.timeout(30_000);
  it('a field whose description gains a hint stops disagreeing in the next run; a removed field is no longer extracted', async () => {
    let now = Date.parse('2026-08-07T12:00:00Z');
    const sandbox = await startSandbox({ api: 'g3', clock: () => now });
    try {
      const call = async (route: string, init: RequestInit = {}): Promise<Json> => {
        const response = await fetch(`${sandbox.url}${route}`, { ...init, headers: { ...sandbox.authHeaders(), 'content-type': 'application/json' } });
        return (await response.json()) as Json;
      };
      const likelihoods = async (runId: string): Promise<Record<string, number>> => {
        const metrics = await call(`/workflows/experiments/metrics?run_id=${runId}&view=summary`);
        return (metrics.aggregate as { likelihoods: Record<string, number> }).likelihoods;
      };
      const runOnce = async (): Promise<string> => {
        const started = await call('/workflows/experiments/runs', {
          method: 'POST',
          body: JSON.stringify({ experiment_id: 'exp_invoices_v2', workflow_id: 'wf_invoices' }),
        });
        now += 24 * 3_600_000;
        return (started.id ?? started.run_id) as string;
      };
      const before = await likelihoods(await runOnce());
      assert.ok(before['invoice.due_date'] < 1, `due_date agreed ${before['invoice.due_date']} before the hint`);
      const blockId = (await call('/workflows/experiments/exp_invoices_v2')).block_id as string;
      const block = await call(`/workflows/blocks/${blockId}`);
      const config = structuredClone(block.config) as {
        json_schema: { properties: { invoice: { properties: Record<string, { description: string }> }; notes?: unknown } };
      };
      config.json_schema.properties.invoice.properties.due_date.description = 'The due date, printed next to “Payment terms”; format YYYY-MM-DD.';
      delete config.json_schema.properties.notes;
      await call(`/workflows/blocks/${blockId}`, { method: 'PATCH', body: JSON.stringify({ config, config_mode: 'replace' }) });
      const after = await likelihoods(await runOnce());
      assert.equal(after['invoice.due_date'], 1, 'every voter agrees once the description says where to look');
      assert.equal(after.notes, undefined, 'a field taken out of the schema is not extracted');
      assert.ok(after['invoice.total'] !== undefined);
    } finally {
      await sandbox.close();
    }
  });
});
