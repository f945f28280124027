import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RetabExtensionApi } from '../../src/extension';
import type { FieldsContent } from '../../src/ui/panel/fieldsView';
import type { PanelState } from '../../src/ui/panel/jobView';
import { fieldValueText, fieldValueUri } from '../../src/ui/documents/fieldValueDocument';
import { buildCatalog } from '../sandbox/data';
import type { Sandbox, SandboxRequest } from '../sandbox/server';
import { INVOICES, invoiceDocumentId, invoiceJob, invoiceRunId } from '../support/fixtures';
import { descendById, jobRefreshed, panelRendered, sleep, useHostSession } from './support/host';

type Loaded = Extract<FieldsContent, { kind: 'loaded' }>;

function fieldsOf(state: PanelState | undefined): FieldsContent | undefined {
  return state?.kind === 'job' ? state.fields?.content : undefined;
}

/** The panel put this document's loaded Fields section on screen. */
function fieldsShown(documentId: string): (state: PanelState) => boolean {
  return (state) => state.ref.documentId === documentId && fieldsOf(state)?.kind === 'loaded';
}

/** The panel put these votes on screen. */
function votesShown(documentId: string, path: string): (state: PanelState) => boolean {
  return (state) => {
    const content = fieldsOf(state);
    return state.ref.documentId === documentId && content?.kind === 'loaded' && content.votes?.kind === 'loaded' && content.votes.path === path;
  };
}

function loaded(state: PanelState): Loaded {
  const content = fieldsOf(state);
  assert.ok(content?.kind === 'loaded', `fields loaded, got ${JSON.stringify(content)}`);
  return content;
}

function metricsRequests(sandbox: Sandbox, view: string, documentId?: string): SandboxRequest[] {
  return sandbox.requests().filter((request) => request.query.view === view && (!documentId || request.query.document_id === documentId));
}

/** Opens a job and waits until the panel shows it (with its Fields section loaded when it is open). */
async function openJob(api: RetabExtensionApi, job: ReturnType<typeof invoiceJob>, withFields: boolean): Promise<PanelState> {
  const rendered = panelRendered(
    api,
    (state) =>
      state.kind === 'job' && state.ref.runId === job.runId && state.ref.documentId === job.documentId && (!withFields || fieldsOf(state)?.kind === 'loaded'),
  );
  await vscode.commands.executeCommand('retab.openJob', job);
  return rendered;
}

/** Each generation's endpoint for one job, as the sandbox logs its path. */
const JOB_ENDPOINT = { g1: /\/runs\/[^/]+\/documents\/[^/]+$/, g3: /^\/v1\/workflows\/experiments\/results\/expresult_/ } as const;

/**
 * The job panel's Fields section, driven as its buttons drive it (the commands the page's
 * messages call), against each route family: lazy, cached, cancelled when the user moves on.
 */
for (const generation of ['g1', 'g3'] as const) {
  describe(`Job panel Fields section on a ${generation.toUpperCase()} server`, function () {
    this.timeout(90_000);
    let sandbox: Sandbox;
    let api: RetabExtensionApi;

    useHostSession({ api: generation }, async (session) => {
      ({ sandbox, api } = session);
      api.tree.refresh();
      // The run is loaded as the tree loads it: a finished run's field views are then kept.
      await descendById(api, [INVOICES.workflowId, INVOICES.experimentId, invoiceRunId(6)]);
    });

    it('fetches a document’s fields only when the section is opened, once, disagreeing first', async () => {
      const first = invoiceJob(6, 1);
      const state = await openJob(api, first, false);
      assert.equal(fieldsOf(state)?.kind, 'idle', 'closed, and nothing asked');
      assert.equal(metricsRequests(sandbox, 'by_document').length, 0);

      const shown = panelRendered(api, fieldsShown(first.documentId));
      await vscode.commands.executeCommand('retab.showJobFields');
      const fields = loaded(await shown);
      assert.equal(metricsRequests(sandbox, 'by_document', first.documentId).length, 1);
      const total = fields.fields.fields.find((field) => field.path === 'invoice.total');
      assert.equal(total?.score, 0.8);
      const issueDate = fields.fields.fields.find((field) => field.path === 'invoice.issue_date');
      assert.ok(issueDate?.score !== null && issueDate !== undefined && issueDate.score < 1);
      assert.equal(metricsRequests(sandbox, 'votes').length, 0, 'no votes before a field is chosen');
    });

    it('shows the votes of the chosen field, the differing one among them', async () => {
      const first = invoiceJob(6, 1);
      const shown = panelRendered(api, votesShown(first.documentId, 'invoice.total'));
      await vscode.commands.executeCommand('retab.showFieldVotes', 'invoice.total');
      const content = loaded(await shown);
      assert.ok(content.votes?.kind === 'loaded');
      const [row] = content.votes.votes.rows;
      assert.equal(row.votes.length, 5);
      assert.equal(row.votes.filter((vote) => JSON.stringify(vote) !== JSON.stringify(row.consensus)).length, 1, 'one voter differs');
      assert.equal(metricsRequests(sandbox, 'votes', first.documentId).length, 1);
    });

    it('shows a job opened again with its Fields open, from what was fetched: only the job’s endpoint is asked', async () => {
      // Another document: the section stays open, so its fields load too.
      await openJob(api, invoiceJob(6, 2), true);
      const before = sandbox.requests().length;
      const asked = jobRefreshed(api, invoiceDocumentId(1));
      const again = await openJob(api, invoiceJob(6, 1), true);
      assert.equal(fieldsOf(again)?.kind, 'loaded');
      const shown = panelRendered(api, votesShown(invoiceDocumentId(1), 'invoice.total'));
      await vscode.commands.executeCommand('retab.showFieldVotes', 'invoice.total');
      await shown;
      await asked;
      assert.deepEqual(
        sandbox
          .requests()
          .slice(before)
          .map((request) => request.path)
          .filter((path) => !JOB_ENDPOINT[generation].test(path)),
        [],
        'no field scores or votes fetched again',
      );
      assert.equal(
        sandbox
          .requests()
          .slice(before)
          .filter((request) => JOB_ENDPOINT[generation].test(request.path)).length,
        1,
        'the selection asked its job once',
      );
    });

    it('has the whole of a long value for "Show All", from the votes already fetched', async () => {
      const notes = { ...invoiceJob(5, 7) };
      const ref = { workflowId: notes.workflowId, experimentId: notes.experimentId, runId: notes.runId, documentId: notes.documentId };
      const votes = await api.repository.getFieldVotes(ref, 'notes');
      assert.ok(votes.kind === 'votes');
      const before = sandbox.requests().length;
      const consensus = await fieldValueText(api.repository, fieldValueUri(ref, 'notes', { row: 0 }, 'text'));
      assert.ok(consensus.length > 10_000, `${consensus.length} characters`);
      assert.equal(consensus, votes.rows[0].consensus);
      const voter = await fieldValueText(api.repository, fieldValueUri(ref, 'notes', { row: 0, voter: 1 }, 'text'));
      assert.equal(voter, votes.rows[0].votes[1]);
      assert.match(await fieldValueText(api.repository, fieldValueUri(ref, 'notes', { row: 9 }, 'text')), /no such value/);
      assert.equal(sandbox.requests().length, before, 'read from what was fetched');
    });

    it('opens the whole of a value as a read-only retab: document', async () => {
      const ref = invoiceJob(5, 7);
      const votes = await api.repository.getFieldVotes(ref, 'notes');
      assert.ok(votes.kind === 'votes');
      // What "Show All" opens: the retab: document provider hands these URIs to fieldValueText.
      const document = await vscode.workspace.openTextDocument(fieldValueUri(ref, 'notes', { row: 0, voter: 2 }, 'text'));
      assert.equal(document.getText(), votes.rows[0].votes[2]);
    });

    it('drops a slow answer for a job the user moved away from', async () => {
      sandbox.setFaults({ latencyMs: 600 });
      try {
        const slow = invoiceJob(6, 3);
        const next = invoiceJob(6, 4);
        // The section is open: opening the job starts its fields request, which the next open cancels.
        void vscode.commands.executeCommand('retab.openJob', slow);
        await sleep(150);
        const state = await openJob(api, next, true);
        assert.equal(loaded(state).fields.document.id, next.documentId);
        await sleep(900);
        assert.equal(api.panelState()?.ref.documentId, next.documentId);
        assert.equal(loaded(api.panelState() as PanelState).fields.document.id, next.documentId);
      } finally {
        sandbox.setFaults({});
      }
    });
  });
}

describe('Job panel Fields section of a classifier', function () {
  this.timeout(90_000);
  const catalog = buildCatalog();
  const experiment = catalog.experimentById.get('exp_LVkQmjSpd3wL');
  let api: RetabExtensionApi;
  let sandbox: Sandbox;

  useHostSession({ api: 'g3' }, async (session) => {
    ({ sandbox, api } = session);
    assert.ok(experiment, 'the classifier experiment is seeded');
    api.tree.refresh();
    await descendById(api, [experiment.workflowId, experiment.id, 'exprun_EPeBPC3oQPdHSr']);
  });

  it('shows where the votes flowed', async () => {
    assert.ok(experiment);
    const job = { workflowId: experiment.workflowId, experimentId: experiment.id, runId: 'exprun_EPeBPC3oQPdHSr', documentId: experiment.documents[0].id };
    await openJob(api, job, false);
    const shown = panelRendered(api, fieldsShown(job.documentId));
    await vscode.commands.executeCommand('retab.showJobFields');
    const fields = loaded(await shown);
    assert.ok(fields.fields.confusion, 'a confusion for a classifier');
    assert.ok(fields.fields.confusion.diagonal.length > 0);
    assert.equal(metricsRequests(sandbox, 'by_document', job.documentId).length, 1);
  });
});
