import { ID_PREFIXES, JobRef } from '../../api/ids';
import { fieldChanges, whyFieldsNotCompared } from '../shared/fieldChanges';
import { ToolDeps, resolveJob } from './toolContext';
import { ToolInput, requiredIdField } from './toolInput';
import { ToolText, oneLine, scoreText, valueText } from './toolText';

const MAX_CHANGES = 40;

/** One document in two runs: status and error, then each field whose score or consensus changed. */
export async function compareDocumentAcrossRuns(deps: ToolDeps, input: ToolInput, signal?: AbortSignal): Promise<string> {
  const ref = await resolveJob(deps, input, signal);
  const otherRunId = requiredIdField(input, 'otherRunId', ID_PREFIXES.run);
  const other: JobRef = { ...ref, runId: otherRunId };
  const [job, otherJob, fields, otherFields] = await Promise.all([
    deps.repository.getJob(ref, { signal }),
    deps.repository.getJob(other, { signal }),
    deps.repository.getDocumentFields(ref, { signal }),
    deps.repository.getDocumentFields(other, { signal }),
  ]);
  const text = new ToolText().line(`Document ${ref.documentId}: run ${otherRunId} → run ${ref.runId}.`).line(`status: ${otherJob.status} → ${job.status}`);
  if (otherJob.error !== job.error) {
    text.line(`error: ${otherJob.error ? oneLine(otherJob.error, 200) : 'none'} → ${job.error ? oneLine(job.error, 200) : 'none'}`);
  }
  if (fields.kind === 'unavailable' || otherFields.kind === 'unavailable') {
    const why = whyFieldsNotCompared([
      { runId: otherRunId, view: otherFields },
      { runId: ref.runId, view: fields },
    ]);
    return text.line(`Fields not compared: ${oneLine(why, 600)}`).toString();
  }
  const changes = fieldChanges(otherFields, fields);
  text.line(
    `${changes.length} of ${new Set([...fields.fields, ...otherFields.fields].map((field) => field.path)).size} fields changed score or consensus value.`,
  );
  for (const change of changes.slice(0, MAX_CHANGES)) {
    const score = `${scoreText(change.before?.score ?? null)} → ${scoreText(change.after?.score ?? null)}`;
    const value = change.valueChanged ? `; consensus ${valueText(change.before?.value ?? null)} → ${valueText(change.after?.value ?? null)}` : '';
    text.line(`- ${valueText(change.path)}: ${score}${value}`);
  }
  if (changes.length > MAX_CHANGES) {
    text.line(`… and ${changes.length - MAX_CHANGES} more.`);
  }
  return text.toString();
}
