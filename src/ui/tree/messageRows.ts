/**
 * The rows that stand in for children: an empty level, metrics that are not there, an error with
 * its way forward. Shared by every level of the tree.
 */
import { RetabError } from '../../api/errors';
import { errorGuidance } from '../errorGuidance';
import { MessageNode, ParentNode } from './nodes';

/** What a row says for metrics that are not there (`stale_metrics`, `no_metrics`): an answer, not an error. */
export function metricsNotice(reason: string): string {
  if (reason === 'stale_metrics') {
    return 'Scores are stale: the run changed since they were computed';
  }
  if (reason === 'no_metrics') {
    return 'No scores for this run yet';
  }
  return `Scores unavailable (${reason})`;
}

export function empty(parent: ParentNode | undefined, text: string): MessageNode {
  return { kind: 'message', parent, severity: 'empty', text };
}

/**
 * Short enough to be read whole at the default sidebar width, with the way forward after it
 * ("Server error 502 — Retry"); the whole description, with request id, is the row's tooltip.
 * Words and actions come from the one table every view uses (errorGuidance). A row stands in for
 * children, so getting them is its first concern: the log comes first only when nothing else helps.
 */
export function errorNode(parent: ParentNode | undefined, error: RetabError): MessageNode {
  const guidance = errorGuidance(error);
  const action = guidance.actions.find((candidate) => candidate !== 'showLog') ?? 'showLog';
  return { kind: 'message', parent, severity: 'error', text: guidance.short, detail: error.describe(), action };
}
