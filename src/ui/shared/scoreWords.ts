/**
 * The words for scores that are not there (`no_metrics`, `stale_metrics`, or whatever else a server
 * says), in the two lengths the views need: a tree row's (`noScoresRow`: "No scores for this run
 * yet") and the end of a sentence (`whyNoScores`: "No field scores for this document in this run:
 * the run has not been scored (yet)"), for the panel and Compare. One table, so the tree and the
 * panel cannot drift apart. The reason is server text: callers escape it.
 */
const NO_SCORES: Readonly<Record<string, { row: string; why: string }>> = {
  no_metrics: { row: 'No scores for this run yet', why: 'the run has not been scored (yet)' },
  stale_metrics: {
    row: 'Scores are stale: the run changed since they were computed',
    why: 'the scores are stale: the run changed since they were computed',
  },
};

function wordsFor(reason: string): { row: string; why: string } | undefined {
  return Object.prototype.hasOwnProperty.call(NO_SCORES, reason) ? NO_SCORES[reason] : undefined;
}

export function whyNoScores(reason: string): string {
  return wordsFor(reason)?.why ?? `the server says "${reason}"`;
}

/** What a tree row says in place of scores: an answer, not an error. */
export function noScoresRow(reason: string): string {
  return wordsFor(reason)?.row ?? `Scores unavailable (${reason})`;
}
