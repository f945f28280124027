/**
 * Why scores are not there, as the end of a sentence ("No field scores for this document in this
 * run: the run has not been scored (yet)"). Used by the panel and by Compare; the tree's rows keep
 * shorter words of their own (messageRows.ts). The reason is server text: callers escape it.
 */
export function whyNoScores(reason: string): string {
  if (reason === 'no_metrics') {
    return 'the run has not been scored (yet)';
  }
  if (reason === 'stale_metrics') {
    return 'the scores are stale: the run changed since they were computed';
  }
  return `the server says "${reason}"`;
}
