import { FAMILIES } from './families';
import { ApiGeneration } from './generations';
import { RunRecord, RunView } from './jobs';
import { rngFor } from './prng';
import { iso } from './wire';

/**
 * `/metrics?view=summary`: a run's scores against the run before it that has scores, or the
 * envelope that says why there are none (`no_metrics`, `stale_metrics`), in the shape of the SDK of
 * `api`'s era (types/workflows/experiments.py; G3: types/workflows/experiments/metrics.py).
 */

export interface ScoredRun {
  record: RunRecord;
  view: RunView;
}

export function noMetricsBody(experimentId: string, runId: string | null, message: string): Record<string, unknown> {
  return { error: 'no_metrics', kind: 'no_metrics', experiment_id: experimentId, run_id: runId, view: 'summary', message };
}

export function metricsBody(api: ApiGeneration, run: ScoredRun, prior: ScoredRun | null): Record<string, unknown> {
  const { record, view } = run;
  const experiment = record.experiment;
  if (view.status !== 'completed') {
    const message =
      view.status === 'pending' || view.status === 'running'
        ? 'Metrics are computed when the run completes.'
        : `The run ended ${view.status === 'error' ? 'in error' : 'cancelled'}; it has no metrics.`;
    return noMetricsBody(experiment.id, record.id, message);
  }
  if (record.metrics === 'none') {
    return noMetricsBody(experiment.id, record.id, 'No ground truth was annotated when this run completed, so it has no metrics.');
  }
  const g3 = api === 'g3';
  const fingerprint = g3 ? 'block_execution_fingerprint' : 'definition_fingerprint';
  if (record.metrics === 'stale') {
    const changed = record.definition !== experiment.currentDefinition;
    const reasons = g3 ? [changed ? 'validity_changed' : 'inputs_changed'] : [changed ? 'definition_changed' : 'annotations_changed'];
    return {
      error: 'stale_metrics',
      kind: 'stale_metrics',
      experiment_id: experiment.id,
      run_id: record.id,
      view: 'summary',
      // G1p leaves the reasons out: the SDK reads an absent list as empty.
      ...(api === 'g1p' ? {} : { stale_reasons: reasons }),
      last_run: { run_id: record.id, [fingerprint]: record.definition, score: view.score, created_at: iso(record.createdAt) },
      [g3 ? 'current_block_execution_fingerprint' : 'current_config_fingerprint']: experiment.currentDefinition,
      message: 'The annotations changed after these metrics were computed; run the experiment again to refresh them.',
      computed_at: iso((view.completedAt ?? record.createdAt) + 60_000),
    };
  }
  const nested = api === 'g1' || api === 'g1p';
  const documents = record.documents.map((document) => ({
    id: document.id,
    filename: document.filename,
    score: view.scores.get(document.id) ?? null,
    prior_score: prior?.view.scores.get(document.id) ?? null,
  }));
  return {
    experiment_id: experiment.id,
    run_id: record.id,
    ...(nested ? {} : { kind: 'summary' }),
    view: 'summary',
    [fingerprint]: record.definition,
    [nested ? 'block_kind' : 'block_type']: experiment.blockKind,
    score: view.score,
    prior_score: prior?.view.score ?? null,
    prior_run_id: prior?.record.id ?? null,
    ...(g3 ? { scored_document_count: documents.filter((document) => document.score !== null).length, total_document_count: documents.length } : {}),
    documents,
    aggregate: aggregate(run, nested),
  };
}

/** The SDK's aggregate (extract: `likelihoods`; classifier and split: `diag` and `flows`) plus the sandbox's own statistics. */
function aggregate({ record, view }: ScoredRun, nested: boolean): Record<string, unknown> {
  const scores = [...view.scores.values()].filter((score): score is number => score !== null).sort((a, b) => a - b);
  const quantile = (q: number): number | null => (scores.length === 0 ? null : scores[Math.min(scores.length - 1, Math.floor(q * scores.length))]);
  const mean = scores.length === 0 ? null : Math.round((scores.reduce((sum, score) => sum + score, 0) / scores.length) * 10_000) / 10_000;
  const summary = {
    n_documents: record.documents.length,
    n_scored: scores.length,
    n_errors: view.errorCount,
    mean,
    median: quantile(0.5),
    p10: quantile(0.1),
    p90: quantile(0.9),
    min: scores[0] ?? null,
    max: scores[scores.length - 1] ?? null,
  };
  const family = FAMILIES[record.experiment.family];
  const rng = rngFor('aggregate', record.definition);
  switch (record.experiment.blockKind) {
    case 'extract':
    case 'for_each': {
      const fields = Object.fromEntries(Object.keys(family.fields).map((name) => [name, Math.round(Math.min(1, (mean ?? 0.8) + (rng() - 0.5) * 0.2) * 1000) / 1000]));
      return { likelihoods: fields, ...summary, fields };
    }
    case 'classifier': {
      const perCategory = Object.fromEntries(
        family.categories.map((name) => [name, { precision: Math.round((0.7 + rng() * 0.3) * 100) / 100, recall: Math.round((0.7 + rng() * 0.3) * 100) / 100 }]),
      );
      return { ...confusion(family.categories, rng, nested), ...summary, accuracy: mean, per_category: perCategory };
    }
    case 'split':
      return { ...confusion(family.splitLabels, rng, nested), ...summary, mean_iou: mean, exact_page_match_rate: Math.round((mean ?? 0) * 0.8 * 1000) / 1000 };
  }
}

/** `diag` per label and a few off-diagonal `flows`: `{from, to}` in the nested generations, `{source, target}` in the flat ones. */
function confusion(labels: readonly string[], rng: () => number, nested: boolean): { diag: Record<string, number>; flows: Array<Record<string, string | number>> } {
  const diag = Object.fromEntries(labels.map((label) => [label, Math.round((0.7 + rng() * 0.3) * 1000) / 1000]));
  const flows = labels.slice(1).map((label, index): Record<string, string | number> => {
    const score = Math.round(rng() * 0.2 * 1000) / 1000;
    return nested ? { from: labels[index], to: label, score } : { source: labels[index], target: label, score };
  });
  return { diag, flows };
}
