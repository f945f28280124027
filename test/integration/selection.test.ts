import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RetabExtensionApi } from '../../src/extension';
import type { PanelState } from '../../src/ui/panel/jobView';
import type { ApiGeneration, Sandbox } from '../sandbox/server';
import { INVOICES, invoiceJob, invoiceRunId } from '../support/fixtures';
import { descendById, jobRefreshed, panelRendered, sleep, useHostSession } from './support/host';

/** Each generation's endpoint for one job, as the sandbox logs its path (G1p has none: its run's content). */
const ENDPOINT: Record<ApiGeneration, RegExp> = {
  g1: /\/runs\/exprun_inv_\d\/documents\/expdoc_inv_\d+$/,
  g1p: /\/experiments\/exp_invoices_v2\/content$/,
  g2: /^\/v1\/workflows\/experiments\/results\/expresult_/,
  g3: /^\/v1\/workflows\/experiments\/results\/expresult_/,
};

function isJobOf(documentId: string, refresh?: string): (state: PanelState) => boolean {
  return (state) => state.kind === 'job' && state.ref.documentId === documentId && (refresh === undefined || state.refresh?.kind === refresh);
}

/**
 * Selecting a document in a real extension host, on each generation: what is known is drawn at
 * once, the job's endpoint asked once (G1p: a finished run's content is final), the answer put in
 * place, a failure kept beside the known state, a superseded selection cancelled; and the
 * Document section reading the job's file only once it is opened.
 */
for (const generation of ['g1', 'g1p', 'g2', 'g3'] as const) {
  describe(`Selecting a document on a ${generation.toUpperCase()} server`, function () {
    this.timeout(90_000);
    let sandbox: Sandbox;
    let api: RetabExtensionApi;
    const endpointRequests = (): number => sandbox.requests().filter((request) => ENDPOINT[generation].test(request.path)).length;

    useHostSession({ api: generation }, async (session) => {
      ({ sandbox, api } = session);
      api.tree.refresh();
      await descendById(api, [INVOICES.workflowId, INVOICES.experimentId, invoiceRunId(6)]);
      // The panel exists and its page is up, as after a first click.
      const up = panelRendered(api, isJobOf(invoiceJob(6, 2).documentId));
      await vscode.commands.executeCommand('retab.openJob', invoiceJob(6, 2));
      await up;
    });

    /** Run 6 as the tree holds it (the key set at the session's start may clear caches after the tree first loaded). */
    const runLoaded = async (): Promise<void> => {
      await api.repository.listRuns(INVOICES.workflowId, INVOICES.experimentId);
      await api.repository.getRunContent(INVOICES.workflowId, INVOICES.experimentId, invoiceRunId(6));
    };

    it('draws what is known at once, then asks the job’s endpoint once and puts its answer in place', async () => {
      const job = invoiceJob(6, 4);
      await runLoaded();
      const before = endpointRequests();
      const known = panelRendered(api, isJobOf(job.documentId));
      const asked = jobRefreshed(api, job.documentId);
      await vscode.commands.executeCommand('retab.openJob', job);
      const first = await known;
      assert.ok(first.kind === 'job' && first.refresh?.kind === 'pending' && first.fetchedAt === null, 'no spinner: the run’s list first');
      await asked;
      const state = api.panelState();
      assert.ok(state?.kind === 'job');
      if (generation === 'g1p') {
        assert.equal(state.refresh?.kind, 'final', 'a finished run’s content is the job');
        assert.equal(endpointRequests() - before, 0);
      } else {
        assert.equal(state.refresh?.kind, 'done');
        assert.ok(state.fetchedAt !== null);
        assert.equal(endpointRequests() - before, 1, 'one request for one selection');
      }
    });

    if (generation === 'g1p') {
      return;
    }

    it('keeps the known state with a line that says the refresh failed, and retries', async () => {
      const job = invoiceJob(6, 5);
      await runLoaded();
      sandbox.setFaults({ status500: 5, pathFilter: generation === 'g1' ? '/documents/' : '/results/' });
      const failed = panelRendered(api, isJobOf(job.documentId, 'failed'));
      await vscode.commands.executeCommand('retab.openJob', job);
      const state = await failed;
      assert.ok(state.kind === 'job' && state.job.documentId === job.documentId, 'the job is still on screen');
      assert.ok(state.kind === 'job' && state.refresh?.kind === 'failed' && /500|server/i.test(JSON.stringify(state.refresh.error)));
      sandbox.setFaults({});
      const done = panelRendered(api, isJobOf(job.documentId, 'done'));
      await vscode.commands.executeCommand('retab.refreshJob');
      await done;
    });

    it('cancels the request of a selection the person moved on from', async () => {
      sandbox.setFaults({ latencyMs: 600, pathFilter: generation === 'g1' ? '/documents/' : '/results/' });
      const first = invoiceJob(6, 8);
      const target = invoiceJob(6, 9);
      const before = endpointRequests();
      const done = panelRendered(api, isJobOf(target.documentId, 'done'));
      void vscode.commands.executeCommand('retab.openJob', first);
      await sleep(300); // settled and asked; the answer is 600 ms away
      await vscode.commands.executeCommand('retab.openJob', target);
      await done;
      await sleep(700);
      const state = api.panelState();
      assert.equal(state?.ref.documentId, target.documentId, 'the later selection stays on screen');
      assert.ok(endpointRequests() - before >= 2);
      sandbox.setFaults({});
    });

    it('opens the Document section only when asked, and reads the file once', async () => {
      const job = invoiceJob(6, 10);
      const downloadsBefore = sandbox.downloads().length;
      const shown = panelRendered(api, isJobOf(job.documentId, 'done'));
      await vscode.commands.executeCommand('retab.openJob', job);
      const state = await shown;
      assert.ok(state.kind === 'job' && !state.document?.open);
      assert.equal(sandbox.downloads().length, downloadsBefore, 'nothing downloaded while the section is closed');
      await vscode.commands.executeCommand('retab.showJobDocument');
      const document = api.panelState();
      assert.ok(document?.kind === 'job' && document.document?.open);
      if (generation === 'g1') {
        // The seed's generation predates the files API: the section says why it shows nothing.
        assert.ok(['unnamed', 'error'].includes(document.document?.content.kind ?? ''), JSON.stringify(document.document?.content));
        return;
      }
      assert.equal(document.document?.content.kind, 'shown', JSON.stringify(document.document?.content));
      assert.equal(sandbox.downloads().length, downloadsBefore + 1);
      assert.ok(
        sandbox.downloads().every((request) => !request.carriedKey),
        'the key stays with the API',
      );
      // Back to it later: no second download.
      await vscode.commands.executeCommand('retab.openJob', invoiceJob(6, 11));
      await sleep(400);
      await vscode.commands.executeCommand('retab.openJob', job);
      await sleep(400);
      assert.ok(sandbox.downloads().filter((request) => request.path.includes(invoiceFileToken(document))).length <= 1);
    });
  });
}

/** The file id on screen, which download paths start with. */
function invoiceFileToken(state: PanelState): string {
  return state.kind === 'job' && state.document?.content.kind === 'shown' ? (state.document.content.file.fileId ?? '') : '';
}
