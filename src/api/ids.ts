import { RetabError } from './errors';

export const ID_PREFIXES = {
  workflow: 'wf',
  experiment: 'exp',
  run: 'exprun',
  document: 'expdoc',
  job: 'expjob',
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

/** Identifies one document's job: the four path segments of the job endpoint. */
export interface JobRef {
  workflowId: string;
  experimentId: string;
  runId: string;
  documentId: string;
}

/**
 * Only letters, digits, `_` and `-`: ids go into URL paths, so anything that could change the
 * path (`/`, `..`, `?`, `#`, spaces, percent escapes) is refused before a request is built.
 */
const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,199}$/;

export function isSafeId(value: string): boolean {
  return SAFE_ID.test(value);
}

export function assertSafeId(value: string, label: string): string {
  if (!isSafeId(value)) {
    const shown = value.length > 60 ? `${value.slice(0, 60)}…` : value;
    throw new RetabError('invalid_id', `${label} "${shown}" is not a valid Retab id (letters, digits, "_" and "-" only).`);
  }
  return value;
}

const KIND_BY_PREFIX: ReadonlyMap<string, IdKind> = new Map(
  (Object.entries(ID_PREFIXES) as [IdKind, string][]).map(([kind, prefix]) => [prefix, kind]),
);

/** Matches prefixed ids inside any text: logs, JSON, source code, URLs. */
const ID_IN_TEXT = /(?<![A-Za-z0-9_-])(wf|exp|exprun|expdoc|expjob)_[A-Za-z0-9_-]*[A-Za-z0-9]/g;

export interface FoundId {
  kind: IdKind;
  id: string;
  start: number;
  end: number;
}

export function findIds(text: string): FoundId[] {
  const found: FoundId[] = [];
  for (const match of text.matchAll(ID_IN_TEXT)) {
    const kind = KIND_BY_PREFIX.get(match[1]);
    if (kind && match.index !== undefined) {
      found.push({ kind, id: match[0], start: match.index, end: match.index + match[0].length });
    }
  }
  return found;
}

export function idKind(id: string): IdKind | undefined {
  const match = /^(wf|exp|exprun|expdoc|expjob)_/.exec(id);
  return match ? KIND_BY_PREFIX.get(match[1]) : undefined;
}

export type PartialJobRef = Partial<JobRef> & { jobId?: string };

const JSON_KEYS: ReadonlyArray<[keyof PartialJobRef, readonly string[]]> = [
  ['workflowId', ['workflow_id', 'workflowId', 'workflow']],
  ['experimentId', ['experiment_id', 'experimentId', 'experiment']],
  ['runId', ['run_id', 'runId', 'run']],
  ['documentId', ['document_id', 'documentId', 'document']],
];

/**
 * Reads whatever the user pasted (ids in any order and with any separators, a job's JSON,
 * a link) into the parts of a job reference it holds. Named keys win over bare ids, because a
 * JSON job also carries unrelated ids (its artifact, its parent run).
 */
export function parseJobRefText(text: string): PartialJobRef {
  const ref: PartialJobRef = {};
  const named = namedIds(text);
  for (const [field, keys] of JSON_KEYS) {
    const value = keys.map((key) => named.get(key)).find((candidate) => candidate !== undefined);
    if (value && isSafeId(value)) {
      ref[field] = value;
    }
  }
  const fieldByKind: Partial<Record<IdKind, keyof PartialJobRef>> = {
    workflow: 'workflowId',
    experiment: 'experimentId',
    run: 'runId',
    document: 'documentId',
    job: 'jobId',
  };
  for (const found of findIds(text)) {
    const field = fieldByKind[found.kind];
    if (field && ref[field] === undefined) {
      ref[field] = found.id;
    }
  }
  return ref;
}

/** `"key": "value"`, `key=value` and `key: value` pairs, wherever they stand in the text. */
function namedIds(text: string): Map<string, string> {
  const pairs = new Map<string, string>();
  const pattern = /["']?([A-Za-z_]+)["']?\s*[:=]\s*["']?([A-Za-z0-9_-]+)/g;
  for (const match of text.matchAll(pattern)) {
    if (!pairs.has(match[1])) {
      pairs.set(match[1], match[2]);
    }
  }
  return pairs;
}


/**
 * The ids of each kind that stand nearest to `offset`: in a JSON job or a log line, the run and
 * experiment of a document id are usually written right beside it.
 */
export function nearestIds(text: string, offset: number): PartialJobRef {
  const best = new Map<IdKind, { id: string; distance: number }>();
  for (const found of findIds(text)) {
    const distance = offset < found.start ? found.start - offset : offset > found.end ? offset - found.end : 0;
    const current = best.get(found.kind);
    if (!current || distance < current.distance) {
      best.set(found.kind, { id: found.id, distance });
    }
  }
  const ref: PartialJobRef = {};
  const fields: Record<IdKind, keyof PartialJobRef> = {
    workflow: 'workflowId',
    experiment: 'experimentId',
    run: 'runId',
    document: 'documentId',
    job: 'jobId',
  };
  for (const [kind, value] of best) {
    ref[fields[kind]] = value.id;
  }
  return ref;
}
