import * as assert from 'node:assert/strict';
import {
  COPY_FIELDS,
  HOST_MESSAGE_TYPES,
  PANEL_ACTIONS,
  PANEL_VIEWS,
  VALUE_SOURCES,
  WEBVIEW_MESSAGE_TYPES,
  parseHostMessage,
  parseWebviewMessage,
} from '../../src/protocol/jobPanel';

const REF = { workflowId: 'wf_a', experimentId: 'exp_b', runId: 'exprun_c', documentId: 'expdoc_d' };

/** Not objects, or objects of no message type: refused by both parsers. */
const NOT_MESSAGES: unknown[] = [
  undefined,
  null,
  'ready',
  42,
  [],
  [{ type: 'ready', renderId: 1 }],
  {},
  { type: 'constructor' },
  { type: '__proto__' },
  { type: 'READY', renderId: 1 },
];

describe('job panel protocol', () => {
  describe('webview → host', () => {
    it('accepts every union member', () => {
      const samples = [
        { type: 'ready', renderId: 0 },
        { type: 'rendered', renderId: 7 },
        ...COPY_FIELDS.map((field) => ({ type: 'copy', field })),
        ...PANEL_ACTIONS.map((action) => ({ type: 'action', action })),
        { type: 'fields', open: true },
        { type: 'fields', open: false },
        { type: 'chooseField', field: 3 },
        { type: 'openValue', value: { source: 'rowConsensus', field: 1, row: 0 } },
        { type: 'openValue', value: { source: 'vote', field: 1, row: 2, voter: 4 } },
        { type: 'document', open: true },
        { type: 'documentDrawn', fileKey: 'file_abc', page: 1, ms: 42, memoryBytes: 12_000_000 },
        { type: 'documentDrawn', fileKey: 'file_abc', page: 2, ms: 3, memoryBytes: null },
      ];
      for (const sample of samples) {
        assert.deepEqual(parseWebviewMessage(sample), sample, JSON.stringify(sample));
      }
      // Every type and value source has a sample.
      assert.deepEqual(new Set(samples.map((sample) => sample.type)), new Set(WEBVIEW_MESSAGE_TYPES));
      assert.deepEqual(new Set(VALUE_SOURCES), new Set(['rowConsensus', 'vote']));
    });

    it('keeps only what it knows from a message', () => {
      assert.deepEqual(parseWebviewMessage({ type: 'copy', field: 'jobId', value: 'sk_live' }), { type: 'copy', field: 'jobId' });
      assert.deepEqual(parseWebviewMessage({ type: 'openValue', value: { source: 'vote', field: 0, row: 0, voter: 1, path: '../x' } }), {
        type: 'openValue',
        value: { source: 'vote', field: 0, row: 0, voter: 1 },
      });
    });

    it('rejects anything else', () => {
      const rejected: unknown[] = [
        ...NOT_MESSAGES,
        { type: 'ready' },
        { type: 'ready', renderId: -1 },
        { type: 'rendered', renderId: '1' },
        { type: 'rendered', renderId: 1.5 },
        { type: 'copy', field: 'apiKey' },
        { type: 'copy', field: 'toString' },
        { type: 'action', action: 'workbench.action.terminal.new' },
        { type: 'action', action: 'hasOwnProperty' },
        { type: 'action' },
        { type: 'fields', open: 'true' },
        { type: 'fields' },
        { type: 'chooseField', field: -1 },
        { type: 'chooseField', field: 'invoice.total' },
        { type: 'chooseField', field: 1e12 },
        { type: 'chooseField', field: Number.NaN },
        { type: 'openValue', value: { source: 'field', field: 0, row: 0 } },
        { type: 'openValue', value: { source: 'vote', field: 0, row: 0 } },
        { type: 'openValue', value: { source: 'rowConsensus', field: 0, row: 0, voter: 1 } },
        { type: 'openValue', value: { source: 'rowConsensus', field: 0 } },
        { type: 'openValue', value: { source: 'vote', field: 0, row: -1, voter: 0 } },
        { type: 'openValue', value: null },
        { type: 'openValue' },
        { type: 'show', renderId: 1, html: '', ref: REF, view: 'job' },
        { type: 'document', open: 1 },
        { type: 'documentDrawn', fileKey: '../etc/passwd', page: 1, ms: 1, memoryBytes: null },
        { type: 'documentDrawn', fileKey: 'file_a', page: 1, ms: 1, memoryBytes: -1 },
        { type: 'documentDrawn', fileKey: 'file_a', page: -1, ms: 1 },
        { type: 'documentDrawn', fileKey: 'file_a', page: 1, ms: Number.POSITIVE_INFINITY },
      ];
      for (const value of rejected) {
        assert.equal(parseWebviewMessage(value), undefined, JSON.stringify(value));
      }
    });
  });

  describe('host → webview', () => {
    it('accepts every union member', () => {
      const samples = [
        ...PANEL_VIEWS.map((view) => ({ type: 'show', renderId: 3, html: '<p>x</p>', ref: REF, view })),
        { type: 'fields', renderId: 4, html: '<summary>Fields</summary>', ref: REF },
        { type: 'document', renderId: 5, html: '<summary>Document</summary>', ref: REF },
        { type: 'documentFile', ref: REF, fileKey: 'file_abc', display: 'pdf', bytes: new Uint8Array([37, 80, 68, 70]) },
        { type: 'highlight', ref: REF, fileKey: 'file_abc', box: { page: 2, left: 0.1, top: 0.2, width: 0.3, height: 0.04 } },
        { type: 'highlight', ref: REF, fileKey: 'file_abc', box: null },
      ];
      for (const sample of samples) {
        assert.deepEqual(parseHostMessage(sample), sample, JSON.stringify(sample));
      }
      assert.deepEqual(new Set(samples.map((sample) => sample.type)), new Set(HOST_MESSAGE_TYPES));
    });

    it('keeps only the four ids of the job', () => {
      const parsed = parseHostMessage({ type: 'fields', renderId: 1, html: '', ref: { ...REF, apiKey: 'sk' }, extra: 1 });
      assert.deepEqual(parsed, { type: 'fields', renderId: 1, html: '', ref: REF });
    });

    it('rejects anything else', () => {
      const rejected: unknown[] = [
        ...NOT_MESSAGES,
        { type: 'show', renderId: 1, html: '', ref: REF },
        { type: 'show', renderId: 1, html: '', ref: REF, view: 'fields' },
        { type: 'show', renderId: '1', html: '', ref: REF, view: 'job' },
        { type: 'show', renderId: 1, html: 42, ref: REF, view: 'job' },
        { type: 'show', renderId: 1, html: '', ref: { ...REF, runId: '../x' }, view: 'job' },
        { type: 'show', renderId: 1, html: '', view: 'job' },
        { type: 'fields', renderId: 1, html: '' },
        { type: 'fields', renderId: -2, html: '', ref: REF },
        { type: 'ready', renderId: 1 },
        { type: 'rendered', renderId: 1, html: '', ref: REF },
        // Bytes only as bytes, of a kind the page draws; boxes inside the page, on a page.
        { type: 'documentFile', ref: REF, fileKey: 'file_abc', display: 'pdf', bytes: 'JVBERi0=' },
        { type: 'documentFile', ref: REF, fileKey: 'file_abc', display: 'html', bytes: new Uint8Array(1) },
        { type: 'documentFile', ref: REF, fileKey: 'file abc', display: 'pdf', bytes: new Uint8Array(1) },
        { type: 'highlight', ref: REF, fileKey: 'file_abc', box: { page: 0, left: 0, top: 0, width: 0.1, height: 0.1 } },
        { type: 'highlight', ref: REF, fileKey: 'file_abc', box: { page: 1, left: 1.5, top: 0, width: 0.1, height: 0.1 } },
        { type: 'highlight', ref: REF, fileKey: 'file_abc' },
      ];
      for (const value of rejected) {
        assert.equal(parseHostMessage(value), undefined, JSON.stringify(value));
      }
    });
  });
});
