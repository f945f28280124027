import * as assert from 'node:assert/strict';
import { FIELD_BY_KIND, ID_PREFIXES, IdKind, assertSafeId, contextsOf, findIds, idAt, isSafeId, nearestIds, parseJobRefText } from '../../src/api/ids';
import { normaliseError } from '../../src/analysis/failureGroups';

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

describe('ids of every generation', () => {
  it('finds every prefix of ID_PREFIXES, the only list of them, in text, hovers and folds', () => {
    for (const [kind, prefix] of Object.entries(ID_PREFIXES) as [IdKind, string][]) {
      const id = `${prefix}_Ab1-x_9`;
      assert.deepEqual(findIds(`see ${id}.`), [{ kind, id, start: 4, end: 4 + id.length }], prefix);
      assert.equal(idAt(`see ${id}.`, 6)?.id, id);
      assert.equal(normaliseError(`failed for ${id}`), 'failed for <id>');
    }
  });

  it('reads the flat generation: expresult ids stand for jobs, experiment_run_id names the run', () => {
    assert.deepEqual(findIds('expresult_9f2'), [{ kind: 'result', id: 'expresult_9f2', start: 0, end: 13 }]);
    const json = JSON.stringify({ id: 'expresult_9f2', experiment_run_id: 'exprun_7', experiment_id: 'exp_b', document_id: 'expdoc_d' });
    assert.deepEqual(parseJobRefText(json), { runId: 'exprun_7', experimentId: 'exp_b', documentId: 'expdoc_d', jobId: 'expresult_9f2' });
    const link = 'https://app.example/workflows/wf_a?experiment_id=exp_b&experiment_run_id=exprun_7&document_id=expdoc_d';
    assert.deepEqual(parseJobRefText(link), { workflowId: 'wf_a', experimentId: 'exp_b', runId: 'exprun_7', documentId: 'expdoc_d' });
    assert.equal(nearestIds('expresult_1 expdoc_d', 0).jobId, 'expresult_1');
    assert.equal(FIELD_BY_KIND.result, 'jobId');
  });

  it('finds only ids that pass isSafeId, and nothing in tokens longer than an id', () => {
    const long = `expdoc_${'a'.repeat(300)}`;
    assert.deepEqual(findIds(`x ${long} y`), []);
    for (const found of findIds(`wf_a exp_${'b'.repeat(193)} expdoc_c-- exprun_d__`)) {
      assert.ok(isSafeId(found.id), found.id);
    }
    assert.deepEqual(
      findIds('expdoc_c-- exprun_d__').map((found) => found.id),
      ['expdoc_c', 'exprun_d'],
    );
  });

  it('reads the id under the cursor from a window, refusing what the window cuts', () => {
    const line = `${'x'.repeat(1000)} expdoc_abc ${'y'.repeat(1000)}`;
    const at = line.indexOf('expdoc_abc');
    assert.deepEqual(idAt(line, at + 3), { kind: 'document', id: 'expdoc_abc', start: at, end: at + 10 });
    assert.equal(idAt(line, at - 2), undefined);
    // A 5 MB token of id characters is not an id, wherever the cursor stands in it.
    const token = `expdoc_${'a'.repeat(5_000_000)}`;
    for (const offset of [3, 250, 2_500_000, token.length - 1]) {
      assert.equal(idAt(token, offset), undefined, String(offset));
    }
  });

  it('ignores ids cut at the edges of a window', () => {
    // `exprun_1` may be the tail of `xexprun_1`, `exprun_2-` the head of `exprun_2-9`.
    assert.deepEqual(nearestIds('exprun_1 expdoc_d exprun_2-', 10, { cutStart: true, cutEnd: true }), { documentId: 'expdoc_d' });
    assert.deepEqual(nearestIds('exprun_1 expdoc_d exprun_2-', 10), { runId: 'exprun_1', documentId: 'expdoc_d' });
    assert.deepEqual(
      findIds('wf_9 expdoc_d exprun_ab', { cutStart: true, cutEnd: true }).map((found) => found.id),
      ['expdoc_d'],
    );
    assert.deepEqual(
      findIds('expdoc_ab expdoc_cd', { cutStart: true }).map((found) => found.id),
      ['expdoc_cd'],
    );
  });

  it('gives every id the context nearestIds gives it, in two passes', () => {
    const text =
      '{"run_id": "exprun_old", "document_id": "expdoc_far", "experiment_id": "exp_1"}\n' +
      '{"run_id": "exprun_new", "document_id": "expdoc_near", "id": "expjob_2"}\n wf_z ' +
      ' '.repeat(3000) +
      ' expdoc_alone exprun_x';
    const found = findIds(text);
    const contextAt = contextsOf(found, 2000);
    found.forEach((current, index) => {
      const window = text.slice(Math.max(0, current.start - 2000), current.end + 2000);
      const expected = { ...nearestIds(window, Math.min(current.start, 2000)), [FIELD_BY_KIND[current.kind]]: current.id };
      assert.deepEqual(contextAt(index), expected, current.id);
    });
  });

  it('reads only own keys: constructor, __proto__ and toString are not ids', () => {
    const ref = parseJobRefText('constructor: exprun_1 __proto__=exp_2 toString: wf_3 hasOwnProperty=expdoc_4');
    assert.deepEqual(Object.keys(ref).sort(), ['documentId', 'experimentId', 'runId', 'workflowId']);
    assert.equal(Object.getPrototypeOf(ref), Object.prototype);
    assert.deepEqual(findIds('constructor_1 __proto___2 toString_3'), []);
  });
});
