import * as fs from 'node:fs';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import * as vscode from 'vscode';
import type { RetabExtensionApi } from '../../src/extension';
import { bodyChunks } from '../../src/api/transport';
import type { FetchLike, FetchResponse } from '../../src/api/transport';
import type { RequestRecord } from '../../src/api/requestLog';
import { JobLocator } from '../../src/data/locator';
import { IdHoverProvider } from '../../src/ui/hover/idHoverProvider';
import { PanelState, renderPanelBody } from '../../src/ui/panel/jobView';
import { DocumentNode, ExperimentNode, RunNode, TreeNode, WorkflowNode, entityId } from '../../src/ui/tree/nodes';

/**
 * The benchmark's extension-host half (docs/benchmarks.md). test/runners/runBench.ts loads it as
 * `extensionTestsPath`, with a sandbox it started (50 ms added per request). Prints one line per
 * figure, `BENCH {json}`, which the runner collects.
 *
 * Environment (set by the runner):
 *   RETAB_BENCH_MODE            `activation` (only the activation probe, one per host start) or `full`
 *   RETAB_BENCH_SANDBOX_ORIGIN  http://127.0.0.1:PORT (no /v1)
 *   RETAB_BENCH_API_KEY         the sandbox's key
 *   RETAB_BENCH_REPEAT          samples per measurement (default 5)
 *   RETAB_BENCH_IDLE_SECONDS    how long the idle watch lasts (default 60)
 *
 * Measurements use the extension's test API (the tree provider and the repository, as the in-host
 * tests do) and the real commands. Request timing comes from wrapping the client's transport, so
 * a request's time is split into the wait for the server (fetch until the body is in) and the
 * client's parse + validation (body in until the client reports the request done).
 */

const EXTENSION_ID = 'retab-labs.retab-experiments';
const RENDER_TIMEOUT_MS = 20_000;
/**
 * Between timed opens: a user clicks one job at a time, so each open starts with the webview idle
 * (back-to-back opens are measured as well).
 */
const CLICK_PAUSE_MS = 250;

interface Figure {
  figure: string;
  [key: string]: unknown;
}

function emit(figure: Figure): void {
  console.log(`BENCH ${JSON.stringify(figure)}`);
}

function median(values: number[]): number | null {
  if (values.length === 0) {
    return null;
  }
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function round(value: number | null): number | null {
  return value === null ? null : Math.round(value * 100) / 100;
}

function stats(values: number[]): { medianMs: number | null; minMs: number | null; maxMs: number | null; samples: number } {
  return {
    medianMs: round(median(values)),
    minMs: values.length ? round(Math.min(...values)) : null,
    maxMs: values.length ? round(Math.max(...values)) : null,
    samples: values.length,
  };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function withTimeout<T>(promise: Thenable<T>, ms: number, what: string): Promise<T> {
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

interface LoggedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number | null;
}

class SandboxControl {
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

// ---------------------------------------------------------------------------------------------
// Request timing, from inside the extension's own client.

interface Exchange {
  url: string;
  started: number;
  /** When the whole body had arrived (text() resolved). */
  bodyAt?: number;
  /** When the client reported the request (after JSON.parse and validation). */
  reportedAt?: number;
  outcome?: RequestRecord['outcome'];
}

class RequestProbe {
  readonly exchanges: Exchange[] = [];

  constructor(api: RetabExtensionApi) {
    // Private fields at runtime: the client reads both at call time, so wrapping them here sees
    // every request the extension's repository makes (the key check of Set API Key uses another client).
    const client = (api.repository as unknown as { client: { transport: { fetchImpl: FetchLike; options: { onRequest?: (record: RequestRecord) => void } } } }).client
      .transport;
    const fetchImpl = client.fetchImpl;
    const onRequest = client.options.onRequest;
    if (typeof fetchImpl !== 'function') {
      throw new Error('the client has no fetchImpl to time: the benchmark needs updating');
    }
    client.fetchImpl = async (url, init) => {
      const exchange: Exchange = { url, started: performance.now() };
      this.exchanges.push(exchange);
      const response = await fetchImpl(url, init);
      const body = response.body;
      // The same response, with the time its last byte was read.
      const timed = Object.assign(Object.create(Object.getPrototypeOf(response) as object) as FetchResponse, response, {
        body: body
          ? (async function* (): AsyncGenerator<Uint8Array> {
              yield* bodyChunks(body);
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
function networkTime(exchanges: Exchange[]): number {
  return exchanges.reduce((sum, exchange) => sum + ((exchange.bodyAt ?? exchange.started) - exchange.started), 0);
}

/** JSON.parse + validation in the client, summed over exchanges. */
function parseTime(exchanges: Exchange[]): number {
  return exchanges.reduce((sum, exchange) => sum + (exchange.reportedAt !== undefined && exchange.bodyAt !== undefined ? exchange.reportedAt - exchange.bodyAt : 0), 0);
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

async function settledHeap(): Promise<number> {
  // Let pending callbacks (webview disposal, timers) run before collecting.
  await sleep(300);
  collectGarbage();
  await sleep(50);
  collectGarbage();
  return process.memoryUsage().heapUsed;
}

const MB = 1024 * 1024;

// ---------------------------------------------------------------------------------------------
// The tree, read as the view reads it.

async function childrenOf(api: RetabExtensionApi, node: TreeNode | undefined): Promise<TreeNode[]> {
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

function describe(node: TreeNode): string {
  if (node.kind === 'message') {
    return `message: ${node.text}${node.detail ? ` (${node.detail})` : ''}`;
  }
  return entityId(node) ?? node.kind;
}

async function childById<T extends TreeNode>(api: RetabExtensionApi, parent: TreeNode | undefined, id: string): Promise<T> {
  const children = await childrenOf(api, parent);
  const found = children.find((child) => describe(child) === id);
  if (!found) {
    throw new Error(`${id} is not among ${children.map(describe).join(', ')}`);
  }
  return found as T;
}

function isFinishedJob(node: TreeNode): node is DocumentNode {
  return node.kind === 'document' && !node.job.isPlaceholder && ['completed', 'error', 'cancelled', 'skipped'].includes(node.job.status);
}

// ---------------------------------------------------------------------------------------------
// The job panel.

function rendered(api: RetabExtensionApi, ref: DocumentNode['ref']): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`the panel did not render ${ref.runId}/${ref.documentId} within ${RENDER_TIMEOUT_MS / 1000} s`));
    }, RENDER_TIMEOUT_MS);
    const subscription = api.onDidRenderPanel((state: PanelState) => {
      if (state.kind === 'job' && state.ref.documentId === ref.documentId && state.ref.runId === ref.runId) {
        clearTimeout(timer);
        subscription.dispose();
        resolve(performance.now());
      }
    });
  });
}

interface Opened {
  totalMs: number;
  /** Until executeCommand resolved: the extension host's part (the rest is the webview's round trip). */
  commandMs: number;
  networkMs: number;
  requests: number;
}

/** Open Job, as the tree's click runs it, until the webview reports the job on screen. */
async function openJob(api: RetabExtensionApi, probe: RequestProbe, ref: DocumentNode['ref']): Promise<Opened> {
  const mark = probe.mark;
  const done = rendered(api, ref);
  const started = performance.now();
  await vscode.commands.executeCommand('retab.openJob', ref);
  const commandMs = performance.now() - started;
  const totalMs = (await done) - started;
  const exchanges = probe.since(mark);
  return { totalMs, commandMs, networkMs: networkTime(exchanges), requests: exchanges.length };
}

async function closePanel(api: RetabExtensionApi): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  const deadline = Date.now() + 5_000;
  while (api.panelState() !== undefined && Date.now() < deadline) {
    await sleep(20);
  }
  if (api.panelState() !== undefined) {
    throw new Error('the job panel did not close');
  }
}

/**
 * The workbench's own floor, with no extension code: a bare webview (inline script) created until
 * its first message arrives, and a message echoed back, with and without a title change.
 */
async function bareWebview(samples: number, jobHtml: string): Promise<Record<string, number | null>> {
  const create: number[] = [];
  const echo: number[] = [];
  const echoWithTitle: number[] = [];
  const echoJobHtmlWithTitle: number[] = [];
  for (let index = 0; index < samples; index++) {
    const started = performance.now();
    const panel = vscode.window.createWebviewPanel('retab.benchBaseline', 'Baseline', vscode.ViewColumn.Active, { enableScripts: true });
    let waiting: ((value: unknown) => void) | undefined;
    const next = (): Promise<unknown> => new Promise((resolve) => (waiting = resolve));
    const subscription = panel.webview.onDidReceiveMessage((message) => waiting?.(message));
    const ready = next();
    panel.webview.html = `<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-bench';"></head>
<body><div id="c"></div><script nonce="bench">
const vscode = acquireVsCodeApi();
window.addEventListener('message', (event) => { document.getElementById('c').innerHTML = event.data.html; vscode.postMessage({ echo: event.data.id }); });
vscode.postMessage({ ready: true });
</script></body></html>`;
    await withTimeout(ready, RENDER_TIMEOUT_MS, 'a bare webview to load');
    create.push(performance.now() - started);
    for (let turn = 0; turn < 3; turn++) {
      await sleep(CLICK_PAUSE_MS);
      let sent = performance.now();
      let answer = next();
      await panel.webview.postMessage({ id: turn, html: `<p>sample ${turn}</p>` });
      await withTimeout(answer, RENDER_TIMEOUT_MS, 'a bare webview echo');
      echo.push(performance.now() - sent);
      await sleep(CLICK_PAUSE_MS);
      sent = performance.now();
      answer = next();
      panel.title = `Baseline ${index}.${turn}`;
      await panel.webview.postMessage({ id: turn, html: `<p>titled ${turn}</p>` });
      await withTimeout(answer, RENDER_TIMEOUT_MS, 'a bare webview echo');
      echoWithTitle.push(performance.now() - sent);
      // The job panel's own HTML for a job (unstyled here), with a title change.
      await sleep(CLICK_PAUSE_MS);
      sent = performance.now();
      answer = next();
      panel.title = `Job ${index}.${turn}`;
      await panel.webview.postMessage({ id: turn, html: jobHtml.replace('</h1>', ` ${index}.${turn}</h1>`) });
      await withTimeout(answer, RENDER_TIMEOUT_MS, 'a bare webview echo');
      echoJobHtmlWithTitle.push(performance.now() - sent);
    }
    subscription.dispose();
    panel.dispose();
  }
  return {
    createUntilFirstMessageMs: round(median(create)),
    echoMs: round(median(echo)),
    echoWithTitleChangeMs: round(median(echoWithTitle)),
    echoJobHtmlWithTitleChangeMs: round(median(echoJobHtmlWithTitle)),
    jobHtmlKB: Math.round(jobHtml.length / 102.4) / 10,
  };
}

// ---------------------------------------------------------------------------------------------
// Hovers, through the command VS Code's editor uses.

async function hoverAt(uri: vscode.Uri, position: vscode.Position): Promise<{ ms: number; hovers: vscode.Hover[] }> {
  const started = performance.now();
  const hovers = await withTimeout(
    vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position),
    10_000,
    'vscode.executeHoverProvider',
  );
  return { ms: performance.now() - started, hovers: hovers ?? [] };
}

function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((hover) => hover.contents)
    .map((content) => (typeof content === 'string' ? content : 'value' in content ? content.value : ''))
    .join('\n');
}

function jobLine(ref: DocumentNode['ref']): string {
  return JSON.stringify({ workflow_id: ref.workflowId, experiment_id: ref.experimentId, run_id: ref.runId, document_id: ref.documentId });
}

/** One plain-text document (no other language's hover providers), one job per line. */
async function hoverDocument(lines: string[]): Promise<vscode.TextDocument> {
  return vscode.workspace.openTextDocument({ language: 'plaintext', content: lines.join('\n') });
}

function positionOf(document: vscode.TextDocument, line: number, id: string): vscode.Position {
  const column = document.lineAt(line).text.indexOf(id);
  if (column < 0) {
    throw new Error(`${id} is not on line ${line}`);
  }
  return new vscode.Position(line, column + 2);
}

// ---------------------------------------------------------------------------------------------

/**
 * The extension's own files in require.cache. The repository is also where this suite (out/),
 * code-server (.vscode-test/) and the dev dependencies (node_modules/, which code-server's own
 * modules can resolve up the tree) live: none of those is the extension.
 */
function extensionFiles(extensionPath: string): Array<{ file: string; kb: number }> {
  const notTheExtension = ['out', '.vscode-test', 'node_modules'].map((folder) => path.join(extensionPath, folder) + path.sep);
  return Object.keys(require.cache)
    .filter((file) => file.startsWith(extensionPath + path.sep) && !notTheExtension.some((folder) => file.startsWith(folder)))
    .map((file) => ({ file: path.relative(extensionPath, file), kb: Math.round(fs.statSync(file).size / 102.4) / 10 }));
}

/** Which build of dist/extension.js the host loaded: `npm run package` leaves the minified one. */
function bundleKind(extensionPath: string): 'minified' | 'development' {
  const main = path.join(extensionPath, 'dist', 'extension.js');
  return /\n {2,}\S/.test(fs.readFileSync(main, 'utf8').slice(0, 20_000)) ? 'development' : 'minified';
}

async function activationProbe(): Promise<void> {
  const extension = vscode.extensions.getExtension<RetabExtensionApi>(EXTENSION_ID);
  if (!extension) {
    throw new Error(`${EXTENSION_ID} is not installed`);
  }
  const activatedBeforeSuite = extension.isActive;
  const api = await extension.activate();
  const loaded = extensionFiles(extension.extensionPath);
  emit({
    figure: 'activationProbe',
    bundle: bundleKind(extension.extensionPath),
    activateMs: round(api.activationMs),
    activatedBeforeSuite,
    activationEvent: 'onStartupFinished',
    loadedAtActivation: loaded.map((entry) => entry.file),
    loadedAtActivationKB: Math.round(loaded.reduce((sum, entry) => sum + entry.kb, 0) * 10) / 10,
    nodeFetchLoadedAtActivation: loaded.some((entry) => entry.file.endsWith('node-fetch.js')),
  });
}

export async function run(): Promise<void> {
  if (process.env.RETAB_BENCH_MODE === 'activation') {
    return activationProbe();
  }
  const origin = process.env.RETAB_BENCH_SANDBOX_ORIGIN;
  const apiKey = process.env.RETAB_BENCH_API_KEY;
  const repeat = Math.max(1, Number(process.env.RETAB_BENCH_REPEAT ?? 5) || 5);
  const idleSeconds = Math.max(0, Number(process.env.RETAB_BENCH_IDLE_SECONDS ?? 60));
  if (!origin || !apiKey) {
    throw new Error('RETAB_BENCH_SANDBOX_ORIGIN and RETAB_BENCH_API_KEY must be set by the runner');
  }
  const sandbox = new SandboxControl(origin);
  const extension = vscode.extensions.getExtension<RetabExtensionApi>(EXTENSION_ID);
  if (!extension) {
    throw new Error(`${EXTENSION_ID} is not installed`);
  }
  const api = await extension.activate();
  emit({
    figure: 'host',
    node: process.version,
    vscode: vscode.version,
    appHost: vscode.env.appHost,
    remote: vscode.env.remoteName ?? null,
    activateMs: round(api.activationMs),
    bundle: bundleKind(extension.extensionPath),
    windowFocused: vscode.window.state.focused,
  });

  // Setup: the sandbox as the server, its key (checked with one request), the view shown. Both
  // changes clear the repository and refresh the tree: wait for the view's own loads to settle.
  await vscode.workspace.getConfiguration('retab').update('apiBaseUrl', `${origin}/v1`, vscode.ConfigurationTarget.Global);
  const saved = await vscode.commands.executeCommand<boolean>('retab.setApiKey', apiKey);
  if (saved !== true) {
    throw new Error('retab.setApiKey did not save the sandbox key');
  }
  await vscode.commands.executeCommand('workbench.view.extension.retab');
  await sleep(1_000);
  await sandbox.settle();
  const probe = new RequestProbe(api);

  await bigRun(api, probe, sandbox, repeat);
  const jobDocuments = await jobOpen(api, probe, sandbox, repeat);
  await hover(api, probe, sandbox, repeat, jobDocuments);
  await session(api, probe, sandbox);
  await idle(api, sandbox, idleSeconds);
  await idleWithLiveRun(api, sandbox, idleSeconds);
}

// ---------------------------------------------------------------------------------------------
// Big run: 5,000 documents. First expansion split into its parts; second expansion from memory.

async function bigRun(api: RetabExtensionApi, probe: RequestProbe, sandbox: SandboxControl, repeat: number): Promise<void> {
  const workflow = await childById<WorkflowNode>(api, undefined, 'wf_big');
  const experiment = await childById<ExperimentNode>(api, workflow, 'exp_big');
  const run = await childById<RunNode>(api, experiment, 'exprun_big_1');

  // Marks when the repository hands the run's content and metrics back (after its index update).
  const repository = api.repository as unknown as Record<'getRunContent' | 'getRunMetrics', (...args: unknown[]) => Promise<unknown>>;
  const returned: Record<'content' | 'metrics', number | undefined> = { content: undefined, metrics: undefined };
  const originals = { getRunContent: repository.getRunContent, getRunMetrics: repository.getRunMetrics };
  repository.getRunContent = async (...args) => {
    const value = await originals.getRunContent.apply(api.repository, args);
    returned.content = performance.now();
    return value;
  };
  repository.getRunMetrics = async (...args) => {
    const value = await originals.getRunMetrics.apply(api.repository, args);
    returned.metrics = performance.now();
    return value;
  };

  const first = { total: [] as number[], network: [] as number[], wait: [] as number[], parse: [] as number[], index: [] as number[], nodes: [] as number[], items: [] as number[], processing: [] as number[] };
  const second: number[] = [];
  const secondChildren: number[] = [];
  const secondItems: number[] = [];
  let firstRequests = 0;
  let secondRequests = 0;
  let documents = 0;
  let contentKB = 0;
  // Each sample takes a fraction of a second and the spread is wide (GC, two cores shared with
  // the workbench and the sandbox): twice the usual count.
  const samples = repeat * 2;
  try {
    for (let index = 0; index < samples; index++) {
      api.repository.invalidateLists();
      returned.content = returned.metrics = undefined;
      const mark = probe.mark;
      const started = performance.now();
      const children = await api.tree.getChildren(run);
      const loadedAt = performance.now();
      for (const child of children) {
        api.tree.getTreeItem(child);
      }
      const done = performance.now();
      const exchanges = probe.since(mark);
      const content = exchanges.find((exchange) => exchange.url.includes('/content'));
      if (!content?.bodyAt || !content.reportedAt || returned.content === undefined || returned.metrics === undefined) {
        throw new Error(`the big run's content was not fetched as expected: ${JSON.stringify(exchanges)}`);
      }
      documents = children.filter((child) => child.kind === 'document').length;
      firstRequests += exchanges.length;
      const lastReturn = Math.max(returned.content, returned.metrics);
      const contentReport = content.reportedAt;
      const parse = parseTime(exchanges);
      const indexMs = returned.content - contentReport;
      const nodes = loadedAt - lastReturn;
      const items = done - loadedAt;
      first.total.push(done - started);
      first.network.push(content.bodyAt - content.started);
      first.wait.push(Math.max(...exchanges.map((exchange) => exchange.bodyAt ?? exchange.started)) - started);
      first.parse.push(parse);
      first.index.push(indexMs);
      first.nodes.push(nodes);
      first.items.push(items);
      first.processing.push(parse + indexMs + nodes + items);

      const beforeSecond = probe.mark;
      const sandboxBefore = await sandbox.count();
      const again = performance.now();
      const cached = await api.tree.getChildren(run);
      const listedAgain = performance.now();
      for (const child of cached) {
        api.tree.getTreeItem(child);
      }
      const doneAgain = performance.now();
      second.push(doneAgain - again);
      secondChildren.push(listedAgain - again);
      secondItems.push(doneAgain - listedAgain);
      secondRequests += Math.max(probe.since(beforeSecond).length, (await sandbox.count()) - sandboxBefore);
    }
    contentKB = Math.round(JSON.stringify((await api.repository.getRunContent('wf_big', 'exp_big', 'exprun_big_1')).jobs.map((job) => job.raw)).length / 102.4) / 10;
  } finally {
    repository.getRunContent = originals.getRunContent;
    repository.getRunMetrics = originals.getRunMetrics;
  }
  emit({
    figure: 'bigRun',
    documents,
    contentJsonKB: contentKB,
    firstExpansion: {
      totalMs: round(median(first.total)),
      networkMs: round(median(first.network)),
      waitForServerMs: round(median(first.wait)),
      parseAndValidateMs: round(median(first.parse)),
      indexMs: round(median(first.index)),
      treeNodesMs: round(median(first.nodes)),
      treeItemsMs: round(median(first.items)),
      processingMs: round(median(first.processing)),
      coldTotalMs: round(first.total[0]),
      coldProcessingMs: round(first.processing[0]),
      requestsPerExpansion: round(firstRequests / samples),
      samplesTotalMs: first.total.map(round),
      samplesProcessingMs: first.processing.map(round),
    },
    secondExpansion: {
      ...stats(second),
      totalMs: round(median(second)),
      childrenMs: round(median(secondChildren)),
      treeItemsMs: round(median(secondItems)),
      requests: secondRequests,
    },
    samples,
    note: 'processing = parse+validate (client) + index (repository) + tree nodes (provider) + tree items (getTreeItem for every child); network = content request from fetch until its body is in',
  });
}

// ---------------------------------------------------------------------------------------------
// Job open: overhead = time to the webview's "rendered" minus the request's wait for the server.

async function jobOpen(api: RetabExtensionApi, probe: RequestProbe, sandbox: SandboxControl, repeat: number): Promise<DocumentNode[]> {
  const workflow = await childById<WorkflowNode>(api, undefined, 'wf_invoices');
  const experiment = await childById<ExperimentNode>(api, workflow, 'exp_invoices_v2');
  const run = await childById<RunNode>(api, experiment, 'exprun_inv_6');
  const documents = (await childrenOf(api, run)).filter(isFinishedJob);
  // Opens with the panel already open take tens of milliseconds and spread widely: twice the
  // usual samples, and reopens go over them twice. A new panel costs over a second each, with a
  // narrow spread: the usual count.
  const perCase = Math.max(repeat, 5);
  const reusedCount = perCase * 2;
  if (documents.length < reusedCount + perCase + 1) {
    throw new Error(`exprun_inv_6 has only ${documents.length} finished documents`);
  }
  const reusedPanel = documents.slice(0, reusedCount);
  const newPanel = documents.slice(reusedCount, reusedCount + perCase);

  const firstOpenReused: Opened[] = [];
  const firstOpenNew: Opened[] = [];
  const reopenReused: Opened[] = [];
  const reopenNew: Opened[] = [];
  // The panel is created once (warm-up, not counted) and then reused, as clicking through documents does.
  await closePanel(api);
  await openJob(api, probe, documents[documents.length - 1].ref);
  for (const document of reusedPanel) {
    await sleep(CLICK_PAUSE_MS);
    firstOpenReused.push(await openJob(api, probe, document.ref));
  }
  // A job opened when no panel is open: the webview is created first.
  for (const document of newPanel) {
    await closePanel(api);
    firstOpenNew.push(await openJob(api, probe, document.ref));
  }
  const sandboxAfterFirst = await sandbox.count();
  // Reopening finished jobs: served from memory. One at a time, then back to back.
  for (let pass = 0; pass < 2; pass++) {
    for (const document of reusedPanel) {
      await sleep(CLICK_PAUSE_MS);
      reopenReused.push(await openJob(api, probe, document.ref));
    }
  }
  const reopenBackToBack: Opened[] = [];
  for (const document of reusedPanel) {
    reopenBackToBack.push(await openJob(api, probe, document.ref));
  }
  for (const document of newPanel) {
    await closePanel(api);
    reopenNew.push(await openJob(api, probe, document.ref));
  }
  const sandboxReopen = (await sandbox.count()) - sandboxAfterFirst;
  // Diagnosis: reopening the job already on screen (the panel title does not change).
  const reopenSame: Opened[] = [];
  await openJob(api, probe, reusedPanel[0].ref);
  for (let index = 0; index < perCase; index++) {
    await sleep(CLICK_PAUSE_MS);
    reopenSame.push(await openJob(api, probe, reusedPanel[0].ref));
  }
  const shown = api.panelState();
  if (shown?.kind !== 'job') {
    throw new Error('the panel does not show a job');
  }
  const jobHtml = renderPanelBody(shown);
  await closePanel(api);
  const baseline = await bareWebview(perCase, jobHtml);

  const overhead = (opens: Opened[]): number[] => opens.map((open) => open.totalMs - open.networkMs);
  emit({
    figure: 'jobOpen',
    firstOpen: {
      panelOpen: { overhead: stats(overhead(firstOpenReused)), totalMs: round(median(firstOpenReused.map((open) => open.totalMs))), requestMs: round(median(firstOpenReused.map((open) => open.networkMs))) },
      newPanel: { overhead: stats(overhead(firstOpenNew)), commandMs: round(median(firstOpenNew.map((open) => open.commandMs))), totalMs: round(median(firstOpenNew.map((open) => open.totalMs))), requestMs: round(median(firstOpenNew.map((open) => open.networkMs))) },
      requestsPerOpen: round([...firstOpenReused, ...firstOpenNew].reduce((sum, open) => sum + open.requests, 0) / (firstOpenReused.length + firstOpenNew.length)),
    },
    reopenFinished: {
      panelOpen: stats(reopenReused.map((open) => open.totalMs)),
      panelOpenCommandMs: round(median(reopenReused.map((open) => open.commandMs))),
      panelOpenSamplesMs: reopenReused.map((open) => round(open.totalMs)),
      panelOpenBackToBack: stats(reopenBackToBack.map((open) => open.totalMs)),
      newPanel: stats(reopenNew.map((open) => open.totalMs)),
      requests: sandboxReopen,
      clientRequests: [...reopenReused, ...reopenNew].reduce((sum, open) => sum + open.requests, 0),
    },
    // Kept flat for quick reading: the reused-panel case, the common one.
    firstOpenOverheadMs: round(median(overhead(firstOpenReused))),
    firstOpenNewPanelOverheadMs: round(median(overhead(firstOpenNew))),
    reopenFinishedMs: round(median(reopenReused.map((open) => open.totalMs))),
    reopenFinishedNewPanelMs: round(median(reopenNew.map((open) => open.totalMs))),
    reopenRequests: sandboxReopen,
    diagnosis: {
      reopenSameJobMs: round(median(reopenSame.map((open) => open.totalMs))),
      bareWebview: baseline,
    },
    note: 'time from executeCommand(retab.openJob) until the webview reports the job rendered (its HTML is in the page; layout and paint follow); overhead excludes the request\'s wait for the server; opens are 250 ms apart except panelOpenBackToBack',
  });
  await closePanel(api);
  return documents;
}

// ---------------------------------------------------------------------------------------------
// Hover: a loaded id (in memory), one that needs a request, and the command's own round trip.

async function hover(api: RetabExtensionApi, probe: RequestProbe, sandbox: SandboxControl, repeat: number, loaded: DocumentNode[]): Promise<void> {
  const loadedSamples = loaded.slice(0, Math.min(loaded.length, repeat * 4));
  // Runs 1 and 4 of exp_invoices_v2 have not been listed: their jobs are not in memory.
  const remoteRefs = Array.from({ length: repeat * 2 }, (_, index) => ({
    workflowId: 'wf_invoices',
    experimentId: 'exp_invoices_v2',
    runId: index % 2 ? 'exprun_inv_4' : 'exprun_inv_1',
    documentId: `expdoc_inv_${String(10 + index).padStart(3, '0')}`,
  }));
  for (const ref of remoteRefs) {
    if (api.repository.cachedJob(ref) || api.repository.knownDocument(ref.documentId, ref.runId)) {
      throw new Error(`${ref.runId}/${ref.documentId} is already in memory: pick another id`);
    }
  }
  const lines = ['no retab id on this line', ...loadedSamples.map((document) => jobLine(document.ref)), ...remoteRefs.map(jobLine)];
  const document = await hoverDocument(lines);

  // The bridge: the same command where no provider finds anything.
  const baseline: number[] = [];
  for (let index = 0; index < repeat * 4; index++) {
    baseline.push((await hoverAt(document.uri, new vscode.Position(0, 3))).ms);
  }

  const loadedMs: number[] = [];
  const sandboxBefore = await sandbox.count();
  const markLoaded = probe.mark;
  for (const [index, sample] of loadedSamples.entries()) {
    const result = await hoverAt(document.uri, positionOf(document, index + 1, sample.ref.documentId));
    if (!hoverText(result.hovers).includes('Open Job')) {
      throw new Error(`the hover on a loaded id did not describe the job: ${hoverText(result.hovers)}`);
    }
    loadedMs.push(result.ms);
  }
  const loadedRequests = Math.max(probe.since(markLoaded).length, (await sandbox.count()) - sandboxBefore);

  const remoteMs: number[] = [];
  const remoteNetwork: number[] = [];
  let remoteRequests = 0;
  for (const [index, ref] of remoteRefs.entries()) {
    const mark = probe.mark;
    const result = await hoverAt(document.uri, positionOf(document, 1 + loadedSamples.length + index, ref.documentId));
    if (!hoverText(result.hovers).includes('Open Job')) {
      throw new Error(`the hover on ${ref.documentId} did not describe the job: ${hoverText(result.hovers)}`);
    }
    const exchanges = probe.since(mark);
    remoteRequests += exchanges.length;
    remoteMs.push(result.ms);
    remoteNetwork.push(networkTime(exchanges));
  }
  // The provider alone, without the command bridge: the same source (compiled by tsc into out/src
  // rather than bundled by esbuild) over the extension's own repository; a new instance, so its
  // hover cache is empty.
  const provider = new IdHoverProvider(api.repository, new JobLocator(api.repository), async () => true);
  const cancellation = new vscode.CancellationTokenSource();
  const providerMs: number[] = [];
  const markProvider = probe.mark;
  for (const [index, sample] of loadedSamples.entries()) {
    const started = performance.now();
    const result = await provider.provideHover(document, positionOf(document, index + 1, sample.ref.documentId), cancellation.token);
    providerMs.push(performance.now() - started);
    if (!result) {
      throw new Error(`the provider gave no hover for ${sample.ref.documentId}`);
    }
  }
  const providerRequests = probe.since(markProvider).length;
  cancellation.dispose();

  // The same hover again: the hover's own cache (10 s).
  const repeatMs: number[] = [];
  for (const [index, sample] of loadedSamples.entries()) {
    repeatMs.push((await hoverAt(document.uri, positionOf(document, index + 1, sample.ref.documentId))).ms);
  }

  const baselineMedian = median(baseline) ?? 0;
  emit({
    figure: 'hover',
    loadedMs: round(median(loadedMs)),
    loadedNetOfBridgeMs: round((median(loadedMs) ?? 0) - baselineMedian),
    loaded: stats(loadedMs),
    loadedRequests,
    providerOnlyLoadedMs: round(median(providerMs)),
    providerOnlyLoaded: stats(providerMs),
    providerOnlyRequests: providerRequests,
    repeatedHoverMs: round(median(repeatMs)),
    bridgeOnlyMs: round(baselineMedian),
    needsRequestMs: round(median(remoteMs)),
    needsRequest: stats(remoteMs),
    needsRequestNetworkMs: round(median(remoteNetwork)),
    needsRequestRequests: remoteRequests,
    note: 'loadedMs/needsRequestMs: vscode.executeHoverProvider round trip from the extension host, which goes through the workbench (browser) and back; bridgeOnlyMs is the same call on a line without ids; providerOnlyLoadedMs calls IdHoverProvider.provideHover directly',
  });
}

// ---------------------------------------------------------------------------------------------
// Scripted session: requests against the minimum the script needs; heap before, after, after release.

async function session(api: RetabExtensionApi, probe: RequestProbe, sandbox: SandboxControl): Promise<void> {
  await closePanel(api);
  await sandbox.settle();
  // A fresh start, as a new window would have: nothing in memory.
  api.repository.clear();
  const sessionStart = await sandbox.count();
  const heapBefore = await settledHeap();
  api.tree.refresh();
  // The visible view reloads its root now; let it, rather than race it.
  await sleep(500);
  await sandbox.settle();

  const needed = { workflowPages: 0, workflows: 0, experiments: 0, neverRunExperiments: 0, runs: 0, jobs: 0 };
  const toOpen: DocumentNode[] = [];
  let documentsListed = 0;
  const errorRows: string[] = [];
  const walk = async (node: TreeNode | undefined): Promise<void> => {
    const children = await childrenOf(api, node);
    if (!node) {
      needed.workflowPages++;
    } else if (node.kind === 'workflow') {
      needed.workflows++;
    } else if (node.kind === 'experiment') {
      needed.experiments++;
      if (!children.some((child) => child.kind === 'run')) {
        needed.neverRunExperiments++;
      }
    } else if (node.kind === 'run') {
      needed.runs++;
    }
    for (const child of children) {
      if (child.kind === 'message' && child.severity === 'error') {
        errorRows.push(`${node ? describe(node) : 'root'}: ${describe(child)}`);
      }
      if (child.kind === 'document') {
        documentsListed++;
        if (toOpen.length < 50 && isFinishedJob(child) && child.parent.kind === 'run' && child.parent.run.documentCount !== null && child.parent.run.documentCount <= 100) {
          toOpen.push(child);
        }
      }
      if (child.kind === 'workflow' || child.kind === 'experiment' || child.kind === 'run') {
        await walk(child);
      }
    }
  };
  // Expand everything (the 5,000-document run included), open 50 finished jobs, hover their ids,
  // reopen them.
  await walk(undefined);
  needed.jobs = toOpen.length;
  // Finished jobs whose data already came with their run's content (the job endpoint answers the same record).
  const jobsAlreadyInMemory = toOpen.filter((document) => {
    const known = api.repository.knownDocument(document.ref.documentId, document.ref.runId)?.job;
    return known !== undefined && ['completed', 'error', 'cancelled', 'skipped'].includes(known.status) && !known.isPlaceholder;
  }).length;
  for (const document of toOpen) {
    await openJob(api, probe, document.ref);
  }
  const hoverDoc = await hoverDocument(toOpen.map((document) => jobLine(document.ref)));
  for (const [index, document] of toOpen.entries()) {
    await hoverAt(hoverDoc.uri, positionOf(hoverDoc, index, document.ref.documentId));
  }
  for (const document of toOpen) {
    await openJob(api, probe, document.ref);
  }
  await sandbox.settle();
  const made = (await sandbox.requests()).slice(sessionStart);
  const heapAfterSession = await settledHeap();

  // What the script needs at the least: each list once, content + metrics per run, each job once;
  // hovers on loaded ids and reopening finished jobs need nothing.
  const minimum = needed.workflowPages + needed.workflows + needed.experiments + needed.neverRunExperiments + needed.runs * 2 + needed.jobs;
  const distinct = new Set(made.map((request) => `${request.method} ${request.path}?${new URLSearchParams(request.query).toString()}`));
  const jobRequests = made.filter((request) => request.path.includes('/documents/')).length;

  // Release as a user would: Refresh, then close the panel.
  await vscode.commands.executeCommand('retab.refresh');
  await closePanel(api);
  await sandbox.settle();
  const heapAfterRelease = await settledHeap();
  const indexedAfterRelease = indexSizes(api);
  // Diagnosis only: what is left once the repository forgets everything (as a key change does).
  api.repository.clear();
  const heapAfterClear = await settledHeap();

  emit({
    figure: 'requests',
    made: made.length,
    minimum,
    ratio: round(made.length / minimum),
    distinctResources: distinct.size,
    duplicates: made.length - distinct.size,
    jobRequests,
    jobsOpened: toOpen.length,
    jobsAlreadyInMemory,
    strictMinimum: minimum - jobsAlreadyInMemory,
    strictRatio: round(made.length / (minimum - jobsAlreadyInMemory)),
    documentsListed,
    errorRows,
    needed,
    byKind: countBy(made.map(requestKind)),
    note: 'minimum = workflow pages + one list per workflow and experiment (+ placeholder content for never-run experiments) + content and metrics per run + one request per job opened; hovers on loaded ids and reopening finished jobs need none',
  });
  emit({
    figure: 'memory',
    heapBeforeMB: round(heapBefore / MB),
    heapGrowthMB: round((heapAfterSession - heapBefore) / MB),
    heapAfterReleaseMB: round((heapAfterRelease - heapBefore) / MB),
    heapAfterRepositoryClearMB: round((heapAfterClear - heapBefore) / MB),
    documentsListed,
    keptAfterRelease: indexedAfterRelease,
    note: 'extension host heapUsed after forced GC, relative to the session start; release = Retab: Refresh + job panel closed; the last figure also clears the repository (not a user action)',
  });
}

/** Sizes of the repository's long-lived maps (private: read for the diagnosis only). */
function indexSizes(api: RetabExtensionApi): Record<string, number | null> {
  const repository = api.repository as unknown as Record<string, { size?: number } | undefined>;
  const sizes: Record<string, number | null> = {};
  for (const name of ['documents', 'jobIds', 'terminalJobs', 'runs', 'experiments', 'workflows']) {
    const size = repository[name]?.size;
    sizes[name] = typeof size === 'number' ? size : null;
  }
  return sizes;
}

function requestKind(request: LoggedRequest): string {
  if (request.path.includes('/documents/')) {
    return 'job';
  }
  if (request.path.endsWith('/content')) {
    return 'content';
  }
  if (request.path.endsWith('/metrics')) {
    return 'metrics';
  }
  if (request.path.endsWith('/runs')) {
    return 'runs';
  }
  if (request.path.endsWith('/experiments')) {
    return 'experiments';
  }
  if (request.path.endsWith('/workflows')) {
    return 'workflows';
  }
  return 'other';
}

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) {
    counts[value] = (counts[value] ?? 0) + 1;
  }
  return counts;
}

// ---------------------------------------------------------------------------------------------
// Idle: the view hidden and the panel closed, first after the session, then with a run in
// progress that the view was polling a moment before.

async function idle(api: RetabExtensionApi, sandbox: SandboxControl, idleSeconds: number): Promise<void> {
  await vscode.commands.executeCommand('workbench.view.explorer');
  await closePanel(api);
  await sandbox.settle();
  const start = await sandbox.count();
  await sleep(idleSeconds * 1000);
  const requests = (await sandbox.requests()).slice(start);
  emit({
    figure: 'idle',
    seconds: idleSeconds,
    requests: requests.length,
    paths: requests.map((request) => request.path).slice(0, 20),
    windowFocused: vscode.window.state.focused,
  });
}

async function idleWithLiveRun(api: RetabExtensionApi, sandbox: SandboxControl, idleSeconds: number): Promise<void> {
  await vscode.commands.executeCommand('workbench.view.extension.retab');
  await sleep(500);
  await sandbox.settle();
  const workflow = await childById<WorkflowNode>(api, undefined, 'wf_invoices');
  const experiment = await childById<ExperimentNode>(api, workflow, 'exp_invoices_v2');
  const runsPath = '/v1/workflows/wf_invoices/experiments/exp_invoices_v2/runs';
  const pollsSince = async (mark: number): Promise<number> => (await sandbox.requests()).slice(mark).filter((request) => request.path === runsPath).length;
  /** Positive control: live updates poll the experiment while the view shows it expanded. */
  const waitForPolls = async (limitMs: number): Promise<{ polls: number; seconds: number }> => {
    const since = Date.now();
    const mark = await sandbox.count();
    let polls = 0;
    while (polls < 2 && Date.now() - since < limitMs) {
      await sleep(250);
      polls = await pollsSince(mark);
    }
    return { polls, seconds: Math.round((Date.now() - since) / 100) / 10 };
  };

  // Start Run expands the experiment in the view (treeView.reveal), so live updates poll it while
  // the run goes on (the runner's sandbox stretches started runs to minutes).
  let setup = 'retab.startRun revealed the experiment in the view';
  let startRunError: string | undefined;
  let runId: string | undefined;
  try {
    const started = await vscode.commands.executeCommand<{ runId: string } | undefined>('retab.startRun', experiment, {
      nConsensus: 3,
      retryFailedOnly: false,
      confirmed: true,
    });
    runId = started?.runId;
  } catch (caught) {
    startRunError = caught instanceof Error ? caught.message : String(caught);
  }
  if (!runId) {
    // The run may have started before the command failed: find it.
    const runs = await api.repository.listRuns('wf_invoices', 'exp_invoices_v2', { force: true });
    runId = runs.find((run) => run.status === 'pending' || run.status === 'running')?.id;
  }
  let control = runId ? await waitForPolls(15_000) : { polls: 0, seconds: 0 };
  if (runId && control.polls < 2) {
    // Expand it by keyboard instead, row by row as the view lists them (nothing else is expanded).
    setup = `expanded with list commands${startRunError ? ` (retab.startRun failed: ${startRunError})` : ' (retab.startRun did not expand it)'}`;
    const workflowRow = (await childrenOf(api, undefined)).findIndex((node) => describe(node) === 'wf_invoices');
    const experimentRow = (await childrenOf(api, workflow)).findIndex((node) => describe(node) === 'exp_invoices_v2');
    await vscode.commands.executeCommand('retab.experiments.focus');
    await vscode.commands.executeCommand('list.focusFirst');
    for (let row = 0; row < workflowRow; row++) {
      await vscode.commands.executeCommand('list.focusDown');
    }
    await vscode.commands.executeCommand('list.expand');
    await sleep(1_500);
    for (let row = 0; row <= experimentRow; row++) {
      await vscode.commands.executeCommand('list.focusDown');
    }
    await vscode.commands.executeCommand('list.expand');
    control = await waitForPolls(20_000);
  }
  const verified = control.polls >= 2;

  await vscode.commands.executeCommand('workbench.view.explorer');
  // A poll already under way may finish; nothing may start after it.
  await sleep(1_000);
  await sandbox.settle(500);
  const start = await sandbox.count();
  await sleep(idleSeconds * 1000);
  const requests = (await sandbox.requests()).slice(start);
  emit({
    figure: 'idleLiveRun',
    seconds: idleSeconds,
    requests: requests.length,
    paths: requests.map((request) => request.path).slice(0, 20),
    verified,
    pollsWhileVisible: control.polls,
    pollWindowSeconds: control.seconds,
    setup,
    startRunError: startRunError ?? null,
    runStatusKnown: runId ? (api.repository.knownRun(runId)?.run.status ?? 'unknown') : 'no run started',
    windowFocused: vscode.window.state.focused,
    note: 'a run in progress in an experiment expanded in the view (polled while visible: pollsWhileVisible), then the view hidden; requests counts what still reached the server',
  });
}
