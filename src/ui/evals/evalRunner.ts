/**
 * The Test Explorer's Run profile for evals: what was chosen becomes the fewest, narrowest server
 * runs (runPlan.ts); each is followed until it ends, its results reported as they come (polled from
 * 1 s, backing off to 10 s while nothing new arrives, within a time bound), and cancelling the
 * test run cancels the server runs.
 */
import { l10n } from '../../l10n';
import * as vscode from 'vscode';
import { EvalResult, EvalRun, isTerminalEval } from '../../api/evals/evalModels';
import { toRetabError } from '../../api/errors';
import { EvalRepository } from '../../data/evals/evalRepository';
import { showInvisibles } from '../../format';
import { EvalsTree } from './evalsController';
import { resultState } from './evalWords';
import { reportResult } from './reportResult';
import { EvalDocuments } from './evalDocuments';
import { withAbortSignal } from '../shared/cancellation';
import { sleep } from '../../api/requestPolicy';
import { Chosen, PlannedRun, planRuns } from './runPlan';

const FIRST_POLL_MS = 1_000;
const MAX_POLL_MS = 10_000;
/** A run still going after this long is left to the server; the test run says so. */
const MAX_FOLLOW_MS = 30 * 60_000;
/** Polls without a new result before the run itself is asked whether it ended. */
const QUIET_POLLS_BEFORE_RUN = 2;
/** Polls in a row that may fail (a bad network) before the run is given up on. */
const MAX_FAILED_POLLS = 5;

/** What a run reported of one eval (for tests and the benchmark; the Test Explorer shows the same). */
export interface EvalReport {
  evalId: string;
  state: 'started' | 'passed' | 'failed' | 'errored' | 'skipped';
  serverRunId: string | null;
  /** The failure message, expected and actual where there are some. */
  message?: string;
  expected?: string;
  actual?: string;
}

export class EvalRunner implements vscode.Disposable {
  private readonly reports = new vscode.EventEmitter<EvalReport>();
  readonly onDidReport = this.reports.event;
  private readonly serverRuns = new vscode.EventEmitter<EvalRun>();
  /** Fires with each server run this runner started. */
  readonly onDidStartServerRun = this.serverRuns.event;

  dispose(): void {
    this.reports.dispose();
    this.serverRuns.dispose();
  }

  constructor(
    private readonly tree: EvalsTree,
    private readonly evals: EvalRepository,
    private readonly documents: EvalDocuments,
  ) {}

  async run(request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> {
    const run = this.tree.controller.createTestRun(request, l10n.t('Retab evals'));
    try {
      const chosen = await this.chosen(request);
      const plan = planRuns(chosen, { evalsOf: (workflowId) => this.tree.evalsOf(workflowId) });
      for (const planned of plan) {
        for (const evalId of planned.evalIds) {
          const item = this.itemOf(planned.workflowId, evalId);
          if (item) {
            run.enqueued(item);
          }
        }
      }
      await Promise.all(plan.map((planned) => this.follow(planned, run, token)));
    } finally {
      run.end();
    }
  }

  /** The chosen items as workflows, blocks and evals; everything listed when nothing was chosen. */
  private async chosen(request: vscode.TestRunRequest): Promise<Chosen[]> {
    const roots: vscode.TestItem[] = request.include ? [...request.include] : [];
    if (!request.include) {
      this.tree.controller.items.forEach((item) => roots.push(item));
    }
    const excluded = new Set((request.exclude ?? []).map((item) => item.id));
    const chosen: Chosen[] = [];
    for (const item of roots) {
      const data = this.tree.data.get(item);
      if (!data || excluded.has(item.id)) {
        continue;
      }
      if (data.kind === 'workflow' && !this.tree.evalsOf(data.workflowId)) {
        await this.tree.controller.resolveHandler?.(item);
      }
      const hasExcludedChild = [...excluded].length > 0;
      if (data.kind === 'workflow' && !hasExcludedChild) {
        chosen.push({ workflowId: data.workflowId });
      } else if (data.kind === 'eval') {
        chosen.push({ workflowId: data.workflowId, blockId: data.blockId, evalId: data.eval.id });
      } else {
        // A block, or a workflow with something excluded: its evals one by one, minus the excluded.
        for (const evaluation of this.tree.evalsOf(data.workflowId) ?? []) {
          if ((data.kind === 'workflow' || evaluation.blockId === data.blockId) && !excluded.has(evaluation.id)) {
            chosen.push({ workflowId: data.workflowId, blockId: evaluation.blockId, evalId: evaluation.id });
          }
        }
      }
    }
    return chosen;
  }

  private itemOf(workflowId: string, evalId: string): vscode.TestItem | undefined {
    const evaluation = this.tree.evalsOf(workflowId)?.find((candidate) => candidate.id === evalId);
    return evaluation ? this.tree.evalItem(workflowId, evaluation.blockId, evalId) : undefined;
  }

  private async follow(planned: PlannedRun, run: vscode.TestRun, token: vscode.CancellationToken): Promise<void> {
    const items = [...planned.evalIds].map((id) => [id, this.itemOf(planned.workflowId, id)] as const);
    let server: EvalRun;
    try {
      server = await this.evals.startRun(planned.workflowId, planned.scope);
    } catch (caught) {
      const message = new vscode.TestMessage(
        l10n.t('The eval run could not start: {0}', showInvisibles(toRetabError(caught, l10n.t('starting an eval run')).describe())),
      );
      for (const [, item] of items) {
        if (item) {
          run.errored(item, message);
        }
      }
      return;
    }
    run.appendOutput(l10n.t('Retab eval run {0} ({1}) started for {2} eval(s).\r\n', server.id, planned.scope.type, planned.evalIds.size));
    this.serverRuns.fire(server);
    const serverRunId = server.id;
    const cancelled = token.onCancellationRequested(() => {
      void this.evals.cancelRun(server.id).then(
        () => run.appendOutput(l10n.t('Retab eval run {0} cancelled.\r\n', server.id)),
        (caught: unknown) =>
          run.appendOutput(l10n.t('Could not cancel {0}: {1}\r\n', server.id, toRetabError(caught, l10n.t('cancelling an eval run')).message)),
      );
    });
    const reported = new Set<string>();
    const started = new Set<string>();
    let delay = FIRST_POLL_MS;
    let failures = 0;
    /**
     * One request a poll: the results after `cursor` (pages before it hold only finished results,
     * since a run's evals end in order), or the run itself once results stop coming (it may have
     * ended, failed or been cancelled). Following stops once every chosen eval has its result.
     */
    let cursor: string | undefined;
    let quietPolls = 0;
    let ended = false;
    const deadline = Date.now() + MAX_FOLLOW_MS;
    try {
      for (;;) {
        if (token.isCancellationRequested) {
          this.finishRest(items, reported, run, 'skipped', l10n.t('Cancelled.'));
          return;
        }
        await wait(delay, token);
        const askRun = !ended && quietPolls >= QUIET_POLLS_BEFORE_RUN;
        let results: EvalResult[] = [];
        try {
          if (askRun) {
            server = await this.evals.getRun(server.id);
            quietPolls = 0;
            ended = isTerminalEval(server.status);
          } else {
            const page = await this.evals.resultsPage(server.id, cursor);
            results = page.items;
            if (page.nextCursor && page.items.length > 0 && page.items.every((result) => isTerminalEval(result.status))) {
              cursor = page.nextCursor;
            }
          }
          failures = 0;
        } catch (caught) {
          if (++failures >= MAX_FAILED_POLLS) {
            this.finishRest(
              items,
              reported,
              run,
              'errored',
              l10n.t('Lost track of eval run {0}: {1}', server.id, toRetabError(caught, l10n.t('polling an eval run')).message),
            );
            return;
          }
          delay = Math.min(delay * 2, MAX_POLL_MS);
          continue;
        }
        let fresh = false;
        for (const result of results) {
          const item = planned.evalIds.has(result.evalId) ? this.itemOf(planned.workflowId, result.evalId) : undefined;
          if (!item || reported.has(result.evalId)) {
            continue;
          }
          const state = resultState(result);
          if (state.state === 'running') {
            if (!started.has(result.evalId)) {
              started.add(result.evalId);
              run.started(item);
              this.reports.fire({ evalId: result.evalId, state: 'started', serverRunId });
              fresh = true;
            }
            continue;
          }
          reported.add(result.evalId);
          fresh = true;
          reportResult(run, item, result, state, this.documents);
          this.reports.fire({
            evalId: result.evalId,
            state: state.state,
            serverRunId,
            ...(state.state === 'failed' ? { message: state.message, expected: state.expected, actual: state.actual } : {}),
            ...(state.state === 'errored' ? { message: state.message } : {}),
          });
        }
        if (reported.size >= planned.evalIds.size) {
          return; // every chosen eval has its result; the run's other evals (a block run) are not ours to wait for
        }
        // The run ended: once its last results are read (the poll after the one that saw it end), what is left is said.
        if (ended && !askRun) {
          const why =
            server.status === 'error'
              ? l10n.t('The eval run {0} failed: {1}', server.id, showInvisibles(server.message ?? l10n.t('no reason given')))
              : server.status === 'cancelled'
                ? l10n.t('The eval run {0} was cancelled{1}.', server.id, server.message ? `: ${showInvisibles(server.message)}` : '')
                : l10n.t('No result for this eval in run {0}.', server.id);
          if (server.status === 'error') {
            run.appendOutput(`${why}\r\n`);
          }
          this.finishRest(items, reported, run, server.status === 'cancelled' ? 'skipped' : 'errored', why);
          return;
        }
        if (!askRun) {
          quietPolls = fresh ? 0 : quietPolls + 1;
        }
        if (Date.now() > deadline) {
          this.finishRest(items, reported, run, 'errored', l10n.t('Eval run {0} was still going after 30 minutes; it goes on on the server.', server.id));
          return;
        }
        delay = fresh || ended ? FIRST_POLL_MS : Math.min(Math.round(delay * 1.6), MAX_POLL_MS);
      }
    } finally {
      cancelled.dispose();
    }
  }

  private finishRest(
    items: ReadonlyArray<readonly [string, vscode.TestItem | undefined]>,
    reported: Set<string>,
    run: vscode.TestRun,
    as: 'skipped' | 'errored',
    why: string,
  ): void {
    for (const [id, item] of items) {
      if (item && !reported.has(id)) {
        reported.add(id);
        this.reports.fire({ evalId: id, state: as, serverRunId: null, message: why });
        if (as === 'skipped') {
          run.skipped(item);
        } else {
          run.errored(item, new vscode.TestMessage(why));
        }
      }
    }
  }
}

/** Waits `ms`, or less when the test run is cancelled. */
function wait(ms: number, token: vscode.CancellationToken): Promise<void> {
  return withAbortSignal(token, (signal) => sleep(ms, signal)).catch(() => undefined);
}
