import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { RetabExtensionApi } from '../../src/extension';
import { ExperimentNode, RunNode, WorkflowNode } from '../../src/ui/tree/nodes';
import { BIG_RUN } from '../support/fixtures';
import { childById } from '../support/tree';
import { Exchange, Figure, Generation, RequestProbe, SandboxControl, median, networkTime, networkUnion, parseTime, round, stats } from './common';

/** The first expansion of the 5,000-document run may take this much of the extension's own time. */
export const BIG_RUN_TARGET_MS = 150;
/** The second expansion (from memory, no request). */
export const BIG_RUN_SECOND_TARGET_MS = 20;

/** A request for a run's jobs: G1/G1p `…/content`, G2/G3 `/workflows/experiments/results?run_id=` (pages of ≤ 100). */
function isContentRequest(exchange: Exchange): boolean {
  const path = new URL(exchange.url).pathname;
  return path.endsWith('/content') || path.endsWith('/workflows/experiments/results');
}

/**
 * Big run: `exprun_big_1`, 5,000 documents. The first expansion (getChildren on the run, then
 * getTreeItem on every child) split into the wait for bytes and the extension's own processing;
 * the second expansion from memory.
 *
 * On nested servers (G1, G1p) the documents come in one `/content` response; on flat ones (G2,
 * G3) in 50 sequential pages of 100 results, each parsed as it arrives, the next requested after.
 * The run's metrics go out beside the first page. So:
 *   transfer   = the time during which at least one request waited for bytes (overlaps count once)
 *   processing = the expansion's wall time minus transfer: everything the extension did
 *                (parse + validate every page, the work between pages, index, tree nodes, tree items)
 *   afterLastByteMs = from the last byte of the last page to the last tree item: the tail alone.
 */
export async function bigRun(api: RetabExtensionApi, probe: RequestProbe, sandbox: SandboxControl, samples: number, generation: Generation): Promise<Figure> {
  const workflow = await childById<WorkflowNode>(api, undefined, BIG_RUN.workflowId);
  const experiment = await childById<ExperimentNode>(api, workflow, BIG_RUN.experimentId);
  const run = await childById<RunNode>(api, experiment, BIG_RUN.runId);

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

  const first = {
    total: [] as number[],
    transfer: [] as number[],
    contentTransfer: [] as number[],
    parse: [] as number[],
    metricsParse: [] as number[],
    betweenPages: [] as number[],
    index: [] as number[],
    nodes: [] as number[],
    items: [] as number[],
    processing: [] as number[],
    afterLastByte: [] as number[],
    /** From one page's parse done to the next page's fetch: the client's own work between pages. */
    gapMedian: [] as number[],
    gapMax: [] as number[],
  };
  // Whether the extension host's event loop was held up meanwhile (GC, other work, CPU contention).
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  const second: number[] = [];
  const secondChildren: number[] = [];
  const secondItems: number[] = [];
  let firstRequests = 0;
  let contentRequests = 0;
  let secondRequests = 0;
  let documents = 0;
  let contentBytes = 0;
  try {
    for (let index = 0; index < samples; index++) {
      api.repository.invalidateLists();
      returned.content = returned.metrics = undefined;
      const mark = probe.mark;
      loopDelay.enable();
      const started = performance.now();
      const children = await api.tree.getChildren(run);
      const loadedAt = performance.now();
      for (const child of children) {
        api.tree.getTreeItem(child);
      }
      const done = performance.now();
      loopDelay.disable();
      const exchanges = probe.since(mark);
      const pages = exchanges.filter(isContentRequest);
      const last = pages[pages.length - 1];
      if (
        pages.length === 0 ||
        pages.some((page) => page.bodyAt === undefined || page.reportedAt === undefined || page.outcome !== 'ok') ||
        returned.content === undefined ||
        returned.metrics === undefined
      ) {
        throw new Error(`the big run's documents were not fetched as expected: ${JSON.stringify(exchanges)}`);
      }
      documents = children.filter((child) => child.kind === 'document').length;
      firstRequests += exchanges.length;
      contentRequests += pages.length;
      contentBytes = pages.reduce((sum, page) => sum + page.bytes, 0);
      const total = done - started;
      const transfer = networkUnion(exchanges);
      // The documents' pages, one after another; the metrics answer is parsed while a page is on
      // its way, so it is reported apart and not taken out of the processing time.
      const parse = parseTime(pages);
      const indexMs = returned.content - (last.reportedAt as number);
      const nodes = loadedAt - Math.max(returned.content, returned.metrics);
      const items = done - loadedAt;
      const processing = total - transfer;
      first.total.push(total);
      first.transfer.push(transfer);
      first.contentTransfer.push(networkTime(pages));
      first.parse.push(parse);
      first.metricsParse.push(parseTime(exchanges.filter((exchange) => !isContentRequest(exchange))));
      first.index.push(indexMs);
      first.nodes.push(nodes);
      first.items.push(items);
      first.processing.push(processing);
      first.betweenPages.push(processing - parse - indexMs - nodes - items);
      first.afterLastByte.push(done - (last.bodyAt as number));
      const gaps = pages.slice(1).map((page, at) => page.started - (pages[at].reportedAt as number));
      if (gaps.length > 0) {
        first.gapMedian.push(median(gaps) as number);
        first.gapMax.push(Math.max(...gaps));
      }

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
  } finally {
    loopDelay.disable();
    repository.getRunContent = originals.getRunContent;
    repository.getRunMetrics = originals.getRunMetrics;
  }
  // Diagnosis: what reading the key costs (every request awaits it before its fetch starts).
  const transport = (api.repository as unknown as { client: { transport: { options: { apiKey: () => Promise<string | undefined> } } } }).client.transport;
  const keyReads: number[] = [];
  for (let index = 0; index < 20; index++) {
    const before = performance.now();
    await transport.options.apiKey();
    keyReads.push(performance.now() - before);
  }
  const processingMs = round(median(first.processing)) as number;
  const secondMs = round(median(second)) as number;
  return {
    figure: 'bigRun',
    generation,
    documents,
    contentKB: Math.round(contentBytes / 102.4) / 10,
    contentRequestsPerExpansion: round(contentRequests / samples),
    requestsPerExpansion: round(firstRequests / samples),
    target: { processingMs: BIG_RUN_TARGET_MS, secondExpansionMs: BIG_RUN_SECOND_TARGET_MS, secondExpansionRequests: 0 },
    met: processingMs <= BIG_RUN_TARGET_MS && secondMs <= BIG_RUN_SECOND_TARGET_MS && secondRequests === 0,
    firstExpansion: {
      processingMs,
      totalMs: round(median(first.total)),
      transferMs: round(median(first.transfer)),
      contentTransferSumMs: round(median(first.contentTransfer)),
      parseAndValidateMs: round(median(first.parse)),
      metricsParseMs: round(median(first.metricsParse)),
      betweenPagesMs: round(median(first.betweenPages)),
      indexMs: round(median(first.index)),
      treeNodesMs: round(median(first.nodes)),
      treeItemsMs: round(median(first.items)),
      afterLastByteMs: round(median(first.afterLastByte)),
      gapBetweenPagesMedianMs: round(median(first.gapMedian)),
      gapBetweenPagesMaxMs: round(median(first.gapMax)),
      coldTotalMs: round(first.total[0]),
      coldProcessingMs: round(first.processing[0]),
      processing: stats(first.processing),
      samplesProcessingMs: first.processing.map(round),
      samplesTotalMs: first.total.map(round),
    },
    secondExpansion: {
      ...stats(second),
      totalMs: secondMs,
      childrenMs: round(median(secondChildren)),
      treeItemsMs: round(median(secondItems)),
      requests: secondRequests,
    },
    samples,
    diagnosis: {
      apiKeyReadMs: stats(keyReads),
      eventLoopDelayMs: { p50: round(loopDelay.percentile(50) / 1e6), p99: round(loopDelay.percentile(99) / 1e6), max: round(loopDelay.max / 1e6) },
    },
    note: "processing = wall time of getChildren(run) + getTreeItem(every child) minus transfer (time during which a request waited for bytes, overlaps once) = parse+validate of every page + work between pages (before the first, between two, after the last page's parse: reading the key, building the next request) + index + tree nodes + tree items; afterLastByteMs = last byte of the last page to the last tree item; diagnosis.apiKeyReadMs = the client's apiKey() (awaited before every fetch)",
  };
}
