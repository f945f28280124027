import { l10n } from '../../l10n';
import { toRetabError } from '../../api/errors';
import * as vscode from 'vscode';
import { JobRef } from '../../api/ids';
import { DocumentMetric, FieldScore, Job, numberedRuns } from '../../api/models';
import { runDefinitionWords } from '../shared/runDefinition';
import { RetabRepository } from '../../data/repository';
import { COMMANDS } from '../shared/names';
import { ERROR_ACTION_COMMANDS } from '../shared/errorGuidance';
import { DocumentController } from './documentController';
import { FieldsController } from './fieldsController';
import { JobContext, PanelState, RefreshState } from './jobView';
import { panelError } from './panelError';
import { CopyField, PanelAction, parseSavedPanelState, sameRef } from '../../protocol/jobPanel';
import { JobState, SectionHost } from './sectionHost';
import { JobSelection, SelectionStep } from './jobSelection';
import { PageMessage, PanelWebview } from './panelWebview';

export interface OpenJobOptions {
  /** Ask the job's endpoint now and read its sections again past every cache: what the panel's Refresh does. */
  force?: boolean;
  preserveFocus?: boolean;
}

/**
 * Past this pause on one selection its endpoint is asked: holding ↓ through the tree draws each
 * row's known state but asks only for the rows the person stops on.
 */
export const SELECTION_SETTLE_MS = 150;

/** A page drawn by the webview: which file, which page, how long after its bytes arrived. */
export interface DocumentDrawn {
  fileKey: string;
  page: number;
  ms: number;
  /** The webview's script heap and drawn pages, when its browser tells. */
  memoryBytes: number | null;
}

/**
 * One job panel, reused as the user moves through documents (like a preview editor). A selection
 * draws what is known of the job at once (no spinner when something is known), then asks the
 * job's own endpoint once (after the selection settles), and its answer replaces the known state in
 * place; a failed request keeps the known state with a line that says so. A newer selection
 * cancels the older one's requests. It is also the panel's serializer: after a window reload VS
 * Code hands the panel back with what its webview saved.
 *
 * The Fields and Document sections have controllers of their own (fieldsController.ts,
 * documentController.ts); the panel lends them the job on screen and the webview (SectionHost).
 * The selection's steps are jobSelection.ts's; the webview itself (its page, render ids and
 * messages) is panelWebview.ts's. What is left here is the job on screen and what its buttons do.
 */
export class JobPanel implements vscode.Disposable, vscode.WebviewPanelSerializer {
  private readonly view: PanelWebview;
  private state: PanelState | undefined;
  private readonly selection: JobSelection;
  /** Fires when the webview has put a state on screen. */
  readonly onDidRender: vscode.Event<PanelState>;
  private readonly drawn = new vscode.EventEmitter<DocumentDrawn>();
  /** Fires when the webview has drawn a page of the Document section's file. */
  readonly onDidDrawDocument = this.drawn.event;
  private readonly refreshed = new vscode.EventEmitter<JobRef>();
  /** Fires when a selection's endpoint request ended (answered or failed), for tests and the benchmark. */
  readonly onDidRefreshJob = this.refreshed.event;

  private readonly host: SectionHost = {
    job: () => (this.state?.kind === 'job' ? this.state : undefined),
    updateSection: (state, section) => {
      this.state = state;
      this.view.showSection(state, section);
    },
    send: (message) => this.view.send(message),
  };
  private readonly fields: FieldsController;
  private readonly document: DocumentController;

  constructor(
    extensionUri: vscode.Uri,
    private readonly repository: RetabRepository,
    scratch: vscode.Uri,
  ) {
    this.view = new PanelWebview(extensionUri, {
      onMessage: (message) => this.onMessage(message),
      // A new page has no drawn pages: the file on screen is sent again (from memory).
      onPageUp: () => this.document.resend(),
      onClosed: () => this.onPanelClosed(),
    });
    this.onDidRender = this.view.onDidRender;
    this.selection = new JobSelection(
      { knownJob: (ref) => repository.knownJob(ref), fetchJob: (ref, signal) => repository.fetchJob(ref, signal) },
      SELECTION_SETTLE_MS,
      (step) => this.onStep(step),
    );
    this.document = new DocumentController(this.host, repository, scratch);
    this.fields = new FieldsController(this.host, repository, (path) => void this.document.highlight(path));
  }

  get currentState(): PanelState | undefined {
    return this.state;
  }

  get isVisible(): boolean {
    return this.view.visible;
  }

  async open(ref: JobRef, options: OpenJobOptions = {}): Promise<void> {
    await this.select(ref, options, () => this.view.reveal(options.preserveFocus));
  }

  /**
   * A panel VS Code restores after a window reload. Its webview saved only the job's ids and its
   * view state (see `SavedPanelState`); the job itself is loaded again through the repository,
   * so nothing the server said survives in VS Code's storage. The webview puts its Raw JSON
   * section and scroll position back itself, from the same saved state; the Fields and Document
   * sections are opened (and loaded) here.
   */
  async deserializeWebviewPanel(panel: vscode.WebviewPanel, saved: unknown): Promise<void> {
    const state = parseSavedPanelState(saved);
    if (!state || this.view.exists) {
      // Nothing to show (or a job was opened before the restore ran: one panel is all we keep).
      panel.dispose();
      return;
    }
    this.fields.open = state.fieldsOpen;
    this.document.open = state.documentOpen;
    // Not revealed: a restored panel may sit in a background tab and should stay there.
    await this.select(state.ref, { preserveFocus: true }, () => this.view.adopt(panel));
  }

  /**
   * Draws what is known of the job (or the loading page when nothing is), then `attach` makes
   * sure there is a panel; the endpoint is asked once the selection settles (jobSelection.ts).
   */
  private async select(ref: JobRef, options: OpenJobOptions, attach: () => void): Promise<void> {
    const current = this.state;
    const onScreen = current?.kind === 'job' && sameRef(current.ref, ref) ? current.job : undefined;
    // The first step (what is known, or the loading page) is drawn before select's first wait.
    const selected = this.selection.select(ref, { force: options.force, onScreen });
    attach();
    await selected;
  }

  /** Each step of a selection, as the page shows it. */
  private onStep(step: SelectionStep): void {
    switch (step.kind) {
      case 'known':
        if (step.onScreen && this.state?.kind === 'job') {
          this.setRefresh(this.state, { kind: 'pending' });
        } else {
          this.leaveJob();
          this.show(this.jobState(step.ref, step.job, null, { kind: 'pending' }));
        }
        return;
      case 'loading':
        this.leaveJob();
        this.show({ kind: 'loading', ref: step.ref });
        return;
      case 'settled':
        // Sections whose data is in memory showed at once; what needs a request waited, as the job did.
        if (!step.onScreen) {
          this.fields.loadIfOpen(step.force);
          this.document.loadIfOpen();
        } else if (step.force) {
          this.fields.loadIfOpen(true);
        }
        return;
      case 'answer':
        this.onAnswer(step.ref, step.job, step.requested, step.firstSight);
        this.refreshed.fire(step.ref);
        return;
      case 'failed':
        this.onFailure(step.ref, step.error);
        this.refreshed.fire(step.ref);
        return;
    }
  }

  /** Another job goes on screen: the sections' requests for the last one stop. */
  private leaveJob(): void {
    this.fields.cancel();
    this.document.cancel();
    this.document.reset();
  }

  /** The endpoint's answer replaces what is on screen, in place. */
  private onAnswer(ref: JobRef, job: Job, requested: boolean, firstSight: boolean): void {
    const current = this.state;
    const refresh: RefreshState = requested ? { kind: 'done' } : { kind: 'final' };
    const fetchedAt = requested ? Date.now() : null;
    if (current?.kind === 'job' && sameRef(current.ref, ref)) {
      this.show({ ...current, job, context: this.contextFor(ref), fetchedAt, refresh });
      if (current.job.artifact?.id !== job.artifact?.id) {
        this.fields.loadIfOpen(true);
      }
      return;
    }
    this.show(this.jobState(ref, job, fetchedAt, refresh));
    if (firstSight) {
      this.fields.loadIfOpen();
      this.document.loadIfOpen();
    }
  }

  /** A failed request keeps what is known on screen, and says so; with nothing known, the error page. */
  private onFailure(ref: JobRef, caught: unknown): void {
    const error = toRetabError(caught, l10n.t('loading the job'));
    if (error.kind === 'cancelled') {
      return;
    }
    const current = this.state;
    if (current?.kind === 'job' && sameRef(current.ref, ref)) {
      this.setRefresh(current, { kind: 'failed', error: panelError(error) });
    } else {
      this.show({ kind: 'error', ref, error: panelError(error) });
    }
  }

  private jobState(ref: JobRef, job: Job, fetchedAt: number | null, refresh: RefreshState): JobState {
    return {
      kind: 'job',
      ref,
      job,
      context: this.contextFor(ref),
      fetchedAt,
      refresh,
      fields: this.fields.initial(),
      document: this.document.initial(job),
    };
  }

  /** Re-asks the job on screen now, and reads its sections again past every cache. */
  async refresh(): Promise<void> {
    if (this.state) {
      await this.open(this.state.ref, { force: true, preserveFocus: true });
    }
  }

  /** After the key changed, a panel showing an auth problem tries again by itself. */
  async onApiKeyChanged(): Promise<void> {
    const state = this.state;
    const failed = state?.kind === 'error' ? state.error : state?.kind === 'job' && state.refresh?.kind === 'failed' ? state.refresh.error : undefined;
    if (failed && (failed.kind === 'auth' || failed.kind === 'no_key')) {
      await this.refresh();
    }
  }

  /** Opens the Fields section of the job on screen (what its summary does), and waits for it to load. */
  async showFields(): Promise<void> {
    if (this.state?.kind !== 'job') {
      void vscode.window.showInformationMessage(l10n.t('Retab: open a job first; its Fields section shows its field scores.'));
      return;
    }
    this.view.focus();
    await this.fields.show(() => this.reopenFields());
  }

  /** Opens the Fields section and shows the votes of the field with this path (and where it is in the document). */
  async showFieldVotes(path: string): Promise<void> {
    if (this.state?.kind !== 'job') {
      await this.showFields();
      return;
    }
    this.view.focus();
    await this.fields.showVotesOf(path, () => this.reopenFields());
  }

  /** Opens the Document section of the job on screen (a command, not the user's click), and waits for its file. */
  async showDocument(): Promise<void> {
    const state = this.state;
    if (state?.kind !== 'job') {
      void vscode.window.showInformationMessage(l10n.t('Retab: open a job first; its Document section shows its input file.'));
      return;
    }
    this.view.focus();
    if (!state.document?.open) {
      this.document.open = true;
      this.show({ ...state, document: this.document.initial(state.job) });
    }
    await this.document.load();
  }

  /** The document's fields in the order the section lists them, once the section has loaded them. */
  loadedFields(): FieldScore[] | undefined {
    return this.fields.loadedFields();
  }

  /** The job's file opened in VS Code (from the palette: its Document section is loaded first). */
  async openDocumentFile(): Promise<void> {
    await this.showDocument();
    await this.document.openFile();
  }

  /** The job's file saved where the person says (from the palette: its Document section is loaded first). */
  async saveDocumentAs(): Promise<void> {
    await this.showDocument();
    await this.document.saveFileAs();
  }

  /** The job and field whose votes are on screen, if any. */
  votesOnScreen(): { ref: JobRef; path: string } | undefined {
    const content = this.fields.content();
    const path = content?.kind === 'loaded' && content.votes ? content.votes.path : undefined;
    return this.state?.kind === 'job' && path !== undefined ? { ref: this.state.ref, path } : undefined;
  }

  /** From the palette: the votes on screen, else those of a field of the job on screen, picked first. */
  async chooseVotes(): Promise<{ ref: JobRef; path: string } | undefined> {
    if (!this.votesOnScreen() && this.state?.kind === 'job') {
      await vscode.commands.executeCommand(COMMANDS.showFieldVotes);
    }
    return this.votesOnScreen();
  }

  /** Another connection is in use: the job on screen is another account's, so the panel closes. */
  close(): void {
    this.view.close();
  }

  dispose(): void {
    this.view.dispose();
    this.drawn.dispose();
    this.refreshed.dispose();
  }

  /** The host opened the Fields section: the whole page is sent, with the section open. */
  private reopenFields(): void {
    const state = this.state;
    if (state?.kind === 'job') {
      this.show({ ...state, fields: { open: true, content: state.fields?.content ?? { kind: 'idle' } } });
    }
  }

  private setRefresh(state: JobState, refresh: RefreshState): void {
    this.show({ ...state, refresh });
  }

  private show(state: PanelState): void {
    this.state = state;
    this.view.show(state);
  }

  private onMessage(message: PageMessage): void {
    switch (message.type) {
      case 'copy':
        void this.copy(message.field);
        return;
      case 'action':
        void this.runAction(message.action);
        return;
      case 'fields':
        void this.fields.onToggled(message.open);
        return;
      case 'chooseField':
        void this.fields.choose(message.field);
        return;
      case 'openValue':
        void this.fields.openValue(message.value);
        return;
      case 'document':
        void this.document.onToggled(message.open);
        return;
      case 'documentDrawn':
        this.drawn.fire({ fileKey: message.fileKey, page: message.page, ms: message.ms, memoryBytes: message.memoryBytes });
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
    switch (action) {
      case 'refresh':
        await this.refresh();
        return;
      case 'retryFields':
        await this.fields.retry();
        return;
      case 'retryDocument':
        await this.document.load();
        return;
      case 'openDocument':
        await this.document.openFile();
        return;
      case 'saveDocumentAs':
        await this.document.saveFileAs();
        return;
      case 'editBlock': {
        const experiment = this.state?.kind === 'job' ? this.repository.knownExperiment(this.state.ref.experimentId) : undefined;
        if (this.state?.kind === 'job' && experiment?.blockId) {
          await vscode.commands.executeCommand(COMMANDS.editBlockDefinition, { workflowId: this.state.ref.workflowId, blockId: experiment.blockId });
        }
        return;
      }
      case 'pinAsEval': {
        // The evals domain takes it from here, by command: the panel knows the job and the field.
        const target = this.votesOnScreen();
        if (target) {
          await vscode.commands.executeCommand(COMMANDS.pinAsEval, target);
        }
        return;
      }
      default: {
        const [command, ...args] = PANEL_ACTION_COMMANDS[action];
        await vscode.commands.executeCommand(command, ...args);
      }
    }
  }

  private contextFor(ref: JobRef): JobContext {
    const numbered = numberedRuns(this.repository.knownRunsOf(ref.experimentId)).find(({ run }) => run.id === ref.runId);
    return {
      workflowName: this.repository.knownWorkflow(ref.workflowId)?.name,
      experimentName: this.repository.knownExperiment(ref.experimentId)?.name,
      runLabel: numbered ? l10n.t('Run {0}', numbered.number) : undefined,
      score: scoreOf(this.repository.knownDocumentScore(ref)),
      definition: numbered ? runDefinitionWords(numbered.run) : undefined,
      canEditBlock: this.repository.knownCapabilities()?.blocks === true && Boolean(this.repository.knownExperiment(ref.experimentId)?.blockId),
    };
  }

  private onPanelClosed(): void {
    this.selection.cancel();
    this.fields.cancel();
    this.document.cancel();
    this.state = undefined;
    // A new panel starts as the first one did: sections closed until asked for.
    this.fields.open = false;
    this.document.open = false;
  }
}

/** Panel buttons that run an extension or workbench command; the commands act on the job on screen. */
const PANEL_ACTION_COMMANDS: Readonly<
  Record<
    Exclude<PanelAction, 'refresh' | 'retryFields' | 'retryDocument' | 'openDocument' | 'saveDocumentAs' | 'pinAsEval' | 'editBlock'>,
    readonly [string, ...string[]]
  >
> = {
  ...ERROR_ACTION_COMMANDS,
  lookupJob: [COMMANDS.lookupJob],
  openArtifact: [COMMANDS.openArtifact],
  compareWithRun: [COMMANDS.compareWithRun],
  copyLink: [COMMANDS.copyLink],
  openFullError: [COMMANDS.openJobError],
};

function scoreOf(metric: DocumentMetric | undefined): JobContext['score'] {
  return metric && metric.score !== null ? { score: metric.score, priorScore: metric.priorScore } : undefined;
}
