import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { selectionAndDocument } from './documentBench';
import { evalsBench } from './evalsBench';
import { runsTableBench } from './runsTableBench';
import { blockEditingBench } from './blocksBench';
import { SAME_SELECTION_MS } from '../../src/ui/panel/jobSelection';
import type { RetabExtensionApi } from '../../src/extension';
import { JobLocator } from '../../src/data/locator';
import { IdHoverProvider } from '../../src/ui/hover/idHoverProvider';
import { renderPanelBody } from '../../src/ui/panel/jobView';
import { DocumentNode, ExperimentNode, RunNode, TreeNode, WorkflowNode } from '../../src/ui/tree/nodes';
import {
  CLICK_PAUSE_MS,
  Generation,
  LoggedRequest,
  MB,
  Opened,
  RENDER_TIMEOUT_MS,
  RequestProbe,
  SandboxControl,
  childrenOf,
  closePanel,
  countBy,
  describe,
  emit,
  hoverAt,
  hoverDocument,
  isFinishedJob,
  jobLine,
  median,
  networkTime,
  openJob,
  positionOf,
  requestKind,
  round,
  settledHeap,
  stats,
  withTimeout,
} from './common';
import { retabExtension } from '../support/extension';
import { INVOICES, invoiceJob, invoiceRunId } from '../support/fixtures';
import { hoverText } from '../support/hover';
import { childById } from '../support/tree';
import { sleep } from '../support/wait';
import { generationsSection, parseServers } from './generations';

/**
 * The benchmark's extension-host half (docs/benchmarks.md). test/runners/runBench.ts loads it as
 * `extensionTestsPath`, with sandboxes it started (50 ms added per request). Prints one line per
 * figure, `BENCH {json}`, which the runner collects.
 *
 * Environment (set by the runner):
 *   RETAB_BENCH_MODE            `activation` (only the activation probe, one per host start),
 *                               `full` (the main figures, against one sandbox) or
 *                               `generations` (generations.ts: every generation, one sandbox each)
 *   RETAB_BENCH_SANDBOX_ORIGIN  http://127.0.0.1:PORT (no /v1): the main figures' sandbox
 *   RETAB_BENCH_GENERATION      the generation that sandbox speaks (g3 unless told)
 *   RETAB_BENCH_GENERATIONS     JSON [{generation, origin}]: the generations section's sandboxes
 *   RETAB_BENCH_API_KEY         the sandboxes' key
 *   RETAB_BENCH_REPEAT          samples per measurement (default 5)
 *   RETAB_BENCH_IDLE_SECONDS    how long the idle watch lasts (default 60)
 *
 * Measurements use the extension's test API (the tree provider and the repository, as the in-host
 * tests do) and the real commands. Request timing comes from wrapping the client's transport, so
 * a request's time is split into the wait for the server (fetch until the body is in) and the
 * client's parse + validation (body in until the client reports the request done).
 */

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
  const extension = retabExtension();
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
  const mode = process.env.RETAB_BENCH_MODE;
  if (mode === 'activation') {
    return activationProbe();
  }
  const apiKey = process.env.RETAB_BENCH_API_KEY;
  const repeat = Math.max(1, Number(process.env.RETAB_BENCH_REPEAT ?? 5) || 5);
  const idleSeconds = Math.max(0, Number(process.env.RETAB_BENCH_IDLE_SECONDS ?? 60));
  if (!apiKey) {
    throw new Error('RETAB_BENCH_API_KEY must be set by the runner');
  }
  const extension = retabExtension();
  const api = await extension.activate();
  emit({
    figure: 'host',
    mode: mode ?? 'full',
    node: process.version,
    vscode: vscode.version,
    appHost: vscode.env.appHost,
    remote: vscode.env.remoteName ?? null,
    activateMs: round(api.activationMs),
    bundle: bundleKind(extension.extensionPath),
    windowFocused: vscode.window.state.focused,
  });

  if (mode === 'generations') {
    // Each generation's session starts with Set API Key on its own base URL.
    const probe = new RequestProbe(api);
    await generationsSection(api, probe, parseServers(process.env.RETAB_BENCH_GENERATIONS), apiKey, repeat);
    return;
  }

  const origin = process.env.RETAB_BENCH_SANDBOX_ORIGIN;
  if (!origin) {
    throw new Error('RETAB_BENCH_SANDBOX_ORIGIN must be set by the runner');
  }
  const generation = (process.env.RETAB_BENCH_GENERATION ?? 'g3') as Generation;
  const sandbox = new SandboxControl(origin);
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
  const detected = (await api.repository.dialect()).id;
  if (detected !== generation) {
    throw new Error(`the sandbox speaks ${generation} but the extension found ${detected}`);
  }
  const probe = new RequestProbe(api);

  const jobDocuments = await jobOpen(api, probe, sandbox, repeat, generation);
  await selectionAndDocument(api, probe, repeat, generation);
  await evalsBench(api, probe, sandbox, generation);
  await runsTableBench(api, probe, repeat, generation);
  await hover(api, probe, sandbox, repeat, jobDocuments, generation);
  await session(api, probe, sandbox, generation);
  await idle(api, sandbox, idleSeconds, generation);
  await idleWithLiveRun(api, sandbox, idleSeconds, generation);
  // Last: a save changes the sandbox's block (its experiment turns stale), which no figure above expects.
  await blockEditingBench(api, probe, generation);
}

// ---------------------------------------------------------------------------------------------
// Job open: overhead = time to the webview's "rendered" minus the request's wait for the server.

async function jobOpen(api: RetabExtensionApi, probe: RequestProbe, sandbox: SandboxControl, repeat: number, generation: Generation): Promise<DocumentNode[]> {
  const workflow = await childById<WorkflowNode>(api, undefined, INVOICES.workflowId);
  const experiment = await childById<ExperimentNode>(api, workflow, INVOICES.experimentId);
  const run = await childById<RunNode>(api, experiment, invoiceRunId(6));
  const documents = (await childrenOf(api, run)).filter(isFinishedJob);
  // Opens with the panel already open take tens of milliseconds and spread widely: twice the
  // usual samples, and reopens go over them twice. A new panel costs over a second each, with a
  // narrow spread: the usual count.
  const perCase = Math.max(repeat, 5);
  const reusedCount = perCase * 2;
  if (documents.length < reusedCount + perCase + 1) {
    throw new Error(`${invoiceRunId(6)} has only ${documents.length} finished documents`);
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
    // Past the pause within which a second open of the same job is the same selection (a click is
    // a selection and a command): each of these is a selection of its own, asked and drawn again.
    await sleep(SAME_SELECTION_MS + 100);
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
    generation,
    firstOpen: {
      panelOpen: {
        overhead: stats(overhead(firstOpenReused)),
        totalMs: round(median(firstOpenReused.map((open) => open.totalMs))),
        requestMs: round(median(firstOpenReused.map((open) => open.networkMs))),
      },
      newPanel: {
        overhead: stats(overhead(firstOpenNew)),
        commandMs: round(median(firstOpenNew.map((open) => open.commandMs))),
        totalMs: round(median(firstOpenNew.map((open) => open.totalMs))),
        requestMs: round(median(firstOpenNew.map((open) => open.networkMs))),
      },
      requestsPerOpen: round(
        [...firstOpenReused, ...firstOpenNew].reduce((sum, open) => sum + open.requests, 0) / (firstOpenReused.length + firstOpenNew.length),
      ),
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
    note: "time from executeCommand(retab.openJob) until the webview reports the job rendered (its HTML is in the page; layout and paint follow); overhead excludes the request's wait for the server; opens are 250 ms apart except panelOpenBackToBack",
  });
  await closePanel(api);
  return documents;
}

// ---------------------------------------------------------------------------------------------
// Hover: a loaded id (in memory), one that needs a request, and the command's own round trip.

async function hover(
  api: RetabExtensionApi,
  probe: RequestProbe,
  sandbox: SandboxControl,
  repeat: number,
  loaded: DocumentNode[],
  generation: Generation,
): Promise<void> {
  const loadedSamples = loaded.slice(0, Math.min(loaded.length, repeat * 4));
  // Runs 1 and 4 of exp_invoices_v2 have not been listed: their jobs are not in memory.
  const remoteRefs = Array.from({ length: repeat * 2 }, (_, index) => invoiceJob(index % 2 ? 4 : 1, 10 + index));
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

  // Last, since it forgets what the tree loaded: ids whose job is not in memory.
  const remoteMs: number[] = [];
  const remoteNetwork: number[] = [];
  let remoteRequests = 0;
  for (const [index, ref] of remoteRefs.entries()) {
    // Lists and run contents forgotten (as after Refresh; finished jobs stay): on servers without
    // a route per document (G1p, G2, G3) the hover reads the job's run, which would otherwise
    // serve the next sample of the same run from memory.
    api.repository.invalidateLists();
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
  const baselineMedian = median(baseline) ?? 0;
  emit({
    figure: 'hover',
    generation,
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
    note: "loadedMs/needsRequestMs: vscode.executeHoverProvider round trip from the extension host, which goes through the workbench (browser) and back; bridgeOnlyMs is the same call on a line without ids; providerOnlyLoadedMs calls IdHoverProvider.provideHover directly; needsRequest: a job of a run not in memory (lists forgotten before each sample): G1 reads the job by its own route, the other generations its run's documents (one page)",
  });
}

// ---------------------------------------------------------------------------------------------
// Scripted session: requests against the minimum the script needs; heap before, after, after release.

async function session(api: RetabExtensionApi, probe: RequestProbe, sandbox: SandboxControl, generation: Generation): Promise<void> {
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

  const { signature, capabilities } = await api.repository.dialect();
  const flat = signature.routes === 'flat';
  /** Lists are asked 100 a page (G1 sends whole lists); an empty list is still one request. */
  const listPages = (count: number): number => (signature.lists === 'array' ? 1 : Math.max(1, Math.ceil(count / 100)));
  const needed = {
    workflowPages: 0,
    workflows: 0,
    experimentPages: 0,
    experiments: 0,
    runPages: 0,
    neverRunExperiments: 0,
    placeholderContents: 0,
    runs: 0,
    contentPages: 0,
    metrics: 0,
    jobs: 0,
  };
  const toOpen: DocumentNode[] = [];
  let documentsListed = 0;
  const errorRows: string[] = [];
  const walk = async (node: TreeNode | undefined): Promise<void> => {
    const children = await childrenOf(api, node);
    if (!node) {
      needed.workflowPages++;
    } else if (node.kind === 'workflow') {
      needed.workflows++;
      needed.experimentPages += listPages(children.filter((child) => child.kind === 'experiment').length);
    } else if (node.kind === 'experiment') {
      needed.experiments++;
      const runs = children.filter((child) => child.kind === 'run').length;
      needed.runPages += listPages(runs);
      if (runs === 0) {
        needed.neverRunExperiments++;
        // Nested servers list a never-run experiment's documents as placeholders (one /content).
        needed.placeholderContents += capabilities.placeholders ? 1 : 0;
      }
    } else if (node.kind === 'run') {
      needed.runs++;
      // One /content (nested) or the run's results 100 a page (flat): the whole run is read, its
      // first page shown first (the view lists 1,000 rows at most); and its metrics.
      needed.contentPages += flat ? Math.max(1, Math.ceil(Math.max(node.run.documentCount, node.run.totalDocumentCount) / 100)) : 1;
      needed.metrics++;
    }
    for (const child of children) {
      if (child.kind === 'message' && child.severity === 'error') {
        errorRows.push(`${node ? describe(node) : 'root'}: ${describe(child)}`);
      }
      if (child.kind === 'document') {
        documentsListed++;
        if (
          toOpen.length < 50 &&
          isFinishedJob(child) &&
          child.parent.kind === 'run' &&
          child.parent.run.documentCount !== null &&
          child.parent.run.documentCount <= 100
        ) {
          toOpen.push(child);
        }
      }
      // The 50,000-document run has figures of its own (bigRun.ts, generations section).
      if (
        (child.kind === 'workflow' || child.kind === 'experiment' || child.kind === 'run') &&
        !(child.kind === 'experiment' && child.experiment.id === 'exp_huge')
      ) {
        await walk(child);
      }
    }
  };
  // Expand everything (the 5,000-document run included, read whole; not the 50,000-document one),
  // open 50 finished jobs, hover their ids, reopen them.
  await walk(undefined);
  // Every selection asks the job's own endpoint once (the seed's route on G1, the result by id on
  // G2 and G3): opening and reopening each job. G1p has none, and a finished run's content is final.
  needed.jobs = capabilities.jobByDocumentRoute || capabilities.lookupById ? toOpen.length * 2 : 0;
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

  // What the script needs at the least: each list page once, each run's documents (pages) and
  // metrics once, each selection of a job its endpoint once; hovers on loaded ids need nothing.
  const minimum =
    needed.workflowPages + needed.experimentPages + needed.runPages + needed.placeholderContents + needed.contentPages + needed.metrics + needed.jobs;
  const distinct = new Set(made.map((request) => `${request.method} ${request.path}?${new URLSearchParams(request.query).toString()}`));
  const jobRequests = made.filter((request) => requestKind(request) === 'job').length;
  // Job reads are part of the minimum now (one per selection, by contract), whatever the run's documents held.
  const strictMinimum = minimum;

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
    generation,
    made: made.length,
    minimum,
    ratio: round(made.length / minimum),
    distinctResources: distinct.size,
    duplicates: made.length - distinct.size,
    jobRequests,
    jobsOpened: toOpen.length,
    jobsAlreadyInMemory,
    strictMinimum,
    strictRatio: round(made.length / strictMinimum),
    target: 1.1,
    met: made.length / minimum <= 1.1,
    documentsListed,
    errorRows,
    needed,
    byKind: countBy(made.map(requestKind)),
    note: 'minimum = workflow pages + experiment and run list pages (100 a page; G1 lists whole) (+ placeholder content for never-run experiments on nested servers) + per run its documents (one /content, or results pages of 100) and metrics + one request to the job’s endpoint per selection (open and reopen; none on G1p, whose finished runs’ content is final); hovers on loaded ids need none. Session: expand everything once, open up to 50 finished jobs of runs of ≤ 100 documents, hover their ids, reopen them',
  });
  emit({
    figure: 'memory',
    generation,
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
  // Private fields, read for the figure only: the index (knownIndex.ts) and the caches (repositoryCaches.ts).
  const repository = api.repository as unknown as {
    index?: { sizes: { documents: number; jobIds: number }; runs: Map<string, unknown>; experiments: Map<string, unknown>; workflows: Map<string, unknown> };
    caches?: { finishedJobs: { size: number } };
  };
  const index = repository.index;
  return {
    documents: index?.sizes.documents ?? null,
    jobIds: index?.sizes.jobIds ?? null,
    terminalJobs: repository.caches?.finishedJobs.size ?? null,
    runs: index?.runs.size ?? null,
    experiments: index?.experiments.size ?? null,
    workflows: index?.workflows.size ?? null,
  };
}

// ---------------------------------------------------------------------------------------------
// Idle: the view hidden and the panel closed, first after the session, then with a run in
// progress that the view was polling a moment before.

async function idle(api: RetabExtensionApi, sandbox: SandboxControl, idleSeconds: number, generation: Generation): Promise<void> {
  await vscode.commands.executeCommand('workbench.view.explorer');
  await closePanel(api);
  await sandbox.settle();
  const start = await sandbox.count();
  await sleep(idleSeconds * 1000);
  const requests = (await sandbox.requests()).slice(start);
  emit({
    figure: 'idle',
    generation,
    seconds: idleSeconds,
    requests: requests.length,
    paths: requests.map((request) => request.path).slice(0, 20),
    windowFocused: vscode.window.state.focused,
  });
}

async function idleWithLiveRun(api: RetabExtensionApi, sandbox: SandboxControl, idleSeconds: number, generation: Generation): Promise<void> {
  await vscode.commands.executeCommand('workbench.view.extension.retab');
  await sleep(500);
  await sandbox.settle();
  const workflow = await childById<WorkflowNode>(api, undefined, INVOICES.workflowId);
  const experiment = await childById<ExperimentNode>(api, workflow, INVOICES.experimentId);
  // Live updates poll the experiment's runs: nested `…/experiments/exp_invoices_v2/runs`, flat
  // `/workflows/experiments/runs?experiment_id=exp_invoices_v2`.
  const isPoll = (request: LoggedRequest): boolean =>
    request.path === `/v1/workflows/${INVOICES.workflowId}/experiments/${INVOICES.experimentId}/runs` ||
    (request.path === '/v1/workflows/experiments/runs' && request.query.experiment_id === INVOICES.experimentId);
  const pollsSince = async (mark: number): Promise<number> => (await sandbox.requests()).slice(mark).filter(isPoll).length;
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
    const runs = await api.repository.listRuns(INVOICES.workflowId, INVOICES.experimentId, { force: true });
    runId = runs.find((run) => run.status === 'pending' || run.status === 'running')?.id;
  }
  let control = runId ? await waitForPolls(15_000) : { polls: 0, seconds: 0 };
  if (runId && control.polls < 2) {
    // Expand it by keyboard instead, row by row as the view lists them (nothing else is expanded).
    setup = `expanded with list commands${startRunError ? ` (retab.startRun failed: ${startRunError})` : ' (retab.startRun did not expand it)'}`;
    const workflowRow = (await childrenOf(api, undefined)).findIndex((node) => describe(node) === INVOICES.workflowId);
    const experimentRow = (await childrenOf(api, workflow)).findIndex((node) => describe(node) === INVOICES.experimentId);
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
    generation,
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
