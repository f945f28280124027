import { l10n } from '../../l10n';
import * as vscode from 'vscode';
import { notificationText } from '../shared/markdown';
import { JobRef } from '../../api/ids';
import { documentLabel } from '../../api/models';
import { RetabRepository } from '../../data/repository';
import { buildJobLink } from '../../links/jobLink';
import { artifactUri, errorUri, fieldsUri, jobUri } from '../documents/retabDocuments';
import { fieldChanges, whyFieldsNotCompared } from '../shared/fieldChanges';
import { TreeNode } from '../tree/nodes';
import { COMMANDS } from '../shared/names';
import { Services } from '../shared/services';
import { showErrorNotification } from '../shared/errorNotification';
import { runPicks } from '../shared/runPicks';
import { parseOpenJobArgument } from '../shared/openJobArgument';
import { registerCommand } from '../shared/registerCommand';
import { pickJobRef } from './lookupJob';

/** Commands on one document's job; without an argument they act on the job in the panel. */
export function registerDocumentCommands(context: vscode.ExtensionContext, services: Services, panelRef: () => JobRef | undefined): void {
  const { repository } = services;
  // A tree row, the job on screen, or else (the palette with no panel) a document picked step by step.
  const target = async (argument: unknown): Promise<JobRef | undefined> => jobRefFrom(argument, panelRef()) ?? pickJobRef(repository);
  registerCommand(context, COMMANDS.openJobError, async (argument?: unknown) => openJobError(await target(argument)));
  registerCommand(context, COMMANDS.openArtifact, async (argument?: unknown) => openArtifact(repository, await target(argument)));
  registerCommand(context, COMMANDS.compareWithRun, async (argument?: unknown, otherRunId?: unknown) =>
    compareWithRun(repository, await target(argument), typeof otherRunId === 'string' ? otherRunId : undefined),
  );
  registerCommand(context, COMMANDS.copyLink, async (argument?: unknown) => copyJobLink(context.extension.id, await target(argument)));
}

/**
 * Document commands run from the tree (the node is the argument), from the job panel (no
 * argument: the job on screen) or from other callers with a job reference.
 */
export function jobRefFrom(argument: unknown, panelRef: JobRef | undefined): JobRef | undefined {
  // A run's document row, or a document that disagrees on a field (under a run's Fields node).
  const kind = argument && typeof argument === 'object' ? (argument as TreeNode).kind : undefined;
  if (kind === 'document' || kind === 'fieldDocument') {
    return (argument as Extract<TreeNode, { kind: 'document' | 'fieldDocument' }>).ref;
  }
  if (argument && typeof argument === 'object' && 'documentId' in argument) {
    return parseOpenJobArgument(argument);
  }
  return panelRef;
}

export async function openArtifact(repository: RetabRepository, ref: JobRef | undefined): Promise<void> {
  if (!ref) {
    void vscode.window.showInformationMessage(l10n.t('Retab: select a document first.'));
    return;
  }
  try {
    const job = await repository.getJob(ref);
    if (!job.artifact) {
      void vscode.window.showInformationMessage(l10n.t('Retab: {0} has no artifact (status: {1}).', documentLabel(job), job.status));
      return;
    }
    const document = await vscode.workspace.openTextDocument(artifactUri(job.artifact.operation, job.artifact.id));
    await vscode.window.showTextDocument(document, { preview: true });
  } catch (caught) {
    void showErrorNotification(l10n.t('open the artifact'), caught, () => openArtifact(repository, ref));
  }
}

/** The whole error text of a job as a read-only document: the panel shows only its first 64 KB. */
export async function openJobError(ref: JobRef | undefined): Promise<void> {
  if (!ref) {
    void vscode.window.showInformationMessage(l10n.t('Retab: select a document first.'));
    return;
  }
  const document = await vscode.workspace.openTextDocument(errorUri(ref));
  await vscode.window.showTextDocument(document, { preview: true });
}

export async function copyJobLink(extensionId: string, ref: JobRef | undefined): Promise<void> {
  if (!ref) {
    return;
  }
  await vscode.env.clipboard.writeText(buildJobLink(vscode.env.uriScheme, extensionId, ref));
  vscode.window.setStatusBarMessage(l10n.t('Retab: link to the job copied'), 2500);
}

/**
 * Opens the diff editor on this document's job in two runs and, when both produced one, on the
 * two artifacts. `otherRunId` skips the run picker (used by automation and tests).
 */
export async function compareWithRun(repository: RetabRepository, ref: JobRef | undefined, otherRunId?: string): Promise<boolean> {
  if (!ref) {
    void vscode.window.showInformationMessage(l10n.t('Retab: select a document first.'));
    return false;
  }
  try {
    const chosen = otherRunId ?? (await pickOtherRun(repository, ref));
    if (!chosen) {
      return false;
    }
    const otherRef = { ...ref, runId: chosen };
    const [current, other] = await Promise.all([repository.getJob(ref), repository.getJob(otherRef)]);
    const label = documentLabel(current);
    await vscode.commands.executeCommand('vscode.diff', jobUri(otherRef, label), jobUri(ref, label), `${label}: job in ${otherRef.runId} ↔ ${ref.runId}`, {
      preview: false,
    });
    if (current.artifact && other.artifact) {
      await vscode.commands.executeCommand(
        'vscode.diff',
        artifactUri(other.artifact.operation, other.artifact.id),
        artifactUri(current.artifact.operation, current.artifact.id),
        `${label}: artifact ${other.artifact.id} ↔ ${current.artifact.id}`,
        { preview: false },
      );
    }
    // Down to fields: which changed score or consensus value (opened last, so it is in front).
    const [fields, otherFields] = await Promise.all([repository.getDocumentFields(ref), repository.getDocumentFields(otherRef)]);
    if (fields.kind === 'unavailable' || otherFields.kind === 'unavailable') {
      // Said, not left out silently: the person asked for a comparison and got two diffs of three.
      // A toast shows its first line only, so it starts with the run that has no field scores.
      const why = whyFieldsNotCompared([
        { runId: otherRef.runId, view: otherFields },
        { runId: ref.runId, view: fields },
      ]);
      void vscode.window.showInformationMessage(l10n.t('Retab: {0}', notificationText(why)));
    } else {
      await vscode.commands.executeCommand(
        'vscode.diff',
        fieldsUri(otherRef, label),
        fieldsUri(ref, label),
        `${label}: fields in ${otherRef.runId} ↔ ${ref.runId}`,
        {
          preview: false,
        },
      );
      const changed = fieldChanges(otherFields, fields);
      const names = changed
        .slice(0, 5)
        .map((change) => change.path)
        .join(', ');
      vscode.window.setStatusBarMessage(
        changed.length === 0
          ? l10n.t('Retab: no field changed score or consensus value')
          : l10n.t('Retab: {0} field(s) changed: {1}{2}', changed.length, notificationText(names), changed.length > 5 ? '…' : ''),
        8000,
      );
    }
    return true;
  } catch (caught) {
    void showErrorNotification('compare', caught, () => compareWithRun(repository, ref, otherRunId));
    return false;
  }
}

async function pickOtherRun(repository: RetabRepository, ref: JobRef): Promise<string | undefined> {
  const items = repository.listRuns(ref.workflowId, ref.experimentId).then((runs) => runPicks(runs, ref.runId));
  const chosen = await vscode.window.showQuickPick(items, {
    title: l10n.t('Retab: Compare with Run…'),
    placeHolder: l10n.t('The run to compare this document with'),
  });
  return chosen?.runId;
}
