import { l10n } from '../../l10n';
import * as vscode from 'vscode';
import { CONFIG_FILE, splitConfig } from '../../analysis/blockBundle';
import { BlockVersion, WorkflowBlock } from '../../api/blocks/blockModels';
import { toRetabError } from '../../api/errors';
import { BlockRepository } from '../../data/blocks/blockRepository';
import { RunDefinition, resolveRunDefinition } from '../../data/blocks/runDefinitions';
import { RetabRepository } from '../../data/repository';
import { formatRelativeTime, formatTimestamp } from '../../format';
import { RunSummary, numberedRuns } from '../../api/models';
import { BlockAddress, blockFileUri, changesUri, versionFileUri } from './blockUris';
import { RetabFileSystem } from './retabFileSystem';

/** Two runs of one experiment, by id, with where they belong. */
export interface RunPair {
  workflowId: string;
  experimentId: string;
  fromRunId: string;
  toRunId: string;
}

/** The file a person cares about first: the split-out one (schema, categories, …) when it changed, else config.json. */
function changedFile(type: string, from: BlockVersion | WorkflowBlock, to: BlockVersion | WorkflowBlock): { file: string; onlyOneSide: string[] } {
  const left = splitConfig(type, from.config).texts;
  const right = splitConfig(type, to.config).texts;
  const both = [...left.keys()].filter((file) => right.has(file));
  const onlyOneSide = [...new Set([...left.keys(), ...right.keys()])].filter((file) => !(left.has(file) && right.has(file)));
  const ordered = [...both.filter((file) => file !== CONFIG_FILE), CONFIG_FILE].filter((file) => both.includes(file));
  return { file: ordered.find((file) => left.get(file) !== right.get(file)) ?? ordered[0] ?? CONFIG_FILE, onlyOneSide };
}

/**
 * Compare Definitions between two runs: each run's block version found (runDefinitions.ts), VS
 * Code's diff editor on the two configs as files of the bundle's layout, and the server's list of
 * changed fields beside it. A run whose version cannot be found is named, with why.
 */
export async function compareDefinitions(repository: RetabRepository, blocks: BlockRepository, pair: RunPair): Promise<string | undefined> {
  const experiment = repository.knownExperiment(pair.experimentId) ?? (await repository.getExperiment(pair.workflowId, pair.experimentId));
  if (!experiment.blockId) {
    void vscode.window.showInformationMessage(l10n.t('Retab: this experiment does not say which block it runs, so its definitions cannot be compared.'));
    return undefined;
  }
  const blockId = experiment.blockId;
  const runs = await repository.listRuns(pair.workflowId, pair.experimentId);
  const numbered = numberedRuns(runs);
  const find = (runId: string): { run: RunSummary; label: string } => {
    const match = numbered.find((entry) => entry.run.id === runId);
    if (!match) {
      throw new Error(`run ${runId} is not one of ${experiment.name}'s runs`);
    }
    return { run: match.run, label: l10n.t('Run {0}', match.number) };
  };
  const from = find(pair.fromRunId);
  const to = find(pair.toRunId);
  const [left, right] = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: l10n.t('Retab: finding the definitions the runs used…') },
    () =>
      Promise.all([
        resolveRunDefinition(blocks, pair.workflowId, blockId, from.run, from.label),
        resolveRunDefinition(blocks, pair.workflowId, blockId, to.run, to.label),
      ]),
  );
  const missing = [left, right].filter((definition): definition is Extract<RunDefinition, { found: false }> => !definition.found);
  if (missing.length > 0 || !left.found || !right.found) {
    void vscode.window.showWarningMessage(l10n.t('Retab: cannot compare the definitions. {0}', missing.map((definition) => definition.why).join(' ')));
    return undefined;
  }
  const type = right.version.type || left.version.type;
  const address: BlockAddress = { workflowId: pair.workflowId, blockType: type, blockId };
  const { file } = changedFile(type, left.version, right.version);
  const leftUri = versionFileUri(address, left.version.id, file);
  const rightUri = versionFileUri(address, right.version.id, file);
  await vscode.commands.executeCommand('vscode.diff', leftUri, rightUri, `${from.label} ↔ ${to.label}: ${file} (${experiment.name})`, { preview: false });
  await showServerChanges(pair.workflowId, blockId, left.version, right.version);
  return rightUri.toString();
}

/** The server's list of changed fields (versions/diff), beside the diff editor (a read-only document of the `retab:` file system). */
async function showServerChanges(workflowId: string, blockId: string, from: BlockVersion, to: BlockVersion): Promise<void> {
  await vscode.window.showTextDocument(changesUri(workflowId, blockId, from.id, to.id), {
    viewColumn: vscode.ViewColumn.Beside,
    preview: true,
    preserveFocus: true,
  });
}

/** The text of a changes document: the server's changed fields, and the files only one side has. */
export async function changesMarkdown(blocks: BlockRepository, fromVersionId: string, toVersionId: string): Promise<string> {
  const [from, to] = await Promise.all([blocks.getVersion(fromVersionId), blocks.getVersion(toVersionId)]);
  const lines = [l10n.t('# Block definition changes: {0} → {1}', from.id, to.id), ''];
  try {
    const diff = await blocks.diffVersions(from.id, to.id);
    lines.push(diff.changes.length === 0 ? l10n.t('The server lists no changed field.') : l10n.t('The server lists these changed fields:'), '');
    for (const change of diff.changes.slice(0, 200)) {
      lines.push(`- ${change.field}: ${preview(change.from)} → ${preview(change.to)}`);
    }
  } catch (caught) {
    lines.push(l10n.t('The server’s list of changes could not be read: {0}', toRetabError(caught).message));
  }
  const { onlyOneSide } = changedFile(to.type || from.type, from, to);
  if (onlyOneSide.length > 0) {
    lines.push('', l10n.t('Files in only one of the two: {0}.', onlyOneSide.join(', ')));
  }
  return `${lines.join('\n')}\n`;
}

function preview(value: unknown): string {
  if (value === undefined) {
    return '(none)';
  }
  // JSON.stringify is undefined only for functions and symbols, which JSON never holds.
  const text = JSON.stringify(value) ?? 'null';
  return `\`${(text.length > 120 ? `${text.slice(0, 119)}…` : text).replace(/`/g, "'")}\``;
}

interface VersionPick extends vscode.QuickPickItem {
  version: BlockVersion;
}

/**
 * Show Block History: the block's versions newest first (date, workflow version, published or
 * not, which runs used it where known); one opens read-only, diffs against the draft or another
 * version, or is restored to the draft (modal confirmation; open editors then show it).
 */
export async function showBlockHistory(
  repository: RetabRepository,
  blocks: BlockRepository,
  files: RetabFileSystem,
  target: { workflowId: string; blockId: string },
): Promise<void> {
  const [block, versions] = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: l10n.t('Retab: reading the block’s versions…') },
    () => Promise.all([blocks.getBlock(target.blockId, target.workflowId), blocks.listVersions(target.workflowId, target.blockId)]),
  );
  const address: BlockAddress = { workflowId: block.workflowId, blockType: block.type, blockId: block.id };
  const published = repository.knownWorkflow(target.workflowId)?.published?.versionId ?? null;
  const usedBy = await runsByVersion(repository, target.workflowId, target.blockId);
  const picks: VersionPick[] = versions.map((version, index) => ({
    label: l10n.t(
      '{0}Version {1}{2}',
      index === 0 ? '$(circle-filled) ' : '',
      versions.length - index,
      version.workflowVersionId !== null && version.workflowVersionId === published ? ' · published' : '',
    ),
    description: `${formatRelativeTime(version.createdAt)} · ${version.createdAt ? formatTimestamp(version.createdAt) : l10n.t('date unknown')}`,
    detail: [
      `${version.id}`,
      version.workflowVersionId ? l10n.t('workflow version {0}', version.workflowVersionId) : undefined,
      usedBy.get(version.id)?.length ? l10n.t('used by {0}', usedBy.get(version.id)?.join(', ') ?? '') : undefined,
    ]
      .filter(Boolean)
      .join(' · '),
    version,
  }));
  const chosen = await vscode.window.showQuickPick(picks, {
    title: l10n.t('Retab: history of {0}', block.label || block.id),
    placeHolder: 'Pick a version',
    matchOnDetail: true,
    matchOnDescription: true,
  });
  if (!chosen) {
    return;
  }
  const main = changedFile(block.type, chosen.version, block).file;
  const action = await vscode.window.showQuickPick(
    [l10n.t('Open'), l10n.t('Compare with the Draft'), l10n.t('Compare with Another Version…'), l10n.t('Restore to Draft')],
    {
      title: l10n.t('Retab: {0}', chosen.label.replace('$(circle-filled) ', '')),
    },
  );
  switch (action) {
    case 'Open':
      await vscode.window.showTextDocument(versionFileUri(address, chosen.version.id, main), { preview: false });
      return;
    case 'Compare with the Draft':
      await vscode.commands.executeCommand(
        'vscode.diff',
        versionFileUri(address, chosen.version.id, main),
        blockFileUri(address, main),
        `${chosen.version.id} ↔ draft: ${main}`,
      );
      return;
    case 'Compare with Another Version…': {
      const other = await vscode.window.showQuickPick(
        picks.filter((pick) => pick.version.id !== chosen.version.id),
        { title: l10n.t('Retab: compare with which version?') },
      );
      if (other) {
        const file = changedFile(block.type, other.version, chosen.version).file;
        await vscode.commands.executeCommand(
          'vscode.diff',
          versionFileUri(address, other.version.id, file),
          versionFileUri(address, chosen.version.id, file),
          `${other.version.id} ↔ ${chosen.version.id}: ${file}`,
        );
      }
      return;
    }
    case 'Restore to Draft':
      await restoreToDraft(
        blocks,
        files,
        address,
        chosen.version.id,
        `${chosen.label.replace('$(circle-filled) ', '')} of “${block.label || block.id}”`,
        false,
      );
      return;
    default:
      return;
  }
}

/**
 * Restore to Draft: after a modal confirmation (skipped when `confirmed`), the draft block takes
 * the version's config; open editors of the block show the restored text. Nothing is published.
 */
export async function restoreToDraft(
  blocks: BlockRepository,
  files: RetabFileSystem,
  address: BlockAddress,
  versionId: string,
  what: string,
  confirmed: boolean,
): Promise<boolean> {
  if (!confirmed) {
    const choice = await vscode.window.showWarningMessage(
      l10n.t("Restore {0} to the workflow's draft?", what),
      { modal: true, detail: l10n.t('The draft block takes this version’s config. Nothing is published; the current draft stays in the history.') },
      l10n.t('Restore'),
    );
    if (choice !== l10n.t('Restore')) {
      return false;
    }
  }
  const restored = await blocks.restoreVersion(versionId, address.workflowId);
  files.adopt(address, restored);
  files.replaced(address, restored);
  return true;
}

/** Which runs (of the experiments running this block) used each version, where the runs say. */
async function runsByVersion(repository: RetabRepository, workflowId: string, blockId: string): Promise<Map<string, string[]>> {
  const used = new Map<string, string[]>();
  const experiments = (await repository.listExperiments(workflowId).catch(() => [])).filter((experiment) => experiment.blockId === blockId);
  for (const experiment of experiments.slice(0, 10)) {
    const runs = await repository.listRuns(workflowId, experiment.id).catch(() => []);
    for (const { run, number } of numberedRuns(runs)) {
      if (run.blockVersionId) {
        used.set(run.blockVersionId, [...(used.get(run.blockVersionId) ?? []), l10n.t('{0} run {1}', experiment.name, number)]);
      }
    }
  }
  return used;
}
