import * as vscode from 'vscode';
import { RetabClient } from '../api/client';
import { ApiKeyStore, originOf } from '../data/apiKeyStore';
import { JobLocator } from '../data/locator';
import { RetabRepository } from '../data/repository';
import { SnapshotStore } from '../data/snapshotStore';
import { AuthWarning } from './authWarning';
import { logRequest } from './logChannel';
import { COMMANDS } from './names';
import { apiBaseUrl, apiGeneration, requestTimeoutMs } from './settings';

/** The data layer the views share: one repository, one key store, one way to check a key. */
export interface Services {
  readonly log: vscode.LogOutputChannel;
  readonly keys: ApiKeyStore;
  readonly repository: RetabRepository;
  readonly locator: JobLocator;
  /** Checks a key with the server retab.apiBaseUrl names, before it is saved or bound there. */
  readonly verifyKey: (key: string) => Promise<unknown>;
  /** The origin of retab.apiBaseUrl, when it is a URL the extension talks to. */
  readonly currentOrigin: () => string | undefined;
  /** A new key (or the same one allowed for this server): the warning about a rejected key may show again. */
  readonly onKeyChanged: () => void;
  /** Writes the saved lists now (deactivate waits for it). */
  readonly flush: () => Promise<void>;
}

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
  const snapshots = new SnapshotStore(context.globalState, apiBaseUrl, (message) => log.warn(message));
  // The key goes only to the origin it was verified for (keyFor throws a key_origin error elsewhere).
  const repository = new RetabRepository(
    clientFor(
      () => keys.keyFor(apiBaseUrl()),
      () => authWarning.show(),
    ),
    snapshots,
  );
  context.subscriptions.push(keys);
  return {
    log,
    keys,
    repository,
    locator: new JobLocator(repository),
    verifyKey: (key) => clientFor(() => Promise.resolve(key)).verifyKey(),
    currentOrigin: () => originOf(apiBaseUrl()),
    onKeyChanged: () => authWarning.reset(),
    flush: () => snapshots.flush(),
  };
}
