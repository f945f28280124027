import { l10n } from '../../l10n';
import { JobStatus } from '../../api/models';
import { DocumentNode } from './nodes';

export type DocumentSort = 'default' | 'score' | 'status' | 'duration';

export interface DocumentFilter {
  statuses?: readonly JobStatus[];
  /** Keep documents whose score is below this (0..1). */
  scoreBelow?: number;
  /** Case-insensitive part of the file name or document id. */
  text?: string;
}

export const sortLabels = (): Record<DocumentSort, string> => ({
  default: l10n.t('Server order'),
  score: l10n.t('Lowest score first'),
  status: l10n.t('Status (failures first)'),
  duration: l10n.t('Slowest first'),
});

const STATUS_ORDER: Record<JobStatus, number> = {
  error: 0,
  cancelled: 1,
  running: 2,
  pending: 3,
  queued: 4,
  skipped: 5,
  unknown: 6,
  completed: 7,
};

export function isFiltering(filter: DocumentFilter): boolean {
  return Boolean(filter.statuses?.length || filter.scoreBelow !== undefined || filter.text);
}

/** Filters then sorts a run's documents; stable, so ties keep the server's order. */
export function arrangeDocuments(nodes: readonly DocumentNode[], sort: DocumentSort, filter: DocumentFilter): DocumentNode[] {
  const text = filter.text?.toLowerCase();
  const statuses = filter.statuses?.length ? new Set(filter.statuses) : undefined;
  const kept = nodes.filter((node) => {
    if (statuses && !statuses.has(node.job.status)) {
      return false;
    }
    if (filter.scoreBelow !== undefined) {
      const score = node.metric?.score;
      if (score === null || score === undefined || score >= filter.scoreBelow) {
        return false;
      }
    }
    if (text) {
      const filenames = node.job.handleInputs.map((input) => input.filename ?? '').join(' ');
      return `${filenames} ${node.job.documentId}`.toLowerCase().includes(text);
    }
    return true;
  });
  switch (sort) {
    case 'default':
      return kept;
    case 'score':
      return kept.sort((a, b) => (a.metric?.score ?? Infinity) - (b.metric?.score ?? Infinity));
    case 'status':
      return kept.sort((a, b) => STATUS_ORDER[a.job.status] - STATUS_ORDER[b.job.status]);
    case 'duration':
      return kept.sort((a, b) => (b.job.durationMs ?? -1) - (a.job.durationMs ?? -1));
  }
}

/** What the view's description says, so a hidden filter never surprises anyone. */
export function describeArrangement(sort: DocumentSort, filter: DocumentFilter): string | undefined {
  const parts: string[] = [];
  if (filter.statuses?.length) {
    parts.push(l10n.t('status: {0}', filter.statuses.join(', ')));
  }
  if (filter.scoreBelow !== undefined) {
    parts.push(l10n.t('score < {0}%', Math.round(filter.scoreBelow * 100)));
  }
  if (filter.text) {
    parts.push(`"${filter.text}"`);
  }
  if (sort !== 'default') {
    parts.push(l10n.t('sorted: {0}', sortLabels()[sort].toLowerCase()));
  }
  return parts.length > 0 ? parts.join(' · ') : undefined;
}
