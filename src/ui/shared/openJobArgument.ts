import { RetabError } from '../../api/errors';
import { JobRef, assertSafeId } from '../../api/ids';

/**
 * `retab.openJob` is reachable from command links and other extensions, so its argument is
 * checked like any other untrusted input.
 */
export function parseOpenJobArgument(value: unknown): JobRef {
  if (typeof value !== 'object' || value === null) {
    throw new RetabError('invalid_id', 'retab.openJob needs { workflowId, experimentId, runId, documentId }.');
  }
  const record = value as Record<string, unknown>;
  const field = (key: keyof JobRef, label: string): string => {
    const raw = record[key];
    if (typeof raw !== 'string') {
      throw new RetabError('invalid_id', `retab.openJob: ${key} is missing.`);
    }
    return assertSafeId(raw, label);
  };
  return {
    workflowId: field('workflowId', 'Workflow id'),
    experimentId: field('experimentId', 'Experiment id'),
    runId: field('runId', 'Run id'),
    documentId: field('documentId', 'Document id'),
  };
}

/** A field path the job is opened on (a row of a field's documents): server text, only bounded. */
export function parseOpenJobField(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) {
    return undefined;
  }
  const path = (value as Record<string, unknown>).fieldPath;
  return typeof path === 'string' && path.length > 0 && path.length <= 2_000 ? path : undefined;
}
