import { l10n } from '../../l10n';
import { groupFailures } from '../../analysis/failureGroups';
import { documentLabel } from '../../api/models';
import { ToolDeps, resolveRun } from './toolContext';
import { ToolInput } from './toolInput';
import { ToolText, oneLine } from './toolText';

const MAX_GROUPS = 20;
const EXAMPLES_PER_GROUP = 5;

/** "Why did this run fail?": its failed documents grouped by cause, largest group first. */
export async function listRunFailures(deps: ToolDeps, input: ToolInput, signal?: AbortSignal): Promise<string> {
  const run = await resolveRun(deps, input, 'runId', signal);
  const content = await deps.repository.getRunContent(run.workflowId, run.experimentId, run.runId, { signal });
  const groups = groupFailures(content.jobs);
  const failed = groups.reduce((sum, group) => sum + group.jobs.length, 0);
  const text = new ToolText().line(
    l10n.t(
      'Run {0} (experiment {1}, workflow {2}): {3} documents, {4} failed, in {5} group(s) by cause.',
      run.runId,
      run.experimentId,
      run.workflowId,
      content.jobs.length,
      failed,
      groups.length,
    ),
  );
  groups.slice(0, MAX_GROUPS).forEach((group, index) => {
    const examples = group.jobs
      .slice(0, EXAMPLES_PER_GROUP)
      .map((job) => `${job.documentId} (${oneLine(documentLabel(job), 80)})`)
      .join(', ');
    text.line(`${index + 1}. ${group.jobs.length}× ${oneLine(group.example, 400)}`);
    text.line(
      l10n.t('   documents: {0}{1}', examples, group.jobs.length > EXAMPLES_PER_GROUP ? l10n.t(', and {0} more', group.jobs.length - EXAMPLES_PER_GROUP) : ''),
    );
  });
  if (groups.length > MAX_GROUPS) {
    text.line(l10n.t('… and {0} smaller groups.', groups.length - MAX_GROUPS));
  }
  return text.toString();
}
