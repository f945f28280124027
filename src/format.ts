import { displayLocale, l10n } from './l10n';

/** Human-readable figures shared by the tree, hovers and the panel, in VS Code's display language. */

/**
 * Intl formatters by language and kind, each made once: making one costs tens of microseconds, and
 * a 5,000-document run formats thousands of figures at once (measured: 35–40 ms a draw without this).
 */
const formatters = new Map<string, unknown>();

function formatter<T>(kind: string, make: (locale: string) => T): T {
  const locale = displayLocale();
  const key = `${locale} ${kind}`;
  if (!formatters.has(key)) {
    formatters.set(key, make(locale));
  }
  return formatters.get(key) as T;
}

function numberFormat(kind: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  return formatter(kind, (locale) => new Intl.NumberFormat(locale, options));
}

/** A number in the display language ("1,234.5" in English, "1 234,5" in French). */
export function formatNumber(value: number, fractionDigits?: number): string {
  return fractionDigits === undefined
    ? numberFormat('plain', {}).format(value)
    : numberFormat(`digits${fractionDigits}`, { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits }).format(value);
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) {
    return '—';
  }
  if (ms < 1000) {
    return `${formatNumber(Math.round(ms))} ms`;
  }
  const seconds = ms / 1000;
  if (seconds < 60) {
    return `${formatNumber(seconds, seconds < 10 ? 1 : 0)} s`;
  }
  const minutes = Math.floor(seconds / 60);
  const rest = Math.round(seconds % 60);
  if (minutes < 60) {
    // l10n-exempt: units (h, min, s) read the same in the languages shipped
    return `${minutes} min ${rest} s`;
  }
  // l10n-exempt: units (h, min, s) read the same in the languages shipped
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export function formatScore(score: number | null | undefined): string {
  if (score === null || score === undefined) {
    return '—';
  }
  // English keeps "98.1%"; other languages their own form ("98,1 %").
  return numberFormat('percent', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(score);
}

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

export function formatRelativeTime(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) {
    return '';
  }
  const time = Date.parse(iso);
  if (Number.isNaN(time)) {
    return '';
  }
  const seconds = Math.round((time - now) / 1000);
  const relative = formatter('relative', (locale) => new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }));
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) {
      return relative.format(Math.round(seconds / size), unit);
    }
  }
  return l10n.t('just now');
}

/** The time of day, local, to the second ("14:02:11"): when something was fetched this session. */
export function formatClock(time: number): string {
  const date = new Date(time);
  const two = (value: number): string => String(value).padStart(2, '0');
  return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}

export function formatTimestamp(iso: string | null | undefined): string {
  if (!iso) {
    return '—';
  }
  const time = Date.parse(iso);
  if (Number.isNaN(time)) {
    return iso;
  }
  if (!displayLocale().startsWith('en')) {
    // Other languages read their own date and time; the zone stays UTC, as the server's times are.
    const shown = formatter('date', (locale) => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'UTC' })).format(time);
    // l10n-exempt: a time zone's name
    return `${shown} UTC`;
  }
  return new Date(time)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z')
    .replace('Z', ' UTC');
}

/**
 * The first line of a (possibly huge, multi-line) error, short enough for a tree row. Reads only
 * the first `maxLength` characters after the leading blanks: a run of 5,000 documents with long
 * single-line errors must not split every one of them whole.
 */
export function firstLine(text: string, maxLength = 80): string {
  const start = text.search(/\S/);
  if (start === -1) {
    return '';
  }
  const line = text.slice(start, start + maxLength + 1).split(/\r?\n/, 1)[0] ?? '';
  // Longer than what was read: the line goes on, so it is cut; otherwise trailing blanks go.
  return line.length > maxLength ? `${line.slice(0, maxLength - 1)}…` : line.trimEnd();
}

/**
 * A count with its noun: `one` and `many` are translated messages with `{0}` for the number
 * ("{0} document", "{0} documents"), so each language words both forms its own way.
 */
export function plural(count: number, one: string, many: string): string {
  return (count === 1 ? one : many).replace('{0}', formatNumber(count));
}

/** `▲ 3.1` / `▼ 0.4` percentage points against an earlier score; empty when either is missing. */
export function formatScoreDelta(score: number | null | undefined, earlier: number | null | undefined): string {
  if (score === null || score === undefined || earlier === null || earlier === undefined) {
    return '';
  }
  const points = (score - earlier) * 100;
  if (Math.abs(points) < 0.05) {
    return `= ${formatNumber(0, 1)}`;
  }
  return `${points > 0 ? '▲' : '▼'} ${formatNumber(Math.abs(points), 1)}`;
}

/**
 * Bidi overrides and isolates (U+202A–U+202E, U+2066–U+2069, the U+061C mark) and zero-width
 * characters (U+200B–U+200F, U+2060, U+FEFF) let a server name read differently from what it
 * is ("Trojan Source" reordering, look-alike names). They are shown as a visible `⟨U+202E⟩`.
 */
const INVISIBLES = /[\u061C\u200B-\u200F\u202A-\u202E\u2060\u2066-\u2069\uFEFF]/g;

const MARKERS: ReadonlyMap<string, string> = new Map(
  [0x061c, 0x200b, 0x200c, 0x200d, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2060, 0x2066, 0x2067, 0x2068, 0x2069, 0xfeff].map((code) => [
    String.fromCharCode(code),
    `⟨U+${code.toString(16).toUpperCase().padStart(4, '0')}⟩`,
  ]),
);

export function showInvisibles(text: string): string {
  return text.replace(INVISIBLES, (char) => MARKERS.get(char) ?? char);
}

/**
 * A status as a person reads it in the display language: the server's own word (completed,
 * running, published…) for one it names that is not listed here.
 */
export function statusWord(status: string): string {
  switch (status) {
    case 'pending':
      return l10n.t('pending');
    case 'queued':
      return l10n.t('queued');
    case 'running':
      return l10n.t('running');
    case 'processing':
      return l10n.t('processing');
    case 'completed':
      return l10n.t('completed');
    case 'error':
      return l10n.t('error');
    case 'failed':
      return l10n.t('failed');
    case 'cancelled':
      return l10n.t('cancelled');
    case 'skipped':
      return l10n.t('skipped');
    case 'draft':
      return l10n.t('draft');
    case 'published':
      return l10n.t('published');
    case 'unknown':
      return l10n.t('unknown');
    default:
      return status;
  }
}
