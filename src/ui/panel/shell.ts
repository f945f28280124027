import { JobRef } from '../../api/ids';
import { SafeHtml, html, tHtml } from '../shared/html';
import { webviewStringsJson } from '../shared/webviewStrings';
import { PanelView } from '../../protocol/jobPanel';

export interface ShellResources {
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
  /** pdf.js and its worker, from the extension's files; loaded only when a PDF is shown. */
  pdfScriptUri: string;
  pdfWorkerUri: string;
}

/** The state the page is built with: its body (already escaped HTML, as `renderPanelBody` makes it) and what it is about. */
export interface InitialBody {
  renderId: number;
  html: string;
  ref: JobRef;
  view: PanelView;
}

/**
 * The page is loaded once; later states arrive by message, so clicking through documents does
 * not reload the webview. The first state is in the HTML itself (no empty frame while the script
 * starts), with its render id and job on `<main>`: the script acknowledges it as it would a
 * message. Nothing runs but our nonce'd scripts (pdf.js is one, added with the nonce when a PDF
 * is shown); nothing loads but from the extension, and no `eval` (pdf.js runs with
 * `isEvalSupported: false`).
 * #announcer is where the script says what a click did ("Copied run ID"), for screen readers; it
 * is not seen.
 */
export function renderShell(resources: ShellResources, initial: InitialBody | undefined): string {
  // l10n-exempt: the Content Security Policy
  const csp = [
    "default-src 'none'",
    `style-src ${resources.cspSource}`,
    `script-src 'nonce-${resources.nonce}'`,
    // Images of the Document section are blob: URLs of bytes the host posted.
    `img-src ${resources.cspSource} blob:`,
    `font-src ${resources.cspSource}`,
    // pdf.js's worker: its script is read from the extension's files (connect-src) and started
    // from a blob: URL, since a worker cannot be started from the resource origin itself.
    `connect-src ${resources.cspSource}`,
    'worker-src blob:',
  ].join('; ');
  const about = initial
    ? html` data-render-id="${initial.renderId}" data-view="${initial.view}" data-workflow-id="${initial.ref.workflowId}" data-experiment-id="${initial.ref.experimentId}" data-run-id="${initial.ref.runId}" data-document-id="${initial.ref.documentId}"`
    : '';
  return html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${resources.styleUri}">
<title>${tHtml('Retab Job')}</title>
</head>
<body data-l10n="${webviewStringsJson()}" data-pdf-script="${resources.pdfScriptUri}" data-pdf-worker="${resources.pdfWorkerUri}">
<main id="content" aria-live="polite"${about}>${initial ? new SafeHtml(initial.html) : ''}</main>
<div id="announcer" class="visually-hidden" role="status"></div>
<script nonce="${resources.nonce}" src="${resources.scriptUri}"></script>
</body>
</html>`.value;
}
