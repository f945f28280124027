import { l10n } from '../l10n';
import { BODY_CAPS, readCappedText } from './bodyReader';
import { parseJsonInSlices } from './slicedJson';
import { trimTrailingSlashes } from './strings';
import { RetabError, kindForStatus, toRetabError } from './errors';
import { AuthScheme, RequestSpec } from './dialects/dialect';
import { RequestListener } from './requestLog';
import { ConcurrencyLimit, SharedRequests, abortable, backoffDelayMs, sleep } from './requestPolicy';
import { isObject } from './validate';

/**
 * The slice of `fetch` the transport needs. Both node-fetch and the global fetch fit it, and
 * tests pass either one pointed at a real local server.
 */
export interface FetchResponse {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  /** Read as a stream, within caps (bodyReader.ts): a Node stream (node-fetch) or a web stream (global fetch). */
  readonly body: AsyncIterable<Uint8Array> | WebStreamLike | null;
}

/** The part of a web ReadableStream the transport reads. */
export interface WebStreamLike {
  getReader(): { read(): Promise<{ done: boolean; value?: Uint8Array }>; cancel(reason?: unknown): Promise<void>; releaseLock(): void };
}

function isAsyncIterable(body: AsyncIterable<Uint8Array> | WebStreamLike): body is AsyncIterable<Uint8Array> {
  return Symbol.asyncIterator in body;
}

/** A body as an async iterable of chunks, whichever kind of stream it is. */
export async function* bodyChunks(body: AsyncIterable<Uint8Array> | WebStreamLike): AsyncGenerator<Uint8Array> {
  if (isAsyncIterable(body)) {
    yield* body;
    return;
  }
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        return;
      }
      if (value) {
        yield value;
      }
    }
  } finally {
    await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

export interface FetchInit {
  method: string;
  headers: Record<string, string>;
  body?: string;
  signal: AbortSignal;
  /** Redirects are never followed by the fetch implementation: the transport decides (see `follow`). */
  redirect: 'manual';
}

export type FetchLike = (url: string, init: FetchInit) => Promise<FetchResponse>;

/**
 * node-fetch, loaded on the first request (not at activation: it is most of the bundle), with
 * decompression left to the transport so that compressed and decompressed bytes are both capped.
 */
export const nodeFetch: FetchLike = async (url, init) => {
  const { default: fetchImpl } = await import('node-fetch');
  // l10n-exempt: an HTTP header's value
  const response = await fetchImpl(url, { ...init, compress: false, headers: { ...init.headers, 'Accept-Encoding': 'gzip, deflate, br' } });
  return { status: response.status, headers: response.headers, body: response.body, undecoded: true } as FetchResponse;
};

/** A response whose body is still Content-Encoded (node-fetch with `compress: false`). */
function isUndecoded(response: FetchResponse): boolean {
  return (response as FetchResponse & { undecoded?: boolean }).undecoded === true;
}

export interface RetryPolicy {
  /** Attempts in all, the first one included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A server asking for a longer pause than this is not worth keeping the user waiting for. */
  maxRetryAfterSeconds: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 400, maxDelayMs: 8000, maxRetryAfterSeconds: 30 };

export interface TransportOptions {
  baseUrl: () => string;
  apiKey: () => Promise<string | undefined>;
  fetch?: FetchLike;
  timeoutMs?: () => number;
  onRequest?: RequestListener;
  retry?: Partial<RetryPolicy>;
  maxConcurrentRequests?: number;
}

/** Retried for GETs only (a write is sent once). 500 too: a GET asked again changes nothing, and proxies send it for passing faults. */
const RETRIABLE_STATUSES = new Set([429, 500, 502, 503, 504]);
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);
/** Same-origin redirects followed per request, at most. */
const MAX_REDIRECTS = 3;
/** The first retry never comes sooner than this, whatever the server hints. */
const MIN_RETRY_DELAY_MS = 200;

/** The header each scheme puts the key in. */
function authHeaders(scheme: AuthScheme, key: string): Record<string, string> {
  // l10n-exempt: an HTTP header's value
  return scheme === 'bearer' ? { Authorization: `Bearer ${key}` } : { 'Api-Key': key };
}

/**
 * One way to the server for every generation: the URL policy (https, or http on this machine),
 * the key in the header a dialect asks for, retries with backoff, identical GETs shared,
 * concurrency capped, timeouts, and a record of each attempt for the log. Knows no routes.
 *
 * Over 400 lines on purpose: it is one request's whole life, kept in one place so that no request
 * can miss a part of it. Body caps are bodyReader.ts's, retry timing and sharing requestPolicy.ts's.
 */
export class HttpTransport {
  private readonly fetchImpl: FetchLike;
  private readonly retry: RetryPolicy;
  private readonly limit: ConcurrencyLimit;
  private readonly shared = new SharedRequests();

  constructor(private readonly options: TransportOptions) {
    this.fetchImpl = options.fetch ?? nodeFetch;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.limit = new ConcurrencyLimit(options.maxConcurrentRequests ?? 4);
  }

  /** The base URL requests go to now, without trailing slashes: what generations are remembered by. */
  baseUrl(): string {
    return trimTrailingSlashes(this.options.baseUrl());
  }

  async request<T>(spec: RequestSpec<T>, auth: AuthScheme, signal?: AbortSignal): Promise<T> {
    const url = this.buildUrl(spec);
    if (spec.method !== 'GET') {
      return this.attemptAll(spec, url, auth, signal);
    }
    // Identical GETs in flight share one request; it is aborted only when every caller gave up.
    return this.shared.run(`${auth} ${url.toString()}`, (sharedSignal) => this.attemptAll(spec, url, auth, sharedSignal), signal);
  }

  private buildUrl(spec: RequestSpec<unknown>): URL {
    const base = this.baseUrl();
    let url: URL;
    try {
      url = new URL(`${base}${spec.path}`);
    } catch {
      throw new RetabError('insecure_url', l10n.t('The API base URL "{0}" is not a valid URL. Check the retab.apiBaseUrl setting.', base.slice(0, 200)));
    }
    assertKeyMayGo(url);
    for (const [key, value] of Object.entries(spec.query ?? {})) {
      if (value !== undefined) {
        url.searchParams.set(key, String(value));
      }
    }
    return url;
  }

  private async attemptAll<T>(spec: RequestSpec<T>, url: URL, auth: AuthScheme, signal?: AbortSignal): Promise<T> {
    const key = await this.options.apiKey();
    if (!key) {
      throw new RetabError('no_key', l10n.t('No Retab API key is set. Run "Retab: Set API Key".'));
    }
    const maxAttempts = spec.method === 'GET' ? this.retry.maxAttempts : 1;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.limit.run(() => this.attemptOnce(spec, url, key, auth, attempt, signal), signal);
      } catch (caught) {
        const error = toRetabError(caught);
        if (attempt >= maxAttempts || !isRetriable(error, attempt)) {
          throw error;
        }
        if (error.retryAfterSeconds !== undefined && error.retryAfterSeconds > this.retry.maxRetryAfterSeconds) {
          // Waiting minutes with the user watching helps nobody: say so now.
          throw new RetabError(error.kind, l10n.t('{0} The server asks to wait {1} before trying again.', error.message, formatWait(error.retryAfterSeconds)), {
            status: error.status,
            requestId: error.requestId,
            retryAfterSeconds: error.retryAfterSeconds,
          });
        }
        // sleep() keeps any delay inside a timer's range.
        const delayMs = Math.max(attempt === 1 ? MIN_RETRY_DELAY_MS : 0, backoffDelayMs(attempt, this.retry, error.retryAfterSeconds));
        this.options.onRequest?.({
          method: spec.method,
          path: url.pathname + url.search,
          status: error.status ?? null,
          durationMs: 0,
          requestId: error.requestId ?? null,
          attempt,
          outcome: 'retry',
          // l10n-exempt: the request log, read in English like every log
          message: `retrying in ${delayMs} ms after: ${error.message}`,
        });
        await sleep(delayMs, signal);
      }
    }
  }

  private async attemptOnce<T>(spec: RequestSpec<T>, url: URL, key: string, auth: AuthScheme, attempt: number, signal?: AbortSignal): Promise<T> {
    const started = Date.now();
    const timeoutMs = this.options.timeoutMs?.() ?? 30_000;
    const controller = new AbortController();
    const timer = setTimeout(
      () => controller.abort(new RetabError('timeout', l10n.t('The request timed out after {0} s.', Math.round(timeoutMs / 1000)))),
      timeoutMs,
    );
    const onCallerAbort = (): void => controller.abort(new RetabError('cancelled', l10n.t('The request was cancelled.')));
    signal?.addEventListener('abort', onCallerAbort, { once: true });
    let response: FetchResponse | undefined;
    const report = (outcome: 'ok' | 'error', message?: string): void =>
      this.options.onRequest?.({
        method: spec.method,
        path: url.pathname + url.search,
        status: response?.status ?? null,
        durationMs: Date.now() - started,
        requestId: redactedRequestId(response, key),
        attempt,
        outcome,
        message,
      });
    try {
      if (signal?.aborted) {
        onCallerAbort();
      }
      const headers: Record<string, string> = { ...authHeaders(auth, key), Accept: 'application/json' };
      if (spec.body) {
        headers['Content-Type'] = 'application/json';
      }
      let target = url;
      for (let redirects = 0; ; redirects++) {
        const sent = await abortable(
          this.fetchImpl(target.toString(), {
            method: spec.method,
            headers,
            body: spec.body ? JSON.stringify(spec.body) : undefined,
            signal: controller.signal,
            redirect: 'manual',
          }),
          controller.signal,
        ).catch((caught: unknown) => {
          throw controller.signal.aborted ? controller.signal.reason : networkError(caught);
        });
        response = sent;
        if (sent.status < 300 || sent.status >= 400 || sent.status === 304) {
          break;
        }
        target = redirectTarget(target, sent, spec.method, redirects);
      }
      const caps = BODY_CAPS[spec.size ?? 'small'];
      const text = response.body
        ? await readCappedText(bodyChunks(response.body), isUndecoded(response) ? response.headers.get('content-encoding') : null, caps, controller.signal)
        : '';
      const result = await interpret(spec, response, text, key);
      report('ok');
      return result;
    } catch (caught) {
      const error = controller.signal.aborted && controller.signal.reason instanceof RetabError ? controller.signal.reason : toRetabError(caught);
      report('error', redact(error.message, key));
      throw error;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onCallerAbort);
    }
  }
}

function networkError(caught: unknown): RetabError {
  if (caught instanceof RetabError) {
    return caught;
  }
  const message = caught instanceof Error ? caught.message : String(caught);
  return new RetabError('network', l10n.t('Could not reach the Retab API: {0}', message.slice(0, 500)));
}

/** https anywhere, plain http only to this machine: anything else never sees the key. */
export function keyMayGoTo(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
}

function assertKeyMayGo(url: URL): void {
  if (!keyMayGoTo(url)) {
    throw new RetabError(
      'insecure_url',
      l10n.t(
        'Refusing to send the API key to {0}//{1}: use https, or http only for a server on this machine (127.0.0.1, localhost, ::1).',
        url.protocol,
        url.host,
      ),
    );
  }
}

/**
 * Where a 3xx may be followed: only a GET, only to the same origin (scheme, host and port), only
 * where the URL policy allows, a few times. Anywhere else would hand the key to another server;
 * a POST is never sent twice.
 */
function redirectTarget(from: URL, response: FetchResponse, method: string, redirects: number): URL {
  const location = response.headers.get('location');
  let to: URL | undefined;
  try {
    to = location ? new URL(location, from) : undefined;
  } catch {
    to = undefined;
  }
  const where = to ? `${to.protocol}//${to.host}` : l10n.t('an unreadable address');
  if (!to || to.origin !== from.origin) {
    throw new RetabError(
      'redirect',
      l10n.t('The server redirected the request to {0}; the API key is only sent to {1}, so it was not followed.', where.slice(0, 200), from.origin),
      {
        status: response.status,
      },
    );
  }
  if (method !== 'GET') {
    throw new RetabError('redirect', l10n.t('The server redirected a {0} request; it was not sent again.', method), { status: response.status });
  }
  if (redirects >= MAX_REDIRECTS) {
    throw new RetabError('redirect', l10n.t('The server redirected the request more than {0} times.', MAX_REDIRECTS), { status: response.status });
  }
  assertKeyMayGo(to);
  return to;
}

/** A server that echoes the key (in a message, a request id) never gets it into a log or onto the screen. */
function redact(text: string, key: string): string {
  return key.length >= 4 ? text.split(key).join('[redacted]') : text;
}

function redactedRequestId(response: FetchResponse | undefined, key: string): string | null {
  const value = response?.headers.get('x-request-id');
  return value ? redact(value.slice(0, 200), key) : null;
}

function formatWait(seconds: number): string {
  // l10n-exempt: units (h, min, s) read the same in the languages shipped
  return seconds >= 3600 ? `${Math.round(seconds / 3600)} h` : seconds >= 60 ? `${Math.round(seconds / 60)} min` : `${Math.round(seconds)} s`;
}

/**
 * `Retry-After` as delta-seconds or an HTTP date; missing, blank or unreadable is no hint (the
 * backoff applies), never "retry at once".
 */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  const text = value?.trim();
  if (!text || text.length > 64) {
    return undefined;
  }
  if (/^\d+$/.test(text)) {
    return Number(text);
  }
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

function isRetriable(error: RetabError, attempt: number): boolean {
  if (error.kind === 'network') {
    return true;
  }
  // A body cut off on the way (a proxy, a reset) reads as invalid JSON: worth one more try, not
  // more, since a server that always sends it would only be asked again and again.
  if (error.code === INVALID_JSON) {
    return attempt === 1;
  }
  return error.status !== undefined && RETRIABLE_STATUSES.has(error.status);
}

/** Above this, a body's JSON is parsed in slices (slicedJson.ts) and checked in a task of its own, so none holds the host long. */
const SPLIT_PARSE_CHARS = 1_000_000;

/** A large answer is parsed in steps of at most about this long (ms) before other work runs. */
const SLICE_BUDGET_MS = 8;

/** Lets other work of the host run between two steps of a large answer. */
function nextTask(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** The code of a body that does not parse: a cut-off answer, retried once (see `isRetriable`). */
const INVALID_JSON = 'invalid_json';

async function interpret<T>(spec: RequestSpec<T>, response: FetchResponse, text: string, key: string): Promise<T> {
  const requestId = redactedRequestId(response, key) ?? undefined;
  if (response.status < 200 || response.status >= 300) {
    throw httpError(response, text, requestId, key);
  }
  // No Content (a DELETE's answer): nothing to parse.
  if (response.status === 204 || (spec.method === 'DELETE' && text.trim() === '')) {
    return spec.parse(null);
  }
  let value: unknown;
  try {
    value =
      text.length > SPLIT_PARSE_CHARS ? await parseJsonInSlices(text, { pause: nextTask, budgetMs: SLICE_BUDGET_MS, stream: spec.stream }) : JSON.parse(text);
  } catch (caught) {
    if (caught instanceof RetabError) {
      // A streamed item that is not what it should be: said as the whole answer's check would.
      throw new RetabError(caught.kind, redact(caught.message, key), { status: response.status, requestId, field: caught.field });
    }
    throw new RetabError('invalid_response', l10n.t('The server sent a response that is not valid JSON ({0} characters).', text.length), {
      status: response.status,
      requestId,
      code: INVALID_JSON,
    });
  }
  if (text.length > SPLIT_PARSE_CHARS) {
    await nextTask();
  }
  try {
    return spec.parse(value);
  } catch (caught) {
    const error = toRetabError(caught);
    throw new RetabError(error.kind, redact(error.message, key), {
      status: response.status,
      requestId,
      field: error.field,
    });
  }
}

function httpError(response: FetchResponse, text: string, requestId: string | undefined, key: string): RetabError {
  const status = response.status;
  const kind = kindForStatus(status);
  const parsed = serverMessage(text);
  const message = parsed.message === undefined ? undefined : redact(parsed.message, key);
  const code = parsed.code === undefined ? undefined : redact(parsed.code, key);
  const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
  const fallback: Record<string, string> = {
    auth: l10n.t('The Retab API rejected the API key.'),
    not_found: l10n.t('Not found.'),
    conflict: l10n.t('The request conflicts with the current state.'),
    rate_limited: l10n.t('Rate limited by the Retab API.'),
    server: l10n.t('The Retab API had a server error.'),
    client: l10n.t('The Retab API refused the request.'),
  };
  // l10n-exempt: an HTTP status reads the same in every language
  return new RetabError(kind, message ?? fallback[kind] ?? `HTTP ${status}`, {
    status,
    requestId,
    code,
    retryAfterSeconds: retryAfter,
    routeMissing: isRouteMissing(status, message),
  });
}

/**
 * A 405, or a 404 in the framework's own words ("Not Found") or without a readable body, says the
 * route does not exist; a 404 about an item ("Experiment exp_1 not found") does not.
 */
function isRouteMissing(status: number, message: string | undefined): boolean {
  // l10n-exempt: compared with the server's own words
  return status === 405 || (status === 404 && (message === undefined || message.trim().toLowerCase() === 'not found'));
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
      code: typeof detail.code === 'string' ? detail.code.slice(0, 100) : undefined,
    };
  }
  return {};
}

function clip(message: string): string {
  return message.length > MAX_MESSAGE_LENGTH ? `${message.slice(0, MAX_MESSAGE_LENGTH)}…` : message;
}
