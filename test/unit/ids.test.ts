import * as assert from 'node:assert/strict';
import { assertSafeId, findIds, nearestIds, parseJobRefText } from '../../src/api/ids';

describe('ids', () => {
  it('finds every kind of id in free text', () => {
    const found = findIds('wf_abc123 then exp_abc, exprun_1; expdoc_xyz/expjob_1.');
    assert.deepEqual(
      found.map((id) => [id.kind, id.id]),
      [
        ['workflow', 'wf_abc123'],
        ['experiment', 'exp_abc'],
        ['run', 'exprun_1'],
        ['document', 'expdoc_xyz'],
        ['job', 'expjob_1'],
      ],
    );
  });

  it('does not match ids inside longer words', () => {
    assert.deepEqual(findIds('myexp_1 prewf_2 exp_'), []);
  });

  it('reads the four ids in any order and with any separators', () => {
    const ref = parseJobRefText('expdoc_xyz | exprun_1\nexp_abc,wf_abc123');
    assert.deepEqual(ref, { workflowId: 'wf_abc123', experimentId: 'exp_abc', runId: 'exprun_1', documentId: 'expdoc_xyz' });
  });

  it('reads a job JSON by its named fields', () => {
    const json = JSON.stringify({
      id: 'expjob_1',
      run_id: 'exprun_1',
      experiment_id: 'exp_abc',
      document_id: 'expdoc_xyz',
      parent_run_id: 'exprun_0',
    });
    const ref = parseJobRefText(json);
    assert.equal(ref.runId, 'exprun_1');
    assert.equal(ref.jobId, 'expjob_1');
    assert.equal(ref.workflowId, undefined);
  });

  it('reads a deep link', () => {
    const ref = parseJobRefText('vscode://retab-labs.retab-experiments/job?workflow=wf_a&experiment=exp_b&run=exprun_c&document=expdoc_d');
    assert.deepEqual(ref, { workflowId: 'wf_a', experimentId: 'exp_b', runId: 'exprun_c', documentId: 'expdoc_d' });
  });

  it('picks the ids nearest to the cursor', () => {
    const text = '{"run_id": "exprun_old", "document_id": "expdoc_far"}\n\n{"run_id": "exprun_new", "document_id": "expdoc_near"}';
    const ref = nearestIds(text, text.indexOf('expdoc_near'));
    assert.equal(ref.runId, 'exprun_new');
    assert.equal(ref.documentId, 'expdoc_near');
  });

  it('rejects path-changing ids', () => {
    for (const bad of ['../x', 'a/b', 'a?b', 'a#b', 'a b', 'a\tb', '', '.hidden']) {
      assert.throws(() => assertSafeId(bad, 'Run id'), /not a valid Retab id/, bad);
    }
    assert.equal(assertSafeId('exprun_1-a', 'Run id'), 'exprun_1-a');
  });
});
