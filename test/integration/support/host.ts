/**
 * What the in-host test files share. The pieces the benchmark and the UI tests use as well live
 * in test/support/ and are re-exported here, so that a test file imports from one place.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RetabExtensionApi } from '../../../src/extension';
import type { RunNode } from '../../../src/ui/tree/nodes';
import { activateExtension } from '../../support/extension';
import { INVOICES, invoiceRunId } from '../../support/fixtures';
import { descendById } from '../../support/tree';
import { Sandbox, SandboxOptions, startSandbox } from '../../sandbox/server';

export { EXTENSION_ID, activateExtension } from '../../support/extension';
export { hoverText, hoverTextAt } from '../../support/hover';
export { jobRefreshed, panelRendered, showsJob } from '../../support/panel';
export { childById, descendById, labelOf } from '../../support/tree';
export { sleep, waitFor } from '../../support/wait';

export async function setBaseUrl(url: string | undefined): Promise<void> {
  await vscode.workspace.getConfiguration('retab').update('apiBaseUrl', url, vscode.ConfigurationTarget.Global);
}

export interface HostSessionOptions extends SandboxOptions {
  /** Set the sandbox's key through `retab.setApiKey` (default true); false leaves no key set. */
  setKey?: boolean;
  /** `retab.*` settings (without the prefix) for the session, unset again when it closes. */
  settings?: Record<string, unknown>;
}

export interface HostSession {
  sandbox: Sandbox;
  api: RetabExtensionApi;
  /** Closes the editors, clears the key, unsets the session's settings and closes the sandbox. */
  close(): Promise<void>;
}

/**
 * A sandbox, the extension pointed at it (the base URL setting) and activated, with no key left
 * from an earlier suite; then the sandbox's key set through the command, with the sandbox's request
 * log emptied just before, so that it starts with what the key brought.
 */
export async function startHostSession(options: HostSessionOptions = {}): Promise<HostSession> {
  const { setKey = true, settings = {}, ...sandboxOptions } = options;
  const sandbox = await startSandbox(sandboxOptions);
  const configuration = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('retab');
  await setBaseUrl(sandbox.url);
  for (const [name, value] of Object.entries(settings)) {
    await configuration().update(name, value, vscode.ConfigurationTarget.Global);
  }
  const api = await activateExtension();
  await vscode.commands.executeCommand('retab.clearApiKey');
  if (setKey) {
    sandbox.reset();
    assert.equal(await vscode.commands.executeCommand<boolean>('retab.setApiKey', sandbox.apiKey), true, 'the sandbox takes its key');
  }
  return {
    sandbox,
    api,
    async close() {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.commands.executeCommand('retab.clearApiKey');
      await setBaseUrl(undefined);
      for (const name of Object.keys(settings)) {
        await configuration().update(name, undefined, vscode.ConfigurationTarget.Global);
      }
      await sandbox.close();
    },
  };
}

/**
 * The suite's hooks: `before` starts a session and hands it to `started` (which may go on setting
 * up), `after` closes it.
 */
export function useHostSession(options: HostSessionOptions, started: (session: HostSession) => void | Promise<void>): void {
  let session: HostSession | undefined;
  before(async () => {
    session = await startHostSession(options);
    await started(session);
  });
  after(async () => {
    await session?.close();
  });
}

/** "Invoice fields v2" run 6 in the tree, each level waited for as the view loads it. */
export async function invoiceRun6(api: RetabExtensionApi): Promise<RunNode> {
  return descendById<RunNode>(api, [INVOICES.workflowId, INVOICES.experimentId, invoiceRunId(6)]);
}
