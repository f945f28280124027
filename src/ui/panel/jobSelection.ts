/**
 * How the job panel follows selections, apart from drawing: what is known of a job is shown at
 * once, its own endpoint is asked once the selection has settled (so holding ↓ through a list
 * asks only for the rows the person stops on), the answer replaces what was shown, a failure
 * leaves it in place, and a newer selection cancels the older one's wait and request. A second
 * open of the selection just made (a click is both a selection and a command) asks nothing more.
 * No vscode here: the panel turns these steps into pages, and unit tests run it over the sandbox.
 */
import { JobRef } from '../../api/ids';
import { Job } from '../../api/models';
import { sleep } from '../../api/requestPolicy';

export interface SelectionSource {
  /** What is known without a request. */
  knownJob(ref: JobRef): Job | undefined;
  /** The job's endpoint, asked once (`requested` false where the server has none and what is known is final). */
  fetchJob(ref: JobRef, signal: AbortSignal): Promise<{ job: Job; requested: boolean }>;
}

export type SelectionStep =
  /** Draw this at once: known for this job (`onScreen`: it is the job already shown, being asked again). */
  | { kind: 'known'; ref: JobRef; job: Job; onScreen: boolean }
  /** Nothing is known: a loading page until the answer. */
  | { kind: 'loading'; ref: JobRef }
  /**
   * The selection stayed long enough: what needs a request for it (its sections) may start.
   * `onScreen` and `force` are the selection's own options.
   */
  | { kind: 'settled'; ref: JobRef; onScreen: boolean; force: boolean }
  | { kind: 'answer'; ref: JobRef; job: Job; requested: boolean; firstSight: boolean }
  | { kind: 'failed'; ref: JobRef; error: unknown; firstSight: boolean };

export interface SelectOptions {
  /** Ask now, past the settle wait and the same-selection rule: the panel's Refresh. */
  force?: boolean;
  /** The job the panel shows now, if it is this selection's. */
  onScreen?: Job;
}

/** A click arrives as a selection and as a command, a few milliseconds apart. */
export const SAME_SELECTION_MS = 1_000;

export class JobSelection {
  private current: { ref: JobRef; controller: AbortController; at: number; pending: boolean } | undefined;

  constructor(
    private readonly source: SelectionSource,
    private readonly settleMs: number,
    private readonly step: (step: SelectionStep) => void,
  ) {}

  /** Whether `ref` is what was selected last (its request under way or answered moments ago). */
  isCurrent(ref: JobRef): boolean {
    return this.current !== undefined && sameJobRef(this.current.ref, ref);
  }

  async select(ref: JobRef, options: SelectOptions = {}): Promise<void> {
    const last = this.current;
    if (!options.force && last && sameJobRef(last.ref, ref) && (last.pending || Date.now() - last.at < SAME_SELECTION_MS)) {
      return;
    }
    last?.controller.abort();
    const controller = new AbortController();
    const selection = { ref, controller, at: Date.now(), pending: true };
    this.current = selection;

    const known = options.onScreen ?? this.source.knownJob(ref);
    if (known) {
      this.step({ kind: 'known', ref, job: known, onScreen: options.onScreen !== undefined });
      if (!options.force && !(await settle(this.settleMs, controller.signal))) {
        return;
      }
      this.step({ kind: 'settled', ref, onScreen: options.onScreen !== undefined, force: options.force === true });
    } else {
      this.step({ kind: 'loading', ref });
    }
    const firstSight = known === undefined;
    try {
      const { job, requested } = await this.source.fetchJob(ref, controller.signal);
      if (this.current === selection) {
        this.step({ kind: 'answer', ref, job, requested, firstSight });
      }
    } catch (error) {
      if (this.current === selection && !controller.signal.aborted) {
        this.step({ kind: 'failed', ref, error, firstSight });
      }
    } finally {
      selection.pending = false;
      selection.at = Date.now();
    }
  }

  /** The panel closed: nothing of the last selection goes on. */
  cancel(): void {
    this.current?.controller.abort();
    this.current = undefined;
  }
}

function sameJobRef(a: JobRef, b: JobRef): boolean {
  return a.workflowId === b.workflowId && a.experimentId === b.experimentId && a.runId === b.runId && a.documentId === b.documentId;
}

/** Resolves true after `ms`, false at once if the selection is superseded first. */
function settle(ms: number, signal: AbortSignal): Promise<boolean> {
  return sleep(ms, signal).then(
    () => true,
    () => false,
  );
}
