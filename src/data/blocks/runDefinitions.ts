import { l10n } from '../../l10n';
import { BlockVersion } from '../../api/blocks/blockModels';
import { toRetabError } from '../../api/errors';
import { RunSummary } from '../../api/models';
import { BlockRepository } from './blockRepository';

/** The definition a run used: a block version, or why none can be shown. */
export type RunDefinition =
  { found: true; version: BlockVersion; via: 'block_version_id' | 'workflow_version' } | { found: false; why: string; fingerprint: string | null };

/**
 * Finds the block version a run used, as the facts describe: its `block_version_id`; else the
 * block's version in the run's `workflow_version_id` (the versions list narrowed to both, one
 * item); else the run ran a draft no version records, and only its fingerprint is known.
 */
export async function resolveRunDefinition(
  blocks: BlockRepository,
  workflowId: string,
  blockId: string,
  run: RunSummary,
  label: string,
  signal?: AbortSignal,
): Promise<RunDefinition> {
  const fingerprint = run.definitionFingerprint;
  if (run.blockVersionId) {
    try {
      return { found: true, version: await blocks.getVersion(run.blockVersionId, signal), via: 'block_version_id' };
    } catch (caught) {
      const error = toRetabError(caught);
      if (error.kind !== 'not_found') {
        throw error;
      }
      return {
        found: false,
        why: l10n.t('{0} names block version {1}, which the server does not have ({2}).', label, run.blockVersionId, error.message),
        fingerprint,
      };
    }
  }
  if (run.workflowVersionId) {
    const version = await blocks.versionInWorkflowVersion(workflowId, blockId, run.workflowVersionId, signal).catch((caught: unknown) => {
      const error = toRetabError(caught);
      if (error.kind === 'not_found') {
        return undefined;
      }
      throw error;
    });
    if (version) {
      return { found: true, version, via: 'workflow_version' };
    }
    return {
      found: false,
      why: l10n.t(
        '{0} names no block version, and workflow version {1} it ran holds no version of block {2}: it ran a draft{3}.',
        label,
        run.workflowVersionId,
        blockId,
        fingerprint ? ` (fingerprint ${fingerprint.slice(0, 16)})` : '',
      ),
      fingerprint,
    };
  }
  return {
    found: false,
    why: l10n.t(
      '{0} names neither a block version nor a workflow version (this server does not record them){1}.',
      label,
      fingerprint ? l10n.t("; its definition's fingerprint is {0}", fingerprint.slice(0, 16)) : '',
    ),
    fingerprint,
  };
}
