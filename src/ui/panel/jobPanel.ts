import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { JobRef } from '../../api/ids';
import { Job, documentLabel } from '../../api/models';
import { RetabRepository } from '../../data/repository';
import { JobContext, PanelState, panelTitle, renderPanelBody } from './jobView';
import { CopyField, FromWebview, PanelAction, ShowMessage, parseSavedPanelState, parseWebviewMessage } from './messages';
import { renderShell } from './shell';
import { toUiError } from '../uiError';

export interface OpenJobOptions {
  /** Bypass the cache of finished jobs: what the panel's Refresh does. */
  force?: boolean;
  preserveFocus?: boolean;
}

/** The panel's view type: its serializer and the `onWebviewPanel:` activation event use it. */
export const JOB_PANEL_VIEW_TYPE = 'retab.job';

/**
 * One job panel, reused as the user clicks through documents (like a preview editor). Each open
 * cancels the previous request, and a late answer for an older job is dropped. It is also the
 * panel's serializer: after a window reload VS Code hands the panel back with what its webview saved.
 */
export class JobPanel implements vscode.Disposable, vscode.WebviewPanelSerializer {
  private panel: vscode.WebviewPanel | undefined;
  private panelSubscriptions: vscode.Disposable[] = [];
  private ready = false;
  private state: PanelState | undefined;
  private inFlight: AbortController | undefined;
  private generation = 0;
  private renderId = 0;
  private readonly rendered = new vscode.EventEmitter<PanelState>();
  /** Fires when the webview has put a state on screen. */
  readonly onDidRender = this.rendered.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly repository: RetabRepository,
  ) {}

  get currentState(): PanelState | undefined {
    return this.state;
  }

  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  get isVisible(): boolean {
    return this.panel?.visible ?? false;
  }

  async open(ref: JobRef, options: OpenJobOptions = {}): Promise<void> {
    await this.load(ref, options, true);
  }

  /**
   * A panel VS Code restores after a window reload. Its webview saved only the job's ids and its
   * view state (see `SavedPanelState`); the job itself is loaded again through the repository,
   * so nothing the server said survives in VS Code's storage. The webview puts its Raw JSON
   * section and scroll position back itself, from the same saved state.
   */
  async deserializeWebviewPanel(panel: vscode.WebviewPanel, saved: unknown): Promise<void> {
    const state = parseSavedPanelState(saved);
    if (!state || this.panel) {
      // Nothing to show (or a job was opened before the restore ran: one panel is all we keep).
      panel.dispose();
      return;
    }
    this.adopt(panel);
    // Not revealed: a restored panel may sit in a background tab and should stay there.
    await this.load(state.ref, { preserveFocus: true }, false);
  }

  private async load(ref: JobRef, options: OpenJobOptions, reveal: boolean): Promise<void> {
    const generation = ++this.generation;
    this.inFlight?.abort();
    const controller = new AbortController();
    this.inFlight = controller;

    const cached = options.force ? undefined : this.repository.cachedJob(ref);
    if (cached) {
      if (reveal) {
        this.reveal(options.preserveFocus);
      }
      this.show({ kind: 'job', ref, job: cached, context: this.contextFor(ref), fetchedAt: Date.now() });
      return;
    }
    const known = this.repository.knownDocument(ref.documentId, ref.runId)?.job;
    if (reveal) {
      this.reveal(options.preserveFocus);
    }
    this.show({ kind: 'loading', ref, label: known ? documentLabel(known) : undefined });
    try {
      const job = await this.repository.getJob(ref, { force: options.force, signal: controller.signal });
      if (generation === this.generation) {
        this.show({ kind: 'job', ref, job, context: this.contextFor(ref), fetchedAt: Date.now() });
      }
    } catch (caught) {
      const error = toUiError(caught, 'loading the job');
      if (generation !== this.generation || error.kind === 'cancelled') {
        return;
      }
      this.show({
        kind: 'error',
        ref,
        error: { kind: error.kind, message: error.message, status: error.status, requestId: error.requestId },
      });
    } finally {
      if (this.inFlight === controller) {
        this.inFlight = undefined;
      }
    }
  }

  /** Re-fetches the job on screen, skipping every cache. */
  async refresh(): Promise<void> {
    if (this.state) {
      await this.open(this.state.ref, { force: true, preserveFocus: true });
    }
  }

  /** After the key changed, a panel showing an auth problem tries again by itself. */
  async onApiKeyChanged(): Promise<void> {
    if (this.state?.kind === 'error' && (this.state.error.kind === 'auth' || this.state.error.kind === 'no_key')) {
      await this.refresh();
    }
  }

  dispose(): void {
    this.panel?.dispose();
    this.rendered.dispose();
  }

  private reveal(preserveFocus = false): void {
    if (this.panel) {
      if (!this.panel.visible) {
        this.panel.reveal(undefined, preserveFocus);
      }
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      JOB_PANEL_VIEW_TYPE,
      'Retab Job',
      { viewColumn: vscode.ViewColumn.Active, preserveFocus },
      { ...this.webviewOptions(), retainContextWhenHidden: false },
    );
    this.adopt(panel);
  }

  private webviewOptions(): vscode.WebviewOptions {
    return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'media')] };
  }

  /** Takes a new or restored panel as the one panel, and loads its page. */
  private adopt(panel: vscode.WebviewPanel): void {
    // A restored panel comes back without options: scripts and media/ are allowed again here.
    panel.webview.options = this.webviewOptions();
    this.panel = panel;
    this.ready = false;
    this.panelSubscriptions = [
      panel.onDidDispose(() => this.onPanelClosed()),
      panel.webview.onDidReceiveMessage((message: unknown) => this.onMessage(parseWebviewMessage(message))),
      panel.onDidChangeViewState(() => {
        // Hidden webviews are discarded (retainContextWhenHidden is off to save memory), so the
        // page is rebuilt with the current state when it comes back.
        if (!panel.visible) {
          this.ready = false;
        } else if (!this.ready) {
          this.loadShell();
        }
      }),
    ];
    this.loadShell();
  }

  private loadShell(): void {
    const panel = this.panel;
    if (!panel) {
      return;
    }
    const mediaRoot = vscode.Uri.joinPath(this.extensionUri, 'media');
    panel.webview.html = renderShell(
      {
        cspSource: panel.webview.cspSource,
        nonce: createNonce(),
        scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(mediaRoot, 'panel.js')).toString(),
        styleUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(mediaRoot, 'panel.css')).toString(),
      },
      '',
    );
  }

  private show(state: PanelState): void {
    this.state = state;
    if (this.panel) {
      this.panel.title = panelTitle(state);
      if (this.ready) {
        this.post();
      }
    }
  }

  private post(): void {
    if (!this.panel || !this.state) {
      return;
    }
    this.renderId++;
    const message: ShowMessage = { type: 'show', renderId: this.renderId, html: renderPanelBody(this.state), ref: this.state.ref, view: this.state.kind };
    void this.panel.webview.postMessage(message);
  }

  private onMessage(message: FromWebview | undefined): void {
    if (!message) {
      return;
    }
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.post();
        return;
      case 'rendered':
        if (message.renderId === this.renderId && this.state) {
          this.rendered.fire(this.state);
        }
        return;
      case 'copy':
        void this.copy(message.field);
        return;
      case 'action':
        void this.runAction(message.action);
        return;
    }
  }

  private async copy(field: CopyField): Promise<void> {
    const state = this.state;
    if (!state) {
      return;
    }
    const job: Job | undefined = state.kind === 'job' ? state.job : undefined;
    const values: Record<CopyField, string | undefined> = {
      workflowId: state.ref.workflowId,
      experimentId: state.ref.experimentId,
      runId: state.ref.runId,
      documentId: state.ref.documentId,
      jobId: job?.id,
      artifactId: job?.artifact?.id,
      error: job?.error ?? undefined,
    };
    const value = values[field];
    if (value) {
      await vscode.env.clipboard.writeText(value);
    }
  }

  private async runAction(action: PanelAction): Promise<void> {
    if (action === 'refresh') {
      await this.refresh();
      return;
    }
    const [command, ...args] = PANEL_ACTION_COMMANDS[action];
    await vscode.commands.executeCommand(command, ...args);
  }

  private contextFor(ref: JobRef): JobContext {
    const runs = this.repository.knownRunsOf(ref.experimentId);
    const index = runs.findIndex((run) => run.id === ref.runId);
    return {
      workflowName: this.repository.knownWorkflow(ref.workflowId)?.name,
      experimentName: this.repository.knownExperiment(ref.experimentId)?.name,
      runLabel: index >= 0 ? `Run ${runs.length - index}` : undefined,
    };
  }

  private onPanelClosed(): void {
    this.inFlight?.abort();
    this.inFlight = undefined;
    this.generation++;
    for (const subscription of this.panelSubscriptions) {
      subscription.dispose();
    }
    this.panelSubscriptions = [];
    this.panel = undefined;
    this.state = undefined;
    this.ready = false;
  }
}

/** Panel buttons that run an extension or workbench command; the commands act on the job on screen. */
const PANEL_ACTION_COMMANDS: Record<Exclude<PanelAction, 'refresh'>, [string, ...string[]]> = {
  setApiKey: ['retab.setApiKey'],
  useKeyForBaseUrl: ['retab.useKeyForBaseUrl'],
  openSettings: ['workbench.action.openSettings', 'retab.'],
  showLog: ['retab.showLog'],
  lookupJob: ['retab.lookupJob'],
  openArtifact: ['retab.openArtifact'],
  compareWithRun: ['retab.compareWithRun'],
  copyLink: ['retab.copyLink'],
  openFullError: ['retab.openJobError'],
};

function createNonce(): string {
  return randomBytes(18).toString('base64url');
}
