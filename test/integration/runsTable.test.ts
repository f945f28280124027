import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RunsTable } from '../../src/analysis/runsTable';
import type { RetabExtensionApi } from '../../src/extension';
import type { RunsTablePanel } from '../../src/ui/runsTable/runsTablePanel';
import type { ExperimentNode } from '../../src/ui/tree/nodes';
import type { Sandbox } from '../sandbox/server';
import { INVOICES } from '../support/fixtures';
import { descendById, useHostSession, waitFor } from './support/host';

const TUNING = 'exp_invoices_tuning';

async function shownTable(table: RunsTablePanel): Promise<RunsTable> {
  return waitFor('the Runs table', () => table.currentTable, 20_000);
}

/**
 * The Runs table in a real extension host (G3): what it reads and reuses, what it shows for an
 * experiment of twelve runs whose fields change, where its cells lead, what it exports, and the
 * compare tool's table for agents.
 */
describe('The Runs table (G3)', function () {
  this.timeout(90_000);
  let sandbox: Sandbox;
  let api: RetabExtensionApi;
  let experiment: ExperimentNode;

  useHostSession({ api: 'g3' }, async (session) => {
    ({ sandbox, api } = session);
    api.tree.refresh();
    experiment = await descendById<ExperimentNode>(api, [INVOICES.workflowId, TUNING]);
    await api.tree.getChildren(experiment);
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('reads each run’s scores once: at most one request a run the first time, none the second', async () => {
    const before = sandbox.requests().length;
    const table = await vscode.commands.executeCommand<RunsTablePanel>('retab.compareRuns', experiment);
    const shown = await shownTable(table);
    const first = sandbox.requests().slice(before);
    assert.equal(shown.columns.length, 12);
    assert.ok(first.length <= 12, `${first.length} requests for 12 runs: ${first.map((request) => request.path).join(', ')}`);
    assert.ok(first.every((request) => request.path.endsWith('/metrics') && request.query.view === 'summary'));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const again = sandbox.requests().length;
    const reopened = await vscode.commands.executeCommand<RunsTablePanel>('retab.compareRuns', experiment);
    await shownTable(reopened);
    assert.equal(sandbox.requests().length, again, 'no request the second time');
  });

  it('shows every run newest first, the definition changes and missing scores, the regression after an edit', async () => {
    const table = await shownTable(await vscode.commands.executeCommand<RunsTablePanel>('retab.compareRuns', experiment));
    assert.deepEqual(
      table.columns.map((column) => column.number),
      [12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1],
    );
    assert.deepEqual(
      table.columns.filter((column) => column.definitionChanged).map((column) => column.number),
      [8, 4],
    );
    assert.equal(table.columns.find((column) => column.number === 10)?.state, 'stale');
    assert.equal(table.columns.find((column) => column.number === 3)?.state, 'no_metrics');
    const vat = table.rows.find((row) => row.key === 'vendor.vat_id');
    const eight = table.columns.findIndex((column) => column.number === 8);
    assert.ok(vat && (vat.cells[eight].delta ?? 0) < -0.15, `vendor.vat_id dropped with run 8: ${JSON.stringify(vat?.cells[eight])}`);
    const due = table.rows.find((row) => row.key === 'invoice.due_date');
    assert.deepEqual(
      due?.cells.slice(-3).map((cell) => cell.score),
      [null, null, null],
      'invoice.due_date is extracted from run 4 on',
    );
  });

  it('opens a document cell’s job in that run with its Fields section, and exports Markdown', async () => {
    const table = await vscode.commands.executeCommand<RunsTablePanel>('retab.compareRuns', experiment);
    await shownTable(table);
    table.setMode('documents');
    const documents = await waitFor('the documents table', () => (table.currentTable?.rowKind === 'document' ? table.currentTable : undefined));
    const row = documents.rows[0];
    const column = documents.columns.findIndex((candidate) => candidate.number === 9);
    await table.openCell(column, row.key);
    const state = await waitFor('the job of that document in run 9', () => {
      const shown = api.panelState();
      return shown?.kind === 'job' && shown.ref.documentId === row.key && shown.ref.runId === documents.columns[column].runId ? shown : undefined;
    });
    assert.equal(state.ref.experimentId, TUNING);
    const markdown = await table.export('markdown', { sort: { by: 'regression' }, filter: '' });
    assert.ok(markdown?.startsWith('### Runs of Invoice fields – tuning'));
    assert.equal(await vscode.env.clipboard.readText(), markdown);
  });

  it('answers agents the same table, regression first, for the runs they name', async () => {
    const runs = api.repository.knownRunsOf(TUNING);
    const result = await vscode.lm.invokeTool('retab_compareDocumentAcrossRuns', {
      input: { runIds: runs.slice(0, 6).map((entry) => entry.id) },
      toolInvocationToken: undefined,
    });
    const text = result.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : '')).join('');
    assert.match(text, /^Experiment exp_invoices_tuning: 6 runs, newest first/);
    assert.match(text, /Field \| Run 12 \| Run 11 \| Run 10 \(stale metrics\) \| Run 9 \| Run 8 \(definition changed\) \| Run 7/);
    assert.match(text, /vendor\.vat_id \| /);
    const malformed = await vscode.lm.invokeTool('retab_compareDocumentAcrossRuns', {
      input: { runIds: [runs[0].id, 'not a run'] },
      toolInvocationToken: undefined,
    });
    assert.match(
      malformed.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : '')).join(''),
      /Input "runIds\[1\]" must be a Retab id/,
    );
    const wrong = await vscode.lm.invokeTool('retab_compareDocumentAcrossRuns', {
      input: { runIds: ['exprun_inv_6', runs[0].id] },
      toolInvocationToken: undefined,
    });
    assert.match(
      wrong.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : '')).join(''),
      /Not runs of experiment exp_invoices_tuning: exprun_inv_6|Error/,
    );
  });
});
