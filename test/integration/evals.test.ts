import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RetabExtensionApi } from '../../src/extension';
import type { EvalReport } from '../../src/ui/evals/evalRunner';
import type { Sandbox } from '../sandbox/server';
import { useHostSession } from './support/host';

function children(item: vscode.TestItem | undefined): vscode.TestItem[] {
  const list: vscode.TestItem[] = [];
  item?.children.forEach((child) => list.push(child));
  return list;
}

function errorText(item: vscode.TestItem): string {
  const error = item.error;
  return typeof error === 'string' ? error : (error?.value ?? '');
}

function roots(api: RetabExtensionApi): vscode.TestItem[] {
  const list: vscode.TestItem[] = [];
  api.evals.controller.items.forEach((item) => list.push(item));
  return list;
}

async function runAndCollect(api: RetabExtensionApi, include: vscode.TestItem[], cancelAfter?: (report: EvalReport) => boolean): Promise<EvalReport[]> {
  const reports: EvalReport[] = [];
  const source = new vscode.CancellationTokenSource();
  const subscription = api.evalRunner.onDidReport((report) => {
    reports.push(report);
    if (cancelAfter?.(report)) {
      source.cancel();
    }
  });
  try {
    await api.evalRunner.run(new vscode.TestRunRequest(include), source.token);
  } finally {
    subscription.dispose();
    source.dispose();
  }
  return reports;
}

/** Evals in the Test Explorer, in a real extension host, on each kind of server. */
for (const generation of ['g3', 'g2'] as const) {
  describe(`Retab evals in the Test Explorer (${generation.toUpperCase()})`, function () {
    this.timeout(120_000);
    let sandbox: Sandbox;
    let api: RetabExtensionApi;

    useHostSession({ api: generation, timeScale: 0.05 }, async (session) => {
      ({ sandbox, api } = session);
      await api.evals.reload(undefined, true);
    });

    it('lists workflow → block → eval, named by the eval or by its assertion, with tags and the last verdicts', async () => {
      const workflow = roots(api).find((item) => item.id === 'workflow:wf_invoices');
      assert.ok(
        workflow,
        `workflows: ${roots(api)
          .map((item) => item.id)
          .join(', ')}`,
      );
      await api.evals.controller.resolveHandler?.(workflow);
      const blocks = children(workflow);
      assert.ok(blocks.length >= 2, `${blocks.length} blocks`);
      const evals = blocks.flatMap(children);
      assert.ok(evals.length >= 6, `${evals.length} evals`);
      assert.ok(
        evals.some((item) => / · /.test(item.label)),
        'an unnamed eval is labelled by its assertion',
      );
      assert.ok(evals.every((item) => typeof item.description === 'string' && item.description.length > 0));
      assert.ok(evals.some((item) => item.tags.some((tag) => tag.id === 'stale' || tag.id === 'drifted')));
      assert.match(workflow.description ?? '', /\d+ evals/);
    });

    it('runs a block in one block-scope run, reporting passed and failed with expected and actual', async () => {
      const workflow = roots(api).find((item) => item.id === 'workflow:wf_invoices');
      const [block] = children(workflow);
      const reports = await runAndCollect(api, [block]);
      const finals = reports.filter((report) => report.state !== 'started');
      assert.equal(finals.length, children(block).length, 'every eval of the block reported once');
      const failed = finals.find((report) => report.state === 'failed');
      assert.ok(failed?.expected !== undefined && failed.actual !== undefined && failed.expected !== failed.actual, 'expected beside actual');
      assert.ok(finals.some((report) => report.state === 'passed'));
      const posts = sandbox.requests().filter((request) => request.method === 'POST' && request.path === '/v1/workflows/evals/runs');
      assert.equal(posts.length, 1, 'one server run');
      const serverRun = finals.find((report) => report.serverRunId)?.serverRunId;
      const response = await fetch(`${sandbox.url}/workflows/evals/runs/${serverRun}`, { headers: sandbox.authHeaders() });
      const body = (await response.json()) as { target: { block_id: string } | null };
      assert.equal(body.target?.block_id, block.id.replace(/^block:/, ''), 'a block-scope run');
    });

    it('pins a field of a document as an eval, runs it, renames and deletes it', async () => {
      const ref = { workflowId: 'wf_invoices', experimentId: 'exp_invoices_v2', runId: 'exprun_inv_6', documentId: 'expdoc_inv_001' };
      await api.repository.listExperiments('wf_invoices');
      await vscode.commands.executeCommand('retab.pinAsEval', { ref, path: 'invoice.total', expected: { value: 5031.49 }, confirmed: true });
      const post = sandbox.requests().filter((request) => request.method === 'POST' && request.path === '/v1/workflows/evals');
      assert.equal(post.length, 1, 'one eval created');
      const workflow = roots(api).find((item) => item.id === 'workflow:wf_invoices');
      const pinned = children(workflow)
        .flatMap(children)
        .find((item) => item.label === 'invoice.total equals 5031.49');
      assert.ok(pinned, 'the new eval is in the explorer');
      const data = api.evals.data.get(pinned);
      assert.ok(data?.kind === 'eval');
      assert.deepEqual(data.eval.assertion?.condition, { kind: 'equals', expected: 5031.49 });
      assert.equal(data.eval.assertion?.path, 'invoice.total');
      assert.equal(data.eval.assertion?.outputHandleId, 'output-json-0');
      const source = (data.eval.raw as { source: { type: string; handle_inputs: Record<string, unknown> } }).source;
      assert.equal(source.type, 'manual');
      assert.ok('input-document-0' in source.handle_inputs, 'the result’s inputs are the eval’s source');
      const reports = await runAndCollect(api, [pinned]);
      assert.deepEqual(
        reports.filter((report) => report.state !== 'started').map((report) => report.state),
        ['passed'],
      );
      await vscode.commands.executeCommand('retab.renameEval', pinned, 'Invoice total of invoice_q1');
      const renamed = children(roots(api).find((item) => item.id === 'workflow:wf_invoices'))
        .flatMap(children)
        .find((item) => item.id === pinned.id);
      assert.equal(renamed?.label, 'Invoice total of invoice_q1');
      await vscode.commands.executeCommand('retab.deleteEval', renamed, { confirmed: true });
      const gone = children(roots(api).find((item) => item.id === 'workflow:wf_invoices'))
        .flatMap(children)
        .find((item) => item.id === pinned.id);
      assert.equal(gone, undefined, 'deleted');
    });

    it('cancels the server run when the test run is cancelled', async () => {
      const workflow = roots(api).find((item) => item.id === 'workflow:wf_big');
      assert.ok(workflow);
      await api.evals.controller.resolveHandler?.(workflow);
      const [block] = children(workflow);
      sandbox.setFaults({});
      // 120 evals at 20 ms each would take 2.4 s; cancel as soon as the first one has started.
      const reports = await runAndCollect(api, [block], (report) => report.state === 'started');
      const serverRunId = reports.find((report) => report.serverRunId)?.serverRunId;
      assert.ok(serverRunId);
      const cancels = sandbox.requests().filter((request) => request.method === 'POST' && request.path.endsWith('/cancel'));
      for (let attempt = 0; attempt < 20 && cancels.length === 0; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        cancels.push(...sandbox.requests().filter((request) => request.method === 'POST' && request.path.endsWith('/cancel')));
      }
      assert.ok(cancels.length >= 1, 'the server run was cancelled');
      assert.ok(
        reports.some((report) => report.state === 'skipped'),
        'what did not run is skipped',
      );
    });
  });
}

describe('Retab evals where the server has none', function () {
  this.timeout(60_000);

  describe('a server that answers 405', () => {
    let api: RetabExtensionApi;
    useHostSession({ api: 'g3', evals: false }, async (session) => {
      ({ api } = session);
      await api.evals.reload(undefined, true);
    });
    it('shows one item that says why, and nothing else', () => {
      const items = roots(api);
      assert.equal(items.length, 1);
      assert.match(errorText(items[0]), /not enabled.*405/);
    });
  });

  describe('a nested server (G1)', () => {
    let api: RetabExtensionApi;
    useHostSession({ api: 'g1' }, async (session) => {
      ({ api } = session);
      await api.evals.reload(undefined, true);
    });
    it('shows one item that says why', () => {
      const items = roots(api);
      assert.equal(items.length, 1);
      assert.match(errorText(items[0]), /without evals/);
    });
  });
});
