import { RetabClient } from '../api/client';
import { JobRef } from '../api/ids';
import { Experiment, Job, RunContent, RunMetrics, RunSummary, Workflow, WorkflowPage, isTerminal } from '../api/models';
import { JsonObject } from '../api/validate';
import { ExpiringCache } from './expiringCache';
import { LruCache } from './lruCache';

export interface LoadOptions {
  /** Skip every cache: what Refresh does. */
  force?: boolean;
  signal?: AbortSignal;
}

export interface RunLocation {
  workflowId: string;
  experimentId: string;
  run: RunSummary;
}

export interface DocumentLocation extends JobRef {
  job: Job;
}

const LIST_TTL_MS = 15_000;
const OPEN_CONTENT_TTL_MS = 3_000;
const MAX_TERMINAL_RUN_CONTENTS = 24;
const MAX_TERMINAL_JOBS = 5_000;
const MAX_INDEXED_DOCUMENTS = 60_000;
const MAX_ARTIFACTS = 50;

function jobKey(ref: JobRef): string {
  return `${ref.workflowId}/${ref.experimentId}/${ref.runId}/${ref.documentId}`;
}

/**
 * Everything the views read goes through here: caching by what the data is (finished jobs and
 * runs never change, lists do) and an index of what has been seen, so hovers and the lookup can
 * place an id without asking the server.
 */
export class RetabRepository {
  private readonly workflowPages = new ExpiringCache<string, WorkflowPage>(LIST_TTL_MS);
  private readonly experimentLists = new ExpiringCache<string, Experiment[]>(LIST_TTL_MS);
  private readonly runLists = new ExpiringCache<string, RunSummary[]>(LIST_TTL_MS);
  private readonly openRunContents = new ExpiringCache<string, RunContent>(OPEN_CONTENT_TTL_MS);
  private readonly terminalRunContents = new LruCache<string, RunContent>(MAX_TERMINAL_RUN_CONTENTS);
  private readonly terminalJobs = new LruCache<string, Job>(MAX_TERMINAL_JOBS);
  private readonly artifacts = new LruCache<string, JsonObject>(MAX_ARTIFACTS);
  private readonly finalMetrics = new LruCache<string, RunMetrics>(MAX_TERMINAL_RUN_CONTENTS);
  private readonly openMetrics = new ExpiringCache<string, RunMetrics>(OPEN_CONTENT_TTL_MS);

  private readonly workflows = new Map<string, Workflow>();
  private readonly experiments = new Map<string, Experiment>();
  private readonly runs = new Map<string, RunLocation>();
  private readonly documents = new LruCache<string, DocumentLocation>(MAX_INDEXED_DOCUMENTS);
  private readonly jobIds = new LruCache<string, JobRef>(MAX_INDEXED_DOCUMENTS);

  constructor(readonly client: RetabClient) {}

  async listWorkflows(after: string | undefined, options: LoadOptions = {}): Promise<WorkflowPage> {
    const key = after ?? '';
    const cached = options.force ? undefined : this.workflowPages.get(key);
    if (cached) {
      return cached;
    }
    const page = await this.client.listWorkflows({ after }, options.signal);
    this.workflowPages.set(key, page);
    for (const workflow of page.workflows) {
      this.workflows.set(workflow.id, workflow);
    }
    return page;
  }

  async listExperiments(workflowId: string, options: LoadOptions = {}): Promise<Experiment[]> {
    const cached = options.force ? undefined : this.experimentLists.get(workflowId);
    if (cached) {
      return cached;
    }
    const experiments = await this.client.listExperiments(workflowId, options.signal);
    this.experimentLists.set(workflowId, experiments);
    for (const experiment of experiments) {
      this.experiments.set(experiment.id, experiment);
    }
    return experiments;
  }

  async listRuns(workflowId: string, experimentId: string, options: LoadOptions = {}): Promise<RunSummary[]> {
    const key = `${workflowId}/${experimentId}`;
    const cached = options.force ? undefined : this.runLists.get(key);
    if (cached) {
      return cached;
    }
    const runs = await this.client.listRuns(workflowId, experimentId, options.signal);
    this.runLists.set(key, runs);
    for (const run of runs) {
      this.runs.set(run.id, { workflowId, experimentId, run });
    }
    return runs;
  }

  async getRunContent(workflowId: string, experimentId: string, runId: string, options: LoadOptions = {}): Promise<RunContent> {
    const key = `${workflowId}/${experimentId}/${runId}`;
    if (!options.force) {
      const cached = this.terminalRunContents.get(key) ?? this.openRunContents.get(key);
      if (cached) {
        return cached;
      }
    }
    const content = await this.client.getRunContent(workflowId, experimentId, runId, options.signal);
    const run = this.runs.get(runId)?.run;
    const finished = run !== undefined && isTerminal(run.status) && content.jobs.every((job) => isTerminal(job.status));
    if (finished) {
      this.terminalRunContents.set(key, content);
    } else {
      this.openRunContents.set(key, content);
    }
    for (const job of content.jobs) {
      this.remember(workflowId, job);
    }
    return content;
  }

  /** Artifacts are immutable records: once fetched, served from memory. */
  async getArtifact(operation: string, artifactId: string, options: LoadOptions = {}): Promise<JsonObject> {
    const key = `${operation}/${artifactId}`;
    const cached = options.force ? undefined : this.artifacts.get(key);
    if (cached) {
      return cached;
    }
    const record = await this.client.getArtifact(operation, artifactId, options.signal);
    this.artifacts.set(key, record);
    return record;
  }

  /** A run's content if it is in memory, without any request. */
  peekRunContent(workflowId: string, experimentId: string, runId: string): RunContent | undefined {
    const key = `${workflowId}/${experimentId}/${runId}`;
    return this.terminalRunContents.peek(key) ?? this.openRunContents.get(key);
  }

  /** Finished jobs are served from memory; pending and running ones are always fetched. */
  async getJob(ref: JobRef, options: LoadOptions = {}): Promise<Job> {
    const key = jobKey(ref);
    const cached = options.force ? undefined : this.terminalJobs.get(key);
    if (cached) {
      return cached;
    }
    const job = await this.client.getJob(ref, options.signal);
    if (isTerminal(job.status) && !job.isPlaceholder) {
      this.terminalJobs.set(key, job);
    }
    this.remember(ref.workflowId, job);
    return job;
  }

  /** A finished job already in memory, without any request. */
  cachedJob(ref: JobRef): Job | undefined {
    return this.terminalJobs.peek(jobKey(ref));
  }

  /** Metrics of a finished run are final once computed; `stale_metrics` and the like are not. */
  async getRunMetrics(workflowId: string, experimentId: string, runId: string, options: LoadOptions = {}): Promise<RunMetrics> {
    const key = `${workflowId}/${experimentId}/${runId}`;
    const cached = options.force ? undefined : (this.finalMetrics.get(key) ?? this.openMetrics.get(key));
    if (cached) {
      return cached;
    }
    const metrics = await this.client.getRunMetrics(workflowId, experimentId, runId, options.signal);
    const run = this.runs.get(runId)?.run;
    if (metrics.kind === 'summary' && run !== undefined && isTerminal(run.status)) {
      this.finalMetrics.set(key, metrics);
    } else {
      this.openMetrics.set(key, metrics);
    }
    return metrics;
  }

  forgetRuns(workflowId: string, experimentId: string): void {
    this.runLists.delete(`${workflowId}/${experimentId}`);
  }

  /**
   * What Refresh does: the next read of any list or run goes to the server. Finished jobs stay,
   * since they can never change.
   */
  invalidateLists(): void {
    this.workflowPages.clear();
    this.experimentLists.clear();
    this.runLists.clear();
    this.openRunContents.clear();
    this.terminalRunContents.clear();
    this.finalMetrics.clear();
    this.openMetrics.clear();
  }

  /** Forget everything, e.g. when the API key or server changes. */
  clear(): void {
    this.invalidateLists();
    this.terminalJobs.clear();
    this.artifacts.clear();
    this.workflows.clear();
    this.experiments.clear();
    this.runs.clear();
    this.documents.clear();
    this.jobIds.clear();
  }

  knownWorkflow(workflowId: string): Workflow | undefined {
    return this.workflows.get(workflowId);
  }

  knownExperiment(experimentId: string): Experiment | undefined {
    return this.experiments.get(experimentId);
  }

  knownRun(runId: string): RunLocation | undefined {
    return this.runs.get(runId);
  }

  /** The document as last seen, in the given run when one is named. */
  knownDocument(documentId: string, runId?: string): DocumentLocation | undefined {
    if (runId) {
      return this.documents.peek(`${runId}/${documentId}`);
    }
    return this.documents.peek(documentId);
  }

  knownJobRef(jobId: string): JobRef | undefined {
    return this.jobIds.peek(jobId);
  }

  private remember(workflowId: string, job: Job): void {
    const location: DocumentLocation = {
      workflowId,
      experimentId: job.experimentId,
      runId: job.runId,
      documentId: job.documentId,
      job,
    };
    this.documents.set(`${job.runId}/${job.documentId}`, location);
    const latest = this.documents.peek(job.documentId);
    if (!latest || latest.runId === job.runId || isNewer(this.runs.get(job.runId)?.run, this.runs.get(latest.runId)?.run)) {
      this.documents.set(job.documentId, location);
    }
    if (!job.isPlaceholder) {
      this.jobIds.set(job.id, { workflowId, experimentId: job.experimentId, runId: job.runId, documentId: job.documentId });
    }
  }
}

function isNewer(candidate: RunSummary | undefined, current: RunSummary | undefined): boolean {
  if (!candidate?.createdAt || !current?.createdAt) {
    return !current;
  }
  return candidate.createdAt > current.createdAt;
}
