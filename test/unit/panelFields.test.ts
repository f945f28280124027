import * as assert from 'node:assert/strict';
import { DocumentFields, FieldVotes } from '../../src/api/models';
import { FieldsSection, MAX_VALUE_SHOWN, orderFields, renderFieldsSection } from '../../src/ui/panel/fieldsView';
import { escapeHtml } from '../../src/ui/shared/html';
import { renderPanelBody } from '../../src/ui/panel/jobView';
import { parseJob } from './support/g1Wire';

const REF = { workflowId: 'wf_a', experimentId: 'exp_b', runId: 'exprun_c', documentId: 'expdoc_d' };
const HOSTILE = '<img src=x onerror="alert(1)"><script>alert(2)</script>';
const RLO = '\u202E';

function documentFields(overrides: Partial<DocumentFields> = {}): DocumentFields {
  return {
    kind: 'by_document',
    runId: 'exprun_c',
    document: { id: 'expdoc_d', filename: 'invoice.pdf' },
    score: 0.9,
    priorScore: 0.8,
    fields: [
      { path: 'vendor.name', score: 1, priorScore: 0.6, value: 'ACME' },
      { path: 'invoice.total', score: 0.8, priorScore: 1, value: 1250.5 },
      { path: 'invoice.number', score: 1, priorScore: 1, value: 'INV-1' },
      { path: 'invoice.issue_date', score: 0.6, priorScore: null, value: '2026-01-02' },
      { path: 'notes', score: null, priorScore: null, value: null },
    ],
    confusion: null,
    ...overrides,
  };
}

function votes(overrides: Partial<FieldVotes> = {}): FieldVotes {
  return {
    kind: 'votes',
    runId: 'exprun_c',
    document: { id: 'expdoc_d', filename: 'invoice.pdf' },
    path: 'invoice.total',
    score: 0.8,
    priorScore: 1,
    rows: [{ consensus: 1250.5, votes: [1250.5, 1250.5, 1250.5, 1205.5, null], score: 0.8, presentVoterCount: 4, totalVoterCount: 5 }],
    ...overrides,
  };
}

function section(content: FieldsSection['content'], open = true): string {
  return renderFieldsSection({ open, content }).value;
}

/** The rows of the fields list, as [path, row markup]. */
function listRows(markup: string): Array<{ path: string; row: string }> {
  return [...markup.matchAll(/<tr class="(?:disagrees|agrees)[^"]*">([\s\S]*?)<\/tr>/g)].map((match) => ({
    path: /<span class="path">([^<]*)<\/span>/.exec(match[1])?.[1] ?? '',
    row: match[1],
  }));
}

/** The votes table's rows after the consensus: their class and text. */
function voteRows(markup: string): Array<{ state: string; text: string }> {
  return [...markup.matchAll(/<tr class="vote (\w+)">([\s\S]*?)<\/tr>/g)].map((match) => ({ state: match[1], text: match[2].replace(/<[^>]*>/g, '') }));
}

describe('job panel Fields section', () => {
  it('lists the disagreeing fields first, worst first, then the rest by path, unscored last', () => {
    assert.deepEqual(
      orderFields(documentFields().fields).map((field) => field.path),
      ['invoice.issue_date', 'invoice.total', 'invoice.number', 'vendor.name', 'notes'],
    );
    const markup = section({ kind: 'loaded', fields: documentFields() });
    assert.deepEqual(
      listRows(markup).map((row) => row.path),
      ['invoice.issue_date', 'invoice.total', 'invoice.number', 'vendor.name', 'notes'],
    );
  });

  it('marks disagreement with a sign and a word, not colour alone, and says it to screen readers', () => {
    const markup = section({ kind: 'loaded', fields: documentFields() });
    const rows = listRows(markup);
    const total = rows.find((row) => row.path === 'invoice.total');
    const number = rows.find((row) => row.path === 'invoice.number');
    assert.ok(total && number);
    assert.match(total.row, /⚠/);
    assert.match(total.row, /<span class="flag">disagrees<\/span>/);
    assert.match(total.row, /aria-label="invoice.total, score 80.0%, disagrees, down 20.0 points since the prior run"/);
    assert.doesNotMatch(number.row, /disagrees|⚠/);
    assert.match(number.row, /aria-label="invoice.number, score 100.0%, agrees, unchanged since the prior run"/);
    assert.match(markup, /<strong>2<\/strong> of 5 fields disagree/);
    // The summary says it while the section is closed too.
    assert.match(markup, /<summary>[^]*5 fields, 2 disagree[^]*<\/summary>/);
  });

  it('shows each field’s change against the prior run', () => {
    const rows = listRows(section({ kind: 'loaded', fields: documentFields() }));
    const change = (path: string): string => /<td class="change">([^]*?)<\/td>/.exec(rows.find((row) => row.path === path)?.row ?? '')?.[1] ?? '';
    assert.equal(change('vendor.name'), '▲ 40.0');
    assert.equal(change('invoice.total'), '▼ 20.0');
    assert.equal(change('invoice.number'), '= 0.0');
    assert.match(change('invoice.issue_date'), /—/);
  });

  it('makes every field a button the keyboard reaches, pressed when chosen', () => {
    const markup = section({ kind: 'loaded', fields: documentFields(), votes: { kind: 'loading', field: 1, path: 'invoice.total' } });
    const buttons = [...markup.matchAll(/<button type="button" class="field" data-field="(\d+)" aria-pressed="(true|false)"/g)];
    assert.equal(buttons.length, 5);
    assert.deepEqual(
      buttons.map((match) => [match[1], match[2]]),
      [
        ['0', 'false'],
        ['1', 'true'],
        ['2', 'false'],
        ['3', 'false'],
        ['4', 'false'],
      ],
    );
    assert.match(markup, /Loading the votes…/);
  });

  it('escapes hostile paths and values, and shows bidi characters', () => {
    const hostile = documentFields({
      fields: [{ path: `remarks.${HOSTILE}${RLO}`, score: 0.5, priorScore: null, value: `${HOSTILE}${RLO}txt.exe` }],
      confusion: { diagonal: [{ label: HOSTILE, score: 0.5 }], flows: [{ from: HOSTILE, to: `${RLO}b`, score: 0.5 }] },
    });
    const markup = section({
      kind: 'loaded',
      fields: hostile,
      votes: {
        kind: 'loaded',
        field: 0,
        path: `remarks.${HOSTILE}${RLO}`,
        votes: votes({
          path: `remarks.${HOSTILE}`,
          rows: [{ consensus: HOSTILE, votes: [HOSTILE, `${RLO}${HOSTILE}`], score: 0.5, presentVoterCount: 2, totalVoterCount: 2 }],
        }),
      },
    });
    assert.ok(!markup.includes('<script'), 'no raw script tag');
    assert.ok(!markup.includes('<img'), 'no raw img tag');
    // Attribute values (escaped server text in aria-labels) emptied: what remains are attribute names.
    assert.ok(!/<[^>]*\sonerror=/i.test(markup.replace(/"[^"]*"/g, '""')), 'no tag carries an event handler');
    assert.ok(!markup.includes(RLO), 'no bidi override reaches the page');
    assert.ok(markup.includes('⟨U+202E⟩'), 'the override is shown');
    assert.ok(markup.includes(escapeHtml(HOSTILE)));
    // Unavailable reasons and error messages are server text too.
    for (const other of [
      section({ kind: 'unavailable', reason: HOSTILE, message: HOSTILE }),
      section({ kind: 'error', error: { kind: 'server', message: HOSTILE, status: 500 } }),
    ]) {
      assert.ok(!other.includes('<img') && !other.includes('<script'), other);
    }
  });

  it('shows the votes beside the consensus, marking who differs and who did not answer', () => {
    const markup = section({ kind: 'loaded', fields: documentFields(), votes: { kind: 'loaded', field: 1, path: 'invoice.total', votes: votes() } });
    assert.match(markup, /<h3 id="votes-heading">Votes for <code>invoice.total<\/code><\/h3>/);
    assert.match(markup, /<tr class="consensus"><th scope="row">Consensus<\/th><td><span class="value json">1250.5<\/span>/);
    assert.deepEqual(voteRows(markup), [
      { state: 'agrees', text: 'Voter 11250.5✓ agrees' },
      { state: 'agrees', text: 'Voter 21250.5✓ agrees' },
      { state: 'agrees', text: 'Voter 31250.5✓ agrees' },
      { state: 'differs', text: 'Voter 41205.5✗ differs' },
      { state: 'absent', text: 'Voter 5(no value)∅ no answer' },
    ]);
    assert.match(markup, /4 of 5 voters answered/);
  });

  it('shows one table per list row, named', () => {
    const rows = votes({
      path: 'line_items',
      rows: [
        { consensus: { sku: 'A' }, votes: [{ sku: 'A' }, { sku: 'A' }], score: 1, presentVoterCount: 2, totalVoterCount: 2 },
        { consensus: { sku: 'B' }, votes: [{ sku: 'B' }, null], score: 0.5, presentVoterCount: 1, totalVoterCount: 2 },
      ],
    });
    const markup = section({ kind: 'loaded', fields: documentFields(), votes: { kind: 'loaded', field: 0, path: 'line_items', votes: rows } });
    assert.match(markup, /<h4>Row 1 of 2<\/h4>[^]*<h4>Row 2 of 2<\/h4>/);
    assert.equal((markup.match(/<table class="grid votes-table">/g) ?? []).length, 2);
    assert.deepEqual(
      voteRows(markup).map((row) => row.state),
      ['agrees', 'agrees', 'agrees', 'absent'],
    );
  });

  it('clips long values to their first 500 characters, with a button that opens all of it', () => {
    const long = `${'n'.repeat(12_000)}END_OF_NOTES`;
    const markup = section({
      kind: 'loaded',
      fields: documentFields(),
      votes: {
        kind: 'loaded',
        field: 4,
        path: 'notes',
        votes: votes({ path: 'notes', rows: [{ consensus: long, votes: [long, long.slice(0, 3_000)], score: 0.5, presentVoterCount: 2, totalVoterCount: 2 }] }),
      },
    });
    assert.ok(!markup.includes('END_OF_NOTES'), 'the tail is not on the page');
    assert.ok(markup.length < 8_000, `${markup.length} characters`);
    assert.match(markup, new RegExp(`<span class="value text clipped">n{${MAX_VALUE_SHOWN}}…</span>`));
    assert.match(markup, /First 500 of 12,012 characters\./);
    assert.match(markup, /First 500 of 3,000 characters\./);
    const buttons = [...markup.matchAll(/<button type="button" class="link" ([^>]*)>Show All<\/button>/g)].map((match) => match[1]);
    assert.deepEqual(
      buttons.map((attributes) =>
        /data-value-source="(\w+)" data-value-field="(\d+)" data-value-row="(\d+)"(?: data-value-voter="(\d+)")?/.exec(attributes)?.slice(1),
      ),
      [
        ['rowConsensus', '4', '0', undefined],
        ['vote', '4', '0', '0'],
        ['vote', '4', '0', '1'],
      ],
    );
    assert.match(buttons[1], /aria-label="Show all of voter 1’s value \(12,012 characters\) in an editor"/);
    // The clipped voter still differs from the consensus: compared whole, not as shown.
    assert.deepEqual(
      voteRows(markup).map((row) => row.state),
      ['agrees', 'differs'],
    );
  });

  it('shows where a classifier’s votes flowed, largest flow first', () => {
    const markup = section({
      kind: 'loaded',
      fields: documentFields({
        fields: [
          { path: 'travel', score: 0.75, priorScore: 0.5, value: 'travel' },
          { path: 'meals', score: 1, priorScore: 1, value: null },
        ],
        confusion: {
          diagonal: [
            { label: 'travel', score: 0.75 },
            { label: 'meals', score: 1 },
          ],
          flows: [
            { from: 'travel', to: 'lodging', score: 0.05 },
            { from: 'travel', to: 'meals', score: 0.2 },
          ],
        },
      }),
    });
    assert.match(markup, /<h3 id="confusion-heading">Where the votes went<\/h3>/);
    assert.match(markup, /<caption>Agreement per label<\/caption>[^]*<code>travel<\/code><\/th><td>75.0%<\/td>[^]*<code>meals<\/code><\/th><td>100.0%<\/td>/);
    const flows = [
      ...markup.matchAll(/<tr><td><code>(\w+)<\/code><\/td><td aria-hidden="true">→<\/td><td><code>(\w+)<\/code><\/td><td>([\d.]+%)<\/td><\/tr>/g),
    ].map((match) => match.slice(1));
    assert.deepEqual(flows, [
      ['travel', 'meals', '20.0%'],
      ['travel', 'lodging', '5.0%'],
    ]);
  });

  it('says plainly when the scores are stale or missing, and gives errors a way forward', () => {
    assert.match(
      section({ kind: 'unavailable', reason: 'stale_metrics', message: null }),
      /No field scores for this document in this run: the scores are stale/,
    );
    assert.match(section({ kind: 'unavailable', reason: 'no_metrics', message: 'not scored' }), /the run has not been scored \(yet\)\.[^]*not scored/);
    const failed = section({ kind: 'error', error: { kind: 'network', message: 'connect ECONNREFUSED' } });
    assert.match(failed, /Cannot reach the Retab API/);
    assert.match(failed, /data-action="retryFields"/);
    const auth = section({ kind: 'error', error: { kind: 'auth', message: 'HTTP 401' } });
    assert.match(auth, /data-action="setApiKey"[^]*data-action="retryFields"/);
    const votesFailed = section({
      kind: 'loaded',
      fields: documentFields(),
      votes: { kind: 'error', field: 1, path: 'invoice.total', error: { kind: 'timeout', message: 'slow' } },
    });
    assert.match(votesFailed, /data-votes-state="error"[^]*did not answer in time[^]*data-action="retryFields"/);
    assert.match(
      section({
        kind: 'loaded',
        fields: documentFields(),
        votes: { kind: 'unavailable', field: 1, path: 'invoice.total', reason: 'stale_metrics', message: null },
      }),
      /No votes for this field: the scores are stale/,
    );
  });

  it('is a closed section until opened, and loads nothing on its own', () => {
    const job = parseJob({ id: 'expjob_1', run_id: 'exprun_c', experiment_id: 'exp_b', document_id: 'expdoc_d', status: 'completed' });
    const closed = renderPanelBody({ kind: 'job', ref: REF, job, context: {}, fetchedAt: 0 });
    assert.match(closed, /<details class="fields" id="fields" data-host-open="false"><summary>/);
    const open = renderPanelBody({ kind: 'job', ref: REF, job, context: {}, fetchedAt: 0, fields: { open: true, content: { kind: 'loading' } } });
    assert.match(open, /<details class="fields" id="fields" data-host-open="true" open><summary>/);
    assert.match(open, /Loading field scores…/);
  });
});
