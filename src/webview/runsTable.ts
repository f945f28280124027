import { installPageTranslator, pageLocale, t } from './strings';
/**
 * The Runs table's page: a trend chart over every run, then the table (one column per run, newest
 * first; a row per field or document), sortable, filterable, virtualised when long. Everything is
 * built with DOM calls and textContent: server text never becomes markup. The host sends the table
 * (src/protocol/runsTable.ts); the page keeps its sort, filter and mode in the webview state, so a
 * reload or a restored window shows the same.
 */
import { RunColumn, RunsTable, TableCell, TableMode, TableRow, TableView, arrangeRows } from '../analysis/runsTable';
import { FromWebview, RunsTablePayload, RunsTableState, parseHostMessage, parseState } from '../protocol/runsTable';
import { formatScore, formatScoreDelta } from '../format';
import { columnNote } from '../analysis/runsTableText';

// Before anything is drawn: the shared modules' words in the page's language.
installPageTranslator();

interface VsCodeApi {
  postMessage(message: FromWebview): void;
  getState(): unknown;
  setState(state: RunsTableState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const root = document.getElementById('content') as HTMLElement;
const announcer = document.getElementById('announcer') as HTMLElement;
const bootstrap = parseState(JSON.parse(root.dataset.state ?? 'null'));
const saved = parseState(vscode.getState()) ?? bootstrap;

let payload: RunsTablePayload | undefined;
let runIds: string[] = saved?.runIds ?? [];
let view: TableView = saved?.view ?? { sort: { by: 'regression' }, filter: '' };
let mode: TableMode = saved?.mode ?? 'fields';
let selectedKey: string | undefined;
let arranged: TableRow[] = [];

/** Rows drawn at once above this count are virtualised: only those near the viewport are in the DOM. */
const VIRTUALISE_ABOVE = 300;
const ROW_HEIGHT = 26;
const OVERSCAN = 20;

function saveState(): void {
  const base = saved ?? bootstrap;
  if (base) {
    vscode.setState({ ...base, mode, view, runIds });
  }
}

function say(text: string): void {
  announcer.textContent = text;
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) {
    node.className = className;
  }
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}

const percent = (score: number | null): string => formatScore(score);

/** The change as the rest of the extension writes it (format.ts), and which way it went. */
function deltaText(delta: number | null): { text: string; kind: 'up' | 'down' | 'same' | 'none' } {
  if (delta === null) {
    return { text: '', kind: 'none' };
  }
  const text = formatScoreDelta(delta, 0);
  return { text, kind: text.startsWith('▲') ? 'up' : text.startsWith('▼') ? 'down' : 'same' };
}

/** A score's band, for its colour (the number is always written too). */
function band(score: number | null): string {
  if (score === null) {
    return 'none';
  }
  return score >= 0.95 ? 'high' : score >= 0.85 ? 'good' : score >= 0.7 ? 'fair' : 'low';
}

function columnLabel(column: RunColumn): string {
  return t('Run {0}', column.number);
}

function shortDate(iso: string | null): string {
  if (!iso) {
    return '';
  }
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : date.toLocaleDateString(pageLocale(), { month: 'short', day: 'numeric' });
}

// ---------------------------------------------------------------------------------------------
// The chart

const SVG = 'http://www.w3.org/2000/svg';

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Record<string, string | number>): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) {
    node.setAttribute(name, String(value));
  }
  return node;
}

/**
 * Score per run, oldest on the left: the experiment's line, and the selected row's. Each point and
 * each definition change is focusable and says what it is; the chart as a whole says its range.
 */
function drawChart(table: RunsTable, selected: TableRow | undefined): HTMLElement {
  const figure = element('figure', 'trend');
  const width = 720;
  const height = 164;
  const pad = { left: 44, right: 22, top: 12, bottom: 40 };
  const columns = [...table.columns].reverse();
  const overall = [...table.overall.cells].reverse();
  const row = selected ? [...selected.cells].reverse() : undefined;
  const x = (index: number): number => pad.left + (columns.length <= 1 ? 0 : (index * (width - pad.left - pad.right)) / (columns.length - 1));
  const y = (score: number): number => pad.top + (1 - score) * (height - pad.top - pad.bottom);
  const scored = overall.filter((cell) => cell.score !== null).map((cell) => cell.score as number);
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'group', class: 'chart' });
  const summary =
    scored.length > 0
      ? t(
          'Experiment score over {0} runs, from {1} to {2}',
          columns.length,
          percent(overall.find((cell) => cell.score !== null)?.score ?? null),
          percent(scored[scored.length - 1]),
        )
      : t('No run of this experiment has a score yet');
  chart.setAttribute('aria-label', selected ? t('{0}; {1} shown too', summary, selected.label) : summary);
  for (const level of [0, 0.5, 1]) {
    chart.append(svg('line', { x1: pad.left, x2: width - pad.right, y1: y(level), y2: y(level), class: 'gridline' }));
    const label = svg('text', { x: pad.left - 6, y: y(level) + 4, class: 'axis', 'text-anchor': 'end' });
    label.textContent = `${level * 100}%`;
    chart.append(label);
  }
  // Run numbers, with their dates where there is room for them.
  const dated = columns.length <= 16;
  columns.forEach((column, index) => {
    const label = svg('text', { x: x(index), y: height - (dated ? 18 : 8), class: 'axis', 'text-anchor': 'middle' });
    label.textContent = String(column.number);
    chart.append(label);
    if (dated && column.createdAt) {
      const date = svg('text', { x: x(index), y: height - 6, class: 'axis date', 'text-anchor': 'middle' });
      date.textContent = shortDate(column.createdAt);
      chart.append(date);
    }
    if (column.definitionChanged) {
      // Between this run and the one before it (to its left): the block was edited.
      const at = index === 0 ? x(index) : (x(index) + x(index - 1)) / 2;
      chart.append(svg('line', { x1: at, x2: at, y1: pad.top, y2: height - pad.bottom, class: 'edit-line' }));
      const marker = svg('path', {
        d: `M ${at} ${pad.top - 6} l 6 6 l -6 6 l -6 -6 z`,
        class: 'edit-marker',
        tabindex: 0,
        role: 'button',
        'data-compare': String(index),
      });
      const words = t(
        'Block definition changed before run {0}{1}: Enter compares the two definitions',
        column.number,
        column.definitionFingerprint ? t(' (fingerprint {0})', column.definitionFingerprint) : '',
      );
      marker.setAttribute('aria-label', words);
      const title = svg('title', {});
      title.textContent = words;
      marker.append(title);
      chart.append(marker);
    }
  });
  const line = (cells: TableCell[], className: string, name: string): void => {
    const points = cells.map((cell, index) => (cell.score === null ? undefined : ([x(index), y(cell.score)] as const)));
    const path = points
      .map((point, index) => (point ? `${index === 0 || !points[index - 1] ? 'M' : 'L'} ${point[0].toFixed(1)} ${point[1].toFixed(1)}` : ''))
      .filter(Boolean)
      .join(' ');
    if (path) {
      chart.append(svg('path', { d: path, class: `series ${className}` }));
    }
    points.forEach((point, index) => {
      if (!point) {
        return;
      }
      const cell = cells[index];
      const dot = svg('circle', { cx: point[0], cy: point[1], r: 3.5, class: `point ${className}`, tabindex: 0, role: 'img' });
      const change = deltaText(cell.delta);
      const words = t(
        '{0}, run {1}{2}: {3}{4}',
        name,
        columns[index].number,
        columns[index].createdAt ? ` (${shortDate(columns[index].createdAt)})` : '',
        percent(cell.score),
        change.text ? t(', {0} points', change.text) : '',
      );
      dot.setAttribute('aria-label', words);
      const title = svg('title', {});
      title.textContent = words;
      dot.append(title);
      chart.append(dot);
    });
  };
  line(overall, 'overall', t('Experiment score'));
  if (row && selected) {
    line(row, 'selected', selected.label);
  }
  figure.append(chart);
  const legend = element('figcaption', 'legend');
  legend.append(element('span', 'key overall', t('Experiment score')));
  if (selected) {
    legend.append(element('span', 'key selected', selected.label));
  }
  if (table.columns.some((column) => column.definitionChanged)) {
    legend.append(element('span', 'key edit', t('Block definition changed')));
  }
  figure.append(legend);
  return figure;
}

// ---------------------------------------------------------------------------------------------
// The table

function cellButton(cell: TableCell, column: number, key: string, what: string): HTMLTableCellElement {
  const td = element('td', `cell band-${band(cell.score)}`);
  const change = deltaText(cell.delta);
  if (change.kind === 'down') {
    td.classList.add('regressed');
  }
  const button = element('button', 'cell-button');
  button.type = 'button';
  button.dataset.column = String(column);
  button.dataset.key = key;
  button.append(element('span', 'score', percent(cell.score)));
  if (change.text) {
    button.append(element('span', `delta delta-${change.kind}`, change.text));
  }
  const column_ = payload?.table.columns[column];
  button.setAttribute(
    'aria-label',
    t(
      '{0}, run {1}: {2}{3}',
      what,
      column_?.number ?? '',
      percent(cell.score),
      change.text
        ? t(
            change.kind === 'down' ? ', down {0} points' : change.kind === 'up' ? ', up {0} points' : ', unchanged {0} points',
            change.text.replace(/[▲▼=]\s*/, ''),
          )
        : '',
    ),
  );
  if (cell.score === null) {
    button.disabled = true;
  }
  td.append(button);
  return td;
}

function headerRow(table: RunsTable): HTMLTableRowElement {
  const tr = element('tr');
  const first = element('th', 'row-head');
  first.scope = 'col';
  const nameSort = element('button', 'sort', table.rowKind === 'document' ? t('Document') : table.rowKind === 'label' ? t('Label') : t('Field'));
  nameSort.type = 'button';
  nameSort.dataset.sort = 'name';
  first.setAttribute('aria-sort', view.sort.by === 'name' ? 'ascending' : 'none');
  first.append(nameSort);
  tr.append(first);
  table.columns.forEach((column, index) => {
    const th = element('th', `run-head state-${column.state}`);
    th.scope = 'col';
    const sortedHere = view.sort.by === 'column' && view.sort.column === index;
    th.setAttribute('aria-sort', sortedHere ? (view.sort.by === 'column' && view.sort.descending ? 'descending' : 'ascending') : 'none');
    const button = element('button', 'sort');
    button.type = 'button';
    button.dataset.sort = String(index);
    button.append(element('span', 'run-name', columnLabel(column)));
    if (column.definitionChanged) {
      const mark = element('span', 'edit-mark', '◆');
      mark.title = t('The block definition changed before this run');
      button.append(mark);
    }
    th.append(button);
    if (column.definitionChanged) {
      const compare = element('button', 'compare-definitions', t('Compare definitions'));
      compare.type = 'button';
      compare.dataset.compare = String(index);
      compare.title = t('Compare the block definition run {0} used with the one before it', column.number);
      th.append(compare);
    }
    th.append(element('div', 'run-date', shortDate(column.createdAt)));
    const note = columnNote(column);
    if (note) {
      const noteNode = element('div', 'run-note', note);
      if (column.stateMessage) {
        noteNode.title = column.stateMessage;
      }
      th.append(noteNode);
    }
    th.title = [t('Run {0}', column.number), column.runId, column.definitionChanged ? t('block definition changed before it') : '', note]
      .filter(Boolean)
      .join(' · ');
    tr.append(th);
  });
  return tr;
}

function dataRow(row: TableRow, what: 'field' | 'document', position: number): HTMLTableRowElement {
  const tr = element('tr', row.key === selectedKey ? 'row selected' : 'row');
  tr.dataset.key = row.key;
  tr.setAttribute('aria-rowindex', String(position + 5));
  const th = element('th', 'row-head');
  th.scope = 'row';
  const label = element('button', 'row-label', row.label);
  label.type = 'button';
  label.title = t('{0}: show it on the chart', row.label);
  label.dataset.select = row.key;
  th.append(label);
  tr.append(th);
  row.cells.forEach((cell, column) => tr.append(cellButton(cell, column, row.key, what === 'field' ? row.label : `${row.label}`)));
  return tr;
}

function countRow(name: string, values: number[]): HTMLTableRowElement {
  const tr = element('tr', 'count-row');
  const th = element('th', 'row-head', name);
  th.scope = 'row';
  tr.append(th);
  for (const value of values) {
    tr.append(element('td', 'count', value.toLocaleString(pageLocale())));
  }
  return tr;
}

let scroller: HTMLElement | undefined;
let body: HTMLTableSectionElement | undefined;

/** Draws the rows in view (all of them when few). */
function drawRows(): void {
  if (!payload || !body || !scroller) {
    return;
  }
  const what = payload.table.rowKind === 'document' ? 'document' : 'field';
  body.replaceChildren();
  if (arranged.length <= VIRTUALISE_ABOVE) {
    arranged.forEach((row, index) => body?.append(dataRow(row, what, index)));
    return;
  }
  const first = Math.max(0, Math.floor(scroller.scrollTop / ROW_HEIGHT) - OVERSCAN);
  const count = Math.ceil(scroller.clientHeight / ROW_HEIGHT) + 2 * OVERSCAN;
  const last = Math.min(arranged.length, first + count);
  const spacer = (rows: number): HTMLTableRowElement => {
    const tr = element('tr', 'spacer');
    tr.style.height = `${rows * ROW_HEIGHT}px`;
    tr.setAttribute('aria-hidden', 'true');
    return tr;
  };
  body.append(spacer(first));
  for (let index = first; index < last; index++) {
    body.append(dataRow(arranged[index], what, index));
  }
  body.append(spacer(arranged.length - last));
}

function toolbar(data: RunsTablePayload): HTMLElement {
  const bar = element('div', 'toolbar');
  const modes = element('div', 'modes');
  modes.setAttribute('role', 'radiogroup');
  modes.setAttribute('aria-label', t('Rows'));
  for (const [value, text] of [
    ['fields', data.table.rowKind === 'label' ? t('Labels') : t('Fields')],
    ['documents', t('Documents')],
  ] as const) {
    const button = element('button', 'mode', text);
    button.type = 'button';
    button.setAttribute('role', 'radio');
    button.setAttribute('aria-checked', String(mode === value));
    button.dataset.mode = value;
    modes.append(button);
  }
  bar.append(modes);
  const filter = element('input', 'filter');
  filter.type = 'search';
  filter.placeholder = mode === 'documents' ? t('Filter documents') : t('Filter fields');
  filter.setAttribute('aria-label', filter.placeholder);
  filter.value = view.filter;
  bar.append(filter);
  const sort = element('button', 'action', t('Regressions first'));
  sort.type = 'button';
  sort.dataset.sort = 'regression';
  sort.setAttribute('aria-pressed', String(view.sort.by === 'regression'));
  bar.append(sort);
  const actions: Array<[string, string]> = [
    ['chooseRuns', t('Runs… ({0} of {1})', data.chosen, data.runCount)],
    ['csv', t('Export CSV…')],
    ['markdown', t('Copy Markdown')],
    ['refresh', t('Refresh')],
  ];
  for (const [action, text] of actions) {
    const button = element('button', 'action', text);
    button.type = 'button';
    button.dataset.action = action;
    bar.append(button);
  }
  return bar;
}

function render(): void {
  if (!payload) {
    return;
  }
  const table = payload.table;
  arranged = arrangeRows(table, view);
  const selected = table.rows.find((row) => row.key === selectedKey);
  const heading = element('header', 'heading');
  heading.append(element('h1', undefined, payload.title));
  const regressions = table.rows.filter((row) => row.latestChange !== null && row.latestChange < -0.0005).length;
  heading.append(
    element(
      'p',
      'summary',
      t(
        table.rowKind === 'document'
          ? '{0} runs · {1} documents · {2} got worse in the newest run · read {3}'
          : table.rowKind === 'label'
            ? '{0} runs · {1} labels · {2} got worse in the newest run · read {3}'
            : '{0} runs · {1} fields · {2} got worse in the newest run · read {3}',
        table.columns.length,
        table.rows.length,
        regressions,
        payload.readAt,
      ),
    ),
  );
  const grid = element('table', 'grid');
  grid.setAttribute('aria-rowcount', String(arranged.length + 4));
  const head = element('thead');
  head.append(headerRow(table));
  const top = element('tbody', 'totals');
  const overall = dataRow(table.overall, 'field', -1);
  overall.classList.add('overall');
  top.append(
    overall,
    countRow(
      t('Documents'),
      table.columns.map((column) => column.documentCount),
    ),
    countRow(
      t('Errors'),
      table.columns.map((column) => column.errorCount),
    ),
  );
  body = element('tbody', 'rows');
  grid.append(head, top, body);
  scroller = element('div', 'scroller');
  scroller.tabIndex = -1;
  scroller.append(grid);
  scroller.addEventListener('scroll', () => {
    if (arranged.length > VIRTUALISE_ABOVE) {
      requestAnimationFrame(drawRows);
    }
  });
  const empty =
    arranged.length === 0 ? element('p', 'empty', view.filter ? t('No row matches "{0}".', view.filter) : t('No scores in these runs.')) : undefined;
  root.replaceChildren(heading, toolbar(payload), drawChart(table, selected), ...(empty ? [empty] : []), scroller);
  drawRows();
  root.dataset.state = 'shown';
  root.dataset.mode = mode;
}

function showProgress(read: number, total: number): void {
  if (payload) {
    return;
  }
  root.replaceChildren(element('p', 'loading', total > 0 ? t("Reading the runs' scores… {0} of {1}", read, total) : t('Reading the runs…')));
  root.dataset.state = 'loading';
}

// ---------------------------------------------------------------------------------------------
// Events

/** A definition-change marker (the chart's diamond, a header's button): Compare Definitions. */
function compareFrom(event: Event): boolean {
  const marker = (event.target as Element).closest('[data-compare]');
  const column = marker?.getAttribute('data-compare');
  if (column === null || column === undefined) {
    return false;
  }
  vscode.postMessage({ type: 'compareDefinitions', column: Number(column) });
  return true;
}

root.addEventListener('keydown', (event) => {
  // l10n-exempt: a key's name, not a word shown
  if ((event.key === 'Enter' || event.key === ' ') && (event.target as Element).closest('.edit-marker') && compareFrom(event)) {
    event.preventDefault();
  }
});

root.addEventListener('click', (event) => {
  if (compareFrom(event)) {
    return;
  }
  const target = (event.target as HTMLElement).closest('button');
  if (!target || !payload) {
    return;
  }
  if (target.dataset.mode) {
    const next = target.dataset.mode === 'documents' ? 'documents' : 'fields';
    if (next !== mode) {
      mode = next;
      view = { ...view, filter: '' };
      saveState();
      vscode.postMessage({ type: 'mode', mode });
    }
  } else if (target.dataset.sort) {
    const sort = target.dataset.sort;
    if (sort === 'regression' || sort === 'name') {
      view = { ...view, sort: { by: sort } };
    } else {
      const column = Number(sort);
      const again = view.sort.by === 'column' && view.sort.column === column;
      view = { ...view, sort: { by: 'column', column, descending: again ? !(view.sort.by === 'column' && view.sort.descending) : false } };
    }
    saveState();
    render();
    say(
      view.sort.by === 'regression'
        ? t('Sorted by regression')
        : view.sort.by === 'name'
          ? t('Sorted by name')
          : t('Sorted by run {0}', payload.table.columns[(view.sort as { column: number }).column]?.number ?? ''),
    );
  } else if (target.dataset.select !== undefined) {
    selectedKey = selectedKey === target.dataset.select ? undefined : target.dataset.select;
    render();
    const row = payload.table.rows.find((candidate) => candidate.key === selectedKey);
    say(row ? t('{0} shown on the chart', row.label) : t('Chart shows the experiment score'));
  } else if (target.dataset.column !== undefined && target.dataset.key !== undefined) {
    vscode.postMessage({ type: 'openCell', column: Number(target.dataset.column), key: target.dataset.key });
  } else if (target.dataset.action === 'chooseRuns' || target.dataset.action === 'refresh') {
    vscode.postMessage({ type: target.dataset.action });
  } else if (target.dataset.action === 'csv' || target.dataset.action === 'markdown') {
    vscode.postMessage({ type: 'export', format: target.dataset.action, view });
  }
});

root.addEventListener('input', (event) => {
  const input = event.target as HTMLInputElement;
  if (!input.classList.contains('filter')) {
    return;
  }
  view = { ...view, filter: input.value.slice(0, 200) };
  saveState();
  const position = input.selectionStart;
  render();
  const again = root.querySelector<HTMLInputElement>('input.filter');
  again?.focus();
  if (again && position !== null) {
    again.setSelectionRange(position, position);
  }
  say(`${arranged.length} rows`);
});

window.addEventListener('message', (event: MessageEvent) => {
  const message = parseHostMessage(event.data);
  if (!message) {
    return;
  }
  if (message.type === 'show') {
    const started = performance.now();
    payload = message.payload;
    mode = payload.mode;
    runIds = Array.isArray(payload.runIds) ? payload.runIds.filter((id) => typeof id === 'string') : [];
    saveState();
    render();
    vscode.postMessage({ type: 'rendered', ms: performance.now() - started, cells: root.querySelectorAll('td').length });
  } else if (message.type === 'progress') {
    showProgress(message.read, message.total);
  } else {
    root.replaceChildren(element('p', 'error', message.message));
    root.dataset.state = 'failed';
  }
});

saveState();
vscode.postMessage({ type: 'ready' });
