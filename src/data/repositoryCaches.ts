/**
 * The repository's caches, declared once with what each holds and for how long. Lists change:
 * they are kept for a few seconds. What belongs to a run is kept by the finished-versus-live rule,
 * written once (`FinalOrLive`): a finished run's data never changes and stays (bounded), a live
 * run's for a few seconds. Records that never change (finished jobs, artifacts) stay, bounded.
 * Refresh (`invalidate`) forgets everything that may have changed; a new key or server (`clear`)
 * everything.
 */
import { DocumentFields, FieldDocuments, FieldVotes, Job, RunContent, RunMetrics, Unavailable, Experiment, RunSummary, WorkflowPage } from '../api/models';
import { JsonObject } from '../api/validate';
import { ExpiringCache } from './expiringCache';
import { LruCache } from './lruCache';

const LIST_TTL_MS = 15_000;
const LIVE_TTL_MS = 3_000;
const MAX_FINISHED_RUNS = 48;
const MAX_FINISHED_JOBS = 5_000;
const MAX_ARTIFACTS = 50;
const MAX_FIELD_VIEWS = 400;

export type FieldView = DocumentFields | FieldDocuments | FieldVotes | Unavailable;

/** The finished-versus-live rule: a finished run's data is kept (LRU), a live one's for a few seconds. */
export class FinalOrLive<V> {
  private readonly final: LruCache<string, V>;
  private readonly live = new ExpiringCache<string, V>(LIVE_TTL_MS);

  constructor(capacity: number) {
    this.final = new LruCache<string, V>(capacity);
  }

  get(key: string): V | undefined {
    return this.final.get(key) ?? this.live.get(key);
  }

  /** As `get`, without making a finished entry the most recently used. */
  peek(key: string): V | undefined {
    return this.final.peek(key) ?? this.live.get(key);
  }

  set(key: string, value: V, final: boolean): void {
    if (final) {
      this.live.delete(key);
      this.final.set(key, value);
    } else {
      this.final.delete(key);
      this.live.set(key, value);
    }
  }

  /** Forgets live entries only: what is final cannot have changed. */
  clearLive(): void {
    this.live.clear();
  }

  clear(): void {
    this.final.clear();
    this.live.clear();
  }
}

export class RepositoryCaches {
  readonly workflowPages = new ExpiringCache<string, WorkflowPage>(LIST_TTL_MS);
  readonly experimentLists = new ExpiringCache<string, Experiment[]>(LIST_TTL_MS);
  readonly runLists = new ExpiringCache<string, RunSummary[]>(LIST_TTL_MS);
  readonly runContents = new FinalOrLive<RunContent>(MAX_FINISHED_RUNS);
  readonly metrics = new FinalOrLive<RunMetrics>(MAX_FINISHED_RUNS);
  readonly fieldViews = new FinalOrLive<FieldView>(MAX_FIELD_VIEWS);
  readonly finishedJobs = new LruCache<string, Job>(MAX_FINISHED_JOBS);
  readonly artifacts = new LruCache<string, JsonObject>(MAX_ARTIFACTS);

  /**
   * Refresh: every list and run is read again (a run's content and scores too: a finished run may
   * have been rescored). Finished jobs, artifacts and finished runs' field views stay: they never change.
   */
  invalidate(): void {
    this.workflowPages.clear();
    this.experimentLists.clear();
    this.runLists.clear();
    this.runContents.clear();
    this.metrics.clear();
    this.fieldViews.clearLive();
  }

  /** Another key or server: nothing is kept. */
  clear(): void {
    this.invalidate();
    this.fieldViews.clear();
    this.finishedJobs.clear();
    this.artifacts.clear();
  }
}
