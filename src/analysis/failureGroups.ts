import { l10n } from '../l10n';
import { ID_PREFIX_PATTERN } from '../api/ids';
import { Job } from '../api/models';

export interface FailureGroup {
  /** The error with its variable parts folded, e.g. `Timeout after <n> ms reading <path>`. */
  signature: string;
  /** One real message of the group, to show as an example. */
  example: string;
  jobs: Job[];
}

/** Artifact and request ids are folded as well as ours; ours come from ID_PREFIXES. */
const OTHER_ID_PREFIXES = 'ext|cls|spl|req';

/** Every fold runs on one line of at most 500 characters (see normaliseError). */
const FOLDS: Array<[RegExp, string]> = [
  [new RegExp(`\\b(?:${ID_PREFIX_PATTERN}|${OTHER_ID_PREFIXES})_[A-Za-z0-9_-]+`, 'g'), '<id>'],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<uuid>'],
  [/\b[0-9a-f]{16,}\b/gi, '<hash>'],
  [/(?:[A-Za-z]:)?(?:[\\/][\w.\- ]+){2,}/g, '<path>'],
  // Starts only where a name starts (the look-behind): from every `.` or `-` inside a long name
  // it was read again to the end, quadratic even within 500 characters (0.3 ms per message).
  [/(?<![\w.-])[\w.-]+\.(?:pdf|png|jpe?g|tiff?|docx?|xlsx?|csv|txt|json|py|ts|js)\b/gi, '<file>'],
  [/\b\d{4}-\d{2}-\d{2}[T ][\d:.]+Z?\b/g, '<time>'],
  [/-?\b\d+(?:\.\d+)?\b/g, '<n>'],
  [/(["'])(?:(?!\1).){1,80}\1/g, '<str>'],
];

/**
 * Folds what varies between occurrences of the same failure (ids, numbers, paths, quoted
 * values) so that the same root cause groups together. Only the first line counts: tracebacks
 * below it differ in details that do not change the cause.
 */
export function normaliseError(message: string): string {
  // Only the first 500 characters of the first line are read, so a 5 MB message costs no more
  // than a short one (trimming and splitting all of it took 16 ms).
  const start = message.search(/\S/);
  let folded = start === -1 ? '' : (message.slice(start, start + 500).split(/\r?\n/, 1)[0] ?? '');
  for (const [pattern, replacement] of FOLDS) {
    folded = folded.replace(pattern, replacement);
  }
  return folded.replace(/\s+/g, ' ').trim() || l10n.t('(empty error message)');
}

/** Failed jobs grouped by cause, largest group first. */
export function groupFailures(jobs: readonly Job[]): FailureGroup[] {
  const groups = new Map<string, FailureGroup>();
  for (const job of jobs) {
    if (job.status !== 'error') {
      continue;
    }
    const message = job.error ?? l10n.t('(no error message)');
    const signature = normaliseError(message);
    const group = groups.get(signature);
    if (group) {
      group.jobs.push(job);
    } else {
      groups.set(signature, { signature, example: message, jobs: [job] });
    }
  }
  return [...groups.values()].sort((a, b) => b.jobs.length - a.jobs.length || a.signature.localeCompare(b.signature));
}
