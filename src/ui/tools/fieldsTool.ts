import { l10n } from '../../l10n';
import { FieldScore, disagrees } from '../../api/models';
import { ToolDeps, resolveJob } from './toolContext';
import { ToolInput } from './toolInput';
import { ToolText, changeText, scoreText, valueText } from './toolText';

const MAX_FIELDS_WITH_VOTES = 10;

/** Worst score first; fields without a score last. */
export function worstFirst(fields: readonly FieldScore[]): FieldScore[] {
  return [...fields].sort((a, b) => (a.score ?? 2) - (b.score ?? 2) || a.path.localeCompare(b.path));
}

/** A document's fields the voters disagree on, worst first, each with its consensus and every vote. */
export async function listDisagreeingFields(deps: ToolDeps, input: ToolInput, signal?: AbortSignal): Promise<string> {
  const ref = await resolveJob(deps, input, signal);
  const fields = await deps.repository.getDocumentFields(ref, { signal });
  if (fields.kind === 'unavailable') {
    return l10n.t(
      'No field scores for document {0} in run {1}: {2}{3}.',
      ref.documentId,
      ref.runId,
      fields.reason,
      fields.message ? ` (${fields.message})` : '',
    );
  }
  const disagreeing = worstFirst(fields.fields.filter((field) => disagrees(field.score)));
  const text = new ToolText().line(
    l10n.t(
      'Document {0} in run {1}: {2} fields, {3} with disagreement; document score {4}{5}.',
      ref.documentId,
      ref.runId,
      fields.fields.length,
      disagreeing.length,
      scoreText(fields.score),
      changeText(fields.score, fields.priorScore),
    ),
  );
  for (const field of disagreeing.slice(0, MAX_FIELDS_WITH_VOTES)) {
    text.line(
      l10n.t('- {0}: {1}{2}; consensus {3}', valueText(field.path), scoreText(field.score), changeText(field.score, field.priorScore), valueText(field.value)),
    );
    const votes = await deps.repository.getFieldVotes(ref, field.path, { signal });
    if (votes.kind === 'votes') {
      votes.rows.forEach((row, index) => {
        const prefix = votes.rows.length > 1 ? l10n.t('row {0}: ', index) : '';
        text.line(l10n.t('    {0}votes {1}', prefix, row.votes.map((vote) => valueText(vote)).join(' | ')));
      });
    }
  }
  if (disagreeing.length > MAX_FIELDS_WITH_VOTES) {
    text.line(
      l10n.t(
        '… and {0} more fields with disagreement (scores only): {1}',
        disagreeing.length - MAX_FIELDS_WITH_VOTES,
        disagreeing
          .slice(MAX_FIELDS_WITH_VOTES)
          .map((field) => `${valueText(field.path)} ${scoreText(field.score)}`)
          .join(', '),
      ),
    );
  }
  return text.toString();
}
