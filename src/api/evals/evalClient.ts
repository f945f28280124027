/**
 * The workflow evals API (flat generations, SDK 61d9c44e: `/workflows/evals…`), through the
 * client's detection, key and transport. Its routes are the same wherever they exist; a nested
 * server has none (`capabilities.evals`), and a flat one may answer 405 where evals are not
 * enabled (or 404 on the list of a workflow that exists): `evalsUnavailable` words both.
 */
import { l10n } from '../../l10n';
import { RetabClient } from '../client';
import { segment } from '../dialects/common';
import { HttpMethod, Page, RequestSpec } from '../dialects/dialect';
import { RetabError } from '../errors';
import { collectPages } from '../paging';
import { JsonObject } from '../validate';
import { EvalResult, EvalRun, EvalScope, WorkflowEval } from './evalModels';
import { parseEval, parseEvalPage, parseEvalResultPage, parseEvalRun, parseEvalRunPage } from './evalWire';

/** The evals routes take at most 100 a page. */
const PAGE_SIZE = 100;
/** Far beyond real workflows (and runs), low enough that a looping server stops. */
const MAX_PAGES = 50;

function specOf<T>(method: HttpMethod, path: string, parse: (value: unknown) => T, extra: Partial<RequestSpec<T>> = {}): RequestSpec<T> {
  // Evals may be missing from a server of a generation that has them: that says nothing of the generation.
  return { method, path, parse, optional: true, ...extra };
}

function scopeBody(scope: EvalScope): JsonObject {
  switch (scope.type) {
    case 'workflow':
      return { type: 'workflow' };
    case 'block':
      return { type: 'block', block_id: scope.blockId };
    case 'single':
      return { type: 'single', eval_id: scope.evalId };
  }
}

export class EvalClient {
  constructor(private readonly client: RetabClient) {}

  /** Whether the server's generation has evals at all (found out first if need be). */
  async hasEvals(signal?: AbortSignal): Promise<boolean> {
    return (await this.client.dialect(signal)).capabilities.evals;
  }

  /** Every eval of a workflow, every page. */
  async listEvals(workflowId: string, signal?: AbortSignal): Promise<WorkflowEval[]> {
    const { items } = await collectPages(
      (cursor) =>
        this.client.request(
          () =>
            specOf('GET', '/workflows/evals', parseEvalPage, {
              query: { workflow_id: segment(workflowId, l10n.t('Workflow id')), limit: PAGE_SIZE, after: cursor, order: 'asc' },
              list: true,
              size: 'large',
            }),
          signal,
        ),
      MAX_PAGES,
      signal,
    );
    return items;
  }

  async createEval(spec: NewEval, signal?: AbortSignal): Promise<WorkflowEval> {
    return this.client.request(
      () =>
        specOf('POST', '/workflows/evals', (value) => parseEval(value), {
          body: {
            workflow_id: spec.workflowId,
            name: spec.name,
            target: { type: 'block', block_id: spec.blockId },
            source: { type: 'manual', handle_inputs: spec.handleInputs as JsonObject },
            assertion: { target: { output_handle_id: spec.outputHandleId, path: spec.path }, condition: spec.condition as JsonObject },
          },
        }),
      signal,
    );
  }

  async renameEval(evalId: string, name: string, signal?: AbortSignal): Promise<WorkflowEval> {
    return this.client.request(
      () => specOf('PATCH', `/workflows/evals/${segment(evalId, l10n.t('Eval id'))}`, (value) => parseEval(value), { body: { name } }),
      signal,
    );
  }

  async deleteEval(evalId: string, signal?: AbortSignal): Promise<void> {
    await this.client.request(() => specOf('DELETE', `/workflows/evals/${segment(evalId, l10n.t('Eval id'))}`, () => undefined), signal);
  }

  async startRun(workflowId: string, scope: EvalScope, signal?: AbortSignal): Promise<EvalRun> {
    return this.client.request(
      () => specOf('POST', '/workflows/evals/runs', (value) => parseEvalRun(value), { body: { workflow_id: workflowId, scope: scopeBody(scope) } }),
      signal,
    );
  }

  async getRun(runId: string, signal?: AbortSignal): Promise<EvalRun> {
    return this.client.request(() => specOf('GET', `/workflows/evals/runs/${segment(runId, l10n.t('Eval run id'))}`, (value) => parseEvalRun(value)), signal);
  }

  /** A workflow's recent eval runs, newest first (one page). */
  async recentRuns(workflowId: string, limit: number, signal?: AbortSignal): Promise<EvalRun[]> {
    const page = await this.client.request(
      () =>
        specOf('GET', '/workflows/evals/runs', parseEvalRunPage, {
          query: { workflow_id: segment(workflowId, l10n.t('Workflow id')), limit: Math.min(limit, PAGE_SIZE), order: 'desc' },
          list: true,
        }),
      signal,
    );
    return page.items;
  }

  async cancelRun(runId: string, signal?: AbortSignal): Promise<EvalRun> {
    return this.client.request(
      () => specOf('POST', `/workflows/evals/runs/${segment(runId, l10n.t('Eval run id'))}/cancel`, (value) => parseEvalRun(value), { body: {} }),
      signal,
    );
  }

  /** One page of a run's results, after `cursor` (from the start without one). */
  async resultsPage(runId: string, cursor: string | undefined, signal?: AbortSignal): Promise<Page<EvalResult>> {
    return this.client.request(
      () =>
        specOf('GET', '/workflows/evals/results', parseEvalResultPage, {
          query: { run_id: segment(runId, l10n.t('Eval run id')), limit: PAGE_SIZE, after: cursor, order: 'asc' },
          list: true,
          size: 'large',
        }),
      signal,
    );
  }

  /** Every result of a run so far, every page (a run has at most its workflow's evals). */
  async results(runId: string, signal?: AbortSignal): Promise<EvalResult[]> {
    const { items } = await collectPages(
      (cursor) =>
        this.client.request(
          () =>
            specOf('GET', '/workflows/evals/results', parseEvalResultPage, {
              query: { run_id: segment(runId, l10n.t('Eval run id')), limit: PAGE_SIZE, after: cursor, order: 'asc' },
              list: true,
              size: 'large',
            }),
          signal,
        ),
      MAX_PAGES,
      signal,
    );
    return items;
  }
}

/**
 * Why this server shows no evals, when an error says evals are not there (405: not enabled on
 * this environment; 404 on a workflow's list: the route is missing there); undefined for any
 * other error, which is an error.
 */
export function evalsUnavailable(error: RetabError): string | undefined {
  if (error.status === 405) {
    return l10n.t('Evals are not enabled on this Retab server (it answered 405 to the evals routes).');
  }
  if (error.kind === 'not_found') {
    return l10n.t('This Retab server has no evals for its workflows (it answered 404 to the evals list).');
  }
  return undefined;
}

/** What a new eval is made of (POST /workflows/evals): one block, frozen inputs, one assertion. */
export interface NewEval {
  workflowId: string;
  blockId: string;
  name: string;
  /** The inputs as the server sent them (HandleValue objects by handle id). */
  handleInputs: Record<string, unknown>;
  outputHandleId: string;
  path: string;
  condition: Record<string, unknown>;
}
