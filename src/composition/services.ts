/**
 * The composition root's one factory: the client, the repository, the key store and the saved
 * lists, built once and handed to every area (extension.ts wires the areas with them).
 */
import { l10n } from '../l10n';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { RetabClient } from '../api/client';
import { originOf } from '../data/apiKeyStore';
import { ConnectionStore } from '../data/connections';
import { scopedStorage } from '../data/scopedStorage';
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
  const connections = new ConnectionStore(context.globalState, context.secrets, (message) => void vscode.window.showErrorMessage(message), apiBaseUrl);
  const { keys } = connections;
  const baseUrl = (): string => connections.baseUrl();
  // What is remembered per server (generations, unavailable routes) is also per connection.
  const scope = (): string => connections.scope() + baseUrl();
  const clientFor = (apiKey: () => Promise<string | undefined>, onAuthError?: () => void, at: () => string = baseUrl): RetabClient =>
    new RetabClient({
      baseUrl: at,
      apiKey,
      timeoutMs: requestTimeoutMs,
      generation: apiGeneration,
      generationStorage: scopedStorage(context.globalState, () => connections.scope()),
      onLog: (message) => log.info(message),
      onRequest: (record) => logRequest(log, record),
      onAuthError,
    });
  const authWarning = new AuthWarning(() => {
    void vscode.window
      .showErrorMessage(l10n.t('Retab: the server rejected the API key (401/403). Set a valid key to continue.'), l10n.t('Set API Key'))
      .then((choice) => choice && vscode.commands.executeCommand(COMMANDS.setApiKey));
  });
  // Last-known lists in a file of their own, written atomically (a host killed mid-write loses nothing saved before).
  const warn = (message: string): void => log.warn(message);
  const snapshotFile = path.join(context.globalStorageUri.fsPath, 'last-known-lists.json');
  const snapshots = new SnapshotStore(new AtomicFileStorage(snapshotFile, warn), scope, warn, context.globalState);
  // The key goes only to the origin it was verified for (keyFor throws a key_origin error elsewhere).
  const client = clientFor(
    () => keys.keyFor(baseUrl()),
    () => authWarning.show(),
  );
  const repository = new RetabRepository(client, snapshots);
  const evals = new EvalRepository(new EvalClient(client), scope);
  context.subscriptions.push(connections);
  return {
    log,
    keys,
    connections,
    repository,
    evals,
    blocks: new BlockRepository(new BlockClient(client), scope, repository.drafts),
    locator: new JobLocator(repository),
    verifyKey: (key, at) => clientFor(() => Promise.resolve(key), undefined, at ? () => at : baseUrl).verifyKey(),
    currentOrigin: () => originOf(baseUrl()),
    onKeyChanged: () => authWarning.reset(),
    flush: () => snapshots.flush(),
  };
}
