/**
 * Every key the repository's caches use, built here and only here: a key says what the data is
 * (a run of an experiment of a workflow, a job, a field view), so two callers can never spell the
 * same thing two ways, nor two things one way (ids cannot hold '/' or ' '; paths come last).
 */
import { JobRef } from '../api/ids';

export const cacheKeys = {
  workflowPage: (after: string | undefined): string => after ?? '',
  experiments: (workflowId: string): string => workflowId,
  runs: (workflowId: string, experimentId: string): string => `${workflowId}/${experimentId}`,
  run: (workflowId: string, experimentId: string, runId: string): string => `${workflowId}/${experimentId}/${runId}`,
  job: (ref: JobRef): string => `${ref.workflowId}/${ref.experimentId}/${ref.runId}/${ref.documentId}`,
  artifact: (operation: string, artifactId: string): string => `${operation}/${artifactId}`,
  // l10n-exempt: cache keys, never shown
  documentFields: (ref: JobRef): string => `doc ${ref.runId}/${ref.documentId}`,
  // l10n-exempt: cache keys, never shown
  fieldDocuments: (runId: string, path: string): string => `field ${runId}/${path}`,
  // l10n-exempt: cache keys, never shown
  fieldVotes: (ref: JobRef, path: string): string => `votes ${ref.runId}/${ref.documentId}/${path}`,
} as const;
