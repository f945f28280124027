import * as assert from 'node:assert/strict';
import { RunInput, arrangeRows, buildRunsTable, selectColumns } from '../../src/analysis/runsTable';
import { cellText, runsTableCompact, runsTableCsv, runsTableMarkdown } from '../../src/analysis/runsTableText';
import { RunMetrics, RunSummary } from '../../src/api/models';

function run(id: string, overrides: Partial<RunSummary> = {}): RunSummary {
  return {
    id,
    experimentId: 'exp_a',
    status: 'completed',
    statusMessage: null,
    score: null,
    documentCount: 3,
    totalDocumentCount: 3,
    completedDocumentCount: 3,
    errorCount: 0,
    nConsensus: 3,
    createdAt: '2026-03-01T10:00:00Z',
    startedAt: null,
    completedAt: null,
    durationMs: null,
    definitionFingerprint: 'def1',
    blockVersionId: null,
    workflowVersionId: null,
    documentsFingerprint: null,
    parentRunId: null,
    jobId: null,
    blockKind: 'extract',
    ...overrides,
  };
}

function summary(fields: Record<string, number | null>, documents: Record<string, number | null> = {}): RunMetrics {
  return {
    kind: 'summary',
    experimentId: 'exp_a',
    runId: null,
    blockKind: 'extract',
    score: null,
    priorScore: null,
    priorRunId: null,
    documents: Object.entries(documents).map(([id, score]) => ({ id, filename: `${id}.pdf`, score, priorScore: null })),
    fields: { kind: 'path', scores: Object.entries(fields).map(([path, score]) => ({ path, score })), total: Object.keys(fields).length },
    aggregate: null,
  };
}

/** Four runs: `due_date` appears in run 2, `vat_id` drops in run 4 after a definition change, `notes` vanishes in run 4. */
function inputs(): RunInput[] {
  return [
    {
      run: run('exprun_1', { score: 0.8, createdAt: '2026-03-01T10:00:00Z' }),
      number: 1,
      metrics: summary({ total: 0.9, vat_id: 0.9, notes: 0.7 }, { d1: 0.8, d2: 0.9 }),
    },
    {
      run: run('exprun_2', { score: 0.82, createdAt: '2026-03-02T10:00:00Z' }),
      number: 2,
      metrics: summary({ total: 0.9, vat_id: 0.92, notes: 0.7, due_date: 0.6 }, { d1: 0.85 }),
    },
    {
      run: run('exprun_3', { score: null, createdAt: '2026-03-03T10:00:00Z' }),
      number: 3,
      metrics: { kind: 'unavailable', reason: 'stale_metrics', message: 'Rescore' },
    },
    {
      run: run('exprun_4', { score: 0.75, createdAt: '2026-03-04T10:00:00Z', definitionFingerprint: 'def2', errorCount: 1 }),
      number: 4,
      metrics: summary({ total: 0.95, vat_id: 0.6, due_date: 0.7 }, { d1: 0.7, d2: 0.95 }),
    },
  ];
}

describe('The Runs table', () => {
  it('puts the newest run first and aligns fields across runs where they appear or vanish', () => {
    const table = buildRunsTable([...inputs()].reverse(), 'fields');
    assert.deepEqual(
      table.columns.map((column) => column.number),
      [4, 3, 2, 1],
    );
    const byKey = new Map(table.rows.map((row) => [row.key, row]));
    assert.deepEqual(
      byKey.get('due_date')?.cells.map((cell) => cell.score),
      [0.7, null, 0.6, null],
      'appears in run 2',
    );
    assert.deepEqual(
      byKey.get('notes')?.cells.map((cell) => cell.score),
      [null, null, 0.7, 0.7],
      'gone in run 4',
    );
    // A column without scores does not break the chain: run 4 against run 2.
    const vat = byKey.get('vat_id');
    assert.ok(vat);
    assert.ok(Math.abs((vat.cells[0].delta ?? 0) - (0.6 - 0.92)) < 1e-9);
    assert.ok(Math.abs((vat.latestChange ?? 0) - (0.6 - 0.92)) < 1e-9);
    assert.equal(byKey.get('notes')?.latestChange, 0, 'the two newest runs that have it');
  });

  it('says which runs have no or stale scores, and where the block definition changed', () => {
    const table = buildRunsTable(inputs(), 'fields');
    assert.deepEqual(
      table.columns.map((column) => [column.number, column.state, column.definitionChanged]),
      [
        [4, 'ok', true],
        [3, 'stale', false],
        [2, 'ok', false],
        [1, 'ok', false],
      ],
    );
    assert.equal(table.columns[1].stateMessage, 'Rescore');
    const live = buildRunsTable([{ run: run('exprun_9', { status: 'running' }), number: 9, metrics: undefined }], 'fields');
    assert.equal(live.columns[0].state, 'live');
    assert.equal(buildRunsTable([{ run: run('exprun_9'), number: 9, metrics: undefined }], 'fields').columns[0].state, 'failed');
  });

  it('sorts regression first by default, then by any column, by name, and filters by name', () => {
    const table = buildRunsTable(inputs(), 'fields');
    const regression = arrangeRows(table, { sort: { by: 'regression' }, filter: '' }).map((row) => row.key);
    assert.deepEqual(regression, ['vat_id', 'notes', 'total', 'due_date'], 'worst drop first, then the smallest rise');
    assert.deepEqual(
      arrangeRows(table, { sort: { by: 'column', column: 0 }, filter: '' }).map((row) => row.key),
      ['vat_id', 'due_date', 'total', 'notes'],
      'lowest score in run 4 first, empty cells last',
    );
    assert.deepEqual(
      arrangeRows(table, { sort: { by: 'column', column: 0, descending: true }, filter: '' }).map((row) => row.key),
      ['total', 'due_date', 'vat_id', 'notes'],
    );
    assert.deepEqual(
      arrangeRows(table, { sort: { by: 'name' }, filter: 'T' }).map((row) => row.key),
      ['due_date', 'notes', 'total', 'vat_id'].filter((key) => key.includes('t')),
    );
  });

  it('keeps the runs chosen, with changes against the run before among them', () => {
    const table = selectColumns(buildRunsTable(inputs(), 'fields'), new Set(['exprun_4', 'exprun_1']));
    assert.deepEqual(
      table.columns.map((column) => column.number),
      [4, 1],
    );
    const vat = table.rows.find((row) => row.key === 'vat_id');
    assert.ok(vat && Math.abs((vat.cells[0].delta ?? 0) - (0.6 - 0.9)) < 1e-9);
    assert.equal(table.columns[0].definitionChanged, true);
  });

  it('has a documents mode: one row per document, its score in each run', () => {
    const table = buildRunsTable(inputs(), 'documents');
    assert.equal(table.rowKind, 'document');
    const d2 = table.rows.find((row) => row.key === 'd2');
    assert.deepEqual(
      d2?.cells.map((cell) => cell.score),
      [0.95, null, null, 0.9],
    );
    assert.equal(d2?.label, 'd2.pdf');
  });

  it('exports what is on screen as CSV, Markdown and compact text, numbers always written', () => {
    const table = buildRunsTable(inputs(), 'fields');
    const rows = arrangeRows(table, { sort: { by: 'regression' }, filter: 'vat' });
    const csv = runsTableCsv(table, rows).split('\r\n');
    assert.equal(csv[0], 'Field,Run 4 (definition changed) 2026-03-04,Run 3 (stale metrics) 2026-03-03,Run 2 2026-03-02,Run 1 2026-03-01,Change (newest two)');
    assert.equal(csv[1], 'Score,75.0,,82.0,80.0,-7.0');
    assert.equal(csv[4], 'vat_id,60.0,,92.0,90.0,-32.0');
    assert.equal(csv.length, 5, 'the filter holds');
    const markdown = runsTableMarkdown(table, rows, 'Runs of A | B');
    assert.match(markdown, /^### Runs of A \\\| B$/m);
    assert.match(markdown, /\| vat\\_id \| 60\.0% ▼ 32\.0 \| — \| 92\.0% ▲ 2\.0 \| 90\.0% \|/);
    assert.match(markdown, /1 row got worse/);
    assert.equal(cellText({ score: 0.5, delta: 0 }), '50.0% = 0.0');
    const compact = runsTableCompact(table, arrangeRows(table, { sort: { by: 'regression' }, filter: '' }), 2);
    assert.match(compact, /^Field \| Run 4 \(definition changed\)/);
    assert.match(compact, /vat_id \| 60\.0% ▼ 32\.0/);
    assert.match(compact, /… 2 more rows/);
  });

  it('neutralises formulas in CSV cells and keeps server text from breaking Markdown', () => {
    const hostile: RunInput[] = [{ run: run('exprun_1'), number: 1, metrics: summary({ '=HYPERLINK("x")': 0.5, 'a|b\n<img>': 0.4 }) }];
    const table = buildRunsTable(hostile, 'fields');
    const rows = arrangeRows(table, { sort: { by: 'name' }, filter: '' });
    assert.match(runsTableCsv(table, rows), /"'=HYPERLINK\(""x""\)",50\.0/);
    const markdown = runsTableMarkdown(table, rows, 'x');
    assert.ok(markdown.includes('a\\|b \\<img\\>'), markdown);
  });
});
