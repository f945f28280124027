import { l10n } from '../../l10n';
import { RunSummary } from '../../api/models';

/**
 * Which block definition a run used, in words, for the run row's tooltip and the job panel: its
 * block version, else the workflow version it ran (Compare Definitions finds the block's version
 * in it), else the draft's fingerprint. `id` wraps an id for where it is shown (a code span in
 * Markdown, plain in HTML).
 */
export function runDefinitionWords(run: RunSummary, id: (text: string) => string = (text) => text): string {
  if (run.blockVersionId) {
    return l10n.t('Block definition: version {0}', id(run.blockVersionId));
  }
  if (run.workflowVersionId) {
    return l10n.t('Block definition: as in workflow version {0}', id(run.workflowVersionId));
  }
  return run.definitionFingerprint
    ? l10n.t('Block definition: draft, fingerprint {0}', id(run.definitionFingerprint.slice(0, 16)))
    : l10n.t('Block definition: not said by this server');
}
