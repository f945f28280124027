import { l10n } from '../../l10n';
import { documentLabel } from '../../api/models';
import { formatDuration } from '../../format';
import { ToolDeps, resolveJob } from './toolContext';
import { ToolInput } from './toolInput';
import { ToolText, oneLine } from './toolText';

const MAX_ERROR = 2_000;

/** One document's job: status, file, ids, artifact, timing and the start of its error. */
export async function getJob(deps: ToolDeps, input: ToolInput, signal?: AbortSignal): Promise<string> {
  const ref = await resolveJob(deps, input, signal);
  const job = await deps.repository.getJob(ref, { signal });
  const text = new ToolText()
    .line(l10n.t('Job {0}: {1}, {2} block, file {3}.', job.id, job.status, job.blockKind, oneLine(documentLabel(job), 200)))
    .line(l10n.t('workflow {0} · experiment {1} · run {2} · document {3}', ref.workflowId, ref.experimentId, ref.runId, ref.documentId))
    .line(
      l10n.t('duration {0} · attempt {1}{2}', formatDuration(job.durationMs), job.attempt, job.completedAt ? l10n.t(' · completed {0}', job.completedAt) : ''),
    );
  if (job.artifact) {
    text.line(l10n.t('artifact: {0} {1}', oneLine(job.artifact.operation, 60), job.artifact.id));
  }
  if (job.error) {
    const error = job.error.length > MAX_ERROR ? l10n.t('{0}… ({1} characters)', job.error.slice(0, MAX_ERROR), job.error.length) : job.error;
    text.line('error:').line(error);
  }
  return text.toString();
}
