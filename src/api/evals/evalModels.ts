/**
 * Retab's workflow evals as the views use them: one saved check of one block (frozen inputs, one
 * assertion), eval runs that replay them, and each eval's result in a run. Read from the wire by
 * evalWire.ts; the condition of an assertion is kept as the server sent it beyond its kind (21
 * kinds, some nesting), since the extension only shows it.
 */
import { HandleInput } from '../models';

export const EVAL_OUTCOMES = ['passed', 'failed', 'blocked'] as const;
export type EvalOutcome = (typeof EVAL_OUTCOMES)[number];

export const EVAL_LIFECYCLES = ['pending', 'queued', 'running', 'completed', 'error', 'cancelled'] as const;
export type EvalLifecycle = (typeof EVAL_LIFECYCLES)[number] | 'unknown';

export interface EvalAssertion {
  id: string | null;
  outputHandleId: string;
  path: string | null;
  /** The condition's kind (`equals`, `number_compare`, …); the rest is `condition`, as sent. */
  conditionKind: string;
  condition: unknown;
  label: string | null;
}

export interface EvalRunSummary {
  runId: string | null;
  status: EvalLifecycle;
  outcome: EvalOutcome | null;
  startedAt: string | null;
  completedAt: string | null;
  durationMs: number | null;
}

export interface WorkflowEval {
  id: string;
  workflowId: string;
  blockId: string;
  name: string | null;
  assertion: EvalAssertion | null;
  /** `drifted` or `broken` when the block's schema moved under the assertion. */
  assertionDrift: string | null;
  /** `stale` when the block or its inputs changed since the eval last ran. */
  freshness: string | null;
  latestRun: EvalRunSummary | null;
  raw: unknown;
}

export type EvalScope = { type: 'workflow' } | { type: 'block'; blockId: string } | { type: 'single'; evalId: string };

export interface EvalRun {
  id: string;
  workflowId: string;
  status: EvalLifecycle;
  /** The lifecycle's message (an errored run) or reason (a cancelled one). */
  message: string | null;
  createdAt: string | null;
  completedAt: string | null;
  totalEvals: number;
  counts: { passed: number; failed: number; blocked: number; running: number; completed: number; error: number; cancelled: number };
  evalId: string | null;
  blockId: string | null;
}

export interface AssertionResult {
  outcome: EvalOutcome | null;
  conditionKind: string | null;
  actual: unknown;
  expected: unknown;
  failure: { code: string | null; message: string | null } | null;
}

export interface EvalResult {
  id: string;
  runId: string | null;
  evalId: string;
  blockId: string;
  blockType: string | null;
  status: EvalLifecycle;
  message: string | null;
  verdict: EvalOutcome | null;
  durationMs: number | null;
  assertion: AssertionResult | null;
  handleInputs: HandleInput[];
}

export function isTerminalEval(status: EvalLifecycle): boolean {
  return status === 'completed' || status === 'error' || status === 'cancelled';
}
