import { l10n } from '../../l10n';
import { modify } from 'jsonc-parser';
import * as vscode from 'vscode';
import { BundleError, CONFIG_FILE } from '../../analysis/blockBundle';
import { ConfigProblem, placeProblems } from '../../analysis/configProblems';
import { bundleConfigHash } from '../../analysis/goJson';
import { RetabError, toRetabError } from '../../api/errors';
import { BlockRepository } from '../../data/blocks/blockRepository';
import { BlockAddress, BlockFileAddress, blockFileUri, blockKey, parseBlockUri } from './blockUris';
import { RetabFileSystem } from './retabFileSystem';

/** A pause in typing this long (ms) before the server is asked. */
export const CHECK_PAUSE_MS = 500;
const SOURCE = l10n.t('Retab');
const REFUSED_KEY = 'retab.refusedKey';

/**
 * Checks a block's files as they are typed, by the server: its dry run (`validate-config`,
 * `config_mode: replace`) at most once per pause in typing and never for a config it already
 * judged; its reasons become diagnostics where they point (configProblems.ts), with a quick fix
 * that sets a refused key to null. A server without the route, or no network: local checks only,
 * said once in the status bar.
 */
export class BlockChecks implements vscode.Disposable, vscode.CodeActionProvider {
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('retab-blocks');
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** The last config asked about per block (its bundle hash), so unchanged text is never sent again. */
  private readonly judged = new Map<string, string>();
  private readonly inFlight = new Map<string, AbortController>();
  private readonly status = vscode.window.createStatusBarItem('retab.blockChecks', vscode.StatusBarAlignment.Left, 10);
  private serverChecks: 'on' | 'off' = 'on';
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Requests made (the benchmark counts them). */
  requests = 0;

  constructor(
    private readonly blocks: BlockRepository,
    private readonly files: RetabFileSystem,
  ) {
    this.status.name = l10n.t('Retab block checks');
    this.subscriptions.push(
      this.diagnostics,
      this.status,
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.contentChanges.length > 0) {
          this.schedule(event.document);
        }
      }),
      vscode.workspace.onDidOpenTextDocument((document) => this.schedule(document)),
      vscode.workspace.onDidCloseTextDocument((document) => this.diagnostics.delete(document.uri)),
      vscode.languages.registerCodeActionsProvider({ scheme: 'retab', language: 'json' }, this, { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }),
    );
  }

  dispose(): void {
    for (const timer of this.timers.values()) {
      clearTimeout(timer);
    }
    for (const controller of this.inFlight.values()) {
      controller.abort();
    }
    vscode.Disposable.from(...this.subscriptions).dispose();
  }

  /** A reason the server gave elsewhere (a refused save): shown where it points. */
  showRefusal(address: BlockAddress, file: string, error: RetabError | BundleError): void {
    if (error instanceof BundleError) {
      this.show(address, [{ file: error.file, offset: error.offset ?? 0, length: 0, message: error.message }]);
      return;
    }
    this.show(address, placeProblems(address.blockType, error.message, this.texts(address), file));
  }

  private schedule(document: vscode.TextDocument): void {
    const address = parseBlockUri(document.uri);
    if (!address || address.file === undefined) {
      return;
    }
    const key = blockKey(address);
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.check(address);
      }, CHECK_PAUSE_MS),
    );
  }

  /** The texts of a block's files as the editor has them (unsaved ones included). */
  private texts(address: BlockAddress): Map<string, string> {
    const draft = this.files.draftOf(address);
    const texts = new Map(draft?.files.texts ?? []);
    for (const document of vscode.workspace.textDocuments) {
      const other = parseBlockUri(document.uri);
      if (other?.file && blockKey(other) === blockKey(address)) {
        texts.set(other.file, document.getText());
      }
    }
    return texts;
  }

  private async check(address: BlockFileAddress): Promise<void> {
    const draft = this.files.draftOf(address);
    if (!draft) {
      return;
    }
    const key = blockKey(address);
    const texts = this.texts(address);
    let config;
    try {
      config = draft.configFrom(texts);
    } catch (caught) {
      if (caught instanceof BundleError) {
        this.judged.delete(key);
        // JSON syntax is the JSON language's to show; the bundle's own rules are ours.
        this.show(
          address,
          caught.offset !== undefined && /not valid JSON/.test(caught.message)
            ? []
            : [{ file: caught.file, offset: caught.offset ?? 0, length: 0, message: caught.message }],
        );
        return;
      }
      throw caught;
    }
    const hash = bundleConfigHash(config);
    if (hash === draft.baselineHash) {
      // The server's own config (as opened or last saved): nothing to ask, nothing to show.
      this.judged.set(key, hash);
      this.show(address, []);
      return;
    }
    if (this.judged.get(key) === hash || this.serverChecks === 'off') {
      return;
    }
    this.inFlight.get(key)?.abort();
    const controller = new AbortController();
    this.inFlight.set(key, controller);
    this.judged.set(key, hash);
    try {
      this.requests++;
      await this.blocks.validateConfig(address.blockId, address.workflowId, config, controller.signal);
      this.show(address, []);
    } catch (caught) {
      const error = toRetabError(caught);
      if (error.kind === 'cancelled') {
        return;
      }
      if (error.routeMissing || error.kind === 'network' || error.kind === 'timeout' || error.kind === 'server') {
        this.judged.delete(key);
        this.localOnly(error);
        return;
      }
      this.show(address, placeProblems(address.blockType, error.message, texts, address.file ?? CONFIG_FILE));
    } finally {
      if (this.inFlight.get(key) === controller) {
        this.inFlight.delete(key);
      }
    }
  }

  /** Said once: the server cannot check, so only local checks (JSON, the schemas, the bundle's rules) apply. */
  private localOnly(error: RetabError): void {
    this.serverChecks = 'off';
    this.status.text = l10n.t('$(circle-slash) Retab: local checks only');
    this.status.tooltip = error.routeMissing
      ? l10n.t(
          'This Retab server has no dry run for block configs (validate-config): edits are checked locally (JSON and the block type’s known keys); the server still judges them on save.',
        )
      : l10n.t('The Retab server could not be reached to check this config ({0}): edits are checked locally until the next Refresh.', error.message);
    this.status.show();
  }

  /** Whether edits go to the server's dry run (false: local checks only, said in the status bar). */
  get serverChecksOn(): boolean {
    return this.serverChecks === 'on';
  }

  /** Server checks on again (Refresh, another server or key). */
  reset(): void {
    this.serverChecks = 'on';
    this.judged.clear();
    this.status.hide();
  }

  private show(address: BlockAddress, problems: readonly ConfigProblem[]): void {
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const document of vscode.workspace.textDocuments) {
      const other = parseBlockUri(document.uri);
      if (other?.file && blockKey(other) === blockKey(address)) {
        byFile.set(other.file, []);
      }
    }
    for (const problem of problems) {
      const document = vscode.workspace.textDocuments.find((candidate) => candidate.uri.toString() === blockFileUri(address, problem.file).toString());
      const start = document ? document.positionAt(problem.offset) : new vscode.Position(0, 0);
      const end = document ? document.positionAt(problem.offset + problem.length) : start;
      const diagnostic = new vscode.Diagnostic(new vscode.Range(start, end), problem.message, vscode.DiagnosticSeverity.Error);
      diagnostic.source = SOURCE;
      if (problem.key !== undefined) {
        // The quick fix finds the key again from the message: diagnostics come back to code actions as copies.
        diagnostic.code = REFUSED_KEY;
      }
      byFile.set(problem.file, [...(byFile.get(problem.file) ?? []), diagnostic]);
    }
    for (const [file, diagnostics] of byFile) {
      this.diagnostics.set(blockFileUri(address, file), diagnostics);
    }
  }

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    return context.diagnostics.flatMap((diagnostic) => {
      const key =
        diagnostic.source === SOURCE && diagnostic.code === REFUSED_KEY ? /^The server does not take "([^"]+)"/.exec(diagnostic.message)?.[1] : undefined;
      if (key === undefined) {
        return [];
      }
      const action = new vscode.CodeAction(l10n.t('Set "{0}" to null', key), vscode.CodeActionKind.QuickFix);
      action.diagnostics = [diagnostic];
      action.isPreferred = true;
      const edit = new vscode.WorkspaceEdit();
      const text = document.getText();
      for (const change of modify(text, [key], null, { formattingOptions: { insertSpaces: true, tabSize: 2 } })) {
        edit.replace(document.uri, new vscode.Range(document.positionAt(change.offset), document.positionAt(change.offset + change.length)), change.content);
      }
      action.edit = edit;
      return [action];
    });
  }
}
