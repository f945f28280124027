import * as assert from 'node:assert/strict';
import { parseSavedPanelState } from '../../src/protocol/jobPanel';

const REF = { workflowId: 'wf_a', experimentId: 'exp_b', runId: 'exprun_c', documentId: 'expdoc_d' };

/**
 * What VS Code hands back after a window reload is whatever the webview saved: read like any
 * other input from the webview, and only ids and view state are taken from it.
 */
describe('job panel state saved across reloads', () => {
  it('takes back the job’s ids and the view state', () => {
    assert.deepEqual(parseSavedPanelState({ version: 1, ref: REF, rawOpen: true, fieldsOpen: true, documentOpen: true, scrollY: 640 }), {
      version: 1,
      ref: REF,
      rawOpen: true,
      fieldsOpen: true,
      documentOpen: true,
      scrollY: 640,
    });
    // Saved before the Fields and Document sections existed: closed.
    assert.deepEqual(parseSavedPanelState({ version: 1, ref: REF, rawOpen: true, scrollY: 640 }), {
      version: 1,
      ref: REF,
      rawOpen: true,
      fieldsOpen: false,
      documentOpen: false,
      scrollY: 640,
    });
  });

  it('keeps nothing but the four ids and the view state', () => {
    const saved = parseSavedPanelState({
      version: 1,
      ref: { ...REF, jobId: 'expjob_1', raw: { error: 'server text' } },
      rawOpen: false,
      scrollY: 0,
      job: { status: 'error', error: 'Traceback…' },
      html: '<h1>job</h1>',
    });
    assert.deepEqual(saved, { version: 1, ref: REF, rawOpen: false, fieldsOpen: false, documentOpen: false, scrollY: 0 });
    assert.deepEqual(Object.keys(saved?.ref ?? {}).sort(), ['documentId', 'experimentId', 'runId', 'workflowId']);
  });

  it('refuses ids that could change a request path', () => {
    for (const documentId of ['../../keys', 'expdoc_d/../x', 'expdoc d', 'expdoc_%2F', '', 'x'.repeat(201)]) {
      assert.equal(parseSavedPanelState({ version: 1, ref: { ...REF, documentId }, rawOpen: false, scrollY: 0 }), undefined, documentId);
    }
    assert.equal(parseSavedPanelState({ version: 1, ref: { ...REF, runId: 42 }, rawOpen: false, scrollY: 0 }), undefined);
  });

  it('refuses other shapes and versions', () => {
    for (const value of [
      undefined,
      null,
      'wf_a',
      [REF],
      {},
      { ref: REF, rawOpen: false, scrollY: 0 },
      { version: 2, ref: REF, rawOpen: false, scrollY: 0 },
      { version: 1, ref: REF, rawOpen: 'yes', scrollY: 0 },
      { version: 1, ref: REF, rawOpen: false, fieldsOpen: 'yes', scrollY: 0 },
      { version: 1, ref: REF, rawOpen: false, documentOpen: 1, scrollY: 0 },
      { version: 1, rawOpen: false, scrollY: 0 },
    ]) {
      assert.equal(parseSavedPanelState(value), undefined, JSON.stringify(value));
    }
  });

  it('reads a scroll position that is not one as the top, and bounds it', () => {
    for (const scrollY of [Number.NaN, Number.POSITIVE_INFINITY, '100', null]) {
      assert.equal(parseSavedPanelState({ version: 1, ref: REF, rawOpen: false, scrollY })?.scrollY, 0, String(scrollY));
    }
    assert.equal(parseSavedPanelState({ version: 1, ref: REF, rawOpen: false, scrollY: -50 })?.scrollY, 0);
    assert.equal(parseSavedPanelState({ version: 1, ref: REF, rawOpen: false, scrollY: 1e12 })?.scrollY, 10_000_000);
    assert.equal(parseSavedPanelState({ version: 1, ref: REF, rawOpen: false, scrollY: 12.6 })?.scrollY, 13);
  });
});
