import * as assert from 'node:assert/strict';
import { ExportRow, csvLines } from '../../src/analysis/runExport';

function cell(text: string): string {
  const row: ExportRow = {
    document_id: 'expdoc_1',
    job_id: 'expjob_1',
    filename: text,
    status: 'error',
    score: null,
    duration_ms: null,
    error: null,
    artifact_operation: null,
    artifact_id: null,
  };
  const [, line] = [...csvLines([row])];
  // The file name is the third column; quoted cells are unquoted for the comparison.
  const third = line.slice('expdoc_1,expjob_1,'.length, line.length - ',error,,,,,'.length);
  return third.startsWith('"') ? third.slice(1, -1).replace(/""/g, '"') : third;
}

describe('CSV export of server text', () => {
  it('neutralises formulas behind leading blanks, tabs and line breaks', () => {
    for (const hostile of [
      '=1+1',
      '+1',
      '-1',
      '@SUM(A1)',
      ' =HYPERLINK("https://evil.example")',
      '   +cmd|/c calc!A1',
      '\t=1',
      '\r=1',
      '\n=1',
      '\r\n@A1',
      ' \t -2',
      '\u00a0=1',
      '＝1+1',
      '\tplain',
      '\rplain',
    ]) {
      assert.equal(cell(hostile), `'${hostile}`, JSON.stringify(hostile));
    }
  });

  it('leaves ordinary text alone', () => {
    for (const text of ['invoice.pdf', 'a=b', ' spaced name.pdf', 'x-1', 'report @ noon', '']) {
      assert.equal(cell(text), text, JSON.stringify(text));
    }
  });
});
