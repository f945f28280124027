import * as assert from 'node:assert/strict';
import { parseJob } from './support/g1Wire';
import { minimalNestedJob, nestedFileInputs } from './support/wireBuilders';
import { escapeHtml } from '../../src/ui/shared/html';
import { renderPanelBody } from '../../src/ui/panel/jobView';
import { parseWebviewMessage } from '../../src/protocol/jobPanel';
import { renderShell } from '../../src/ui/panel/shell';

const REF = { workflowId: 'wf_a', experimentId: 'exp_b', runId: 'exprun_c', documentId: 'expdoc_d' };
const HOSTILE = '<img src=x onerror="alert(1)"><script>alert(2)</script>';

function hostileJob() {
  return parseJob({
    id: 'expjob_1',
    run_id: 'exprun_c',
    experiment_id: 'exp_b',
    document_id: 'expdoc_d',
    status: 'error',
    block_kind: 'extract',
    handle_inputs: { [`input-${HOSTILE}`]: { type: HOSTILE, filename: `${HOSTILE}.pdf` }, other: 'x"><b>' },
    // Ids are validated when parsed (a hostile one fails the response); the operation is free text.
    artifact: { operation: HOSTILE, id: 'ext_1' },
    error: `Traceback:\n${HOSTILE}\n  at line 3`,
  });
}

describe('job panel HTML', () => {
  it('escapes every server string', () => {
    const body = renderPanelBody({ kind: 'job', ref: REF, job: hostileJob(), context: { experimentName: HOSTILE }, fetchedAt: 0 });
    assert.ok(!body.includes('<script>'), 'no raw script tag');
    assert.ok(!body.includes('<img'), 'no raw img tag');
    assert.ok(!/<[^>]*\sonerror=/i.test(body), 'no tag carries an event handler');
    assert.ok(body.includes(escapeHtml(HOSTILE)));
    assert.ok(!body.includes('"><b>'));
  });

  it('shows the fields users need', () => {
    const job = parseJob(
      minimalNestedJob({
        id: 'expjob_1',
        block_kind: 'extract',
        handle_inputs: nestedFileInputs('invoice_q1.pdf'),
        artifact: { operation: 'extraction', id: 'ext_xyz' },
        duration_ms: 4120,
        attempt: 2,
      }),
    );
    const body = renderPanelBody({ kind: 'job', ref: REF, job, context: {}, fetchedAt: 0 });
    for (const expected of [
      'invoice_q1.pdf',
      'input-document-0',
      'extraction',
      'ext_xyz',
      '4.1 s',
      'wf_a',
      'exp_b',
      'exprun_c',
      'expdoc_d',
      'expjob_1',
      'Raw JSON',
      'data-action="refresh"',
    ]) {
      assert.ok(body.includes(expected), expected);
    }
  });

  it('gives the document’s score and its change in the run, when the run’s scores are known', () => {
    const job = parseJob(minimalNestedJob({ id: 'expjob_1', block_kind: 'extract' }));
    const scored = renderPanelBody({ kind: 'job', ref: REF, job, context: { runLabel: 'Run 6', score: { score: 0.981, priorScore: 0.893 } }, fetchedAt: 0 });
    assert.match(scored, /Run 6 · <span class="doc-score">score <strong>98\.1%<\/strong> <span class="delta">\(▲ 8\.8 since the prior run\)<\/span><\/span>/);
    const first = renderPanelBody({ kind: 'job', ref: REF, job, context: { score: { score: 0.5, priorScore: null } }, fetchedAt: 0 });
    assert.match(first, /score <strong>50\.0%<\/strong><\/span>/, 'no change without a prior run');
    assert.ok(!renderPanelBody({ kind: 'job', ref: REF, job, context: {}, fetchedAt: 0 }).includes('doc-score'), 'nothing when unknown');
  });

  it('escapes error states and offers the fixing action', () => {
    const body = renderPanelBody({ kind: 'error', ref: REF, error: { kind: 'auth', message: HOSTILE, status: 401, requestId: 'req_<1>' } });
    assert.ok(!body.includes('<script>'));
    assert.ok(body.includes('data-action="setApiKey"'));
    assert.ok(body.includes('req_&lt;1&gt;'));
  });

  it('builds a shell with a strict CSP and a nonce on the only script', () => {
    const shell = renderShell(
      {
        cspSource: 'https://webview.test',
        nonce: 'abc123',
        scriptUri: 'https://webview.test/p.js',
        styleUri: 'https://webview.test/p.css',
        pdfScriptUri: 'https://webview.test/pdf.js',
        pdfWorkerUri: 'https://webview.test/pdf.worker.mjs',
      },
      undefined,
    );
    const csp = (/http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(shell)?.[1] ?? '').replace(/&#39;/g, "'");
    assert.match(csp, /^default-src 'none';/);
    assert.match(csp, /script-src 'nonce-abc123'(;|$)/);
    assert.ok(!/unsafe-inline|unsafe-eval|\*/.test(csp));
    // The Document section: pdf.js's worker from a blob of the extension's own script, images from blobs, nothing else.
    assert.match(csp, /worker-src blob:(;|$)/);
    assert.match(csp, /connect-src https:\/\/webview\.test(;|$)/);
    assert.equal((shell.match(/<script/g) ?? []).length, 1);
    assert.match(shell, /<script nonce="abc123" src="https:\/\/webview.test\/p.js"><\/script>/);
    assert.ok(!/ on[a-z]+=/.test(shell), 'no inline handlers');
  });

  it('accepts only known webview messages', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'copy', field: 'jobId' }), { type: 'copy', field: 'jobId' });
    assert.deepEqual(parseWebviewMessage({ type: 'action', action: 'refresh' }), { type: 'action', action: 'refresh' });
    assert.equal(parseWebviewMessage({ type: 'copy', field: 'apiKey' }), undefined);
    assert.equal(parseWebviewMessage({ type: 'action', action: 'workbench.action.terminal.new' }), undefined);
    assert.equal(parseWebviewMessage({ type: 'rendered', renderId: '1' }), undefined);
    assert.equal(parseWebviewMessage('refresh'), undefined);
    assert.equal(parseWebviewMessage(null), undefined);
  });
});

describe('job panel error callout', () => {
  it('shows the first 64 KB of a long error and offers the whole text', () => {
    const error = `Traceback ${'x'.repeat(200 * 1024)} END_OF_ERROR`;
    const job = parseJob({ id: 'expjob_1', run_id: 'exprun_c', experiment_id: 'exp_b', document_id: 'expdoc_d', status: 'error', error });
    const body = renderPanelBody({ kind: 'job', ref: REF, job, context: {}, fetchedAt: 0 });
    const callout = body.slice(body.indexOf('class="callout error"'), body.indexOf('</section>', body.indexOf('class="callout error"')));
    assert.ok(!callout.includes('END_OF_ERROR'), 'the tail is not in the callout');
    assert.ok(callout.length < 70 * 1024, `${callout.length} characters`);
    assert.ok(callout.includes('data-action="openFullError"'));
  });
});
