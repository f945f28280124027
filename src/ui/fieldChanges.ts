import { DocumentFields, FieldScore, Unavailable } from '../api/models';
import { jsonText } from './jsonText';

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
