/**
 * The field-level metrics views (`by_document`, `by_target`, `votes`), the same in every
 * generation; told apart from "no metrics" and "stale metrics" envelopes by `kind`.
 */
import { Confusion, DocumentFields, FieldDocuments, FieldVotes, MetricDocumentRef, Unavailable } from '../models';
import { JsonObject, array, isObject, object, optionalNumber, optionalObject, optionalString, requiredId, requiredString } from '../validate';

function unavailable(raw: JsonObject, expected: string): Unavailable | undefined {
  const kind = optionalString(raw, 'kind', 'response') ?? optionalString(raw, 'error', 'response');
  if (kind !== null && kind !== expected) {
    return { kind: 'unavailable', reason: kind, message: optionalString(raw, 'message', 'response') };
  }
  return undefined;
}

function list(raw: JsonObject, key: string, path: string): unknown[] {
  return raw[key] === undefined || raw[key] === null ? [] : array(raw[key], `${path}.${key}`);
}

function documentRef(raw: JsonObject, path: string): MetricDocumentRef {
  const document = object(raw.document, `${path}.document`);
  return { id: requiredId(document, 'id', `${path}.document`), filename: optionalString(document, 'filename', `${path}.document`) };
}

/** `{label: score}` as a list, numbers only, own properties only. */
function labelScores(value: unknown): Array<{ label: string; score: number }> {
  if (!isObject(value)) {
    return [];
  }
  return Object.entries(value)
    .filter((entry): entry is [string, number] => typeof entry[1] === 'number' && Number.isFinite(entry[1]))
    .map(([label, score]) => ({ label, score }));
}

function parseConfusion(raw: JsonObject, path: string): Confusion | null {
  const confusion = optionalObject(raw, 'confusion', path);
  if (!confusion) {
    return null;
  }
  const flows = list(confusion, 'flows', `${path}.confusion`).flatMap((item) => {
    if (!isObject(item) || typeof item.score !== 'number') {
      return [];
    }
    // `{source, target}` today, `{from, to}` in earlier generations.
    const from = typeof item.source === 'string' ? item.source : typeof item.from === 'string' ? item.from : undefined;
    const to = typeof item.target === 'string' ? item.target : typeof item.to === 'string' ? item.to : undefined;
    return from !== undefined && to !== undefined ? [{ from, to, score: item.score }] : [];
  });
  return { diagonal: labelScores(confusion.diag), flows };
}

export function parseDocumentFields(value: unknown): DocumentFields | Unavailable {
  const raw = object(value, 'response');
  const other = unavailable(raw, 'by_document');
  if (other) {
    return other;
  }
  return {
    kind: 'by_document',
    runId: requiredId(raw, 'run_id', 'response'),
    document: documentRef(raw, 'response'),
    score: optionalNumber(raw, 'score', 'response'),
    priorScore: optionalNumber(raw, 'prior_score', 'response'),
    fields: list(raw, 'targets', 'response').map((item, index) => {
      const path = `response.targets[${index}]`;
      const target = object(item, path);
      return {
        path: requiredString(target, 'path', path),
        score: optionalNumber(target, 'score', path),
        priorScore: optionalNumber(target, 'prior_score', path),
        value: target.value ?? null,
      };
    }),
    confusion: parseConfusion(raw, 'response'),
  };
}

export function parseFieldDocuments(value: unknown): FieldDocuments | Unavailable {
  const raw = object(value, 'response');
  const other = unavailable(raw, 'by_target');
  if (other) {
    return other;
  }
  const confusion = optionalObject(raw, 'confusion', 'response');
  return {
    kind: 'by_target',
    runId: requiredId(raw, 'run_id', 'response'),
    path: requiredString(raw, 'target', 'response'),
    score: optionalNumber(raw, 'score', 'response'),
    priorScore: optionalNumber(raw, 'prior_score', 'response'),
    documents: list(raw, 'documents', 'response').map((item, index) => {
      const path = `response.documents[${index}]`;
      const document = object(item, path);
      return {
        id: requiredId(document, 'id', path),
        filename: optionalString(document, 'filename', path),
        score: optionalNumber(document, 'score', path),
        priorScore: optionalNumber(document, 'prior_score', path),
        value: document.value ?? null,
      };
    }),
    confusion: confusion && {
      self: optionalNumber(confusion, 'self', 'response.confusion'),
      flowFrom: labelScores(confusion.flow_from),
      flowTo: labelScores(confusion.flow_to),
    },
  };
}

export function parseFieldVotes(value: unknown): FieldVotes | Unavailable {
  const raw = object(value, 'response');
  const other = unavailable(raw, 'votes');
  if (other) {
    return other;
  }
  return {
    kind: 'votes',
    runId: requiredId(raw, 'run_id', 'response'),
    document: documentRef(raw, 'response'),
    path: requiredString(raw, 'target', 'response'),
    score: optionalNumber(raw, 'score', 'response'),
    priorScore: optionalNumber(raw, 'prior_score', 'response'),
    rows: list(raw, 'rows', 'response').map((item, index) => {
      const path = `response.rows[${index}]`;
      const row = object(item, path);
      return {
        consensus: row.consensus ?? null,
        votes: list(row, 'votes', path),
        score: optionalNumber(row, 'score', path),
        presentVoterCount: optionalNumber(row, 'present_voter_count', path),
        totalVoterCount: optionalNumber(row, 'total_voter_count', path),
      };
    }),
  };
}
