import type { RetabExtensionApi } from '../../src/extension';
import type { ExperimentNode, FieldNode, RunNode, TreeNode, WorkflowNode } from '../../src/ui/tree/nodes';
import { BIG_RUN } from '../support/fixtures';
import { childById } from '../support/tree';
import { Exchange, Figure, Generation, RequestProbe, median, parseTime, round, stats } from './common';

/** A field of the 5,000-document run, expanded: its by_target list processed in this much after the last byte. */
export const FIELD_DOCUMENTS_TARGET_MS = 200;

function isByTarget(exchange: Exchange): boolean {
  return new URL(exchange.url).searchParams.get('view') === 'by_target';
}

/**
 * Fields of the big run (`exprun_big_1`: 5,000 documents × 50 field paths). Expanding one field
 * reads its `by_target` view: one answer listing all 5,000 documents with score, prior score and
 * consensus value. Measured from the last byte of that answer to the last tree item of the field's
 * rows (parse and validation, the disagreeing documents picked and sorted, nodes, tree items).
 * Between samples the repository forgets what it read (a finished run's views are kept for good
 * otherwise); a second expansion without forgetting must make no request.
 */
export async function fieldsOfBigRun(api: RetabExtensionApi, probe: RequestProbe, samples: number, generation: Generation): Promise<Figure> {
  const afterLastByte: number[] = [];
  const parse: number[] = [];
  const rows: number[] = [];
  const bytes: number[] = [];
  let documents = 0;
  let secondRequests = 0;
  let fieldPath = '';
  for (let index = 0; index < samples; index++) {
    api.repository.clear();
    const field = await worstField(api);
    fieldPath = field.path;
    const mark = probe.mark;
    const children = await api.tree.getChildren(field);
    for (const child of children) {
      api.tree.getTreeItem(child);
    }
    const done = performance.now();
    const answer = probe.since(mark).find(isByTarget);
    if (!answer?.bodyAt || answer.outcome !== 'ok') {
      throw new Error(`the field's by_target view was not read as expected: ${JSON.stringify(probe.since(mark))}`);
    }
    afterLastByte.push(done - answer.bodyAt);
    parse.push(parseTime([answer]));
    rows.push(children.length);
    bytes.push(answer.bytes);
    documents = children.filter((child) => child.kind === 'fieldDocument').length;

    const again = probe.mark;
    await api.tree.getChildren(field);
    secondRequests += probe.since(again).length;
  }
  const afterMs = round(median(afterLastByte)) as number;
  return {
    figure: 'fieldsOfBigRun',
    generation,
    field: fieldPath,
    byTargetKB: Math.round((median(bytes) ?? 0) / 102.4) / 10,
    disagreeingDocumentRows: documents,
    target: { afterLastByteMs: FIELD_DOCUMENTS_TARGET_MS, secondExpansionRequests: 0 },
    met: afterMs <= FIELD_DOCUMENTS_TARGET_MS && secondRequests === 0,
    afterLastByteMs: afterMs,
    parseAndValidateMs: round(median(parse)),
    afterLastByte: stats(afterLastByte),
    rows: median(rows),
    secondExpansionRequests: secondRequests,
    samples,
  };
}

/** Workflow → experiment → run → Fields → the first (worst) field, through the tree as a person expands it. */
async function worstField(api: RetabExtensionApi): Promise<FieldNode> {
  const workflow = await childById<WorkflowNode>(api, undefined, BIG_RUN.workflowId);
  const experiment = await childById<ExperimentNode>(api, workflow, BIG_RUN.experimentId);
  const run = await childById<RunNode>(api, experiment, BIG_RUN.runId);
  // The run's first rows may come before its scores (a Fields row holding their place): as a
  // person would, wait until the Fields row is there.
  await api.repository.getRunContent(BIG_RUN.workflowId, BIG_RUN.experimentId, BIG_RUN.runId);
  await api.repository.getRunMetrics(BIG_RUN.workflowId, BIG_RUN.experimentId, BIG_RUN.runId);
  const fields = (await api.tree.getChildren(run)).find((child: TreeNode) => child.kind === 'fields');
  if (!fields) {
    throw new Error('the big run has no Fields node');
  }
  const field = (await api.tree.getChildren(fields)).find((child: TreeNode): child is FieldNode => child.kind === 'field');
  if (!field) {
    throw new Error('the big run lists no field');
  }
  return field;
}
