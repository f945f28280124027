import { l10n } from '../l10n';
import { RetabClient } from '../api/client';
import { Dialect, StartRunOptions } from '../api/dialects/dialect';
import { JobRef } from '../api/ids';
import {
  Capabilities,
  CancelledRun,
  DocumentFields,
  DocumentMetric,
  Experiment,
  FieldDocuments,
  FieldVotes,
  Unavailable,
  Job,
  RunContent,
  RunMetrics,
  RunSummary,
  StartedRun,
  Workflow,
  WorkflowPage,
  isLive,
  isTerminal,
  newestFirst,
} from '../api/models';
import { JsonObject } from '../api/validate';
import { RetabError, toRetabError } from '../api/errors';
import { restoreExperiments, restoreRuns, restoreWorkflowPage, savedList } from './savedLists';
import { Listeners } from './listeners';
import { RunReading } from './runReading';
import { DraftState } from './blocks/draftState';
import { SnapshotStore } from './snapshotStore';
import { DocumentFiles, Downloader } from './documentFiles';
import { cacheKeys } from './cacheKeys';
import { DocumentLocation, KnownIndex, RunLocation } from './knownIndex';
import { FieldView, RepositoryCaches } from './repositoryCaches';

export interface LoadOptions {
  /** Skip every cache: what Refresh does. */
  force?: boolean;
  signal?: AbortSignal;
}

/** Shown instead of live data when the server cannot be used: what failed and how old the data is. */
export interface OfflineState {
  error: RetabError;
  savedAt: number;
}

/** Failures after which saved data is worth showing: the server is unreachable or refuses us. */
const FALLBACK_KINDS = new Set<RetabError['kind']>(['network', 'timeout', 'server', 'auth', 'rate_limited']);

export type { DocumentLocation, RunLocation } from './knownIndex';

/** Pages of workflows a search reads at most: far beyond real accounts, low enough that a looping server stops. */
const MAX_WORKFLOW_PAGES = 50;

/**
 * Everything the views read goes through here: caching by what the data is (finished jobs and
 * runs never change, lists do) and an index of what has been seen, so hovers and the lookup can
 * place an id without asking the server.
 *
 * Over 400 lines on purpose: its public surface is exactly what the views read (lists, runs, jobs,
 * scores, artifacts, what is known), one method each. What is not a read lives apart: the caches
 * and their rule (repositoryCaches.ts), their keys (cacheKeys.ts), the index (knownIndex.ts),
 * saved lists (savedLists.ts, snapshotStore.ts) and input files (documentFiles.ts).
 */
export class RetabRepository {
  /** Every cache, declared once with its rule (repositoryCaches.ts); keys from cacheKeys.ts. */
  private readonly caches = new RepositoryCaches();
  /** What has been seen, by id (knownIndex.ts). */
  private readonly index = new KnownIndex();

  private readonly runsLoaded = new Listeners();
  private readonly jobUpdated = new Listeners<JobRef>();
  /** Runs whose documents are being read, by cache key: a second caller joins the read. */
  private readonly readings = new Map<string, RunReading>();
  /** Each run content's jobs by document id, built once per content: opening a job never scans. */
  private readonly contentIndex = new WeakMap<RunContent, ReadonlyMap<string, Job>>();

  private offlineState: OfflineState | undefined;
  private readonly offlineChanged = new Listeners();

  /** Input files and sources, for the job panel's Document section. */
  readonly files: DocumentFiles;

  constructor(
    private readonly client: RetabClient,
    private readonly snapshots?: SnapshotStore,
    download?: Downloader,
    /** Workflows whose draft was edited here and not published since (blocks/blockRepository.ts writes it). */
    readonly drafts: DraftState = new DraftState(),
  ) {
    this.files = new DocumentFiles(client, download);
  }

  /** The generation the server speaks, found out first if need be. */
  async dialect(signal?: AbortSignal): Promise<Dialect> {
    return this.client.dialect(signal);
  }

  /** What the server can do, when already known (no request). */
  knownCapabilities(): Capabilities | undefined {
    return this.client.knownCapabilities();
  }

  /** Refresh: also find out again which generation the server speaks. */
  refresh(): void {
    this.client.forgetGeneration();
    this.invalidateLists();
  }

  /** Set while lists come from saved snapshots because the server failed. */
  get offline(): OfflineState | undefined {
    return this.offlineState;
  }

  onDidChangeOffline(listener: () => void): { dispose(): void } {
    return this.offlineChanged.add(listener);
  }

  /** Another key may mean another account: its saved lists must not show. */
  forgetSnapshots(): void {
    this.snapshots?.clear();
  }

  /**
   * Runs a list request; on success saves its raw answer, on a server or network failure falls
   * back to the saved answer (and says so through `offline`).
   */
  private async withSnapshot<T>(
    key: string,
    fetchList: () => Promise<T>,
    toSaved: (value: T) => unknown,
    restore: (saved: unknown) => T | undefined,
  ): Promise<T> {
    try {
      const value = await fetchList();
      this.snapshots?.save(key, toSaved(value));
      this.setOffline(undefined);
      return value;
    } catch (caught) {
      const error = toRetabError(caught);
      const saved = FALLBACK_KINDS.has(error.kind) ? this.snapshots?.load(key) : undefined;
      const value = saved ? restore(saved.value) : undefined;
      if (!saved || value === undefined) {
        throw error;
      }
      this.setOffline({ error, savedAt: saved.savedAt });
      return value;
    }
  }

  private setOffline(state: OfflineState | undefined): void {
    if (state === undefined && this.offlineState === undefined) {
      return;
    }
    this.offlineState = state;
    this.offlineChanged.fire();
  }

  /** Called after any list of runs arrives, so live updates can start when something is running. */
  onDidLoadRuns(listener: () => void): { dispose(): void } {
    return this.runsLoaded.add(listener);
  }

  /** Runs last seen pending, queued or running. */
  activeRuns(): RunLocation[] {
    return [...this.index.runs.values()].filter((location) => isLive(location.run.status));
  }

  /** The runs of an experiment as last listed, newest first by time. */
  knownRunsOf(experimentId: string): RunSummary[] {
    return newestFirst([...this.index.runs.values()].filter((location) => location.experimentId === experimentId).map((location) => location.run));
  }

  async listWorkflows(after: string | undefined, options: LoadOptions = {}): Promise<WorkflowPage> {
    const key = cacheKeys.workflowPage(after);
    const cached = options.force ? undefined : this.caches.workflowPages.get(key);
    if (cached) {
      return cached;
    }
    const page = await this.withSnapshot(
      // l10n-exempt: a saved list's key, never shown
      `workflows ${key}`,
      () => this.client.listWorkflows({ after }, options.signal),
      (value) => savedList('workflows', value),
      restoreWorkflowPage,
    );
    if (!this.offlineState) {
      this.caches.workflowPages.set(key, page);
    }
    for (const workflow of page.workflows) {
      this.index.workflows.set(workflow.id, workflow);
    }
    return page;
  }

  /**
   * Every workflow, a page at a time (each page through `listWorkflows`, so cached and saved as the
   * tree's), for searches that may stop early. Bounded: at most `MAX_WORKFLOW_PAGES` pages, and it
   * stops on a repeated cursor or an empty page; `onPage` hears of each page.
   */
  async *allWorkflows(options: LoadOptions & { onPage?: (page: WorkflowPage) => void } = {}): AsyncGenerator<Workflow> {
    const seen = new Set<string>();
    let after: string | undefined;
    for (let page = 0; page < MAX_WORKFLOW_PAGES; page++) {
      if (options.signal?.aborted) {
        throw new RetabError('cancelled', l10n.t('Cancelled.'));
      }
      const result = await this.listWorkflows(after, options);
      options.onPage?.(result);
      yield* result.workflows;
      const next = result.nextCursor ?? undefined;
      if (!next || result.workflows.length === 0 || seen.has(next)) {
        return;
      }
      seen.add(next);
      after = next;
    }
  }

  async listExperiments(workflowId: string, options: LoadOptions = {}): Promise<Experiment[]> {
    const cached = options.force ? undefined : this.caches.experimentLists.get(cacheKeys.experiments(workflowId));
    if (cached) {
      return cached;
    }
    const experiments = await this.withSnapshot(
      // l10n-exempt: a saved list's key, never shown
      `experiments ${workflowId}`,
      () => this.client.listExperiments(workflowId, options.signal),
      (value) => savedList('experiments', value),
      restoreExperiments,
    );
    if (!this.offlineState) {
      this.caches.experimentLists.set(cacheKeys.experiments(workflowId), experiments);
    }
    for (const experiment of experiments) {
      this.index.experiments.set(experiment.id, experiment);
    }
    return experiments;
  }

  async listRuns(workflowId: string, experimentId: string, options: LoadOptions = {}): Promise<RunSummary[]> {
    const key = cacheKeys.runs(workflowId, experimentId);
    const cached = options.force ? undefined : this.caches.runLists.get(key);
    if (cached) {
      return cached;
    }
    const runs = await this.withSnapshot(
      // l10n-exempt: a saved list's key, never shown
      `runs ${key}`,
      () => this.client.listRuns(workflowId, experimentId, options.signal),
      (value) => savedList('runs', value),
      restoreRuns,
    );
    if (!this.offlineState) {
      this.caches.runLists.set(key, runs);
    }
    for (const run of runs) {
      this.index.runs.set(run.id, { workflowId, experimentId, run });
    }
    this.runsLoaded.fire();
    return runs;
  }

  /**
   * A run's documents as they are read (runReading.ts): shared by every caller while it goes on,
   * so the tree's first rows and a command that needs every document cost one read. Each page's
   * jobs enter the index as they come (hovers and the lookup place them at once).
   */
  readRunContent(workflowId: string, experimentId: string, runId: string, options: LoadOptions = {}): RunReading {
    const key = cacheKeys.run(workflowId, experimentId, runId);
    const cached = options.force ? undefined : this.caches.runContents.get(key);
    if (cached) {
      return RunReading.of(cached);
    }
    const inFlight = options.force ? undefined : this.readings.get(key);
    if (inFlight && !inFlight.done && !inFlight.stopped) {
      inFlight.subscribe(options.signal);
      return inFlight;
    }
    const reading = new RunReading(async (signal, onJobs) => {
      const known = this.index.runs.get(runId)?.run;
      const content = await this.client.getRunContent(workflowId, experimentId, runId, {
        signal,
        sizeHint: known ? Math.max(known.documentCount, known.totalDocumentCount) : undefined,
        onJobs: (jobs, from) => {
          for (const job of jobs) {
            this.index.remember(workflowId, job);
          }
          onJobs(jobs, from);
        },
      });
      this.contentIndex.set(content, new Map(content.jobs.map((job) => [job.documentId, job])));
      const run = this.index.runs.get(runId)?.run;
      this.caches.runContents.set(key, content, run !== undefined && isTerminal(run.status) && content.jobs.every((job) => isTerminal(job.status)));
      return content;
    });
    this.readings.set(key, reading);
    void reading.content
      .catch(() => undefined)
      .finally(() => {
        if (this.readings.get(key) === reading) {
          this.readings.delete(key);
        }
      });
    reading.subscribe(options.signal);
    return reading;
  }

  /** Every document of a run: the read in progress if there is one (see `readRunContent`). */
  async getRunContent(workflowId: string, experimentId: string, runId: string, options: LoadOptions = {}): Promise<RunContent> {
    return this.readRunContent(workflowId, experimentId, runId, options).whole(options.signal);
  }

  /** Artifacts are immutable records: once fetched, served from memory. */
  async getArtifact(operation: string, artifactId: string, options: LoadOptions = {}): Promise<JsonObject> {
    const key = cacheKeys.artifact(operation, artifactId);
    const cached = options.force ? undefined : this.caches.artifacts.get(key);
    if (cached) {
      return cached;
    }
    const record = await this.client.getArtifact(operation, artifactId, options.signal);
    this.caches.artifacts.set(key, record);
    return record;
  }

  /** A run's content if it is in memory, without any request. */
  peekRunContent(workflowId: string, experimentId: string, runId: string): RunContent | undefined {
    return this.caches.runContents.peek(cacheKeys.run(workflowId, experimentId, runId));
  }

  /**
   * Finished jobs are served from memory. Otherwise: the seed's route for one document where the
   * server has it; else the document's job in its run's content (loaded once, then found through
   * the content's index), a live one refreshed by its own id where the server allows.
   */
  async getJob(ref: JobRef, options: LoadOptions = {}): Promise<Job> {
    const key = cacheKeys.job(ref);
    const cached = options.force ? undefined : this.caches.finishedJobs.get(key);
    if (cached) {
      return cached;
    }
    const { capabilities } = await this.client.dialect(options.signal);
    // A finished job already in its loaded run is the record the route would return: no request.
    const loaded = options.force ? undefined : this.peekRunContent(ref.workflowId, ref.experimentId, ref.runId);
    const inRun = loaded ? this.indexOf(loaded).get(ref.documentId) : undefined;
    const job =
      inRun && isTerminal(inRun.status)
        ? inRun
        : capabilities.jobByDocumentRoute
          ? await this.client.getJobByDocument(ref, options.signal)
          : await this.jobFromRun(ref, capabilities, options);
    if (isTerminal(job.status) && !job.isPlaceholder) {
      this.caches.finishedJobs.set(key, job);
    }
    this.index.remember(ref.workflowId, job);
    return job;
  }

  /**
   * What is known of a document's job without a request: a finished job fetched before, its run's
   * loaded content, or the index of documents seen. What the panel draws at once.
   */
  knownJob(ref: JobRef): Job | undefined {
    const cached = this.caches.finishedJobs.peek(cacheKeys.job(ref));
    if (cached) {
      return cached;
    }
    const loaded = this.peekRunContent(ref.workflowId, ref.experimentId, ref.runId);
    return (loaded ? this.indexOf(loaded).get(ref.documentId) : undefined) ?? this.knownDocument(ref.documentId, ref.runId)?.job;
  }

  /**
   * The job from its own endpoint, asked once per call whatever is cached: the seed's route (G1),
   * the result by id (G2, G3). G1p has no route for one document: its run's content is read again
   * while the run is not finished, and a finished run's job is what is known (`requested: false`).
   * A job not known yet is first found in its run (its id is needed on flat servers). An answer
   * that differs from the run's content replaces the job there, and `onDidUpdateJob` says so: the
   * tree and the panel show one version of the job.
   */
  async fetchJob(ref: JobRef, signal?: AbortSignal): Promise<{ job: Job; requested: boolean }> {
    const { capabilities } = await this.client.dialect(signal);
    let known = this.knownJob(ref);
    let job: Job;
    if (capabilities.jobByDocumentRoute) {
      job = await this.client.getJobByDocument(ref, signal);
    } else {
      known ??= await this.getJob(ref, { signal });
      if (capabilities.lookupById && !known.isPlaceholder) {
        job = await this.client.getJobById(known.id, signal);
      } else {
        const run = this.index.runs.get(ref.runId)?.run;
        if ((run && isTerminal(run.status) && isTerminal(known.status)) || known.isPlaceholder) {
          return { job: known, requested: false };
        }
        const content = await this.getRunContent(ref.workflowId, ref.experimentId, ref.runId, { force: true, signal });
        const found = this.indexOf(content).get(ref.documentId);
        if (!found) {
          throw new RetabError('not_found', l10n.t('Document {0} has no job in run {1}.', ref.documentId, ref.runId));
        }
        job = found;
      }
    }
    this.adoptJob(ref, job, known);
    return { job, requested: true };
  }

  /** Tells when a job fetched on its own differs from what its run's content said. */
  onDidUpdateJob(listener: (ref: JobRef) => void): { dispose(): void } {
    return this.jobUpdated.add(listener);
  }

  private adoptJob(ref: JobRef, job: Job, known: Job | undefined): void {
    const key = cacheKeys.job(ref);
    if (isTerminal(job.status) && !job.isPlaceholder) {
      this.caches.finishedJobs.set(key, job);
    } else {
      this.caches.finishedJobs.delete(key);
    }
    this.index.remember(ref.workflowId, job);
    if (known && sameJob(known, job)) {
      return;
    }
    const loaded = this.peekRunContent(ref.workflowId, ref.experimentId, ref.runId);
    if (loaded) {
      const position = loaded.jobs.findIndex((candidate) => candidate.documentId === ref.documentId);
      if (position >= 0) {
        loaded.jobs[position] = job;
        (this.indexOf(loaded) as Map<string, Job>).set(ref.documentId, job);
      }
    }
    this.jobUpdated.fire(ref);
  }

  private async jobFromRun(ref: JobRef, capabilities: Capabilities, options: LoadOptions): Promise<Job> {
    const loaded = this.peekRunContent(ref.workflowId, ref.experimentId, ref.runId);
    const known = loaded ? this.indexOf(loaded).get(ref.documentId) : this.knownDocument(ref.documentId, ref.runId)?.job;
    if (known && !options.force && (loaded || isTerminal(known.status))) {
      return known;
    }
    if (known && capabilities.lookupById && !known.isPlaceholder) {
      return this.client.getJobById(known.id, options.signal);
    }
    const content = await this.getRunContent(ref.workflowId, ref.experimentId, ref.runId, options);
    const job = this.indexOf(content).get(ref.documentId);
    if (!job) {
      throw new RetabError('not_found', l10n.t('Document {0} has no job in run {1}.', ref.documentId, ref.runId));
    }
    return job;
  }

  private indexOf(content: RunContent): ReadonlyMap<string, Job> {
    let index = this.contentIndex.get(content);
    if (!index) {
      index = new Map(content.jobs.map((job) => [job.documentId, job]));
      this.contentIndex.set(content, index);
    }
    return index;
  }

  /**
   * Where a job id (`expjob_…`, or a flat server's `expresult_…`) belongs: from memory, else
   * asked of the server where it can read jobs by id. Undefined when it cannot be placed.
   */
  async locateJob(jobId: string, signal?: AbortSignal): Promise<JobRef | undefined> {
    const known = this.knownJobRef(jobId);
    if (known) {
      return known;
    }
    const { capabilities } = await this.client.dialect(signal);
    if (!capabilities.lookupById) {
      return undefined;
    }
    const job = await this.client.getJobById(jobId, signal);
    const experiment = await this.getExperiment(undefined, job.experimentId, signal);
    this.index.remember(experiment.workflowId, job);
    return { workflowId: experiment.workflowId, experimentId: job.experimentId, runId: job.runId, documentId: job.documentId };
  }

  /** A run by id: from memory, else from a server that reads runs by id alone. */
  async locateRun(runId: string, signal?: AbortSignal): Promise<RunLocation | undefined> {
    const known = this.index.runs.get(runId);
    if (known) {
      return known;
    }
    const located = await this.client.getRun(runId, signal);
    if (!located) {
      return undefined;
    }
    const workflowId = located.workflowId ?? (await this.getExperiment(undefined, located.experimentId, signal)).workflowId;
    const location = { workflowId, experimentId: located.experimentId, run: located.run };
    this.index.runs.set(runId, location);
    return location;
  }

  async getWorkflow(workflowId: string, signal?: AbortSignal): Promise<Workflow> {
    const known = this.index.workflows.get(workflowId);
    if (known) {
      return known;
    }
    const workflow = await this.client.getWorkflow(workflowId, signal);
    this.index.workflows.set(workflow.id, workflow);
    return workflow;
  }

  /** `workflowId` may be undefined where the server reads experiments by id alone. */
  async getExperiment(workflowId: string | undefined, experimentId: string, signal?: AbortSignal): Promise<Experiment> {
    const known = this.index.experiments.get(experimentId);
    if (known) {
      return known;
    }
    const experiment = await this.client.getExperiment(workflowId, experimentId, signal);
    this.index.experiments.set(experiment.id, experiment);
    return experiment;
  }

  /** A never-run experiment's documents, where the server lists placeholders; none elsewhere. */
  async placeholderContent(workflowId: string, experimentId: string, signal?: AbortSignal): Promise<RunContent> {
    const content = await this.client.getRunContent(workflowId, experimentId, undefined, { signal });
    for (const job of content.jobs) {
      this.index.remember(workflowId, job);
    }
    return content;
  }

  async startRun(workflowId: string, experimentId: string, options: StartRunOptions, signal?: AbortSignal): Promise<StartedRun> {
    const { capabilities } = await this.client.dialect(signal);
    // Options the server does not take are not sent: it would reject them or, worse, ignore them.
    const supported: StartRunOptions = {
      nConsensus: capabilities.perRunConsensus ? options.nConsensus : undefined,
      retryFailedOnly: capabilities.retryFailedOnly ? options.retryFailedOnly : undefined,
    };
    const started = await this.client.startRun(workflowId, experimentId, supported, signal);
    this.forgetRuns(workflowId, experimentId);
    return started;
  }

  /**
   * Cancels `runId`, or the experiment's run in progress. Servers that cancel by run need its id:
   * the one last seen live, else the newest live one in a fresh list.
   */
  async cancelRun(workflowId: string, experimentId: string, runId: string | undefined, signal?: AbortSignal): Promise<CancelledRun> {
    const { capabilities } = await this.client.dialect(signal);
    let target = runId;
    if (capabilities.cancelByRun && !target) {
      const live = (runs: RunSummary[]): RunSummary | undefined => runs.find((run) => isLive(run.status));
      target = live(this.knownRunsOf(experimentId))?.id ?? live(await this.listRuns(workflowId, experimentId, { force: true, signal }))?.id;
      if (!target) {
        throw new RetabError('conflict', l10n.t('No run of this experiment is in progress.'));
      }
    }
    const cancelled = await this.client.cancelRun(workflowId, experimentId, target, signal);
    this.forgetRuns(workflowId, experimentId);
    return cancelled;
  }

  /** A finished job already in memory, without any request. */
  cachedJob(ref: JobRef): Job | undefined {
    return this.caches.finishedJobs.peek(cacheKeys.job(ref));
  }

  /** A document's score in its run when that run's scores are in memory (the view read them): no request. */
  knownDocumentScore(ref: JobRef): DocumentMetric | undefined {
    const metrics = this.caches.metrics.peek(cacheKeys.run(ref.workflowId, ref.experimentId, ref.runId));
    return metrics?.kind === 'summary' ? metrics.documents.find((document) => document.id === ref.documentId) : undefined;
  }

  /** Metrics of a finished run are final once computed; `stale_metrics` and the like are not. */
  async getRunMetrics(workflowId: string, experimentId: string, runId: string, options: LoadOptions = {}): Promise<RunMetrics> {
    const key = cacheKeys.run(workflowId, experimentId, runId);
    const cached = options.force ? undefined : this.caches.metrics.get(key);
    if (cached) {
      return cached;
    }
    const metrics = await this.client.getRunMetrics(workflowId, experimentId, runId, options.signal);
    const run = this.index.runs.get(runId)?.run;
    // Metrics of a finished run are final once computed; `stale_metrics` and the like are not.
    this.caches.metrics.set(key, metrics, metrics.kind === 'summary' && run !== undefined && isTerminal(run.status));
    return metrics;
  }

  /** One document's fields in a run, with their scores and change (fetched when first asked for). */
  async getDocumentFields(ref: JobRef, options: LoadOptions = {}): Promise<DocumentFields | Unavailable> {
    return this.fieldView(cacheKeys.documentFields(ref), ref.runId, options, () =>
      this.client.getDocumentFields(ref.workflowId, ref.experimentId, ref.runId, ref.documentId, options.signal),
    );
  }

  /** One field across a run's documents. */
  async getFieldDocuments(run: Omit<JobRef, 'documentId'>, path: string, options: LoadOptions = {}): Promise<FieldDocuments | Unavailable> {
    return this.fieldView(cacheKeys.fieldDocuments(run.runId, path), run.runId, options, () =>
      this.client.getFieldDocuments(run.workflowId, run.experimentId, run.runId, path, options.signal),
    );
  }

  /** The consensus and every voter's value for one document and field. */
  async getFieldVotes(ref: JobRef, path: string, options: LoadOptions = {}): Promise<FieldVotes | Unavailable> {
    return this.fieldView(cacheKeys.fieldVotes(ref, path), ref.runId, options, () =>
      this.client.getFieldVotes(ref.workflowId, ref.experimentId, ref.runId, ref.documentId, path, options.signal),
    );
  }

  private async fieldView<T extends FieldView>(key: string, runId: string, options: LoadOptions, fetchView: () => Promise<T>): Promise<T> {
    const cached = options.force ? undefined : (this.caches.fieldViews.get(key) as T | undefined);
    if (cached) {
      return cached;
    }
    const view = await fetchView();
    const run = this.index.runs.get(runId)?.run;
    this.caches.fieldViews.set(key, view, view.kind !== 'unavailable' && run !== undefined && isTerminal(run.status));
    return view;
  }

  forgetRuns(workflowId: string, experimentId: string): void {
    this.caches.runLists.delete(cacheKeys.runs(workflowId, experimentId));
  }

  /**
   * What Refresh does: the next read of any list or run goes to the server, and the index of
   * documents seen (large runs make it large) is rebuilt as the view reloads. Finished jobs stay,
   * since they can never change.
   */
  invalidateLists(): void {
    this.caches.invalidate();
    this.index.invalidate();
    // Reads in progress go on for whoever waits on them; the next caller starts a fresh one.
    this.readings.clear();
  }

  /** Forget everything, e.g. when the API key or server changes. */
  clear(): void {
    this.client.resetGeneration();
    // Another key or server: nothing read for the old one may land afterwards.
    for (const reading of this.readings.values()) {
      reading.stop();
    }
    this.readings.clear();
    this.caches.clear();
    this.index.clear();
    this.files.clear();
  }

  knownWorkflow(workflowId: string): Workflow | undefined {
    return this.index.workflows.get(workflowId);
  }

  knownExperiment(experimentId: string): Experiment | undefined {
    return this.index.experiments.get(experimentId);
  }

  /** An experiment of this workflow on that block, as last listed: what names a block for people. */
  knownExperimentOfBlock(workflowId: string, blockId: string): Experiment | undefined {
    for (const experiment of this.index.experiments.values()) {
      if (experiment.workflowId === workflowId && experiment.blockId === blockId) {
        return experiment;
      }
    }
    return undefined;
  }

  knownRun(runId: string): RunLocation | undefined {
    return this.index.runs.get(runId);
  }

  /** The document as last seen, in the given run when one is named. */
  knownDocument(documentId: string, runId?: string): DocumentLocation | undefined {
    return this.index.document(documentId, runId);
  }

  knownJobRef(jobId: string): JobRef | undefined {
    return this.index.jobRef(jobId);
  }
}

/** What a person sees of a job: a later attempt, a moved status, a new error or artifact differ. */
function sameJob(a: Job, b: Job): boolean {
  return (
    a.id === b.id &&
    a.status === b.status &&
    a.attempt === b.attempt &&
    a.error === b.error &&
    a.completedAt === b.completedAt &&
    a.startedAt === b.startedAt &&
    a.durationMs === b.durationMs &&
    a.artifact?.id === b.artifact?.id
  );
}
