/**
 * Retab's workflow evals in VS Code's Test Explorer: a test controller "Retab Evals" whose items
 * are workflow → block → eval, read lazily (each workflow's evals when it is expanded, every
 * page). The last verdict of every eval shows without running anything: each workflow's latest
 * verdicts are published as a finished test run named after the server's run. Where the server
 * has no evals (a nested generation, or 405 where evals are not enabled) the explorer shows one
 * item that says why, never a toast per workflow.
 */
import { l10n } from '../../l10n';
import * as vscode from 'vscode';
import { WorkflowEval } from '../../api/evals/evalModels';
import { toRetabError } from '../../api/errors';
import { RetabRepository } from '../../data/repository';
import { EvalRepository } from '../../data/evals/evalRepository';
import { showInvisibles } from '../../format';
import { evalDescription, evalLabel, evalTags } from './evalWords';

export const EVALS_CONTROLLER_ID = 'retab.evals';
const UNAVAILABLE_ID = 'retab.evals.unavailable';

/** What an item stands for: its kind and ids (kept beside the item, since items carry only strings). */
export type EvalItemData =
  | { kind: 'workflow'; workflowId: string }
  | { kind: 'block'; workflowId: string; blockId: string }
  | { kind: 'eval'; workflowId: string; blockId: string; eval: WorkflowEval };

const TAGS = { drifted: new vscode.TestTag('drifted'), stale: new vscode.TestTag('stale') } as const;

export class EvalsTree implements vscode.Disposable {
  readonly controller: vscode.TestController;
  readonly data = new WeakMap<vscode.TestItem, EvalItemData>();
  /** Each workflow's evals as last listed, for the run plan and for mapping results to items. */
  private readonly evals = new Map<string, WorkflowEval[]>();
  /** VS Code has asked for the top level (the Testing view was shown): reloads read it again. */
  private rootResolved = false;

  constructor(
    private readonly repository: RetabRepository,
    private readonly evalRepository: EvalRepository,
  ) {
    this.controller = vscode.tests.createTestController(EVALS_CONTROLLER_ID, 'Retab Evals');
    this.controller.resolveHandler = (item) => this.resolve(item);
    this.controller.refreshHandler = (token) => this.reload(token, true);
  }

  evalsOf(workflowId: string): readonly WorkflowEval[] | undefined {
    return this.evals.get(workflowId);
  }

  /** The item of an eval, once its workflow was listed. */
  evalItem(workflowId: string, blockId: string, evalId: string): vscode.TestItem | undefined {
    return this.controller.items.get(workflowItemId(workflowId))?.children.get(blockItemId(blockId))?.children.get(evalId);
  }

  /** Every workflow's evals as last listed. */
  allListed(): IterableIterator<readonly WorkflowEval[]> {
    return this.evals.values();
  }

  /** A workflow's evals read again (after one was made, renamed or deleted). */
  async reloadWorkflow(workflowId: string): Promise<void> {
    const item = this.controller.items.get(workflowItemId(workflowId));
    if (item) {
      await this.resolveWorkflow(item, workflowId);
    }
  }

  /** Runs one item with the Run profile (Pin as Eval's "Run It"). */
  async runNow(item: vscode.TestItem): Promise<void> {
    await this.run?.(new vscode.TestRunRequest([item]), new vscode.CancellationTokenSource().token);
  }

  /** The Run profile's handler, set when the profile is made (registerEvals.ts). */
  run: ((request: vscode.TestRunRequest, token: vscode.CancellationToken) => Promise<void>) | undefined;

  /**
   * Another key or server, or the explorer's Refresh: everything is read again, but only if the
   * explorer had asked for it (VS Code asks when the Testing view is first shown): a person who
   * never opens it costs no request.
   */
  async reload(token?: vscode.CancellationToken, resolveNow = this.rootResolved): Promise<void> {
    this.evals.clear();
    this.controller.items.replace([]);
    if (resolveNow) {
      await this.resolve(undefined, token);
    }
  }

  dispose(): void {
    this.controller.dispose();
  }

  private async resolve(item: vscode.TestItem | undefined, token?: vscode.CancellationToken): Promise<void> {
    try {
      if (!item) {
        await this.resolveRoot(token);
        return;
      }
      const data = this.data.get(item);
      if (data?.kind === 'workflow') {
        await this.resolveWorkflow(item, data.workflowId);
      }
    } catch (caught) {
      const error = toRetabError(caught, l10n.t('listing evals'));
      if (item) {
        item.error = showInvisibles(error.describe());
      }
    }
  }

  private async resolveRoot(token?: vscode.CancellationToken): Promise<void> {
    this.rootResolved = true;
    const known = this.evalRepository.knownUnavailable();
    if (known) {
      this.showUnavailable(known);
      return;
    }
    const items: vscode.TestItem[] = [];
    for await (const workflow of this.repository.allWorkflows()) {
      if (token?.isCancellationRequested) {
        return;
      }
      const item = this.controller.createTestItem(workflowItemId(workflow.id), showInvisibles(workflow.name));
      item.description = workflow.id;
      item.canResolveChildren = true;
      this.data.set(item, { kind: 'workflow', workflowId: workflow.id });
      items.push(item);
    }
    this.controller.items.replace(items);
    // The first workflow says whether this server has evals at all: one line of why, not a row per workflow.
    const [first] = items;
    if (first) {
      await this.resolveWorkflow(first, (this.data.get(first) as { workflowId: string }).workflowId);
    }
  }

  private showUnavailable(reason: string): void {
    const item = this.controller.createTestItem(UNAVAILABLE_ID, 'No evals on this server');
    item.error = reason;
    this.controller.items.replace([item]);
  }

  private async resolveWorkflow(item: vscode.TestItem, workflowId: string): Promise<void> {
    item.busy = true;
    try {
      const listed = await this.evalRepository.evalsOf(workflowId);
      if (listed.kind === 'unavailable') {
        this.showUnavailable(listed.reason);
        return;
      }
      this.evals.set(workflowId, listed.evals);
      item.error = undefined;
      // Blocks are named by the experiments on them (the tree reads the same list: cached).
      await this.repository.listExperiments(workflowId).catch(() => undefined);
      const blocks = new Map<string, vscode.TestItem>();
      for (const evaluation of listed.evals) {
        let block = blocks.get(evaluation.blockId);
        if (!block) {
          block = this.controller.createTestItem(blockItemId(evaluation.blockId), this.blockLabel(workflowId, evaluation.blockId));
          block.description = evaluation.blockId;
          this.data.set(block, { kind: 'block', workflowId, blockId: evaluation.blockId });
          blocks.set(evaluation.blockId, block);
        }
        // Its definition is its "source": double-clicking opens it, and a failure's peek shows there.
        const child = this.controller.createTestItem(evaluation.id, evalLabel(evaluation), evalDefinitionUri(evaluation.id));
        child.range = new vscode.Range(0, 0, 0, 0);
        child.description = evalDescription(evaluation);
        child.tags = evalTags(evaluation).map((tag) => TAGS[tag as keyof typeof TAGS]);
        this.data.set(child, { kind: 'eval', workflowId, blockId: evaluation.blockId, eval: evaluation });
        block.children.add(child);
      }
      item.children.replace([...blocks.values()]);
      item.description = `${listed.evals.length} ${listed.evals.length === 1 ? 'eval' : 'evals'}`;
      this.publishLatest(workflowId, listed.evals);
    } finally {
      item.busy = false;
    }
  }

  /** A block is known by the experiment that names it, when one does. */
  private blockLabel(workflowId: string, blockId: string): string {
    const experiment = this.repository.knownExperimentOfBlock(workflowId, blockId);
    return experiment ? showInvisibles(l10n.t('{0} (block)', experiment.name)) : blockId;
  }

  /**
   * The last verdicts, without running anything: one finished run per server run they came from,
   * named after it, so the explorer's icons show them.
   */
  private publishLatest(workflowId: string, evals: readonly WorkflowEval[]): void {
    const byRun = new Map<string, WorkflowEval[]>();
    for (const evaluation of evals) {
      const latest = evaluation.latestRun;
      if (latest && (latest.outcome !== null || latest.status === 'error' || latest.status === 'cancelled')) {
        const runId = latest.runId ?? 'latest';
        byRun.set(runId, [...(byRun.get(runId) ?? []), evaluation]);
      }
    }
    for (const [runId, members] of byRun) {
      const run = this.controller.createTestRun(new vscode.TestRunRequest(), l10n.t('Last run {0} ({1})', runId, workflowId), false);
      for (const evaluation of members) {
        const item = this.evalItem(workflowId, evaluation.blockId, evaluation.id);
        const latest = evaluation.latestRun;
        if (!item || !latest) {
          continue;
        }
        const duration = latest.durationMs ?? undefined;
        if (latest.outcome === 'passed') {
          run.passed(item, duration);
        } else if (latest.outcome === 'failed') {
          run.failed(item, new vscode.TestMessage(l10n.t('Failed in run {0}. Run the eval to see expected and actual values.', runId)), duration);
        } else if (latest.outcome === 'blocked') {
          run.errored(item, new vscode.TestMessage(l10n.t('Blocked in run {0}: the assertion could not be evaluated.', runId)), duration);
        } else {
          run.errored(
            item,
            new vscode.TestMessage(l10n.t("The eval's last run {0} ({1}).", latest.status === 'cancelled' ? l10n.t('was cancelled') : 'errored', runId)),
            duration,
          );
        }
      }
      run.end();
    }
  }
}

/** The read-only document of an eval's definition (served by evalDocuments.ts). */
export function evalDefinitionUri(evalId: string): vscode.Uri {
  return vscode.Uri.from({ scheme: EVAL_DOCUMENT_SCHEME, path: `/eval/${evalId}.json` });
}

/** The scheme of the evals' read-only documents: definitions, and whole values a message shows cut. */
export const EVAL_DOCUMENT_SCHEME = 'retab-eval';

export function workflowItemId(workflowId: string): string {
  return `workflow:${workflowId}`;
}

export function blockItemId(blockId: string): string {
  return `block:${blockId}`;
}
