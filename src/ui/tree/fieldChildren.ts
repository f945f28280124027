import { formatNumber } from '../../format';
/**
 * What a run's Fields node and its fields list, read through the repository: the run before's
 * summary when Fields is expanded (for the changes), a field's `by_target` view when that field
 * is (for the documents that disagree). Nothing is read for a row nobody opened; a finished run's
 * answers are kept by the repository, so opening them again costs nothing.
 */
import { l10n } from '../../l10n';
import { JobRef } from '../../api/ids';
import { toRetabError } from '../../api/errors';
import { RunFieldScores, isTerminal } from '../../api/models';
import { RetabRepository } from '../../data/repository';
import { disagreeingDocumentNodes, fieldNodes, voteFlowNodes } from './fieldRows';
import { empty, errorNode } from './messageRows';
import { noScoresRow } from '../shared/scoreWords';
import { FieldNode, FieldsNode, MessageNode, RunNode, TreeNode } from './nodes';

/** The ids a run's metrics are read by. */
export function runRef(node: RunNode): Omit<JobRef, 'documentId'> {
  return { workflowId: node.parent.parent.workflow.id, experimentId: node.parent.experiment.id, runId: node.run.id };
}

/** The run's fields, worst first, each with its change against the run before (one request for that run's summary, cached). */
export async function fieldsChildren(repository: RetabRepository, node: FieldsNode, signal: AbortSignal): Promise<TreeNode[]> {
  const run = node.parent;
  let scores = node.scores;
  if (!scores) {
    // The summary could not be read with the documents: asked again here, so a failure shows as an error row with a retry.
    const ref = runRef(run);
    const metrics = await repository.getRunMetrics(ref.workflowId, ref.experimentId, ref.runId, { signal });
    if (metrics.kind === 'unavailable') {
      return [{ kind: 'message', parent: node, severity: 'empty', text: noScoresRow(metrics.reason), detail: metrics.message ?? undefined }];
    }
    if (!metrics.fields || metrics.fields.scores.length === 0) {
      return [empty(node, l10n.t('No per-field scores for this run'))];
    }
    scores = metrics.fields;
  }
  const prior = await priorFieldScores(repository, node, signal);
  const rows: TreeNode[] = prior.note ? [prior.note] : [];
  rows.push(...fieldNodes(node, scores, prior.scores));
  const hidden = scores.total - scores.scores.length;
  if (hidden > 0) {
    rows.push(empty(node, l10n.t('{0} more not shown: the {1} worst are', formatNumber(hidden), formatNumber(scores.scores.length))));
  }
  return rows;
}

/**
 * The run before's per-field scores, from its summary (kept for good once it has finished); or
 * the row that says why no change is shown. An error there leaves the fields on screen, with a
 * row that retries.
 */
async function priorFieldScores(repository: RetabRepository, node: FieldsNode, signal: AbortSignal): Promise<{ scores?: RunFieldScores; note?: MessageNode }> {
  const run = node.parent;
  const previous = run.previous;
  if (!previous) {
    return {}; // the experiment's first run: nothing to compare with
  }
  const name = l10n.t('run {0}', run.number - 1);
  const owner = l10n.t('Run {0}’s', run.number - 1);
  if (!isTerminal(previous.status)) {
    return { note: empty(node, l10n.t('No change shown: {0} has not finished', name)) };
  }
  const ref = runRef(run);
  try {
    const metrics = await repository.getRunMetrics(ref.workflowId, ref.experimentId, previous.id, { signal });
    if (metrics.kind === 'unavailable') {
      const why =
        metrics.reason === 'stale_metrics'
          ? l10n.t('{0}’s scores are stale', name)
          : metrics.reason === 'no_metrics'
            ? l10n.t('{0} has no scores', name)
            : l10n.t('{0}’s scores are unavailable ({1})', name, metrics.reason);
      return { note: { ...empty(node, l10n.t('No change shown: {0}', why)), detail: metrics.message ?? undefined } };
    }
    if (!metrics.fields) {
      return { note: empty(node, l10n.t('No change shown: {0} has no per-field scores', name)) };
    }
    return { scores: metrics.fields };
  } catch (caught) {
    const error = toRetabError(caught);
    if (error.kind === 'cancelled') {
      throw error;
    }
    const row = errorNode(node, error);
    // Short, so the way forward after it stays in view; what failed is beside it.
    return { note: { ...row, text: l10n.t('{0} scores not read', owner), summary: row.text } };
  }
}

/**
 * The documents that disagree on a field, worst first, from its `by_target` view: read when the
 * field is first expanded, kept for good once the run has finished. For a label, where its
 * votes went first.
 */
export async function fieldChildren(repository: RetabRepository, node: FieldNode, signal: AbortSignal): Promise<TreeNode[]> {
  const ref = runRef(node.parent.parent);
  const view = await repository.getFieldDocuments(ref, node.path, { signal });
  if (view.kind === 'unavailable') {
    return [{ kind: 'message', parent: node, severity: 'empty', text: noScoresRow(view.reason), detail: view.message ?? undefined }];
  }
  const rows: TreeNode[] = [];
  const flows = voteFlowNodes(node, view);
  if (flows === 'none') {
    rows.push(empty(node, l10n.t('No votes went to or came from other labels')));
  } else if (flows) {
    rows.push(...flows);
  }
  const documents = disagreeingDocumentNodes(node, ref, view);
  rows.push(...documents);
  if (documents.length === 0) {
    rows.push(empty(node, l10n.t('Every document agrees on this {0}', node.label ? 'label' : 'field')));
  }
  return rows;
}
