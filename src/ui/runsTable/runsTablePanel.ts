import { l10n } from '../../l10n';
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { numberedRuns } from '../../api/models';
import { RunInput, RunsTable, TableMode, TableView, arrangeRows, buildRunsTable, selectColumns } from '../../analysis/runsTable';
import { runsTableCsv, runsTableMarkdown } from '../../analysis/runsTableText';
import { JobRef } from '../../api/ids';
import { formatClock, formatScore } from '../../format';
import { FromWebview, RunsTableState, ToWebview, parseWebviewMessage } from '../../protocol/runsTable';
import { readRunsScores } from '../../data/runsScores';
import { RetabRepository } from '../../data/repository';
import { toRetabError } from '../../api/errors';
import { showErrorNotification } from '../shared/errorNotification';
import { COMMANDS } from '../shared/names';
import { html, tHtml } from '../shared/html';
import { webviewStringsJson } from '../shared/webviewStrings';
import { runPicks } from '../shared/runPicks';

/** What one table is about. */
export interface RunsTableTarget {
  workflowId: string;
  experimentId: string;
  /** The experiment's name, for the title. */
  name: string;
}

/**
 * One experiment's Runs table in an editor tab: the host reads every run's summary scores once
 * (data/runsScores.ts), builds the table (analysis/runsTable.ts) and sends it to the page
 * (webview/runsTable.ts), which sorts, filters and draws it. Clicks come back as messages: a field
 * cell lists the documents that disagree on it in that run, a document cell opens its job there.
 */
export class RunsTablePanel implements vscode.Disposable {
  private inputs: RunInput[] | undefined;
  private table: RunsTable | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private loading: AbortController | undefined;
  private readAt = '';
  private readonly disposed = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposed.event;
  /** Fires with each table the page is sent (tests and the benchmark read it). */
  private readonly shown = new vscode.EventEmitter<RunsTable>();
  readonly onDidShow = this.shown.event;
  /** Fires when the page has drawn a table: how long it took, how many cells (the benchmark reads it). */
  private readonly rendered = new vscode.EventEmitter<{ ms: number; cells: number }>();
  readonly onDidRender = this.rendered.event;

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    private readonly repository: RetabRepository,
    private state: RunsTableState,
    private target: RunsTableTarget,
  ) {
    panel.webview.options = {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media'), vscode.Uri.joinPath(extensionUri, 'dist')],
    };
    panel.title = l10n.t('Runs: {0}', target.name);
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'retab.svg');
    panel.webview.html = this.page();
    this.disposables.push(
      panel.webview.onDidReceiveMessage((value: unknown) => {
        const message = parseWebviewMessage(value);
        if (message) {
          void this.handle(message);
        }
      }),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  get experimentId(): string {
    return this.state.experimentId;
  }

  /** The table last sent to the page, if any. */
  get currentTable(): RunsTable | undefined {
    return this.table;
  }

  reveal(): void {
    this.panel.reveal();
  }

  private post(message: ToWebview): void {
    void this.panel.webview.postMessage(message);
  }

  private page(): string {
    const nonce = randomBytes(16).toString('base64');
    const webview = this.panel.webview;
    const asset = (...path: string[]): string => webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, ...path)).toString();
    // l10n-exempt: the Content Security Policy
    const csp = ["default-src 'none'", `style-src ${webview.cspSource}`, `script-src 'nonce-${nonce}'`, `font-src ${webview.cspSource}`].join('; ');
    return html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset('media', 'runsTable.css')}">
<title>${tHtml('Runs')}</title>
</head>
<body data-l10n="${webviewStringsJson()}">
<main id="content" data-state="${JSON.stringify(this.state)}" aria-live="polite"><p class="loading">${tHtml('Reading the runs…')}</p></main>
<div id="announcer" class="visually-hidden" role="status"></div>
<script nonce="${nonce}" src="${asset('dist', 'runsTable.js')}"></script>
</body>
</html>`.value;
  }

  private async handle(message: FromWebview): Promise<void> {
    switch (message.type) {
      case 'ready':
        if (this.table) {
          this.send();
        } else {
          await this.load(false);
        }
        return;
      case 'refresh':
        await this.load(true);
        return;
      case 'mode':
        this.state = { ...this.state, mode: message.mode };
        this.rebuild();
        return;
      case 'chooseRuns':
        await this.chooseRuns();
        return;
      case 'openCell':
        await this.openCell(message.column, message.key);
        return;
      case 'compareDefinitions':
        await this.compareDefinitions(message.column);
        return;
      case 'export':
        await this.export(message.format, message.view);
        return;
      case 'rendered':
        this.rendered.fire({ ms: message.ms, cells: message.cells });
        return;
    }
  }

  /** Reads every run's scores (from memory when read before), then shows the table. */
  async load(force: boolean): Promise<void> {
    this.loading?.abort();
    const controller = new AbortController();
    this.loading = controller;
    try {
      const inputs = await readRunsScores(this.repository, this.state.workflowId, this.state.experimentId, {
        force,
        signal: controller.signal,
        onProgress: ({ read, total }) => {
          if (!this.table) {
            this.post({ type: 'progress', read, total });
          }
        },
      });
      if (controller.signal.aborted) {
        return;
      }
      this.inputs = inputs;
      this.readAt = formatClock(Date.now());
      this.rebuild();
    } catch (caught) {
      const error = toRetabError(caught);
      if (error.kind !== 'cancelled') {
        this.post({ type: 'failed', message: l10n.t('Could not read the runs: {0}', error.describe()) });
      }
    }
  }

  /** Builds the table for the mode and runs chosen, from what was read: no request. */
  private rebuild(): void {
    if (!this.inputs) {
      return;
    }
    const full = buildRunsTable(this.inputs, this.state.mode);
    const chosen = new Set(this.state.runIds);
    this.table = chosen.size > 0 ? selectColumns(full, chosen) : full;
    this.send();
  }

  private send(): void {
    if (!this.table || !this.inputs) {
      return;
    }
    this.post({
      type: 'show',
      payload: {
        title: l10n.t('Runs of {0}', this.target.name),
        mode: this.state.mode,
        table: this.table,
        chosen: this.table.columns.length,
        runIds: this.state.runIds,
        runCount: this.inputs.length,
        readAt: this.readAt,
      },
    });
    this.shown.fire(this.table);
  }

  /** Which runs are columns: every run by default, any subset by choice. */
  async chooseRuns(runIds?: readonly string[]): Promise<void> {
    if (!this.inputs) {
      return;
    }
    let chosen = runIds;
    if (!chosen) {
      const runs = [...this.inputs].sort((a, b) => b.number - a.number).map((input) => input.run);
      const current = new Set(this.table?.columns.map((column) => column.runId));
      const items = runPicks(runs).map((item) => ({ ...item, picked: current.has(item.runId) }));
      const picked = await vscode.window.showQuickPick(items, {
        canPickMany: true,
        title: l10n.t('Runs of {0} to compare', this.target.name),
        placeHolder: l10n.t('Choose the runs to show side by side'),
      });
      if (!picked || picked.length === 0) {
        return;
      }
      chosen = picked.map((item) => item.runId);
    }
    this.state = { ...this.state, runIds: chosen.length === this.inputs.length ? [] : [...chosen] };
    this.rebuild();
  }

  /** A column's run against the run just before it (by number, shown or not): the block definitions they used. */
  async compareDefinitions(column: number): Promise<void> {
    const runColumn = this.table?.columns[column];
    if (!runColumn) {
      return;
    }
    const runs = await this.repository.listRuns(this.state.workflowId, this.state.experimentId);
    const before = numberedRuns(runs).find((entry) => entry.number === runColumn.number - 1);
    if (!before) {
      void vscode.window.showInformationMessage(
        l10n.t("Retab: run {0} is the experiment's first run: there is no earlier definition to compare with.", runColumn.number),
      );
      return;
    }
    await vscode.commands.executeCommand(COMMANDS.compareDefinitions, {
      workflowId: this.state.workflowId,
      experimentId: this.state.experimentId,
      fromRunId: before.run.id,
      toRunId: runColumn.runId,
    });
  }

  /** A field cell: the documents that disagree on that field in that run; a document cell: its job there. */
  async openCell(column: number, key: string): Promise<void> {
    const runColumn = this.table?.columns[column];
    if (!runColumn) {
      return;
    }
    const run = { workflowId: this.state.workflowId, experimentId: this.state.experimentId, runId: runColumn.runId };
    if (this.state.mode === 'documents') {
      const ref: JobRef = { ...run, documentId: key };
      await vscode.commands.executeCommand(COMMANDS.openJob, ref);
      await vscode.commands.executeCommand(COMMANDS.showJobFields);
      return;
    }
    try {
      const documents = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: l10n.t('Retab: documents that disagree on {0}', key) },
        () => this.repository.getFieldDocuments(run, key),
      );
      if (documents.kind !== 'by_target') {
        void vscode.window.showInformationMessage(
          l10n.t('Retab: run {0} has no scores for {1}{2}.', runColumn.number, key, documents.message ? `: ${documents.message}` : ''),
        );
        return;
      }
      const disagreeing = documents.documents
        .filter((document) => document.score !== null && document.score < 1)
        .sort((a, b) => (a.score ?? 1) - (b.score ?? 1));
      if (disagreeing.length === 0) {
        void vscode.window.showInformationMessage(l10n.t('Retab: every document agrees on {0} in run {1}.', key, runColumn.number));
        return;
      }
      const picked = await vscode.window.showQuickPick(
        disagreeing.map((document) => ({
          label: document.filename ?? document.id,
          description: l10n.t('{0} · consensus {1}', formatScore(document.score), valueText(document.value)),
          detail: document.id,
          documentId: document.id,
        })),
        {
          title: l10n.t(
            '{0} in run {1}: {2} {3}',
            key,
            runColumn.number,
            disagreeing.length,
            disagreeing.length === 1 ? l10n.t('document disagrees') : l10n.t('documents disagree'),
          ),
          matchOnDetail: true,
        },
      );
      if (picked) {
        await vscode.commands.executeCommand(COMMANDS.openJob, { ...run, documentId: picked.documentId, fieldPath: key });
      }
    } catch (caught) {
      void showErrorNotification(l10n.t('list the documents that disagree on {0}', key), caught);
    }
  }

  /** What is on screen (runs chosen, sort, filter), as CSV in a file or Markdown on the clipboard. */
  async export(format: 'csv' | 'markdown', view: TableView): Promise<string | undefined> {
    if (!this.table) {
      return undefined;
    }
    const rows = arrangeRows(this.table, view);
    if (format === 'markdown') {
      const text = runsTableMarkdown(this.table, rows, l10n.t('Runs of {0}', this.target.name));
      await vscode.env.clipboard.writeText(text);
      vscode.window.setStatusBarMessage(l10n.t('Retab: copied the table ({0} rows) as Markdown', rows.length), 3000);
      return text;
    }
    const uri = await vscode.window.showSaveDialog({
      title: l10n.t('Retab: Export Runs Table'),
      defaultUri: vscode.Uri.joinPath(vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(process.cwd()), `${this.state.experimentId}-runs.csv`),
      filters: { CSV: ['csv'] },
    });
    if (!uri) {
      return undefined;
    }
    const text = runsTableCsv(this.table, rows);
    await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
    vscode.window.setStatusBarMessage(l10n.t('Retab: exported {0} rows to {1}', rows.length, uri.fsPath), 3000);
    return text;
  }

  /**
   * Shows a table built elsewhere (the benchmark draws a 20-run, 200-field one that no sandbox
   * experiment has); the next read replaces it.
   */
  showTable(table: RunsTable, runCount = table.columns.length): void {
    this.table = table;
    this.post({
      type: 'show',
      payload: {
        title: l10n.t('Runs of {0}', this.target.name),
        mode: table.mode,
        table,
        chosen: table.columns.length,
        runIds: [],
        runCount,
        readAt: formatClock(Date.now()),
      },
    });
  }

  /** The mode to show (the tests' and the palette's way to switch). */
  setMode(mode: TableMode): void {
    this.state = { ...this.state, mode };
    this.rebuild();
  }

  dispose(): void {
    this.loading?.abort();
    for (const disposable of this.disposables.splice(0)) {
      disposable.dispose();
    }
    this.disposed.fire();
    this.disposed.dispose();
    this.shown.dispose();
    this.rendered.dispose();
    this.panel.dispose();
  }
}

function valueText(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? 'null');
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}
