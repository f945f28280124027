import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { JobRef } from '../../api/ids';
import { DocumentMetric, FieldScore, Job, documentLabel, numberedRuns } from '../../api/models';
import { RetabRepository } from '../../data/repository';
import { COMMANDS, JOB_PANEL_VIEW_TYPE } from '../names';
import { toUiError } from '../uiError';
import { fieldValueUri } from '../documents/fieldValueDocument';
import { FieldsContent, FieldsSection, VotesContent, orderFields, renderFieldsInner } from './fieldsView';
import { PanelError } from './guidance';
import { JobContext, PanelState, panelTitle, renderPanelBody } from './jobView';
import { CopyField, FromWebview, PanelAction, ToWebview, ValueRef, parseSavedPanelState, parseWebviewMessage } from './protocol';
import { renderShell } from './shell';
import { ERROR_ACTION_COMMANDS } from '../errorGuidance';

export interface OpenJobOptions {
  /** Bypass the cache of finished jobs: what the panel's Refresh does. */
  force?: boolean;
  preserveFocus?: boolean;
}

type JobState = Extract<PanelState, { kind: 'job' }>;

/**
 * One job panel, reused as the user clicks through documents (like a preview editor). Each open
 * cancels the previous request, and a late answer for an older job is dropped. It is also the
 * panel's serializer: after a window reload VS Code hands the panel back with what its webview saved.
 *
 * The Fields section is lazy: a document's field scores are fetched when the section is opened,
 * a field's votes when it is chosen, both through the repository (which keeps finished runs'
 * views), and both cancelled when another job is opened. Whether the section is open is kept
 * from job to job and across reloads.
 */
export class JobPanel implements vscode.Disposable, vscode.WebviewPanelSerializer {
  private panel: vscode.WebviewPanel | undefined;
  private panelSubscriptions: vscode.Disposable[] = [];
  private ready = false;
  private state: PanelState | undefined;
  private inFlight: AbortController | undefined;
  private fieldsRequest: AbortController | undefined;
  private votesRequest: AbortController | undefined;
  private fieldsLoad: Promise<void> | undefined;
  /** The user had the Fields section open: the next job in this panel shows it open (and loads it) too. */
  private fieldsOpen = false;
  private generation = 0;
  /** Bumped with every state; the webview acknowledges the id it put on screen. */
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
    await this.load(ref, options, () => this.reveal(options.preserveFocus));
  }

  /**
   * A panel VS Code restores after a window reload. Its webview saved only the job's ids and its
   * view state (see `SavedPanelState`); the job itself is loaded again through the repository,
   * so nothing the server said survives in VS Code's storage. The webview puts its Raw JSON
   * section and scroll position back itself, from the same saved state; the Fields section is
   * opened (and loaded) here.
   */
  async deserializeWebviewPanel(panel: vscode.WebviewPanel, saved: unknown): Promise<void> {
    const state = parseSavedPanelState(saved);
    if (!state || this.panel) {
      // Nothing to show (or a job was opened before the restore ran: one panel is all we keep).
      panel.dispose();
      return;
    }
    this.fieldsOpen = state.fieldsOpen;
    // Not revealed: a restored panel may sit in a background tab and should stay there.
    await this.load(state.ref, { preserveFocus: true }, () => this.adopt(panel));
  }

  /**
   * Shows the first state (the job if it is in memory, else the loading page), then `attach`
   * makes sure there is a panel: a new page is built with that state already in its HTML.
   */
  private async load(ref: JobRef, options: OpenJobOptions, attach: () => void): Promise<void> {
    const generation = ++this.generation;
    this.inFlight?.abort();
    this.cancelFieldRequests();
    const controller = new AbortController();
    this.inFlight = controller;

    const cached = options.force ? undefined : this.repository.cachedJob(ref);
    if (cached) {
      this.show(this.jobState(ref, cached));
      attach();
      this.loadFieldsIfOpen();
      return;
    }
    const known = this.repository.knownDocument(ref.documentId, ref.runId)?.job;
    this.show({ kind: 'loading', ref, label: known ? documentLabel(known) : undefined });
    attach();
    try {
      const job = await this.repository.getJob(ref, { force: options.force, signal: controller.signal });
      if (generation === this.generation) {
        this.show(this.jobState(ref, job));
        this.loadFieldsIfOpen(options.force);
      }
    } catch (caught) {
      const error = toUiError(caught, 'loading the job');
      if (generation !== this.generation || error.kind === 'cancelled') {
        return;
      }
      this.show({ kind: 'error', ref, error: panelError(error) });
    } finally {
      if (this.inFlight === controller) {
        this.inFlight = undefined;
      }
    }
  }

  private jobState(ref: JobRef, job: Job): JobState {
    return {
      kind: 'job',
      ref,
      job,
      context: this.contextFor(ref),
      fetchedAt: Date.now(),
      fields: { open: this.fieldsOpen, content: this.fieldsOpen ? { kind: 'loading' } : { kind: 'idle' } },
    };
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

  /** Opens the Fields section of the job on screen (what its summary does), and waits for it to load. */
  async showFields(): Promise<void> {
    const state = this.state;
    if (state?.kind !== 'job') {
      void vscode.window.showInformationMessage('Retab: open a job first; its Fields section shows its field scores.');
      return;
    }
    this.panel?.reveal(undefined, false);
    if (!state.fields?.open) {
      this.fieldsOpen = true;
      // The host opened it, not the user's click: the whole page is sent, with the section open.
      this.state = { ...state, fields: { open: true, content: state.fields?.content ?? { kind: 'idle' } } };
      this.renderId++;
      if (this.ready) {
        this.post();
      }
    }
    const content = this.fieldsContent();
    if (content?.kind === 'idle' || content?.kind === 'error') {
      await this.loadFields();
    } else if (content?.kind === 'loading') {
      await this.fieldsLoad;
    }
  }

  /** Opens the Fields section and shows the votes of the field with this path. */
  async showFieldVotes(path: string): Promise<void> {
    await this.showFields();
    const content = this.fieldsContent();
    if (content?.kind !== 'loaded') {
      return;
    }
    const index = orderFields(content.fields.fields).findIndex((field) => field.path === path);
    if (index < 0) {
      void vscode.window.showInformationMessage('Retab: this document has no such field in this run.');
      return;
    }
    await this.chooseField(index);
  }

  /** The document's fields in the order the section lists them, once the section has loaded them. */
  loadedFields(): FieldScore[] | undefined {
    const content = this.fieldsContent();
    return content?.kind === 'loaded' ? orderFields(content.fields.fields) : undefined;
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
      this.state ? panelTitle(this.state) : 'Retab Job',
      { viewColumn: vscode.ViewColumn.Active, preserveFocus },
      { ...this.webviewOptions(), retainContextWhenHidden: false },
    );
    this.adopt(panel);
  }

  private webviewOptions(): vscode.WebviewOptions {
    return {
      enableScripts: true,
      // media/ holds the stylesheet, dist/ the bundled script (src/webview/panel.ts).
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'media'), vscode.Uri.joinPath(this.extensionUri, 'dist')],
    };
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

  /** Builds the page with the current state already in it, so it never shows an empty frame. */
  private loadShell(): void {
    const panel = this.panel;
    if (!panel) {
      return;
    }
    const state = this.state;
    if (state) {
      panel.title = panelTitle(state);
    }
    panel.webview.html = renderShell(
      {
        cspSource: panel.webview.cspSource,
        nonce: createNonce(),
        scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'panel.js')).toString(),
        styleUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'panel.css')).toString(),
      },
      state ? { renderId: this.renderId, html: renderPanelBody(state), ref: state.ref, view: state.kind } : undefined,
    );
  }

  private show(state: PanelState): void {
    this.state = state;
    this.renderId++;
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
    this.send({ type: 'show', renderId: this.renderId, html: renderPanelBody(this.state), ref: this.state.ref, view: this.state.kind });
  }

  private send(message: ToWebview): void {
    void this.panel?.webview.postMessage(message);
  }

  private onMessage(message: FromWebview | undefined): void {
    if (!message) {
      return;
    }
    switch (message.type) {
      case 'ready':
        this.ready = true;
        if (message.renderId === this.renderId && this.state) {
          // The page was built with the current state: nothing to send again.
          this.rendered.fire(this.state);
        } else {
          this.post();
        }
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
      case 'fields':
        void this.onFieldsToggled(message.open);
        return;
      case 'chooseField':
        void this.chooseField(message.field);
        return;
      case 'openValue':
        void this.openValue(message.value);
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
    if (action === 'retryFields') {
      await this.retryFields();
      return;
    }
    const [command, ...args] = PANEL_ACTION_COMMANDS[action];
    await vscode.commands.executeCommand(command, ...args);
  }

  // ---- The Fields section ----

  private fieldsContent(): FieldsContent | undefined {
    return this.state?.kind === 'job' ? this.state.fields?.content : undefined;
  }

  /** The user opened or closed the section (the page already shows it so). */
  private async onFieldsToggled(open: boolean): Promise<void> {
    const state = this.state;
    this.fieldsOpen = open;
    if (state?.kind !== 'job') {
      return;
    }
    const content = state.fields?.content ?? { kind: 'idle' };
    // No render: the <details> element is already as the user left it.
    this.state = { ...state, fields: { open, content } };
    if (open && (content.kind === 'idle' || content.kind === 'error')) {
      await this.loadFields();
    }
  }

  private loadFieldsIfOpen(force?: boolean): void {
    if (this.fieldsOpen) {
      void this.loadFields(force);
    }
  }

  /** Fetches the section's field scores; `fieldsLoad` lets a command wait for the request under way. */
  private loadFields(force?: boolean): Promise<void> {
    this.fieldsLoad = this.fetchFields(force);
    return this.fieldsLoad;
  }

  private async fetchFields(force?: boolean): Promise<void> {
    const state = this.state;
    if (state?.kind !== 'job') {
      return;
    }
    this.cancelFieldRequests();
    const controller = new AbortController();
    this.fieldsRequest = controller;
    if (state.fields?.content.kind !== 'loading') {
      this.setFields({ kind: 'loading' });
    }
    try {
      const fields = await this.repository.getDocumentFields(state.ref, { force, signal: controller.signal });
      if (this.fieldsRequest === controller) {
        this.setFields(fields.kind === 'unavailable' ? { kind: 'unavailable', reason: fields.reason, message: fields.message } : { kind: 'loaded', fields });
      }
    } catch (caught) {
      const error = toUiError(caught, 'loading the field scores');
      if (this.fieldsRequest === controller && error.kind !== 'cancelled') {
        this.setFields({ kind: 'error', error: panelError(error) });
      }
    } finally {
      if (this.fieldsRequest === controller) {
        this.fieldsRequest = undefined;
      }
    }
  }

  /** Shows the votes of the field at `index` of the section's order. */
  private async chooseField(index: number): Promise<void> {
    const state = this.state;
    const content = this.fieldsContent();
    if (state?.kind !== 'job' || content?.kind !== 'loaded') {
      return;
    }
    const field = orderFields(content.fields.fields).at(index);
    if (!field || index < 0) {
      return;
    }
    if (content.votes?.field === index && content.votes.kind === 'loaded') {
      return;
    }
    this.votesRequest?.abort();
    const controller = new AbortController();
    this.votesRequest = controller;
    const base = { field: index, path: field.path };
    this.setVotes({ kind: 'loading', ...base });
    try {
      const votes = await this.repository.getFieldVotes(state.ref, field.path, { signal: controller.signal });
      if (this.votesRequest === controller) {
        this.setVotes(
          votes.kind === 'unavailable' ? { kind: 'unavailable', ...base, reason: votes.reason, message: votes.message } : { kind: 'loaded', ...base, votes },
        );
      }
    } catch (caught) {
      const error = toUiError(caught, 'loading the votes');
      if (this.votesRequest === controller && error.kind !== 'cancelled') {
        this.setVotes({ kind: 'error', ...base, error: panelError(error) });
      }
    } finally {
      if (this.votesRequest === controller) {
        this.votesRequest = undefined;
      }
    }
  }

  private async retryFields(): Promise<void> {
    const content = this.fieldsContent();
    if (content?.kind === 'loaded' && content.votes?.kind === 'error') {
      const index = content.votes.field;
      this.setVotes(undefined);
      await this.chooseField(index);
    } else if (content) {
      await this.loadFields(true);
    }
  }

  /** Opens the whole of a value the section shows clipped, as a read-only document. */
  private async openValue(at: ValueRef): Promise<void> {
    const state = this.state;
    const votes = this.fieldsContent()?.kind === 'loaded' ? (this.fieldsContent() as Extract<FieldsContent, { kind: 'loaded' }>).votes : undefined;
    if (state?.kind !== 'job' || votes?.kind !== 'loaded' || votes.field !== at.field) {
      return;
    }
    const row = votes.votes.rows.at(at.row);
    const value = at.source === 'rowConsensus' ? row?.consensus : at.voter !== undefined ? row?.votes.at(at.voter) : undefined;
    if (!row || value === undefined) {
      return;
    }
    const uri = fieldValueUri(
      state.ref,
      votes.path,
      { row: at.row, voter: at.source === 'vote' ? at.voter : undefined },
      typeof value === 'string' ? 'text' : 'json',
    );
    try {
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: true });
    } catch (caught) {
      void vscode.window.showErrorMessage(`Retab: could not open the value: ${toUiError(caught, 'opening a field value').message}`);
    }
  }

  private setFields(content: FieldsContent): void {
    const state = this.state;
    if (state?.kind !== 'job') {
      return;
    }
    this.updateFields(state, { open: state.fields?.open ?? this.fieldsOpen, content });
  }

  private setVotes(votes: VotesContent | undefined): void {
    const state = this.state;
    const content = this.fieldsContent();
    if (state?.kind !== 'job' || content?.kind !== 'loaded' || !state.fields) {
      return;
    }
    this.updateFields(state, { open: state.fields.open, content: { ...content, votes } });
  }

  /** Only the section changed: the page keeps the rest (its scroll, the Raw JSON, the focus). */
  private updateFields(state: JobState, fields: FieldsSection): void {
    this.state = { ...state, fields };
    this.renderId++;
    if (this.panel && this.ready) {
      this.send({ type: 'fields', renderId: this.renderId, html: renderFieldsInner(fields).value, ref: state.ref });
    }
  }

  private cancelFieldRequests(): void {
    this.fieldsRequest?.abort();
    this.fieldsRequest = undefined;
    this.votesRequest?.abort();
    this.votesRequest = undefined;
  }

  private contextFor(ref: JobRef): JobContext {
    const numbered = numberedRuns(this.repository.knownRunsOf(ref.experimentId)).find(({ run }) => run.id === ref.runId);
    return {
      workflowName: this.repository.knownWorkflow(ref.workflowId)?.name,
      experimentName: this.repository.knownExperiment(ref.experimentId)?.name,
      runLabel: numbered ? `Run ${numbered.number}` : undefined,
      score: scoreOf(this.repository.knownDocumentScore(ref)),
    };
  }

  private onPanelClosed(): void {
    this.inFlight?.abort();
    this.inFlight = undefined;
    this.cancelFieldRequests();
    this.generation++;
    for (const subscription of this.panelSubscriptions) {
      subscription.dispose();
    }
    this.panelSubscriptions = [];
    this.panel = undefined;
    this.state = undefined;
    this.ready = false;
    // A new panel starts as the first one did: Fields closed until asked for.
    this.fieldsOpen = false;
  }
}

function panelError(error: { kind: PanelError['kind']; message: string; status?: number; requestId?: string }): PanelError {
  return { kind: error.kind, message: error.message, status: error.status, requestId: error.requestId };
}

/** Panel buttons that run an extension or workbench command; the commands act on the job on screen. */
const PANEL_ACTION_COMMANDS: Readonly<Record<Exclude<PanelAction, 'refresh' | 'retryFields'>, readonly [string, ...string[]]>> = {
  ...ERROR_ACTION_COMMANDS,
  lookupJob: [COMMANDS.lookupJob],
  openArtifact: [COMMANDS.openArtifact],
  compareWithRun: [COMMANDS.compareWithRun],
  copyLink: [COMMANDS.copyLink],
  openFullError: [COMMANDS.openJobError],
};

function createNonce(): string {
  return randomBytes(18).toString('base64url');
}

function scoreOf(metric: DocumentMetric | undefined): JobContext['score'] {
  return metric && metric.score !== null ? { score: metric.score, priorScore: metric.priorScore } : undefined;
}
