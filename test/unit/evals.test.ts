import * as assert from 'node:assert/strict';
import { RetabError } from '../../src/api/errors';
import { parseEval, parseEvalResult, parseEvalRun } from '../../src/api/evals/evalWire';
import { evalLabel, evalTags, resultState, valueForDiff, MAX_VALUE_SHOWN } from '../../src/ui/evals/evalWords';
import { planRuns } from '../../src/ui/evals/runPlan';

function wireEval(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'wfnodeeval_1',
    workflow_id: 'wf_a',
    target: { type: 'block', block_id: 'blk_1' },
    name: null,
    assertion: { id: 'assert_1', target: { output_handle_id: 'output-json-0', path: 'invoice.total' }, condition: { kind: 'equals', expected: 1243.5 } },
    assertion_drift_status: 'drifted',
    freshness: { status: 'stale', reasons: ['inputs_changed'] },
    latest_run_summary: { run_record_id: 'wfevalrun_1', status: 'completed', outcome: 'failed', started_at: '2026-08-01T00:00:00Z', duration_ms: 900 },
    ...overrides,
  };
}

function wireResult(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'wfresult_1',
    workflow_eval_run_id: 'wfevalrun_1',
    eval_id: 'wfnodeeval_1',
    lifecycle: { status: 'completed' },
    timing: { duration_ms: 420 },
    verdict: 'failed',
    workflow_id: 'wf_a',
    block_id: 'blk_1',
    block_type: 'extract',
    assertion_result: { condition_kind: 'equals', outcome: 'failed', actual_value: { total: 12435 }, expected_value: 1243.5 },
    ...overrides,
  };
}

describe('workflow evals', () => {
  describe('reading the wire', () => {
    it('reads an eval, its assertion, drift, freshness and last verdict', () => {
      const item = parseEval(wireEval());
      assert.equal(item.blockId, 'blk_1');
      assert.equal(item.assertion?.conditionKind, 'equals');
      assert.equal(item.latestRun?.outcome, 'failed');
      assert.deepEqual(evalTags(item), ['drifted', 'stale']);
      assert.equal(evalLabel(item), 'output-json-0 · invoice.total equals 1243.5');
      assert.equal(evalLabel(parseEval(wireEval({ name: 'Total \u202Eevil' }))), 'Total ⟨U+202E⟩evil');
    });

    it('names the field that is wrong, and refuses a condition nested without end', () => {
      assert.throws(
        () => parseEval(wireEval({ target: { type: 'block' } })),
        (error: RetabError) => error.field === 'response.target.block_id',
      );
      let condition: Record<string, unknown> = { kind: 'exists' };
      for (let depth = 0; depth < 100_000; depth++) {
        condition = { kind: 'all_items_match', condition };
      }
      const assertion = { target: { output_handle_id: 'output-json-0' }, condition };
      assert.throws(() => parseEval(wireEval({ assertion })), /nested deeper than 32/);
    });

    it('reads runs and results, unknown statuses kept as unknown', () => {
      const run = parseEvalRun({
        id: 'wfevalrun_1',
        workflow_id: 'wf_a',
        lifecycle: { status: 'error', message: 'Block eval not found' },
        total_evals: 3,
        counts: { lifecycle_counts: { completed: 2, error: 1 }, outcome: { passed: 1, failed: 1 } },
      });
      assert.equal(run.status, 'error');
      assert.equal(run.message, 'Block eval not found');
      assert.deepEqual(run.counts, { passed: 1, failed: 1, blocked: 0, running: 0, completed: 2, error: 1, cancelled: 0 });
      assert.equal(parseEvalRun({ id: 'wfevalrun_2', workflow_id: 'wf_a', lifecycle: { status: 'awaiting_review' } }).status, 'unknown');
    });
  });

  describe('what a result shows', () => {
    it('passed with its duration; failed with expected and actual pretty-printed; blocked as errored with its code', () => {
      assert.deepEqual(resultState(parseEvalResult(wireResult({ verdict: 'passed' }))), { state: 'passed', durationMs: 420 });
      const failed = resultState(parseEvalResult(wireResult()));
      assert.ok(failed.state === 'failed');
      assert.equal(failed.expected, '1243.5');
      assert.equal(failed.actual, '{\n  "total": 12435\n}');
      const blocked = resultState(
        parseEvalResult(
          wireResult({ verdict: 'blocked', assertion_result: { outcome: 'blocked', failure: { code: 'type_error', message: 'Cannot compare' } } }),
        ),
      );
      assert.deepEqual(blocked, { state: 'errored', durationMs: 420, message: 'Blocked: type_error: Cannot compare' });
      assert.equal(resultState(parseEvalResult(wireResult({ lifecycle: { status: 'error', message: 'timeout' }, verdict: null }))).state, 'errored');
      assert.equal(resultState(parseEvalResult(wireResult({ lifecycle: { status: 'cancelled' }, verdict: null }))).state, 'skipped');
      assert.equal(resultState(parseEvalResult(wireResult({ lifecycle: { status: 'running' }, verdict: null }))).state, 'running');
    });

    it('cuts a 300 KB value at the cap and says so', () => {
      const cut = valueForDiff('x'.repeat(300 * 1024));
      assert.ok(cut.cut);
      assert.ok(cut.text.length < MAX_VALUE_SHOWN + 100);
      assert.match(cut.text, /cut: 307,200 characters in all/);
    });
  });

  describe('which server runs cover a selection', () => {
    const index = {
      evalsOf: (workflowId: string) =>
        workflowId === 'wf_a'
          ? [
              { id: 'e1', blockId: 'b1' },
              { id: 'e2', blockId: 'b1' },
              { id: 'e3', blockId: 'b2' },
            ]
          : [],
    };

    it('a workflow: one workflow-scope run', () => {
      assert.deepEqual(
        planRuns([{ workflowId: 'wf_a' }], index).map((run) => run.scope),
        [{ type: 'workflow' }],
      );
    });

    it('one eval: a single-scope run; evals of one block: a block-scope run', () => {
      assert.deepEqual(planRuns([{ workflowId: 'wf_a', evalId: 'e3' }], index)[0].scope, { type: 'single', evalId: 'e3' });
      const block = planRuns(
        [
          { workflowId: 'wf_a', blockId: 'b1', evalId: 'e1' },
          { workflowId: 'wf_a', blockId: 'b1', evalId: 'e2' },
        ],
        index,
      );
      assert.deepEqual(
        block.map((run) => run.scope),
        [{ type: 'block', blockId: 'b1' }],
      );
      assert.deepEqual([...block[0].evalIds], ['e1', 'e2']);
    });

    it('across two blocks: one block run each, reporting only what was chosen', () => {
      const runs = planRuns(
        [
          { workflowId: 'wf_a', blockId: 'b1' },
          { workflowId: 'wf_a', evalId: 'e3' },
        ],
        index,
      );
      assert.deepEqual(
        runs.map((run) => run.scope),
        [
          { type: 'block', blockId: 'b1' },
          { type: 'single', evalId: 'e3' },
        ],
      );
    });
  });
});
