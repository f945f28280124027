import { Job } from '../api/models';

export interface DurationStats {
  p50: number;
  p95: number;
  /** Jobs at or above the 95th percentile, slowest first. */
  slowest: Job[];
}

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
  const p95 = percentile(sorted, 0.95);
  const slowest = timed.filter((job) => job.durationMs >= p95 && timed.length >= 5).sort((a, b) => b.durationMs - a.durationMs);
  return { p50: percentile(sorted, 0.5), p95, slowest };
}
