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
    .line(`Job ${job.id}: ${job.status}, ${job.blockKind} block, file ${oneLine(documentLabel(job), 200)}.`)
    .line(`workflow ${ref.workflowId} · experiment ${ref.experimentId} · run ${ref.runId} · document ${ref.documentId}`)
    .line(`duration ${formatDuration(job.durationMs)} · attempt ${job.attempt}${job.completedAt ? ` · completed ${job.completedAt}` : ''}`);
  if (job.artifact) {
    text.line(`artifact: ${oneLine(job.artifact.operation, 60)} ${job.artifact.id}`);
  }
  if (job.error) {
    const error = job.error.length > MAX_ERROR ? `${job.error.slice(0, MAX_ERROR)}… (${job.error.length} characters)` : job.error;
    text.line('error:').line(error);
  }
  return text.toString();
}
