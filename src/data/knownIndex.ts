/**
 * What the repository has seen, by id: workflows, experiments and runs as last listed, and every
 * document and job id of the runs read (bounded), so hovers, links and the lookup can place an
 * id without asking the server.
 */
import { JobRef } from '../api/ids';
import { Experiment, Job, RunSummary, Workflow, timeOf } from '../api/models';
import { LruCache } from './lruCache';

const MAX_INDEXED_DOCUMENTS = 60_000;

export interface RunLocation {
  workflowId: string;
  experimentId: string;
  run: RunSummary;
}

export interface DocumentLocation extends JobRef {
  job: Job;
}

export class KnownIndex {
  readonly workflows = new Map<string, Workflow>();
  readonly experiments = new Map<string, Experiment>();
  readonly runs = new Map<string, RunLocation>();
  /** By `runId/documentId`, and by document id alone for its newest run. */
  private readonly documents = new LruCache<string, DocumentLocation>(MAX_INDEXED_DOCUMENTS);
  private readonly jobIds = new LruCache<string, JobRef>(MAX_INDEXED_DOCUMENTS);

  /** The document as last seen, in the given run when one is named. */
  document(documentId: string, runId?: string): DocumentLocation | undefined {
    return this.documents.peek(runId ? `${runId}/${documentId}` : documentId);
  }

  jobRef(jobId: string): JobRef | undefined {
    return this.jobIds.peek(jobId);
  }

  /** How many documents and job ids are indexed, for the benchmark's memory figures. */
  get sizes(): { documents: number; jobIds: number } {
    return { documents: this.documents.size, jobIds: this.jobIds.size };
  }

  remember(workflowId: string, job: Job): void {
    const location: DocumentLocation = { workflowId, experimentId: job.experimentId, runId: job.runId, documentId: job.documentId, job };
    this.documents.set(`${job.runId}/${job.documentId}`, location);
    const latest = this.documents.peek(job.documentId);
    if (!latest || latest.runId === job.runId || isNewer(this.runs.get(job.runId)?.run, this.runs.get(latest.runId)?.run)) {
      this.documents.set(job.documentId, location);
    }
    if (!job.isPlaceholder) {
      this.jobIds.set(job.id, { workflowId, experimentId: job.experimentId, runId: job.runId, documentId: job.documentId });
    }
  }

  /** Refresh: the index of documents (large runs make it large) is rebuilt as the view reloads. */
  invalidate(): void {
    this.documents.clear();
    this.jobIds.clear();
  }

  clear(): void {
    this.invalidate();
    this.workflows.clear();
    this.experiments.clear();
    this.runs.clear();
  }
}

function isNewer(candidate: RunSummary | undefined, current: RunSummary | undefined): boolean {
  if (!candidate?.createdAt || !current?.createdAt) {
    return !current;
  }
  return timeOf(candidate.createdAt) > timeOf(current.createdAt);
}
