import { FAMILIES } from './families';
import { RunRecord, RunView } from './jobs';
import { rngFor } from './prng';
import { iso } from './wire';

/** `/metrics?view=summary`: a run's scores against the run before it that has scores. */

export interface ScoredRun {
  record: RunRecord;
  view: RunView;
}

export function metricsBody(run: ScoredRun, prior: ScoredRun | null): Record<string, unknown> {
  const { record, view } = run;
  const base = { experiment_id: record.experiment.id, run_id: record.id, view: 'summary' };
  if (view.status !== 'completed') {
    const message =
      view.status === 'pending' || view.status === 'running'
        ? 'Metrics are computed when the run completes.'
        : `The run ended ${view.status === 'error' ? 'in error' : 'cancelled'}; it has no metrics.`;
    return { ...base, error: 'no_metrics', kind: 'no_metrics', message };
  }
  if (record.metrics === 'none') {
    return { ...base, error: 'no_metrics', kind: 'no_metrics', message: 'No ground truth was annotated when this run completed, so it has no metrics.' };
  }
  if (record.metrics === 'stale') {
    return {
      ...base,
      error: 'stale_metrics',
      kind: 'stale_metrics',
      message: 'The annotations changed after these metrics were computed; run the experiment again to refresh them.',
      computed_at: iso((view.completedAt ?? record.createdAt) + 60_000),
    };
  }
  return {
    ...base,
    block_kind: record.experiment.blockKind,
    score: view.score,
    prior_score: prior?.view.score ?? null,
    prior_run_id: prior?.record.id ?? null,
    documents: record.documents.map((document) => ({
      id: document.id,
      filename: document.filename,
      score: view.scores.get(document.id) ?? null,
      prior_score: prior?.view.scores.get(document.id) ?? null,
    })),
    aggregate: aggregate(run),
  };
}

function aggregate({ record, view }: ScoredRun): Record<string, unknown> {
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
    case 'for_each':
      return {
        ...summary,
        fields: Object.fromEntries(Object.keys(family.fields).map((name) => [name, Math.round(Math.min(1, (mean ?? 0.8) + (rng() - 0.5) * 0.2) * 1000) / 1000])),
      };
    case 'classifier':
      return {
        ...summary,
        accuracy: mean,
        per_category: Object.fromEntries(
          family.categories.map((name) => [name, { precision: Math.round((0.7 + rng() * 0.3) * 100) / 100, recall: Math.round((0.7 + rng() * 0.3) * 100) / 100 }]),
        ),
      };
    case 'split':
      return { ...summary, mean_iou: mean, exact_page_match_rate: Math.round((mean ?? 0) * 0.8 * 1000) / 1000 };
  }
}
