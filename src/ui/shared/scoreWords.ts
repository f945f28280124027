/**
 * The words for scores that are not there (`no_metrics`, `stale_metrics`, or whatever else a server
 * says), in the two lengths the views need: a tree row's (`noScoresRow`: "No scores for this run
 * yet") and the end of a sentence (`whyNoScores`: "No field scores for this document in this run:
 * the run has not been scored (yet)"), for the panel and Compare. One table, so the tree and the
 * panel cannot drift apart. The reason is server text: callers escape it.
 */
import { l10n } from '../../l10n';
const noScoresWords = (): Readonly<Record<string, { row: string; why: string }>> => ({
  no_metrics: { row: l10n.t('No scores for this run yet'), why: l10n.t('the run has not been scored (yet)') },
  stale_metrics: {
    row: l10n.t('Scores are stale: the run changed since they were computed'),
    why: l10n.t('the scores are stale: the run changed since they were computed'),
  },
});

function wordsFor(reason: string): { row: string; why: string } | undefined {
  const words = noScoresWords();
  return Object.prototype.hasOwnProperty.call(words, reason) ? words[reason] : undefined;
}

export function whyNoScores(reason: string): string {
  return wordsFor(reason)?.why ?? l10n.t('the server says "{0}"', reason);
}

/** What a tree row says in place of scores: an answer, not an error. */
export function noScoresRow(reason: string): string {
  return wordsFor(reason)?.row ?? l10n.t('Scores unavailable ({0})', reason);
}
