import { l10n } from '../../l10n';
import { toRetabError } from '../../api/errors';
/**
 * The job panel's Document section: the job's input file, downloaded only once the section is
 * open (and kept open from job to job), drawn by the webview from bytes posted to it (the webview
 * itself makes no request), and the chosen field's value marked where the extraction read it.
 * A file fetched this session is not fetched again (the repository's files keep it); moving to
 * another document cancels what was under way.
 */
import * as vscode from 'vscode';
import { InputFile } from '../../api/files/fileModels';
import { RetabRepository } from '../../data/repository';
import { DocumentFile } from '../../data/documentFiles';
import { showInvisibles } from '../../format';
import { DocumentContent, DocumentSection, Highlight, displayOf, inputFileOf } from './documentView';
import { panelError } from './panelError';
import { JobState, SectionHost } from './sectionHost';

/** Progress is said at most this often while a big file downloads. */
const PROGRESS_INTERVAL_MS = 250;

export class DocumentController {
  /** The user had the section open: the next job shows it open (and loads its file) too. */
  open = false;
  private request: AbortController | undefined;
  private sourcesRequest: AbortController | undefined;
  /** The field last chosen: marked again when its document's file arrives. */
  private chosenPath: string | undefined;

  constructor(
    private readonly host: SectionHost,
    private readonly repository: RetabRepository,
    /** Where Open writes a file it hands to VS Code (the extension's own storage). */
    private readonly scratch: vscode.Uri,
  ) {}

  /** The section for a job put on screen: a file already fetched is shown at once. */
  initial(job: JobState['job']): DocumentSection {
    if (!this.open) {
      return { open: false, content: { kind: 'idle' } };
    }
    const file = inputFileOf(job);
    const cached = file?.fileId ? this.repository.files.peek(file.fileId) : undefined;
    return { open: true, content: file && cached ? shownContent(file, cached) : this.placeholder(file) };
  }

  private placeholder(file: InputFile | undefined): DocumentContent {
    if (!file) {
      return { kind: 'noFile' };
    }
    if (!file.fileId) {
      return { kind: 'unnamed', filename: file.filename };
    }
    return { kind: 'loading', file, received: 0, total: null };
  }

  cancel(): void {
    this.request?.abort();
    this.request = undefined;
    this.sourcesRequest?.abort();
    this.sourcesRequest = undefined;
  }

  /** A new job is on screen: forget the field chosen for the last one. */
  reset(): void {
    this.chosenPath = undefined;
  }

  loadIfOpen(): void {
    if (this.open) {
      void this.load();
    }
  }

  async onToggled(open: boolean): Promise<void> {
    this.open = open;
    const state = this.host.job();
    if (!state) {
      return;
    }
    const current = state.document ?? { open, content: { kind: 'idle' } };
    if (!open) {
      // Not sent: the <details> element is already closed; what it holds stays for when it opens again.
      state.document = { ...current, open };
      return;
    }
    this.update(state, { ...this.initial(state.job), highlight: current.highlight, sourcesNote: current.sourcesNote });
    await this.load();
  }

  /** Fetches the file (unless fetched before), posts its bytes, then marks the chosen field. */
  async load(): Promise<void> {
    const state = this.host.job();
    if (!state?.document?.open) {
      return;
    }
    const file = inputFileOf(state.job);
    if (!file?.fileId) {
      this.setContent(this.placeholder(file));
      return;
    }
    this.request?.abort();
    const controller = new AbortController();
    this.request = controller;
    let lastProgress = 0;
    const onProgress = (received: number, total: number | null): void => {
      const now = Date.now();
      if (now - lastProgress >= PROGRESS_INTERVAL_MS && this.request === controller) {
        lastProgress = now;
        this.setContent({ kind: 'loading', file, received, total });
      }
    };
    try {
      const fetched = this.repository.files.peek(file.fileId) ?? (await this.repository.files.getFile(file.fileId, { signal: controller.signal, onProgress }));
      if (this.request !== controller) {
        return;
      }
      const content = shownContent(file, fetched);
      this.setContent(content);
      this.postFile(state.ref, file.fileId, fetched);
      if (this.chosenPath) {
        await this.highlight(this.chosenPath);
      }
    } catch (caught) {
      const error = toRetabError(caught, l10n.t('loading the document'));
      if (this.request === controller && error.kind !== 'cancelled') {
        this.setContent({ kind: 'error', file, error: panelError(error) });
      }
    } finally {
      if (this.request === controller) {
        this.request = undefined;
      }
    }
  }

  /** After the page was built again (a reload, a hidden tab back): its drawn pages are gone, the bytes are sent again. */
  resend(): void {
    const state = this.host.job();
    const content = state?.document?.content;
    if (!state || !state.document?.open || content?.kind !== 'shown' || !content.file.fileId) {
      return;
    }
    const file = this.repository.files.peek(content.file.fileId);
    if (file) {
      this.postFile(state.ref, content.file.fileId, file);
      const highlight = state.document.highlight;
      this.host.send({ type: 'highlight', ref: state.ref, fileKey: content.file.fileId, box: highlight?.kind === 'box' ? boxOf(highlight) : null });
    }
  }

  /** A field was chosen (in the Fields section, a field's votes or the tree): mark where its value is. */
  async highlight(path: string): Promise<void> {
    this.chosenPath = path;
    const state = this.host.job();
    const content = state?.document?.content;
    if (!state || !state.document?.open || content?.kind !== 'shown' || !content.file.fileId) {
      return; // marked when the file is on screen
    }
    const fileKey = content.file.fileId;
    const artifact = state.job.artifact;
    if (!artifact || artifact.operation !== 'extraction') {
      this.setHighlight({ kind: 'unknown', path }, fileKey, undefined);
      return;
    }
    this.sourcesRequest?.abort();
    const controller = new AbortController();
    this.sourcesRequest = controller;
    this.setHighlight({ kind: 'loading', path }, undefined, undefined);
    try {
      const result = await this.repository.files.getSources(artifact.id, controller.signal);
      if (this.sourcesRequest !== controller) {
        return;
      }
      if (result.kind === 'unavailable') {
        this.setHighlight(undefined, fileKey, result.message);
        return;
      }
      const source = result.sources.fields.get(path);
      const highlight: Highlight = !source
        ? { kind: 'unknown', path }
        : !source.hasSource
          ? { kind: 'noSource', path }
          : source.box
            ? { kind: 'box', path, box: source.box }
            : { kind: 'notOnPage', path, anchor: source.otherAnchor ?? l10n.t('place that is not a page') };
      this.setHighlight(highlight, fileKey, undefined);
    } catch (caught) {
      const error = toRetabError(caught, l10n.t('reading where the value is'));
      if (this.sourcesRequest === controller && error.kind !== 'cancelled') {
        this.setHighlight({ kind: 'error', path, message: error.message }, fileKey, undefined);
      }
    } finally {
      if (this.sourcesRequest === controller) {
        this.sourcesRequest = undefined;
      }
    }
  }

  /** Open: the file is written to the extension's storage and opened as VS Code opens such files. */
  async openFile(): Promise<void> {
    const written = await this.writeScratch();
    if (written) {
      await vscode.commands.executeCommand('vscode.open', written);
    }
  }

  async saveFileAs(): Promise<void> {
    const shown = this.shownFile();
    if (!shown) {
      return;
    }
    const target = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.file(safeFileName(shown.file.filename ?? shown.fileId)),
      saveLabel: l10n.t('Save'),
    });
    if (target) {
      await vscode.workspace.fs.writeFile(target, shown.bytes);
    }
  }

  private shownFile(): { file: InputFile; fileId: string; bytes: Uint8Array } | undefined {
    const content = this.host.job()?.document?.content;
    const file = content && (content.kind === 'shown' || content.kind === 'other') ? content.file : undefined;
    const fetched = file?.fileId ? this.repository.files.peek(file.fileId) : undefined;
    return file?.fileId && fetched ? { file, fileId: file.fileId, bytes: fetched.bytes } : undefined;
  }

  private async writeScratch(): Promise<vscode.Uri | undefined> {
    const shown = this.shownFile();
    if (!shown) {
      return undefined;
    }
    const folder = vscode.Uri.joinPath(this.scratch, 'files', shown.fileId);
    const uri = vscode.Uri.joinPath(folder, safeFileName(shown.file.filename ?? shown.fileId));
    await vscode.workspace.fs.createDirectory(folder);
    await vscode.workspace.fs.writeFile(uri, shown.bytes);
    return uri;
  }

  private postFile(ref: JobState['ref'], fileKey: string, file: DocumentFile): void {
    const display = displayOf(file.mimeType, file.record.filename);
    if (display) {
      this.host.send({ type: 'documentFile', ref, fileKey, display, bytes: file.bytes });
    }
  }

  private setContent(content: DocumentContent): void {
    const state = this.host.job();
    if (state?.document) {
      this.update(state, { ...state.document, content });
    }
  }

  /** `fileKey`: post the box (or its absence) to the page; `note`: why no boxes are drawn at all. */
  private setHighlight(highlight: Highlight | undefined, fileKey: string | undefined, note: string | undefined): void {
    const state = this.host.job();
    if (!state?.document) {
      return;
    }
    this.update(state, { ...state.document, highlight, sourcesNote: note ?? state.document.sourcesNote });
    if (fileKey) {
      this.host.send({ type: 'highlight', ref: state.ref, fileKey, box: highlight?.kind === 'box' ? boxOf(highlight) : null });
    }
  }

  private update(state: JobState, document: DocumentSection): void {
    this.host.updateSection({ ...state, document }, 'document');
  }
}

function shownContent(file: InputFile, fetched: DocumentFile): DocumentContent {
  const display = displayOf(fetched.mimeType, fetched.record.filename || file.filename);
  const named = { ...file, filename: file.filename ?? (fetched.record.filename || null) };
  return display
    ? { kind: 'shown', file: named, display, mimeType: fetched.mimeType, pageCount: fetched.record.pageCount, bytes: fetched.bytes.byteLength }
    : { kind: 'other', file: named, mimeType: fetched.mimeType, bytes: fetched.bytes.byteLength };
}

function boxOf(highlight: Extract<Highlight, { kind: 'box' }>): { page: number; left: number; top: number; width: number; height: number } {
  const { page, left, top, width, height } = highlight.box;
  return { page, left, top, width, height };
}

/** A name for the file system: no folders, no control or bidi characters, not empty. */
export function safeFileName(name: string): string {
  const cleaned = [...showInvisibles(name)]
    .map((char) => (char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f || '\\/:*?"<>|'.includes(char) ? '_' : char))
    .join('')
    .replace(/^\.+/, '_')
    .slice(0, 120)
    .trim();
  return cleaned || 'document';
}
