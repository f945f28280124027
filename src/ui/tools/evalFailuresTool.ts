import { l10n } from '../../l10n';
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
    return l10n.t('Workflow {0} has no eval runs yet.', workflowId);
  }
  const [run, results] = await Promise.all([deps.evals.getRun(runId, signal), deps.evals.results(runId, signal)]);
  if (run.workflowId !== workflowId) {
    throw new RetabError('not_found', l10n.t('Eval run {0} belongs to workflow {1}, not {2}.', runId, run.workflowId, workflowId));
  }
  const bad = results.filter((result) => result.verdict === 'failed' || result.verdict === 'blocked' || result.status === 'error');
  const { passed, failed, blocked } = run.counts;
  const text = new ToolText().line(
    l10n.t(
      'Eval run {0} of workflow {1} ({2}{3}): {4} evals, {5} passed, {6} failed, {7} blocked.',
      run.id,
      workflowId,
      run.status,
      run.message ? `: ${oneLine(run.message, 200)}` : '',
      run.totalEvals,
      passed,
      failed,
      blocked,
    ),
  );
  bad.slice(0, MAX_SHOWN).forEach((result, index) => text.line(`${index + 1}. ${describe(result)}`));
  if (bad.length > MAX_SHOWN) {
    text.line(l10n.t('… and {0} more.', bad.length - MAX_SHOWN));
  }
  if (bad.length === 0) {
    text.line(l10n.t('No failing, blocked or errored eval in this run.'));
  }
  return text.toString();
}

function describe(result: EvalResult): string {
  const head = l10n.t('eval {0} (block {1})', result.evalId, result.blockId);
  if (result.status === 'error') {
    return l10n.t('{0} errored: {1}', head, oneLine(result.message ?? l10n.t('no message'), 300));
  }
  const assertion = result.assertion;
  if (result.verdict === 'blocked') {
    return l10n.t(
      '{0} blocked: {1}',
      head,
      oneLine([assertion?.failure?.code, assertion?.failure?.message].filter(Boolean).join(': ') || l10n.t('not evaluable'), 300),
    );
  }
  return l10n.t(
    '{0} failed {1}: expected {2}; actual {3}',
    head,
    assertion?.conditionKind ?? l10n.t('its assertion'),
    oneLine(valueText(assertion?.expected ?? null), MAX_VALUE),
    oneLine(valueText(assertion?.actual ?? null), MAX_VALUE),
  );
}
