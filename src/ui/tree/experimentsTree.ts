import { l10n } from '../../l10n';
import * as vscode from 'vscode';
import { showErrorNotification } from '../shared/errorNotification';
import { toRetabError } from '../../api/errors';
import { JobRef } from '../../api/ids';
import { Workflow, isLive, isTerminal } from '../../api/models';
import { RetabRepository } from '../../data/repository';
import { DocumentFilter, DocumentSort, describeArrangement } from './documentArrangement';
import { empty, errorNode } from './messageRows';
import { buildTreeItem, nodeId, rowOf, rowSignature } from './rows/registry';
import { ChildrenContext } from './rows/row';
import { ExperimentNode, MessageNode, MoreDocumentsNode, ParentNode, RunNode, TreeNode, WorkflowNode, runNodeId } from './nodes';
import { DOCUMENT_ROWS_STEP } from './rows/moreDocumentsRow';
import { Follower } from './follower';

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
  /**
   * Rows whose children are still coming after their load returned (a big run read page by page),
   * by row id: aborted when the row is collapsed, on Refresh and when the view goes.
   */
  private readonly followers = new Map<string, Follower>();
  /** How many document rows a run shows, by row id, once Show More was clicked. */
  private readonly documentRowLimits = new Map<string, number>();
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

  /** Tooltips are built when someone hovers (rows/), not for every row up front: a 5,000-document run would build 5,000. */
  async resolveTreeItem(item: vscode.TreeItem, node: TreeNode, token: vscode.CancellationToken): Promise<vscode.TreeItem> {
    const tooltip = rowOf(node).tooltip?.(node, { repository: this.repository, token });
    if (tooltip) {
      item.tooltip = await tooltip;
    }
    return item;
  }

  /** Top-level rows (workflows, Load more) have no parent; every other node names its own. */
  getParent(node: TreeNode): TreeNode | undefined {
    return 'parent' in node ? node.parent : undefined;
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (!node) {
      if (!(await this.hasApiKey())) {
        // Empty on purpose: the view's welcome content then offers "Set API Key".
        return [];
      }
      return this.guard(undefined, (signal) => this.rootChildren(signal));
    }
    const children = rowOf(node).children;
    if (children === 'none') {
      return [];
    }
    if ('known' in children) {
      return children.known(node);
    }
    return this.guard(node, (signal) => children.load(node, this.childrenContext(node, signal)));
  }

  /** A parent's rows as its row module reads them (no cancellation row, no error row: live updates). */
  private async loadChildren(node: ParentNode, signal: AbortSignal): Promise<TreeNode[]> {
    const children = rowOf(node).children;
    if (children === 'none') {
      return [];
    }
    return 'known' in children ? children.known(node) : children.load(node, this.childrenContext(node, signal));
  }

  private childrenContext(node: TreeNode, signal: AbortSignal): ChildrenContext {
    const key = nodeId(node);
    // Made when first asked: most rows' children come whole with their load.
    const follower = (): Follower => this.follower(key, node);
    return {
      repository: this.repository,
      signal,
      isExpanded: (rowId) => this.expandedRows.has(rowId),
      arrangement: { sort: this.sort, filter: this.filter },
      get keepReading() {
        return follower().controller.signal;
      },
      follow: (progress, onProgress) => follower().follow(progress, onProgress),
      documentRows: this.documentRowLimits.get(key) ?? DOCUMENT_ROWS_STEP,
    };
  }

  private follower(key: string, node: TreeNode): Follower {
    let follower = this.followers.get(key);
    if (!follower) {
      follower = new Follower(() => this.changed.fire(this.shown.get(key) ?? node));
      this.followers.set(key, follower);
    }
    return follower;
  }

  private stopFollowing(key: string): void {
    this.followers.get(key)?.dispose();
    this.followers.delete(key);
  }

  /** Show More under a run: the next rows of its documents, from memory. */
  showMoreDocuments(node: MoreDocumentsNode): void {
    const key = nodeId(node.parent);
    this.documentRowLimits.set(key, (this.documentRowLimits.get(key) ?? DOCUMENT_ROWS_STEP) + DOCUMENT_ROWS_STEP);
    this.changed.fire(this.shown.get(key) ?? node.parent);
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
    this.documentRowLimits.clear();
    this.root = undefined;
    this.shown.clear();
    this.rows.clear();
    this.changed.fire(undefined);
  }

  /** The experiments and runs expanded on screen, as the view shows them now. */
  expandedNodes(): Array<ExperimentNode | RunNode> {
    return [...this.expandedRows].map((id) => this.shown.get(id)).filter((node): node is ExperimentNode | RunNode => node !== undefined);
  }

  /** A node's rows as the view shows them now (last loaded), without loading them again. */
  shownChildren(node: TreeNode): readonly TreeNode[] | undefined {
    return this.rows.get(nodeId(node));
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
      after = await this.loadChildren(parent, new AbortController().signal);
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
      void showErrorNotification(l10n.t('load more workflows'), caught, () => this.loadMoreWorkflows());
    }
  }

  /** Collapsing a node means its children are no longer wanted. */
  cancelLoading(node: TreeNode): void {
    const key = nodeId(node);
    const controller = this.loading.get(key);
    const following = this.followers.get(key);
    if (following) {
      // A read still going on stops; expanding again joins what is in memory or reads anew.
      this.stopFollowing(key);
      const shown = this.shown.get(key);
      if (shown?.kind === 'run' && shown.reading) {
        shown.reading = undefined;
        this.changed.fire(shown);
      }
    }
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
    for (const follower of this.followers.values()) {
      follower.dispose();
    }
    this.followers.clear();
  }

  private async rootChildren(signal: AbortSignal): Promise<TreeNode[]> {
    if (!this.root) {
      const page = await this.repository.listWorkflows(undefined, { signal });
      this.root = { workflows: page.workflows, nextCursor: page.nextCursor };
    }
    const root = this.root;
    const nodes: TreeNode[] = root.workflows.map((workflow): WorkflowNode => ({
      kind: 'workflow',
      workflow,
      draftDiffers: this.repository.drafts.differs(workflow.id),
    }));
    if (root.nextCursor) {
      nodes.push({ kind: 'loadMore', cursor: root.nextCursor });
    }
    const offline = this.repository.offline;
    if (offline) {
      // Saved data stays visible, but the first row says so and offers the way back; the next
      // load asks the server again.
      this.root = undefined;
      const banner = errorNode(undefined, offline.error);
      nodes.unshift({ ...banner, text: l10n.t('Saved data'), summary: banner.text });
    }
    return nodes.length > 0 ? nodes : [empty(undefined, l10n.t('No workflows yet'))];
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
