/**
 * The sandbox's workflow evals (flat generations; SDK 61d9c44e, workflows/evals/*): each
 * extract, classifier or split block of a workflow (its experiments' blocks) has a few evals, the
 * 5,000-document workflow's block 120 (paging); conditions cycle through the 21 kinds, stored as
 * sent; each eval's outcome is fixed (mostly passed, some failed, some blocked, one erroring), one
 * failing eval's actual value is 300 KB. Runs progress with the clock: pending, then one result
 * after another (0.4 s each at time scale 1), then completed; cancel stops them; a run of an
 * unknown eval errors as a whole. `evals: false` (`--evals off`) answers 405 to every route.
 */
import { ExperimentSeed, WorkflowSeed } from '../data';
import { fileIdOf, mimeTypeOf } from '../inputs';
import { hex16 } from '../prng';
import { SandboxStore } from '../store';

export const CONDITION_KINDS = [
  'exists',
  'not_exists',
  'equals',
  'not_equals',
  'contains',
  'not_contains',
  'number_compare',
  'length_compare',
  'between',
  'starts_with',
  'ends_with',
  'matches_regex',
  'object_contains',
  'array_contains',
  'json_schema_valid',
  'similarity_gte',
  'llm_judged_as',
  'llm_not_judged_as',
  'all_items_match',
  'any_item_matches',
  'split_iou_gte',
] as const;

type Outcome = 'passed' | 'failed' | 'blocked';

export interface SandboxEval {
  id: string;
  workflowId: string;
  blockId: string;
  blockType: string;
  index: number;
  path: string;
  kind: string;
  outcome: Outcome;
  /** Its result errors (the block failed to run) instead of giving a verdict. */
  errors: boolean;
  /** Its failing result's actual value is 300 KB. */
  bigActual: boolean;
  name: string | null;
  createdAt: number;
  document: ExperimentSeed['documents'][number];
  /** Made through POST /workflows/evals: its inputs and condition as sent. */
  created?: { handleInputs: Record<string, unknown>; condition: Record<string, unknown>; outputHandleId: string };
}

interface RunRecord {
  id: string;
  workflowId: string;
  scope: Record<string, unknown> | null;
  evals: SandboxEval[];
  createdAt: number;
  cancelledAt: number | null;
  /** The run failed as a whole (an unknown eval): its message. */
  error: string | null;
}

const STEP_MS = 400;
const START_MS = 200;
const PATHS = ['invoice.total', 'invoice.number', 'vendor.name', 'invoice.currency', 'line_items.0.amount', 'invoice.issue_date'];
const BIG_ACTUAL = 'x'.repeat(300 * 1024);

function conditionFor(kind: string, expected: unknown): Record<string, unknown> {
  switch (kind) {
    case 'number_compare':
    case 'length_compare':
      return { kind, op: 'gte', expected: 10 };
    case 'between':
      return { kind, lower: 0, upper: 100000, inclusive: true };
    case 'matches_regex':
      return { kind, pattern: '^[A-Z]{2,}-\\d+' };
    case 'object_contains':
    case 'array_contains':
      return { kind, expected: { currency: 'EUR' } };
    case 'json_schema_valid':
      return { kind, schema: { type: 'string' } };
    case 'similarity_gte':
      return { kind, reference: expected, threshold: 0.9, method: 'levenshtein' };
    case 'llm_judged_as':
    case 'llm_not_judged_as':
      return { kind, rubric: 'Is this a plausible invoice total?', expected_label: 'yes' };
    case 'all_items_match':
    case 'any_item_matches':
      return { kind, condition: { kind: 'exists' } };
    case 'split_iou_gte':
      return { kind, expected: { splits: [{ name: 'invoice', pages: [1] }] }, threshold: 1 };
    case 'exists':
    case 'not_exists':
      return { kind };
    default:
      return { kind, expected };
  }
}

export class SandboxEvals {
  /** false: every evals route answers 405, as on an environment without evals. */
  enabled = true;
  /** How long each eval of a run takes, in ms, when set: else 400 ms times the store's time scale. */
  stepMs: number | undefined;
  private catalogue: Map<string, SandboxEval[]> | undefined;
  private readonly runs = new Map<string, RunRecord>();
  private runCount = 0;
  /** Evals made, renamed and deleted through the API in this sandbox (forgotten on reset). */
  private readonly made = new Map<string, SandboxEval[]>();
  private readonly renamed = new Map<string, string>();
  private readonly deleted = new Set<string>();

  constructor(private readonly store: SandboxStore) {}

  reset(): void {
    this.runs.clear();
    this.made.clear();
    this.renamed.clear();
    this.deleted.clear();
  }

  /** A workflow's evals, in creation order; undefined for an unknown workflow. */
  evalsOf(workflowId: string): SandboxEval[] | undefined {
    const seeded = this.all().get(workflowId);
    if (!seeded) {
      return undefined;
    }
    return [...seeded, ...(this.made.get(workflowId) ?? [])]
      .filter((item) => !this.deleted.has(item.id))
      .map((item) => (this.renamed.has(item.id) ? { ...item, name: this.renamed.get(item.id) ?? null } : item));
  }

  /** POST /workflows/evals: a new eval on a block of the workflow; a string says what is wrong. */
  create(body: Record<string, unknown>, now: number): SandboxEval | string {
    const workflowId = typeof body.workflow_id === 'string' ? body.workflow_id : '';
    const evals = this.evalsOf(workflowId);
    const target = body.target as { type?: unknown; block_id?: unknown } | undefined;
    const source = body.source as { type?: unknown; handle_inputs?: unknown } | undefined;
    const assertion = body.assertion as { target?: { output_handle_id?: unknown; path?: unknown }; condition?: { kind?: unknown } } | undefined;
    if (!evals) {
      return 'workflow';
    }
    if (target?.type !== 'block' || typeof target.block_id !== 'string') {
      return 'target must be {type: "block", block_id}';
    }
    const block = evals.find((item) => item.blockId === target.block_id);
    if (!block) {
      return `block ${target.block_id} has no evals target in this workflow`;
    }
    if (source?.type !== 'manual' || typeof source.handle_inputs !== 'object' || source.handle_inputs === null) {
      return 'source must be {type: "manual", handle_inputs}';
    }
    if (typeof assertion?.target?.output_handle_id !== 'string' || typeof assertion.condition?.kind !== 'string') {
      return 'assertion needs target.output_handle_id and condition.kind';
    }
    const count = (this.made.get(workflowId)?.length ?? 0) + 1;
    const item: SandboxEval = {
      ...block,
      id: `wfnodeeval_${hex16(`made/${workflowId}/${count}/${now}`).slice(0, 14)}`,
      index: 1000 + count,
      path: typeof assertion.target.path === 'string' ? assertion.target.path : '',
      kind: assertion.condition.kind,
      outcome: 'passed',
      errors: false,
      bigActual: false,
      name: typeof body.name === 'string' ? body.name : null,
      createdAt: now,
      created: {
        handleInputs: source.handle_inputs as Record<string, unknown>,
        condition: assertion.condition,
        outputHandleId: assertion.target.output_handle_id,
      },
    };
    this.made.set(workflowId, [...(this.made.get(workflowId) ?? []), item]);
    return item;
  }

  rename(id: string, name: unknown): SandboxEval | undefined {
    const item = this.evalById(id);
    if (!item || typeof name !== 'string') {
      return undefined;
    }
    this.renamed.set(id, name);
    return this.evalById(id);
  }

  remove(id: string): boolean {
    if (!this.evalById(id)) {
      return false;
    }
    this.deleted.add(id);
    return true;
  }

  evalById(id: string): SandboxEval | undefined {
    for (const workflowId of this.all().keys()) {
      const found = this.evalsOf(workflowId)?.find((candidate) => candidate.id === id);
      if (found) {
        return found;
      }
    }
    return undefined;
  }

  private all(): Map<string, SandboxEval[]> {
    if (!this.catalogue) {
      const catalogue = new Map<string, SandboxEval[]>();
      for (const workflow of this.store.catalog.workflows) {
        catalogue.set(workflow.id, this.evalsFor(workflow));
      }
      this.catalogue = catalogue;
    }
    return this.catalogue;
  }

  private evalsFor(workflow: WorkflowSeed): SandboxEval[] {
    const experiments = (this.store.catalog.experimentsByWorkflow.get(workflow.id) ?? []).filter((experiment) =>
      ['extract', 'classifier', 'split'].includes(experiment.blockKind),
    );
    const blocks = new Map<string, ExperimentSeed>();
    for (const experiment of experiments) {
      if (!blocks.has(experiment.blockId)) {
        blocks.set(experiment.blockId, experiment);
      }
    }
    const evals: SandboxEval[] = [];
    let index = 0;
    for (const [blockId, experiment] of blocks) {
      const count = workflow.id === 'wf_big' ? 120 : 2 + (Number.parseInt(hex16(blockId).slice(0, 2), 16) % 4);
      for (let local = 0; local < count; local++, index++) {
        const kind = CONDITION_KINDS[index % CONDITION_KINDS.length];
        const path = PATHS[local % PATHS.length];
        const outcome: Outcome = local % 9 === 7 ? 'blocked' : local % 4 === 1 ? 'failed' : 'passed';
        evals.push({
          id: `wfnodeeval_${hex16(`eval/${blockId}/${local}`).slice(0, 14)}`,
          workflowId: workflow.id,
          blockId,
          blockType: experiment.blockKind,
          index: local,
          path,
          kind,
          outcome,
          errors: local === 5,
          bigActual: experiment.id === 'exp_invoices_v2' && local === 1,
          name: local % 4 === 3 ? null : `${path} ${kind.replace(/_/g, ' ')}`,
          createdAt: experiment.createdAt + local * 60_000,
          document: experiment.documents[local % experiment.documents.length],
        });
      }
    }
    return evals;
  }

  evalJson(item: SandboxEval): Record<string, unknown> {
    const created = new Date(item.createdAt).toISOString();
    const ran = item.index % 5 !== 2;
    const document = item.document;
    return {
      id: item.id,
      workflow_id: item.workflowId,
      target: { type: 'block', block_id: item.blockId },
      source: {
        type: 'manual',
        handle_inputs: {
          'input-document-0': { type: 'file', document: { id: fileIdOf(document.id), filename: document.filename, mime_type: mimeTypeOf(document.filename) } },
        },
      },
      name: item.name,
      assertion: {
        id: `assert_${hex16(item.id).slice(0, 10)}`,
        target: { output_handle_id: item.created?.outputHandleId ?? 'output-json-0', path: item.path },
        condition: item.created?.condition ?? conditionFor(item.kind, this.expected(item)),
        label: null,
      },
      assertion_schema_dep: null,
      assertion_drift_status: item.index % 7 === 6 ? 'drifted' : 'valid',
      schema_drift: 'none',
      schema_drift_detail: null,
      freshness: { status: item.index % 6 === 4 ? 'stale' : 'fresh', reasons: item.index % 6 === 4 ? ['inputs_changed'] : [] },
      drift: { status: 'none', affected_targets: [] },
      validation_status: 'valid',
      validation_issues: [],
      latest_run_summary:
        ran && !item.created
          ? {
              run_record_id: `wfevalrun_seed${hex16(item.workflowId).slice(0, 8)}`,
              status: item.errors ? 'error' : 'completed',
              ...(item.errors ? {} : { outcome: item.outcome }),
              started_at: created,
              completed_at: created,
              duration_ms: 1200 + item.index * 10,
              assertions_passed: item.outcome === 'passed' ? 1 : 0,
              assertions_failed: item.outcome === 'failed' ? 1 : 0,
              blocked_assertions: item.outcome === 'blocked' ? 1 : 0,
            }
          : null,
      latest_passing_run_summary: null,
      latest_failing_run_summary: null,
      created_at: created,
      updated_at: created,
    };
  }

  private expected(item: SandboxEval): unknown {
    if (item.created && 'expected' in item.created.condition) {
      return item.created.condition.expected;
    }
    return item.path.endsWith('total') || item.path.endsWith('amount') ? 1243.5 : `${item.path.toUpperCase()}-42`;
  }

  private actual(item: SandboxEval): unknown {
    if (item.bigActual) {
      return BIG_ACTUAL;
    }
    const expected = this.expected(item);
    if (item.outcome === 'passed') {
      return expected;
    }
    return typeof expected === 'number' ? { value: expected * 10, currency: 'EUR', note: 'misread decimal separator' } : `${String(expected)}-X`;
  }

  /** Starts a run of `scope` (null: the whole workflow); a single eval that does not exist errors the run. */
  startRun(workflowId: string, scope: Record<string, unknown> | null, now: number): RunRecord | string {
    const evals = this.evalsOf(workflowId);
    if (!evals) {
      return 'workflow';
    }
    let chosen = evals;
    let error: string | null = null;
    if (scope?.type === 'block') {
      chosen = evals.filter((item) => item.blockId === scope.block_id);
    } else if (scope?.type === 'single') {
      chosen = evals.filter((item) => item.id === scope.eval_id);
      if (chosen.length === 0) {
        error = `Block eval ${String(scope.eval_id)} was not found in workflow ${workflowId}`;
      }
    }
    this.runCount++;
    const record: RunRecord = {
      id: `wfevalrun_${hex16(`run/${workflowId}/${this.runCount}/${now}`).slice(0, 14)}`,
      workflowId,
      scope,
      evals: chosen,
      createdAt: now,
      cancelledAt: null,
      error,
    };
    this.runs.set(record.id, record);
    return record;
  }

  run(id: string): RunRecord | undefined {
    return this.runs.get(id);
  }

  runsOf(workflowId: string): RunRecord[] {
    return [...this.runs.values()].filter((record) => record.workflowId === workflowId).reverse();
  }

  cancel(record: RunRecord, now: number): boolean {
    if (this.status(record, now) !== 'pending' && this.status(record, now) !== 'running') {
      return false;
    }
    record.cancelledAt = now;
    return true;
  }

  /** The time scale evals run at: the store's, or the one that gives each eval `stepMs`. */
  private get scale(): number {
    return this.stepMs === undefined ? this.store.timeScale : this.stepMs / STEP_MS;
  }

  private finishAt(record: RunRecord, index: number, scale: number): number {
    return record.createdAt + (START_MS + (index + 1) * STEP_MS) * scale;
  }

  status(record: RunRecord, now: number): string {
    if (record.error) {
      return now - record.createdAt >= START_MS ? 'error' : 'pending';
    }
    if (record.cancelledAt !== null) {
      return 'cancelled';
    }
    const scale = this.scale;
    if (now < record.createdAt + START_MS * scale) {
      return 'pending';
    }
    return now >= this.finishAt(record, record.evals.length - 1, scale) ? 'completed' : 'running';
  }

  runJson(record: RunRecord, now: number): Record<string, unknown> {
    const status = this.status(record, now);
    const results = this.resultsOf(record, now);
    const outcome = { passed: 0, failed: 0, blocked: 0 };
    const lifecycle = { pending: 0, queued: 0, running: 0, completed: 0, error: 0, cancelled: 0 };
    for (const result of results) {
      const state = (result.lifecycle as { status: keyof typeof lifecycle }).status;
      lifecycle[state]++;
      if (typeof result.verdict === 'string') {
        outcome[result.verdict as keyof typeof outcome]++;
      }
    }
    lifecycle.pending += Math.max(0, record.evals.length - results.length);
    const scope = record.scope;
    const finished = status === 'completed' || status === 'error' || status === 'cancelled';
    return {
      id: record.id,
      workflow_id: record.workflowId,
      workflow_version_id: `draft_${hex16(record.workflowId).slice(0, 8)}`,
      trigger: { type: 'api' },
      lifecycle:
        status === 'error'
          ? { status, message: record.error ?? 'The run failed' }
          : status === 'cancelled'
            ? { status, reason: 'Cancelled by the user' }
            : { status },
      timing: {
        created_at: new Date(record.createdAt).toISOString(),
        started_at: status === 'pending' ? null : new Date(record.createdAt + START_MS).toISOString(),
        completed_at: finished ? new Date(record.cancelledAt ?? Math.min(now, this.finishAt(record, record.evals.length - 1, this.scale))).toISOString() : null,
      },
      target: scope?.type === 'block' ? { type: 'block', block_id: scope.block_id } : null,
      eval_id: scope?.type === 'single' ? scope.eval_id : null,
      total_evals: record.evals.length,
      counts: { lifecycle_counts: lifecycle, outcome },
    };
  }

  /** The results a run has produced by `now`, in run-time order. */
  resultsOf(record: RunRecord, now: number): Array<Record<string, unknown>> {
    if (record.error) {
      return [];
    }
    const scale = this.scale;
    const results: Array<Record<string, unknown>> = [];
    record.evals.forEach((item, index) => {
      const doneAt = this.finishAt(record, index, scale);
      const startAt = doneAt - STEP_MS * scale;
      const cancelled = record.cancelledAt !== null && record.cancelledAt < doneAt;
      if (now < startAt && !cancelled) {
        return;
      }
      const status = cancelled ? 'cancelled' : now < doneAt ? 'running' : item.errors ? 'error' : 'completed';
      const verdict = status === 'completed' ? item.outcome : null;
      results.push({
        id: `wfresult_${hex16(`${record.id}/${item.id}`).slice(0, 14)}`,
        workflow_eval_run_id: record.id,
        eval_id: item.id,
        lifecycle: status === 'error' ? { status, message: 'The block failed to run: upstream model timeout after 60 s' } : { status },
        timing: {
          created_at: new Date(record.createdAt).toISOString(),
          started_at: new Date(startAt).toISOString(),
          completed_at: status === 'completed' || status === 'error' ? new Date(doneAt).toISOString() : null,
          duration_ms: status === 'completed' || status === 'error' ? Math.round(STEP_MS * scale) : null,
        },
        verdict,
        workflow_id: record.workflowId,
        block_id: item.blockId,
        block_type: item.blockType,
        handle_inputs: (this.evalJson(item).source as { handle_inputs: unknown }).handle_inputs,
        handle_outputs: status === 'completed' ? { 'output-json-0': { type: 'json', data: { [item.path]: this.actual(item) } } } : null,
        warnings: [],
        assertion_result:
          status === 'completed'
            ? {
                assertion_id: `assert_${hex16(item.id).slice(0, 10)}`,
                condition_kind: item.kind,
                outcome: item.outcome,
                actual_value: item.outcome === 'blocked' ? null : this.actual(item),
                expected_value: this.expected(item),
                ...(item.outcome === 'blocked'
                  ? { failure: { code: 'type_error', message: `Cannot compare a missing value at ${item.path}`, details: {} } }
                  : {}),
              }
            : null,
        verdict_summary:
          status === 'completed'
            ? {
                passed: item.outcome === 'passed',
                assertions_passed: item.outcome === 'passed' ? 1 : 0,
                assertions_failed: item.outcome === 'failed' ? 1 : 0,
                blocked_assertions: item.outcome === 'blocked' ? 1 : 0,
                failed_assertion_ids: item.outcome === 'failed' ? [`assert_${hex16(item.id).slice(0, 10)}`] : [],
              }
            : null,
      });
    });
    return results;
  }
}
