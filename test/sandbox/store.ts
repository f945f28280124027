import { ArtifactSource, artifactRecord } from './artifacts';
import { Catalog, ExperimentSeed, RunSeed, buildCatalog, documentsFingerprint } from './data';
import { ARTIFACT_PREFIX, RunPlan, RunRecord, RunView, buildPlan, placeholderJobs, viewRun } from './jobs';
import { metricsBody } from './metrics';
import { hex16, opaqueId } from './prng';
import { ArtifactOperation, Consensus, ExperimentJson, ExperimentStatus, JobJson, RunStatus, RunSummaryJson, iso } from './wire';

/**
 * The sandbox's state: the seeded catalogue plus what requests changed (runs started and
 * cancelled). `reset()` forgets the changes. Timelines and finished views are cached because
 * they never change: that is what keeps a 5,000-document run fast.
 */

export interface StoreOptions {
  clock: () => number;
  timeScale: number;
}

export type Result<T> = { ok: true; value: T } | { ok: false; status: number; code: string; message: string };

const EXPERIMENT_STATUS: Readonly<Record<RunStatus, ExperimentStatus>> = {
  pending: 'processing',
  running: 'processing',
  completed: 'completed',
  error: 'failed',
  cancelled: 'cancelled',
};

/** Artifacts tests can name without reading a job first. */
const FIXED_ARTIFACTS: ReadonlyMap<string, { runId: string; documentId: string }> = new Map([
  ['prs_invoice_q1', { runId: 'exprun_inv_6', documentId: 'expdoc_inv_001' }],
  ['edt_invoice_q1', { runId: 'exprun_inv_6', documentId: 'expdoc_inv_001' }],
]);

/** What never changes about a run: its timeline, and once settled its view and serialised content. */
class RunCache {
  readonly plans = new Map<string, RunPlan>();
  readonly views = new Map<string, RunView>();
  readonly bodies = new Map<string, string>();
}

/** The catalogue and seeded runs are the same in every sandbox of a process (until one cancels a run), so they are built once. */
let sharedCatalog: Catalog | undefined;
const pristine = new RunCache();

export class SandboxStore {
  readonly catalog: Catalog;
  /** Runs started in this sandbox, and seeded runs it cancelled. */
  private own = new RunCache();
  /** Artifact id without its prefix → the job that produced it. */
  private readonly artifactIndex = new Map<string, { runId: string; index: number }>();
  private readonly indexedRuns = new Set<string>();
  private runsByExperiment = new Map<string, RunRecord[]>();
  private runById = new Map<string, RunRecord>();
  private fullyIndexed = false;
  /** Never reset: a run id is never reused within a process, so clients' caches cannot mix two runs up. */
  private startedRuns = 0;

  constructor(private readonly options: StoreOptions) {
    // The catalogue is immutable, so sandboxes in one process share it.
    sharedCatalog ??= buildCatalog();
    this.catalog = sharedCatalog;
    this.reset();
  }

  reset(): void {
    for (const record of this.runById.values()) {
      if (!record.seed) {
        this.forget(record.id);
      }
    }
    this.own = new RunCache();
    this.runsByExperiment = new Map();
    this.runById = new Map();
    for (const experiment of this.catalog.experimentById.values()) {
      const records: RunRecord[] = [];
      for (const seed of experiment.runs) {
        const record = this.seededRecord(experiment, seed, records[records.length - 1]);
        records.push(record);
        this.runById.set(record.id, record);
      }
      this.runsByExperiment.set(experiment.id, records);
    }
  }

  private forget(runId: string): void {
    this.indexedRuns.delete(runId);
    for (const [key, entry] of this.artifactIndex) {
      if (entry.runId === runId) {
        this.artifactIndex.delete(key);
      }
    }
  }

  private seededRecord(experiment: ExperimentSeed, seed: RunSeed, previous: RunRecord | undefined): RunRecord {
    const record: RunRecord = {
      id: seed.id,
      experiment,
      seed,
      nConsensus: seed.nConsensus,
      createdAt: seed.createdAt,
      definition: seed.definition,
      parentDefinition: null,
      documents: experiment.documents.slice(0, seed.documentCount),
      parentRunId: seed.parentRunId,
      jobId: seed.jobId,
      errorRate: seed.errorRate,
      errorDocumentIds: new Set(seed.errorDocumentIds),
      skippedDocumentIds: new Set(),
      metrics: seed.metrics,
      timeScale: 1,
      cancelledAt: null,
    };
    if (seed.retryFailedOnly && previous) {
      record.parentDefinition = previous.definition;
      record.skippedDocumentIds = notFailed(this.view(previous));
    }
    return record;
  }

  /** Builds the big runs' content ahead of the first request for it, which must be fast (once per process). */
  warm(): void {
    for (const experiment of this.catalog.experimentById.values()) {
      if (experiment.documents.length >= 1000) {
        for (const record of this.runsOf(experiment)) {
          this.contentBody(experiment, record.id);
        }
      }
    }
  }

  now(): number {
    return this.options.clock();
  }

  experimentsOf(workflowId: string): readonly ExperimentSeed[] | undefined {
    return this.catalog.experimentsByWorkflow.get(workflowId);
  }

  experiment(workflowId: string, experimentId: string): ExperimentSeed | undefined {
    const experiment = this.catalog.experimentById.get(experimentId);
    return experiment?.workflowId === workflowId ? experiment : undefined;
  }

  /** Oldest first. */
  runsOf(experiment: ExperimentSeed): readonly RunRecord[] {
    return this.runsByExperiment.get(experiment.id) ?? [];
  }

  run(experiment: ExperimentSeed, runId: string): RunRecord | undefined {
    const record = this.runById.get(runId);
    return record?.experiment === experiment ? record : undefined;
  }

  private latest(experiment: ExperimentSeed): RunRecord | undefined {
    const runs = this.runsOf(experiment);
    return runs[runs.length - 1];
  }

  /** Where a run's settled view and content are kept: shared while a seeded run is as seeded. */
  private cacheOf(record: RunRecord): RunCache {
    return record.seed && record.cancelledAt === null ? pristine : this.own;
  }

  private plan(record: RunRecord): RunPlan {
    // Cancelling does not change a timeline, so seeded runs' plans are always shared.
    const plans = record.seed ? pristine.plans : this.own.plans;
    let plan = plans.get(record.id);
    if (!plan) {
      plan = buildPlan(record);
      plans.set(record.id, plan);
    }
    if (!this.indexedRuns.has(record.id)) {
      this.indexedRuns.add(record.id);
      plan.outcomes.forEach((outcome, index) => {
        if (outcome.artifact) {
          this.artifactIndex.set(outcome.artifact.id.slice(outcome.artifact.id.indexOf('_') + 1), { runId: record.id, index });
        }
      });
    }
    return plan;
  }

  view(record: RunRecord): RunView {
    const cache = this.cacheOf(record);
    const settled = cache.views.get(record.id);
    if (settled) {
      return settled;
    }
    const plan = this.plan(record);
    const view = viewRun(record, plan, this.now());
    // Seeded runs show a frozen instant, and finished runs never change: both can be kept.
    if (plan.frozenAt !== null || isTerminal(view.status)) {
      cache.views.set(record.id, view);
    }
    return view;
  }

  experimentJson(experiment: ExperimentSeed): ExperimentJson {
    const latest = this.latest(experiment);
    const view = latest && this.view(latest);
    return {
      id: experiment.id,
      workflow_id: experiment.workflowId,
      block_id: experiment.blockId,
      name: experiment.name,
      block_kind: experiment.blockKind,
      n_consensus: latest?.nConsensus ?? experiment.nConsensus,
      document_count: experiment.documents.length,
      status: view ? EXPERIMENT_STATUS[view.status] : 'draft',
      score: view?.score ?? null,
      last_run_id: latest?.id ?? null,
      is_stale: latest !== undefined && latest.definition !== experiment.currentDefinition,
      schema_drift: experiment.schemaDrift,
      created_at: iso(experiment.createdAt),
      updated_at: iso(Math.max(experiment.createdAt, latest?.createdAt ?? 0)),
    };
  }

  runSummary(record: RunRecord): RunSummaryJson {
    const view = this.view(record);
    return {
      id: record.id,
      status: view.status,
      block_kind: record.experiment.blockKind,
      score: view.score,
      document_count: record.documents.length,
      error_count: view.errorCount,
      n_consensus: record.nConsensus,
      created_at: iso(record.createdAt),
      completed_at: view.completedAt === null ? null : iso(view.completedAt),
      duration_ms: view.completedAt === null ? null : Math.round(view.completedAt - record.createdAt),
      definition_fingerprint: record.definition,
      documents_fingerprint: documentsFingerprint(record.documents),
      parent_run_id: record.parentRunId,
      job_id: record.jobId,
    };
  }

  /** The content response, serialised: a 5,000-job body is built once and then served as is. */
  contentBody(experiment: ExperimentSeed, runId: string | undefined): string | undefined {
    const record = runId === undefined ? this.latest(experiment) : this.run(experiment, runId);
    if (!record) {
      return runId === undefined ? JSON.stringify({ experiment_id: experiment.id, run_id: null, content: { jobs: placeholderJobs(experiment) } }) : undefined;
    }
    const cache = this.cacheOf(record);
    const cached = cache.bodies.get(record.id);
    if (cached !== undefined) {
      return cached;
    }
    const view = this.view(record);
    const body = JSON.stringify({ experiment_id: experiment.id, run_id: record.id, content: { jobs: view.jobs } });
    if (cache.views.get(record.id) === view) {
      cache.bodies.set(record.id, body);
    }
    return body;
  }

  job(record: RunRecord, documentId: string): JobJson | undefined {
    return this.view(record).jobs.find((job) => job.document_id === documentId);
  }

  metrics(record: RunRecord): Record<string, unknown> {
    const runs = this.runsOf(record.experiment);
    const position = runs.indexOf(record);
    const prior = runs
      .slice(0, Math.max(0, position))
      .reverse()
      .find((candidate) => this.view(candidate).status === 'completed');
    return metricsBody({ record, view: this.view(record) }, prior ? { record: prior, view: this.view(prior) } : null);
  }

  startRun(experiment: ExperimentSeed, request: { nConsensus?: Consensus; retryFailedOnly: boolean }): Result<Record<string, unknown>> {
    const latest = this.latest(experiment);
    const latestView = latest && this.view(latest);
    if (latest && latestView && !isTerminal(latestView.status)) {
      return { ok: false, status: 409, code: 'run_in_progress', message: `Run ${latest.id} is still ${latestView.status}; cancel it or wait for it to finish.` };
    }
    if (request.retryFailedOnly && (!latestView || latestView.errorCount === 0)) {
      return {
        ok: false,
        status: 409,
        code: 'nothing_to_retry',
        message: latest ? `The latest run ${latest.id} has no failed documents to retry.` : 'The experiment has never run, so nothing failed.',
      };
    }
    this.startedRuns++;
    const id = opaqueId('exprun', `sandbox/${experiment.id}/${this.startedRuns}`);
    const record: RunRecord = {
      id,
      experiment,
      seed: null,
      nConsensus: request.nConsensus ?? latest?.nConsensus ?? experiment.nConsensus,
      createdAt: this.now(),
      definition: experiment.currentDefinition,
      parentDefinition: request.retryFailedOnly && latest ? latest.definition : null,
      documents: experiment.documents,
      parentRunId: request.retryFailedOnly && latest ? latest.id : null,
      jobId: `job_${hex16(`${id}/job`)}`,
      errorRate: request.retryFailedOnly ? 0.3 : 0.08,
      errorDocumentIds: new Set(),
      skippedDocumentIds: request.retryFailedOnly && latestView ? notFailed(latestView) : new Set(),
      metrics: 'ok',
      timeScale: this.options.timeScale,
      cancelledAt: null,
    };
    this.runsByExperiment.get(experiment.id)?.push(record);
    this.runById.set(id, record);
    const view = this.view(record);
    return {
      ok: true,
      value: {
        experiment_id: experiment.id,
        run_id: id,
        job_id: record.jobId,
        status: view.status,
        definition_fingerprint: record.definition,
        document_count: record.documents.length,
        n_consensus: record.nConsensus,
        ...(latest && latestView ? { previous_run: { id: latest.id, status: latestView.status, score: latestView.score } } : {}),
      },
    };
  }

  cancel(experiment: ExperimentSeed): Result<{ status: 'cancelled'; run_id: string }> {
    const latest = this.latest(experiment);
    if (!latest || isTerminal(this.view(latest).status)) {
      return { ok: false, status: 409, code: 'no_active_run', message: `Experiment ${experiment.id} has no pending or running run to cancel.` };
    }
    // A seeded run shows a frozen instant; it is cancelled at that instant so its jobs stay consistent.
    latest.cancelledAt = this.plan(latest).frozenAt ?? this.now();
    return { ok: true, value: { status: 'cancelled', run_id: latest.id } };
  }

  artifact(operation: ArtifactOperation, id: string): Record<string, unknown> | undefined {
    const prefix = `${ARTIFACT_PREFIX[operation]}_`;
    if (!id.startsWith(prefix)) {
      return undefined;
    }
    const source = this.artifactSource(id, id.slice(prefix.length));
    if (!source) {
      return undefined;
    }
    const produced = this.plan(source.record).outcomes[source.index].artifact;
    // Parses and edits accompany any artifact; the others must be what the job produced.
    const derived = operation === 'parse' || operation === 'edit';
    if (!produced || (!derived && produced.operation !== operation)) {
      return undefined;
    }
    return artifactRecord(operation, id, source);
  }

  private artifactSource(id: string, key: string): ArtifactSource | undefined {
    const fixed = FIXED_ARTIFACTS.get(id);
    let entry: { runId: string; index: number } | undefined;
    if (fixed) {
      const index = this.runById.get(fixed.runId)?.documents.findIndex((document) => document.id === fixed.documentId) ?? -1;
      entry = index >= 0 ? { runId: fixed.runId, index } : undefined;
    } else {
      entry = this.artifactIndex.get(key);
      if (!entry && !this.fullyIndexed) {
        // Sandbox runs are planned when they start, so once every seeded run is planned the index is complete.
        for (const record of this.runById.values()) {
          this.plan(record);
        }
        this.fullyIndexed = true;
        entry = this.artifactIndex.get(key);
      }
    }
    const record = entry && this.runById.get(entry.runId);
    if (!entry || !record) {
      return undefined;
    }
    const job = this.view(record).jobs[entry.index];
    if (job.status !== 'completed') {
      return undefined;
    }
    return { record, index: entry.index, jobId: job.id, completedAt: this.plan(record).ends[entry.index] };
  }
}

function isTerminal(status: RunStatus): boolean {
  return status === 'completed' || status === 'error' || status === 'cancelled';
}

function notFailed(view: RunView): Set<string> {
  return new Set(view.jobs.filter((job) => job.status !== 'error').map((job) => job.document_id));
}
