import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { FromWebview, ToWebview, parseWebviewMessage } from '../../protocol/jobPanel';
import { JOB_PANEL_VIEW_TYPE } from '../shared/names';
import { renderDocumentInner } from './documentView';
import { renderFieldsInner } from './fieldsView';
import { PanelState, panelTitle, renderPanelBody } from './jobView';
import { JobState, SectionName } from './sectionHost';
import { renderShell } from './shell';

/** What the webview says that is not about putting states on screen (those the view handles). */
export type PageMessage = Exclude<FromWebview, { type: 'ready' } | { type: 'rendered' }>;

export interface PanelWebviewEvents {
  /** A button, a toggle, a chosen field: what the page asks of the host. */
  onMessage(message: PageMessage): void;
  /** A new page is up (first load, a reload, a hidden tab back): what it cannot keep is sent again. */
  onPageUp(): void;
  onClosed(): void;
}

/**
 * The job panel's webview, as VS Code holds it: creating, adopting (after a reload) and revealing
 * it, its page (built with the current state in it: never an empty frame), and the state on screen
 * sent whole or one section at a time. Each state carries a render id the page acknowledges, so
 * `onDidRender` names what is on screen. The job itself, its sections and their requests are
 * the panel's (jobPanel.ts).
 */
export class PanelWebview implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private subscriptions: vscode.Disposable[] = [];
  private ready = false;
  private state: PanelState | undefined;
  private renderId = 0;
  private readonly rendered = new vscode.EventEmitter<PanelState>();
  /** Fires when the page has put a state on screen. */
  readonly onDidRender = this.rendered.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly events: PanelWebviewEvents,
  ) {}

  get exists(): boolean {
    return this.panel !== undefined;
  }

  get visible(): boolean {
    return this.panel?.visible ?? false;
  }

  /** Shows the panel, creating it with the current state when there is none. */
  reveal(preserveFocus = false): void {
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

  /** Brings the panel forward and gives it the focus (a command opened a section). */
  focus(): void {
    this.panel?.reveal(undefined, false);
  }

  /** Takes a new or restored panel as the one panel, and loads its page. */
  adopt(panel: vscode.WebviewPanel): void {
    if (this.panel === panel) {
      return;
    }
    // A restored panel comes back without options: scripts and media/ are allowed again here.
    panel.webview.options = this.webviewOptions();
    this.panel = panel;
    this.ready = false;
    this.subscriptions = [
      panel.onDidDispose(() => this.closed()),
      panel.webview.onDidReceiveMessage((message: unknown) => this.received(parseWebviewMessage(message))),
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

  /** Puts a whole state on screen. */
  show(state: PanelState): void {
    this.state = state;
    this.renderId++;
    if (this.panel) {
      this.panel.title = panelTitle(state);
      if (this.ready) {
        this.post();
      }
    }
  }

  /** Only one section changed: the page keeps the rest (its scroll, the Raw JSON, the focus, the drawn pages). */
  showSection(state: JobState, section: SectionName): void {
    this.state = state;
    this.renderId++;
    if (!this.panel || !this.ready) {
      return;
    }
    const inner =
      section === 'fields'
        ? renderFieldsInner(state.fields ?? { open: false, content: { kind: 'idle' } }).value
        : renderDocumentInner(state.document ?? { open: false, content: { kind: 'idle' } }).value;
    this.send({ type: section, renderId: this.renderId, html: inner, ref: state.ref });
  }

  /** Sends a message to the page, when one is up to read it. */
  send(message: ToWebview): void {
    if (this.panel && this.ready) {
      void this.panel.webview.postMessage(message);
    }
  }

  /** Closes the panel on screen (it may be opened again). */
  close(): void {
    this.panel?.dispose();
  }

  dispose(): void {
    this.panel?.dispose();
    this.rendered.dispose();
  }

  private webviewOptions(): vscode.WebviewOptions {
    return {
      enableScripts: true,
      // media/ holds the stylesheet, dist/ the bundled scripts (src/webview/) and pdf.js's worker.
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'media'), vscode.Uri.joinPath(this.extensionUri, 'dist')],
    };
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
    const asset = (...path: string[]): string => panel.webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, ...path)).toString();
    panel.webview.html = renderShell(
      {
        cspSource: panel.webview.cspSource,
        nonce: randomBytes(18).toString('base64url'),
        scriptUri: asset('dist', 'panel.js'),
        styleUri: asset('media', 'panel.css'),
        pdfScriptUri: asset('dist', 'pdfEngine.js'),
        pdfWorkerUri: asset('dist', 'pdf.worker.mjs'),
      },
      state ? { renderId: this.renderId, html: renderPanelBody(state), ref: state.ref, view: state.kind } : undefined,
    );
  }

  private post(): void {
    if (this.state) {
      this.send({ type: 'show', renderId: this.renderId, html: renderPanelBody(this.state), ref: this.state.ref, view: this.state.kind });
    }
  }

  private received(message: FromWebview | undefined): void {
    if (!message) {
      return;
    }
    if (message.type === 'ready') {
      this.ready = true;
      if (message.renderId === this.renderId && this.state) {
        // The page was built with the current state: nothing to send again.
        this.rendered.fire(this.state);
      } else {
        this.post();
      }
      this.events.onPageUp();
    } else if (message.type === 'rendered') {
      if (message.renderId === this.renderId && this.state) {
        this.rendered.fire(this.state);
      }
    } else {
      this.events.onMessage(message);
    }
  }

  private closed(): void {
    for (const subscription of this.subscriptions) {
      subscription.dispose();
    }
    this.subscriptions = [];
    this.panel = undefined;
    this.state = undefined;
    this.ready = false;
    this.events.onClosed();
  }
}
