// @ts-check
// The job panel's only script. It shows HTML the extension rendered (every server string already
// escaped) and turns clicks on data-action / data-copy buttons into typed messages.
(function () {
  // @ts-ignore acquireVsCodeApi is provided by the webview host.
  const vscode = acquireVsCodeApi();
  const content = /** @type {HTMLElement} */ (document.getElementById('content'));

  window.addEventListener('message', (event) => {
    const message = event.data;
    if (!message || message.type !== 'show' || typeof message.html !== 'string' || !Number.isSafeInteger(message.renderId)) {
      return;
    }
    const rawOpen = content.querySelector('details.raw')?.hasAttribute('open') ?? false;
    content.innerHTML = message.html;
    if (rawOpen) {
      content.querySelector('details.raw')?.setAttribute('open', '');
    }
    vscode.postMessage({ type: 'rendered', renderId: message.renderId });
  });

  document.addEventListener('click', (event) => {
    const target = /** @type {HTMLElement | null} */ (event.target instanceof Element ? event.target.closest('button') : null);
    if (!target) {
      return;
    }
    const action = target.dataset.action;
    const copy = target.dataset.copy;
    if (action) {
      vscode.postMessage({ type: 'action', action });
    } else if (copy) {
      vscode.postMessage({ type: 'copy', field: copy });
      const label = target.textContent;
      target.textContent = 'Copied';
      setTimeout(() => {
        target.textContent = label;
      }, 1200);
    }
  });

  vscode.postMessage({ type: 'ready' });
})();
