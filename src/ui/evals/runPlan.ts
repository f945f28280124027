/**
 * Which server runs cover what the person chose to run: the narrowest scope for each part of the
 * selection. A whole workflow is one workflow-scope run; the evals of one block (the block, or some
 * of its evals) one block-scope run; a single eval a single-scope run. A selection across several
 * blocks of a workflow becomes one block-scope run per block rather than one workflow-scope run:
 * the server runs evals one after another on a shared queue, so running the workflow's other
 * blocks' evals would cost their whole time for results nobody asked for; the number of runs is
 * the number of blocks touched, each cancellable on its own. Results of evals outside the
 * selection (a block run of a block partly chosen) are not reported.
 */
import { EvalScope } from '../../api/evals/evalModels';

export interface Chosen {
  workflowId: string;
  /** A block of the workflow (its item), or the block of a chosen eval. */
  blockId?: string;
  evalId?: string;
}

export interface PlannedRun {
  workflowId: string;
  scope: EvalScope;
  /** The evals whose results are reported: what was chosen, inside the scope. */
  evalIds: ReadonlySet<string>;
}

export interface EvalIndex {
  /** A workflow's evals as listed: id and block. */
  evalsOf(workflowId: string): ReadonlyArray<{ id: string; blockId: string }> | undefined;
}

export function planRuns(chosen: readonly Chosen[], index: EvalIndex): PlannedRun[] {
  const byWorkflow = new Map<string, Chosen[]>();
  for (const item of chosen) {
    byWorkflow.set(item.workflowId, [...(byWorkflow.get(item.workflowId) ?? []), item]);
  }
  const runs: PlannedRun[] = [];
  for (const [workflowId, items] of byWorkflow) {
    const evals = index.evalsOf(workflowId) ?? [];
    if (items.some((item) => item.blockId === undefined && item.evalId === undefined)) {
      runs.push({ workflowId, scope: { type: 'workflow' }, evalIds: new Set(evals.map((item) => item.id)) });
      continue;
    }
    const byBlock = new Map<string, Set<string>>();
    for (const item of items) {
      const blockId = item.blockId ?? evals.find((candidate) => candidate.id === item.evalId)?.blockId;
      if (!blockId) {
        continue;
      }
      const ids = byBlock.get(blockId) ?? new Set<string>();
      if (item.evalId) {
        ids.add(item.evalId);
      } else {
        for (const candidate of evals) {
          if (candidate.blockId === blockId) {
            ids.add(candidate.id);
          }
        }
      }
      byBlock.set(blockId, ids);
    }
    for (const [blockId, ids] of byBlock) {
      const [only] = ids;
      runs.push(
        ids.size === 1 && only !== undefined
          ? { workflowId, scope: { type: 'single', evalId: only }, evalIds: ids }
          : { workflowId, scope: { type: 'block', blockId }, evalIds: ids },
      );
    }
  }
  return runs;
}
