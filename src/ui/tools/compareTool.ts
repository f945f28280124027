import { l10n } from '../../l10n';
import { RetabError } from '../../api/errors';
import { ID_PREFIXES, JobRef } from '../../api/ids';
import { arrangeRows, buildRunsTable, selectColumns } from '../../analysis/runsTable';
import { runsTableCompact } from '../../analysis/runsTableText';
import { readRunsScores } from '../../data/runsScores';
import { fieldChanges, whyFieldsNotCompared } from '../shared/fieldChanges';
import { ToolDeps, resolveJob, resolveRun } from './toolContext';
import { ToolInput, optionalIdField, requiredIdField } from './toolInput';
import { ToolText, oneLine, scoreText, valueText } from './toolText';

const MAX_CHANGES = 40;

const MAX_TABLE_ROWS = 30;
const MAX_RUNS = 50;

/**
 * With `runIds` (two or more runs of one experiment): the Runs table of those runs, regression
 * first, as compact text. With a document and two runs: that document across them.
 */
export async function compareDocumentAcrossRuns(deps: ToolDeps, input: ToolInput, signal?: AbortSignal): Promise<string> {
  if (input.runIds !== undefined) {
    return compareRuns(deps, input, signal);
  }
  const ref = await resolveJob(deps, input, signal);
  const otherRunId = requiredIdField(input, 'otherRunId', ID_PREFIXES.run);
  const other: JobRef = { ...ref, runId: otherRunId };
  const [job, otherJob, fields, otherFields] = await Promise.all([
    deps.repository.getJob(ref, { signal }),
    deps.repository.getJob(other, { signal }),
    deps.repository.getDocumentFields(ref, { signal }),
    deps.repository.getDocumentFields(other, { signal }),
  ]);
  const text = new ToolText()
    .line(l10n.t('Document {0}: run {1} → run {2}.', ref.documentId, otherRunId, ref.runId))
    .line(l10n.t('status: {0} → {1}', otherJob.status, job.status));
  if (otherJob.error !== job.error) {
    text.line(l10n.t('error: {0} → {1}', otherJob.error ? oneLine(otherJob.error, 200) : 'none', job.error ? oneLine(job.error, 200) : 'none'));
  }
  if (fields.kind === 'unavailable' || otherFields.kind === 'unavailable') {
    const why = whyFieldsNotCompared([
      { runId: otherRunId, view: otherFields },
      { runId: ref.runId, view: fields },
    ]);
    return text.line(l10n.t('Fields not compared: {0}', oneLine(why, 600))).toString();
  }
  const changes = fieldChanges(otherFields, fields);
  text.line(
    l10n.t(
      '{0} of {1} fields changed score or consensus value.',
      changes.length,
      new Set([...fields.fields, ...otherFields.fields].map((field) => field.path)).size,
    ),
  );
  for (const change of changes.slice(0, MAX_CHANGES)) {
    const score = `${scoreText(change.before?.score ?? null)} → ${scoreText(change.after?.score ?? null)}`;
    const value = change.valueChanged ? l10n.t('; consensus {0} → {1}', valueText(change.before?.value ?? null), valueText(change.after?.value ?? null)) : '';
    text.line(`- ${valueText(change.path)}: ${score}${value}`);
  }
  if (changes.length > MAX_CHANGES) {
    text.line(l10n.t('… and {0} more.', changes.length - MAX_CHANGES));
  }
  return text.toString();
}

/** Every field of the runs given, one column per run (newest first), the largest drop between the two newest first. */
async function compareRuns(deps: ToolDeps, input: ToolInput, signal?: AbortSignal): Promise<string> {
  const ids = input.runIds;
  if (!Array.isArray(ids) || ids.length < 2 || ids.length > MAX_RUNS) {
    throw new RetabError('invalid_id', l10n.t('Input "runIds" must list 2 to {0} run ids of one experiment.', MAX_RUNS));
  }
  // Each entry checked as an input of its own, so that a wrong one is named ("runIds[2]").
  const runIds = ids.map((id: unknown, index) => requiredIdField({ [`runIds[${index}]`]: id }, `runIds[${index}]`, ID_PREFIXES.run));
  const run = await resolveRun(
    deps,
    { runId: runIds[0], experimentId: optionalIdField(input, 'experimentId'), workflowId: optionalIdField(input, 'workflowId') },
    'runId',
    signal,
  );
  const inputs = await readRunsScores(deps.repository, run.workflowId, run.experimentId, { signal });
  const known = new Set(inputs.map((entry) => entry.run.id));
  const missing = runIds.filter((id) => !known.has(id));
  if (missing.length > 0) {
    throw new RetabError('not_found', l10n.t('Not runs of experiment {0}: {1}.', run.experimentId, missing.join(', ')));
  }
  const table = selectColumns(buildRunsTable(inputs, 'fields'), new Set(runIds));
  const rows = arrangeRows(table, { sort: { by: 'regression' }, filter: '' });
  const regressed = rows.filter((row) => row.latestChange !== null && row.latestChange < -0.0005).length;
  return new ToolText()
    .line(
      l10n.t(
        'Experiment {0}: {1} runs, newest first; cells are scores with the change against the run to the right; {2} of {3} rows got worse between the two newest.',
        run.experimentId,
        table.columns.length,
        regressed,
        rows.length,
      ),
    )
    .line(runsTableCompact(table, rows, MAX_TABLE_ROWS))
    .toString();
}
