import * as vscode from 'vscode';
import { RetabError, toRetabError } from '../../api/errors';
import { Workflow } from '../../api/models';
import { RetabRepository } from '../../data/repository';
import { buildTreeItem } from './treeItems';
import { DocumentNode, ExperimentNode, MessageNode, ParentNode, RunNode, TreeNode, WorkflowNode, nodeId } from './nodes';

interface RootState {
  workflows: Workflow[];
  nextCursor: string | null;
}

/**
 * Workflows → experiments → runs → documents, loaded lazily as the user expands. A failed level
 * shows an error row with a retry rather than an empty tree; collapsing a node cancels its load.
 */
export class ExperimentsTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  private root: RootState | undefined;
  private readonly loading = new Map<string, AbortController>();

  constructor(
    private readonly repository: RetabRepository,
    private readonly hasApiKey: () => Promise<boolean>,
  ) {}

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return buildTreeItem(node);
  }

  getParent(node: TreeNode): TreeNode | undefined {
    switch (node.kind) {
      case 'experiment':
      case 'run':
      case 'document':
      case 'message':
        return node.parent;
      default:
        return undefined;
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
        return this.guard(node, (signal) => this.childrenOf(node, signal));
      default:
        return [];
    }
  }

  /** Re-reads everything from the server, keeping what is expanded. */
  refresh(): void {
    this.cancelAll();
    this.repository.invalidateLists();
    this.root = undefined;
    this.changed.fire(undefined);
  }

  /** Re-renders without discarding data, e.g. after the key changed from none to some. */
  redraw(node?: TreeNode): void {
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
      void vscode.window.showErrorMessage(`Could not load more workflows: ${toRetabError(caught).describe()}`);
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
    const nodes: TreeNode[] = this.root.workflows.map((workflow): WorkflowNode => ({ kind: 'workflow', workflow }));
    if (this.root.nextCursor) {
      nodes.push({ kind: 'loadMore', cursor: this.root.nextCursor });
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
        const nodes = runs.map((run, index): RunNode => ({ kind: 'run', parent: node, run, number: runs.length - index }));
        return nodes.length > 0 ? nodes : [empty(node, 'No runs yet')];
      }
      case 'run': {
        const ref = { workflowId: node.parent.parent.workflow.id, experimentId: node.parent.experiment.id };
        const content = await this.repository.getRunContent(ref.workflowId, ref.experimentId, node.run.id, { signal });
        const nodes = content.jobs.map(
          (job): DocumentNode => ({ kind: 'document', parent: node, job, ref: { ...ref, runId: node.run.id, documentId: job.documentId } }),
        );
        return nodes.length > 0 ? nodes : [empty(node, 'No documents in this run')];
      }
    }
  }

  private async guard(node: ParentNode | undefined, load: (signal: AbortSignal) => Promise<TreeNode[]>): Promise<TreeNode[]> {
    const key = node ? nodeId(node) : 'root';
    this.loading.get(key)?.abort();
    const controller = new AbortController();
    this.loading.set(key, controller);
    try {
      return await load(controller.signal);
    } catch (caught) {
      const error = toRetabError(caught);
      if (error.kind === 'cancelled') {
        return [];
      }
      return [errorNode(node, error)];
    } finally {
      if (this.loading.get(key) === controller) {
        this.loading.delete(key);
      }
    }
  }
}

function empty(parent: ParentNode | undefined, text: string): MessageNode {
  return { kind: 'message', parent, severity: 'empty', text };
}

function errorNode(parent: ParentNode | undefined, error: RetabError): MessageNode {
  if (error.kind === 'auth' || error.kind === 'no_key') {
    return { kind: 'message', parent, severity: 'error', text: 'API key rejected', detail: error.describe(), action: 'setApiKey' };
  }
  const text: Partial<Record<RetabError['kind'], string>> = {
    network: 'Cannot reach the Retab API',
    timeout: 'The Retab API did not answer in time',
    server: 'The Retab API had an error',
    rate_limited: 'Rate limited by the Retab API',
    invalid_response: 'Unexpected response from the Retab API',
    not_found: 'Not found on the server',
    insecure_url: 'API base URL refused',
  };
  return { kind: 'message', parent, severity: 'error', text: text[error.kind] ?? 'Could not load', detail: error.describe(), action: 'retry' };
}
