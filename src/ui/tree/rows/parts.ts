/**
 * What several rows share: tooltips as untrusted Markdown, parts joined with " · ", words for
 * screen readers, the marks their decorations read, and the words of field rows.
 */
import { l10n } from '../../../l10n';
import * as vscode from 'vscode';
import { formatScoreDelta, showInvisibles } from '../../../format';
import { RowMark, rowUri } from '../../decorations/rowMarks';
import { FieldNode, RunNode } from '../nodes';

/**
 * Tree rows carry server text: markdown tooltips must not let it inject links or commands, so
 * every piece of it goes through the helpers of ../markdown.
 */
export function markdown(): vscode.MarkdownString {
  const text = new vscode.MarkdownString('', true);
  text.isTrusted = false;
  return text;
}

/** " · " between the parts that say something: an unknown value is left out, never shown as "—". */
export function joinParts(parts: ReadonlyArray<string | false | null | undefined>): string {
  return parts.filter((part): part is string => typeof part === 'string' && part !== '' && part !== '—').join(' · ');
}

/** "▲ 3.1" read aloud. */
export function spokenDelta(delta: string): string {
  if (delta.startsWith('▲')) {
    return l10n.t('up {0} points', delta.slice(1).trim());
  }
  if (delta.startsWith('▼')) {
    return l10n.t('down {0} points', delta.slice(1).trim());
  }
  return delta === '= 0.0' ? 'unchanged' : delta;
}

export function accessible(...parts: ReadonlyArray<string | false | null | undefined>): vscode.AccessibilityInformation {
  return { label: parts.filter((part): part is string => typeof part === 'string' && part !== '' && part !== '—').join(', ') };
}

export function markedUri(kind: string, id: string, marks: readonly RowMark[]): vscode.Uri | undefined {
  return marks.length > 0 ? vscode.Uri.parse(rowUri(kind, id, marks)) : undefined;
}

export function firstLines(text: string, count: number): string {
  const lines = text.split(/\r?\n/);
  const shown = lines.slice(0, count).map((line) => (line.length > 200 ? `${line.slice(0, 199)}…` : line));
  return lines.length > count ? `${shown.join('\n')}\n…` : shown.join('\n');
}

/** The run a field row compares with: the one listed just before its own. */
export function priorRunName(run: RunNode): string {
  return l10n.t('run {0}', run.number - 1);
}

/** "field" or "label", for a field row's words. */
export function fieldNoun(node: FieldNode): string {
  return node.label ? 'label' : 'field';
}

/** A path for a row's label: whole unless absurdly long (the tooltip has it whole). */
export function shownPath(path: string): string {
  const shown = showInvisibles(path);
  return shown.length > 120 ? `${shown.slice(0, 119)}…` : shown;
}

/** `worse` / `better` from the score change, on the same threshold as the `▲` / `▼` shown. */
export function changeMarks(score: number | null, priorScore: number | null): RowMark[] {
  const delta = formatScoreDelta(score, priorScore);
  return delta.startsWith('▼') ? ['worse'] : delta.startsWith('▲') ? ['better'] : [];
}
