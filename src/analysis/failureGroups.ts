import { Job } from '../api/models';

export interface FailureGroup {
  /** The error with its variable parts folded, e.g. `Timeout after <n> ms reading <path>`. */
  signature: string;
  /** One real message of the group, to show as an example. */
  example: string;
  jobs: Job[];
}

const FOLDS: Array<[RegExp, string]> = [
  [/\b(?:wf|exp|exprun|expdoc|expjob|ext|cls|spl|req)_[A-Za-z0-9_-]+/g, '<id>'],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<uuid>'],
  [/\b[0-9a-f]{16,}\b/gi, '<hash>'],
  [/(?:[A-Za-z]:)?(?:[\\/][\w.\- ]+){2,}/g, '<path>'],
  [/\b[\w.-]+\.(?:pdf|png|jpe?g|tiff?|docx?|xlsx?|csv|txt|json|py|ts|js)\b/gi, '<file>'],
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
  const firstLine = message.trim().split(/\r?\n/, 1)[0] ?? '';
  let folded = firstLine.slice(0, 500);
  for (const [pattern, replacement] of FOLDS) {
    folded = folded.replace(pattern, replacement);
  }
  return folded.replace(/\s+/g, ' ').trim() || '(empty error message)';
}

/** Failed jobs grouped by cause, largest group first. */
export function groupFailures(jobs: readonly Job[]): FailureGroup[] {
  const groups = new Map<string, FailureGroup>();
  for (const job of jobs) {
    if (job.status !== 'error') {
      continue;
    }
    const message = job.error ?? '(no error message)';
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
