/**
 * The Runs table as text: CSV (for a spreadsheet), Markdown (for a pull request description) and
 * the compact lines the agents' compare tool answers. What is written is what is on screen: the
 * rows given (sorted and filtered), the columns of the table (the runs chosen).
 */
import { formatScore, formatScoreDelta } from '../format';
import { csvCell } from './runExport';
import { RunColumn, RunsTable, TableCell, TableRow } from './runsTable';

const STATE_WORDS: Record<RunColumn['state'], string> = {
  ok: '',
  live: 'running',
  no_metrics: 'no metrics',
  stale: 'stale metrics',
  failed: 'scores not read',
};

/** Why a column's scores are missing or not to be trusted, in a few words ('' when they are fine). */
export function columnNote(column: RunColumn): string {
  return STATE_WORDS[column.state];
}

/** "Run 7", with "edited" when the block's definition changed before it and the state when scores are missing. */
export function columnTitle(column: RunColumn): string {
  const notes = [column.definitionChanged ? 'definition changed' : '', STATE_WORDS[column.state]].filter(Boolean);
  return notes.length > 0 ? `Run ${column.number} (${notes.join(', ')})` : `Run ${column.number}`;
}

function dateOf(column: RunColumn): string {
  return column.createdAt ? column.createdAt.slice(0, 10) : '';
}

/** "84.1% ▼ 3.1": the number always, the change when there is one. */
export function cellText(cell: TableCell): string {
  if (cell.score === null) {
    return '—';
  }
  const change = cell.delta === null ? '' : formatScoreDelta(cell.score, cell.score - cell.delta);
  return change ? `${formatScore(cell.score)} ${change}` : formatScore(cell.score);
}

function rowName(table: RunsTable): string {
  return table.rowKind === 'document' ? 'Document' : table.rowKind === 'label' ? 'Label' : 'Field';
}

/** One line per row; scores as percentages with one decimal, the change between the two newest runs last. */
export function runsTableCsv(table: RunsTable, rows: readonly TableRow[]): string {
  const percent = (score: number | null): string => (score === null ? '' : (score * 100).toFixed(1));
  const header = [rowName(table), ...table.columns.map((column) => `${columnTitle(column)} ${dateOf(column)}`.trim()), 'Change (newest two)'];
  const line = (row: TableRow): string =>
    [csvCell(row.label), ...row.cells.map((cell) => percent(cell.score)), row.latestChange === null ? '' : (row.latestChange * 100).toFixed(1)].join(',');
  const counts = (name: string, pick: (column: RunColumn) => number): string => [name, ...table.columns.map((column) => String(pick(column))), ''].join(',');
  return [
    header.map((cell) => csvCell(cell)).join(','),
    line(table.overall),
    counts('Documents', (column) => column.documentCount),
    counts('Errors', (column) => column.errorCount),
    ...rows.map(line),
  ].join('\r\n');
}

/** Markdown table cells: pipes and line breaks would break the table; server text is escaped. */
function markdownCell(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/[\r\n]+/g, ' ')
    .replace(/([*_`[\]<>])/g, '\\$1');
}

/** A GitHub-flavoured Markdown table, regressions marked. */
export function runsTableMarkdown(table: RunsTable, rows: readonly TableRow[], title: string): string {
  const header = `| ${rowName(table)} | ${table.columns.map((column) => markdownCell(`${columnTitle(column)} ${dateOf(column)}`.trim())).join(' | ')} |`;
  const rule = `|---|${table.columns.map(() => '---:|').join('')}`;
  const line = (row: TableRow, bold = false): string => {
    const label = markdownCell(row.label);
    return `| ${bold ? `**${label}**` : label} | ${row.cells.map((cell) => markdownCell(cellText(cell))).join(' | ')} |`;
  };
  const counts = (name: string, pick: (column: RunColumn) => number): string =>
    `| ${name} | ${table.columns.map((column) => String(pick(column))).join(' | ')} |`;
  const regressions = rows.filter((row) => row.latestChange !== null && row.latestChange < -0.0005).length;
  return [
    `### ${markdownCell(title)}`,
    '',
    regressions > 0
      ? `${regressions} ${regressions === 1 ? 'row' : 'rows'} got worse between the two newest runs (▼).`
      : 'Nothing got worse between the two newest runs.',
    '',
    header,
    rule,
    line(table.overall, true),
    counts('Documents', (column) => column.documentCount),
    counts('Errors', (column) => column.errorCount),
    ...rows.map((row) => line(row)),
    '',
  ].join('\n');
}

/** What the compare tool answers: the header, the overall score, then the rows (bounded), regression first. */
export function runsTableCompact(table: RunsTable, rows: readonly TableRow[], maxRows: number): string {
  const lines = [
    `${rowName(table)} | ${table.columns.map(columnTitle).join(' | ')}`,
    `Score | ${table.overall.cells.map(cellText).join(' | ')}`,
    `Documents/errors | ${table.columns.map((column) => `${column.documentCount}/${column.errorCount}`).join(' | ')}`,
    ...rows.slice(0, maxRows).map((row) => `${row.label} | ${row.cells.map(cellText).join(' | ')}`),
  ];
  if (rows.length > maxRows) {
    lines.push(`… ${rows.length - maxRows} more rows (least changed).`);
  }
  return lines.join('\n');
}
