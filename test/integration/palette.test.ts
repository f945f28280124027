import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RetabExtensionApi } from '../../src/extension';
import type { PanelState } from '../../src/ui/panel/jobView';
import { INVOICES, invoiceJob, invoiceRunId } from '../support/fixtures';
import { descendById, panelRendered, sleep, useHostSession } from './support/host';

/**
 * What lives in a context menu or the panel also works from the palette: Next/Previous Document
 * step through the run as the tree shows it, and a command without its row asks with quick picks.
 */
describe('The palette reaches everything', function () {
  this.timeout(60_000);
  let api: RetabExtensionApi;

  useHostSession({ api: 'g3' }, async (session) => {
    ({ api } = session);
    api.tree.refresh();
    await descendById(api, [INVOICES.workflowId, INVOICES.experimentId, invoiceRunId(6)]);
  });

  const showing = (documentId: string) => (state: PanelState) => state.kind === 'job' && state.ref.documentId === documentId;

  it('steps to the next and previous document of the run in the job panel', async () => {
    const first = invoiceJob(6, 2);
    const opened = panelRendered(api, showing(first.documentId));
    await vscode.commands.executeCommand('retab.openJob', first);
    await opened;
    const next = await vscode.commands.executeCommand<{ documentId: string } | undefined>('retab.nextDocument');
    assert.ok(next && next.documentId !== first.documentId, 'another document');
    const state = api.panelState();
    assert.ok(state?.kind === 'job' && state.ref.documentId === next.documentId, 'the panel shows it');
    const back = await vscode.commands.executeCommand<{ documentId: string } | undefined>('retab.previousDocument');
    assert.equal(back?.documentId, first.documentId);
  });

  it('asks with quick picks for what a row would have given (Copy ID of a workflow)', async () => {
    await vscode.env.clipboard.writeText('');
    const copying = Promise.resolve(vscode.commands.executeCommand('retab.copyId'));
    let done = false;
    void copying.finally(() => (done = true));
    // "Workflow" is the first choice, then the first workflow listed: accept each pick as it shows.
    for (let attempt = 0; attempt < 40 && !done; attempt++) {
      await sleep(250);
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    }
    await copying;
    const workflows = await api.repository.listWorkflows(undefined);
    assert.equal(await vscode.env.clipboard.readText(), workflows.workflows[0]?.id);
  });
});
