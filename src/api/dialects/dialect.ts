import { l10n } from '../../l10n';
import { RetabError } from '../errors';
import { JobRef } from '../ids';
import { Capabilities, CancelledRun, Experiment, Job, RunMetrics, RunSummary, StartedRun, Workflow, WorkflowPage } from '../models';

export type { Capabilities } from '../models';
import { JsonObject } from '../validate';
import type { StreamedArray } from '../slicedJson';
import { ExtractionSources, FileLink, FileRecord } from '../files/fileModels';

/**
 * A dialect is one generation of the Retab API: its routes, the header its key goes in, what it
 * can do (`capabilities`, the one place that says so: every caller asks it) and the functions that
 * turn its wire JSON into the domain models. The client picks one per base URL
 * (src/api/detection.ts) and reads no wire field itself; the routes it builds are the detection
 * probe's (`GET /workflows/experiments?limit=1`, the same for every generation) and the metrics
 * views' query, on the path the dialect gives (`metricsPath`).
 */
/** `g1`, `g1p`, `g2`, `g3`: the registry (registry.ts) is the list, so a new generation is added in one place. */
export type GenerationId = string;

export const AUTH_SCHEMES = ['bearer', 'api-key'] as const;
export type AuthScheme = (typeof AUTH_SCHEMES)[number];

export type RouteFamily = 'nested' | 'flat';

/** How a server of this generation answers; detection matches evidence against it. */
export interface Signature {
  routes: RouteFamily;
  auth: AuthScheme;
  /** Experiment and run lists: a bare array (`{runs: […]}` for runs) or `{data, list_metadata}` pages. */
  lists: 'array' | 'page';
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
  /** How the list came: lets detection tell the nested generations apart without a request. */
  shape: 'array' | 'page';
}

export interface JobsPage {
  experimentId: string;
  runId: string | null;
  jobs: Job[];
  nextCursor: string | null;
}

/** A run read by its id alone, with where it belongs. */
export interface LocatedRun {
  workflowId: string | null;
  experimentId: string;
  run: RunSummary;
}

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** Body caps: run contents and result pages may be large; everything else is small. */
export type BodySize = 'small' | 'large';

export interface RequestSpec<T> {
  method: HttpMethod;
  /** Relative to the base URL (which ends in `/v1`), starting with `/`; ids already encoded. */
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: JsonObject;
  size?: BodySize;
  /** A list route: a 404 here means the route is missing, not an item. */
  list?: boolean;
  /**
   * A route some servers of a generation lack (files, sources): its 404 or 405 says nothing of
   * which generation the server speaks, so it never leads to a new probe.
   */
  optional?: boolean;
  parse: (value: unknown) => T;
  /**
   * For a large answer, an array whose elements are handed out as they are parsed, before `parse`
   * reads the whole (set by the client on a nested run's content: its first rows come early).
   */
  stream?: StreamedArray;
}

/** A run's content whose jobs can be read as the answer is parsed (nested servers send a run in one answer). */
export interface JobsSpec extends RequestSpec<JobsPage> {
  /** Where the jobs are, and how one is read (the same reading `parse` uses for it, done once). */
  jobItems?: { path: readonly string[]; parseJob(item: unknown, index: number): Job };
}

/** A route a generation does not have: callers ask `capabilities` first, so reaching it is a bug. */
export function unsupported(what: string): () => never {
  return () => {
    throw new RetabError('client', l10n.t('This Retab server does not offer {0}.', what));
  };
}

export interface StartRunOptions {
  nConsensus?: 3 | 5 | 7;
  retryFailedOnly?: boolean;
}

export interface Dialect {
  readonly id: GenerationId;
  /** What the log and README call it: `G3 (flat routes, Authorization: Bearer)`. */
  readonly label: string;
  readonly signature: Signature;
  readonly capabilities: Capabilities;

  listWorkflows(cursor: string | undefined, limit: number | undefined): RequestSpec<WorkflowPage>;
  getWorkflow(workflowId: string): RequestSpec<Workflow>;
  listExperiments(workflowId: string, cursor: string | undefined, limit: number): RequestSpec<Page<Experiment>>;
  getExperiment(workflowId: string | undefined, experimentId: string): RequestSpec<Experiment>;
  listRuns(workflowId: string, experimentId: string, cursor: string | undefined, limit: number): RequestSpec<Page<RunSummary>>;
  /** One run by id; asked only where `capabilities.lookupById` (elsewhere it throws). */
  getRun(runId: string): RequestSpec<LocatedRun>;
  /** The jobs of a run, a page at a time; `runId` undefined asks for placeholders (only where `placeholders`). */
  /** `order` is the results list's (flat servers, `desc` from the run's end); nested servers send the whole run at once. */
  runJobs(workflowId: string, experimentId: string, runId: string | undefined, cursor: string | undefined, limit: number, order?: 'asc' | 'desc'): JobsSpec;
  /** The seed's route for one document's job; asked only where `capabilities.jobByDocumentRoute`. */
  getJobByDocument(ref: JobRef): RequestSpec<Job>;
  /** One job by its own id; asked only where `capabilities.lookupById`. */
  getJobById(jobId: string): RequestSpec<Job>;
  runMetrics(workflowId: string, experimentId: string, runId: string): RequestSpec<RunMetrics>;
  /** The metrics route, which every view (`summary`, `by_document`, `by_target`, `votes`) shares. */
  metricsPath(workflowId: string, experimentId: string): string;
  startRun(workflowId: string, experimentId: string, options: StartRunOptions): RequestSpec<StartedRun>;
  /** `runId` is needed where `cancelByRun`. */
  cancelRun(workflowId: string, experimentId: string, runId: string | undefined): RequestSpec<CancelledRun>;
  artifact(operation: string, artifactId: string): RequestSpec<JsonObject>;
  /** `GET /files/{id}`: the uploaded file's name, type and page count. */
  file(fileId: string): RequestSpec<FileRecord>;
  /** `GET /files/{id}/download-link`: a signed URL on another origin (downloaded without the key). */
  fileDownloadLink(fileId: string): RequestSpec<FileLink>;
  /** `GET /extractions/{id}/sources`: where each value of an extraction was read. */
  extractionSources(extractionId: string): RequestSpec<ExtractionSources>;
}
