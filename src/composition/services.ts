/**
 * The composition root's one factory: the client, the repository, the key store and the saved
 * lists, built once and handed to every area (extension.ts wires the areas with them).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { RetabClient } from '../api/client';
import { ApiKeyStore, originOf } from '../data/apiKeyStore';
import { JobLocator } from '../data/locator';
import { RetabRepository } from '../data/repository';
import { EvalClient } from '../api/evals/evalClient';
import { EvalRepository } from '../data/evals/evalRepository';
import { BlockClient } from '../api/blocks/blockClient';
import { BlockRepository } from '../data/blocks/blockRepository';
import { SnapshotStore } from '../data/snapshotStore';
import { AtomicFileStorage } from '../data/atomicFileStorage';
import { AuthWarning } from '../ui/auth/authWarning';
import { logRequest } from '../ui/log/logChannel';
import { COMMANDS } from '../ui/shared/names';
import { apiBaseUrl, apiGeneration, requestTimeoutMs } from '../ui/settings/settings';
import { Services } from '../ui/shared/services';

export function createServices(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): Services {
  const keys = new ApiKeyStore(context.secrets, (message) => void vscode.window.showErrorMessage(message));
  const clientFor = (apiKey: () => Promise<string | undefined>, onAuthError?: () => void): RetabClient =>
    new RetabClient({
      baseUrl: apiBaseUrl,
      apiKey,
      timeoutMs: requestTimeoutMs,
      generation: apiGeneration,
      generationStorage: context.globalState,
      onLog: (message) => log.info(message),
      onRequest: (record) => logRequest(log, record),
      onAuthError,
    });
  const authWarning = new AuthWarning(() => {
    void vscode.window
      .showErrorMessage('Retab: the server rejected the API key (401/403). Set a valid key to continue.', 'Set API Key')
      .then((choice) => choice && vscode.commands.executeCommand(COMMANDS.setApiKey));
  });
  // Last-known lists in a file of their own, written atomically (a host killed mid-write loses nothing saved before).
  const warn = (message: string): void => log.warn(message);
  const snapshotFile = path.join(context.globalStorageUri.fsPath, 'last-known-lists.json');
  const snapshots = new SnapshotStore(new AtomicFileStorage(snapshotFile, warn), apiBaseUrl, warn, context.globalState);
  // The key goes only to the origin it was verified for (keyFor throws a key_origin error elsewhere).
  const client = clientFor(
    () => keys.keyFor(apiBaseUrl()),
    () => authWarning.show(),
  );
  const repository = new RetabRepository(client, snapshots);
  const evals = new EvalRepository(new EvalClient(client), apiBaseUrl);
  context.subscriptions.push(keys);
  return {
    log,
    keys,
    repository,
    evals,
    blocks: new BlockRepository(new BlockClient(client), apiBaseUrl, repository.drafts),
    locator: new JobLocator(repository),
    verifyKey: (key) => clientFor(() => Promise.resolve(key)).verifyKey(),
    currentOrigin: () => originOf(apiBaseUrl()),
    onKeyChanged: () => authWarning.reset(),
    flush: () => snapshots.flush(),
  };
}
