/**
 * The rows under a run's Fields node and under each field, from metrics already read: which
 * fields, in which order, with which change; which documents disagree. Pure (no `vscode`), so the
 * order and the changes are unit-tested in plain Node.
 */
import { JobRef } from '../../api/ids';
import { FieldDocuments, RunFieldScores, disagrees } from '../../api/models';
import { FieldDocumentNode, FieldNode, FieldsNode, VoteFlowNode } from './nodes';

/** The most flows a row names; its tooltip lists up to MAX_FLOWS_LISTED. */
export const MAX_FLOWS_LISTED = 50;

/** Worst first, unscored last; ties keep the server's order (the schema's, usually). */
function worstFirst<T extends { score: number | null }>(items: readonly T[]): T[] {
  return items
    .map((item, order) => ({ item, order }))
    .sort((a, b) => (a.item.score ?? Infinity) - (b.item.score ?? Infinity) || a.order - b.order)
    .map((entry) => entry.item);
}

/**
 * One row per field of the run, worst first, each with the same field's score in `prior` (the
 * run before's summary), when there is one. A field is new only when the run before listed all
 * its fields (not cut at the bound) and this one was not among them.
 */
export function fieldNodes(parent: FieldsNode, current: RunFieldScores, prior: RunFieldScores | undefined): FieldNode[] {
  const before = new Map(prior?.scores.map((field) => [field.path, field.score]));
  const priorComplete = prior !== undefined && prior.scores.length === prior.total;
  return worstFirst(current.scores).map((field): FieldNode => ({
    kind: 'field',
    parent,
    path: field.path,
    label: current.kind === 'label',
    score: field.score,
    priorScore: before.get(field.path) ?? null,
    isNew: priorComplete && !before.has(field.path),
  }));
}

/** The documents of `view` that disagree on the field (score below 1), worst first. */
export function disagreeingDocumentNodes(parent: FieldNode, run: Omit<JobRef, 'documentId'>, view: FieldDocuments): FieldDocumentNode[] {
  return worstFirst(view.documents.filter((document) => disagrees(document.score))).map((document): FieldDocumentNode => ({
    kind: 'fieldDocument',
    parent,
    ref: { ...run, documentId: document.id },
    filename: document.filename,
    score: document.score,
    priorScore: document.priorScore,
    value: document.value,
  }));
}

/**
 * A label's confusion as rows: where the votes went when the consensus was this label, and which
 * labels' votes came to it. None when the view has no confusion (extract fields); one row saying
 * so when no vote left or reached the label.
 */
export function voteFlowNodes(parent: FieldNode, view: FieldDocuments): VoteFlowNode[] | 'none' | undefined {
  if (!view.confusion) {
    return undefined;
  }
  const largestFirst = (flows: ReadonlyArray<{ label: string; score: number }>): Array<{ label: string; score: number }> =>
    [...flows].sort((a, b) => b.score - a.score).slice(0, MAX_FLOWS_LISTED);
  const rows: VoteFlowNode[] = [];
  const to = largestFirst(view.confusion.flowTo.filter((flow) => flow.score > 0));
  const from = largestFirst(view.confusion.flowFrom.filter((flow) => flow.score > 0));
  if (to.length > 0) {
    rows.push({ kind: 'voteFlow', parent, direction: 'to', flows: to });
  }
  if (from.length > 0) {
    rows.push({ kind: 'voteFlow', parent, direction: 'from', flows: from });
  }
  return rows.length > 0 ? rows : 'none';
}
