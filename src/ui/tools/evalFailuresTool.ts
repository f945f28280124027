import { RetabError } from '../../api/errors';
import { ID_PREFIXES } from '../../api/ids';
import { EvalResult } from '../../api/evals/evalModels';
import { ToolDeps } from './toolContext';
import { ToolInput, optionalIdField, requiredIdField } from './toolInput';
import { ToolText, oneLine, valueText } from './toolText';

const MAX_SHOWN = 30;
const MAX_VALUE = 300;

/**
 * "Which evals fail, and how?": a run's (or the workflow's latest run's) failing and blocked
 * evals, with expected against actual, compact and bounded; errored ones with their message.
 */
export async function listEvalFailures(deps: ToolDeps, input: ToolInput, signal?: AbortSignal): Promise<string> {
  const workflowId = requiredIdField(input, 'workflowId', ID_PREFIXES.workflow);
  const given = optionalIdField(input, 'runId');
  const runId = given ?? (await deps.evals.recentRuns(workflowId, 1, signal))[0]?.id;
  if (!runId) {
    return `Workflow ${workflowId} has no eval runs yet.`;
  }
  const [run, results] = await Promise.all([deps.evals.getRun(runId, signal), deps.evals.results(runId, signal)]);
  if (run.workflowId !== workflowId) {
    throw new RetabError('not_found', `Eval run ${runId} belongs to workflow ${run.workflowId}, not ${workflowId}.`);
  }
  const bad = results.filter((result) => result.verdict === 'failed' || result.verdict === 'blocked' || result.status === 'error');
  const { passed, failed, blocked } = run.counts;
  const text = new ToolText().line(
    `Eval run ${run.id} of workflow ${workflowId} (${run.status}${run.message ? `: ${oneLine(run.message, 200)}` : ''}): ${run.totalEvals} evals, ${passed} passed, ${failed} failed, ${blocked} blocked.`,
  );
  bad.slice(0, MAX_SHOWN).forEach((result, index) => text.line(`${index + 1}. ${describe(result)}`));
  if (bad.length > MAX_SHOWN) {
    text.line(`… and ${bad.length - MAX_SHOWN} more.`);
  }
  if (bad.length === 0) {
    text.line('No failing, blocked or errored eval in this run.');
  }
  return text.toString();
}

function describe(result: EvalResult): string {
  const head = `eval ${result.evalId} (block ${result.blockId})`;
  if (result.status === 'error') {
    return `${head} errored: ${oneLine(result.message ?? 'no message', 300)}`;
  }
  const assertion = result.assertion;
  if (result.verdict === 'blocked') {
    return `${head} blocked: ${oneLine([assertion?.failure?.code, assertion?.failure?.message].filter(Boolean).join(': ') || 'not evaluable', 300)}`;
  }
  return `${head} failed ${assertion?.conditionKind ?? 'its assertion'}: expected ${oneLine(valueText(assertion?.expected ?? null), MAX_VALUE)}; actual ${oneLine(valueText(assertion?.actual ?? null), MAX_VALUE)}`;
}
