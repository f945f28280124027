import { l10n } from '../../l10n';
import * as vscode from 'vscode';
import { bundleConfigHash } from '../../analysis/goJson';
import { toRetabError } from '../../api/errors';
import { BlockRepository } from '../../data/blocks/blockRepository';
import { RetabRepository } from '../../data/repository';
import { plural, showInvisibles } from '../../format';

/** Blocks whose draft differs from the live version, as far as the versions say. */
interface DraftChange {
  label: string;
  blockId: string;
  what: 'changed' | 'new';
}

/**
 * Publish Workflow…: the one way from the draft to production. First what would change (each
 * block whose draft config differs from its version in the live workflow version), then a
 * description, then a modal confirmation; the server snapshots the draft (a draft equal to the live
 * version publishes nothing, and says so).
 */
/** Automation (tests, agents' commands) that already has the description and the person's yes. */
export interface PublishOptions {
  description?: string;
  confirmed?: boolean;
}

export async function publishWorkflow(
  repository: RetabRepository,
  blocks: BlockRepository,
  workflowId: string,
  options: PublishOptions = {},
): Promise<string | undefined> {
  const workflow = repository.knownWorkflow(workflowId) ?? (await repository.getWorkflow(workflowId));
  const liveVersion = workflow.published?.versionId ?? null;
  const changes = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: l10n.t('Retab: comparing the draft with the live version…') },
    () => draftChanges(blocks, workflowId, liveVersion),
  );
  if (changes.length === 0 && liveVersion) {
    void vscode.window.showInformationMessage(
      l10n.t('Retab: the draft of “{0}” is the live version: there is nothing to publish.', showInvisibles(workflow.name)),
    );
    return undefined;
  }
  const summary =
    changes.length === 0
      ? l10n.t('First publication of this workflow.')
      : changes.map((change) => `${change.what === 'new' ? l10n.t('New') : l10n.t('Changed')}: ${showInvisibles(change.label)}`).join('\n');
  const description =
    options.description ??
    (await vscode.window.showInputBox({
      title: l10n.t('Retab: Publish “{0}”', showInvisibles(workflow.name)),
      prompt: l10n.t(
        'What changes ({0}): {1}. Describe this version (optional).',
        plural(changes.length, l10n.t('{0} block'), l10n.t('{0} blocks')),
        changes.map((change) => showInvisibles(change.label)).join(', ') || l10n.t('first publication'),
      ),
      placeHolder: l10n.t('e.g. Due date hint in the invoice schema'),
      ignoreFocusOut: true,
      validateInput: (value) => (value.length > 2_000 ? l10n.t('At most 2,000 characters.') : undefined),
    }));
  if (description === undefined) {
    return undefined;
  }
  const confirmed = options.confirmed
    ? l10n.t('Publish')
    : await vscode.window.showWarningMessage(
        l10n.t('Publish the draft of “{0}” to production?', showInvisibles(workflow.name)),
        { modal: true, detail: l10n.t('{0}\n\nRuns that ask for the production version will use it from now on.', summary) },
        l10n.t('Publish'),
      );
  if (confirmed !== l10n.t('Publish')) {
    return undefined;
  }
  try {
    const published = await blocks.publishWorkflow(workflowId, description.trim());
    blocks.markPublished(workflowId);
    repository.invalidateLists();
    const id = published.publishedVersionId;
    void vscode.window.showInformationMessage(
      id && id === liveVersion
        ? l10n.t('Retab: the server published nothing (the draft was already live).')
        : l10n.t('Retab: published “{0}”{1}.', showInvisibles(workflow.name), id ? ` as ${id}` : ''),
    );
    return id ?? undefined;
  } catch (caught) {
    void vscode.window.showErrorMessage(l10n.t('Retab: could not publish: {0}', toRetabError(caught).message));
    return undefined;
  }
}

/** Every draft block against its version in the live workflow version (no live version: every block is new). */
async function draftChanges(blocks: BlockRepository, workflowId: string, liveVersion: string | null): Promise<DraftChange[]> {
  const drafts = await blocks.listBlocks(workflowId);
  const changes: DraftChange[] = [];
  for (const block of drafts.slice(0, 100)) {
    if (block.type === 'note' || block.type.includes('_sentinel_')) {
      continue;
    }
    const live = liveVersion ? await blocks.versionInWorkflowVersion(workflowId, block.id, liveVersion).catch(() => undefined) : undefined;
    if (!live) {
      changes.push({ label: block.label || block.id, blockId: block.id, what: 'new' });
    } else if (bundleConfigHash(live.config ?? {}) !== bundleConfigHash(block.config ?? {})) {
      changes.push({ label: block.label || block.id, blockId: block.id, what: 'changed' });
    }
  }
  return changes;
}
