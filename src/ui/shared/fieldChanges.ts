import { l10n } from '../../l10n';
import { DocumentFields, FieldScore, Unavailable } from '../../api/models';
import { jsonText } from './jsonText';
import { whyNoScores } from './scoreWords';

export interface FieldChange {
  path: string;
  before: FieldScore | undefined;
  after: FieldScore | undefined;
  scoreChanged: boolean;
  valueChanged: boolean;
}

/** Fields whose score or consensus value differs between two runs of one document. */
export function fieldChanges(before: DocumentFields | Unavailable, after: DocumentFields | Unavailable): FieldChange[] {
  const old = new Map(before.kind === 'by_document' ? before.fields.map((field) => [field.path, field]) : []);
  const now = new Map(after.kind === 'by_document' ? after.fields.map((field) => [field.path, field]) : []);
  const paths = [...new Set([...old.keys(), ...now.keys()])].sort();
  return paths
    .map((path) => {
      const a = old.get(path);
      const b = now.get(path);
      return {
        path,
        before: a,
        after: b,
        scoreChanged: (a?.score ?? null) !== (b?.score ?? null),
        valueChanged: jsonText(a?.value ?? null, { maxLength: 20_000 }) !== jsonText(b?.value ?? null, { maxLength: 20_000 }),
      };
    })
    .filter((change) => change.scoreChanged || change.valueChanged);
}

/** One side of a comparison: a run and its field view for the document. */
export interface ComparedSide {
  runId: string;
  view: DocumentFields | Unavailable;
}

const MAX_SERVER_MESSAGE = 300;

/**
 * Why a document's fields cannot be compared between two runs: each run without field scores,
 * the reason in words, and the first server message on one line, clipped. The result is still
 * server text: the caller makes it safe for where it is shown.
 */
export function whyFieldsNotCompared(sides: readonly ComparedSide[]): string {
  const missing = sides.flatMap((side) => (side.view.kind === 'unavailable' ? [{ runId: side.runId, view: side.view }] : []));
  const text = missing.map(({ runId, view }) => l10n.t('run {0} has no field scores: {1}', runId, whyNoScores(view.reason))).join('; ');
  // Cut before flattening: a server message may be megabytes long.
  const message = missing
    .find(({ view }) => view.message)
    ?.view.message?.slice(0, 4 * MAX_SERVER_MESSAGE)
    .replace(/\s+/g, ' ')
    .trim();
  if (!message) {
    return text;
  }
  return `${text} — ${message.length > MAX_SERVER_MESSAGE ? `${message.slice(0, MAX_SERVER_MESSAGE)}…` : message}`;
}
