import type * as vscode from 'vscode';
import type { KeyStore } from '../../data/apiKeyStore';
import type { ConnectionStore } from '../../data/connections';
import type { JobLocator } from '../../data/locator';
import type { RetabRepository } from '../../data/repository';
import type { EvalRepository } from '../../data/evals/evalRepository';
import type { BlockRepository } from '../../data/blocks/blockRepository';

/** The data layer the views share: one repository, one key store, one way to check a key. */
export interface Services {
  readonly log: vscode.LogOutputChannel;
  /** The key of the connection in use. */
  readonly keys: KeyStore;
  /** The Retab accounts and servers kept, and the one in use. */
  readonly connections: ConnectionStore;
  readonly repository: RetabRepository;
  /** Workflow evals (the Test Explorer's). */
  readonly evals: EvalRepository;
  /** Workflow blocks: their definitions, versions and publishing. */
  readonly blocks: BlockRepository;
  readonly locator: JobLocator;
  /** Checks a key with the connection's server (or `baseUrl`), before it is saved or bound there. */
  readonly verifyKey: (key: string, baseUrl?: string) => Promise<unknown>;
  /** The origin of the connection in use, when it is a URL the extension talks to. */
  readonly currentOrigin: () => string | undefined;
  /** A new key (or the same one allowed for this server): the warning about a rejected key may show again. */
  readonly onKeyChanged: () => void;
  /** Writes the saved lists now (deactivate waits for it). */
  readonly flush: () => Promise<void>;
}
