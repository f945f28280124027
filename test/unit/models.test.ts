import * as assert from 'node:assert/strict';
import { RetabError } from '../../src/api/errors';
import { documentLabel } from '../../src/api/models';
import { parseExperimentList, parseRunContent, parseRunList, parseRunMetrics } from './support/g1Wire';
import { minimalNestedExperiment, minimalNestedJob, minimalNestedRun, nestedContent, nestedRunList } from './support/wireBuilders';

function fieldOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (caught) {
    assert.ok(caught instanceof RetabError);
    assert.equal(caught.kind, 'invalid_response');
    return caught.field;
  }
  assert.fail('expected a parse error');
}

describe('model parsers', () => {
  it('keeps unknown statuses instead of failing a whole list', () => {
    const runs = parseRunList(nestedRunList([minimalNestedRun({ status: 'archived' })]));
    assert.equal(runs[0].status, 'unknown');
  });

  it('reports the path of a wrong field deep in a list', () => {
    const job = minimalNestedJob();
    const content = nestedContent([job, { ...job, handle_inputs: 'oops' }]);
    assert.equal(
      fieldOf(() => parseRunContent(content)),
      'response.content.jobs[1].handle_inputs',
    );
  });

  it('reads experiments as a bare array (G1) or a page (G1p), and nothing else', () => {
    assert.deepEqual(parseExperimentList({ data: [] }), []);
    assert.deepEqual(parseExperimentList({}), [], 'an absent list is empty');
    assert.equal(
      fieldOf(() => parseExperimentList('experiments')),
      'response',
    );
    assert.equal(
      fieldOf(() => parseExperimentList({ data: 'x' })),
      'response.data',
    );
  });

  it('refuses an id that could change a URL path, naming the field', () => {
    assert.equal(
      fieldOf(() => parseExperimentList([minimalNestedExperiment({ id: '../exp' })])),
      'response[0].id',
    );
  });

  it('labels a document by its file name, else its id', () => {
    const base = { documentId: 'expdoc_1' };
    assert.equal(documentLabel({ ...base, handleInputs: [] }), 'expdoc_1');
    assert.equal(
      documentLabel({ ...base, handleInputs: [{ handle: 'h', type: 'file', filename: 'facture_été.pdf', fileId: null, mimeType: null, value: {} }] }),
      'facture_été.pdf',
    );
  });

  it('tells missing metrics apart from a summary', () => {
    assert.deepEqual(parseRunMetrics({ error: 'no_metrics', message: 'Run has no metrics yet' }), {
      kind: 'unavailable',
      reason: 'no_metrics',
      message: 'Run has no metrics yet',
    });
    const summary = parseRunMetrics({ run_id: 'exprun_1', score: 0.9, documents: [{ id: 'expdoc_1', score: 0.8, prior_score: 0.7 }] });
    assert.equal(summary.kind, 'summary');
  });
});
