/**
 * The evals the Test Explorer shows, read through the evals client: whether this server has them
 * (found once per base URL, like the generation: a nested server has none, a flat one may answer
 * 405), a workflow's evals, and runs with their results. No caching of runs: the Test Explorer
 * holds what was shown; a workflow's evals are read again when its item is expanded or refreshed.
 */
import { l10n } from '../../l10n';
import { EvalClient, NewEval, evalsUnavailable } from '../../api/evals/evalClient';
import { EvalResult, EvalRun, EvalScope, WorkflowEval } from '../../api/evals/evalModels';
import { toRetabError } from '../../api/errors';
import { Page } from '../../api/dialects/dialect';

export type EvalsOf = { kind: 'evals'; evals: WorkflowEval[] } | { kind: 'unavailable'; reason: string };

export class EvalRepository {
  /** Base URLs known to have no evals, with why: said once, not asked again until cleared. */
  private readonly unavailable = new Map<string, string>();

  constructor(
    private readonly client: EvalClient,
    private readonly baseUrl: () => string,
  ) {}

  /** Why this server shows no evals, when that is known already (no request). */
  knownUnavailable(): string | undefined {
    return this.unavailable.get(this.baseUrl());
  }

  async evalsOf(workflowId: string, signal?: AbortSignal): Promise<EvalsOf> {
    const base = this.baseUrl();
    const known = this.unavailable.get(base);
    if (known) {
      return { kind: 'unavailable', reason: known };
    }
    if (!(await this.client.hasEvals(signal))) {
      const reason = l10n.t('This Retab server speaks an API generation without evals (nested routes): there is nothing to show here.');
      this.unavailable.set(base, reason);
      return { kind: 'unavailable', reason };
    }
    try {
      return { kind: 'evals', evals: await this.client.listEvals(workflowId, signal) };
    } catch (caught) {
      const error = toRetabError(caught, l10n.t('listing evals'));
      const reason = evalsUnavailable(error);
      if (!reason) {
        throw error;
      }
      this.unavailable.set(base, reason);
      return { kind: 'unavailable', reason };
    }
  }

  startRun(workflowId: string, scope: EvalScope, signal?: AbortSignal): Promise<EvalRun> {
    return this.client.startRun(workflowId, scope, signal);
  }

  getRun(runId: string, signal?: AbortSignal): Promise<EvalRun> {
    return this.client.getRun(runId, signal);
  }

  resultsPage(runId: string, cursor: string | undefined, signal?: AbortSignal): Promise<Page<EvalResult>> {
    return this.client.resultsPage(runId, cursor, signal);
  }

  results(runId: string, signal?: AbortSignal): Promise<EvalResult[]> {
    return this.client.results(runId, signal);
  }

  recentRuns(workflowId: string, limit: number, signal?: AbortSignal): Promise<EvalRun[]> {
    return this.client.recentRuns(workflowId, limit, signal);
  }

  createEval(spec: NewEval, signal?: AbortSignal): Promise<WorkflowEval> {
    return this.client.createEval(spec, signal);
  }

  renameEval(evalId: string, name: string, signal?: AbortSignal): Promise<WorkflowEval> {
    return this.client.renameEval(evalId, name, signal);
  }

  deleteEval(evalId: string, signal?: AbortSignal): Promise<void> {
    return this.client.deleteEval(evalId, signal);
  }

  cancelRun(runId: string, signal?: AbortSignal): Promise<EvalRun> {
    return this.client.cancelRun(runId, signal);
  }

  /** Another key or server: found out again. */
  clear(): void {
    this.unavailable.clear();
  }
}
