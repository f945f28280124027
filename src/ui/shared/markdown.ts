import { JobRef, isSafeId } from '../../api/ids';
import { showInvisibles } from '../../format';
import { COMMANDS } from './names';

/**
 * The only way server or user text enters a MarkdownString (hovers, tree tooltips). Hovers are
 * trusted for our commands, so text that could become Markdown (a link, an image, a code span
 * closing early, raw HTML) would run commands or load remote content.
 */

/** Every ASCII punctuation character: CommonMark lets each be backslash-escaped, so all are. */
const PUNCTUATION = /[!-/:-@[-`{-~]/g;
/** VS Code's theme-icon syntax; with `supportThemeIcons` it would draw an icon from server text. */
const THEME_ICON = /\$\([A-Za-z0-9-]+(?:~[A-Za-z0-9-]+)?\)/g;
const LINE_BREAKS = /\r\n|[\r\n\u2028\u2029]/g;

/** Inline text: every special escaped, line breaks made spaces, invisible characters shown. */
export function escapeMarkdown(text: string): string {
  return escapeLine(showInvisibles(text).replace(LINE_BREAKS, ' '));
}

/** Multi-line text: each line escaped, kept as a hard line break. */
export function escapeMarkdownLines(text: string): string {
  return showInvisibles(text).split(LINE_BREAKS).map(escapeLine).join('  \n');
}

function escapeLine(line: string): string {
  // VS Code's own appendText marks `$(name)` with a literal backslash, which its icon renderer
  // reads as "not an icon"; the backslash is itself escaped below, so it survives Markdown.
  // `$&` is the match: a replacement string, not a callback, keeps 100,000 specials cheap.
  return line.replace(THEME_ICON, '\\$&').replace(PUNCTUATION, '\\$&');
}

/**
 * An inline code span that nothing inside can close: its fence is longer than any run of
 * backticks in the text, and line breaks (a blank line would end the paragraph) become spaces.
 */
export function codeSpan(text: string): string {
  const content = showInvisibles(text).replace(LINE_BREAKS, ' ');
  if (content === '') {
    return '';
  }
  const fence = '`'.repeat(longestRun(content, '`') + 1);
  // Markdown strips one space from each side when both have one (and the text is not all
  // spaces): padding lets the text start or end with a backtick, or with a space, unchanged.
  const pad = content.startsWith('`') || content.endsWith('`') || (content.startsWith(' ') && content.endsWith(' ') && content.trim() !== '') ? ' ' : '';
  return `${fence}${pad}${content}${pad}${fence}`;
}

/** A fenced block whose fence no line of the text can match, so the text cannot leave it. */
export function codeBlock(text: string, language = 'text'): string {
  const content = showInvisibles(text).replace(LINE_BREAKS, '\n');
  const fence = '`'.repeat(Math.max(3, longestRun(content, '`') + 1));
  return `\n${fence}${language.replace(/[^A-Za-z0-9-]/g, '')}\n${content}\n${fence}\n`;
}

function longestRun(text: string, char: string): number {
  let longest = 0;
  let current = 0;
  for (let index = 0; index < text.length; index++) {
    current = text[index] === char ? current + 1 : 0;
    longest = Math.max(longest, current);
  }
  return longest;
}

/** The commands a trusted hover may link to; the MarkdownString's own allow-list says the same. */
export type LinkCommand = typeof COMMANDS.openJob | typeof COMMANDS.lookupJob;

/**
 * `command:…?args` for our own commands, or undefined unless every id passes `isSafeId`: ids
 * from the server or from a file cannot shape a command link.
 */
export function commandUri(command: typeof COMMANDS.openJob, args: JobRef): string | undefined;
export function commandUri(command: typeof COMMANDS.lookupJob, args: readonly string[]): string | undefined;
export function commandUri(command: LinkCommand, args: JobRef | readonly string[]): string | undefined {
  return anyCommandUri(command, args);
}

function anyCommandUri(command: LinkCommand, args: JobRef | readonly string[]): string | undefined {
  const ids = isIdList(args) ? args : [args.workflowId, args.experimentId, args.runId, args.documentId];
  if (!ids.every(isSafeId)) {
    return undefined;
  }
  const argument = isIdList(args)
    ? args.join(' ')
    : { workflowId: args.workflowId, experimentId: args.experimentId, runId: args.runId, documentId: args.documentId };
  // encodeURIComponent leaves `(`, `)`, `'`, `!` and `*`; a `)` would end a Markdown link.
  const query = encodeURIComponent(JSON.stringify([argument])).replace(/[()'!*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
  return `command:${command}?${query}`;
}

/** `$(icon) [label](command:…)`, or the label as plain text when `commandUri` refuses the ids. */
export function commandLink(icon: string, label: string, command: typeof COMMANDS.openJob, args: JobRef): string;
export function commandLink(icon: string, label: string, command: typeof COMMANDS.lookupJob, args: readonly string[]): string;
export function commandLink(icon: string, label: string, command: LinkCommand, args: JobRef | readonly string[]): string {
  const shown = `${/^[a-z0-9-]+$/.test(icon) ? `$(${icon}) ` : ''}${escapeMarkdown(label)}`;
  const uri = anyCommandUri(command, args);
  return uri ? `[${shown}](${uri})` : shown;
}

function isIdList(args: JobRef | readonly string[]): args is readonly string[] {
  return Array.isArray(args);
}

/**
 * Server text for a notification. Notifications render `[label](target)` as a link (commands
 * included), so the pair is broken apart; bidi and zero-width characters are shown.
 */
export function notificationText(text: string): string {
  return showInvisibles(text).replace(/\]\s*\(/g, '] (');
}
