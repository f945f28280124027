import { l10n } from '../l10n';
import { RetabError } from './errors';

export const ID_PREFIXES = {
  workflow: 'wf',
  experiment: 'exp',
  run: 'exprun',
  document: 'expdoc',
  job: 'expjob',
  /** The flat generation's per-document result: it stands where a job stands. */
  result: 'expresult',
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
    throw new RetabError('invalid_id', l10n.t('{0} "{1}" is not a valid Retab id (letters, digits, "_" and "-" only).', label, shown));
  }
  return value;
}

const KIND_BY_PREFIX: ReadonlyMap<string, IdKind> = new Map((Object.entries(ID_PREFIXES) as [IdKind, string][]).map(([kind, prefix]) => [prefix, kind]));

/** The prefixes as a regex alternation, longest first; ID_PREFIXES stays the only list. */
export const ID_PREFIX_PATTERN = [...KIND_BY_PREFIX.keys()].sort((a, b) => b.length - a.length).join('|');

/**
 * Matches prefixed ids inside any text: logs, JSON, source code, URLs. Linear: a match starts only
 * where no id character stands before it, so a long run of id characters is read once.
 */
const ID_IN_TEXT = new RegExp(`(?<![A-Za-z0-9_-])(${ID_PREFIX_PATTERN})_[A-Za-z0-9_-]*[A-Za-z0-9]`, 'g');

export interface FoundId {
  kind: IdKind;
  id: string;
  start: number;
  end: number;
}

/** How to read a text that may be a window cut from a larger document. */
export interface FindOptions {
  /** Stop after this many ids. */
  limit?: number;
  /** The text starts inside a document: an id at its very start may be the tail of a longer token. */
  cutStart?: boolean;
  /** The text ends inside a document: an id running to its end may be the head of a longer token. */
  cutEnd?: boolean;
}

/**
 * Every id in `text`. Tokens longer than a Retab id can be (see `isSafeId`) are not ids, so
 * every id found can go into a request or a command link.
 */
export function findIds(text: string, options: FindOptions = {}): FoundId[] {
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  const found: FoundId[] = [];
  for (const id of idsIn(text, options)) {
    if (found.length >= limit) {
      break;
    }
    found.push(id);
  }
  return found;
}

/** The ids of `text` one at a time, so a reader that has what it needs can stop early. */
function* idsIn(text: string, options: FindOptions): Generator<FoundId> {
  for (const match of text.matchAll(ID_IN_TEXT)) {
    const kind = KIND_BY_PREFIX.get(match[1]);
    const start = match.index ?? 0;
    const end = start + match[0].length;
    if (kind && isSafeId(match[0]) && !(options.cutStart && start === 0) && !(options.cutEnd && idRunReachesEnd(text, end))) {
      yield { kind, id: match[0], start, end };
    }
  }
}

/** The longest text an id can take: `isSafeId` allows 200 characters. */
const MAX_ID_LENGTH = 200;

/**
 * The id under `offset` in `text`, reading only the few hundred characters around it: hovering
 * a 5 MB single-line file must not scan the line.
 */
export function idAt(text: string, offset: number): FoundId | undefined {
  // The window reaches past the longest id on both sides, so an id it cuts cannot hold `offset`.
  const from = Math.max(0, offset - MAX_ID_LENGTH - 1);
  const to = Math.min(text.length, offset + MAX_ID_LENGTH + 1);
  const local = findIds(text.slice(from, to), { cutStart: from > 0, cutEnd: to < text.length }).find(
    (candidate) => candidate.start <= offset - from && offset - from <= candidate.end,
  );
  return local && { ...local, start: local.start + from, end: local.end + from };
}

/** Whether only id characters stand from `index` to the end of `text`. */
function idRunReachesEnd(text: string, index: number): boolean {
  let at = index;
  while (at < text.length && isIdChar(text.charCodeAt(at))) {
    at++;
  }
  return at === text.length;
}

function isIdChar(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code === 45;
}

export type PartialJobRef = Partial<JobRef> & { jobId?: string };

/** Where each kind of id goes in a reference: a flat generation's result stands for a job. */
export const FIELD_BY_KIND: Readonly<Record<IdKind, keyof PartialJobRef>> = {
  workflow: 'workflowId',
  experiment: 'experimentId',
  run: 'runId',
  document: 'documentId',
  job: 'jobId',
  result: 'jobId',
};

/** Named keys, in order of preference; `experiment_run_id` is the flat generation's. */
const JSON_KEYS: ReadonlyArray<[keyof PartialJobRef, readonly string[]]> = [
  ['workflowId', ['workflow_id', 'workflowId', 'workflow']],
  ['experimentId', ['experiment_id', 'experimentId', 'experiment']],
  ['runId', ['run_id', 'runId', 'run', 'experiment_run_id', 'experimentRunId', 'experiment_run']],
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
  for (const found of idsIn(text, {})) {
    const field = FIELD_BY_KIND[found.kind];
    if (ref[field] === undefined) {
      ref[field] = found.id;
    }
    if (FIELDS.every((each) => ref[each] !== undefined)) {
      break;
    }
  }
  return ref;
}

/**
 * `"key": "value"`, `key=value` and `key: value` pairs, wherever they stand in the text.
 * The key must start a word (the look-behind): without it, every letter of a long word was
 * tried as the start of a key and read to the word's end, quadratic in the word's length
 * (9 s for 100,000 letters). Keys found are the same, since a key always ran to the word's start.
 */
const NAMED_ID = /["']?(?<![A-Za-z_])([A-Za-z_]+)["']?\s*[:=]\s*["']?([A-Za-z0-9_-]+)/g;

function namedIds(text: string): Map<string, string> {
  const pairs = new Map<string, string>();
  for (const match of text.matchAll(NAMED_ID)) {
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
export function nearestIds(text: string, offset: number, options: Pick<FindOptions, 'cutStart' | 'cutEnd'> = {}): PartialJobRef {
  const best = new Map<keyof PartialJobRef, { id: string; distance: number }>();
  for (const found of findIds(text, options)) {
    const distance = offset < found.start ? found.start - offset : offset > found.end ? offset - found.end : 0;
    const field = FIELD_BY_KIND[found.kind];
    const current = best.get(field);
    if (!current || distance < current.distance) {
      best.set(field, { id: found.id, distance });
    }
  }
  const ref: PartialJobRef = {};
  for (const [field, value] of best) {
    ref[field] = value.id;
  }
  return ref;
}

/** The fields ids fill, each once: `job` and `result` share `jobId`. */
const FIELDS: ReadonlyArray<keyof PartialJobRef> = [...new Set(Object.values(FIELD_BY_KIND))];

/**
 * For the ids of `found` (in text order, as `findIds` gives them), a function giving the id at
 * `index` its context: the nearest id of every field within `maxDistance` characters, and
 * itself for its own field, as `nearestIds` gives at its start. Two passes over the ids, then
 * each context on demand, instead of a scan of the text per id.
 */
export function contextsOf(found: readonly FoundId[], maxDistance: number): (index: number) => PartialJobRef {
  const count = found.length;
  const fieldOf = Int8Array.from(found, (id) => FIELDS.indexOf(FIELD_BY_KIND[id.kind]));
  // previous[f][i] / following[f][i]: index of the nearest id of field f before / after i, or -1.
  const previous = FIELDS.map(() => new Int32Array(count));
  const following = FIELDS.map(() => new Int32Array(count));
  const last = FIELDS.map(() => -1);
  for (let index = 0; index < count; index++) {
    FIELDS.forEach((_, field) => (previous[field][index] = last[field]));
    last[fieldOf[index]] = index;
  }
  last.fill(-1);
  for (let index = count - 1; index >= 0; index--) {
    FIELDS.forEach((_, field) => (following[field][index] = last[field]));
    last[fieldOf[index]] = index;
  }
  return (index) => {
    const current = found[index];
    const ref: PartialJobRef = {};
    FIELDS.forEach((field, fieldIndex) => {
      const before = previous[fieldIndex][index];
      const after = following[fieldIndex][index];
      const beforeDistance = before === -1 ? Number.POSITIVE_INFINITY : current.start - found[before].end;
      const afterDistance = after === -1 ? Number.POSITIVE_INFINITY : found[after].start - current.start;
      // Ties go to the earlier id, as in nearestIds.
      const nearest = beforeDistance <= afterDistance ? before : after;
      if (nearest !== -1 && Math.min(beforeDistance, afterDistance) <= maxDistance) {
        ref[field] = found[nearest].id;
      }
    });
    ref[FIELDS[fieldOf[index]]] = current.id;
    return ref;
  };
}
