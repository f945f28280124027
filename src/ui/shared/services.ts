import type * as vscode from 'vscode';
import type { ApiKeyStore } from '../../data/apiKeyStore';
import type { JobLocator } from '../../data/locator';
import type { RetabRepository } from '../../data/repository';
import type { EvalRepository } from '../../data/evals/evalRepository';
import type { BlockRepository } from '../../data/blocks/blockRepository';

/** The data layer the views share: one repository, one key store, one way to check a key. */
export interface Services {
  readonly log: vscode.LogOutputChannel;
  readonly keys: ApiKeyStore;
  readonly repository: RetabRepository;
  /** Workflow evals (the Test Explorer's). */
  readonly evals: EvalRepository;
  /** Workflow blocks: their definitions, versions and publishing. */
  readonly blocks: BlockRepository;
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
