import { l10n } from '../../l10n';
import { RetabError } from '../../api/errors';
import { JobRef, assertSafeId } from '../../api/ids';

/**
 * `retab.openJob` is reachable from command links and other extensions, so its argument is
 * checked like any other untrusted input.
 */
export function parseOpenJobArgument(value: unknown): JobRef {
  if (typeof value !== 'object' || value === null) {
    throw new RetabError('invalid_id', l10n.t('retab.openJob needs { workflowId, experimentId, runId, documentId }.'));
  }
  const record = value as Record<string, unknown>;
  const field = (key: keyof JobRef, label: string): string => {
    const raw = record[key];
    if (typeof raw !== 'string') {
      throw new RetabError('invalid_id', l10n.t('retab.openJob: {0} is missing.', key));
    }
    return assertSafeId(raw, label);
  };
  return {
    workflowId: field('workflowId', l10n.t('Workflow id')),
    experimentId: field('experimentId', l10n.t('Experiment id')),
    runId: field('runId', l10n.t('Run id')),
    documentId: field('documentId', l10n.t('Document id')),
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
