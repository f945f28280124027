/**
 * The benchmark's figures for editing a block definition (main section, G3, 50 ms a request):
 * requests to open a block, server checks while a paragraph is typed in bursts (one per pause at
 * most), requests for a save, and requests while the block sits open and idle.
 */
import * as vscode from 'vscode';
import type { RetabExtensionApi } from '../../src/extension';
import { INVOICES } from '../support/fixtures';
import { sleep } from '../support/wait';
import { Generation, RequestProbe, emit } from './common';

export const BLOCK_OPEN_REQUESTS_TARGET = 1;
export const BLOCK_SAVE_REQUESTS_TARGET = 2;
const PARAGRAPH = ' Printed at the top right, after Invoice no. or Facture n°, prefix kept as printed.';
/** Three bursts of typing, each followed by a pause longer than the checks wait for. */
const BURSTS = 3;
const KEY_INTERVAL_MS = 40;
const PAUSE_MS = 900;

const pathOf = (url: string): string => new URL(url).pathname;

export async function blockEditingBench(api: RetabExtensionApi, probe: RequestProbe, generation: Generation): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  // code-server saves after a delay by default: each pause in typing would be a save. Off here, so
  // that the save measured is the one made below (auto-saves are counted apart, in the in-host tests).
  const files = vscode.workspace.getConfiguration('files');
  const autoSave = files.inspect<string>('autoSave')?.globalValue;
  await files.update('autoSave', 'off', vscode.ConfigurationTarget.Global);
  api.blocks.reset(true);
  const experiment = (await api.repository.listExperiments(INVOICES.workflowId)).find((candidate) => candidate.id === 'exp_invoices_v2');
  if (!experiment?.blockId) {
    throw new Error('exp_invoices_v2 names no block: the benchmark needs updating');
  }
  const openMark = probe.mark;
  const opened = await vscode.commands.executeCommand<string>('retab.editBlockDefinition', { workflowId: INVOICES.workflowId, blockId: experiment.blockId });
  await sleep(500);
  const openRequests = probe.since(openMark).length;
  const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(opened));
  await vscode.window.showTextDocument(document);

  // A paragraph typed into a description, in bursts with pauses.
  const typingMark = probe.mark;
  const anchor = document.getText().indexOf('"The number."') + '"The number.'.length;
  let offset = anchor;
  const perBurst = Math.ceil(PARAGRAPH.length / BURSTS);
  for (let burst = 0; burst < BURSTS; burst++) {
    for (const character of PARAGRAPH.slice(burst * perBurst, (burst + 1) * perBurst)) {
      const edit = new vscode.WorkspaceEdit();
      edit.insert(document.uri, document.positionAt(offset), character);
      await vscode.workspace.applyEdit(edit);
      offset++;
      await sleep(KEY_INTERVAL_MS);
    }
    await sleep(PAUSE_MS);
  }
  const checks = probe.since(typingMark).filter((exchange) => pathOf(exchange.url).endsWith('/validate-config')).length;
  // The same text again: no check.
  const sameMark = probe.mark;
  const edit = new vscode.WorkspaceEdit();
  edit.insert(document.uri, document.positionAt(offset), 'x');
  await vscode.workspace.applyEdit(edit);
  const undo = new vscode.WorkspaceEdit();
  undo.delete(document.uri, new vscode.Range(document.positionAt(offset), document.positionAt(offset + 1)));
  await vscode.workspace.applyEdit(undo);
  await sleep(PAUSE_MS);
  const checksForUnchanged = probe.since(sameMark).filter((exchange) => pathOf(exchange.url).endsWith('/validate-config')).length;

  // A save, more than a second after the last read (as a person saves).
  await sleep(1_100);
  const saveMark = probe.mark;
  const saved = await document.save();
  await sleep(300);
  // The save's own requests (the tree and the Test Explorer then read the workflow again: not the save's).
  const saveRequests = probe
    .since(saveMark)
    .filter((exchange) => pathOf(exchange.url).includes('/workflows/blocks') && !pathOf(exchange.url).endsWith('/validate-config')).length;
  // The notification offering runs is left unanswered; the views' reading after the save settles.
  await vscode.commands.executeCommand('notifications.clearAll');
  await sleep(2_000);

  const idleMark = probe.mark;
  await sleep(5_000);
  const idleRequests = probe.since(idleMark).length;
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  await files.update('autoSave', autoSave, vscode.ConfigurationTarget.Global);
  emit({
    figure: 'blockEditing',
    generation,
    target: { openRequests: BLOCK_OPEN_REQUESTS_TARGET, checksPerPause: 1, checksForUnchanged: 0, saveRequests: BLOCK_SAVE_REQUESTS_TARGET, idleRequests: 0 },
    met:
      openRequests <= BLOCK_OPEN_REQUESTS_TARGET &&
      checks <= BURSTS &&
      checksForUnchanged === 0 &&
      saved &&
      saveRequests <= BLOCK_SAVE_REQUESTS_TARGET &&
      idleRequests === 0,
    openRequests,
    typedCharacters: PARAGRAPH.length,
    pauses: BURSTS,
    checks,
    checksForUnchanged,
    saved,
    saveRequests,
    idleRequests,
    note: `openRequests: Edit Block Definition until both files show; checks: validate-config requests while ${PARAGRAPH.length} characters are typed in ${BURSTS} bursts (${KEY_INTERVAL_MS} ms a key, ${PAUSE_MS} ms pauses); checksForUnchanged: a character typed and taken back; saveRequests: a save's requests (the block read, the PATCH); idleRequests: 5 s with the block open`,
  });
}
