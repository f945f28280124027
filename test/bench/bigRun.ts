import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { RetabExtensionApi } from '../../src/extension';
import { RunNode, TreeNode } from '../../src/ui/tree/nodes';
import { BIG_RUN } from '../support/fixtures';
import { descendById } from '../support/tree';
import { sleep } from '../support/wait';
import { Exchange, Figure, Generation, MB, RequestProbe, SandboxControl, median, round, settledHeap } from './common';

/** First rows: at most one page's round trip plus this much of the extension's own time. */
export const FIRST_ROWS_PROCESSING_TARGET_MS = 50;
/** No task of the extension host longer than this while a run loads. */
export const LONGEST_TASK_TARGET_MS = 50;
/** Heap growth for the 50,000-document run, released on collapse + Refresh. */
export const HEAP_TARGET_MB = 150;
/** The extension's whole-run time against Retab's SDK pager (one page after another): at most this ratio. */
export const WHOLE_RUN_RATIO_TARGET = 0.75;

export interface BigRunUnderTest {
  workflowId: string;
  experimentId: string;
  runId: string;
  documents: number;
}

export const BIG_RUNS: Record<'5k' | '50k', BigRunUnderTest> = {
  '5k': { ...BIG_RUN, documents: 5_000 },
  '50k': { workflowId: BIG_RUN.workflowId, experimentId: 'exp_huge', runId: 'exprun_huge_1', documents: 50_000 },
};

/** A request for a run's jobs: G1/G1p `…/content`, G2/G3 `/workflows/experiments/results?run_id=` (pages of ≤ 100). */
function isContentRequest(exchange: Exchange): boolean {
  const path = new URL(exchange.url).pathname;
  return path.endsWith('/content') || path.endsWith('/workflows/experiments/results');
}

/** The first page from the run's start: no cursor, no `order=desc`. */
function isFirstPage(exchange: Exchange): boolean {
  const query = new URL(exchange.url).searchParams;
  return isContentRequest(exchange) && !query.has('after') && query.get('order') !== 'desc';
}

/**
 * How Retab's Node SDK reads a run's results (its auto-pager): `GET …/results?run_id=&limit=100`,
 * then `&after=<list_metadata.after>` one page after another until `after` is null, each body
 * parsed as JSON. `@retab/node` cannot be installed here; this follows its behaviour, with the
 * same key and sandbox, in the same host.
 */
async function sdkPager(origin: string, apiKey: string, generation: Generation, runId: string): Promise<{ ms: number; items: number; pages: number }> {
  const headers: Record<string, string> = generation === 'g3' ? { Authorization: `Bearer ${apiKey}` } : { 'Api-Key': apiKey };
  const started = performance.now();
  let after: string | null = null;
  let items = 0;
  let pages = 0;
  do {
    const query = new URLSearchParams({ run_id: runId, limit: '100', ...(after ? { after } : {}) });
    const response = await fetch(`${origin}/v1/workflows/experiments/results?${query}`, { headers });
    if (!response.ok) {
      throw new Error(`the SDK pager's page ${pages + 1} answered ${response.status}`);
    }
    const body = (await response.json()) as { data: unknown[]; list_metadata: { after: string | null } };
    items += body.data.length;
    pages++;
    after = body.list_metadata.after;
  } while (after);
  return { ms: performance.now() - started, items, pages };
}

/** Expands the run (its first rows), then waits for every document: the times, and how many document rows came first. */
async function expandAndRead(
  api: RetabExtensionApi,
  run: RunNode,
  target: BigRunUnderTest,
): Promise<{ started: number; firstRowsAt: number; wholeAt: number; documentRows: number }> {
  const started = performance.now();
  const children: TreeNode[] = await api.tree.getChildren(run);
  for (const child of children) {
    api.tree.getTreeItem(child);
  }
  const firstRowsAt = performance.now();
  const content = await api.repository.getRunContent(target.workflowId, target.experimentId, target.runId);
  const wholeAt = performance.now();
  // The tree's last redraws (every 250 ms at most) and the scores' arrival.
  await sleep(600);
  if (content.jobs.length !== target.documents) {
    throw new Error(`${target.runId} read ${content.jobs.length} of ${target.documents} documents`);
  }
  return { started, firstRowsAt, wholeAt, documentRows: children.filter((child) => child.kind === 'document').length };
}

/**
 * A big run expanded as a person does, on one generation: when its first rows are there against
 * one page's round trip, when every document is in (against the SDK's pager, in the same run),
 * the longest task of the extension host meanwhile, the heap it holds and gives back on
 * collapse + Refresh. Flat generations page results; nested ones send a run in one `/content`
 * (first rows = the whole run there), so the 50,000-document run is measured on flat ones.
 */
export async function bigRunRead(
  api: RetabExtensionApi,
  probe: RequestProbe,
  sandbox: SandboxControl,
  apiKey: string,
  samples: number,
  generation: Generation,
  size: keyof typeof BIG_RUNS,
): Promise<Figure> {
  const target = BIG_RUNS[size];
  const flat = generation === 'g2' || generation === 'g3';
  // The sandbox builds the 50,000-document run on its first request: paid before measuring.
  if (flat) {
    await sdkPager(sandbox.origin, apiKey, generation, target.runId).catch(() => undefined);
  }
  const figures = {
    firstRows: [] as number[],
    firstPageRoundTrip: [] as number[],
    firstRowsProcessing: [] as number[],
    firstRowCount: [] as number[],
    whole: [] as number[],
    sdk: [] as number[],
    longestTask: [] as number[],
    heapLoaded: [] as number[],
    heapReleased: [] as number[],
    pages: [] as number[],
  };
  for (let sample = 0; sample < samples; sample++) {
    api.repository.invalidateLists();
    api.tree.refresh();
    const run = await descendById<RunNode>(api, [target.workflowId, target.experimentId, target.runId]);
    const heapBefore = await settledHeap();
    const mark = probe.mark;
    const delay = monitorEventLoopDelay({ resolution: 5 });
    delay.enable();
    // In a function of its own, so that nothing of the run stays referenced from this frame
    // when the heap is measured after Refresh.
    const { started, firstRowsAt, wholeAt, documentRows } = await expandAndRead(api, run, target);
    delay.disable();
    const exchanges = probe.since(mark);
    const first = exchanges.find(isFirstPage);
    if (!first || first.bodyAt === undefined) {
      throw new Error(`no first page among ${exchanges.length} requests`);
    }
    const roundTrip = first.bodyAt - first.started;
    figures.firstRows.push(firstRowsAt - started);
    figures.firstPageRoundTrip.push(roundTrip);
    figures.firstRowsProcessing.push(firstRowsAt - started - roundTrip);
    figures.firstRowCount.push(documentRows);
    figures.whole.push(wholeAt - started);
    figures.longestTask.push(delay.max / 1e6);
    figures.pages.push(exchanges.filter(isContentRequest).length);
    figures.heapLoaded.push((await settledHeap()) - heapBefore);
    // Collapse + Refresh: what the run held is let go. The view is collapsed too (Collapse All),
    // or VS Code would ask the run's rows again after the Refresh and start another read.
    await vscode.commands.executeCommand('workbench.actions.treeView.retab.experiments.collapseAll');
    await sleep(300);
    api.tree.cancelLoading(run);
    api.repository.refresh();
    api.tree.refresh();
    await sleep(300);
    figures.heapReleased.push((await settledHeap()) - heapBefore);
    if (flat) {
      const sdk = await sdkPager(sandbox.origin, apiKey, generation, target.runId);
      figures.sdk.push(sdk.ms);
    }
  }
  const m = (values: number[]): number | null => round(median(values));
  const firstRowsProcessingMs = m(figures.firstRowsProcessing) as number;
  const longestTaskMs = m(figures.longestTask) as number;
  const heapLoadedMB = round((median(figures.heapLoaded) as number) / MB) as number;
  const heapReleasedMB = round((median(figures.heapReleased) as number) / MB) as number;
  const wholeMs = m(figures.whole) as number;
  const sdkMs = flat ? (m(figures.sdk) as number) : null;
  const ratio = sdkMs ? round(wholeMs / sdkMs) : null;
  return {
    figure: 'bigRunRead',
    generation,
    documents: target.documents,
    samples,
    target: {
      firstRowsProcessingMs: FIRST_ROWS_PROCESSING_TARGET_MS,
      longestTaskMs: LONGEST_TASK_TARGET_MS,
      heapMB: HEAP_TARGET_MB,
      wholeRunRatioToSdk: WHOLE_RUN_RATIO_TARGET,
    },
    met: {
      firstRows: firstRowsProcessingMs <= FIRST_ROWS_PROCESSING_TARGET_MS,
      longestTask: longestTaskMs <= LONGEST_TASK_TARGET_MS,
      heap: heapLoadedMB <= HEAP_TARGET_MB && heapReleasedMB <= heapLoadedMB / 4,
      wholeRun: ratio === null ? null : ratio <= WHOLE_RUN_RATIO_TARGET,
    },
    firstRowsMs: m(figures.firstRows),
    firstPageRoundTripMs: m(figures.firstPageRoundTrip),
    firstRowsProcessingMs,
    firstRowCount: median(figures.firstRowCount),
    wholeRunMs: wholeMs,
    sdkPagerMs: sdkMs,
    wholeRunRatioToSdk: ratio,
    pages: median(figures.pages),
    longestTaskMs,
    longestTaskSamples: figures.longestTask.map(round),
    heapLoadedMB,
    heapAfterCollapseAndRefreshMB: heapReleasedMB,
    note: 'firstRowsMs = getChildren(run) + getTreeItem of its rows; firstRowsProcessingMs = that minus the first page’s round trip (request start to last byte); wholeRunMs = from the expansion to every document in memory; sdkPagerMs = one page after another (limit 100, list_metadata.after), as the SDK reads; longestTaskMs = the extension host event loop’s longest delay (monitorEventLoopDelay, 5 ms resolution) from the expansion to 600 ms after the last page; heap after settled GC, against before the expansion',
  };
}
