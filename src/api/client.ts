import { l10n } from '../l10n';
import { GenerationDetector, DetectionStorage, Detected, ProbeOutcome, otherScheme } from './detection';
import { AuthScheme, Capabilities, Dialect, JobsSpec, LocatedRun, Page, RequestSpec, StartRunOptions } from './dialects/dialect';
import { RetabError, toRetabError } from './errors';
import { JobRef } from './ids';
import {
  CancelledRun,
  DocumentFields,
  Experiment,
  FieldDocuments,
  FieldVotes,
  Job,
  RunContent,
  RunMetrics,
  RunSummary,
  StartedRun,
  Unavailable,
  Workflow,
  WorkflowPage,
  newestFirst,
} from './models';
import { collectPages } from './paging';
import { readFromBothEnds } from './runReading';
import { ExtractionSources, FileLink, FileRecord } from './files/fileModels';
import { HttpTransport, TransportOptions } from './transport';
import { JsonObject, isObject } from './validate';
import { segment } from './dialects/common';
import { parseDocumentFields, parseFieldDocuments, parseFieldVotes } from './dialects/fieldMetrics';

export type { RetryPolicy } from './transport';
export { DEFAULT_RETRY } from './transport';

export interface RetabClientOptions extends TransportOptions {
  /** `auto` (the default) or a generation id that pins the dialect: the `retab.apiGeneration` setting. */
  generation?: () => string;
  /** Where detected generations are remembered across sessions (VS Code's global state). */
  generationStorage?: DetectionStorage;
  /** Told once per base URL which generation it speaks. */
  onLog?: (message: string) => void;
  /** Told of every rejected key, so the UI can say it once rather than once per request. */
  onAuthError?: (error: RetabError) => void;
}

export interface RunContentOptions {
  signal?: AbortSignal;
  /** Hears of each page's jobs as they come: from the run's start (in order), or from its end. */
  onJobs?: (jobs: readonly Job[], from: 'start' | 'end') => void;
  /** The run's size if known: a run of one page is read from its start alone. */
  sizeHint?: number;
}

/** Bounds on paging: far above real experiments, low enough that a looping server stops quickly. */
const PAGE_SIZE = 100;
const MAX_LIST_PAGES = 50;
const MAX_RESULT_PAGES = 600;
/** A server that says "no such route" to everything is probed again at most this many times a minute. */
const MAX_REDETECTS_PER_MINUTE = 3;

/**
 * The Retab API as typed methods over the domain models, whatever generation the server speaks:
 * each call asks the detector for the dialect of the current base URL, has it build the request
 * and parse the answer, and sends it through the one transport. Knows nothing of VS Code.
 *
 * Over 400 lines on purpose: one short method per API call, and the one policy every call goes
 * through (detection, a new probe when a route goes missing, the other auth header after a 401).
 * Routes and wire shapes are the dialects' (dialects/), bodies and retries the transport's.
 */
export class RetabClient {
  private readonly transport: HttpTransport;
  private readonly detector: GenerationDetector;
  private readonly redetects = new Map<string, number[]>();
  /** Base URLs where both headers were refused since the last success: the key is wrong, say so once. */
  private readonly bothHeadersRefused = new Set<string>();

  constructor(private readonly options: RetabClientOptions) {
    this.transport = new HttpTransport(options);
    this.detector = new GenerationDetector({
      setting: options.generation ?? (() => 'auto'),
      storage: options.generationStorage,
      log: options.onLog,
      probe: (auth, signal) => this.probe(auth, signal),
    });
  }

  /** The dialect of the current base URL, found out first if need be. */
  async dialect(signal?: AbortSignal): Promise<Dialect> {
    return (await this.detected(signal)).dialect;
  }

  /** What the server of the current base URL can do, when already known (no request). */
  knownCapabilities(): Capabilities | undefined {
    return this.detector.peek(this.transport.baseUrl())?.dialect.capabilities;
  }

  /**
   * Refresh: the generation is found out again from the first answers, without a probe of its
   * own: a route that went missing, a list 404, a 401 that the other header cures or a list of
   * another shape each lead to the generation the server speaks now.
   */
  forgetGeneration(): void {
    const base = this.transport.baseUrl();
    this.detector.recheck(base);
    this.redetects.delete(base);
    this.bothHeadersRefused.delete(base);
  }

  /** Another key or base URL: forget this session's beliefs (what was remembered is read again). */
  resetGeneration(): void {
    this.detector.reset();
    this.bothHeadersRefused.clear();
  }

  /**
   * Checks the key with one probe (which also finds the generation and the header the key goes
   * in). Used when a key is set, before it is stored.
   */
  async verifyKey(signal?: AbortSignal): Promise<Dialect> {
    const base = this.transport.baseUrl();
    const detected = await this.guard(() => this.detector.redetect(base, signal));
    if (detected.pinned) {
      // A pinned generation is not probed: one cheap request proves the key.
      await this.call((dialect) => dialect.listWorkflows(undefined, 1), signal);
    }
    return detected.dialect;
  }

  async listWorkflows(page: { limit?: number; after?: string } = {}, signal?: AbortSignal): Promise<WorkflowPage> {
    // The server's own page size unless asked: the tree pages workflows with "Load more…".
    return this.call((dialect) => dialect.listWorkflows(page.after, page.limit), signal);
  }

  async getWorkflow(workflowId: string, signal?: AbortSignal): Promise<Workflow> {
    return this.call((dialect) => dialect.getWorkflow(workflowId), signal);
  }

  async listExperiments(workflowId: string, signal?: AbortSignal): Promise<Experiment[]> {
    const { items } = await collectPages(
      (cursor) => this.listPage((dialect) => dialect.listExperiments(workflowId, cursor, PAGE_SIZE), signal),
      MAX_LIST_PAGES,
      signal,
    );
    return items;
  }

  /** `workflowId` may be left out where the server reads experiments by id alone. */
  async getExperiment(workflowId: string | undefined, experimentId: string, signal?: AbortSignal): Promise<Experiment> {
    return this.call((dialect) => dialect.getExperiment(workflowId, experimentId), signal);
  }

  /** Newest first, by creation time. */
  async listRuns(workflowId: string, experimentId: string, signal?: AbortSignal): Promise<RunSummary[]> {
    const { items } = await collectPages(
      (cursor) => this.listPage((dialect) => dialect.listRuns(workflowId, experimentId, cursor, PAGE_SIZE), signal),
      MAX_LIST_PAGES,
      signal,
    );
    return newestFirst(items);
  }

  /** A run by its id alone, where the server can (undefined elsewhere). */
  async getRun(runId: string, signal?: AbortSignal): Promise<LocatedRun | undefined> {
    const dialect = await this.dialect(signal);
    if (!dialect.capabilities.lookupById) {
      return undefined;
    }
    return this.call((current) => current.getRun(runId), signal);
  }

  /**
   * Every job of a run, following pages where the server pages them. Without `runId`: the
   * placeholder jobs of a never-run experiment where the server lists them, else none.
   */
  /**
   * Every job of a run. Flat servers page results (≤ 100 a page): where the dialect allows, the run
   * is read from both ends at once (runReading.ts), and `onJobs` hears of each page's jobs as they
   * come, so a view can show the first ones long before the last page.
   */
  async getRunContent(workflowId: string, experimentId: string, runId: string | undefined, options: RunContentOptions = {}): Promise<RunContent> {
    const { signal, onJobs, sizeHint } = options;
    const dialect = await this.dialect(signal);
    if (runId === undefined && !dialect.capabilities.placeholders) {
      return { experimentId, runId: null, jobs: [], truncated: false };
    }
    let contentRunId: string | null = runId ?? null;
    // Jobs handed out while a one-answer run (nested servers) is parsed, by document id: not again when the answer is whole.
    const early = new Set<string>();
    const handOut = onJobs
      ? (jobs: Job[], from: 'start' | 'end'): void => {
          const fresh = early.size === 0 ? jobs : jobs.filter((job) => !early.has(job.documentId));
          if (fresh.length > 0) {
            onJobs(fresh, from);
          }
        }
      : undefined;
    const streamed = (spec: JobsSpec): JobsSpec => {
      const items = spec.jobItems;
      if (!items || !onJobs) {
        return spec;
      }
      return {
        ...spec,
        stream: {
          path: items.path,
          onBatch: (elements, from) => {
            const jobs = elements.map((element, index) => items.parseJob(element, from + index)).filter((job) => !early.has(job.documentId));
            for (const job of jobs) {
              early.add(job.documentId);
            }
            if (jobs.length > 0) {
              onJobs(jobs, 'start');
            }
          },
        },
      };
    };
    const { items, truncated } = await readFromBothEnds<Job>({
      fetchPage: async (cursor, order, pageSignal) => {
        const page = await this.call((current) => streamed(current.runJobs(workflowId, experimentId, runId, cursor, PAGE_SIZE, order)), pageSignal);
        contentRunId = page.runId ?? contentRunId;
        return { items: page.jobs, nextCursor: page.nextCursor };
      },
      idOf: (job) => job.documentId,
      bothEnds: dialect.capabilities.resultsFromBothEnds && runId !== undefined,
      // A run known to fit in one page is not read from its end too (that page would be asked twice).
      endAtOnce: sizeHint === undefined || sizeHint > PAGE_SIZE,
      maxPages: MAX_RESULT_PAGES,
      signal,
      onItems: handOut,
    });
    return { experimentId, runId: contentRunId, jobs: items, truncated };
  }

  /** The seed's route for one document's job, where the server has it. */
  async getJobByDocument(ref: JobRef, signal?: AbortSignal): Promise<Job> {
    return this.call((dialect) => dialect.getJobByDocument(ref), signal);
  }

  /** A job (a result, on flat servers) by its own id, where the server can. */
  async getJobById(jobId: string, signal?: AbortSignal): Promise<Job> {
    return this.call((dialect) => dialect.getJobById(jobId), signal);
  }

  /** An uploaded file's record (name, type, pages). */
  async getFile(fileId: string, signal?: AbortSignal): Promise<FileRecord> {
    return this.call((dialect) => dialect.file(fileId), signal);
  }

  /** A signed, short-lived URL for a file's bytes: downloaded without the key (download.ts). */
  async getFileDownloadLink(fileId: string, signal?: AbortSignal): Promise<FileLink> {
    return this.call((dialect) => dialect.fileDownloadLink(fileId), signal);
  }

  /** Where each value of an extraction was read (page and box, for PDFs and images). */
  async getExtractionSources(extractionId: string, signal?: AbortSignal): Promise<ExtractionSources> {
    return this.call((dialect) => dialect.extractionSources(extractionId), signal);
  }

  async getRunMetrics(workflowId: string, experimentId: string, runId: string, signal?: AbortSignal): Promise<RunMetrics> {
    return this.call((dialect) => dialect.runMetrics(workflowId, experimentId, runId), signal);
  }

  /** One document's fields with their scores and change against the prior run (`view=by_document`). */
  async getDocumentFields(
    workflowId: string,
    experimentId: string,
    runId: string,
    documentId: string,
    signal?: AbortSignal,
  ): Promise<DocumentFields | Unavailable> {
    return this.call(
      (dialect) =>
        metricsView(
          dialect,
          workflowId,
          experimentId,
          { run_id: segment(runId, l10n.t('Run id')), view: 'by_document', document_id: segment(documentId, l10n.t('Document id')) },
          parseDocumentFields,
          'large',
        ),
      signal,
    );
  }

  /** One field across the run's documents (`view=by_target`). */
  async getFieldDocuments(workflowId: string, experimentId: string, runId: string, path: string, signal?: AbortSignal): Promise<FieldDocuments | Unavailable> {
    return this.call(
      (dialect) =>
        metricsView(
          dialect,
          workflowId,
          experimentId,
          { run_id: segment(runId, l10n.t('Run id')), view: 'by_target', target_path: fieldPath(path) },
          parseFieldDocuments,
          'large',
        ),
      signal,
    );
  }

  /** The consensus and every voter's value for one document and field (`view=votes`). */
  async getFieldVotes(
    workflowId: string,
    experimentId: string,
    runId: string,
    documentId: string,
    path: string,
    signal?: AbortSignal,
  ): Promise<FieldVotes | Unavailable> {
    return this.call(
      (dialect) =>
        metricsView(
          dialect,
          workflowId,
          experimentId,
          { run_id: segment(runId, l10n.t('Run id')), view: 'votes', document_id: segment(documentId, l10n.t('Document id')), target_path: fieldPath(path) },
          parseFieldVotes,
          'large',
        ),
      signal,
    );
  }

  async startRun(workflowId: string, experimentId: string, options: StartRunOptions = {}, signal?: AbortSignal): Promise<StartedRun> {
    return this.call((dialect) => dialect.startRun(workflowId, experimentId, options), signal);
  }

  /**
   * Cancels the run (flat servers) or the experiment's active run (nested ones). "Nothing is
   * running" comes back as a 404 from some servers and a 409 from others: both are a conflict.
   */
  async cancelRun(workflowId: string, experimentId: string, runId: string | undefined, signal?: AbortSignal): Promise<CancelledRun> {
    try {
      return await this.call((dialect) => dialect.cancelRun(workflowId, experimentId, runId), signal);
    } catch (caught) {
      const error = toRetabError(caught);
      if (error.kind === 'not_found' && !error.routeMissing) {
        throw new RetabError('conflict', l10n.t('No run of this experiment is in progress ({0})', error.message), {
          status: error.status,
          requestId: error.requestId,
        });
      }
      throw error;
    }
  }

  async getArtifact(operation: string, artifactId: string, signal?: AbortSignal): Promise<JsonObject> {
    return this.call((dialect) => dialect.artifact(operation, artifactId), signal);
  }

  private async detected(signal?: AbortSignal): Promise<Detected> {
    return this.guard(() => this.detector.current(this.transport.baseUrl(), signal));
  }

  /** Detection failing on the key is the one message about the key, like any other 401. */
  private async guard<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (caught) {
      const error = toRetabError(caught);
      if (error.kind === 'auth') {
        this.options.onAuthError?.(error);
      }
      throw error;
    }
  }

  /**
   * A request built from another domain's routes (evals: src/api/evals/), through the same
   * detection, key and transport. Such routes are `optional`: their 404 or 405 says nothing of
   * the generation.
   */
  async request<T>(build: (dialect: Dialect) => RequestSpec<T>, signal?: AbortSignal): Promise<T> {
    return this.call(build, signal);
  }

  /** A page of a list; its shape tells the detector which nested generation this is. */
  private async listPage<T>(build: (dialect: Dialect) => RequestSpec<Page<T>>, signal?: AbortSignal): Promise<Page<T>> {
    const page = await this.call(build, signal);
    this.detector.observeLists(this.transport.baseUrl(), page.shape);
    return page;
  }

  private async call<T>(build: (dialect: Dialect) => RequestSpec<T>, signal?: AbortSignal): Promise<T> {
    const base = this.transport.baseUrl();
    const detected = await this.detected(signal);
    try {
      return await this.send(base, detected, build, signal);
    } catch (caught) {
      const error = toRetabError(caught);
      if (!this.mayBeAnotherGeneration(base, detected, error, build)) {
        throw error;
      }
      this.redetects.set(base, [...this.recentRedetects(base), Date.now()]);
      const again = await this.guard(() => this.detector.redetect(base, signal));
      if (again.dialect.id === detected.dialect.id && again.auth === detected.auth) {
        throw error;
      }
      return this.send(base, again, build, signal);
    }
  }

  /** A missing route (or a 404 on a list, which has no item to miss) may mean the server moved on. */
  private mayBeAnotherGeneration<T>(base: string, detected: Detected, error: RetabError, build: (dialect: Dialect) => RequestSpec<T>): boolean {
    if (detected.pinned || isOptional(build, detected.dialect) || !(error.routeMissing || (error.kind === 'not_found' && isList(build, detected.dialect)))) {
      return false;
    }
    return this.recentRedetects(base).length < MAX_REDETECTS_PER_MINUTE;
  }

  private recentRedetects(base: string): number[] {
    const since = Date.now() - 60_000;
    return (this.redetects.get(base) ?? []).filter((time) => time > since);
  }

  private async send<T>(base: string, detected: Detected, build: (dialect: Dialect) => RequestSpec<T>, signal?: AbortSignal): Promise<T> {
    const spec = build(detected.dialect);
    try {
      const value = await this.transport.request(spec, detected.auth, signal);
      if (!detected.authConfirmed) {
        this.detector.confirmAuth(base, detected.auth);
      }
      this.bothHeadersRefused.delete(base);
      return value;
    } catch (caught) {
      const error = toRetabError(caught);
      if (error.kind !== 'auth') {
        throw error;
      }
      if (this.bothHeadersRefused.has(base)) {
        this.options.onAuthError?.(error);
        throw error;
      }
      // A 401 may be about the header rather than the key (a server that moved to Bearer, or a
      // pinned generation's guess): the other header is tried once, and the answer kept.
      const other: AuthScheme = otherScheme(detected.auth);
      try {
        const value = await this.transport.request(spec, other, signal);
        this.detector.confirmAuth(base, other);
        return value;
      } catch (retried) {
        const second = toRetabError(retried);
        if (second.kind === 'auth') {
          this.bothHeadersRefused.add(base);
          this.options.onAuthError?.(second);
        }
        throw second;
      }
    }
  }

  /** `GET /workflows/experiments?limit=1`: a page (or a 422 for a missing filter) on flat servers; a 404 on nested ones. */
  private async probe(auth: AuthScheme, signal?: AbortSignal): Promise<ProbeOutcome> {
    const spec: RequestSpec<ProbeOutcome> = {
      method: 'GET',
      path: '/workflows/experiments',
      query: { limit: 1 },
      parse: (value) => (isObject(value) && (Array.isArray(value.data) || isObject(value.list_metadata)) ? 'flat' : 'nested'),
    };
    try {
      return await this.transport.request(spec, auth, signal);
    } catch (caught) {
      const error = toRetabError(caught);
      if (error.kind === 'auth') {
        return error;
      }
      // The route exists but wants arguments (some flat servers require `workflow_id`): flat.
      if (error.status === 422 || error.status === 400) {
        return 'flat';
      }
      // On a nested server `/workflows/experiments` is a workflow named "experiments", or no route.
      if (error.status === 404 || error.status === 405) {
        return 'nested';
      }
      throw error;
    }
  }
}

function metricsView<T>(
  dialect: Dialect,
  workflowId: string,
  experimentId: string,
  query: Record<string, string>,
  parse: (value: unknown) => T,
  size: 'small' | 'large',
): RequestSpec<T> {
  return { method: 'GET', path: dialect.metricsPath(workflowId, experimentId), query, parse, size };
}

/** Field paths are server text sent back in a query string: bounded, and free of control characters. */
function fieldPath(path: string): string {
  // eslint-disable-next-line no-control-regex
  if (path.length === 0 || path.length > 500 || /[\u0000-\u001f]/.test(path)) {
    throw new RetabError('invalid_id', l10n.t('"{0}" is not a field path this extension sends.', path.slice(0, 60)));
  }
  return path;
}

function isList<T>(build: (dialect: Dialect) => RequestSpec<T>, dialect: Dialect): boolean {
  try {
    return build(dialect).list === true;
  } catch {
    return false;
  }
}

function isOptional<T>(build: (dialect: Dialect) => RequestSpec<T>, dialect: Dialect): boolean {
  try {
    return build(dialect).optional === true;
  } catch {
    return false;
  }
}
