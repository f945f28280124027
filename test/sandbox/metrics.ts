import { DocumentSeed, ExperimentSeed } from './data';
import {
  CellMaker,
  ConfusionCounts,
  DocumentState,
  FieldCell,
  LabelTarget,
  LabelVotes,
  TargetDef,
  documentTarget,
  documentTargets,
  tuningOf,
  isLabelled,
  labelTargets,
  labelVotes,
  labelsOf,
  listNames,
} from './fields';
import { FAMILIES } from './families';
import { ApiGeneration } from './generations';
import { RunRecord, RunView } from './jobs';
import { rngFor } from './prng';
import { iso } from './wire';

/**
 * `/metrics`: a run's scores (`view=summary`) and its field-level breakdowns (`by_document`,
 * `by_target`, `votes`), against a prior run, or the envelope that says why there are none
 * (`no_metrics`, `stale_metrics`), in the shape of the SDK of `api`'s era:
 *
 * - G1 d8f4738c / G1p 72e410ea (types/workflows/experiments.py): no `kind`; confusion flows are
 *   `{from, to, score}`; vote rows are `{consensus, votes}` only.
 * - G2 91b7543e (same file) / G3 61d9c44e (types/workflows/experiments/metrics.py): `kind` next
 *   to `view`; flows are `{source, target, score}`; vote rows add `score`, `row_presence_score`,
 *   `present_voter_count`, `total_voter_count`.
 *
 * Query (every SDK sends the same): `run_id`, `view`, `document_id` (by_document, votes),
 * `target_path` (by_target, votes), `include_prior` (default true: `prior_score` on every
 * score-bearing row; false leaves the keys out), `prior_run_id` (default: the latest completed run
 * before this one).
 */

export const METRIC_VIEWS = ['summary', 'by_document', 'by_target', 'votes'] as const;
export type MetricView = (typeof METRIC_VIEWS)[number];

export interface MetricsRequest {
  view: MetricView;
  documentId: string | null;
  targetPath: string | null;
  includePrior: boolean;
  priorRunId: string | null;
}

/** The request's metrics parameters, or the 422 detail naming what is wrong. */
export function parseMetricsRequest(query: URLSearchParams): MetricsRequest | string {
  const view = query.get('view') || 'summary';
  if (!(METRIC_VIEWS as readonly string[]).includes(view)) {
    return `view must be one of ${METRIC_VIEWS.join(', ')}, not "${view}"`;
  }
  const documentId = query.get('document_id') || null;
  const targetPath = query.get('target_path') || null;
  const needs = { summary: [], by_document: ['document_id'], by_target: ['target_path'], votes: ['document_id', 'target_path'] }[view as MetricView];
  const missing = needs.filter((name) => (name === 'document_id' ? documentId : targetPath) === null);
  if (missing.length > 0) {
    return `${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} required for view=${view}`;
  }
  const include = (query.get('include_prior') ?? 'true').toLowerCase();
  if (!['true', 'false', '1', '0'].includes(include)) {
    return `include_prior must be true or false, not "${query.get('include_prior')}"`;
  }
  return {
    view: view as MetricView,
    documentId,
    targetPath,
    includePrior: include === 'true' || include === '1',
    priorRunId: query.get('prior_run_id') || null,
  };
}

export interface ScoredRun {
  record: RunRecord;
  view: RunView;
}

/** What the metrics of one run know about every target: the run-level scores the summary and `by_target` report. */
export interface RunFieldIndex {
  /** Every target of the run in schema order: field paths, or labels for classifier and split blocks. */
  paths: string[];
  /** Run-level score per target: the mean over the documents that have a result; null when none has. */
  scores: Map<string, number | null>;
  /** Classifier and split blocks: consensus label → voted label over every scored page. */
  confusion: Confusion | null;
}

type Confusion = ReturnType<ConfusionCounts['confusion']>;

/** What the store lends the metrics: views of runs, their documents' states, their indexes and a body cache. */
export interface MetricsHost {
  /** The definition a run would use now (an edited block's, else the seed's). */
  currentDefinition(experiment: ExperimentSeed): string;
  states(run: ScoredRun): ReadonlyArray<DocumentState | null>;
  /** Extract and for_each blocks: per document, its voters (null where it has no state). */
  makers(run: ScoredRun): ReadonlyArray<CellMaker | null>;
  index(run: ScoredRun): RunFieldIndex;
  /** A serialised body kept for as long as the run's view is. */
  cachedBody(run: ScoredRun, key: string, build: () => string): string;
}

export interface MetricsContext {
  api: ApiGeneration;
  host: MetricsHost;
  run: ScoredRun;
  /** The run compared against; null when there is none or `include_prior=false`. */
  prior: ScoredRun | null;
  includePrior: boolean;
}

export type MetricsOutcome = { status: 200; body: string } | { status: 404; detail: string };

export function noMetricsBody(experimentId: string, runId: string | null, message: string, view: MetricView = 'summary'): Record<string, unknown> {
  return { error: 'no_metrics', kind: 'no_metrics', experiment_id: experimentId, run_id: runId, view, message };
}

const nestedApi = (api: ApiGeneration): boolean => api === 'g1' || api === 'g1p';

/** The envelope a run without usable metrics answers, whatever the view; null when it has metrics. */
function unavailable(api: ApiGeneration, host: MetricsHost, { record, view }: ScoredRun, requested: MetricView): Record<string, unknown> | null {
  const experiment = record.experiment;
  if (view.status !== 'completed') {
    const message =
      view.status === 'pending' || view.status === 'running'
        ? 'Metrics are computed when the run completes.'
        : `The run ended ${view.status === 'error' ? 'in error' : 'cancelled'}; it has no metrics.`;
    return noMetricsBody(experiment.id, record.id, message, requested);
  }
  if (record.metrics === 'none') {
    return noMetricsBody(experiment.id, record.id, 'No ground truth was annotated when this run completed, so it has no metrics.', requested);
  }
  if (record.metrics === 'stale') {
    const g3 = api === 'g3';
    const fingerprint = g3 ? 'block_execution_fingerprint' : 'definition_fingerprint';
    const changed = record.definition !== host.currentDefinition(experiment);
    const reasons = g3 ? [changed ? 'validity_changed' : 'inputs_changed'] : [changed ? 'definition_changed' : 'annotations_changed'];
    return {
      error: 'stale_metrics',
      kind: 'stale_metrics',
      experiment_id: experiment.id,
      run_id: record.id,
      view: requested,
      // G1p leaves the reasons out: the SDK reads an absent list as empty.
      ...(api === 'g1p' ? {} : { stale_reasons: reasons }),
      last_run: { run_id: record.id, [fingerprint]: record.definition, score: view.score, created_at: iso(record.createdAt) },
      [g3 ? 'current_block_execution_fingerprint' : 'current_config_fingerprint']: host.currentDefinition(experiment),
      message: 'The annotations changed after these metrics were computed; run the experiment again to refresh them.',
      computed_at: iso((view.completedAt ?? record.createdAt) + 60_000),
    };
  }
  return null;
}

export function metricsResponse(context: MetricsContext, request: MetricsRequest): MetricsOutcome {
  const envelope = unavailable(context.api, context.host, context.run, request.view);
  if (envelope) {
    return { status: 200, body: JSON.stringify(envelope) };
  }
  switch (request.view) {
    case 'summary':
      return { status: 200, body: JSON.stringify(summaryBody(context)) };
    case 'by_document':
      return byDocument(context, request.documentId ?? '');
    case 'by_target':
      return byTarget(context, request.targetPath ?? '');
    case 'votes':
      return votes(context, request.documentId ?? '', request.targetPath ?? '');
  }
}

// ---------------------------------------------------------------------------------------------
// Documents and their states

const positions = new WeakMap<ExperimentSeed, Map<string, number>>();

/** A document's position in its experiment, which is its position in every run of it (runs take a prefix). */
function positionOf(experiment: ExperimentSeed, documentId: string): number | undefined {
  let map = positions.get(experiment);
  if (!map) {
    map = new Map(experiment.documents.map((document, index) => [document.id, index]));
    positions.set(experiment, map);
  }
  return map.get(documentId);
}

function positionIn(run: ScoredRun | null, documentId: string): number | undefined {
  if (!run) {
    return undefined;
  }
  const index = positionOf(run.record.experiment, documentId);
  return index === undefined || run.record.documents[index]?.id !== documentId ? undefined : index;
}

function stateIn(host: MetricsHost, run: ScoredRun | null, documentId: string): DocumentState | null {
  const index = positionIn(run, documentId);
  return run && index !== undefined ? (host.states(run)[index] ?? null) : null;
}

function makerIn(host: MetricsHost, run: ScoredRun | null, documentId: string): CellMaker | null {
  const index = positionIn(run, documentId);
  return run && index !== undefined ? (host.makers(run)[index] ?? null) : null;
}

/** Per document of a run: where its result came from, or null when it has none to show (pending, running, cancelled). */
export function documentStates({ record, view }: ScoredRun, votersOf: (runId: string) => number): Array<DocumentState | null> {
  return record.documents.map((document, index) => {
    const status = view.jobs[index].status;
    if (status === 'skipped') {
      const runId = record.parentRunId ?? record.id;
      return { document, failed: false, source: { definition: record.parentDefinition ?? record.definition, runId, n: votersOf(runId) } };
    }
    if (status === 'completed' || status === 'error') {
      return { document, failed: status === 'error', source: { definition: record.definition, runId: record.id, n: record.nConsensus } };
    }
    return null;
  });
}

const mean = (values: readonly number[]): number | null =>
  values.length === 0 ? null : Math.round((values.reduce((sum, value) => sum + value, 0) / values.length) * 1000) / 1000;

export function buildMakers(run: ScoredRun, states: ReadonlyArray<DocumentState | null>): Array<CellMaker | null> {
  const experiment = run.record.experiment;
  return isLabelled(experiment) ? states.map(() => null) : states.map((state) => state && new CellMaker(experiment, state));
}

export function buildIndex(run: ScoredRun, states: ReadonlyArray<DocumentState | null>, makers: ReadonlyArray<CellMaker | null>): RunFieldIndex {
  const experiment = run.record.experiment;
  const collected = new Map<string, { sum: number; count: number }>();
  const add = (path: string, score: number | null): void => {
    let sums = collected.get(path);
    if (!sums) {
      sums = { sum: 0, count: 0 };
      collected.set(path, sums);
    }
    if (score !== null) {
      sums.sum += score;
      sums.count++;
    }
  };
  let confusion: Confusion | null = null;
  if (isLabelled(experiment)) {
    const counts = new ConfusionCounts();
    for (const state of states) {
      if (state) {
        const votes = labelVotes(experiment, state);
        labelTargets(experiment, votes).forEach((target) => add(target.label, target.score));
        if (!state.failed) {
          counts.add(votes);
        }
      }
    }
    confusion = counts.confusion(labelsOf(experiment));
    // In label order, whichever document first involved them.
    const order = labelsOf(experiment);
    const sorted = new Map([...collected].sort((a, b) => order.indexOf(a[0]) - order.indexOf(b[0])));
    collected.clear();
    sorted.forEach((value, key) => collected.set(key, value));
  } else {
    states.forEach((state, position) => {
      const maker = makers[position];
      if (!state || !maker) {
        return;
      }
      for (const target of documentTargets(experiment, state.document)) {
        // A field the run's definition does not extract yet is no score of its (tuning, data.ts).
        if (tuningOf(experiment, run.record.definition, target.path).present) {
          add(target.path, state.failed ? null : maker.score(target));
        }
      }
    });
  }
  const average = ({ sum, count }: { sum: number; count: number }): number | null => (count === 0 ? null : Math.round((sum / count) * 1000) / 1000);
  return { paths: [...collected.keys()], scores: new Map([...collected].map(([path, sums]) => [path, average(sums)])), confusion };
}

// ---------------------------------------------------------------------------------------------
// Shapes

const documentRef = (document: DocumentSeed): { id: string; filename: string } => ({ id: document.id, filename: document.filename });

function viewHeader(context: MetricsContext, view: MetricView): Record<string, unknown> {
  return { run_id: context.run.record.id, ...(nestedApi(context.api) ? {} : { kind: view }), view };
}

/** `prior_score`, unless the request said `include_prior=false`. */
function prior(context: MetricsContext, score: number | null | undefined): { prior_score?: number | null } {
  return context.includePrior ? { prior_score: score ?? null } : {};
}

/** `{source, target}` flows in the flat generations, `{from, to}` in the nested ones. */
function confusionJson(api: ApiGeneration, confusion: Confusion): Record<string, unknown> {
  return {
    diag: confusion.diag,
    flows: confusion.flows.map((flow) => (nestedApi(api) ? { from: flow.source, to: flow.target, score: flow.score } : flow)),
  };
}

function row(
  context: MetricsContext,
  fields: { consensus: unknown; votes: unknown[]; score: number | null; present: number; total: number },
): Record<string, unknown> {
  if (nestedApi(context.api)) {
    return { consensus: fields.consensus, votes: fields.votes };
  }
  return {
    consensus: fields.consensus,
    votes: fields.votes,
    score: fields.score,
    row_presence_score: Math.round((fields.present / fields.total) * 1000) / 1000,
    present_voter_count: fields.present,
    total_voter_count: fields.total,
  };
}

const notFoundDocument = (context: MetricsContext, documentId: string): MetricsOutcome => ({
  status: 404,
  detail: `Document ${documentId} is not in run ${context.run.record.id}`,
});

// ---------------------------------------------------------------------------------------------
// view=summary

function summaryBody(context: MetricsContext): Record<string, unknown> {
  const { api, run, prior: priorRun } = context;
  const { record, view } = run;
  const experiment = record.experiment;
  const nested = nestedApi(api);
  const g3 = api === 'g3';
  const documents = record.documents.map((document) => ({
    id: document.id,
    filename: document.filename,
    score: view.scores.get(document.id) ?? null,
    ...prior(context, priorRun?.view.scores.get(document.id)),
  }));
  return {
    experiment_id: experiment.id,
    run_id: record.id,
    ...(nested ? {} : { kind: 'summary' }),
    view: 'summary',
    [g3 ? 'block_execution_fingerprint' : 'definition_fingerprint']: record.definition,
    [nested ? 'block_kind' : 'block_type']: experiment.blockKind,
    score: view.score,
    ...prior(context, priorRun?.view.score),
    ...(context.includePrior ? { prior_run_id: priorRun?.record.id ?? null } : {}),
    ...(g3 ? { scored_document_count: documents.filter((document) => document.score !== null).length, total_document_count: documents.length } : {}),
    documents,
    aggregate: aggregate(context),
  };
}

/**
 * The SDK's aggregate — extract: `likelihoods`, every field path of the run with its run-level
 * score; classifier and split: `diag` and `flows` — plus the sandbox's own statistics.
 */
function aggregate(context: MetricsContext): Record<string, unknown> {
  const { record, view } = context.run;
  const scores = [...view.scores.values()].filter((score): score is number => score !== null).sort((a, b) => a - b);
  const quantile = (q: number): number | null => (scores.length === 0 ? null : scores[Math.min(scores.length - 1, Math.floor(q * scores.length))]);
  const average = scores.length === 0 ? null : Math.round((scores.reduce((sum, score) => sum + score, 0) / scores.length) * 10_000) / 10_000;
  const summary = {
    n_documents: record.documents.length,
    n_scored: scores.length,
    n_errors: view.errorCount,
    mean: average,
    median: quantile(0.5),
    p10: quantile(0.1),
    p90: quantile(0.9),
    min: scores[0] ?? null,
    max: scores[scores.length - 1] ?? null,
  };
  const index = context.host.index(context.run);
  const family = FAMILIES[record.experiment.family];
  switch (record.experiment.blockKind) {
    case 'extract':
    case 'for_each': {
      // dict[str, float] in every SDK: a path no document scored (all failed) has no entry.
      const likelihoods = Object.fromEntries([...index.scores].filter((entry): entry is [string, number] => entry[1] !== null));
      return { likelihoods, ...summary };
    }
    case 'classifier': {
      const rng = rngFor('aggregate', record.definition);
      const perCategory = Object.fromEntries(
        family.categories.map((name) => [
          name,
          { precision: Math.round((0.7 + rng() * 0.3) * 100) / 100, recall: Math.round((0.7 + rng() * 0.3) * 100) / 100 },
        ]),
      );
      return { ...confusionJson(context.api, index.confusion ?? { diag: {}, flows: [] }), ...summary, accuracy: average, per_category: perCategory };
    }
    case 'split':
      return {
        ...confusionJson(context.api, index.confusion ?? { diag: {}, flows: [] }),
        ...summary,
        mean_iou: average,
        exact_page_match_rate: Math.round((average ?? 0) * 0.8 * 1000) / 1000,
      };
  }
}

// ---------------------------------------------------------------------------------------------
// view=by_document

/** Targets worst first, as the SDK documents ("sorted ascending"); no score last; ties in schema order. */
function ascending<T extends { score: number | null }>(items: T[]): T[] {
  return items
    .map((item, order) => ({ item, order }))
    .sort((a, b) => (a.item.score ?? 2) - (b.item.score ?? 2) || a.order - b.order)
    .map((entry) => entry.item);
}

function byDocument(context: MetricsContext, documentId: string): MetricsOutcome {
  const { host, run } = context;
  const experiment = run.record.experiment;
  const state = stateIn(host, run, documentId);
  if (!state) {
    return notFoundDocument(context, documentId);
  }
  const priorState = stateIn(host, context.prior, documentId);
  let targets: Array<{ path: string; score: number | null; prior_score?: number | null; value: unknown }>;
  let confusion: Record<string, unknown> | null = null;
  if (isLabelled(experiment)) {
    const votes = labelVotes(experiment, state);
    const priorTargets = priorState ? labelTargets(experiment, labelVotes(experiment, priorState)) : [];
    targets = labelTargets(experiment, votes).map((target) => ({
      path: target.label,
      score: target.score,
      ...prior(context, priorTargets.find((candidate) => candidate.label === target.label)?.score),
      value: target.value,
    }));
    if (!state.failed) {
      const counts = new ConfusionCounts();
      counts.add(votes);
      confusion = confusionJson(context.api, counts.confusion(labelsOf(experiment)));
    }
  } else {
    const maker = makerIn(host, run, documentId) ?? new CellMaker(experiment, state);
    const priorMaker = makerIn(host, context.prior, documentId);
    // The fields this run's definition extracts (a field added by a later edit is not there yet).
    const extracted = documentTargets(experiment, state.document).filter((target) => tuningOf(experiment, run.record.definition, target.path).present);
    targets = extracted.map((target) => {
      const cell = maker.cell(target);
      const priorScore = priorMaker && documentTarget(experiment, priorMaker.state.document, target.path) ? priorMaker.score(target) : null;
      return { path: target.path, score: cell.score, ...prior(context, priorScore), value: cell.value };
    });
  }
  return {
    status: 200,
    body: JSON.stringify({
      ...viewHeader(context, 'by_document'),
      document: documentRef(state.document),
      score: run.view.scores.get(documentId) ?? null,
      ...prior(context, context.prior?.view.scores.get(documentId)),
      ...(isLabelled(experiment) ? { confusion } : {}),
      targets: ascending(targets),
    }),
  };
}

// ---------------------------------------------------------------------------------------------
// view=by_target

function byTarget(context: MetricsContext, path: string): MetricsOutcome {
  const { host, run, api } = context;
  const experiment = run.record.experiment;
  const index = host.index(run);
  if (!index.scores.has(path)) {
    return { status: 404, detail: `Target ${path} not found in run ${run.record.id}` };
  }
  const key = `${api}:by_target:${context.includePrior ? (context.prior?.record.id ?? '-') : 'no-prior'}:${path}`;
  const body = host.cachedBody(run, key, () => {
    const states = host.states(run);
    const documents: Array<Record<string, unknown>> = [];
    let confusion: Record<string, unknown> | undefined;
    if (isLabelled(experiment)) {
      for (const state of states) {
        const target = state && labelTargets(experiment, labelVotes(experiment, state)).find((candidate) => candidate.label === path);
        if (state && target) {
          const priorState = context.includePrior ? stateIn(host, context.prior, state.document.id) : null;
          const priorTarget = priorState
            ? labelTargets(experiment, labelVotes(experiment, priorState)).find((candidate) => candidate.label === path)
            : undefined;
          documents.push({ ...documentRef(state.document), score: target.score, ...prior(context, priorTarget?.score), value: target.value });
        }
      }
      const whole = index.confusion ?? { diag: {}, flows: [] };
      confusion = {
        self: whole.diag[path] ?? null,
        flow_from: Object.fromEntries(whole.flows.filter((flow) => flow.target === path).map((flow) => [flow.source, flow.score])),
        flow_to: Object.fromEntries(whole.flows.filter((flow) => flow.source === path).map((flow) => [flow.target, flow.score])),
      };
    } else {
      const makers = host.makers(run);
      states.forEach((state, position) => {
        const target = state && tuningOf(experiment, run.record.definition, path).present ? documentTarget(experiment, state.document, path) : undefined;
        const maker = makers[position];
        if (!state || !target || !maker) {
          return;
        }
        const cell = maker.cell(target);
        const priorMaker = context.includePrior ? makerIn(host, context.prior, state.document.id) : null;
        const priorScore = priorMaker && documentTarget(experiment, priorMaker.state.document, path) ? priorMaker.score(target) : null;
        documents.push({ ...documentRef(state.document), score: cell.score, ...prior(context, priorScore), value: cell.value });
      });
    }
    return JSON.stringify({
      ...viewHeader(context, 'by_target'),
      target: path,
      score: index.scores.get(path) ?? null,
      ...prior(context, context.prior ? host.index(context.prior).scores.get(path) : null),
      ...(confusion ? { confusion } : {}),
      documents,
    });
  });
  return { status: 200, body };
}

// ---------------------------------------------------------------------------------------------
// view=votes

interface VoteMatrix {
  score: number | null;
  rows: Array<{ consensus: unknown; votes: unknown[]; score: number | null; present: number; total: number }>;
}

/** A field's one row, a list's rows (`line_items`: one a line item), or a label's pages; undefined when the document has no such target. */
function voteMatrix(experiment: ExperimentSeed, state: DocumentState, path: string, maker: CellMaker | null): VoteMatrix | undefined {
  if (isLabelled(experiment)) {
    const votes: LabelVotes = labelVotes(experiment, state);
    const target: LabelTarget | undefined = labelTargets(experiment, votes).find((candidate) => candidate.label === path);
    if (!target) {
      return undefined;
    }
    return {
      score: target.score,
      rows: target.pages.map((page) => {
        const labels = votes.votes.map((voter) => voter[page - 1]);
        const consensus = votes.consensus[page - 1];
        return {
          consensus,
          votes: labels,
          score: state.failed ? null : Math.round((labels.filter((label) => label === consensus).length / votes.n) * 1000) / 1000,
          present: labels.filter((label) => label === path).length,
          total: votes.n,
        };
      }),
    };
  }
  const targets = documentTargets(experiment, state.document);
  const voters = maker ?? new CellMaker(experiment, state);
  const leaf = documentTarget(experiment, state.document, path);
  if (leaf) {
    const cell = voters.cell(leaf);
    return { score: cell.score, rows: [{ consensus: cell.value, votes: cell.votes, score: cell.score, present: cell.present, total: cell.total }] };
  }
  if (!listNames(experiment).includes(path)) {
    return undefined;
  }
  const byRow = new Map<number, Array<{ key: string; target: TargetDef; cell: FieldCell }>>();
  for (const target of targets) {
    if (target.row?.list === path) {
      const cells = byRow.get(target.row.index) ?? [];
      cells.push({ key: target.path.slice(`${path}.${target.row.index}.`.length), target, cell: voters.cell(target) });
      byRow.set(target.row.index, cells);
    }
  }
  if (byRow.size === 0) {
    return undefined;
  }
  const rows = [...byRow.values()].map((cells) => {
    const first = cells[0].cell;
    const scores = cells.map((entry) => entry.cell.score).filter((score): score is number => score !== null);
    return {
      consensus: Object.fromEntries(cells.map((entry) => [entry.key, entry.cell.value])),
      votes: first.votes.map((_, voter) =>
        first.presence?.[voter] === false ? null : Object.fromEntries(cells.map((entry) => [entry.key, entry.cell.votes[voter]])),
      ),
      score: state.failed ? null : mean(scores),
      present: first.present,
      total: first.total,
    };
  });
  const rowScores = rows.map((entry) => entry.score).filter((score): score is number => score !== null);
  return { score: state.failed ? null : mean(rowScores), rows };
}

function votes(context: MetricsContext, documentId: string, path: string): MetricsOutcome {
  const { host, run } = context;
  const experiment = run.record.experiment;
  const state = stateIn(host, run, documentId);
  if (!state) {
    return notFoundDocument(context, documentId);
  }
  const matrix = voteMatrix(experiment, state, path, makerIn(host, run, documentId));
  if (!matrix) {
    return { status: 404, detail: `Target ${path} not found in document ${documentId} of run ${run.record.id}` };
  }
  const priorState = context.includePrior ? stateIn(host, context.prior, documentId) : null;
  return {
    status: 200,
    body: JSON.stringify({
      ...viewHeader(context, 'votes'),
      document: documentRef(state.document),
      target: path,
      score: matrix.score,
      ...prior(context, priorState ? voteMatrix(experiment, priorState, path, makerIn(host, context.prior, documentId))?.score : null),
      rows: matrix.rows.map((entry) => row(context, entry)),
    }),
  };
}
