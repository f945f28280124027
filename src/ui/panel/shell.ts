import { SafeHtml, html } from './html';

export interface ShellResources {
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
}

/**
 * The page is loaded once; job content then arrives by message, so clicking through documents
 * does not reload the webview. Nothing runs but our nonce'd script; nothing loads but from media/.
 * `initialBody` must already be escaped HTML, as `renderPanelBody` produces. #announcer is where
 * panel.js says what a click did ("Copied run ID"), for screen readers; it is not seen.
 */
export function renderShell(resources: ShellResources, initialBody: string): string {
  const csp = [
    "default-src 'none'",
    `style-src ${resources.cspSource}`,
    `script-src 'nonce-${resources.nonce}'`,
    `img-src ${resources.cspSource}`,
    `font-src ${resources.cspSource}`,
  ].join('; ');
  return html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${resources.styleUri}">
<title>Retab Job</title>
</head>
<body>
<main id="content" aria-live="polite">${new SafeHtml(initialBody)}</main>
<div id="announcer" class="visually-hidden" role="status"></div>
<script nonce="${resources.nonce}" src="${resources.scriptUri}"></script>
</body>
</html>`.value;
}
