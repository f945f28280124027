/**
 * States of a tree row that must be seen even when its description is cut off by a narrow
 * sidebar. They travel in the query of the row's `resourceUri` (`retab-tree:/run/exprun_1?older`),
 * so the decoration provider reads them from the URI alone and needs no lookup and no change
 * event: a row whose state changes gets another URI, and VS Code asks again.
 *
 * No `vscode` import here: what a state looks like is unit-tested in plain Node.
 */
import { l10n } from '../../l10n';

/** Not a file: VS Code opens nothing for it, and only our provider decorates it. */
export const TREE_SCHEME = 'retab-tree';

/** `worse` / `better`: a field's (or a document's field) score against the run before. */
export const ROW_MARKS = ['stale', 'drifted', 'older', 'error', 'worse', 'better'] as const;
export type RowMark = (typeof ROW_MARKS)[number];

export interface DecorationSpec {
  /** At most two characters: VS Code refuses longer badges. */
  badge?: string;
  /** A theme colour id, for the label. */
  color?: string;
  tooltip?: string;
}

/**
 * `retab-tree:/kind/id?mark,mark`; ids are validated (letters, digits, `_`, `-`), so nothing needs
 * escaping. Field rows pass their run's id, never their path (server text).
 */
export function rowUri(kind: string, id: string, marks: readonly RowMark[]): string {
  return `${TREE_SCHEME}:/${kind}/${id}?${marks.join(',')}`;
}

export function marksOf(query: string): RowMark[] {
  return query.split(',').filter((mark): mark is RowMark => (ROW_MARKS as readonly string[]).includes(mark));
}

/**
 * Letters as Git's decorations use them (the badge sits at the row's right edge, which a long
 * name never pushes out of view); the words are in the row's tooltip and accessible label.
 */
export function decorationSpec(marks: readonly RowMark[]): DecorationSpec | undefined {
  const has = new Set(marks);
  if (has.has('error')) {
    return { color: 'list.errorForeground', tooltip: l10n.t('Could not load') };
  }
  const stale = has.has('stale');
  const drifted = has.has('drifted');
  if (stale || drifted) {
    const badge = `${stale ? 'S' : ''}${drifted ? 'D' : ''}`;
    const tooltip = [stale ? 'S: stale' : '', drifted ? l10n.t('D: schema drifted') : ''].filter(Boolean).join(', ');
    return { badge, color: 'list.warningForeground', tooltip };
  }
  if (has.has('older')) {
    // Dimmed, as VS Code dims ignored files: still there, but not what the experiment is now.
    return { color: 'list.deemphasizedForeground', tooltip: l10n.t('Older block definition') };
  }
  // The arrow is what a long field path cannot push out of view; the amber says "look here".
  if (has.has('worse')) {
    return { badge: '▼', color: 'list.warningForeground', tooltip: l10n.t('Worse than the run before') };
  }
  if (has.has('better')) {
    return { badge: '▲', tooltip: l10n.t('Better than the run before') };
  }
  return undefined;
}
