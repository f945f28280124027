import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import * as vscode from 'vscode';
import type { RetabExtensionApi } from '../../src/extension';
import { type FetchLike, type FetchResponse, bodyChunks } from '../../src/api/transport';
import type { RequestRecord } from '../../src/api/requestLog';
import type { PanelState } from '../../src/ui/panel/jobView';
import { DocumentNode, TreeNode } from '../../src/ui/tree/nodes';
import { entityId } from '../../src/ui/tree/rows/registry';
import { wireJobRef } from '../support/fixtures';
import { panelRendered, showsJob } from '../support/panel';
import { sleep } from '../support/wait';

/**
 * What the benchmark's in-host parts share (docs/benchmarks.md): figures, the sandbox's request
 * log seen from the host, request timing inside the extension's own client, the tree read as the
 * view reads it, the job panel and hovers.
 */

export const RENDER_TIMEOUT_MS = 20_000;
/**
 * Between timed opens: a user clicks one job at a time, so each open starts with the webview idle
 * (back-to-back opens are measured as well).
 */
export const CLICK_PAUSE_MS = 250;

export type Generation = 'g1' | 'g1p' | 'g2' | 'g3';
export const GENERATIONS: readonly Generation[] = ['g1', 'g1p', 'g2', 'g3'];

export interface Figure {
  figure: string;
  [key: string]: unknown;
}

export function emit(figure: Figure): void {
  console.log(`BENCH ${JSON.stringify(figure)}`);
}

export function median(values: number[]): number | null {
  if (values.length === 0) {
    return null;
  }
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function round(value: number | null): number | null {
  return value === null ? null : Math.round(value * 100) / 100;
}

export function stats(values: number[]): { medianMs: number | null; minMs: number | null; maxMs: number | null; samples: number } {
  return {
    medianMs: round(median(values)),
    minMs: values.length ? round(Math.min(...values)) : null,
    maxMs: values.length ? round(Math.max(...values)) : null,
    samples: values.length,
  };
}

export async function withTimeout<T>(promise: Thenable<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  try {
    return await Promise.race([Promise.resolve(promise), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

// ---------------------------------------------------------------------------------------------
// The sandbox, seen from the host: its request log is the authority on what reached the server.

export interface LoggedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number | null;
  /** `valid`, `invalid` (wrong key or wrong header for the generation) or `missing`. */
  apiKey?: string;
  /** `api-key`, `bearer` or null. */
  authScheme?: string | null;
  /** The fault the sandbox sent instead of the answer (armed, or drawn by its chaos mode). */
  fault?: string | null;
}

export class SandboxControl {
  constructor(readonly origin: string) {}

  async requests(): Promise<LoggedRequest[]> {
    const response = await fetch(`${this.origin}/__sandbox/requests`);
    if (!response.ok) {
      throw new Error(`GET /__sandbox/requests answered ${response.status}`);
    }
    const body = (await response.json()) as { requests?: LoggedRequest[] };
    if (!Array.isArray(body.requests)) {
      throw new Error('GET /__sandbox/requests did not return { requests: [...] }');
    }
    return body.requests;
  }

  async count(): Promise<number> {
    return (await this.requests()).length;
  }

  /** Faults off, started runs forgotten, the request log emptied. */
  async reset(): Promise<void> {
    const response = await fetch(`${this.origin}/__sandbox/reset`, { method: 'POST' });
    if (!response.ok) {
      throw new Error(`POST /__sandbox/reset answered ${response.status}`);
    }
  }

  /** Waits until no request has reached the sandbox for `quietMs` (the UI's own loads settle). */
  async settle(quietMs = 750, limitMs = 15_000): Promise<void> {
    const deadline = Date.now() + limitMs;
    let last = await this.count();
    let quietSince = Date.now();
    while (Date.now() < deadline) {
      await sleep(100);
      const now = await this.count();
      if (now !== last) {
        last = now;
        quietSince = Date.now();
      } else if (Date.now() - quietSince >= quietMs) {
        return;
      }
    }
    throw new Error(`requests kept reaching the sandbox for ${limitMs / 1000} s`);
  }
}

/** The detection probe: `GET /v1/workflows/experiments?limit=1` and nothing else in the query. */
export function isProbe(request: LoggedRequest): boolean {
  const keys = Object.keys(request.query);
  return request.path === '/v1/workflows/experiments' && keys.length === 1 && request.query.limit === '1';
}

/** What a logged request was for, in any generation (nested or flat routes). */
export function requestKind(request: LoggedRequest): string {
  const path = request.path.replace(/^\/v1/, '');
  if (isProbe(request)) {
    return 'probe';
  }
  if (path.includes('/documents/') || path.startsWith('/workflows/experiments/results/')) {
    return 'job';
  }
  if (path.endsWith('/content') || path === '/workflows/experiments/results') {
    return 'content';
  }
  if (path.endsWith('/metrics')) {
    return 'metrics';
  }
  if (path.endsWith('/runs')) {
    return 'runs';
  }
  if (path.endsWith('/experiments')) {
    return 'experiments';
  }
  if (path === '/workflows') {
    return 'workflows';
  }
  if (/^\/workflows\/experiments\/runs\/[^/]+$/.test(path)) {
    return 'run';
  }
  if (/^\/workflows\/experiments\/[^/]+$/.test(path) || /^\/workflows\/[^/]+\/experiments\/[^/]+$/.test(path)) {
    return 'experiment';
  }
  if (/^\/workflows\/[^/]+$/.test(path)) {
    return 'workflow';
  }
  return 'other';
}

export function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) {
    counts[value] = (counts[value] ?? 0) + 1;
  }
  return counts;
}

export function describeRequest(request: LoggedRequest): string {
  const query = new URLSearchParams(request.query).toString();
  return `${request.method} ${request.path}${query ? `?${query}` : ''} ${request.status ?? '-'}${request.authScheme ? ` ${request.authScheme}` : ''}`;
}

// ---------------------------------------------------------------------------------------------
// Request timing, from inside the extension's own client.

export interface Exchange {
  url: string;
  started: number;
  /** When the whole body had arrived (the last chunk was read). */
  bodyAt?: number;
  /** Bytes of the body. */
  bytes: number;
  /** When the client reported the request (after JSON.parse and validation). */
  reportedAt?: number;
  outcome?: RequestRecord['outcome'];
}

export class RequestProbe {
  readonly exchanges: Exchange[] = [];

  constructor(api: RetabExtensionApi) {
    // Private fields at runtime: the client reads both at call time, so wrapping them here sees
    // every request the extension's repository makes (the key check of Set API Key uses another client).
    const client = (api.repository as unknown as { client: { transport: { fetchImpl: FetchLike; options: { onRequest?: (record: RequestRecord) => void } } } })
      .client.transport;
    const fetchImpl = client.fetchImpl;
    const onRequest = client.options.onRequest;
    if (typeof fetchImpl !== 'function') {
      throw new Error('the client has no fetchImpl to time: the benchmark needs updating');
    }
    client.fetchImpl = async (url, init) => {
      const exchange: Exchange = { url, started: performance.now(), bytes: 0 };
      this.exchanges.push(exchange);
      const response = await fetchImpl(url, init);
      const body = response.body;
      // The same response, with the time its last byte was read.
      const timed = Object.assign(Object.create(Object.getPrototypeOf(response) as object) as FetchResponse, response, {
        body: body
          ? (async function* (): AsyncGenerator<Uint8Array> {
              for await (const chunk of bodyChunks(body)) {
                exchange.bytes += chunk.byteLength;
                yield chunk;
              }
              exchange.bodyAt = performance.now();
            })()
          : null,
      });
      return timed;
    };
    client.options.onRequest = (record) => {
      const at = performance.now();
      const exchange = [...this.exchanges].reverse().find((candidate) => candidate.reportedAt === undefined && candidate.url.endsWith(record.path));
      if (exchange && record.outcome !== 'retry') {
        exchange.reportedAt = at;
        exchange.outcome = record.outcome;
      }
      onRequest?.(record);
    };
  }

  get mark(): number {
    return this.exchanges.length;
  }

  since(mark: number): Exchange[] {
    return this.exchanges.slice(mark);
  }
}

/** The wait for the server (fetch until the body is in), summed over exchanges. */
export function networkTime(exchanges: Exchange[]): number {
  return exchanges.reduce((sum, exchange) => sum + ((exchange.bodyAt ?? exchange.started) - exchange.started), 0);
}

/**
 * The time during which at least one request was waiting for bytes: exchanges that overlap
 * (the run's metrics go out beside its first page) count once.
 */
export function networkUnion(exchanges: Exchange[]): number {
  const intervals = exchanges.map((exchange) => [exchange.started, exchange.bodyAt ?? exchange.started] as const).sort((a, b) => a[0] - b[0]);
  if (intervals.length === 0) {
    return 0;
  }
  let total = 0;
  let [start, end] = intervals[0];
  for (const [from, to] of intervals.slice(1)) {
    if (from > end) {
      total += end - start;
      start = from;
      end = to;
    } else {
      end = Math.max(end, to);
    }
  }
  return total + (end - start);
}

/** JSON.parse + validation in the client, summed over exchanges. */
export function parseTime(exchanges: Exchange[]): number {
  return exchanges.reduce(
    (sum, exchange) => sum + (exchange.reportedAt !== undefined && exchange.bodyAt !== undefined ? exchange.reportedAt - exchange.bodyAt : 0),
    0,
  );
}

// ---------------------------------------------------------------------------------------------
// Memory.

let gcFunction: (() => void) | undefined;

function collectGarbage(): void {
  if (!gcFunction) {
    v8.setFlagsFromString('--expose-gc');
    gcFunction = vm.runInNewContext('gc') as () => void;
  }
  gcFunction();
  gcFunction();
}

export async function settledHeap(): Promise<number> {
  // Let pending callbacks (webview disposal, timers) run before collecting.
  await sleep(300);
  collectGarbage();
  await sleep(50);
  collectGarbage();
  return process.memoryUsage().heapUsed;
}

export const MB = 1024 * 1024;

// ---------------------------------------------------------------------------------------------
// The tree, read as the view reads it.

export async function childrenOf(api: RetabExtensionApi, node: TreeNode | undefined): Promise<TreeNode[]> {
  // The visible view loads the same levels itself; a load it starts can cancel ours (the
  // provider keeps one load per node), which answers an empty list: ask again. Error rows are
  // answers too (some sandbox fixtures fail on purpose).
  let last: TreeNode[] = [];
  for (let attempt = 1; attempt <= 4; attempt++) {
    last = await api.tree.getChildren(node);
    if (last.length > 0) {
      return last;
    }
    await sleep(200 * attempt);
  }
  throw new Error(`could not list the children of ${node ? describe(node) : 'the root'}: ${JSON.stringify(last.map(describe))}`);
}

export function describe(node: TreeNode): string {
  if (node.kind === 'message') {
    return `message: ${node.text}${node.detail ? ` (${node.detail})` : ''}`;
  }
  return entityId(node) ?? node.kind;
}

export function isFinishedJob(node: TreeNode): node is DocumentNode {
  return node.kind === 'document' && !node.job.isPlaceholder && ['completed', 'error', 'cancelled', 'skipped'].includes(node.job.status);
}

/** Whether the tree holds its root listing (private at runtime): the visible view loaded it. */
export function treeRootLoaded(api: RetabExtensionApi): boolean {
  return (api.tree as unknown as { root?: unknown }).root !== undefined;
}

/**
 * After a key change or Refresh the visible view reloads its root by itself: wait for that load
 * rather than race it (a second load of the same node cancels the first, whose request has gone
 * out already).
 */
export async function waitForViewRoot(api: RetabExtensionApi, sandbox: SandboxControl, limitMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + limitMs;
  while (!treeRootLoaded(api) && Date.now() < deadline) {
    await sleep(50);
  }
  await sandbox.settle();
  return treeRootLoaded(api);
}

// ---------------------------------------------------------------------------------------------
// The job panel.

/** When the webview reported the job on screen (performance.now()). */
export async function rendered(api: RetabExtensionApi, ref: DocumentNode['ref']): Promise<number> {
  let at = 0;
  // The time is read in the report's own listener: later listeners and the await add nothing to it.
  const matches = (state: PanelState): boolean => showsJob(state, ref) && ((at = performance.now()), true);
  await panelRendered(api, matches, RENDER_TIMEOUT_MS);
  return at;
}

export interface Opened {
  totalMs: number;
  /** Until executeCommand resolved: the extension host's part (the rest is the webview's round trip). */
  commandMs: number;
  networkMs: number;
  requests: number;
}

/** Open Job, as the tree's click runs it, until the webview reports the job on screen. */
export async function openJob(api: RetabExtensionApi, probe: RequestProbe, ref: DocumentNode['ref']): Promise<Opened> {
  const mark = probe.mark;
  const done = rendered(api, ref);
  const started = performance.now();
  await vscode.commands.executeCommand('retab.openJob', ref);
  const commandMs = performance.now() - started;
  const totalMs = (await done) - started;
  const exchanges = probe.since(mark);
  return { totalMs, commandMs, networkMs: networkTime(exchanges), requests: exchanges.length };
}

export async function closePanel(api: RetabExtensionApi): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  const deadline = Date.now() + 5_000;
  while (api.panelState() !== undefined && Date.now() < deadline) {
    await sleep(20);
  }
  if (api.panelState() !== undefined) {
    throw new Error('the job panel did not close');
  }
}

// ---------------------------------------------------------------------------------------------
// Hovers, through the command VS Code's editor uses.

export async function hoverAt(uri: vscode.Uri, position: vscode.Position): Promise<{ ms: number; hovers: vscode.Hover[] }> {
  const started = performance.now();
  const hovers = await withTimeout(
    vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position),
    10_000,
    'vscode.executeHoverProvider',
  );
  return { ms: performance.now() - started, hovers: hovers ?? [] };
}

export function jobLine(ref: DocumentNode['ref']): string {
  return JSON.stringify(wireJobRef(ref));
}

/** One plain-text document (no other language's hover providers), one job per line. */
export async function hoverDocument(lines: string[]): Promise<vscode.TextDocument> {
  return vscode.workspace.openTextDocument({ language: 'plaintext', content: lines.join('\n') });
}

export function positionOf(document: vscode.TextDocument, line: number, id: string): vscode.Position {
  const column = document.lineAt(line).text.indexOf(id);
  if (column < 0) {
    throw new Error(`${id} is not on line ${line}`);
  }
  return new vscode.Position(line, column + 2);
}
