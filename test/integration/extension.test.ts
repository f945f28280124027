import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RetabExtensionApi } from '../../src/extension';
import type { MessageNode } from '../../src/ui/tree/nodes';
import { Sandbox, startSandbox } from '../sandbox/server';
import { INVOICES, INVOICE_Q1, invoiceDocumentId, invoiceJob, invoiceRunId, wireJobRef } from '../support/fixtures';
import { childById, hoverTextAt, labelOf, panelRendered, setBaseUrl, sleep, useHostSession, waitFor } from './support/host';

const INVOICE_JOB = invoiceJob(6, 1);

describe('Retab Experiments in the extension host', function () {
  this.timeout(60_000);
  let sandbox: Sandbox;
  let api: RetabExtensionApi;

  useHostSession({ api: 'g1', setKey: false }, (session) => {
    ({ sandbox, api } = session);
  });

  afterEach(() => {
    sandbox.setFaults({});
  });

  it('contributes its view and commands', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const command of ['retab.setApiKey', 'retab.clearApiKey', 'retab.refresh', 'retab.lookupJob', 'retab.openJob', 'retab.copyId', 'retab.refreshJob']) {
      assert.ok(commands.includes(command), command);
    }
    await vscode.commands.executeCommand('workbench.view.extension.retab');
  });

  it('shows no tree (so the welcome with "Set API Key") while no key is set', async () => {
    assert.deepEqual(await api.tree.getChildren(), []);
  });

  it('refuses a key the server rejects and stores nothing', async () => {
    const saved = await vscode.commands.executeCommand<boolean>('retab.setApiKey', 'sk_wrong_key');
    assert.equal(saved, false);
    assert.deepEqual(await api.tree.getChildren(), []);
  });

  it('stores a valid key and lists workflows a page at a time', async () => {
    const saved = await vscode.commands.executeCommand<boolean>('retab.setApiKey', sandbox.apiKey);
    assert.equal(saved, true);
    const firstPage = await waitFor('workflows', async () => {
      const children = await api.tree.getChildren();
      return children.length > 0 ? children : undefined;
    });
    const last = firstPage[firstPage.length - 1];
    assert.equal(last.kind, 'loadMore');
    await vscode.commands.executeCommand('retab.loadMoreWorkflows');
    const all = await api.tree.getChildren();
    const workflows = all.filter((node) => node.kind === 'workflow');
    assert.ok(workflows.length > firstPage.length - 1, 'more workflows after Load more');
    assert.equal(new Set(workflows.map((node) => labelOf(api, node) + (node.kind === 'workflow' ? node.workflow.id : ''))).size, workflows.length);
  });

  it('walks workflows → experiments → runs (newest first) → documents', async () => {
    const workflow = await childById(api, undefined, INVOICES.workflowId);
    const experiment = await childById(api, workflow, INVOICES.experimentId);
    const runs = await api.tree.getChildren(experiment);
    assert.equal(runs.length, 6);
    assert.equal(labelOf(api, runs[0]), 'Run 6');
    assert.equal(runs[0].kind === 'run' && runs[0].run.id, invoiceRunId(6));
    const documents = (await api.tree.getChildren(runs[0])).filter((node) => node.kind === 'document');
    assert.equal(documents.length, 40);
    assert.ok(documents.some((node) => labelOf(api, node) === INVOICE_Q1.filename));
    const failed = documents.find((node) => node.kind === 'document' && node.job.status === 'error');
    assert.ok(failed, 'a failed document');
    const item = api.tree.getTreeItem(failed);
    assert.ok(typeof item.description === 'string' && item.description.length > 0, 'failed document shows a short error');
    assert.equal(item.command?.command, 'retab.openJob');
  });

  it('opens a document’s job in the panel from the tree command: what is known at once, then the seed’s job endpoint, once', async () => {
    const rendered = panelRendered(api, (state) => state.kind === 'job' && state.ref.documentId === INVOICE_JOB.documentId);
    const answered = panelRendered(api, (state) => state.kind === 'job' && state.ref.documentId === INVOICE_JOB.documentId && state.refresh?.kind === 'done');
    await vscode.commands.executeCommand('retab.openJob', INVOICE_JOB);
    const state = await rendered;
    assert.ok(state.kind === 'job');
    assert.equal(state.job.status, 'completed');
    assert.equal(state.job.handleInputs[0].filename, INVOICE_Q1.filename);
    assert.deepEqual(state.context.score, { score: 0.981, priorScore: 0.893 }, 'its score in the run, from the scores the view read');
    const jobRequests = (): number => sandbox.requests().filter((request) => request.path.endsWith(`/documents/${INVOICE_Q1.documentId}`)).length;
    const confirmed = await answered;
    assert.ok(confirmed.kind === 'job' && confirmed.fetchedAt !== null, 'the endpoint’s answer is on screen, with its time');
    assert.equal(jobRequests(), 1, 'a selection asks the job endpoint once, even for a finished job of a loaded run');
    // Refresh Job asks it again, once.
    const refreshed = panelRendered(api, (next) => next.kind === 'job' && next.ref.documentId === INVOICE_JOB.documentId && next.refresh?.kind === 'done');
    await vscode.commands.executeCommand('retab.refreshJob');
    await refreshed;
    assert.equal(jobRequests(), 2, 'the job endpoint was called once more');
  });

  it('ends on the last document when the user clicks quickly through several', async () => {
    sandbox.setFaults({ latencyMs: 300 });
    // Run 5 is not loaded, so each click waits on the server (a loaded run's jobs open at once).
    const target = invoiceJob(5, 3);
    const rendered = panelRendered(api, (state) => state.kind === 'job');
    void vscode.commands.executeCommand('retab.openJob', invoiceJob(5, 2));
    await sleep(50);
    await vscode.commands.executeCommand('retab.openJob', target);
    const state = await rendered;
    assert.equal(state.ref.documentId, target.documentId);
    await sleep(500);
    assert.equal(api.panelState()?.ref.documentId, target.documentId);
  });

  it('looks up a job from pasted ids in any order', async () => {
    const rendered = panelRendered(api, (state) => state.kind === 'job' && state.ref.documentId === invoiceDocumentId(7));
    await vscode.commands.executeCommand('retab.lookupJob', `${invoiceDocumentId(7)}, ${invoiceRunId(6)} / ${INVOICES.experimentId} ${INVOICES.workflowId}`);
    const state = await rendered;
    assert.ok(state.kind === 'job');
    assert.equal(state.job.status, 'error');
    assert.ok(state.job.error && state.job.error.includes('\n'), 'a multi-line error');
  });

  it('finds the workflow of a pasted job JSON that does not name it', async () => {
    const json = JSON.stringify({ id: 'expjob_x', run_id: invoiceRunId(5), experiment_id: INVOICES.experimentId, document_id: invoiceDocumentId(2) });
    const rendered = panelRendered(api, (state) => state.kind === 'job' && state.ref.runId === invoiceRunId(5));
    await vscode.commands.executeCommand('retab.lookupJob', json);
    const state = await rendered;
    assert.equal(state.ref.workflowId, INVOICES.workflowId);
  });

  it('hovers ids in a real document, resolving them from the ids beside them', async () => {
    const job = invoiceJob(4, 12);
    const content = JSON.stringify(wireJobRef(job), null, 2);
    const document = await vscode.workspace.openTextDocument({ language: 'json', content });
    await vscode.window.showTextDocument(document);
    const text = await hoverTextAt(document.uri, document.positionAt(content.indexOf(job.documentId) + 3));
    assert.match(text, /Open Job/);
    assert.match(text, new RegExp(job.runId));

    const runText = await hoverTextAt(document.uri, document.positionAt(content.indexOf(job.runId) + 3));
    assert.match(runText, /\*\*Run\*\*/);
  });

  it('offers "Look Up…" for an id it cannot place', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'plaintext', content: 'failed: expdoc_unknown_42 in the log' });
    const text = await hoverTextAt(document.uri, new vscode.Position(0, 12));
    assert.match(text, /Look Up/);
  });

  it('shows "not found" in the panel with a way forward', async () => {
    const rendered = panelRendered(api, (state) => state.kind === 'error');
    await vscode.commands.executeCommand('retab.openJob', { ...INVOICE_JOB, documentId: 'expdoc_missing_1' });
    const state = await rendered;
    assert.ok(state.kind === 'error');
    assert.equal(state.error.kind, 'not_found');
    assert.ok(state.error.requestId, 'request id shown for support');
  });

  it('shows an error row with Retry when the server is down, and recovers', async () => {
    // The same server dropping every connection: the key stays bound to its origin.
    sandbox.setFaults({ dropConnection: 1000 });
    await vscode.commands.executeCommand('retab.refresh');
    let seen = '';
    const children = await waitFor(
      'an error row',
      async () => {
        const nodes = await api.tree.getChildren();
        seen = nodes.map((node) => `${node.kind}:${labelOf(api, node)}`).join(', ');
        return nodes[0]?.kind === 'message' && nodes[0].severity === 'error' ? nodes : undefined;
      },
      30_000,
    ).catch((caught: unknown) => {
      throw new Error(`${String(caught)}; last seen: ${seen}`);
    });
    const row = children[0] as MessageNode;
    assert.equal(row.severity, 'error');
    assert.equal(row.action, 'retry');
    sandbox.setFaults({});
    api.tree.retry(row);
    const recovered = await waitFor(
      'workflows again',
      async () => {
        const nodes = await api.tree.getChildren();
        return nodes.some((node) => node.kind === 'workflow') && nodes[0].kind !== 'message' ? nodes : undefined;
      },
      30_000,
    );
    assert.ok(recovered.some((node) => node.kind === 'workflow'));
  });

  it('does not send the key to another server until the user allows it, and then checks it there', async () => {
    const other = await startSandbox({ api: 'g1', apiKey: 'sk_other_server_key' });
    try {
      await setBaseUrl(other.url);
      const children = await waitFor('a row asking to allow the server', async () => {
        const nodes = await api.tree.getChildren();
        return nodes.length === 1 && nodes[0].kind === 'message' ? nodes : undefined;
      });
      assert.equal((children[0] as MessageNode).action, 'useKeyForBaseUrl');
      assert.deepEqual(other.requests(), [], 'not one request reached the other server');
      // Allowed (the modal answered): the key is checked there, and that server refuses it.
      assert.equal(await vscode.commands.executeCommand<boolean>('retab.useKeyForBaseUrl', true), false);
      assert.ok(other.requests().length > 0 && other.requests().every((request) => request.apiKey === 'invalid'));
      assert.equal(((await api.tree.getChildren())[0] as MessageNode).action, 'useKeyForBaseUrl', 'still not bound there');
    } finally {
      await setBaseUrl(sandbox.url);
      await other.close();
    }
    const back = await waitFor('workflows on the first server', async () => {
      const nodes = await api.tree.getChildren();
      return nodes.some((node) => node.kind === 'workflow') ? nodes : undefined;
    });
    assert.ok(back.length > 0);
  });

  it('empties the tree when the key is cleared', async () => {
    await vscode.commands.executeCommand('retab.clearApiKey');
    assert.deepEqual(await api.tree.getChildren(), []);
  });
});
