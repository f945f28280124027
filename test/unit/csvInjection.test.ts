import * as assert from 'node:assert/strict';
import { csvLines } from '../../src/analysis/runExport';
import { exportRow } from './support/exportRows';

function cell(text: string): string {
  const [, line] = [...csvLines([exportRow({ filename: text })])];
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
