import * as vscode from 'vscode';
import { showErrorNotification } from '../shared/errorNotification';
import { toRetabError } from '../../api/errors';
import { JobRef } from '../../api/ids';
import { durationStats } from '../../analysis/durations';
import { groupFailures } from '../../analysis/failureGroups';
import { DocumentMetric, Job, RunMetrics, Workflow, isLive, isTerminal, numberedRuns } from '../../api/models';
import { RetabRepository } from '../../data/repository';
import { DocumentFilter, DocumentSort, arrangeDocuments, describeArrangement, isFiltering } from './documentArrangement';
import { fieldChildren, fieldsChildren, runRef } from './fieldChildren';
import { empty, errorNode } from './messageRows';
import { noScoresRow } from '../shared/scoreWords';
import { buildTreeItem, documentTooltip, fieldDocumentTooltip, fieldTooltip, rowSignature, runTooltip, voteFlowTooltip } from './treeItems';
import {
  DocumentNode,
  ExperimentNode,
  FailureGroupNode,
  MessageNode,
  ParentNode,
  ProgressNode,
  RunNode,
  TreeNode,
  WorkflowNode,
  nodeId,
  runNodeId,
} from './nodes';
import { withAbortSignal } from '../shared/cancellation';

const MAX_DOCUMENTS_LOADED_ON_HOVER = 1_000;

interface RootState {
  workflows: Workflow[];
  nextCursor: string | null;
}

/**
 * Workflows → experiments → runs → documents, loaded lazily as the user expands. A failed level
 * shows an error row with a retry rather than an empty tree; collapsing a node cancels its load.
 */
export class ExperimentsTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | TreeNode[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  private root: RootState | undefined;
  private readonly loading = new Map<string, AbortController>();
  /** The node objects last handed to the view, by id: change events must name those objects. */
  private readonly shown = new Map<string, ExperimentNode | RunNode>();
  /**
   * The rows last handed to the view under each parent (by the parent's id, 'root' for the top):
   * live updates compare fresh rows with these and redraw only those that changed.
   */
  private readonly rows = new Map<string, TreeNode[]>();
  /** What each row handed out last showed (rowSignature), so a live update builds only the fresh ones. */
  private readonly signatures = new WeakMap<TreeNode, string>();
  /** Ids of the runs whose documents are on screen (see RunNode.expanded). */
  private readonly expandedRows = new Set<string>();
  private sort: DocumentSort = 'default';
  private filter: DocumentFilter = {};
  private readonly arrangementChanged = new vscode.EventEmitter<string | undefined>();
  /** Fires with the description of the active sort and filter, for the view's description. */
  readonly onDidChangeArrangement = this.arrangementChanged.event;

  constructor(
    private readonly repository: RetabRepository,
    private readonly hasApiKey: () => Promise<boolean>,
  ) {}

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return buildTreeItem(node);
  }

  /**
   * Tooltips are built when someone hovers, not for every row up front. A run's carries duration
   * percentiles: from memory when its documents are loaded, else by loading them (cancelled if
   * the hover goes away), except for very large runs, whose documents load only on expansion.
   */
  async resolveTreeItem(item: vscode.TreeItem, node: TreeNode, token: vscode.CancellationToken): Promise<vscode.TreeItem> {
    if (node.kind === 'document') {
      item.tooltip = documentTooltip(node);
      return item;
    }
    if (node.kind === 'field') {
      item.tooltip = fieldTooltip(node);
      return item;
    }
    if (node.kind === 'fieldDocument') {
      item.tooltip = fieldDocumentTooltip(node);
      return item;
    }
    if (node.kind === 'voteFlow') {
      item.tooltip = voteFlowTooltip(node);
      return item;
    }
    if (node.kind !== 'run') {
      return item;
    }
    const workflowId = node.parent.parent.workflow.id;
    const experimentId = node.parent.experiment.id;
    let content = this.repository.peekRunContent(workflowId, experimentId, node.run.id);
    if (!content && (node.run.documentCount ?? Infinity) <= MAX_DOCUMENTS_LOADED_ON_HOVER) {
      content = await withAbortSignal(token, (signal) => this.repository.getRunContent(workflowId, experimentId, node.run.id, { signal })).catch(
        () => undefined,
      );
    }
    item.tooltip = runTooltip(node, content ? durationStats(content.jobs) : undefined);
    return item;
  }

  getParent(node: TreeNode): TreeNode | undefined {
    switch (node.kind) {
      case 'workflow':
      case 'loadMore':
        return undefined;
      default:
        return node.parent;
    }
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (!node) {
      if (!(await this.hasApiKey())) {
        // Empty on purpose: the view's welcome content then offers "Set API Key".
        return [];
      }
      return this.guard(undefined, (signal) => this.rootChildren(signal));
    }
    switch (node.kind) {
      case 'workflow':
      case 'experiment':
      case 'run':
      case 'fields':
      case 'field':
        return this.guard(node, (signal) => this.childrenOf(node, signal));
      case 'failures':
        return node.groups.map((group, index): FailureGroupNode => ({ kind: 'failureGroup', parent: node, group, index }));
      case 'failureGroup':
        return node.group.jobs.flatMap((job) => {
          const document = node.parent.documents.get(job.documentId);
          return document ? [{ ...document, parent: node }] : [];
        });
      default:
        return [];
    }
  }

  get arrangement(): { sort: DocumentSort; filter: DocumentFilter } {
    return { sort: this.sort, filter: this.filter };
  }

  /** Re-arranges documents from what is loaded; no request is made. */
  arrange(sort: DocumentSort, filter: DocumentFilter): void {
    this.sort = sort;
    this.filter = filter;
    this.arrangementChanged.fire(describeArrangement(sort, filter));
    this.changed.fire(undefined);
  }

  /** Re-reads everything from the server, keeping what is expanded. */
  /** Builds the view again from the repository (whoever calls it has already said what to forget there). */
  refresh(): void {
    this.cancelAll();
    this.root = undefined;
    this.shown.clear();
    this.rows.clear();
    this.changed.fire(undefined);
  }

  /** The experiments and runs expanded on screen, as the view shows them now. */
  expandedNodes(): Array<ExperimentNode | RunNode> {
    return [...this.expandedRows].map((id) => this.shown.get(id)).filter((node): node is ExperimentNode | RunNode => node !== undefined);
  }

  /** The current node for an experiment or run id, if the view shows one. */
  shownNode(id: string): ExperimentNode | RunNode | undefined {
    return this.shown.get(id);
  }

  /**
   * After live updates fetched a node's children again: builds its rows from what the repository
   * now holds (no request) and redraws only those whose text changed. VS Code redraws every row
   * under a node it redraws, which closes a tooltip resting there: so the node itself is redrawn
   * only when its list of rows changed (a row came or went, or moved).
   */
  async refreshLive(node: ParentNode): Promise<void> {
    const parent = (node.kind === 'workflow' ? undefined : this.shown.get(nodeId(node))) ?? node;
    const before = this.rows.get(nodeId(parent));
    if (!before) {
      return; // its rows were never handed out: nothing on screen to keep current
    }
    let after: TreeNode[];
    try {
      after = await this.childrenOf(parent, new AbortController().signal);
    } catch {
      return; // the next update or a Refresh shows the error
    }
    if (after.length !== before.length || after.some((row, index) => nodeId(row) !== nodeId(before[index]))) {
      this.rows.delete(nodeId(parent));
      this.changed.fire(parent);
      return;
    }
    const ended: RunNode[] = [];
    const changed: TreeNode[] = [];
    before.forEach((row, index) => {
      const fresh = after[index];
      if (row.kind === 'run' && fresh.kind === 'run' && !isTerminal(row.run.status) && isTerminal(fresh.run.status)) {
        ended.push(row);
      }
      const shown = this.signatures.get(row) ?? rowSignature(row);
      const now = rowSignature(fresh);
      const redraw = shown !== now;
      // The objects the view holds take the fresh data in place (change events must name them);
      // an unchanged row keeps its text but hovers built later read the fresh data.
      Object.assign(row, fresh);
      this.signatures.set(row, now);
      if (redraw) {
        changed.push(row);
      }
    });
    for (const run of ended) {
      await this.afterRunEnded(run);
    }
    if (changed.length > 0) {
      this.changed.fire(changed);
    }
  }

  /**
   * A job read on its own differed from its run's content (the repository replaced it there): the
   * run's rows are built again from memory and only the changed one is redrawn.
   */
  async jobUpdated(ref: JobRef): Promise<void> {
    const run = this.shown.get(runNodeId(ref.runId));
    if (run) {
      await this.refreshLive(run);
    }
  }

  /**
   * The view says when an experiment or a run is expanded or collapsed: a live run's row depends on
   * it, and live updates poll what is expanded (`expandedNodes`). The one record of it.
   */
  setExpanded(node: TreeNode, expanded: boolean): void {
    if (node.kind !== 'run' && node.kind !== 'experiment') {
      return;
    }
    const id = nodeId(node);
    if (expanded) {
      this.expandedRows.add(id);
    } else {
      this.expandedRows.delete(id);
    }
    if (node.kind !== 'run') {
      return;
    }
    const shown = this.shown.get(id);
    if (shown?.kind === 'run' && (shown.expanded ?? false) !== expanded) {
      shown.expanded = expanded;
      this.signatures.delete(shown);
      if (isLive(shown.run.status)) {
        this.changed.fire(shown);
      }
    }
  }

  /**
   * A run that ended has final scores, and its experiment a new status and score: read them once
   * (live updates kept serving the metrics and experiments they had), then redraw what changed.
   */
  private async afterRunEnded(run: RunNode): Promise<void> {
    const experiment = run.parent;
    const workflowId = experiment.parent.workflow.id;
    await this.repository.getRunMetrics(workflowId, experiment.experiment.id, run.run.id, { force: true }).catch(() => undefined);
    try {
      await this.repository.listExperiments(workflowId, { force: true });
    } catch {
      return;
    }
    await this.refreshLive(experiment.parent);
  }

  /** After starting or cancelling a run: the experiment's runs are read again from the server. */
  reloadExperiment(node: ExperimentNode): void {
    this.repository.forgetRuns(node.parent.workflow.id, node.experiment.id);
    this.changed.fire(node);
  }

  retry(message: MessageNode): void {
    if (!message.parent) {
      this.root = undefined;
    }
    this.changed.fire(message.parent);
  }

  async loadMoreWorkflows(): Promise<void> {
    const root = this.root;
    if (!root?.nextCursor) {
      return;
    }
    try {
      const page = await this.repository.listWorkflows(root.nextCursor);
      root.workflows = [...root.workflows, ...page.workflows];
      root.nextCursor = page.nextCursor;
      this.changed.fire(undefined);
    } catch (caught) {
      void showErrorNotification('load more workflows', caught, () => this.loadMoreWorkflows());
    }
  }

  /** Collapsing a node means its children are no longer wanted. */
  cancelLoading(node: TreeNode): void {
    const key = nodeId(node);
    const controller = this.loading.get(key);
    if (controller) {
      controller.abort();
      this.loading.delete(key);
      // The aborted load answered with no children; mark the node stale so expanding reloads it.
      this.changed.fire(node);
    }
  }

  dispose(): void {
    this.cancelAll();
    this.changed.dispose();
    this.arrangementChanged.dispose();
  }

  private cancelAll(): void {
    for (const controller of this.loading.values()) {
      controller.abort();
    }
    this.loading.clear();
  }

  private async rootChildren(signal: AbortSignal): Promise<TreeNode[]> {
    if (!this.root) {
      const page = await this.repository.listWorkflows(undefined, { signal });
      this.root = { workflows: page.workflows, nextCursor: page.nextCursor };
    }
    const root = this.root;
    const nodes: TreeNode[] = root.workflows.map((workflow): WorkflowNode => ({ kind: 'workflow', workflow }));
    if (root.nextCursor) {
      nodes.push({ kind: 'loadMore', cursor: root.nextCursor });
    }
    const offline = this.repository.offline;
    if (offline) {
      // Saved data stays visible, but the first row says so and offers the way back; the next
      // load asks the server again.
      this.root = undefined;
      const banner = errorNode(undefined, offline.error);
      nodes.unshift({ ...banner, text: 'Saved data', summary: banner.text });
    }
    return nodes.length > 0 ? nodes : [empty(undefined, 'No workflows yet')];
  }

  private async childrenOf(node: ParentNode, signal: AbortSignal): Promise<TreeNode[]> {
    switch (node.kind) {
      case 'workflow': {
        const experiments = await this.repository.listExperiments(node.workflow.id, { signal });
        const nodes = experiments.map((experiment): ExperimentNode => ({ kind: 'experiment', parent: node, experiment }));
        return nodes.length > 0 ? nodes : [empty(node, 'No experiments in this workflow')];
      }
      case 'experiment': {
        const workflowId = node.parent.workflow.id;
        const runs = await this.repository.listRuns(workflowId, node.experiment.id, { signal });
        const latestDefinition = runs[0]?.definitionFingerprint ?? null;
        const nodes = numberedRuns(runs).map(({ run, number }, index): RunNode => ({
          kind: 'run',
          parent: node,
          run,
          number,
          previous: runs[index + 1],
          olderDefinition: latestDefinition !== null && run.definitionFingerprint !== null && run.definitionFingerprint !== latestDefinition,
          expanded: this.expandedRows.has(runNodeId(run.id)),
        }));
        return nodes.length > 0 ? nodes : this.neverRunChildren(node, signal);
      }
      case 'run':
        return this.runChildren(node, signal);
      case 'fields':
        return fieldsChildren(this.repository, node, signal);
      case 'field':
        return fieldChildren(this.repository, node, signal);
    }
  }

  /** Before any run the server lists one placeholder job per document: show what will be run. */
  private async neverRunChildren(node: ExperimentNode, signal: AbortSignal): Promise<TreeNode[]> {
    const workflowId = node.parent.workflow.id;
    const content = await this.repository.placeholderContent(workflowId, node.experiment.id, signal);
    const documents = content.jobs.map((job): DocumentNode => ({
      kind: 'document',
      parent: node,
      job,
      ref: { workflowId, experimentId: node.experiment.id, runId: job.runId, documentId: job.documentId },
      metric: undefined,
      slow: false,
    }));
    const text =
      documents.length > 0
        ? `No runs yet: ${documents.length} documents wait for the first run`
        : node.experiment.documentCount > 0
          ? `No runs yet: ${node.experiment.documentCount} documents wait for the first run (Start Run…)`
          : 'No runs yet';
    return [empty(node, text), ...documents];
  }

  private async runChildren(node: RunNode, signal: AbortSignal): Promise<TreeNode[]> {
    const ref = runRef(node);
    let metricsFailed = false;
    const [content, metrics] = await Promise.all([
      this.repository.getRunContent(ref.workflowId, ref.experimentId, ref.runId, { signal }),
      // Scores are a bonus: a run without metrics still lists its documents.
      this.repository.getRunMetrics(ref.workflowId, ref.experimentId, ref.runId, { signal }).catch((): RunMetrics | undefined => {
        metricsFailed = true;
        return undefined;
      }),
    ]);
    const scores = new Map<string, DocumentMetric>();
    if (metrics?.kind === 'summary') {
      for (const metric of metrics.documents) {
        scores.set(metric.id, metric);
      }
    }
    const live = !isTerminal(node.run.status);
    // Slowness is judged against the finished run: while it runs, the first jobs to end would be
    // flagged and unflagged as others finish, redrawing rows for nothing.
    const slow = new Set(live ? [] : durationStats(content.jobs)?.slowest.map((job) => job.documentId));
    const documents = content.jobs.map((job): DocumentNode => ({
      kind: 'document',
      parent: node,
      job,
      ref: { ...ref, documentId: job.documentId },
      metric: scores.get(job.documentId),
      slow: slow.has(job.documentId),
    }));
    if (documents.length === 0) {
      return [empty(node, 'No documents in this run')];
    }
    const children: TreeNode[] = [];
    if (live) {
      children.push(progressNode(node, content.jobs));
    }
    // While the run is live its progress row counts failures; grouping them waits for the end, so
    // that the rows under a live run keep their places.
    const groups = live ? [] : groupFailures(content.jobs);
    if (groups.length > 0) {
      children.push({ kind: 'failures', parent: node, groups, documents: new Map(documents.map((doc) => [doc.job.documentId, doc])) });
    }
    if (metrics?.kind === 'unavailable') {
      children.push({ kind: 'message', parent: node, severity: 'empty', text: noScoresRow(metrics.reason), detail: metrics.message ?? undefined });
    }
    // A live run has no per-field scores yet (the server computes them when the run ends): a
    // Fields row there could only repeat the notice above, and would come and go among rows that
    // update. It comes with the run's other final rows (Failures) once the run has ended. A run
    // whose scores could not be read gets one too: expanding it asks again, or says why not.
    // It costs no request until expanded: the summary above is the one read for the documents.
    if (!live && metrics?.kind === 'summary' && metrics.fields && metrics.fields.scores.length > 0) {
      children.push({ kind: 'fields', parent: node, scores: metrics.fields });
    } else if (!live && metricsFailed) {
      children.push({ kind: 'fields', parent: node, scores: undefined });
    }
    const arranged = arrangeDocuments(documents, this.sort, this.filter);
    children.push(...arranged);
    if (isFiltering(this.filter) && arranged.length < documents.length) {
      children.push({ kind: 'message', parent: node, severity: 'empty', text: `${documents.length - arranged.length} documents hidden by the filter` });
    }
    return children;
  }

  private async guard(node: ParentNode | undefined, load: (signal: AbortSignal) => Promise<TreeNode[]>): Promise<TreeNode[]> {
    const key = node ? nodeId(node) : 'root';
    this.loading.get(key)?.abort();
    const controller = new AbortController();
    this.loading.set(key, controller);
    try {
      const children = await load(controller.signal);
      for (const child of children) {
        if (child.kind === 'experiment' || child.kind === 'run') {
          this.shown.set(nodeId(child), child);
        }
      }
      this.rows.set(key, children);
      return children;
    } catch (caught) {
      const error = toRetabError(caught);
      if (error.kind === 'cancelled') {
        return [];
      }
      const rows = [errorNode(node, error)];
      this.rows.set(key, rows);
      return rows;
    } finally {
      if (this.loading.get(key) === controller) {
        this.loading.delete(key);
      }
    }
  }
}

/** Counts from the documents' statuses: exact, whatever the server reports in the run summary. */
function progressNode(parent: RunNode, jobs: readonly Job[]): ProgressNode {
  let done = 0;
  let running = 0;
  let failed = 0;
  for (const job of jobs) {
    if (isTerminal(job.status)) {
      done++;
    } else if (job.status === 'running') {
      running++;
    }
    if (job.status === 'error') {
      failed++;
    }
  }
  return { kind: 'progress', parent, done, total: Math.max(jobs.length, parent.run.totalDocumentCount), running, failed };
}
