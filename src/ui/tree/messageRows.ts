/**
 * The rows that stand in for children: an empty level, an error with its way forward. Shared by
 * every level of the tree (the words for scores that are not there are scoreWords.ts's).
 */
import { RetabError } from '../../api/errors';
import { errorGuidance } from '../shared/errorGuidance';
import { MessageNode, ParentNode } from './nodes';

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
