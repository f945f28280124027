/**
 * Reading the evals routes' JSON (SDK 61d9c44e: workflows/evals/{interfaces,runs,results}) into
 * evalModels.ts, every field checked and the failing one named. Conditions nest
 * (`all_items_match`, `any_item_matches`): only the kind is read, and the rest is kept as sent,
 * with its depth checked, so a hostile condition cannot make the reader recurse without end.
 */
import { l10n } from '../../l10n';
import { parseHandleInputs, parsePage } from '../dialects/common';
import { Page } from '../dialects/dialect';
import { RetabError } from '../errors';
import {
  JsonObject,
  depthOf,
  countOr0,
  enumOr,
  isObject,
  object,
  optionalNumber,
  optionalObject,
  optionalString,
  optionalTimestamp,
  requiredId,
  requiredString,
} from '../validate';
import {
  AssertionResult,
  EVAL_LIFECYCLES,
  EVAL_OUTCOMES,
  EvalAssertion,
  EvalLifecycle,
  EvalOutcome,
  EvalResult,
  EvalRun,
  EvalRunSummary,
  WorkflowEval,
} from './evalModels';

/** Deeper than any condition people write; a deeper one is refused rather than walked. */
const MAX_CONDITION_DEPTH = 32;

function lifecycleOf(raw: JsonObject, path: string): { status: EvalLifecycle; message: string | null } {
  const lifecycle = optionalObject(raw, 'lifecycle', path);
  if (!lifecycle) {
    return { status: 'unknown', message: null };
  }
  const at = `${path}.lifecycle`;
  return {
    status: enumOr<EvalLifecycle>(lifecycle, 'status', at, EVAL_LIFECYCLES, 'unknown'),
    message: optionalString(lifecycle, 'message', at) ?? optionalString(lifecycle, 'reason', at),
  };
}

function outcomeOf(raw: JsonObject, key: string, path: string): EvalOutcome | null {
  const value = raw[key];
  if (value === undefined || value === null) {
    return null;
  }
  return enumOr<EvalOutcome | 'unknown'>(raw, key, path, EVAL_OUTCOMES, 'unknown') === 'unknown' ? null : (value as EvalOutcome);
}

function parseAssertion(raw: JsonObject | null, path: string): EvalAssertion | null {
  if (!raw) {
    return null;
  }
  const target = object(raw.target, `${path}.target`);
  const condition = object(raw.condition, `${path}.condition`);
  if (depthOf(condition, MAX_CONDITION_DEPTH) > MAX_CONDITION_DEPTH) {
    throw new RetabError('invalid_response', l10n.t('Unexpected response: {0}.condition is nested deeper than {1} levels', path, MAX_CONDITION_DEPTH), {
      field: `${path}.condition`,
    });
  }
  return {
    id: optionalString(raw, 'id', path),
    outputHandleId: requiredString(target, 'output_handle_id', `${path}.target`),
    path: optionalString(target, 'path', `${path}.target`),
    conditionKind: requiredString(condition, 'kind', `${path}.condition`),
    condition,
    label: optionalString(raw, 'label', path),
  };
}

function parseSummary(raw: JsonObject | null, path: string): EvalRunSummary | null {
  if (!raw) {
    return null;
  }
  return {
    runId: optionalString(raw, 'run_record_id', path),
    status: enumOr<EvalLifecycle>(raw, 'status', path, EVAL_LIFECYCLES, 'unknown'),
    outcome: outcomeOf(raw, 'outcome', path),
    startedAt: optionalTimestamp(raw, 'started_at', path),
    completedAt: optionalTimestamp(raw, 'completed_at', path),
    durationMs: optionalNumber(raw, 'duration_ms', path),
  };
}

export function parseEval(value: unknown, path = 'response'): WorkflowEval {
  const raw = object(value, path);
  const target = object(raw.target, `${path}.target`);
  const freshness = optionalObject(raw, 'freshness', path);
  return {
    id: requiredId(raw, 'id', path),
    workflowId: requiredId(raw, 'workflow_id', path),
    blockId: requiredId(target, 'block_id', `${path}.target`),
    name: optionalString(raw, 'name', path),
    assertion: parseAssertion(optionalObject(raw, 'assertion', path), `${path}.assertion`),
    assertionDrift: optionalString(raw, 'assertion_drift_status', path),
    freshness: freshness ? optionalString(freshness, 'status', `${path}.freshness`) : null,
    latestRun: parseSummary(optionalObject(raw, 'latest_run_summary', path), `${path}.latest_run_summary`),
    raw,
  };
}

export function parseEvalPage(value: unknown): Page<WorkflowEval> {
  return parsePage(value, parseEval);
}

export function parseEvalRun(value: unknown, path = 'response'): EvalRun {
  const raw = object(value, path);
  const { status, message } = lifecycleOf(raw, path);
  const timing = optionalObject(raw, 'timing', path);
  const counts = optionalObject(raw, 'counts', path);
  const outcome = counts ? optionalObject(counts, 'outcome', `${path}.counts`) : null;
  const lifecycles = counts ? optionalObject(counts, 'lifecycle_counts', `${path}.counts`) : null;
  const target = optionalObject(raw, 'target', path);
  const count = (source: JsonObject | null, key: string, at: string): number => (source ? countOr0(source, key, at) : 0);
  return {
    id: requiredId(raw, 'id', path),
    workflowId: requiredId(raw, 'workflow_id', path),
    status,
    message,
    createdAt: timing ? optionalTimestamp(timing, 'created_at', `${path}.timing`) : null,
    completedAt: timing ? optionalTimestamp(timing, 'completed_at', `${path}.timing`) : null,
    totalEvals: countOr0(raw, 'total_evals', path),
    counts: {
      passed: count(outcome, 'passed', `${path}.counts.outcome`),
      failed: count(outcome, 'failed', `${path}.counts.outcome`),
      blocked: count(outcome, 'blocked', `${path}.counts.outcome`),
      running: count(lifecycles, 'running', `${path}.counts.lifecycle_counts`),
      completed: count(lifecycles, 'completed', `${path}.counts.lifecycle_counts`),
      error: count(lifecycles, 'error', `${path}.counts.lifecycle_counts`),
      cancelled: count(lifecycles, 'cancelled', `${path}.counts.lifecycle_counts`),
    },
    evalId: optionalString(raw, 'eval_id', path),
    blockId: target ? optionalString(target, 'block_id', `${path}.target`) : null,
  };
}

export function parseEvalRunPage(value: unknown): Page<EvalRun> {
  return parsePage(value, parseEvalRun);
}

function parseAssertionResult(raw: JsonObject | null, path: string): AssertionResult | null {
  if (!raw) {
    return null;
  }
  const failure = optionalObject(raw, 'failure', path);
  return {
    outcome: outcomeOf(raw, 'outcome', path),
    conditionKind: optionalString(raw, 'condition_kind', path),
    actual: raw.actual_value ?? null,
    expected: raw.expected_value ?? null,
    failure: failure ? { code: optionalString(failure, 'code', `${path}.failure`), message: optionalString(failure, 'message', `${path}.failure`) } : null,
  };
}

export function parseEvalResult(value: unknown, path = 'response'): EvalResult {
  const raw = object(value, path);
  const { status, message } = lifecycleOf(raw, path);
  const timing = optionalObject(raw, 'timing', path);
  return {
    id: requiredId(raw, 'id', path),
    runId: optionalString(raw, 'workflow_eval_run_id', path),
    evalId: requiredId(raw, 'eval_id', path),
    blockId: requiredString(raw, 'block_id', path),
    blockType: optionalString(raw, 'block_type', path),
    status,
    message,
    verdict: outcomeOf(raw, 'verdict', path),
    durationMs: timing ? optionalNumber(timing, 'duration_ms', `${path}.timing`) : null,
    assertion: parseAssertionResult(isObject(raw.assertion_result) ? raw.assertion_result : null, `${path}.assertion_result`),
    handleInputs: parseHandleInputs(raw, path),
  };
}

export function parseEvalResultPage(value: unknown): Page<EvalResult> {
  return parsePage(value, parseEvalResult);
}
