import { Job } from '../api/models';

export interface DurationStats {
  p50: number;
  p95: number;
  /** Jobs clearly slower than the run (see SLOW_FACTOR), slowest first. */
  slowest: Job[];
}

/**
 * A job is slow when it is at or above the 95th percentile *and* this many times the median. The
 * percentile alone marks everything when most jobs took the same time: ties at p95 then include
 * nearly the whole run, and "slow" stops meaning anything.
 */
export const SLOW_FACTOR = 1.5;

/** Below this many timed jobs a percentile says nothing about one of them. */
const MIN_JOBS_FOR_SLOW = 5;

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) {
    return 0;
  }
  const rank = Math.ceil(fraction * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export function durationStats(jobs: readonly Job[]): DurationStats | undefined {
  const timed = jobs.filter((job): job is Job & { durationMs: number } => job.durationMs !== null && !job.isPlaceholder);
  if (timed.length === 0) {
    return undefined;
  }
  const sorted = timed.map((job) => job.durationMs).sort((a, b) => a - b);
  const p50 = percentile(sorted, 0.5);
  const p95 = percentile(sorted, 0.95);
  const threshold = Math.max(p95, p50 * SLOW_FACTOR);
  const slowest =
    timed.length >= MIN_JOBS_FOR_SLOW && threshold > 0 ? timed.filter((job) => job.durationMs >= threshold).sort((a, b) => b.durationMs - a.durationMs) : [];
  return { p50, p95, slowest };
}
