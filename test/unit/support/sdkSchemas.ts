/**
 * What the public SDKs (github.com/retab-dev/retab) of each API generation require of the
 * server's JSON, written down from their types for the sandbox's contract tests. Where the Node
 * (zod) and Python (pydantic) types of one commit disagree, the stricter reading is kept and the
 * difference is noted. Sources, per generation:
 *
 * - G1  d8f4738c: clients/node/src/api/workflows/experiments/types.ts,
 *   clients/python/retab/types/workflows/experiments.py, …/workflows/model.py (Workflow),
 *   clients/python/retab/types/{extractions,classifications,splits,parses,edits,partitions,mime}.py,
 *   …/types/documents/usage.py (RetabUsage).
 * - G1p 72e410ea: the same files.
 *   The metrics views (by_document, by_target, votes) of G1, G1p and G2 are in experiments.py; the
 *   Node SDKs of those commits type metrics as `Record<string, unknown>`, so pydantic is the reference.
 * - G2  91b7543e: the same files, plus clients/node/src/generated_types.ts (ZWorkflowSnapshotRef,
 *   ZErrorDetails) and clients/node/src/types.ts (ZWorkflow, ZWorkflowArtifact).
 * - G3  61d9c44e: clients/python/retab/types/workflows/experiments/{__init__,runs,results,metrics}.py,
 *   (metrics.py: the summary, by_document, by_target and votes views and both envelopes; the resource
 *   clients/python/retab/resources/workflows/experiments/metrics.py names the query parameters),
 *   …/workflows/evals/{__init__,results}.py (ArtifactFreshness, ArtifactDrift, FileHandleInput,
 *   JsonHandleInput), …/workflows/blocks/executions.py (StepArtifactRef),
 *   …/workflows/artifacts.py (ErrorDetails, *WorkflowArtifact), …/workflows/__init__.py (Workflow),
 *   …/types/pagination.py (ListMetadata), and the primitives' types as for G1.
 */
import { ApiGeneration } from '../../sandbox/generations';
import { Schema, anyOf, anyValue, arrayOf, bool, datetime, int, literal, nullable, num, object, opt, recordOf, str, tagged } from './schema';

export interface EraSchemas {
  workflowPage: Schema;
  workflow: Schema;
  experimentList: Schema;
  experiment: Schema;
  runList: Schema;
  /** Flat generations: one run; nested: a run summary. */
  run: Schema;
  startedRun: Schema;
  cancelled: Schema;
  /** Nested generations: `/content`. */
  content?: Schema;
  /** G1 only: the per-document job route (the seed's). */
  job?: Schema;
  /** Flat generations: `/workflows/experiments/results` and one result. */
  resultPage?: Schema;
  result?: Schema;
  /** Every view and envelope, told apart as a client does: by `error` then `view` (nested) or by `kind` (flat). */
  metrics: Schema;
  /** The field-level views on their own. */
  metricsViews: Readonly<Record<'by_document' | 'by_target' | 'votes', Schema>>;
  artifacts: Readonly<Record<'extraction' | 'classification' | 'split' | 'parse' | 'edit' | 'partition', Schema>>;
  /** Flat generations: `/workflows/artifacts/{id}`. */
  workflowArtifact?: Schema;
}

// ---------------------------------------------------------------------------------------------
// Shared pieces

const consensus = literal(3, 5, 7);
const blockKind = literal('extract', 'classifier', 'split', 'for_each');
const experimentStatus = literal('draft', 'processing', 'completed', 'failed', 'cancelled');
const runStatus = literal('pending', 'running', 'completed', 'error', 'cancelled');
const listMetadata = object('ListMetadata', { before: nullable(str), after: nullable(str) });

function page(name: string, item: Schema, dataDefaults: boolean): Schema {
  // Node's zod pages default `data` to []; Python's PaginatedList requires it.
  return object(name, { data: dataDefaults ? opt(arrayOf(item)) : arrayOf(item), list_metadata: listMetadata });
}

/** mime.py FileRef (every commit). */
const fileRef = object('FileRef', { id: str, filename: str, mime_type: str });
/** documents/usage.py RetabUsage: `credits` is required. */
const usage = object('RetabUsage', { credits: num });
/** mime.py MIMEData. */
const mimeData = object('MIMEData', { filename: str, url: str });
const bbox = object('BBox', { left: num, top: num, width: num, height: num, page: int });
const formField = object('FormField', { bbox, description: str, type: literal('text', 'checkbox'), key: str, value: opt(nullable(str)) });
const editResult = object('EditResult', { form_data: arrayOf(formField), filled_document: mimeData });
const category = object('Category', { name: str, description: opt(nullable(str)) });
const decision = object('ClassificationDecision', { reasoning: str, category: str });
const subdocument = object('Subdocument', { name: str, description: opt(nullable(str)), allow_multiple_instances: opt(nullable(bool)) });
const splitResult = object('SplitResult', { name: str, pages: arrayOf(int) });
const partitionChunk = object('PartitionChunk', { key: str, pages: opt(nullable(arrayOf(int))) });
const tableFormat = literal('markdown', 'yaml', 'html', 'json');

/** The primitives' records at G1 and G1p (d8f4738c / 72e410ea types/*.py). */
function artifactsG1(): EraSchemas['artifacts'] {
  return {
    extraction: object('Extraction', {
      id: str,
      file: fileRef,
      model: str,
      json_schema: recordOf(anyValue),
      n_consensus: opt(int),
      image_resolution_dpi: opt(int),
      output: recordOf(anyValue),
      consensus: opt(object('ExtractionConsensus', { choices: opt(arrayOf(recordOf(anyValue))), likelihoods: opt(nullable(recordOf(anyValue))) })),
      usage: opt(nullable(usage)),
      created_at: opt(nullable(datetime)),
    }),
    classification: object('Classification', {
      id: str,
      file: fileRef,
      model: str,
      categories: arrayOf(category),
      output: decision,
      consensus: opt(object('ClassificationConsensus', { choices: opt(arrayOf(decision)), likelihood: opt(nullable(num)) })),
      usage: opt(nullable(usage)),
    }),
    split: object('Split', {
      id: str,
      file: fileRef,
      model: str,
      subdocuments: arrayOf(subdocument),
      output: arrayOf(splitResult),
      usage: opt(nullable(usage)),
    }),
    parse: object('Parse', {
      id: str,
      file: fileRef,
      model: str,
      table_parsing_format: tableFormat,
      image_resolution_dpi: int,
      output: object('ParseOutput', { pages: arrayOf(str), text: str }),
      usage: opt(nullable(usage)),
    }),
    // G1's Edit requires `instructions`, `data` and `usage`; G2 renamed `data` to `output`.
    edit: object('Edit', { id: str, file: fileRef, model: str, instructions: str, config: object('EditConfig', { color: opt(str) }), data: editResult, usage }),
    partition: object('Partition', { id: str, file: fileRef, model: str, key: str, output: opt(arrayOf(partitionChunk)), usage: opt(nullable(usage)) }),
  };
}

/** The primitives' records at G2 (91b7543e types/*.py). */
function artifactsG2(): EraSchemas['artifacts'] {
  const base = artifactsG1();
  return {
    ...base,
    classification: object('Classification', {
      id: str,
      file: fileRef,
      model: str,
      categories: arrayOf(category),
      output: decision,
      consensus: opt(nullable(object('ClassificationConsensus', { choices: opt(nullable(arrayOf(decision))), likelihoods: opt(nullable(num)) }))),
      usage: opt(nullable(usage)),
    }),
    edit: object('Edit', {
      id: str,
      file: fileRef,
      model: str,
      instructions: opt(nullable(str)),
      config: object('EditConfig', { color: opt(nullable(str)) }),
      output: editResult,
      usage: opt(nullable(usage)),
    }),
  };
}

/** The primitives' records at G3 (61d9c44e): most outputs optional, `status` defaulting to pending. */
function artifactsG3(): EraSchemas['artifacts'] {
  const status = opt(nullable(literal('pending', 'queued', 'in_progress', 'completed', 'failed', 'cancelled')));
  return {
    extraction: object('Extraction', {
      id: str,
      file: fileRef,
      model: str,
      json_schema: recordOf(anyValue),
      output: recordOf(anyValue),
      status,
      usage: opt(nullable(usage)),
      created_at: opt(nullable(datetime)),
    }),
    classification: object('Classification', {
      id: str,
      file: fileRef,
      model: str,
      categories: arrayOf(category),
      output: opt(nullable(decision)),
      status,
      usage: opt(nullable(usage)),
    }),
    split: object('Split', {
      id: str,
      file: fileRef,
      model: str,
      subdocuments: arrayOf(subdocument),
      output: opt(nullable(arrayOf(splitResult))),
      status,
      usage: opt(nullable(usage)),
    }),
    parse: object('Parse', {
      id: str,
      file: fileRef,
      model: str,
      table_parsing_format: tableFormat,
      output: object('ParseOutput', { pages: arrayOf(str), text: str }),
      status,
      usage: opt(nullable(usage)),
    }),
    edit: object('Edit', {
      id: str,
      file: fileRef,
      model: str,
      config: object('EditConfig', { color: opt(nullable(str)) }),
      output: opt(nullable(editResult)),
      filled_document_ref: opt(nullable(fileRef)),
      status,
      usage: opt(nullable(usage)),
    }),
    partition: object('Partition', {
      id: str,
      file: fileRef,
      model: str,
      key: str,
      output: opt(nullable(arrayOf(partitionChunk))),
      status,
      usage: opt(nullable(usage)),
    }),
  };
}

// ---------------------------------------------------------------------------------------------
// G1 (d8f4738c) and G1p (72e410ea): nested routes

function workflowSchema(published: Schema, extra: Readonly<Record<string, Schema>> = {}): Schema {
  return object('Workflow', {
    id: str,
    name: opt(nullable(str)),
    description: opt(nullable(str)),
    ...Object.fromEntries(Object.entries(extra).map(([key, schema]) => [key, opt(schema)])),
    published: opt(nullable(published)),
    created_at: datetime,
    updated_at: datetime,
  });
}

function nestedExperiment(): Schema {
  return object('ExperimentResponse', {
    id: str,
    workflow_id: str,
    block_id: str,
    n_consensus: consensus,
    document_count: opt(num),
    name: str,
    last_run_id: opt(nullable(str)),
    created_at: datetime,
    updated_at: datetime,
    status: opt(experimentStatus),
    block_kind: blockKind,
    score: opt(nullable(num)),
    job_id: opt(nullable(str)),
    is_stale: opt(bool),
    schema_drift: opt(literal('unknown', 'none', 'drifted')),
    schema_drift_detail: opt(nullable(str)),
  });
}

function nestedRunSummary(counts: boolean): Schema {
  return object('ExperimentRunSummary', {
    id: str,
    parent_run_id: opt(nullable(str)),
    block_config: opt(nullable(recordOf(anyValue))),
    definition_fingerprint: str,
    documents_fingerprint: str,
    status: runStatus,
    block_kind: blockKind,
    score: opt(nullable(num)),
    ...(counts ? { total_document_count: opt(num), completed_document_count: opt(num) } : {}),
    document_count: opt(num),
    error_count: opt(num),
    n_consensus: consensus,
    created_at: datetime,
    completed_at: opt(nullable(datetime)),
    duration_ms: opt(nullable(int)),
    job_id: opt(nullable(str)),
  });
}

/** G1's job statuses follow the Node SDK (six); its Python twin and G1p's both list four. */
function nestedJob(statuses: Schema): Schema {
  return object('ExperimentJobResponse', {
    id: str,
    run_id: str,
    experiment_id: str,
    document_id: str,
    status: statuses,
    block_kind: blockKind,
    handle_inputs: opt(recordOf(anyValue)),
    artifact: opt(nullable(object('StepArtifactRefMini', { operation: str, id: str }))),
    error: opt(nullable(str)),
    duration_ms: opt(nullable(int)),
    created_at: opt(nullable(datetime)),
    started_at: opt(nullable(datetime)),
    completed_at: opt(nullable(datetime)),
    attempt: opt(int),
    is_placeholder: opt(bool),
  });
}

/**
 * The field-level views. G1/G1p (experiments.py at d8f4738c and 72e410ea): no `kind`, lists and
 * dicts default but may not be null, flows are `{from, to, score}` (pydantic alias of `from_`), a
 * vote row is `{consensus, votes}`. G2 (91b7543e) and G3 (61d9c44e metrics.py): `kind` beside
 * `view`, lists and dicts nullable, flows `{source, target, score}`, vote rows add `score`,
 * `row_presence_score`, `present_voter_count`, `total_voter_count`.
 */
function metricsViewSchemas(nested: boolean): EraSchemas['metricsViews'] {
  const maybe = (schema: Schema): Schema => (nested ? schema : nullable(schema));
  const kind = (view: string): Record<string, Schema> => (nested ? {} : { kind: opt(literal(view)) });
  const score = opt(nullable(num));
  const documentRef = object('ExperimentMetricDocumentRef', { id: str, filename: str });
  const flow = nested
    ? object('ExperimentConfusionFlowMetric', { from: str, to: str, score: num })
    : object('ExperimentConfusionFlowMetric', { source: str, target: str, score: num });
  const byDocument = object('ExperimentByDocumentMetricsResponse', {
    run_id: str,
    ...kind('by_document'),
    view: opt(literal('by_document')),
    document: documentRef,
    score,
    prior_score: score,
    confusion: opt(nullable(object('ExperimentDocumentConfusionMetric', { diag: opt(maybe(recordOf(num))), flows: opt(maybe(arrayOf(flow))) }))),
    targets: opt(maybe(arrayOf(object('ExperimentByDocumentTargetMetric', { path: str, score, prior_score: score, value: opt(anyValue) })))),
  });
  const byTarget = object('ExperimentByTargetMetricsResponse', {
    run_id: str,
    ...kind('by_target'),
    view: opt(literal('by_target')),
    target: str,
    score,
    prior_score: score,
    confusion: opt(
      nullable(object('ExperimentTargetConfusionMetric', { self: score, flow_from: opt(maybe(recordOf(num))), flow_to: opt(maybe(recordOf(num))) })),
    ),
    documents: opt(maybe(arrayOf(object('ExperimentByTargetDocumentMetric', { id: str, filename: str, score, prior_score: score, value: opt(anyValue) })))),
  });
  const row = object('ExperimentVoteRow', {
    consensus: opt(anyValue),
    votes: opt(maybe(arrayOf(anyValue))),
    ...(nested ? {} : { score, row_presence_score: score, present_voter_count: opt(nullable(int)), total_voter_count: opt(nullable(int)) }),
  });
  const votes = object('ExperimentVotesMetricsResponse', {
    run_id: str,
    ...kind('votes'),
    view: opt(literal('votes')),
    document: object('ExperimentVotesMetricDocument', { id: str, filename: str }),
    target: str,
    score,
    prior_score: score,
    rows: opt(maybe(arrayOf(row))),
  });
  return { by_document: byDocument, by_target: byTarget, votes };
}

function metricsSchema(opts: { nested: boolean; fingerprint: 'definition_fingerprint' | 'block_execution_fingerprint'; current: string }): Schema {
  const flow = opts.nested ? object('ConfusionFlow', { from: str, to: str, score: num }) : object('ConfusionFlow', { source: str, target: str, score: num });
  const aggregate = anyOf(
    'SummaryAggregate',
    object('ExtractSummaryAggregate', { likelihoods: opt(nullable(recordOf(num))) }),
    object('ConfusionSummaryAggregate', { diag: opt(nullable(recordOf(num))), flows: opt(nullable(arrayOf(flow))) }),
  );
  const summary = object('ExperimentSummaryMetricsResponse', {
    experiment_id: str,
    run_id: str,
    ...(opts.nested ? {} : { kind: opt(literal('summary')) }),
    view: opt(literal('summary')),
    [opts.fingerprint]: opt(nullable(str)),
    [opts.nested ? 'block_kind' : 'block_type']: blockKind,
    score: opt(nullable(num)),
    prior_score: opt(nullable(num)),
    documents: opt(nullable(arrayOf(object('SummaryMetricDocument', { id: str, filename: str, score: opt(nullable(num)), prior_score: opt(nullable(num)) })))),
    ...(opts.fingerprint === 'block_execution_fingerprint' ? { scored_document_count: opt(nullable(int)), total_document_count: opt(nullable(int)) } : {}),
    aggregate: opt(nullable(aggregate)),
    prior_run_id: opt(nullable(str)),
  });
  const stale = object('ExperimentMetricsStaleError', {
    error: opt(literal('stale_metrics')),
    experiment_id: str,
    stale_reasons: opt(nullable(arrayOf(str))),
    last_run: object('MetricsStaleErrorLastRun', {
      run_id: str,
      [opts.fingerprint]: opt(nullable(str)),
      score: opt(nullable(num)),
      created_at: opt(nullable(datetime)),
    }),
    [opts.current]: opt(nullable(str)),
    message: str,
  });
  const missing = object('ExperimentMetricsMissingError', { error: opt(literal('no_metrics')), experiment_id: str, message: str });
  const views = metricsViewSchemas(opts.nested);
  // The nested SDKs branch on `error`, then on `view` (Python: a union of a `view`-discriminated union and the envelopes); the flat ones discriminate on `kind`.
  if (opts.nested) {
    const byView = tagged('ExperimentMetricsViewResponse', 'view', { summary, ...views });
    return {
      name: 'ExperimentMetricsResponse',
      check: (value, path, issues) => {
        const record = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
        const error = record.error;
        (error === 'stale_metrics' ? stale : error === 'no_metrics' ? missing : record.view === undefined ? summary : byView).check(value, path, issues);
      },
    };
  }
  return tagged('ExperimentMetricsResponse', 'kind', { summary, ...views, stale_metrics: stale, no_metrics: missing });
}

function nestedEra(era: 'g1' | 'g1p'): EraSchemas {
  const g1p = era === 'g1p';
  const experiment = nestedExperiment();
  const run = nestedRunSummary(g1p);
  const job = nestedJob(
    g1p ? literal('pending', 'running', 'completed', 'error') : literal('pending', 'running', 'completed', 'error', 'cancelled', 'skipped'),
  );
  const workflow = workflowSchema(
    g1p
      ? object('Published', { version_id: opt(nullable(str)), published_at: opt(nullable(datetime)) })
      : object('Published', { snapshot_id: opt(nullable(str)), published_at: opt(nullable(datetime)) }),
  );
  return {
    workflow,
    workflowPage: page('WorkflowPage', workflow, false),
    experiment,
    experimentList: g1p ? page('ExperimentList', experiment, true) : arrayOf(experiment),
    run,
    runList: g1p ? page('ExperimentRunListResponse', run, true) : object('ExperimentRunListResponse', { runs: opt(arrayOf(run)) }),
    startedRun: object('RunExperimentResponse', {
      experiment_id: str,
      run_id: str,
      job_id: g1p ? nullable(str) : str,
      status: str,
      definition_fingerprint: str,
      ...(g1p ? { total_document_count: opt(num), completed_document_count: opt(num), noop: opt(bool) } : {}),
      document_count: num,
      n_consensus: consensus,
      previous_run: opt(nullable(object('PreviousRunSummary', { run_id: str, definition_fingerprint: opt(nullable(str)), score: opt(nullable(num)) }))),
    }),
    cancelled: object('CancelExperimentResponse', { status: str, run_id: str }),
    content: object('ExperimentContentResponse', { experiment_id: str, run_id: str, content: object('ExperimentContent', { jobs: opt(arrayOf(job)) }) }),
    job: g1p ? undefined : job,
    metrics: metricsSchema({ nested: true, fingerprint: 'definition_fingerprint', current: 'current_config_fingerprint' }),
    metricsViews: metricsViewSchemas(true),
    artifacts: artifactsG1(),
  };
}

// ---------------------------------------------------------------------------------------------
// G2 (91b7543e) and G3 (61d9c44e): flat routes

function lifecycle(name: string, queuedAndNullableMessage: { messageNullable: boolean }): Schema {
  const errorDetails = object('ErrorDetails', {
    message: opt(nullable(str)),
    stack_trace: opt(nullable(str)),
    block_id: opt(nullable(str)),
    block_name: opt(nullable(str)),
    error_code: opt(nullable(str)),
    context: opt(nullable(recordOf(anyValue))),
  });
  const bare = (status: string): Schema => object(`${status} ${name}`, { status: literal(status) });
  return tagged(name, 'status', {
    pending: bare('pending'),
    queued: bare('queued'),
    running: bare('running'),
    completed: bare('completed'),
    // G2's zod: `message` defaults to "(no message)" but may not be null; pydantic allows null.
    error: object(`error ${name}`, {
      status: literal('error'),
      message: opt(queuedAndNullableMessage.messageNullable ? nullable(str) : str),
      details: opt(nullable(errorDetails)),
    }),
    cancelled: object(`cancelled ${name}`, { status: literal('cancelled'), reason: opt(nullable(str)) }),
  });
}

function flatEra(era: 'g2' | 'g3'): EraSchemas {
  const g3 = era === 'g3';
  const count = g3 ? opt(nullable(int)) : opt(num);
  const schemaDrift = literal('none', 'partial', 'drifted', 'unknown');
  const experiment = object('WorkflowExperiment', {
    id: str,
    workflow_id: str,
    block_id: str,
    n_consensus: consensus,
    document_count: count,
    name: str,
    last_run_id: opt(nullable(str)),
    // G2's zod requires both timestamps (pydantic does not); G3 has only pydantic, where they are optional.
    created_at: g3 ? opt(nullable(datetime)) : datetime,
    updated_at: g3 ? opt(nullable(datetime)) : datetime,
    status: g3 ? opt(nullable(experimentStatus)) : opt(experimentStatus),
    block_type: blockKind,
    score: opt(nullable(num)),
    is_stale: g3 ? opt(nullable(bool)) : opt(bool),
    schema_drift: g3 ? opt(nullable(schemaDrift)) : opt(schemaDrift),
    schema_drift_detail: opt(nullable(str)),
    ...(g3
      ? {
          freshness: opt(
            nullable(
              object('ArtifactFreshness', {
                status: opt(nullable(literal('fresh', 'stale', 'unknown'))),
                reasons: opt(nullable(arrayOf(literal('validity_changed', 'inputs_changed', 'engine_changed', 'metrics_engine_changed', 'no_baseline')))),
                validity_fingerprint: opt(nullable(str)),
                input_fingerprint: opt(nullable(str)),
                baseline_run_id: opt(nullable(str)),
              }),
            ),
          ),
          freshness_state: opt(nullable(literal('fresh', 'stale', 'unknown'))),
          freshness_reasons: opt(nullable(arrayOf(str))),
          run_plan_mode: opt(nullable(literal('run', 'noop', 'conflict', 'unknown'))),
          rerunnable_document_count: opt(nullable(int)),
          drift: opt(
            nullable(
              object('ArtifactDrift', {
                status: opt(nullable(literal('none', 'drifted', 'broken', 'unknown'))),
                affected_targets: opt(nullable(arrayOf(str))),
                detail: opt(nullable(str)),
              }),
            ),
          ),
        }
      : {}),
  });
  const run = object('ExperimentRun', {
    id: str,
    ...(g3
      ? { workflow_id: str, workflow_version_id: str }
      : { workflow: object('WorkflowSnapshotRef', { workflow_id: str, version_id: str, name_at_run_time: str, requested_version: opt(str) }) }),
    trigger: object('ExperimentRunTrigger', { type: opt(nullable(str)) }),
    lifecycle: lifecycle('ExperimentRunLifecycle', { messageNullable: g3 }),
    // G2's zod requires `timing.created_at`.
    timing: object('ExperimentRunTiming', {
      created_at: g3 ? opt(nullable(datetime)) : datetime,
      started_at: opt(nullable(datetime)),
      completed_at: opt(nullable(datetime)),
      duration_ms: opt(nullable(int)),
    }),
    experiment_id: str,
    block_id: str,
    block_type: blockKind,
    n_consensus: consensus,
    parent_run_id: opt(nullable(str)),
    [g3 ? 'block_execution_fingerprint' : 'definition_fingerprint']: str,
    documents_fingerprint: str,
    score: opt(nullable(num)),
    total_document_count: count,
    completed_document_count: count,
    document_count: count,
    error_count: count,
  });
  const fileDocument = g3
    ? object('ResultFileRef', { id: str, filename: str, mime_type: str })
    : object('MaterializedDocument', {
        original_id: str,
        filename: str,
        mime_type: str,
        gcs_uri: str,
        size_bytes: opt(nullable(int)),
        content_fingerprint: opt(nullable(str)),
      });
  const handleInput = tagged('HandleInput', 'type', {
    file: object('FileHandleInput', { type: literal('file'), document: fileDocument }),
    json: object('JsonHandleInput', { type: literal('json'), data: opt(anyValue) }),
  });
  const artifactRef = g3
    ? object('StepArtifactRef', {
        operation: literal(
          'extraction',
          'split',
          'classification',
          'parse',
          'edit',
          'partition',
          'conditional_evaluation',
          'review_trigger_evaluation',
          'while_loop_termination',
          'api_call_invocation',
          'function_invocation',
        ),
        id: str,
      })
    : object('StepArtifactRefMini', { operation: str, id: str });
  const result = object('ExperimentResult', {
    id: str,
    [g3 ? 'experiment_run_id' : 'run_id']: str,
    experiment_id: str,
    document_id: str,
    lifecycle: lifecycle('ExperimentResultLifecycle', { messageNullable: g3 }),
    timing: object('ExperimentResultTiming', {
      created_at: opt(nullable(datetime)),
      started_at: opt(nullable(datetime)),
      completed_at: opt(nullable(datetime)),
      duration_ms: opt(nullable(int)),
    }),
    block_type: blockKind,
    handle_inputs: g3 ? opt(nullable(recordOf(handleInput))) : opt(recordOf(handleInput)),
    artifact: opt(nullable(artifactRef)),
    attempt: g3 ? opt(nullable(int)) : opt(num),
  });
  const workflow = g3
    ? workflowSchema(object('WorkflowPublished', { version_id: opt(nullable(str)), published_at: opt(nullable(datetime)), description: opt(nullable(str)) }), {
        project_id: nullable(str),
      })
    : workflowSchema(object('Published', { version_id: opt(nullable(str)), published_at: opt(nullable(datetime)) }));
  const artifacts = g3 ? artifactsG3() : artifactsG2();
  return {
    workflow,
    workflowPage: page('WorkflowPage', workflow, false),
    experiment,
    // G2's zod pages default `data`; G3's pydantic PaginatedList requires it.
    experimentList: page('ExperimentList', experiment, !g3),
    run,
    runList: page('ExperimentRunList', run, !g3),
    startedRun: run,
    cancelled: object('CancelWorkflowExperimentRunResponse', { id: str, lifecycle: lifecycle('ExperimentRunLifecycle', { messageNullable: g3 }) }),
    result,
    resultPage: page('ExperimentResultList', result, !g3),
    metrics: metricsSchema({
      nested: false,
      fingerprint: g3 ? 'block_execution_fingerprint' : 'definition_fingerprint',
      current: g3 ? 'current_block_execution_fingerprint' : 'current_config_fingerprint',
    }),
    metricsViews: metricsViewSchemas(false),
    artifacts,
    workflowArtifact: g3
      ? // artifacts.py: the *WorkflowArtifact variants, with created_at required on classification, parse and split.
        tagged('WorkflowArtifact', 'operation', {
          extraction: artifacts.extraction,
          classification: both(artifacts.classification, object('created', { created_at: datetime })),
          split: both(artifacts.split, object('created', { created_at: datetime })),
          parse: both(artifacts.parse, object('created', { created_at: datetime })),
          edit: artifacts.edit,
          partition: artifacts.partition,
        })
      : // types.ts ZWorkflowArtifact: `{operation, id}` and anything else.
        object('WorkflowArtifact', { operation: str, id: str }),
  };
}

function both(first: Schema, second: Schema): Schema {
  return {
    name: `${first.name} & ${second.name}`,
    check: (value, path, issues) => {
      first.check(value, path, issues);
      second.check(value, path, issues);
    },
  };
}

export const SDK_SCHEMAS: Readonly<Record<ApiGeneration, EraSchemas>> = {
  g1: nestedEra('g1'),
  g1p: nestedEra('g1p'),
  g2: flatEra('g2'),
  g3: flatEra('g3'),
};
