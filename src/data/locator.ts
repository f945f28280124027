import { JobRef, PartialJobRef } from '../api/ids';
import { RetabRepository } from './repository';

/**
 * Fills in the parts of a job reference that follow from the others, first from what the
 * repository has already seen, then (when allowed) by asking the server.
 */
export class JobLocator {
  constructor(private readonly repository: RetabRepository) {}

  /** Only from memory: instant, for hovers. */
  completeFromMemory(partial: PartialJobRef): PartialJobRef {
    const ref: PartialJobRef = { ...partial };
    if (ref.jobId) {
      // A job id names exactly one document in one run: what memory says beats ids found nearby.
      const known = this.repository.knownJobRef(ref.jobId);
      if (known) {
        Object.assign(ref, known);
      }
    }
    if (ref.documentId && !ref.runId) {
      const known = this.repository.knownDocument(ref.documentId);
      if (known && (!ref.experimentId || ref.experimentId === known.experimentId)) {
        ref.runId = known.runId;
        ref.experimentId ??= known.experimentId;
        ref.workflowId ??= known.workflowId;
      }
    }
    if (ref.runId && !(ref.experimentId && ref.workflowId)) {
      const run = this.repository.knownRun(ref.runId);
      if (run && (!ref.experimentId || ref.experimentId === run.experimentId)) {
        ref.experimentId ??= run.experimentId;
        ref.workflowId ??= run.workflowId;
      }
    }
    if (ref.experimentId && !ref.workflowId) {
      ref.workflowId = this.repository.knownExperiment(ref.experimentId)?.workflowId;
    }
    return stripUndefined(ref);
  }

  /**
   * From memory first; then, on servers that read by id alone (the flat generations), a job or
   * result id names its run and document, a run id its experiment, an experiment id its workflow.
   * Each costs at most one request; nothing is searched.
   */
  async completeById(partial: PartialJobRef, signal?: AbortSignal): Promise<PartialJobRef> {
    let ref = this.completeFromMemory(partial);
    const { capabilities } = await this.repository.dialect(signal);
    if (!capabilities.lookupById) {
      return ref;
    }
    if (ref.jobId && !toJobRef(ref)) {
      const located = await this.repository.locateJob(ref.jobId, signal).catch(() => undefined);
      if (located) {
        ref = { ...ref, ...located };
      }
    }
    if (ref.runId && !(ref.experimentId && ref.workflowId)) {
      const run = await this.repository.locateRun(ref.runId, signal).catch(() => undefined);
      if (run && (!ref.experimentId || ref.experimentId === run.experimentId)) {
        ref.experimentId ??= run.experimentId;
        ref.workflowId ??= run.workflowId;
      }
    }
    if (ref.experimentId && !ref.workflowId) {
      ref.workflowId = (await this.repository.getExperiment(undefined, ref.experimentId, signal).catch(() => undefined))?.workflowId;
    }
    return stripUndefined(ref);
  }
}

export function toJobRef(ref: PartialJobRef): JobRef | undefined {
  if (ref.workflowId && ref.experimentId && ref.runId && ref.documentId) {
    return { workflowId: ref.workflowId, experimentId: ref.experimentId, runId: ref.runId, documentId: ref.documentId };
  }
  return undefined;
}

function stripUndefined(ref: PartialJobRef): PartialJobRef {
  const clean: PartialJobRef = {};
  for (const [key, value] of Object.entries(ref) as [keyof PartialJobRef, string | undefined][]) {
    if (value) {
      clean[key] = value;
    }
  }
  return clean;
}
