/**
 * Small builders of wire JSON per generation, as each era's SDK types spell it, so tests say
 * only what matters to them. Overrides replace top-level fields.
 */
type Json = Record<string, unknown>;

export const IDS = { workflow: 'wf_a', experiment: 'exp_b', run: 'exprun_c', document: 'expdoc_d' } as const;

/** The same ids as the extension's job reference names them. */
export const IDS_REF = { workflowId: IDS.workflow, experimentId: IDS.experiment, runId: IDS.run, documentId: IDS.document } as const;

/** A G1 / G1p `handle_inputs` with one file input, the document itself. */
export function nestedFileInputs(filename: string): Json {
  return { 'input-document-0': { type: 'file', filename } };
}

/**
 * A G1 / G1p job with only the fields a job must have, so the rest take their documented
 * defaults; its id is `expjob_<document id>`.
 */
export function minimalNestedJob(overrides: Json = {}): Json {
  const documentId = typeof overrides.document_id === 'string' ? overrides.document_id : IDS.document;
  return { id: `expjob_${documentId}`, run_id: IDS.run, experiment_id: IDS.experiment, document_id: documentId, status: 'completed', ...overrides };
}

/** G1 / G1p run content (`GET …/content?run_id=`): the jobs of one run. */
export function nestedContent(jobs: unknown[], overrides: Json = {}): Json {
  return { experiment_id: IDS.experiment, run_id: IDS.run, content: { jobs }, ...overrides };
}

/** A G1 / G1p run with only the fields a run must have. */
export function minimalNestedRun(overrides: Json = {}): Json {
  return { id: IDS.run, status: 'completed', ...overrides };
}

/** G1's list of an experiment's runs. */
export function nestedRunList(runs: unknown[]): Json {
  return { runs };
}

/** A G1 / G1p experiment with only the fields an experiment must have. */
export function minimalNestedExperiment(overrides: Json = {}): Json {
  return { id: IDS.experiment, workflow_id: IDS.workflow, ...overrides };
}

/** A workflow with only an id and a name (every generation lists workflows in a `page`). */
export function minimalWorkflow(overrides: Json = {}): Json {
  return { id: IDS.workflow, name: 'A', ...overrides };
}

/** G1 / G1p job (SDK d8f4738c, 72e410ea). */
export function nestedJob(overrides: Json = {}): Json {
  return {
    id: 'expjob_1',
    run_id: IDS.run,
    experiment_id: IDS.experiment,
    document_id: IDS.document,
    status: 'completed',
    block_kind: 'extract',
    handle_inputs: nestedFileInputs('invoice_q1.pdf'),
    artifact: { operation: 'extraction', id: 'ext_1' },
    error: null,
    duration_ms: 4120,
    created_at: '2026-05-10T09:00:00Z',
    started_at: '2026-05-10T09:00:01Z',
    completed_at: '2026-05-10T09:00:05Z',
    attempt: 0,
    is_placeholder: false,
    ...overrides,
  };
}

export function nestedRun(overrides: Json = {}): Json {
  return {
    id: IDS.run,
    status: 'completed',
    block_kind: 'extract',
    score: 0.9,
    document_count: 4,
    error_count: 1,
    n_consensus: 3,
    created_at: '2026-05-10T09:00:00Z',
    completed_at: '2026-05-10T09:01:00Z',
    duration_ms: 60000,
    definition_fingerprint: 'fp_1',
    documents_fingerprint: 'dfp_1',
    parent_run_id: null,
    job_id: 'job_1',
    ...overrides,
  };
}

export function nestedExperiment(overrides: Json = {}): Json {
  return {
    id: IDS.experiment,
    workflow_id: IDS.workflow,
    block_id: 'block_1',
    name: 'Invoices',
    block_kind: 'extract',
    n_consensus: 3,
    document_count: 4,
    status: 'completed',
    score: 0.9,
    last_run_id: IDS.run,
    is_stale: false,
    schema_drift: 'none',
    created_at: '2026-05-01T00:00:00Z',
    updated_at: '2026-05-10T00:00:00Z',
    ...overrides,
  };
}

/** G3 result (SDK 61d9c44e `ExperimentResult`); G2 (91b7543e) said `run_id` instead of `experiment_run_id`. */
export function flatResult(overrides: Json = {}, generation: 'g2' | 'g3' = 'g3'): Json {
  const runKey = generation === 'g3' ? 'experiment_run_id' : 'run_id';
  return {
    id: 'expresult_1',
    [runKey]: IDS.run,
    experiment_id: IDS.experiment,
    document_id: IDS.document,
    lifecycle: { status: 'completed' },
    timing: { created_at: '2026-07-01T10:00:00Z', started_at: '2026-07-01T10:00:01Z', completed_at: '2026-07-01T10:00:05Z', duration_ms: 4000 },
    block_type: 'extract',
    handle_inputs: { 'input-document-0': { type: 'file', document: { id: 'file_1', filename: 'facture_été.pdf', mime_type: 'application/pdf' } } },
    handle_outputs: {},
    artifact: { operation: 'extraction', id: 'ext_1' },
    attempt: 0,
    ...overrides,
  };
}

/** G3 run (SDK 61d9c44e `ExperimentRun`). */
export function flatRun(overrides: Json = {}): Json {
  return {
    id: IDS.run,
    workflow_id: IDS.workflow,
    workflow_version_id: 'wfv_1',
    trigger: { type: 'api' },
    experiment_id: IDS.experiment,
    block_id: 'block_1',
    block_type: 'extract',
    n_consensus: 5,
    lifecycle: { status: 'completed' },
    timing: { created_at: '2026-07-01T10:00:00Z', started_at: '2026-07-01T10:00:01Z', completed_at: '2026-07-01T10:01:00Z', duration_ms: 59000 },
    parent_run_id: null,
    block_execution_fingerprint: 'bef_1',
    documents_fingerprint: 'dfp_1',
    score: 0.8,
    total_document_count: 4,
    completed_document_count: 4,
    document_count: 4,
    error_count: 0,
    ...overrides,
  };
}

/** G3 experiment (SDK 61d9c44e `WorkflowExperiment`). */
export function flatExperiment(overrides: Json = {}): Json {
  return {
    id: IDS.experiment,
    workflow_id: IDS.workflow,
    block_id: 'block_1',
    n_consensus: 5,
    document_count: 4,
    name: 'Invoices',
    last_run_id: IDS.run,
    created_at: '2026-07-01T00:00:00Z',
    updated_at: '2026-07-01T00:00:00Z',
    status: 'completed',
    block_type: 'extract',
    score: 0.8,
    is_stale: false,
    freshness: { status: 'fresh', reasons: [] },
    freshness_state: 'fresh',
    freshness_reasons: [],
    run_plan_mode: 'run',
    rerunnable_document_count: 0,
    schema_drift: 'none',
    drift: { status: 'none', affected_targets: [] },
    ...overrides,
  };
}

export function page(items: unknown[], after: string | null = null): Json {
  return { data: items, list_metadata: { before: null, after } };
}
