import { l10n } from '../../l10n';
import * as vscode from 'vscode';
import { toRetabError } from '../../api/errors';
import { RunStatus, isTerminal, numberedRuns } from '../../api/models';
import { formatScore, plural, statusWord } from '../../format';
import { RetabRepository } from '../../data/repository';
import { JobPanel } from '../panel/jobPanel';
import { ExperimentsTreeProvider } from '../tree/experimentsTree';
import { ExperimentNode, RunNode, TreeNode, runNodeId } from '../tree/nodes';
import { nodeId } from '../tree/rows/registry';
import { COMMANDS, FOCUS_EXPERIMENTS_VIEW, RUNS_STATUS_BAR_ID } from '../shared/names';
import { liveRefreshMs } from '../settings/settings';

const MAX_BACKOFF_MS = 60_000;

/** The watcher and its status bar item, disposed with the extension. */
export function registerLiveRuns(
  context: vscode.ExtensionContext,
  repository: RetabRepository,
  views: { tree: ExperimentsTreeProvider; treeView: vscode.TreeView<TreeNode>; panel: JobPanel },
): LiveRunWatcher {
  const statusBar = vscode.window.createStatusBarItem(RUNS_STATUS_BAR_ID, vscode.StatusBarAlignment.Left, 10);
  statusBar.name = l10n.t('Retab runs in progress');
  const live = new LiveRunWatcher(repository, views.tree, views.treeView, views.panel, statusBar, liveRefreshMs);
  context.subscriptions.push(statusBar, live);
  return live;
}

/**
 * Keeps what the user is looking at current while runs are in progress, on a request budget:
 * it polls only pending or running things that are visible (expanded nodes, the open panel),
 * backs off on errors, honours Retry-After, stops when everything is final and pauses while the
 * window is unfocused or nothing Retab is visible.
 *
 * What it is doing is said in the status bar item, never above the tree: a line appearing and
 * going there would move every row under the mouse.
 */
export class LiveRunWatcher implements vscode.Disposable {
  /** Runs whose end the user wants to hear about: started here, or expanded while running. */
  private readonly followed = new Set<string>();
  private readonly lastStatus = new Map<string, RunStatus>();
  private timer: NodeJS.Timeout | undefined;
  private failures = 0;
  private retryAfterMs = 0;
  private lastUpdate: number | undefined;
  /** "updated 3 s ago", "paused"…: the status bar item's second line. */
  private liveState: string | undefined;
  private paused = false;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly repository: RetabRepository,
    private readonly tree: ExperimentsTreeProvider,
    private readonly treeView: vscode.TreeView<TreeNode>,
    private readonly panel: JobPanel,
    private readonly statusBar: vscode.StatusBarItem,
    private readonly intervalMs: () => number,
  ) {
    statusBar.command = FOCUS_EXPERIMENTS_VIEW;
    this.subscriptions = [
      // What is expanded is the tree's to know (its `expandedNodes`); an expanded live run is also followed.
      treeView.onDidExpandElement(({ element }) => this.onExpanded(element)),
      treeView.onDidChangeVisibility(() => this.schedule()),
      vscode.window.onDidChangeWindowState(() => this.schedule()),
      panel.onDidRender(() => this.schedule()),
      repository.onDidLoadRuns(() => this.onRunsLoaded()),
    ];
  }

  /** A run started from here: its end is announced. */
  follow(runId: string): void {
    this.followed.add(runId);
    this.schedule();
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const subscription of this.subscriptions) {
      subscription.dispose();
    }
  }

  private onExpanded(node: TreeNode): void {
    if (node.kind !== 'experiment' && node.kind !== 'run') {
      return;
    }
    if (node.kind === 'run' && !isTerminal(node.run.status)) {
      this.followed.add(node.run.id);
    }
    this.schedule();
  }

  private onRunsLoaded(): void {
    for (const { run } of this.repository.activeRuns()) {
      if (!this.lastStatus.has(run.id)) {
        this.lastStatus.set(run.id, run.status);
      }
    }
    this.updateStatusBar();
    this.schedule();
  }

  private watchedExperiments(): ExperimentNode[] {
    return this.tree
      .expandedNodes()
      .filter((node): node is ExperimentNode => node.kind === 'experiment')
      .filter((node) => node.experiment.status === 'processing' || this.repository.knownRunsOf(node.experiment.id).some((run) => !isTerminal(run.status)));
  }

  private watchedRuns(): RunNode[] {
    return this.tree
      .expandedNodes()
      .filter((node): node is RunNode => node.kind === 'run')
      .filter((node) => !isTerminal(this.repository.knownRun(node.run.id)?.run.status ?? node.run.status));
  }

  private panelNeedsUpdates(): boolean {
    const state = this.panel.currentState;
    return state?.kind === 'job' && !isTerminal(state.job.status) && this.panel.isVisible;
  }

  private hasWork(): boolean {
    return this.watchedExperiments().length > 0 || this.watchedRuns().length > 0 || this.panelNeedsUpdates();
  }

  private isPaused(): boolean {
    return !vscode.window.state.focused || (!this.treeView.visible && !this.panel.isVisible);
  }

  private schedule(): void {
    this.updateStatusBar();
    if (this.timer || !this.hasWork()) {
      this.showAge();
      return;
    }
    if (this.isPaused()) {
      this.setLiveState(this.lastUpdate ? l10n.t('Live updates paused · updated {0}', this.age()) : l10n.t('Live updates paused'), true);
      return;
    }
    const base = Math.max(1000, this.intervalMs());
    const backoff = Math.min(MAX_BACKOFF_MS, base * 2 ** this.failures);
    // Both are capped at MAX_BACKOFF_MS, far inside a timer's range (2^31 − 1 ms).
    const delay = Math.max(backoff, this.retryAfterMs);
    this.timer = setTimeout(() => void this.tick(), delay);
  }

  private async tick(): Promise<void> {
    this.timer = undefined;
    if (this.isPaused()) {
      this.schedule();
      return;
    }
    const experiments = this.watchedExperiments();
    const runs = this.watchedRuns();
    this.setLiveState(l10n.t('Refreshing {0} in progress…', plural(experiments.length + runs.length, l10n.t('{0} item'), l10n.t('{0} items'))), false);
    try {
      // Only rows whose text changed are redrawn (refreshLive), so a tooltip on another stays open.
      for (const node of experiments) {
        await this.repository.listRuns(node.parent.workflow.id, node.experiment.id, { force: true });
        this.announceFinishedRuns(node);
        await this.tree.refreshLive(node);
      }
      for (const node of runs) {
        const experiment = node.parent;
        await this.repository.getRunContent(experiment.parent.workflow.id, experiment.experiment.id, node.run.id, { force: true });
        await this.tree.refreshLive(node);
      }
      if (this.panelNeedsUpdates()) {
        await this.panel.refresh();
      }
      this.failures = 0;
      this.retryAfterMs = 0;
      this.lastUpdate = Date.now();
    } catch (caught) {
      const error = toRetabError(caught);
      this.failures++;
      // A server asking for days is heard, but live updates look again within the backoff cap.
      this.retryAfterMs = Math.min((error.retryAfterSeconds ?? 0) * 1000, MAX_BACKOFF_MS);
    }
    this.schedule();
  }

  private announceFinishedRuns(node: ExperimentNode): void {
    const runs = this.repository.knownRunsOf(node.experiment.id);
    for (const { run, number } of numberedRuns(runs)) {
      const before = this.lastStatus.get(run.id);
      this.lastStatus.set(run.id, run.status);
      if (before && !isTerminal(before) && isTerminal(run.status) && this.followed.has(run.id)) {
        this.followed.delete(run.id);
        void this.announce(node, run.id, number);
      }
    }
  }

  private async announce(experiment: ExperimentNode, runId: string, number: number): Promise<void> {
    const run = this.repository.knownRun(runId)?.run;
    if (!run) {
      return;
    }
    const errors = run.errorCount ?? 0;
    // A server without failed-only re-runs (the flat generations) is not offered one.
    const canRetryFailed = this.repository.knownCapabilities()?.retryFailedOnly ?? false;
    const actions = errors > 0 ? (canRetryFailed ? [l10n.t('Show Failures'), l10n.t('Retry Failed')] : [l10n.t('Show Failures')]) : [l10n.t('Show Run')];
    const score = run.score === null ? '' : l10n.t('score {0}, ', formatScore(run.score));
    const message = l10n.t(
      'Retab: run {0} of "{1}" {2} — {3}{4}.',
      number,
      experiment.experiment.name,
      statusWord(run.status),
      score,
      plural(errors, l10n.t('{0} error'), l10n.t('{0} errors')),
    );
    const show = run.status === 'completed' ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
    const choice = await show(message, ...actions);
    const current = this.tree.shownNode(nodeId(experiment)) ?? experiment;
    if (choice === l10n.t('Show Failures') || choice === l10n.t('Show Run')) {
      const runNode = this.tree.shownNode(runNodeId(runId));
      if (runNode) {
        await this.treeView.reveal(runNode, { select: true, focus: true, expand: choice === l10n.t('Show Failures') ? 2 : 1 });
      }
    } else if (choice === l10n.t('Retry Failed')) {
      await vscode.commands.executeCommand(COMMANDS.startRun, current, { retryFailedOnly: true });
    }
  }

  private updateStatusBar(): void {
    const active = this.repository.activeRuns().length;
    if (active === 0) {
      this.statusBar.hide();
      return;
    }
    this.statusBar.text = l10n.t(
      '{0} Retab: {1} in progress{2}',
      this.paused ? '$(debug-pause)' : '$(sync~spin)',
      plural(active, l10n.t('{0} run'), l10n.t('{0} runs')),
      this.paused ? ' · paused' : '',
    );
    const state = this.liveState ? `\n${this.liveState}.` : '';
    this.statusBar.tooltip = l10n.t('Runs pending or running among those loaded.{0}\nClick to show the Experiments view.', state);
    this.statusBar.show();
  }

  private setLiveState(text: string | undefined, paused: boolean): void {
    this.liveState = text;
    this.paused = paused;
    this.updateStatusBar();
  }

  private showAge(): void {
    this.setLiveState(this.lastUpdate && this.hasWork() ? l10n.t('Live · updated {0}', this.age()) : undefined, false);
  }

  private age(): string {
    const seconds = Math.round((Date.now() - (this.lastUpdate ?? Date.now())) / 1000);
    return seconds < 5 ? l10n.t('just now') : l10n.t('{0} s ago', seconds);
  }
}
