import { isSafeId } from '../api/ids';
import { Experiment, RunSummary, WorkflowPage } from '../api/models';

/**
 * Lists kept across reloads are stored in the domain's own shape with a version, never as one
 * generation's wire JSON: what a G1 server sent yesterday still reads when the server speaks G3
 * today. A version or shape this build does not know is ignored, not trusted.
 */
export const SAVED_LISTS_VERSION = 1;

type Kind = 'workflows' | 'experiments' | 'runs';

interface Saved {
  version: number;
  kind: Kind;
  data: unknown;
}

export function savedList(kind: 'workflows', data: WorkflowPage): Saved;
export function savedList(kind: 'experiments', data: Experiment[]): Saved;
export function savedList(kind: 'runs', data: RunSummary[]): Saved;
export function savedList(kind: Kind, data: unknown): Saved {
  return { version: SAVED_LISTS_VERSION, kind, data };
}

function payload(value: unknown, kind: Kind): unknown {
  if (typeof value !== 'object' || value === null) {
    return undefined;
  }
  const saved = value as Partial<Saved>;
  return saved.version === SAVED_LISTS_VERSION && saved.kind === kind ? saved.data : undefined;
}

function hasSafeIds(items: unknown): items is Array<{ id: string }> {
  return (
    Array.isArray(items) &&
    items.every(
      (item: unknown) =>
        typeof item === 'object' && item !== null && typeof (item as { id?: unknown }).id === 'string' && isSafeId((item as { id: string }).id),
    )
  );
}

export function restoreWorkflowPage(value: unknown): WorkflowPage | undefined {
  const data = payload(value, 'workflows');
  if (typeof data !== 'object' || data === null) {
    return undefined;
  }
  const page = data as Partial<WorkflowPage>;
  return hasSafeIds(page.workflows)
    ? { workflows: page.workflows, nextCursor: page.nextCursor ?? null, previousCursor: page.previousCursor ?? null }
    : undefined;
}

export function restoreExperiments(value: unknown): Experiment[] | undefined {
  const data = payload(value, 'experiments');
  return hasSafeIds(data) ? (data as Experiment[]) : undefined;
}

export function restoreRuns(value: unknown): RunSummary[] | undefined {
  const data = payload(value, 'runs');
  return hasSafeIds(data) ? (data as RunSummary[]) : undefined;
}
