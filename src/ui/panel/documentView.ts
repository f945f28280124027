/**
 * The job panel's Document section: the job's input file beside its values. The host renders its
 * frame and status lines here (pure markup, every server string escaped); the pages themselves are
 * drawn by the webview (src/webview/documentViewer.ts) from bytes the host posts, inside the
 * `#document-slot` this markup leaves for it.
 */
import { l10n } from '../../l10n';
import { InputFile, PageBox } from '../../api/files/fileModels';
import { Job } from '../../api/models';
import { PanelError, actions, button, errorMeta, guidanceFor } from './guidance';
import { HtmlValue, SafeHtml, html, tHtml } from '../shared/html';

/** How the webview draws a file it was sent. */
export type DocumentDisplay = 'pdf' | 'image';

export type DocumentContent =
  /** Closed and never opened for this job: nothing was downloaded. */
  | { kind: 'idle' }
  /** The job has no file input (a JSON or text input). */
  | { kind: 'noFile' }
  /** A file input that names a file name only: the server did not say which file it was. */
  | { kind: 'unnamed'; filename: string | null }
  | { kind: 'loading'; file: InputFile; received: number; total: number | null }
  | { kind: 'shown'; file: InputFile; display: DocumentDisplay; mimeType: string | null; pageCount: number | null; bytes: number }
  /** A file the panel does not draw (a spreadsheet, a Word document): offered to open or save. */
  | { kind: 'other'; file: InputFile; mimeType: string | null; bytes: number }
  | { kind: 'error'; file: InputFile; error: PanelError };

/** Where the chosen field's value is, as the section says it. */
export type Highlight =
  | { kind: 'loading'; path: string }
  | { kind: 'box'; path: string; box: PageBox }
  /** The server gave the value no source. */
  | { kind: 'noSource'; path: string }
  /** The source is not on a page (a cell, a span): said, not drawn. */
  | { kind: 'notOnPage'; path: string; anchor: string }
  /** The document has no such field in its sources. */
  | { kind: 'unknown'; path: string }
  | { kind: 'error'; path: string; message: string };

export interface DocumentSection {
  open: boolean;
  content: DocumentContent;
  highlight?: Highlight;
  /** Said once for the server, not per field: why no boxes are drawn. */
  sourcesNote?: string;
}

/** The job's first input that is a file (the document the block read). */
export function inputFileOf(job: Pick<Job, 'handleInputs'>): InputFile | undefined {
  const input = job.handleInputs.find((candidate) => candidate.type === 'file' || candidate.fileId !== null);
  return input ? { handle: input.handle, filename: input.filename, fileId: input.fileId, mimeType: input.mimeType } : undefined;
}

/** What the webview can draw: PDFs with pdf.js, images the browser decodes. */
export function displayOf(mimeType: string | null, filename: string | null): DocumentDisplay | undefined {
  const type = mimeType?.toLowerCase() ?? '';
  const extension = /\.([A-Za-z0-9]+)$/.exec(filename ?? '')?.[1]?.toLowerCase() ?? '';
  if (type === 'application/pdf' || (!type && extension === 'pdf')) {
    return 'pdf';
  }
  if (
    ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/bmp'].includes(type) ||
    (!type && ['png', 'jpg', 'jpeg', 'gif', 'webp'].includes(extension))
  ) {
    return 'image';
  }
  return undefined;
}

export function renderDocumentSection(section: DocumentSection): SafeHtml {
  return html`<details class="document" id="document" data-host-open="${section.open ? 'true' : 'false'}"${section.open ? html` open` : ''}>${renderDocumentInner(section)}</details>`;
}

/** Inside `<details class="document">`: the summary, the status lines, and the slot the webview draws pages in. */
export function renderDocumentInner(section: DocumentSection): SafeHtml {
  return html`<summary><span class="summary-title">${tHtml('Document')}</span>${summaryNote(section.content)}</summary>
<div class="document-body">
  <div class="document-status" role="status">${renderStatus(section.content)}${renderHighlight(section)}</div>
  <div id="document-slot" class="document-slot"${slotKey(section.content)}></div>
</div>`;
}

/** The slot names the file it is for: the viewer clears itself when the page's file is another. */
function slotKey(content: DocumentContent): SafeHtml {
  const fileId = content.kind === 'shown' ? content.file.fileId : null;
  return fileId ? html` data-file-key="${fileId}"` : html` hidden`;
}

function summaryNote(content: DocumentContent): HtmlValue {
  switch (content.kind) {
    case 'shown':
    case 'other':
    case 'loading':
    case 'error':
      return html` <span class="muted">· ${content.file.filename ?? content.file.fileId ?? ''}</span>`;
    default:
      return '';
  }
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) {
    return `${bytes} B`;
  }
  if (bytes < 1024 * 1024) {
    return `${(bytes / 1024).toFixed(0)} KB`;
  }
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function renderStatus(content: DocumentContent): HtmlValue {
  switch (content.kind) {
    case 'idle':
      return '';
    case 'noFile':
      return html`<p class="muted">${tHtml('This job has no file input.')}</p>`;
    case 'unnamed':
      return html`<p class="muted">${tHtml('The server did not say which file {0}was: its input names no file id, so it cannot be shown.', content.filename ? html`<strong>${content.filename}</strong> ` : '')}</p>`;
    case 'loading': {
      const progress =
        content.total !== null && content.total > 0
          ? html` <progress max="${content.total}" value="${content.received}" aria-label="${l10n.t('Downloading the file')}"></progress> ${formatBytes(content.received)} of ${formatBytes(content.total)}`
          : content.received > 0
            ? html` ${formatBytes(content.received)}`
            : '';
      return html`<p class="muted doc-loading">${tHtml('Downloading')} <strong>${content.file.filename ?? content.file.fileId ?? l10n.t('the file')}</strong>…${progress}</p>`;
    }
    case 'shown':
      return html`<p class="muted doc-facts">${content.display === 'pdf' ? 'PDF' : (content.mimeType ?? 'image')} · ${formatBytes(content.bytes)}${
        content.pageCount !== null ? html` · ${content.pageCount} ${content.pageCount === 1 ? 'page' : 'pages'}` : ''
      }</p>`;
    case 'other':
      return html`<p>${tHtml('The panel does not draw {0} ({1}).', content.mimeType ?? l10n.t('this kind of file'), formatBytes(content.bytes))}</p>${actions(
        l10n.t('Document actions'),
        [button('openDocument', l10n.t('Open'), true), button('saveDocumentAs', l10n.t('Save As…'))],
      )}`;
    case 'error': {
      if (content.error.kind === 'too_large') {
        // Nothing to retry: the cap is the panel's, said plainly.
        return html`<div class="doc-error" data-state="too_large"><p><strong>${tHtml('Not shown')}</strong>: ${content.error.message}</p></div>`;
      }
      const guidance = guidanceFor(content.error, l10n.t('the document'), 'retryDocument');
      const meta = errorMeta(content.error);
      return html`<div class="doc-error" data-state="${content.error.kind}"><p><strong>${guidance.title}</strong>: ${content.error.message}</p>${
        meta ? html`<p class="muted">${meta}</p>` : ''
      }${actions(l10n.t('What to do'), guidance.actions)}</div>`;
    }
  }
}

function renderHighlight(section: DocumentSection): HtmlValue {
  if (section.content.kind !== 'shown') {
    return '';
  }
  const note = section.sourcesNote ? html`<p class="muted sources-note">${tHtml('No boxes: {0}.', section.sourcesNote)}</p>` : '';
  const highlight = section.highlight;
  if (!highlight) {
    return note;
  }
  const field = html`<code>${highlight.path}</code>`;
  switch (highlight.kind) {
    case 'loading':
      return html`${note}<p class="muted highlight-note">${tHtml('Finding {0} on the page…', field)}</p>`;
    case 'box':
      return html`${note}<p class="highlight-note" data-highlight="box">${tHtml('{0}: page {1}, marked.', field, highlight.box.page)}</p>`;
    case 'noSource':
      return html`${note}<p class="muted highlight-note" data-highlight="none">${tHtml('{0} has no source: the server did not say where it was read.', field)}</p>`;
    case 'notOnPage':
      return html`${note}<p class="muted highlight-note" data-highlight="none">${tHtml('{0} was read from a {1}, not a place on a page.', field, highlight.anchor)}</p>`;
    case 'unknown':
      return html`${note}<p class="muted highlight-note" data-highlight="none">${tHtml("{0} is not among the extraction's sources.", field)}</p>`;
    case 'error':
      return html`${note}<p class="muted highlight-note" data-highlight="none">${tHtml('Where {0} is could not be read: {1}', field, highlight.message)}</p>`;
  }
}
