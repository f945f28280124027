/**
 * What the Test Explorer says of an eval and of its result, as plain data (no vscode): labels,
 * descriptions, and a result's state with expected and actual values pretty-printed for the diff
 * view, cut at a cap. Eval names and values are server text: they are shown as text, bidi and
 * zero-width characters made visible.
 */
import { l10n } from '../../l10n';
import { EvalResult, WorkflowEval } from '../../api/evals/evalModels';
import { showInvisibles, formatNumber } from '../../format';
import { jsonText } from '../shared/jsonText';

/** A value longer than this is cut in the test message (its whole text opens as a document). */
export const MAX_VALUE_SHOWN = 20_000;

function shortValue(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : jsonText(value, { maxLength: 200 });
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

/** The eval's name, or its assertion when it has none: `output-json-0 · invoice.total equals 1243.5`. */
export function evalLabel(item: WorkflowEval): string {
  if (item.name) {
    return showInvisibles(item.name);
  }
  const assertion = item.assertion;
  if (!assertion) {
    return item.id;
  }
  const expected = isRecord(assertion.condition) && 'expected' in assertion.condition ? ` ${shortValue(assertion.condition.expected)}` : '';
  return showInvisibles(`${assertion.outputHandleId} · ${assertion.path ?? l10n.t('(whole output)')} ${assertion.conditionKind}${expected}`);
}

/** The condition's kind and where it looks: `equals · invoice.total`. */
export function evalDescription(item: WorkflowEval): string {
  const assertion = item.assertion;
  if (!assertion) {
    return l10n.t('no assertion');
  }
  return showInvisibles([assertion.conditionKind, assertion.path ?? assertion.outputHandleId].join(' · '));
}

/** Tags the explorer can filter on: drifted assertions and stale evals. */
export function evalTags(item: WorkflowEval): string[] {
  const tags: string[] = [];
  if (item.assertionDrift === 'drifted' || item.assertionDrift === 'broken') {
    tags.push('drifted');
  }
  if (item.freshness === 'stale') {
    tags.push('stale');
  }
  return tags;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Pretty JSON (strings as they are), so the diff view lines up; cut at the cap with a note. */
export function valueForDiff(value: unknown): { text: string; cut: boolean } {
  const text = typeof value === 'string' ? value : jsonText(value, { indent: 2, maxLength: MAX_VALUE_SHOWN * 2 });
  return text.length > MAX_VALUE_SHOWN
    ? { text: l10n.t('{0}\n… (cut: {1} characters in all)', text.slice(0, MAX_VALUE_SHOWN), formatNumber(text.length)), cut: true }
    : { text, cut: false };
}

export type ResultState =
  | { state: 'passed'; durationMs: number | null }
  | { state: 'failed'; durationMs: number | null; message: string; expected: string; actual: string; cut: boolean }
  | { state: 'errored'; durationMs: number | null; message: string }
  | { state: 'skipped'; message: string }
  /** Not finished: still running or waiting. */
  | { state: 'running' };

/**
 * A result as the Test Explorer shows it: passed with its duration; failed with the assertion's
 * expected and actual values; blocked as errored with the failure's code and message; a result
 * whose lifecycle errored as errored with its message; a cancelled one as skipped.
 */
export function resultState(result: EvalResult): ResultState {
  if (result.status === 'cancelled') {
    return { state: 'skipped', message: showInvisibles(result.message ?? l10n.t('Cancelled before it ran.')) };
  }
  if (result.status === 'error') {
    return { state: 'errored', durationMs: result.durationMs, message: showInvisibles(result.message ?? l10n.t('The eval could not run.')) };
  }
  if (result.status !== 'completed' || result.verdict === null) {
    return { state: 'running' };
  }
  const assertion = result.assertion;
  switch (result.verdict) {
    case 'passed':
      return { state: 'passed', durationMs: result.durationMs };
    case 'blocked': {
      const failure = assertion?.failure;
      const words = [failure?.code, failure?.message].filter(Boolean).join(': ');
      return {
        state: 'errored',
        durationMs: result.durationMs,
        message: showInvisibles(l10n.t('Blocked: {0}', words || l10n.t('the assertion could not be evaluated'))),
      };
    }
    case 'failed': {
      const expected = valueForDiff(assertion?.expected ?? null);
      const actual = valueForDiff(assertion?.actual ?? null);
      const kind = assertion?.conditionKind ?? 'assertion';
      return {
        state: 'failed',
        durationMs: result.durationMs,
        message: showInvisibles(l10n.t('{0} failed{1}', kind, assertion?.failure?.message ? `: ${assertion.failure.message}` : '')),
        expected: expected.text,
        actual: actual.text,
        cut: expected.cut || actual.cut,
      };
    }
  }
}
