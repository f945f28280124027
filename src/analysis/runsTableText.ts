/**
 * The Runs table as text: CSV (for a spreadsheet), Markdown (for a pull request description) and
 * the compact lines the agents' compare tool answers. What is written is what is on screen: the
 * rows given (sorted and filtered), the columns of the table (the runs chosen).
 */
import { l10n } from '../l10n';
import { formatScore, formatScoreDelta } from '../format';
import { csvCell } from './runExport';
import { RunColumn, RunsTable, TableCell, TableRow } from './runsTable';

const stateWords = (): Record<RunColumn['state'], string> => ({
  ok: '',
  live: 'running',
  no_metrics: l10n.t('no metrics'),
  stale: l10n.t('stale metrics'),
  failed: l10n.t('scores not read'),
});

/** Why a column's scores are missing or not to be trusted, in a few words ('' when they are fine). */
export function columnNote(column: RunColumn): string {
  return stateWords()[column.state];
}

/** "Run 7", with "edited" when the block's definition changed before it and the state when scores are missing. */
export function columnTitle(column: RunColumn): string {
  const notes = [column.definitionChanged ? l10n.t('definition changed') : '', stateWords()[column.state]].filter(Boolean);
  return notes.length > 0 ? l10n.t('Run {0} ({1})', column.number, notes.join(', ')) : l10n.t('Run {0}', column.number);
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
  return table.rowKind === 'document' ? l10n.t('Document') : table.rowKind === 'label' ? l10n.t('Label') : l10n.t('Field');
}

/** One line per row; scores as percentages with one decimal, the change between the two newest runs last. */
export function runsTableCsv(table: RunsTable, rows: readonly TableRow[]): string {
  const percent = (score: number | null): string => (score === null ? '' : (score * 100).toFixed(1));
  const header = [rowName(table), ...table.columns.map((column) => `${columnTitle(column)} ${dateOf(column)}`.trim()), l10n.t('Change (newest two)')];
  const line = (row: TableRow): string =>
    [csvCell(row.label), ...row.cells.map((cell) => percent(cell.score)), row.latestChange === null ? '' : (row.latestChange * 100).toFixed(1)].join(',');
  const counts = (name: string, pick: (column: RunColumn) => number): string => [name, ...table.columns.map((column) => String(pick(column))), ''].join(',');
  return [
    header.map((cell) => csvCell(cell)).join(','),
    line(table.overall),
    counts(l10n.t('Documents'), (column) => column.documentCount),
    counts(l10n.t('Errors'), (column) => column.errorCount),
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
      ? regressions === 1
        ? l10n.t('1 row got worse between the two newest runs (▼).')
        : l10n.t('{0} rows got worse between the two newest runs (▼).', regressions)
      : l10n.t('Nothing got worse between the two newest runs.'),
    '',
    header,
    rule,
    line(table.overall, true),
    counts(l10n.t('Documents'), (column) => column.documentCount),
    counts(l10n.t('Errors'), (column) => column.errorCount),
    ...rows.map((row) => line(row)),
    '',
  ].join('\n');
}

/** What the compare tool answers: the header, the overall score, then the rows (bounded), regression first. */
export function runsTableCompact(table: RunsTable, rows: readonly TableRow[], maxRows: number): string {
  const lines = [
    `${rowName(table)} | ${table.columns.map(columnTitle).join(' | ')}`,
    l10n.t('Score | {0}', table.overall.cells.map(cellText).join(' | ')),
    l10n.t('Documents/errors | {0}', table.columns.map((column) => `${column.documentCount}/${column.errorCount}`).join(' | ')),
    ...rows.slice(0, maxRows).map((row) => `${row.label} | ${row.cells.map(cellText).join(' | ')}`),
  ];
  if (rows.length > maxRows) {
    lines.push(l10n.t('… {0} more rows (least changed).', rows.length - maxRows));
  }
  return lines.join('\n');
}
