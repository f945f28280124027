import { RetabError, kindForStatus, toRetabError } from './errors';
import { JobRef, assertSafeId } from './ids';
import {
  CancelledRun,
  Experiment,
  Job,
  RunContent,
  RunMetrics,
  RunSummary,
  StartedRun,
  Workflow,
  WorkflowPage,
  parseArtifactRecord,
  parseCancelledRun,
  parseExperiment,
  parseExperimentList,
  parseJob,
  parseRunContent,
  parseRunList,
  parseRunMetrics,
  parseStartedRun,
  parseWorkflow,
  parseWorkflowPage,
} from './models';
import { RequestListener } from './requestLog';
import { ConcurrencyLimit, SharedRequests, abortable, backoffDelayMs, sleep } from './requestPolicy';
import { FetchLike, FetchResponse, nodeFetch } from './transport';
import { JsonObject, isObject } from './validate';

export interface RetryPolicy {
  /** Attempts in all, the first one included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A server asking for a longer pause than this is not worth keeping the user waiting for. */
  maxRetryAfterSeconds: number;
}

export interface RetabClientOptions {
  baseUrl: () => string;
  apiKey: () => Promise<string | undefined>;
  fetch?: FetchLike;
  timeoutMs?: () => number;
  onRequest?: RequestListener;
  retry?: Partial<RetryPolicy>;
  maxConcurrentRequests?: number;
  /** Told of every 401/403, so the UI can say it once rather than once per request. */
  onAuthError?: (error: RetabError) => void;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 400, maxDelayMs: 8000, maxRetryAfterSeconds: 30 };

export const ARTIFACT_OPERATIONS: Readonly<Record<string, string>> = {
  extraction: 'extractions',
  classification: 'classifications',
  split: 'splits',
  parse: 'parses',
  edit: 'edits',
  partition: 'partitions',
};

const RETRIABLE_STATUSES = new Set([429, 502, 503, 504]);
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

interface RequestSpec<T> {
  method: 'GET' | 'POST';
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: JsonObject;
  parse: (value: unknown) => T;
}

/**
 * The Retab API as typed methods. Knows nothing of VS Code: the key, base URL and timeout come
 * from providers so that settings and secrets can change under a long-lived client.
 */
export class RetabClient {
  private readonly fetchImpl: FetchLike;
  private readonly retry: RetryPolicy;
  private readonly limit: ConcurrencyLimit;
  private readonly shared = new SharedRequests();

  constructor(private readonly options: RetabClientOptions) {
    this.fetchImpl = options.fetch ?? nodeFetch;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.limit = new ConcurrencyLimit(options.maxConcurrentRequests ?? 4);
  }

  async listWorkflows(page: { limit?: number; after?: string } = {}, signal?: AbortSignal): Promise<WorkflowPage> {
    return this.get('/workflows', parseWorkflowPage, signal, { limit: page.limit, after: page.after, order: 'desc' });
  }

  async getWorkflow(workflowId: string, signal?: AbortSignal): Promise<Workflow> {
    return this.get(`/workflows/${segment(workflowId, 'Workflow id')}`, (value) => parseWorkflow(value, 'response'), signal);
  }

  async listExperiments(workflowId: string, signal?: AbortSignal): Promise<Experiment[]> {
    return this.get(`${workflowPath(workflowId)}/experiments`, parseExperimentList, signal);
  }

  async getExperiment(workflowId: string, experimentId: string, signal?: AbortSignal): Promise<Experiment> {
    return this.get(experimentPath(workflowId, experimentId), (value) => parseExperiment(value, 'response'), signal);
  }

  async listRuns(workflowId: string, experimentId: string, signal?: AbortSignal): Promise<RunSummary[]> {
    return this.get(`${experimentPath(workflowId, experimentId)}/runs`, parseRunList, signal);
  }

  /** One job per document of the run; the latest run when `runId` is omitted. */
  async getRunContent(workflowId: string, experimentId: string, runId: string | undefined, signal?: AbortSignal): Promise<RunContent> {
    const query = { run_id: runId === undefined ? undefined : segment(runId, 'Run id') };
    return this.get(`${experimentPath(workflowId, experimentId)}/content`, parseRunContent, signal, query);
  }

  async getJob(ref: JobRef, signal?: AbortSignal): Promise<Job> {
    const path =
      `${experimentPath(ref.workflowId, ref.experimentId)}/runs/${segment(ref.runId, 'Run id')}` +
      `/documents/${segment(ref.documentId, 'Document id')}`;
    return this.get(path, (value) => parseJob(value, 'response'), signal);
  }

  async getRunMetrics(workflowId: string, experimentId: string, runId: string, signal?: AbortSignal): Promise<RunMetrics> {
    const query = { view: 'summary', run_id: segment(runId, 'Run id') };
    return this.get(`${experimentPath(workflowId, experimentId)}/metrics`, parseRunMetrics, signal, query);
  }

  async startRun(
    workflowId: string,
    experimentId: string,
    options: { nConsensus?: 3 | 5 | 7; retryFailedOnly?: boolean } = {},
    signal?: AbortSignal,
  ): Promise<StartedRun> {
    const body: JsonObject = {};
    if (options.nConsensus !== undefined) {
      body.n_consensus = options.nConsensus;
    }
    if (options.retryFailedOnly !== undefined) {
      body.retry_failed_only = options.retryFailedOnly;
    }
    return this.send({ method: 'POST', path: `${experimentPath(workflowId, experimentId)}/run`, body, parse: parseStartedRun }, signal);
  }

  async cancelRun(workflowId: string, experimentId: string, signal?: AbortSignal): Promise<CancelledRun> {
    return this.send({ method: 'POST', path: `${experimentPath(workflowId, experimentId)}/cancel`, body: {}, parse: parseCancelledRun }, signal);
  }

  async getArtifact(operation: string, artifactId: string, signal?: AbortSignal): Promise<JsonObject> {
    const collection = ARTIFACT_OPERATIONS[operation];
    if (!collection) {
      throw new RetabError('invalid_id', `Artifacts of operation "${operation}" cannot be opened.`);
    }
    return this.get(`/${collection}/${segment(artifactId, 'Artifact id')}`, parseArtifactRecord, signal);
  }

  private get<T>(
    path: string,
    parse: (value: unknown) => T,
    signal: AbortSignal | undefined,
    query?: Record<string, string | number | undefined>,
  ): Promise<T> {
    return this.send({ method: 'GET', path, query, parse }, signal);
  }

  private async send<T>(spec: RequestSpec<T>, signal?: AbortSignal): Promise<T> {
    const url = this.buildUrl(spec);
    if (spec.method !== 'GET') {
      return this.attemptAll(spec, url, signal);
    }
    // Identical GETs in flight share one request; it is aborted only when every caller gave up.
    return this.shared.run(url.toString(), (sharedSignal) => this.attemptAll(spec, url, sharedSignal), signal);
  }

  private buildUrl(spec: RequestSpec<unknown>): URL {
    const base = this.options.baseUrl().replace(/\/+$/, '');
    let url: URL;
    try {
      url = new URL(`${base}${spec.path}`);
    } catch {
      throw new RetabError('insecure_url', `The API base URL "${base}" is not a valid URL. Check the retab.apiBaseUrl setting.`);
    }
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname))) {
      throw new RetabError(
        'insecure_url',
        `Refusing to send the API key to ${url.protocol}//${url.host}: use https, or http only for a server on this machine (127.0.0.1, localhost, ::1).`,
      );
    }
    for (const [key, value] of Object.entries(spec.query ?? {})) {
      if (value !== undefined) {
        url.searchParams.set(key, String(value));
      }
    }
    return url;
  }

  private async attemptAll<T>(spec: RequestSpec<T>, url: URL, signal?: AbortSignal): Promise<T> {
    const key = await this.options.apiKey();
    if (!key) {
      throw new RetabError('no_key', 'No Retab API key is set. Run "Retab: Set API Key".');
    }
    const maxAttempts = spec.method === 'GET' ? this.retry.maxAttempts : 1;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.limit.run(() => this.attemptOnce(spec, url, key, attempt, signal), signal);
      } catch (caught) {
        const error = toRetabError(caught);
        if (error.kind === 'auth') {
          this.options.onAuthError?.(error);
        }
        if (attempt >= maxAttempts || !isRetriable(error)) {
          throw error;
        }
        const delayMs = backoffDelayMs(attempt, this.retry, error.retryAfterSeconds);
        this.options.onRequest?.({
          method: spec.method,
          path: url.pathname + url.search,
          status: error.status ?? null,
          durationMs: 0,
          requestId: error.requestId ?? null,
          attempt,
          outcome: 'retry',
          message: `retrying in ${delayMs} ms after: ${error.message}`,
        });
        await sleep(delayMs, signal);
      }
    }
  }

  private async attemptOnce<T>(spec: RequestSpec<T>, url: URL, key: string, attempt: number, signal?: AbortSignal): Promise<T> {
    const started = Date.now();
    const timeoutMs = this.options.timeoutMs?.() ?? 30_000;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new RetabError('timeout', `The request timed out after ${Math.round(timeoutMs / 1000)} s.`)), timeoutMs);
    const onCallerAbort = (): void => controller.abort(new RetabError('cancelled', 'The request was cancelled.'));
    signal?.addEventListener('abort', onCallerAbort, { once: true });
    let response: FetchResponse | undefined;
    const report = (outcome: 'ok' | 'error', message?: string): void =>
      this.options.onRequest?.({
        method: spec.method,
        path: url.pathname + url.search,
        status: response?.status ?? null,
        durationMs: Date.now() - started,
        requestId: response?.headers.get('x-request-id') ?? null,
        attempt,
        outcome,
        message,
      });
    try {
      if (signal?.aborted) {
        onCallerAbort();
      }
      const headers: Record<string, string> = { 'Api-Key': key, Accept: 'application/json' };
      if (spec.body) {
        headers['Content-Type'] = 'application/json';
      }
      response = await abortable(
        this.fetchImpl(url.toString(), {
          method: spec.method,
          headers,
          body: spec.body ? JSON.stringify(spec.body) : undefined,
          signal: controller.signal,
        }),
        controller.signal,
      );
      const text = await abortable(response.text(), controller.signal);
      const result = interpret(spec, response, text);
      report('ok');
      return result;
    } catch (caught) {
      const error = controller.signal.aborted && isRetabError(controller.signal.reason) ? controller.signal.reason : networkError(caught);
      report('error', error.message);
      throw error;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onCallerAbort);
    }
  }
}

function isRetabError(value: unknown): value is RetabError {
  return value instanceof RetabError;
}

function networkError(caught: unknown): RetabError {
  if (caught instanceof RetabError) {
    return caught;
  }
  const message = caught instanceof Error ? caught.message : String(caught);
  return new RetabError('network', `Could not reach the Retab API: ${message}`);
}

function isRetriable(error: RetabError): boolean {
  if (error.kind === 'network') {
    return true;
  }
  return error.status !== undefined && RETRIABLE_STATUSES.has(error.status);
}

function interpret<T>(spec: RequestSpec<T>, response: FetchResponse, text: string): T {
  const requestId = response.headers.get('x-request-id') ?? undefined;
  if (response.status < 200 || response.status >= 300) {
    throw httpError(response, text, requestId);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new RetabError('invalid_response', `The server sent a response that is not valid JSON (${text.length} characters).`, {
      status: response.status,
      requestId,
    });
  }
  try {
    return spec.parse(value);
  } catch (caught) {
    const error = toRetabError(caught);
    throw new RetabError(error.kind === 'network' ? 'invalid_response' : error.kind, error.message, {
      status: response.status,
      requestId,
      field: error.field,
    });
  }
}

function httpError(response: FetchResponse, text: string, requestId: string | undefined): RetabError {
  const status = response.status;
  const kind = kindForStatus(status);
  const { message, code } = serverMessage(text);
  const retryAfter = Number(response.headers.get('retry-after'));
  const fallback: Record<string, string> = {
    auth: 'The Retab API rejected the API key.',
    not_found: 'Not found.',
    conflict: 'The request conflicts with the current state.',
    rate_limited: 'Rate limited by the Retab API.',
    server: 'The Retab API had a server error.',
    client: 'The Retab API refused the request.',
  };
  return new RetabError(kind, message ?? fallback[kind] ?? `HTTP ${status}`, {
    status,
    requestId,
    code,
    retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter : undefined,
  });
}

const MAX_MESSAGE_LENGTH = 2000;

/** `{"detail": "…"}` or `{"detail": {"code", "message"}}`; anything else (an HTML page) gives none. */
function serverMessage(text: string): { message?: string; code?: string } {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return {};
  }
  if (!isObject(body)) {
    return {};
  }
  const detail = body.detail;
  if (typeof detail === 'string') {
    return { message: clip(detail) };
  }
  if (isObject(detail)) {
    return {
      message: typeof detail.message === 'string' ? clip(detail.message) : undefined,
      code: typeof detail.code === 'string' ? detail.code : undefined,
    };
  }
  return {};
}

function clip(message: string): string {
  return message.length > MAX_MESSAGE_LENGTH ? `${message.slice(0, MAX_MESSAGE_LENGTH)}…` : message;
}

function segment(value: string, label: string): string {
  return encodeURIComponent(assertSafeId(value, label));
}

function workflowPath(workflowId: string): string {
  return `/workflows/${segment(workflowId, 'Workflow id')}`;
}

function experimentPath(workflowId: string, experimentId: string): string {
  return `${workflowPath(workflowId)}/experiments/${segment(experimentId, 'Experiment id')}`;
}
