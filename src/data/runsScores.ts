import { toRetabError } from '../api/errors';
import { RunMetrics, RunSummary, numberedRuns } from '../api/models';
import { RetabRepository } from './repository';

/** A run, its number ("Run 7", from the oldest) and its summary scores (undefined when they could not be read). */
export interface RunScores {
  run: RunSummary;
  number: number;
  metrics: RunMetrics | undefined;
}

export interface RunsScoresProgress {
  read: number;
  total: number;
}

/**
 * Every run of an experiment with its summary scores, for the Runs table: the runs as last listed
 * (listed now if they never were, or when `force`), then each run's summary, read once — a
 * finished run's is final and served from memory afterwards, so opening the table again costs
 * nothing. A run whose summary fails is still a column (it says its scores could not be read).
 */
export async function readRunsScores(
  repository: RetabRepository,
  workflowId: string,
  experimentId: string,
  options: { force?: boolean; signal?: AbortSignal; onProgress?: (progress: RunsScoresProgress) => void } = {},
): Promise<RunScores[]> {
  const known = options.force ? [] : repository.knownRunsOf(experimentId);
  const runs = known.length > 0 ? known : await repository.listRuns(workflowId, experimentId, { force: options.force, signal: options.signal });
  const numbered = numberedRuns(runs);
  let read = 0;
  options.onProgress?.({ read, total: numbered.length });
  return Promise.all(
    numbered.map(async ({ run, number }): Promise<RunScores> => {
      let metrics: RunMetrics | undefined;
      try {
        metrics = await repository.getRunMetrics(workflowId, experimentId, run.id, { force: options.force, signal: options.signal });
      } catch (caught) {
        const error = toRetabError(caught);
        if (error.kind === 'cancelled') {
          throw error;
        }
        metrics = undefined;
      }
      read++;
      options.onProgress?.({ read, total: numbered.length });
      return { run, number, metrics };
    }),
  );
}
