import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RetabExtensionApi } from '../../src/extension';
import { type DocumentNode, type ExperimentNode, type FailuresNode, type RunNode, experimentNodeId, runNodeId } from '../../src/ui/tree/nodes';
import type { Sandbox } from '../sandbox/server';
import { BANK_STATEMENTS, INVOICES, invoiceDocumentId, invoiceRunId } from '../support/fixtures';
import { childById, descendById, invoiceRun6, labelOf, sleep, useHostSession, waitFor } from './support/host';

describe('Past the dashboard', function () {
  this.timeout(90_000);
  let sandbox: Sandbox;
  let api: RetabExtensionApi;
  let run: RunNode;

  after(() => {
    api?.tree.arrange('default', {}); // registered first, so it runs before the session closes
  });
  useHostSession({ api: 'g1', settings: { liveRefreshSeconds: 2 } }, async (session) => {
    ({ sandbox, api } = session);
    api.tree.refresh();
    // Settings and key changes refresh the tree as their events arrive, which may cancel a load
    // under way (a cancelled load lists nothing): childById waits for each level rather than take one read.
    run = await invoiceRun6(api);
  });

  it('shows document scores with the change against the prior run', async () => {
    const documents = (await api.tree.getChildren(run)).filter((node): node is DocumentNode => node.kind === 'document');
    const scored = documents.find((node) => node.metric?.score !== null && node.metric?.score !== undefined && node.job.status === 'completed');
    assert.ok(scored, 'a scored document');
    const description = String(api.tree.getTreeItem(scored).description);
    assert.match(description, /\d+\.\d%/);
    const runDescription = String(api.tree.getTreeItem(run).description);
    assert.match(runDescription, /[▲▼=]/);
  });

  it('groups failures by cause, largest group first', async () => {
    const failures = (await api.tree.getChildren(run)).find((node): node is FailuresNode => node.kind === 'failures');
    assert.ok(failures, 'a Failures node');
    const groups = await api.tree.getChildren(failures);
    assert.ok(groups.length >= 1);
    const sizes = groups.map((group) => (group.kind === 'failureGroup' ? group.group.jobs.length : 0));
    assert.deepEqual(
      [...sizes].sort((a, b) => b - a),
      sizes,
    );
    const documents = await api.tree.getChildren(groups[0]);
    assert.equal(documents.length, sizes[0]);
    assert.ok(documents.every((node) => node.kind === 'document' && node.job.status === 'error'));
  });

  it('sorts and filters documents and says so in the view', async () => {
    api.tree.arrange('score', { statuses: ['completed'] });
    const documents = (await api.tree.getChildren(run)).filter((node): node is DocumentNode => node.kind === 'document');
    assert.ok(documents.length > 0);
    assert.ok(documents.every((node) => node.job.status === 'completed'));
    const scores = documents.map((node) => node.metric?.score ?? Infinity);
    assert.deepEqual(
      [...scores].sort((a, b) => a - b),
      scores,
    );
    api.tree.arrange('default', {});
  });

  it('opens an artifact as read-only JSON', async () => {
    const document = (await api.tree.getChildren(run)).find((node): node is DocumentNode => node.kind === 'document' && node.job.artifact !== null);
    assert.ok(document);
    await vscode.commands.executeCommand('retab.openArtifact', document);
    const editor = await waitFor('the artifact editor', () =>
      vscode.window.activeTextEditor?.document.uri.scheme === 'retab' ? vscode.window.activeTextEditor : undefined,
    );
    assert.equal(editor.document.languageId, 'json');
    const record = JSON.parse(editor.document.getText()) as { id?: string };
    assert.equal(record.id, document.job.artifact?.id);
  });

  it('compares a document across runs in the diff editor', async () => {
    const document = (await api.tree.getChildren(run)).find((node): node is DocumentNode => node.kind === 'document' && node.job.artifact !== null);
    assert.ok(document);
    const compared = await vscode.commands.executeCommand<boolean>('retab.compareWithRun', document, invoiceRunId(5));
    assert.equal(compared, true);
    const tabs = vscode.window.tabGroups.all.flatMap((group) => group.tabs);
    const diffs = tabs.filter((tab) => tab.input instanceof vscode.TabInputTextDiff);
    assert.ok(
      diffs.some((tab) => tab.label.includes(invoiceRunId(5))),
      tabs.map((tab) => tab.label).join(', '),
    );
  });

  it('compares a document across runs down to its fields', async () => {
    const document = (await api.tree.getChildren(run)).find(
      (node): node is DocumentNode => node.kind === 'document' && node.job.documentId === invoiceDocumentId(1),
    );
    assert.ok(document);
    assert.equal(await vscode.commands.executeCommand<boolean>('retab.compareWithRun', document, invoiceRunId(5)), true);
    const tab = vscode.window.tabGroups.all
      .flatMap((group) => group.tabs)
      .find((candidate) => candidate.input instanceof vscode.TabInputTextDiff && candidate.label.includes(`fields in ${invoiceRunId(5)}`));
    assert.ok(tab && tab.input instanceof vscode.TabInputTextDiff, 'a diff of the fields');
    const [before, after] = await Promise.all([vscode.workspace.openTextDocument(tab.input.original), vscode.workspace.openTextDocument(tab.input.modified)]);
    const score = (text: string): unknown => (JSON.parse(text) as { fields: Record<string, { score: unknown }> }).fields['vendor.name'].score;
    assert.deepEqual([score(before.getText()), score(after.getText())], [0.6, 1], 'vendor.name went from 60% to 100%');
  });

  it('exports a run to CSV', async () => {
    const target = vscode.Uri.file(path.join(os.tmpdir(), `retab-export-${Date.now()}.csv`));
    await vscode.commands.executeCommand('retab.exportRun', run, target);
    const lines = fs.readFileSync(target.fsPath, 'utf8').trim().split(/\r\n/);
    assert.equal(lines[0], 'document_id,job_id,filename,status,score,duration_ms,error,artifact_operation,artifact_id');
    assert.ok(lines.length >= 41, `${lines.length} lines`);
  });

  it('makes document ids clickable when they can be placed', async () => {
    const content = `run ${invoiceRunId(6)} of ${INVOICES.experimentId} in ${INVOICES.workflowId} failed on ${invoiceDocumentId(7)}`;
    const document = await vscode.workspace.openTextDocument({ language: 'plaintext', content });
    const links = await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', document.uri);
    const link = links.find((candidate) => document.getText(candidate.range) === invoiceDocumentId(7));
    assert.ok(link?.target, 'a link on the document id');
    assert.match(decodeURIComponent(link.target.toString()), new RegExp(`retab\\.openJob.*${invoiceDocumentId(7)}`));
  });

  it('starts a run that appears at once, goes live and finishes', async () => {
    const experiment = await descendById<ExperimentNode>(api, [INVOICES.workflowId, INVOICES.experimentId]);
    const before = (await api.tree.getChildren(experiment)).length;
    const started = await vscode.commands.executeCommand<{ runId: string }>('retab.startRun', experiment, {
      nConsensus: 3,
      retryFailedOnly: false,
      confirmed: true,
    });
    assert.ok(started?.runId);
    const current = api.tree.shownNode(experimentNodeId(INVOICES.experimentId)) ?? experiment;
    const runs = await api.tree.getChildren(current);
    assert.equal(runs.length, before + 1);
    assert.equal(labelOf(api, runs[0]), `Run ${before + 1}`);
    assert.equal(runs[0].kind === 'run' && runs[0].run.id, started.runId);

    // Live updates: the expanded experiment is polled until the new run reaches a final status.
    const finished = await waitFor(
      'the started run to finish through live updates',
      () => {
        const status = api.repository.knownRun(started.runId)?.run.status;
        return status && ['completed', 'error', 'cancelled'].includes(status) ? status : undefined;
      },
      60_000,
    );
    assert.ok(finished);
  });

  it('does not spin when the server asks to wait longer than a timer can hold', async () => {
    const experiment = await descendById<ExperimentNode>(api, [INVOICES.workflowId, INVOICES.experimentId]);
    const started = await vscode.commands.executeCommand<{ runId: string }>('retab.startRun', experiment, {
      nConsensus: 3,
      retryFailedOnly: false,
      confirmed: true,
    });
    assert.ok(started?.runId);
    // 2,147,484 s is just past what setTimeout can hold (2^31 − 1 ms): it used to fire at once, ~1,300 times in 5 s.
    sandbox.setFaults({ status429: { count: 100_000, retryAfterSeconds: 2_147_484 } });
    const before = sandbox.requests().length;
    await sleep(5_000);
    const during = sandbox.requests().length - before;
    sandbox.setFaults({});
    assert.ok(during <= 4, `${during} requests in 5 s`);
    // Leave nothing live behind: later tests refresh the tree and must not race a live update.
    await vscode.commands.executeCommand('retab.cancelRun', api.tree.shownNode(runNodeId(started.runId)) ?? experiment, true);
    await waitFor(
      'the run to end',
      async () => {
        const runs = await api.repository.listRuns(INVOICES.workflowId, INVOICES.experimentId, { force: true });
        const status = runs.find((candidate) => candidate.id === started.runId)?.status;
        return status && ['completed', 'error', 'cancelled'].includes(status) ? status : undefined;
      },
      60_000,
    );
  });

  it('tells stale and missing scores apart from errors', async () => {
    const oldest = await descendById(api, [INVOICES.workflowId, INVOICES.experimentId, invoiceRunId(1)]);
    const children = await api.tree.getChildren(oldest);
    const notice = children.find((node) => node.kind === 'message');
    assert.ok(notice && notice.kind === 'message' && notice.severity === 'empty', 'an informational row, not an error');
    assert.match(notice.text, /stale/i);
    assert.match(String(api.tree.getTreeItem(oldest).description), /older definition/);
  });

  it('marks stale experiments, drifted schemas and placeholder documents', async () => {
    const workflow = await childById(api, undefined, INVOICES.workflowId);
    const stale = await childById(api, workflow, INVOICES.staleExperimentId);
    const description = String(api.tree.getTreeItem(stale).description);
    assert.match(description, /stale/);
    assert.match(description, /schema drifted/);
    const neverRun = await childById(api, workflow, INVOICES.draftExperimentId);
    const children = await api.tree.getChildren(neverRun);
    assert.equal(children[0].kind, 'message', 'a draft experiment says it has no runs');
    const placeholders = children.filter((node): node is DocumentNode => node.kind === 'document');
    assert.ok(placeholders.length > 0 && placeholders.every((node) => node.job.isPlaceholder));
    const item = api.tree.getTreeItem(placeholders[0]);
    assert.match(String(item.description), /not run yet/);
    assert.equal(item.command, undefined, 'a placeholder has no job to open');
  });

  it('keeps showing saved lists under a banner when the server fails', async () => {
    sandbox.setFaults({ status500: 100 });
    try {
      // As a person does: Refresh (the lists are read again, and fail).
      await vscode.commands.executeCommand('retab.refresh');
      // The failing requests are retried first (with backoff), and the view asks for its rows too.
      const nodes = await waitFor(
        'the saved lists under their banner',
        async () => {
          const rows = await api.tree.getChildren();
          return rows[0]?.kind === 'message' ? rows : undefined;
        },
        20_000,
      );
      assert.equal(nodes[0].kind, 'message');
      assert.match(labelOf(api, nodes[0]), /Saved data/);
      assert.ok(
        nodes.some((node) => node.kind === 'workflow'),
        'the saved workflows are still listed',
      );
      assert.ok(api.repository.offline, 'the repository knows it is showing saved data');
    } finally {
      sandbox.setFaults({});
      await vscode.commands.executeCommand('retab.refresh');
    }
    const recovered = await api.tree.getChildren();
    assert.equal(recovered[0].kind, 'workflow');
    assert.equal(api.repository.offline, undefined);
  });

  it('explains, without starting anything, that there is nothing to retry', async () => {
    const experiment = await descendById(api, [INVOICES.workflowId, INVOICES.staleExperimentId]);
    const started = await vscode.commands.executeCommand('retab.startRun', experiment, { nConsensus: 3, retryFailedOnly: true, confirmed: true });
    assert.equal(started, undefined);
    const posts = sandbox.requests().filter((request) => request.method === 'POST' && request.path.endsWith(`/${INVOICES.staleExperimentId}/run`));
    assert.equal(posts.length, 1, 'one attempt, never retried');
    assert.equal(posts[0].status, 409);
  });

  it('cancels a running run after confirmation and shows it cancelled', async () => {
    const experiment = await descendById(api, [BANK_STATEMENTS.workflowId, BANK_STATEMENTS.runningExperimentId]);
    const runs = await api.tree.getChildren(experiment);
    const running = runs.find((node): node is RunNode => node.kind === 'run' && node.run.status === 'running');
    assert.ok(running, 'a running run');
    try {
      assert.equal(await vscode.commands.executeCommand('retab.cancelRun', running, true), true);
      const current = api.tree.shownNode(experimentNodeId(BANK_STATEMENTS.runningExperimentId)) ?? experiment;
      const after = await api.tree.getChildren(current);
      const cancelled = after.find((node): node is RunNode => node.kind === 'run' && node.run.id === running.run.id);
      assert.equal(cancelled?.run.status, 'cancelled');
    } finally {
      sandbox.reset();
    }
  });
});
