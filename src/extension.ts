import * as vscode from 'vscode';
import { notificationText } from './ui/markdown';
import { RetabClient } from './api/client';
import { toRetabError } from './api/errors';
import { JobRef } from './api/ids';
import { JobLocator } from './data/locator';
import { RetabRepository } from './data/repository';
import { SnapshotStore } from './data/snapshotStore';
import { ApiKeyStore, originOf } from './data/apiKeyStore';
import { setInternalErrorLog } from './ui/uiError';
import { registerLanguageModelTools } from './ui/tools/registerTools';
import { AuthWarning } from './ui/authWarning';
import { offerDemoKey } from './ui/demoKey';
import { clearApiKey, setApiKey, useKeyForThisServer } from './ui/commands/apiKeyCommands';
import { filterDocuments, sortDocuments } from './ui/commands/arrangeDocuments';
import { compareWithRun, copyJobLink, jobRefFrom, openArtifact, openJobError } from './ui/commands/documentCommands';
import { exportRun } from './ui/commands/exportRun';
import { StartRunOptions, cancelRun, experimentTarget, startRun } from './ui/commands/runCommands';
import { RETAB_SCHEME, RetabDocumentProvider } from './ui/documents/retabDocuments';
import { parseJobLink } from './links/jobLink';
import { lookupJob } from './ui/commands/lookupJob';
import { parseOpenJobArgument } from './ui/commands/openJobArgument';
import { IdHoverProvider } from './ui/hover/idHoverProvider';
import { IdLinkProvider } from './ui/hover/idLinkProvider';
import { LiveRunWatcher } from './ui/live/liveRuns';
import { TreeDecorationProvider } from './ui/decorations/treeDecorations';
import { JOB_PANEL_VIEW_TYPE, JobPanel } from './ui/panel/jobPanel';
import { PanelState } from './ui/panel/jobView';
import { logRequest } from './ui/requestLogChannel';
import { apiBaseUrl, apiGeneration, liveRefreshMs, onDidChangeSettings, requestTimeoutMs } from './ui/settings';
import { ExperimentsTreeProvider } from './ui/tree/experimentsTree';
import { ViewMessage } from './ui/tree/viewMessage';
import { ExperimentNode, MessageNode, RunNode, TreeNode, entityId } from './ui/tree/nodes';

/** What `activate` returns: used by the extension's own tests, never shown to users. */
export interface RetabExtensionApi {
  readonly tree: ExperimentsTreeProvider;
  readonly repository: RetabRepository;
  panelState(): PanelState | undefined;
  readonly onDidRenderPanel: vscode.Event<PanelState>;
  /** How long `activate` took, for the benchmark. */
  readonly activationMs: number;
}

export function activate(context: vscode.ExtensionContext): RetabExtensionApi {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('Retab', { log: true });
  // Stacks of bugs of ours go to the log that the "internal" error messages point to.
  setInternalErrorLog((line) => log.error(line));
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
      .then((choice) => choice && vscode.commands.executeCommand('retab.setApiKey'));
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
  const currentOrigin = (): string | undefined => originOf(apiBaseUrl());
  const locator = new JobLocator(repository);
  const tree = new ExperimentsTreeProvider(repository, () => keys.has());
  const treeView = vscode.window.createTreeView('retab.experiments', { treeDataProvider: tree, showCollapseAll: true });
  const panel = new JobPanel(context.extensionUri, repository);
  const statusBar = vscode.window.createStatusBarItem('retab.runs', vscode.StatusBarAlignment.Left, 10);
  statusBar.name = 'Retab runs in progress';
  const viewMessage = new ViewMessage(treeView, repository);
  const live = new LiveRunWatcher(repository, tree, treeView, panel, statusBar, liveRefreshMs);

  const openJob = async (ref: JobRef): Promise<void> => panel.open(ref);
  const updateKeyContext = async (): Promise<void> => {
    await vscode.commands.executeCommand('setContext', 'retab.hasApiKey', await keys.has());
  };

  context.subscriptions.push(
    log,
    keys,
    tree,
    treeView,
    panel,
    statusBar,
    viewMessage,
    live,
    { dispose: () => void snapshots.flush() },
    treeView.onDidCollapseElement((event) => tree.cancelLoading(event.element)),
    // A live run's row depends on whether its documents are on screen (see RunNode.expanded).
    treeView.onDidExpandElement((event) => tree.setExpanded(event.element, true)),
    treeView.onDidCollapseElement((event) => tree.setExpanded(event.element, false)),
    // Badges and colours of stale, drifted, older-definition and error rows (their resourceUri).
    vscode.window.registerFileDecorationProvider(new TreeDecorationProvider()),
    tree.onDidChangeArrangement((description) => (treeView.description = description)),
    keys.onDidChange(() => {
      authWarning.reset();
      repository.clear();
      repository.forgetSnapshots();
      void updateKeyContext();
      tree.refresh();
      void panel.onApiKeyChanged();
    }),
    // Another server, or another generation pinned: nothing loaded so far applies.
    onDidChangeSettings(['apiBaseUrl', 'apiGeneration'], () => {
      repository.clear();
      tree.refresh();
    }),
    vscode.commands.registerCommand('retab.setApiKey', (provided?: unknown) =>
      setApiKey(keys, (key) => clientFor(async () => key).verifyKey(), currentOrigin, provided),
    ),
    vscode.commands.registerCommand('retab.useKeyForBaseUrl', async (confirmed?: unknown) => {
      const allowed = await useKeyForThisServer(keys, (key) => clientFor(async () => key).verifyKey(), currentOrigin, confirmed);
      if (allowed) {
        repository.clear();
        tree.refresh();
        void panel.onApiKeyChanged();
      }
      return allowed;
    }),
    vscode.commands.registerCommand('retab.clearApiKey', () => clearApiKey(keys)),
    vscode.commands.registerCommand('retab.refresh', () => {
      repository.refresh();
      tree.refresh();
    }),
    vscode.commands.registerCommand('retab.retryNode', (node: MessageNode) => tree.retry(node)),
    vscode.commands.registerCommand('retab.loadMoreWorkflows', () => tree.loadMoreWorkflows()),
    vscode.commands.registerCommand('retab.showLog', () => log.show()),
    vscode.commands.registerCommand('retab.sortDocuments', () => sortDocuments(tree)),
    vscode.commands.registerCommand('retab.filterDocuments', () => filterDocuments(tree)),
    vscode.commands.registerCommand('retab.clearDocumentFilter', () => tree.arrange(tree.arrangement.sort, {})),
    vscode.commands.registerCommand('retab.openJob', async (argument: unknown) => {
      try {
        await openJob(parseOpenJobArgument(argument));
      } catch (caught) {
        void vscode.window.showErrorMessage(`Retab: ${notificationText(toRetabError(caught).message)}`);
      }
    }),
    vscode.commands.registerCommand('retab.refreshJob', () => panel.refresh()),
    // The job panel comes back after a window reload (activation event onWebviewPanel:retab.job).
    vscode.window.registerWebviewPanelSerializer(JOB_PANEL_VIEW_TYPE, panel),
    vscode.commands.registerCommand('retab.lookupJob', (text?: unknown) => lookupJob(repository, locator, openJob, text)),
    vscode.commands.registerCommand('retab.copyId', async (node?: TreeNode) => {
      const id = node ? entityId(node) : undefined;
      if (id) {
        await vscode.env.clipboard.writeText(id);
        vscode.window.setStatusBarMessage(`Copied ${id}`, 2000);
      }
    }),
    vscode.workspace.registerTextDocumentContentProvider(RETAB_SCHEME, new RetabDocumentProvider(repository)),
    vscode.commands.registerCommand('retab.openJobError', (argument?: unknown) => openJobError(jobRefFrom(argument, panel.currentState?.ref))),
    vscode.commands.registerCommand('retab.openArtifact', (argument?: unknown) => openArtifact(repository, jobRefFrom(argument, panel.currentState?.ref))),
    vscode.commands.registerCommand('retab.compareWithRun', (argument?: unknown, otherRunId?: string) =>
      compareWithRun(repository, jobRefFrom(argument, panel.currentState?.ref), otherRunId),
    ),
    vscode.commands.registerCommand('retab.copyLink', (argument?: unknown) => copyJobLink(context.extension.id, jobRefFrom(argument, panel.currentState?.ref))),
    vscode.commands.registerCommand('retab.exportRun', (node?: RunNode, target?: vscode.Uri) => exportRun(repository, node, target)),
    vscode.commands.registerCommand('retab.startRun', async (node?: ExperimentNode | RunNode, options?: StartRunOptions) => {
      const started = await startRun(repository, experimentTarget(node), options);
      if (started && node) {
        const experiment = node.kind === 'run' ? node.parent : node;
        live.follow(started.runId);
        tree.reloadExperiment(experiment);
        await treeView.reveal(tree.shownNode(`exp:${experiment.experiment.id}`) ?? experiment, { expand: true });
      }
      return started;
    }),
    vscode.commands.registerCommand('retab.cancelRun', async (node?: ExperimentNode | RunNode, confirmed?: boolean) => {
      const cancelled = await cancelRun(repository, experimentTarget(node), confirmed === true);
      if (cancelled && node) {
        tree.reloadExperiment(node.kind === 'run' ? node.parent : node);
      }
      return cancelled;
    }),
    vscode.window.registerUriHandler({
      handleUri: (uri) => {
        const ref = parseJobLink(uri.path, uri.query);
        if (ref) {
          void openJob(ref);
        } else {
          void vscode.window.showErrorMessage('Retab: this link does not name a job (it needs workflow, experiment, run and document ids).');
        }
      },
    }),
    vscode.languages.registerDocumentLinkProvider('*', new IdLinkProvider(locator)),
    vscode.languages.registerHoverProvider('*', new IdHoverProvider(repository, locator, () => keys.has())),
  );
  registerLanguageModelTools(context, { repository, locator });
  void updateKeyContext();
  void offerDemoKey(keys);

  return {
    tree,
    repository,
    panelState: () => panel.currentState,
    onDidRenderPanel: panel.onDidRender,
    activationMs: performance.now() - started,
  };
}
