/** A run: its documents, with a progress row while it is live and, once it ended, its Failures and Fields. */
import { l10n } from '../../../l10n';
import * as vscode from 'vscode';
import {
  firstLine,
  formatDuration,
  formatRelativeTime,
  formatScore,
  formatScoreDelta,
  formatTimestamp,
  plural,
  formatNumber,
  statusWord,
} from '../../../format';
import { codeSpan, escapeMarkdown } from '../../shared/markdown';
import { accessible, joinParts, markdown, markedUri, spokenDelta } from './parts';
import { DocumentNode, ProgressNode, RunNode, TreeNode, runNodeId } from '../nodes';
import { nodeId } from './registry';
import { ChildrenContext, RowKind, TooltipContext } from './row';
import { DocumentMetric, Job, RunContent, RunMetrics, RunSummary, documentLabel, isLive, isTerminal } from '../../../api/models';
import { runDefinitionWords } from '../../shared/runDefinition';
import { statusCodicon, statusIcon } from '../../shared/statusIcons';
import { empty } from '../messageRows';
import { durationStats, DurationStats } from '../../../analysis/durations';
import { groupFailures } from '../../../analysis/failureGroups';
import { sortLabels, arrangeDocuments, isFiltering } from '../documentArrangement';
import { RunReading } from '../../../data/runReading';
import type { Progress } from '../follower';
import { RetabError } from '../../../api/errors';
import { noScoresRow } from '../../shared/scoreWords';
import { withAbortSignal } from '../../shared/cancellation';
import { runRef } from '../fieldChildren';

/**
 * "12 / 40 done" while a run is live. Servers of the first generation send no counts (they read
 * 0): a count only shows once the server reports documents done, else the run's size does.
 */
export function runProgress(run: RunSummary): string {
  const total = run.totalDocumentCount || run.documentCount;
  return run.completedDocumentCount > 0
    ? l10n.t('{0} / {1} done', formatNumber(run.completedDocumentCount), formatNumber(total))
    : plural(total, l10n.t('{0} doc'), l10n.t('{0} docs'));
}

export function runDescription(node: RunNode): string {
  const run = node.run;
  // "older definition" leads: "Run 6" is short, so the start of the description is always seen.
  const older = node.olderDefinition && l10n.t('older definition');
  const reading = node.reading && l10n.t('{0} of {1} read', formatNumber(node.reading.read), formatNumber(node.reading.total));
  if (reading) {
    return joinParts([older, reading, isLive(run.status) && run.status]);
  }
  if (isLive(run.status)) {
    // Expanded, the row below says how far it got (see RunNode.expanded); this row stays still.
    return node.expanded
      ? joinParts([older, run.status])
      : joinParts([older, statusWord(run.status), runProgress(run), run.errorCount > 0 && plural(run.errorCount, l10n.t('{0} error'), l10n.t('{0} errors'))]);
  }
  const delta = formatScoreDelta(run.score, node.previous?.score);
  return joinParts([
    older,
    run.score !== null && (delta ? `${formatScore(run.score)} ${delta}` : formatScore(run.score)),
    plural(run.documentCount, l10n.t('{0} doc'), l10n.t('{0} docs')),
    run.errorCount > 0 && plural(run.errorCount, l10n.t('{0} error'), l10n.t('{0} errors')),
    formatRelativeTime(run.createdAt),
  ]);
}

function runItem(node: RunNode): vscode.TreeItem {
  const run: RunSummary = node.run;
  const item = new vscode.TreeItem(l10n.t('Run {0}', node.number), vscode.TreeItemCollapsibleState.Collapsed);
  item.id = nodeId(node);
  item.contextValue = `run.${run.status}`;
  item.iconPath = statusIcon(run.status);
  item.resourceUri = markedUri('run', run.id, node.olderDefinition ? ['older'] : []);
  item.description = runDescription(node);
  const delta = formatScoreDelta(run.score, node.previous?.score);
  const older = node.olderDefinition && l10n.t('older block definition');
  // Like the description: an expanded live run's row says nothing that changes while it runs
  // (its progress row does), or each change would redraw every document row under it.
  item.accessibilityInformation =
    isLive(run.status) && node.expanded
      ? accessible(l10n.t('Run {0}', node.number), statusWord(run.status), l10n.t('progress in the first row below'), older)
      : accessible(
          l10n.t('Run {0}', node.number),
          statusWord(run.status),
          isLive(run.status) ? runProgress(run) : plural(run.documentCount, l10n.t('{0} document'), l10n.t('{0} documents')),
          run.score !== null && l10n.t('score {0}', formatScore(run.score)),
          delta && l10n.t('{0} against run {1}', spokenDelta(delta), node.number - 1),
          run.errorCount > 0 && plural(run.errorCount, l10n.t('{0} error'), l10n.t('{0} errors')),
          older,
        );
  return item;
}

/** Built on hover (resolveTreeItem), when the run's documents may be in memory for percentiles. */
export function runTooltip(node: RunNode, stats: DurationStats | undefined): vscode.MarkdownString {
  const run = node.run;
  const tooltip = markdown();
  tooltip.appendMarkdown(l10n.t('**Run {0}** — $({1}) {2}\n\n', node.number, statusCodicon(run.status), run.status));
  if (run.statusMessage) {
    tooltip.appendMarkdown(`${escapeMarkdown(firstLine(run.statusMessage, 300))}\n\n`);
  }
  if (run.score !== null) {
    const delta = formatScoreDelta(run.score, node.previous?.score);
    tooltip.appendMarkdown(l10n.t('Score: {0}{1}  \n', formatScore(run.score), delta ? l10n.t(' ({0} against run {1})', delta, node.number - 1) : ''));
  }
  if (isLive(run.status)) {
    tooltip.appendMarkdown(l10n.t('Progress: {0}  \n', runProgress(run)));
  }
  tooltip.appendMarkdown(
    `${joinParts([l10n.t('Documents: {0}', formatNumber(run.documentCount)), l10n.t('errors: {0}', formatNumber(run.errorCount)), run.nConsensus !== null && l10n.t('consensus ×{0}', run.nConsensus)])}  \n`,
  );
  if (run.createdAt) {
    tooltip.appendMarkdown(l10n.t('Started: {0}  \n', escapeMarkdown(formatTimestamp(run.createdAt))));
  }
  if (run.durationMs !== null) {
    tooltip.appendMarkdown(l10n.t('Duration: {0}  \n', formatDuration(run.durationMs)));
  }
  if (stats) {
    const slowest =
      stats.slowest.length > 0 &&
      l10n.t(
        'slow: {0}',
        stats.slowest
          .slice(0, 3)
          .map((job) => escapeMarkdown(documentLabel(job)))
          .join(', '),
      );
    tooltip.appendMarkdown(`${joinParts([l10n.t('Per document: p50 {0}', formatDuration(stats.p50)), `p95 ${formatDuration(stats.p95)}`, slowest])}  \n`);
  } else if (!isLive(run.status)) {
    tooltip.appendMarkdown(l10n.t('Expand the run for per-document duration percentiles.  \n'));
  }
  tooltip.appendMarkdown(`${runDefinitionWords(run, codeSpan)}  \n`);
  if (node.olderDefinition) {
    tooltip.appendMarkdown(
      l10n.t('\n$(history) **Older definition**: this run used an older block definition than the latest run; compare scores with care.\n'),
    );
  }
  tooltip.appendMarkdown(`\nID: ${codeSpan(run.id)}`);
  return tooltip;
}

/** A run's tooltip loads its documents on hover, for percentiles, only below this size: larger ones load on expansion. */
const MAX_DOCUMENTS_LOADED_ON_HOVER = 1_000;

/** Counts from the documents' statuses: exact, whatever the server reports in the run summary. */
function progressNode(parent: RunNode, jobs: readonly Job[]): ProgressNode {
  let done = 0;
  let running = 0;
  let failed = 0;
  for (const job of jobs) {
    if (isTerminal(job.status)) {
      done++;
    } else if (job.status === 'running') {
      running++;
    }
    if (job.status === 'error') {
      failed++;
    }
  }
  return { kind: 'progress', parent, done, total: Math.max(jobs.length, parent.run.totalDocumentCount), running, failed };
}

/**
 * Resolves once the read has jobs from the run's start to show, or has ended. A run whose first
 * page is all of it ends a few microtasks after that page is handed out: a turn of the event loop
 * lets it, so that a small run is drawn once, whole.
 */
async function firstRows(reading: RunReading, signal: AbortSignal, big = false): Promise<void> {
  await firstPage(reading, signal);
  // A big run is never whole after its first page: its rows go out at once.
  if (!reading.done && !big) {
    await new Promise((resolve) => setImmediate(resolve));
  }
}

function firstPage(reading: RunReading, signal: AbortSignal): Promise<void> {
  if (reading.done || reading.fromStart.length > 0) {
    return Promise.resolve();
  }
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      subscription.dispose();
      reject(new RetabError('cancelled', l10n.t('Cancelled.')));
    };
    const subscription = reading.onDidRead((progress) => {
      if (progress.done || reading.fromStart.length > 0) {
        subscription.dispose();
        signal.removeEventListener('abort', onAbort);
        resolve();
      }
    });
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function documentNodes(node: RunNode, jobs: readonly Job[], scores: ReadonlyMap<string, DocumentMetric>, slow: ReadonlySet<string>): DocumentNode[] {
  const ref = runRef(node);
  return jobs.map((job): DocumentNode => ({
    kind: 'document',
    parent: node,
    job,
    ref: { ...ref, documentId: job.documentId },
    metric: scores.get(job.documentId),
    slow: slow.has(job.documentId),
  }));
}

/** The first `limit` documents, and a row that shows more when there are. */
function limited(node: RunNode, documents: readonly DocumentNode[], limit: number, total: number): TreeNode[] {
  const shown = documents.slice(0, limit);
  return shown.length < total ? [...shown, { kind: 'moreDocuments', parent: node, shown: shown.length, remaining: total - shown.length }] : shown;
}

/**
 * The rows that come before the documents: the progress of a live run, the failures, a notice
 * about scores, the fields. While documents are still being read (`content` undefined), each
 * stands in its place already, so that nothing moves when the read ends.
 */
function headRows(
  node: RunNode,
  content: RunContent | undefined,
  failedDocuments: readonly DocumentNode[],
  groups: ReturnType<typeof groupFailures>,
  state: ScoresState,
): TreeNode[] {
  const live = !isTerminal(node.run.status);
  const metrics = state.kind === 'read' ? state.metrics : undefined;
  const rows: TreeNode[] = [];
  if (live) {
    rows.push(content ? progressNode(node, content.jobs) : progressFromSummary(node));
  }
  // While the run is live its progress row counts failures; grouping them waits for the end, so
  // that the rows under a live run keep their places.
  if (!live && content) {
    if (groups.length > 0) {
      // The failed documents' rows only: the node lives as long as the view shows it.
      rows.push({ kind: 'failures', parent: node, groups, documents: new Map(failedDocuments.map((doc) => [doc.job.documentId, doc])) });
    }
  } else if (!live && node.run.errorCount > 0) {
    rows.push({ kind: 'message', parent: node, severity: 'loading', text: l10n.t('Failures'), summary: l10n.t('grouped once every document is read') });
  }
  if (metrics?.kind === 'unavailable') {
    rows.push({ kind: 'message', parent: node, severity: 'empty', text: noScoresRow(metrics.reason), detail: metrics.message ?? undefined });
  }
  // A live run has no per-field scores yet (the server computes them when the run ends): a
  // Fields row there could only repeat the notice above, and would come and go among rows that
  // update. It comes with the run's other final rows (Failures) once the run has ended. A run
  // whose scores could not be read gets one too: expanding it asks again, or says why not.
  // It costs no request until expanded: the summary above is the one read for the documents.
  // Scores still on their way hold the place of the row they will make.
  if (!live && metrics?.kind === 'summary' && metrics.fields && metrics.fields.scores.length > 0) {
    rows.push({ kind: 'fields', parent: node, scores: metrics.fields });
  } else if (!live && state.kind === 'failed') {
    rows.push({ kind: 'fields', parent: node, scores: undefined });
  } else if (!live && state.kind === 'pending') {
    rows.push({ kind: 'message', parent: node, severity: 'loading', text: l10n.t('Fields'), summary: l10n.t('reading the run’s scores') });
  }
  return rows;
}

/**
 * One per read of the run's documents, so that the tree follows the scores once however often the
 * run's rows are built meanwhile (each build asks for them again, and joins the same request).
 */
const steps = new WeakMap<RunReading, Progress>();

/** The scores' arrival as a progress the tree follows: one step, done, when the first ask settles. */
function scoresArrival(reading: RunReading, settled: Promise<unknown>): Progress {
  let step = steps.get(reading);
  if (!step) {
    step = oneStep(settled);
    steps.set(reading, step);
  }
  return step;
}

function oneStep(settled: Promise<unknown>): Progress {
  return {
    onDidRead: (listener) => {
      let active = true;
      void settled.finally(() => active && listener({ read: 0, done: true }));
      return { dispose: () => (active = false) };
    },
  };
}

/** A live run's progress while its documents are still being read: the run's own counts, not a partial list's. */
function progressFromSummary(node: RunNode): ProgressNode {
  const run = node.run;
  return {
    kind: 'progress',
    parent: node,
    done: run.completedDocumentCount,
    total: run.totalDocumentCount || run.documentCount,
    running: 0,
    failed: run.errorCount,
  };
}

/** A run's scores as far as they are known: read, failed, or still on the way. */
/** Above this many documents, a run's scores are asked after its first rows (see runChildren). */
const SCORES_AFTER_FIRST_ROWS = 2_000;

type ScoresState = { kind: 'read'; metrics: RunMetrics } | { kind: 'failed' } | { kind: 'pending'; settled: Promise<unknown> };

async function runChildren(node: RunNode, context: ChildrenContext): Promise<TreeNode[]> {
  const { repository, signal } = context;
  const ref = runRef(node);
  // The read goes on past this load (each page redraws the row) until the row is collapsed.
  const reading = repository.readRunContent(ref.workflowId, ref.experimentId, ref.runId, { signal: context.keepReading });
  let scoresState: ScoresState | undefined;
  // Scores are a bonus: a run without metrics still lists its documents. A big run's (megabytes
  // of summary) are asked once its first rows are in, so that reading them never delays those rows.
  const big = Math.max(node.run.totalDocumentCount, node.run.documentCount) > SCORES_AFTER_FIRST_ROWS;
  const scoresAsked = big ? firstRows(reading, signal, big).catch(() => undefined) : Promise.resolve();
  const scoresRead = scoresAsked
    .then(() => repository.getRunMetrics(ref.workflowId, ref.experimentId, ref.runId, { signal }))
    .then(
      (metrics) => (scoresState = { kind: 'read', metrics }),
      () => (scoresState = { kind: 'failed' }),
    );
  await firstRows(reading, signal, big);
  if (reading.done && !big) {
    // A run read whole is drawn once, with its scores.
    await scoresRead;
  } else if (scoresState === undefined && reading.done) {
    // A big run's first rows do not wait for its scores (a 50,000-document summary is megabytes),
    // even when the run came whole in one answer: one turn lets scores already in memory come.
    // While the run is still being read, its rows go out now; the run is drawn again when they come.
    await new Promise((resolve) => setImmediate(resolve));
  }
  if (reading.error) {
    throw reading.error;
  }
  const state: ScoresState = scoresState ?? { kind: 'pending', settled: scoresRead };
  if (state.kind === 'pending') {
    context.follow(scoresArrival(reading, state.settled));
  }
  const metrics = state.kind === 'read' ? state.metrics : undefined;
  const scores = metrics?.kind === 'summary' ? scoresByDocument(metrics) : new Map<string, DocumentMetric>();
  const content = reading.completed;
  const total = Math.max(node.run.totalDocumentCount || node.run.documentCount, reading.progress.read);
  if (!content) {
    return readingChildren(node, context, reading, scores, state, total);
  }
  node.reading = undefined;
  const live = !isTerminal(node.run.status);
  // Slowness is judged against the finished run: while it runs, the first jobs to end would be
  // flagged and unflagged as others finish, redrawing rows for nothing.
  if (content.jobs.length === 0) {
    return [empty(node, l10n.t('No documents in this run'))];
  }
  // What needs every document is worked out once per read, each part in a task of its own: the
  // run's rows are built again at each redraw, and a 50,000-document run must not hold the host.
  const { slow, groups } = live ? { slow: new Set<string>(), groups: [] } : await finishedFacts(content);
  const failed = groups.flatMap((group) => group.jobs);
  const children = headRows(node, content, documentNodes(node, failed, scores, slow), groups, state);
  const { sort, filter } = context.arrangement;
  if (sort === 'default' && !isFiltering(filter)) {
    // In the server's order: rows are made for those shown only (a 50,000-document run shows 1,000).
    children.push(...limited(node, documentNodes(node, content.jobs.slice(0, context.documentRows), scores, slow), context.documentRows, content.jobs.length));
    return children;
  }
  const documents = documentNodes(node, content.jobs, scores, slow);
  const arranged = arrangeDocuments(documents, sort, filter);
  children.push(...limited(node, arranged, context.documentRows, arranged.length));
  if (isFiltering(filter) && arranged.length < documents.length) {
    children.push({ kind: 'message', parent: node, severity: 'empty', text: l10n.t('{0} documents hidden by the filter', documents.length - arranged.length) });
  }
  return children;
}

interface FinishedFacts {
  slow: ReadonlySet<string>;
  groups: ReturnType<typeof groupFailures>;
}

/** Each finished read's slow documents and failure groups, found once. */
const factsByContent = new WeakMap<RunContent, Promise<FinishedFacts>>();

function finishedFacts(content: RunContent): Promise<FinishedFacts> {
  let facts = factsByContent.get(content);
  if (!facts) {
    facts = (async (): Promise<FinishedFacts> => {
      const slow = new Set(durationStats(content.jobs)?.slowest.map((job) => job.documentId));
      await new Promise((resolve) => setImmediate(resolve));
      const groups = groupFailures(content.jobs);
      await new Promise((resolve) => setImmediate(resolve));
      return { slow, groups };
    })();
    factsByContent.set(content, facts);
  }
  return facts;
}

/** Each summary's scores by document, indexed once (a redraw while a big run is read would do it again). */
const scoresBySummary = new WeakMap<RunMetrics, ReadonlyMap<string, DocumentMetric>>();

function scoresByDocument(metrics: RunMetrics & { kind: 'summary' }): ReadonlyMap<string, DocumentMetric> {
  let scores = scoresBySummary.get(metrics);
  if (!scores) {
    scores = new Map(metrics.documents.map((metric) => [metric.id, metric]));
    scoresBySummary.set(metrics, scores);
  }
  return scores;
}

/**
 * Rows while a big run is still being read: the documents from its start in the server's order
 * (more are appended below as pages come, nothing above moves), or, when a sort or filter is on, a
 * row saying it applies once every document is in — never an answer from part of the run.
 */
function readingChildren(
  node: RunNode,
  context: ChildrenContext,
  reading: RunReading,
  scores: ReadonlyMap<string, DocumentMetric>,
  state: ScoresState,
  total: number,
): TreeNode[] {
  const { read } = reading.progress;
  node.reading = { read, total };
  context.follow(reading, (state) => {
    node.reading = state.done ? undefined : { read: state.read, total: Math.max(total, state.read) };
  });
  const counted = l10n.t('{0} of {1} read', formatNumber(read), formatNumber(total));
  const documents = documentNodes(node, reading.fromStart, scores, new Set());
  const children = headRows(node, undefined, [], [], state);
  const { sort, filter } = context.arrangement;
  if (sort !== 'default' || isFiltering(filter)) {
    const what = isFiltering(filter) ? l10n.t('Filtered') : sortLabels()[sort];
    children.push({ kind: 'message', parent: node, severity: 'loading', text: l10n.t('{0} once every document is read', what), summary: counted });
    return children;
  }
  if (documents.length > context.documentRows) {
    // The rows shown are all in: what remains is counted against the run's size, read or not.
    children.push(...limited(node, documents, context.documentRows, total));
  } else {
    children.push(...documents, { kind: 'message', parent: node, severity: 'loading', text: l10n.t('Reading documents…'), summary: counted });
  }
  return children;
}

/**
 * Its tooltip carries duration percentiles: from memory when its documents are loaded, else by
 * loading them (cancelled if the hover goes away), except for very large runs.
 */
async function runHoverTooltip(node: RunNode, context: TooltipContext): Promise<vscode.MarkdownString> {
  const { workflowId, experimentId, runId } = runRef(node);
  let content = context.repository.peekRunContent(workflowId, experimentId, runId);
  if (!content && (node.run.documentCount ?? Infinity) <= MAX_DOCUMENTS_LOADED_ON_HOVER) {
    content = await withAbortSignal(context.token, (signal) => context.repository.getRunContent(workflowId, experimentId, runId, { signal })).catch(
      () => undefined,
    );
  }
  return runTooltip(node, content ? durationStats(content.jobs) : undefined);
}

export const runRow: RowKind<RunNode> = {
  id: (node) => runNodeId(node.run.id),
  entityId: (node) => node.run.id,
  item: runItem,
  tooltip: runHoverTooltip,
  children: { load: runChildren },
};
