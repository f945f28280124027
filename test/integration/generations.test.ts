import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RetabExtensionApi } from '../../src/extension';
import type { DocumentNode, RunNode } from '../../src/ui/tree/nodes';
import type { Sandbox } from '../sandbox/server';
import { INVOICES, INVOICE_Q1, invoiceDocumentId, invoiceJob, invoiceRunId, wireJobRef } from '../support/fixtures';
import { childById, descendById, hoverTextAt, labelOf, panelRendered, useHostSession } from './support/host';

const GENERATIONS = ['g1', 'g1p', 'g2', 'g3'] as const;
type Generation = (typeof GENERATIONS)[number];
const FLAT: ReadonlySet<Generation> = new Set(['g2', 'g3']);

async function walkToRun(api: RetabExtensionApi): Promise<RunNode> {
  const experiment = await descendById(api, [INVOICES.workflowId, INVOICES.experimentId]);
  const runs = await api.tree.getChildren(experiment);
  assert.equal(labelOf(api, runs[0]), 'Run 6', 'newest run first, numbered by time');
  return childById<RunNode>(api, experiment, invoiceRunId(6));
}

/**
 * The main path (key → tree → documents with file names → job panel → hover → lookup) against a
 * server of each generation, with nothing set but the base URL and the key.
 */
for (const generation of GENERATIONS) {
  describe(`Every feature's main path on a ${generation.toUpperCase()} server`, function () {
    this.timeout(90_000);
    let sandbox: Sandbox;
    let api: RetabExtensionApi;
    let run: RunNode;

    useHostSession({ api: generation }, async (session) => {
      ({ sandbox, api } = session);
      api.tree.refresh();
      run = await walkToRun(api);
    });

    it('finds out the generation by itself, sending the key in the header that generation expects', async () => {
      assert.equal((await api.repository.dialect()).id, generation);
      const expected = generation === 'g3' ? 'bearer' : 'api-key';
      const requests = sandbox.requests();
      const probes = requests.filter((request) => request.path === '/v1/workflows/experiments' && request.query.limit === '1');
      assert.ok(probes.length >= 1 && probes.length <= 2, `one probe per header at most, got ${probes.length}`);
      const afterProbe = requests.slice(requests.indexOf(probes[probes.length - 1]) + 1);
      assert.ok(afterProbe.length > 0);
      const wrong = afterProbe.filter((request) => request.authScheme !== expected || request.apiKey !== 'valid');
      assert.deepEqual(
        wrong.map((request) => `${request.path} ${request.authScheme ?? 'none'} ${request.apiKey}`),
        [],
        `every request after detection carries the key as ${expected}: ${sandbox
          .requests()
          .map((request) => `${request.path}?${new URLSearchParams(request.query).toString()} ${request.status} ${request.authScheme}`)
          .join(' | ')}`,
      );
    });

    it('lists documents by file name, never by id when a name exists', async () => {
      const documents = (await api.tree.getChildren(run)).filter((node): node is DocumentNode => node.kind === 'document');
      assert.equal(documents.length, 40);
      const labels = documents.map((node) => labelOf(api, node));
      assert.ok(labels.includes(INVOICE_Q1.filename), labels.slice(0, 5).join(', '));
      assert.ok(
        labels.every((label) => !label.startsWith('expdoc_')),
        'every seeded document has a file name',
      );
    });

    it('opens a document’s job in the panel with at most one request once its run is loaded', async () => {
      const before = sandbox.requests().length;
      const rendered = panelRendered(api, (state) => state.kind === 'job' && state.ref.documentId === invoiceDocumentId(7));
      await vscode.commands.executeCommand('retab.openJob', invoiceJob(6, 7));
      const state = await rendered;
      assert.ok(state.kind === 'job');
      assert.equal(state.job.status, 'error');
      assert.ok(state.job.error && state.job.error.length > 10, 'the error text is shown');
      assert.ok(sandbox.requests().length - before <= 1, `${sandbox.requests().length - before} requests`);
    });

    it('hovers a document id beside its run, and a job id alone', async () => {
      const content = JSON.stringify(wireJobRef(invoiceJob(6, 1)), null, 2);
      const document = await vscode.workspace.openTextDocument({ language: 'json', content });
      const text = await hoverTextAt(document.uri, document.positionAt(content.indexOf(INVOICE_Q1.documentId) + 3));
      assert.match(text, /Open Job/);
      assert.match(text, /invoice\\?_q1\\?\.pdf/);
    });

    it('looks up a job from its own id and from pasted JSON of this generation', async () => {
      const documents = (await api.tree.getChildren(run)).filter((node): node is DocumentNode => node.kind === 'document');
      const target = documents.find((node) => node.job.documentId === invoiceDocumentId(2));
      assert.ok(target);
      const jobId = target.job.id;
      assert.match(jobId, FLAT.has(generation) ? /^expresult_/ : /^expjob_/);
      const byId = panelRendered(api, (state) => state.kind === 'job' && state.ref.documentId === invoiceDocumentId(2));
      await vscode.commands.executeCommand('retab.lookupJob', `failed at ${jobId}`);
      assert.equal((await byId).ref.runId, invoiceRunId(6));

      const json = JSON.stringify(target.job.raw);
      const byJson = panelRendered(
        api,
        (state) => state.kind === 'job' && state.ref.documentId === invoiceDocumentId(2) && state.ref.workflowId === INVOICES.workflowId,
      );
      await vscode.commands.executeCommand('retab.lookupJob', json);
      await byJson;
    });

    it('reads scores (metrics kind envelopes) without showing them as errors', async () => {
      const children = await api.tree.getChildren(run);
      const scored = children.find((node): node is DocumentNode => node.kind === 'document' && typeof node.metric?.score === 'number');
      assert.ok(scored, 'a scored document');
      assert.ok(children.every((node) => node.kind !== 'message' || node.severity !== 'error'));
    });
  });
}

describe('Servers that change, and keys in the wrong header', function () {
  this.timeout(90_000);
  let sandbox: Sandbox;
  let api: RetabExtensionApi;

  useHostSession({ api: 'g1' }, (session) => {
    ({ sandbox, api } = session);
  });

  it('follows a server that moves from G1 to G3 between two Refreshes', async () => {
    await vscode.commands.executeCommand('retab.refresh');
    await walkToRun(api);
    assert.equal((await api.repository.dialect()).id, 'g1');
    sandbox.setApi('g3');
    await vscode.commands.executeCommand('retab.refresh');
    const run = await walkToRun(api);
    assert.equal((await api.repository.dialect()).id, 'g3');
    const documents = (await api.tree.getChildren(run)).filter((node): node is DocumentNode => node.kind === 'document');
    assert.equal(documents.length, 40);
    assert.ok(documents.every((node) => node.job.id.startsWith('expresult_')));
  });

  it('finds a moved server again when a known route answers that it is missing, without a Refresh', async () => {
    sandbox.setApi('g1');
    await vscode.commands.executeCommand('retab.refresh');
    await walkToRun(api);
    assert.equal((await api.repository.dialect()).id, 'g1');
    sandbox.setApi('g2');
    const runs = await api.repository.listRuns(INVOICES.workflowId, INVOICES.experimentId, { force: true });
    assert.equal(runs[0].id, invoiceRunId(6));
    assert.equal((await api.repository.dialect()).id, 'g2');
  });

  it('tries the other header once when a server that took the key starts refusing it, and keeps the one that works', async () => {
    // reset() also puts the sandbox back to its first generation: switch after it.
    sandbox.reset();
    sandbox.setApi('g3');
    const runs = await api.repository.listRuns(INVOICES.workflowId, INVOICES.experimentId, { force: true });
    assert.equal(runs[0].id, invoiceRunId(6));
    assert.equal((await api.repository.dialect()).id, 'g3');
    assert.deepEqual(
      sandbox.requests().map((request) => request.authScheme),
      ['api-key', 'bearer'],
    );
    await api.repository.listRuns(INVOICES.workflowId, INVOICES.experimentId, { force: true });
    assert.equal(sandbox.requests()[2].authScheme, 'bearer');
  });

  it('pins a generation with retab.apiGeneration and never probes', async () => {
    await vscode.workspace.getConfiguration('retab').update('apiGeneration', 'g3', vscode.ConfigurationTarget.Global);
    try {
      sandbox.reset();
      sandbox.setApi('g3');
      await vscode.commands.executeCommand('retab.refresh');
      await walkToRun(api);
      assert.equal((await api.repository.dialect()).id, 'g3');
      assert.ok(!sandbox.requests().some((request) => request.path === '/v1/workflows/experiments' && request.query.limit === '1'), 'no probe');
    } finally {
      await vscode.workspace.getConfiguration('retab').update('apiGeneration', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
