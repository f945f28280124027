import * as assert from 'node:assert/strict';
import { JOB_STATUSES } from '../../src/api/models';
import { RetabErrorKind } from '../../src/api/errors';
import { PanelState, renderPanelBody } from '../../src/ui/panel/jobView';
import { renderShell } from '../../src/ui/panel/shell';
import { parseJob } from './support/g1Wire';

const REF = { workflowId: 'wf_a', experimentId: 'exp_b', runId: 'exprun_c', documentId: 'expdoc_d' };

interface Tag {
  name: string;
  attrs: Map<string, string>;
  /** Where the tag ends in the HTML, to read what follows it. */
  end: number;
}

/** Start tags of the panel's own markup (server text in it is escaped, so no `<` of its own). */
function tags(markup: string): Tag[] {
  const found: Tag[] = [];
  for (const match of markup.matchAll(/<([a-z][a-z0-9]*)((?:\s+[a-z-]+(?:="[^"]*")?)*)\s*>/g)) {
    const attrs = new Map<string, string>();
    for (const attr of (match[2] ?? '').matchAll(/([a-z-]+)(?:="([^"]*)")?/g)) {
      attrs.set(attr[1], attr[2] ?? '');
    }
    found.push({ name: match[1], attrs, end: (match.index ?? 0) + match[0].length });
  }
  return found;
}

/** The text inside an element: what a screen reader reads when there is no aria-label. */
function textOf(markup: string, tag: Tag): string {
  const close = markup.indexOf(`</${tag.name}>`, tag.end);
  return markup
    .slice(tag.end, close)
    .replace(/<[^>]*>/g, '')
    .replace(/&[a-z#0-9]+;/g, 'x')
    .trim();
}

function byId(markup: string, id: string): Tag | undefined {
  return tags(markup).find((tag) => tag.attrs.get('id') === id);
}

function jobState(status: string, error?: string): PanelState {
  const job = parseJob({
    id: 'expjob_1',
    run_id: 'exprun_c',
    experiment_id: 'exp_b',
    document_id: 'expdoc_d',
    status,
    block_kind: 'extract',
    handle_inputs: { 'input-document-0': { type: 'file', filename: 'invoice_q1.pdf' } },
    artifact: { operation: 'extraction', id: 'ext_xyz' },
    error: error ?? null,
  });
  return { kind: 'job', ref: REF, job, context: {}, fetchedAt: 0 };
}

const ERROR_KINDS: RetabErrorKind[] = ['auth', 'key_origin', 'no_key', 'not_found', 'network', 'timeout', 'insecure_url', 'internal', 'invalid_id', 'server'];

/** Every state the panel can show, so each check below covers all of them. */
function everyState(): Array<[string, PanelState]> {
  return [
    ['loading', { kind: 'loading', ref: REF, label: 'invoice_q1.pdf' }],
    ...JOB_STATUSES.map((status): [string, PanelState] => [`job ${status}`, jobState(status)]),
    ['job with an error', jobState('error', 'Traceback (most recent call last):\n  boom')],
    ['job with a long error', jobState('error', 'x'.repeat(70 * 1024))],
    ...ERROR_KINDS.map((kind): [string, PanelState] => [`error ${kind}`, { kind: 'error', ref: REF, error: { kind, message: 'It failed.', status: 500 } }]),
  ];
}

describe('job panel accessibility (rendered HTML)', () => {
  it('names the status in a status badge', () => {
    for (const status of JOB_STATUSES) {
      const body = renderPanelBody(jobState(status));
      const badge = tags(body).find((tag) => (tag.attrs.get('class') ?? '').split(' ').includes('badge'));
      assert.ok(badge, status);
      assert.equal(badge.attrs.get('role'), 'status', `${status}: the badge is a status`);
      assert.equal(badge.attrs.get('aria-label'), `Job status: ${status}`);
    }
  });

  it('labels every section by a heading inside it', () => {
    for (const [name, state] of everyState()) {
      const body = renderPanelBody(state);
      const sections = tags(body).filter((tag) => tag.name === 'section');
      assert.ok(sections.length > 0, name);
      for (const section of sections) {
        const labelledBy = section.attrs.get('aria-labelledby');
        assert.ok(labelledBy, `${name}: a section without aria-labelledby (${[...section.attrs].join(' ')})`);
        const label = byId(body, labelledBy);
        assert.ok(label, `${name}: #${labelledBy} exists`);
        assert.ok(label.end > section.end, `${name}: #${labelledBy} is inside its section`);
        assert.ok(textOf(body, label).length > 0, `${name}: #${labelledBy} has text`);
      }
    }
  });

  it('gives every button a name of its own, and copy buttons say what they copy', () => {
    for (const [name, state] of everyState()) {
      const body = renderPanelBody(state);
      const names = tags(body)
        .filter((tag) => tag.name === 'button')
        .map((tag) => tag.attrs.get('aria-label') ?? textOf(body, tag));
      for (const label of names) {
        assert.ok(label.length > 1, `${name}: a button without a name`);
      }
      assert.equal(new Set(names).size, names.length, `${name}: two buttons are named alike: ${names.join(', ')}`);
    }
    const copyNames = tags(renderPanelBody(jobState('error', 'boom')))
      .filter((tag) => tag.name === 'button' && tag.attrs.has('data-copy'))
      .map((tag) => tag.attrs.get('aria-label'));
    assert.deepEqual(copyNames, [
      'Copy error message',
      'Copy artifact ID',
      'Copy workflow ID',
      'Copy experiment ID',
      'Copy run ID',
      'Copy document ID',
      'Copy job ID',
    ]);
  });

  it('groups the action buttons under a name', () => {
    for (const [name, state] of everyState()) {
      const body = renderPanelBody(state);
      for (const group of tags(body).filter((tag) => (tag.attrs.get('class') ?? '').split(' ').includes('actions'))) {
        assert.equal(group.attrs.get('role'), 'group', name);
        assert.ok((group.attrs.get('aria-label') ?? '').length > 0, name);
      }
    }
  });

  it('keeps the error callout an alert', () => {
    const body = renderPanelBody(jobState('error', 'boom'));
    const callout = tags(body).find((tag) => (tag.attrs.get('class') ?? '').includes('callout'));
    assert.equal(callout?.attrs.get('role'), 'alert');
  });

  it('lets the keyboard reach and scroll every scrolling box, with a name', () => {
    const body = renderPanelBody(jobState('error', 'boom'));
    const scrollers = tags(body).filter((tag) => tag.name === 'pre');
    assert.equal(scrollers.length, 2, 'the error text and the raw JSON');
    for (const pre of scrollers) {
      assert.equal(pre.attrs.get('tabindex'), '0');
      assert.ok((pre.attrs.get('aria-label') ?? '').length > 0);
    }
  });

  it('gives every id in a page once', () => {
    for (const [name, state] of everyState()) {
      const ids = tags(renderPanelBody(state))
        .map((tag) => tag.attrs.get('id'))
        .filter((id) => id !== undefined);
      assert.equal(new Set(ids).size, ids.length, `${name}: ${ids.join(', ')}`);
    }
  });

  it('has a page language, a title and a main landmark', () => {
    const shell = renderShell(
      {
        cspSource: 'https://webview.test',
        nonce: 'n',
        scriptUri: 'https://webview.test/p.js',
        styleUri: 'https://webview.test/p.css',
        pdfScriptUri: 'https://webview.test/pdf.js',
        pdfWorkerUri: 'https://webview.test/pdf.worker.mjs',
      },
      undefined,
    );
    assert.match(shell, /<html lang="en">/);
    assert.match(shell, /<title>[^<]+<\/title>/);
    assert.match(shell, /<main id="content"/);
  });
});
