import { l10n } from '../l10n';
import { RetabError, toRetabError } from '../api/errors';
import { Job, RunContent } from '../api/models';
import { Listeners } from './listeners';

/** How far a run's documents have been read. */
export interface ReadProgress {
  /** Documents read so far, from both ends. */
  read: number;
  done: boolean;
}

/**
 * One run's documents being read, shared by whoever wants them: the tree shows `fromStart` as
 * pages come (its first rows after one page), whatever needs every document awaits `content`.
 * The read goes on while anyone still wants it, and stops (its requests aborted) once every
 * subscriber has given up: collapsing the run, a Refresh or leaving the view.
 */
export class RunReading {
  private readonly startJobs: Job[] = [];
  private endCount = 0;
  private finished = false;
  private failure: RetabError | undefined;
  private result: RunContent | undefined;
  private readonly controller = new AbortController();
  private readonly subscribers = new Set<AbortSignal>();
  private readonly changed = new Listeners<ReadProgress>();
  /** Settles when every document is in (or the read failed or was stopped). */
  readonly content: Promise<RunContent>;

  constructor(read: (signal: AbortSignal, onJobs: (jobs: readonly Job[], from: 'start' | 'end') => void) => Promise<RunContent>) {
    this.content = read(this.controller.signal, (jobs, from) => this.took(jobs, from)).then(
      (content) => {
        this.result = content;
        this.finished = true;
        this.changed.fire(this.progress);
        this.changed.clear();
        return content;
      },
      (caught: unknown) => {
        this.finished = true;
        this.failure = toRetabError(caught);
        this.changed.fire(this.progress);
        this.changed.clear();
        throw this.failure;
      },
    );
    // Whoever awaits `content` handles its failure; an unawaited reading must not be an unhandled rejection.
    this.content.catch(() => undefined);
  }

  /** A reading of content already in memory. */
  static of(content: RunContent): RunReading {
    const reading = new RunReading(() => Promise.resolve(content));
    reading.result = content;
    reading.finished = true;
    return reading;
  }

  get progress(): ReadProgress {
    return { read: this.result ? this.result.jobs.length : this.startJobs.length + this.endCount, done: this.finished };
  }

  /** Every document, once read. */
  get completed(): RunContent | undefined {
    return this.result;
  }

  /** Stopped before the end (nobody wanted it any more, or a Refresh): a new read is needed. */
  get stopped(): boolean {
    return this.controller.signal.aborted && this.result === undefined;
  }

  get done(): boolean {
    return this.finished;
  }

  /** Why the read stopped short, once it has. */
  get error(): RetabError | undefined {
    return this.failure;
  }

  /** Jobs read from the run's start, in the server's order (once done, `completed` has them all). */
  get fromStart(): readonly Job[] {
    return this.startJobs;
  }

  /** Hears of every page read; nothing once done. */
  onDidRead(listener: (progress: ReadProgress) => void): { dispose(): void } {
    return this.finished ? { dispose: () => undefined } : this.changed.add(listener);
  }

  /**
   * Keeps the read going while `signal` is not aborted; once every subscriber's signal is, the read
   * stops. The same signal counts once, however often it subscribes.
   */
  subscribe(signal: AbortSignal | undefined): void {
    if (this.finished || signal === undefined) {
      if (signal === undefined && !this.finished) {
        // Someone who cannot give up keeps it going to the end.
        this.subscribers.add(new AbortController().signal);
      }
      return;
    }
    if (this.subscribers.has(signal)) {
      return;
    }
    if (signal.aborted) {
      this.stopIfUnwanted();
      return;
    }
    this.subscribers.add(signal);
    signal.addEventListener(
      'abort',
      () => {
        this.subscribers.delete(signal);
        this.stopIfUnwanted();
      },
      { once: true },
    );
  }

  /** The whole run for one caller, who may give up alone (the read stops when the last one has). */
  async whole(signal: AbortSignal | undefined): Promise<RunContent> {
    this.subscribe(signal);
    if (!signal) {
      return this.content;
    }
    return new Promise<RunContent>((resolve, reject) => {
      const onAbort = (): void => reject(new RetabError('cancelled', l10n.t('The request was cancelled.')));
      if (signal.aborted) {
        onAbort();
        return;
      }
      signal.addEventListener('abort', onAbort, { once: true });
      this.content.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  /** Stops the read whoever still wants it (a Refresh started another). */
  stop(): void {
    this.controller.abort();
  }

  private stopIfUnwanted(): void {
    if (!this.finished && this.subscribers.size === 0) {
      this.controller.abort();
    }
  }

  private took(jobs: readonly Job[], from: 'start' | 'end'): void {
    if (from === 'start') {
      for (const job of jobs) {
        this.startJobs.push(job);
      }
    } else {
      this.endCount += jobs.length;
    }
    this.changed.fire(this.progress);
  }
}
