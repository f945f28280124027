import { RunSummary } from '../../api/models';

/**
 * Which block definition a run used, in words, for the run row's tooltip and the job panel: its
 * block version, else the workflow version it ran (Compare Definitions finds the block's version
 * in it), else the draft's fingerprint. `id` wraps an id for where it is shown (a code span in
 * Markdown, plain in HTML).
 */
export function runDefinitionWords(run: RunSummary, id: (text: string) => string = (text) => text): string {
  if (run.blockVersionId) {
    return `Block definition: version ${id(run.blockVersionId)}`;
  }
  if (run.workflowVersionId) {
    return `Block definition: as in workflow version ${id(run.workflowVersionId)}`;
  }
  return run.definitionFingerprint
    ? `Block definition: draft, fingerprint ${id(run.definitionFingerprint.slice(0, 16))}`
    : 'Block definition: not said by this server';
}
