/**
 * The benchmark's figures for the Runs table (main section, G3, 50 ms a request): requests to open
 * it for the twelve-run experiment the first and the second time, and the time to build and draw
 * a 20-run × 200-field table (and a 20-run × 5,000-document one, virtualised) in the real webview.
 */
import * as vscode from 'vscode';
import { RunInput, buildRunsTable } from '../../src/analysis/runsTable';
import type { RetabExtensionApi } from '../../src/extension';
import type { RunMetrics, RunSummary } from '../../src/api/models';
import type { RunsTablePanel } from '../../src/ui/runsTable/runsTablePanel';
import type { ExperimentNode } from '../../src/ui/tree/nodes';
import { INVOICES } from '../support/fixtures';
import { descendById } from '../support/tree';
import { waitFor } from '../support/wait';
import { Generation, RequestProbe, emit, median, round, stats } from './common';

export const RUNS_TABLE_FIRST_REQUESTS_TARGET = 20;
export const RUNS_TABLE_RENDER_TARGET_MS = 100;

function syntheticInputs(runs: number, rows: number, mode: 'fields' | 'documents'): RunInput[] {
  return Array.from({ length: runs }, (_, index): RunInput => {
    const number = index + 1;
    const run = {
      id: `exprun_bench_${number}`,
      status: 'completed',
      score: 0.8,
      documentCount: mode === 'documents' ? rows : 40,
      errorCount: 1,
      createdAt: new Date(Date.UTC(2026, 2, number)).toISOString(),
      definitionFingerprint: `def${Math.floor(index / 5)}`,
    } as RunSummary;
    const scores = Array.from({ length: rows }, (_, row) => ({
      key: `${mode === 'fields' ? 'field' : 'expdoc'}_${row}`,
      score: ((row * 7 + number * 13) % 100) / 100,
    }));
    const metrics: RunMetrics = {
      kind: 'summary',
      experimentId: 'exp_bench',
      runId: run.id,
      blockKind: 'extract',
      score: 0.8,
      priorScore: null,
      priorRunId: null,
      documents: mode === 'documents' ? scores.map(({ key, score }) => ({ id: key, filename: `${key}.pdf`, score, priorScore: null })) : [],
      fields: mode === 'fields' ? { kind: 'path', scores: scores.map(({ key, score }) => ({ path: key, score })), total: rows } : null,
      aggregate: null,
    };
    return { run, number, metrics };
  });
}

async function drawn(table: RunsTablePanel, draw: () => void): Promise<{ ms: number; cells: number }> {
  const done = new Promise<{ ms: number; cells: number }>((resolve) => {
    const subscription = table.onDidRender((report) => {
      subscription.dispose();
      resolve(report);
    });
  });
  draw();
  return done;
}

export async function runsTableBench(api: RetabExtensionApi, probe: RequestProbe, repeat: number, generation: Generation): Promise<void> {
  const experiment = await descendById<ExperimentNode>(api, [INVOICES.workflowId, 'exp_invoices_tuning']);
  await api.tree.getChildren(experiment);
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  const firstMark = probe.mark;
  const table = await vscode.commands.executeCommand<RunsTablePanel>('retab.compareRuns', experiment);
  await waitFor('the Runs table', () => table.currentTable, 30_000);
  const firstRequests = probe.since(firstMark).length;
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  const secondMark = probe.mark;
  const again = await vscode.commands.executeCommand<RunsTablePanel>('retab.compareRuns', experiment);
  await waitFor('the Runs table again', () => again.currentTable, 30_000);
  await waitFor('drawn', () => again.currentTable !== undefined);
  const secondRequests = probe.since(secondMark).length;

  const build: number[] = [];
  const render: number[] = [];
  let cells = 0;
  const fields = syntheticInputs(20, 200, 'fields');
  for (let sample = 0; sample < repeat; sample++) {
    const started = performance.now();
    const built = buildRunsTable(fields, 'fields');
    build.push(performance.now() - started);
    const report = await drawn(again, () => again.showTable(built));
    render.push(report.ms);
    cells = report.cells;
  }
  const documents = buildRunsTable(syntheticInputs(20, 5_000, 'documents'), 'documents');
  const documentsDrawn: Array<{ ms: number; cells: number }> = [];
  for (let sample = 0; sample < repeat; sample++) {
    documentsDrawn.push(await drawn(again, () => again.showTable(documents)));
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  const renderMs = round(median(render)) as number;
  const buildMs = round(median(build)) as number;
  emit({
    figure: 'runsTable',
    generation,
    runs: table.currentTable?.columns.length ?? 0,
    target: { firstRequests: RUNS_TABLE_FIRST_REQUESTS_TARGET, secondRequests: 0, renderMs: RUNS_TABLE_RENDER_TARGET_MS },
    met: firstRequests <= RUNS_TABLE_FIRST_REQUESTS_TARGET && secondRequests === 0 && buildMs + renderMs <= RUNS_TABLE_RENDER_TARGET_MS,
    firstRequests,
    secondRequests,
    fields20x200: { buildMs, renderMs, afterLastByteMs: round(buildMs + renderMs), cellsInDom: cells, render: stats(render) },
    documents20x5000: {
      renderMs: round(median(documentsDrawn.map((entry) => entry.ms))),
      cellsInDom: documentsDrawn[0]?.cells ?? 0,
      cellsInTable: 20 * 5_000,
    },
    note: 'firstRequests: Compare Runs on the twelve-run experiment (its runs already listed by the tree) until the table is read; renderMs: from the page receiving the table to its last cell in the DOM (reported by the page); buildMs: the host building the table from 20 summaries',
  });
}
