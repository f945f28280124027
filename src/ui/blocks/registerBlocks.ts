import { l10n } from '../../l10n';
import * as vscode from 'vscode';
import { CONFIG_FILE, splitConfig } from '../../analysis/blockBundle';
import { WorkflowBlock } from '../../api/blocks/blockModels';
import { toRetabError } from '../../api/errors';
import { showInvisibles } from '../../format';
import { BlockRepository } from '../../data/blocks/blockRepository';
import { pickWorkflow } from '../commands/lookupJob';
import { RetabDocumentProvider } from '../documents/retabDocuments';
import { RETAB_SCHEME } from '../documents/retabScheme';
import { registerCommand } from '../shared/registerCommand';
import { runPicks } from '../shared/runPicks';
import { COMMANDS, CONTEXT_KEYS } from '../shared/names';
import { Services } from '../shared/services';
import { BlockChecks } from './blockChecks';
import { RunPair, compareDefinitions, restoreToDraft, showBlockHistory } from './blockVersions';
import { PublishOptions, publishWorkflow } from './publishWorkflow';
import { pullToFolder, pushFromFolder } from './bundleFolders';
import { BlockAddress, blockFileUri, parseBlockUri } from './blockUris';
import { RetabFileSystem } from './retabFileSystem';

/** What other areas and the tests use of block editing. */
export interface BlocksArea {
  readonly files: RetabFileSystem;
  readonly checks: BlockChecks;
  /** Whether the edit commands show (the context key), found out again. */
  updateAvailability(): Promise<void>;
  /**
   * Refresh: server checks are tried again, what the server offers is found out again. Another key
   * or server (`forgetDrafts`): open blocks are read again too (their baseline was another account's).
   */
  reset(forgetDrafts: boolean): void;
  /** Restore to Draft without the quick picks (tests; `confirmed` skips the modal). */
  restore(address: BlockAddress, versionId: string, confirmed: boolean): Promise<boolean>;
  /** Fired after each accepted save or restore. */
  readonly onDidSave: vscode.Event<{ address: BlockAddress; block: WorkflowBlock }>;
}

export interface AfterSave {
  /**
   * After a save: the views read the workflow again, and when `ask` (a save the person made, not
   * an auto-save) runs of the block's experiments, its evals, or both are offered.
   */
  offer(address: BlockAddress, block: WorkflowBlock, ask: boolean): void;
}

/**
 * Block definitions as files (`retab:/blocks/…`): the file system, the checks as you type, and
 * *Edit Block Definition* (experiment rows, the Test Explorer's blocks, the palette).
 */
export function registerBlocks(context: vscode.ExtensionContext, services: Services, afterSave: AfterSave, afterPublish: () => void): BlocksArea {
  const blocks = services.blocks;
  /** Why each block file is being saved (VS Code says it before the write reaches the file system). */
  const saveReasons = new Map<string, vscode.TextDocumentSaveReason>();
  context.subscriptions.push(
    vscode.workspace.onWillSaveTextDocument((event) => {
      if (parseBlockUri(event.document.uri)) {
        saveReasons.set(event.document.uri.toString(), event.reason);
      }
    }),
  );
  const saved = new vscode.EventEmitter<{ address: BlockAddress; block: WorkflowBlock }>();
  // The checks need the files, and the files tell the checks about refused saves.
  const late: { checks?: BlockChecks } = {};
  const files = new RetabFileSystem(blocks, new RetabDocumentProvider(services.repository), {
    confirmOverwrite: async (address, file) => {
      const choice = await vscode.window.showWarningMessage(
        l10n.t("{0} of block {1}: the block changed on the server since you opened it. Overwrite the server's version with yours?", file, address.blockId),
        { modal: true, detail: l10n.t('The server’s changes will be lost. Compare first to keep them.') },
        l10n.t('Overwrite'),
      );
      return choice === l10n.t('Overwrite');
    },
    refused: (address, file, error) => late.checks?.showRefusal(address, file, error),
    connection: () => services.connections.active(),
    saved: (address, block, file) => {
      saved.fire({ address, block });
      // An auto-save (after a delay, on focus change) refreshes the views but asks nothing: a
      // notification at every pause in typing would be noise.
      const uri = file ? blockFileUri(address, file).toString() : undefined;
      const reason = uri ? saveReasons.get(uri) : vscode.TextDocumentSaveReason.Manual;
      if (uri) {
        saveReasons.delete(uri);
      }
      afterSave.offer(address, block, reason === undefined || reason === vscode.TextDocumentSaveReason.Manual);
    },
  });
  const checks = new BlockChecks(blocks, files);
  late.checks = checks;
  context.subscriptions.push(vscode.workspace.registerFileSystemProvider(RETAB_SCHEME, files, { isCaseSensitive: true }), files, checks, saved);

  const updateAvailability = async (): Promise<void> => {
    const availability = await blocks.availability().catch(() => ({ available: false as const, reason: '' }));
    await vscode.commands.executeCommand('setContext', CONTEXT_KEYS.blocksAvailable, availability.available);
  };

  registerCommand(context, COMMANDS.editBlockDefinition, async (argument?: unknown) => {
    const availability = await blocks.availability();
    if (!availability.available) {
      void vscode.window.showInformationMessage(availability.reason);
      return undefined;
    }
    const target = blockTargetOf(argument) ?? (await pickBlock(services, blocks));
    if (!target) {
      return undefined;
    }
    try {
      const block = await blocks.getBlock(target.blockId, target.workflowId);
      const address: BlockAddress = { workflowId: block.workflowId, blockType: block.type, blockId: block.id };
      files.adopt(address, block);
      const opened = await openBlockFiles(address, block);
      return opened.toString();
    } catch (caught) {
      void vscode.window.showErrorMessage(l10n.t('Retab: could not open block {0}: {1}', target.blockId, toRetabError(caught).message));
      return undefined;
    }
  });

  registerCommand(context, COMMANDS.compareDefinitions, async (first?: unknown, second?: unknown) => {
    const availability = await blocks.availability();
    if (!availability.available) {
      void vscode.window.showInformationMessage(availability.reason);
      return undefined;
    }
    const pair = await runPairOf(services, first, second);
    return pair ? compareDefinitions(services.repository, blocks, pair) : undefined;
  });
  registerCommand(context, COMMANDS.showBlockHistory, async (argument?: unknown) => {
    const availability = await blocks.availability();
    if (!availability.available) {
      void vscode.window.showInformationMessage(availability.reason);
      return;
    }
    const target = blockTargetOf(argument) ?? (await pickBlock(services, blocks));
    if (target) {
      await showBlockHistory(services.repository, blocks, files, target).catch((caught: unknown) =>
        vscode.window.showErrorMessage(l10n.t("Retab: could not read the block's history: {0}", toRetabError(caught).message)),
      );
    }
  });
  registerCommand(context, COMMANDS.pullBlockToFolder, async (argument?: unknown, folder?: vscode.Uri) => {
    const availability = await blocks.availability();
    if (!availability.available) {
      void vscode.window.showInformationMessage(availability.reason);
      return false;
    }
    const target = blockTargetOf(argument) ?? (await pickBlock(services, blocks));
    if (!target) {
      return false;
    }
    const chosen =
      folder ??
      (
        await vscode.window.showOpenDialog({
          canSelectFolders: true,
          canSelectFiles: false,
          canSelectMany: false,
          openLabel: l10n.t('Pull Here'),
          title: l10n.t('Retab: Pull the block’s config into a folder'),
        })
      )?.[0];
    if (!chosen) {
      return false;
    }
    try {
      const block = await blocks.getBlock(target.blockId, target.workflowId);
      const written = await pullToFolder(block, chosen, folder !== undefined);
      if (written) {
        void vscode.window.showInformationMessage(
          l10n.t('Retab: pulled “{0}” into {1} (the CLI pushes it too: retab workflows blocks config push --dir).', block.label || block.id, chosen.fsPath),
        );
      }
      return written;
    } catch (caught) {
      void vscode.window.showErrorMessage(l10n.t('Retab: could not pull the block: {0}', toRetabError(caught).message));
      return false;
    }
  });
  registerCommand(context, COMMANDS.pushBlockFromFolder, async (folder?: vscode.Uri, options?: { force?: boolean; confirmed?: boolean }) => {
    const availability = await blocks.availability();
    if (!availability.available) {
      void vscode.window.showInformationMessage(availability.reason);
      return false;
    }
    const chosen =
      folder instanceof vscode.Uri
        ? folder
        : (
            await vscode.window.showOpenDialog({
              canSelectFolders: true,
              canSelectFiles: false,
              canSelectMany: false,
              openLabel: l10n.t('Push'),
              title: l10n.t('Retab: Push a block bundle folder'),
            })
          )?.[0];
    if (!chosen) {
      return false;
    }
    try {
      const outcome = await pushFromFolder(blocks, chosen, options);
      if (!outcome.pushed) {
        void vscode.window.showWarningMessage(l10n.t('Retab: not pushed. {0}', outcome.reason));
        return false;
      }
      const address: BlockAddress = { workflowId: outcome.block.workflowId, blockType: outcome.block.type, blockId: outcome.block.id };
      files.replaced(address, outcome.block);
      afterSave.offer(address, outcome.block, true);
      return true;
    } catch (caught) {
      void vscode.window.showErrorMessage(l10n.t('Retab: could not push the bundle: {0}', toRetabError(caught).message));
      return false;
    }
  });
  registerCommand(context, COMMANDS.publishWorkflow, async (argument?: unknown, options?: PublishOptions) => {
    const availability = await blocks.availability();
    if (!availability.available) {
      void vscode.window.showInformationMessage(availability.reason);
      return undefined;
    }
    const workflowId = workflowIdOf(argument) ?? (await pickWorkflow(services.repository));
    if (!workflowId) {
      return undefined;
    }
    const published = await publishWorkflow(services.repository, blocks, workflowId, options);
    if (published !== undefined) {
      afterPublish();
    }
    return published;
  });

  return {
    files,
    checks,
    updateAvailability,
    reset: (forgetDrafts) => {
      blocks.clear();
      if (forgetDrafts) {
        files.forget();
      }
      checks.reset();
      void updateAvailability();
    },
    onDidSave: saved.event,
    restore: (address, versionId, confirmed) => restoreToDraft(blocks, files, address, versionId, l10n.t('version {0}', versionId), confirmed),
  };
}

/**
 * Opens a block's files: the split-out file a person edits most (the JSON schema, categories,
 * subdocuments, code) in front, config.json beside it in a tab of its own.
 */
async function openBlockFiles(address: BlockAddress, block: WorkflowBlock): Promise<vscode.Uri> {
  const bundle = splitConfig(block.type, block.config);
  const main = bundle.files.find((file) => file.role !== 'config') ?? bundle.files[0];
  if (main.path !== CONFIG_FILE) {
    await vscode.window.showTextDocument(blockFileUri(address, CONFIG_FILE), { preview: false, preserveFocus: true });
  }
  const uri = blockFileUri(address, main.path);
  await vscode.window.showTextDocument(uri, { preview: false });
  return uri;
}

/** The block an argument names: an experiment row, a Test Explorer block, a block's file, or `{workflowId, blockId}`. */
export function blockTargetOf(argument: unknown): { workflowId: string; blockId: string } | undefined {
  if (argument instanceof vscode.Uri) {
    const address = parseBlockUri(argument);
    return address ? { workflowId: address.workflowId, blockId: address.blockId } : undefined;
  }
  if (typeof argument !== 'object' || argument === null) {
    return undefined;
  }
  const value = argument as {
    kind?: unknown;
    experiment?: { blockId?: unknown };
    parent?: { workflow?: { id?: unknown }; id?: unknown };
    id?: unknown;
    workflowId?: unknown;
    blockId?: unknown;
  };
  if (value.kind === 'experiment' && typeof value.experiment?.blockId === 'string' && typeof value.parent?.workflow?.id === 'string') {
    return { workflowId: value.parent.workflow.id, blockId: value.experiment.blockId };
  }
  // A Test Explorer item: `block:<id>` under `workflow:<id>`.
  if (typeof value.id === 'string' && value.id.startsWith('block:') && typeof value.parent?.id === 'string' && value.parent.id.startsWith('workflow:')) {
    return { workflowId: value.parent.id.slice('workflow:'.length), blockId: value.id.slice('block:'.length) };
  }
  if (typeof value.workflowId === 'string' && typeof value.blockId === 'string') {
    return { workflowId: value.workflowId, blockId: value.blockId };
  }
  return undefined;
}

async function pickBlock(services: Services, blocks: BlockRepository): Promise<{ workflowId: string; blockId: string } | undefined> {
  const workflowId = await pickWorkflow(services.repository);
  if (!workflowId) {
    return undefined;
  }
  const items = blocks
    .listBlocks(workflowId)
    .then((list) =>
      list
        .filter((block) => block.type !== 'note' && !block.type.endsWith('_sentinel_start') && !block.type.endsWith('_sentinel_end'))
        .map((block) => ({ label: showInvisibles(block.label || block.id), description: block.type, detail: block.id, blockId: block.id })),
    );
  const chosen = await vscode.window.showQuickPick(items, {
    title: l10n.t('Retab: Pick a block to edit'),
    placeHolder: l10n.t('Type to filter by label, type or id'),
    matchOnDescription: true,
    matchOnDetail: true,
  });
  return chosen ? { workflowId, blockId: chosen.blockId } : undefined;
}

/** A workflow row, or `{workflowId}`. */
function workflowIdOf(argument: unknown): string | undefined {
  if (typeof argument !== 'object' || argument === null) {
    return undefined;
  }
  const value = argument as { kind?: unknown; workflow?: { id?: unknown }; workflowId?: unknown };
  if (value.kind === 'workflow' && typeof value.workflow?.id === 'string') {
    return value.workflow.id;
  }
  return typeof value.workflowId === 'string' ? value.workflowId : undefined;
}

/** A run as a row or `{workflowId, experimentId, runId}`. */
function runOf(argument: unknown): { workflowId: string; experimentId: string; runId: string } | undefined {
  if (typeof argument !== 'object' || argument === null) {
    return undefined;
  }
  const value = argument as {
    kind?: unknown;
    run?: { id?: unknown };
    parent?: { experiment?: { id?: unknown }; parent?: { workflow?: { id?: unknown } } };
    workflowId?: unknown;
    experimentId?: unknown;
    runId?: unknown;
  };
  if (
    value.kind === 'run' &&
    typeof value.run?.id === 'string' &&
    typeof value.parent?.experiment?.id === 'string' &&
    typeof value.parent.parent?.workflow?.id === 'string'
  ) {
    return { workflowId: value.parent.parent.workflow.id, experimentId: value.parent.experiment.id, runId: value.run.id };
  }
  if (typeof value.workflowId === 'string' && typeof value.experimentId === 'string' && typeof value.runId === 'string') {
    return { workflowId: value.workflowId, experimentId: value.experimentId, runId: value.runId };
  }
  return undefined;
}

/**
 * The two runs to compare: `{workflowId, experimentId, fromRunId, toRunId}` (the Runs table), a run
 * and another run or run id, or a run and a quick pick of the experiment's other runs.
 */
async function runPairOf(services: Services, first: unknown, second: unknown): Promise<RunPair | undefined> {
  if (typeof first === 'object' && first !== null) {
    const value = first as Partial<Record<keyof RunPair, unknown>>;
    if (
      typeof value.workflowId === 'string' &&
      typeof value.experimentId === 'string' &&
      typeof value.fromRunId === 'string' &&
      typeof value.toRunId === 'string'
    ) {
      return { workflowId: value.workflowId, experimentId: value.experimentId, fromRunId: value.fromRunId, toRunId: value.toRunId };
    }
  }
  const run = runOf(first);
  if (!run) {
    void vscode.window.showInformationMessage(l10n.t('Retab: Compare Definitions starts from a run: use it on a run row, or from the Runs table.'));
    return undefined;
  }
  const other = typeof second === 'string' ? second : runOf(second)?.runId;
  if (other) {
    return { workflowId: run.workflowId, experimentId: run.experimentId, fromRunId: other, toRunId: run.runId };
  }
  const runs = await services.repository.listRuns(run.workflowId, run.experimentId);
  const picked = await vscode.window.showQuickPick(runPicks(runs, run.runId), {
    title: l10n.t('Retab: compare this run’s block definition with…'),
    matchOnDetail: true,
  });
  return picked ? { workflowId: run.workflowId, experimentId: run.experimentId, fromRunId: picked.runId, toRunId: run.runId } : undefined;
}
