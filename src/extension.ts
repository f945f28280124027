import * as vscode from 'vscode';
import { useTranslator } from './l10n';
import { JobRef } from './api/ids';
import { RetabRepository } from './data/repository';
import type { ConnectionStore } from './data/connections';
import { registerApiKeyCommands } from './ui/commands/apiKeyCommands';
import { registerDocumentCommands } from './ui/commands/documentCommands';
import { registerLookupJob } from './ui/commands/lookupJob';
import { registerRunCommands } from './ui/commands/runCommands';
import { offerDemoKey } from './ui/auth/demoKey';
import { registerIdNavigation } from './ui/hover/registerIdNavigation';
import { registerLiveRuns } from './ui/live/liveRuns';
import { registerLog } from './ui/log/logChannel';
import { PanelState } from './ui/panel/jobView';
import { registerJobPanel } from './ui/panel/registerJobPanel';
import { RunsTables, registerRunsTable } from './ui/runsTable/registerRunsTable';
import { DocumentDrawn } from './ui/panel/jobPanel';
import { registerPanelFollowsTree } from './ui/panel/panelFollowsTree';
import { createServices } from './composition/services';
import { onDidChangeSettings } from './ui/settings/settings';
import { registerLanguageModelTools } from './ui/tools/registerTools';
import { ExperimentsTreeProvider } from './ui/tree/experimentsTree';
import { registerTree } from './ui/tree/registerTree';
import { registerEvals } from './ui/evals/registerEvals';
import type { EvalsTree } from './ui/evals/evalsController';
import type { EvalRunner } from './ui/evals/evalRunner';
import { BlocksArea, registerBlocks } from './ui/blocks/registerBlocks';
import { afterSaveActions } from './ui/blocks/afterSave';
import { registerConnections } from './ui/connections/registerConnections';
import { registerWalkthrough } from './ui/walkthrough/registerWalkthrough';

/** What `activate` returns: used by the extension's own tests, never shown to users. */
export interface RetabExtensionApi {
  readonly tree: ExperimentsTreeProvider;
  readonly repository: RetabRepository;
  /** The Retab accounts and servers kept, and the one in use. */
  readonly connections: ConnectionStore;
  /** The Test Explorer's evals, and the runner of its Run profile. */
  readonly evals: EvalsTree;
  readonly evalRunner: EvalRunner;
  panelState(): PanelState | undefined;
  readonly onDidRenderPanel: vscode.Event<PanelState>;
  /** A selection's request to the job's endpoint ended (answered or failed). */
  readonly onDidRefreshJob: vscode.Event<JobRef>;
  /** The panel's webview drew a page of the Document section's file. */
  readonly onDidDrawDocument: vscode.Event<DocumentDrawn>;
  /** The Runs tables open now. */
  readonly runsTables: RunsTables;
  /** Block definitions as files: the file system, the checks as you type. */
  readonly blocks: BlocksArea;
  /** How long `activate` took, for the benchmark. */
  readonly activationMs: number;
}

/** Written when the extension stops; `deactivate` waits for it (VS Code gives it a few seconds). */
let flushOnDeactivate: (() => Promise<void>) | undefined;

/** Wires the areas together; each registers its own commands, providers and disposables. */
export function activate(context: vscode.ExtensionContext): RetabExtensionApi {
  const started = performance.now();
  // First: everything shown from here on is in VS Code's display language (package.json "l10n").
  useTranslator((message, args) => vscode.l10n.t(message, ...args), vscode.env.language);
  const services = createServices(context, registerLog(context));
  const { repository, keys } = services;
  // Refresh also reads open block definitions again (registered below).
  let refreshBlocks = (): void => undefined;
  const { tree, treeView, viewDescription } = registerTree(context, services, () => refreshBlocks());
  const panel = registerJobPanel(context, services);
  const openJob = (ref: JobRef): Promise<void> => panel.open(ref);
  registerPanelFollowsTree(context, { treeView, tree, panel, repository });
  const live = registerLiveRuns(context, repository, { tree, treeView, panel });
  const evals = registerEvals(context, services, () => panel.chooseVotes());
  const runsTables = registerRunsTable(context, services);
  // The `retab:` file system: block definitions to edit, and the read-only records (artifacts, jobs, errors).
  const blocks = registerBlocks(context, services, afterSaveActions(repository, tree, evals), () => tree.refresh());
  refreshBlocks = () => blocks.reset(false);
  const reloadAll = (): void => {
    repository.clear();
    tree.refresh();
    evals.reload();
    blocks.reset(true);
  };

  registerConnections(context, services, viewDescription);
  registerApiKeyCommands(context, services, () => {
    reloadAll();
    void panel.onApiKeyChanged();
  });
  registerRunCommands(context, services, { tree, treeView, live });
  registerDocumentCommands(context, services, () => panel.currentState?.ref);
  registerLookupJob(context, services, openJob);
  registerIdNavigation(context, services, openJob);
  registerLanguageModelTools(context, services);
  context.subscriptions.push(
    // Another connection, or another key (maybe another account): nothing loaded so far applies.
    services.connections.onDidChange(({ switched }) => {
      services.onKeyChanged();
      repository.clear();
      if (switched) {
        // What is on screen in panels is the other connection's: closed rather than left to mislead.
        panel.close();
        runsTables.closeAll();
      } else {
        // The lists saved for this connection were another key's; other connections keep theirs.
        repository.forgetSnapshots();
      }
      tree.refresh();
      evals.reload();
      blocks.reset(true);
      void panel.onApiKeyChanged();
    }),
    // Another server, or another generation pinned: nothing loaded so far applies.
    onDidChangeSettings(['apiBaseUrl', 'apiGeneration'], reloadAll),
  );
  flushOnDeactivate = () => services.flush();
  // The edit commands show where the server has blocks (a context key); found out once a key is there.
  void keys.has().then((has) => (has ? blocks.updateAvailability() : undefined));
  registerWalkthrough(context, { panel, treeView, hasKey: () => keys.has() });
  void offerDemoKey(keys);

  return {
    tree,
    repository,
    connections: services.connections,
    evals: evals.tree,
    evalRunner: evals.runner,
    panelState: () => panel.currentState,
    onDidRenderPanel: panel.onDidRender,
    onDidRefreshJob: panel.onDidRefreshJob,
    onDidDrawDocument: panel.onDidDrawDocument,
    runsTables,
    blocks,
    activationMs: performance.now() - started,
  };
}

export async function deactivate(): Promise<void> {
  const flush = flushOnDeactivate;
  flushOnDeactivate = undefined;
  await flush?.();
}
