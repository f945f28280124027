// @ts-check
// The job panel's only script. It shows HTML the extension rendered (every server string already
// escaped), turns clicks on data-action / data-copy buttons into typed messages, and keeps the
// panel's view state (which job, Raw JSON open or not, scroll position) with setState, so the
// panel comes back as it was after a window reload or after its tab was hidden.
(function () {
  // @ts-ignore acquireVsCodeApi is provided by the webview host.
  const vscode = acquireVsCodeApi();
  const content = /** @type {HTMLElement} */ (document.getElementById('content'));
  const announcer = /** @type {HTMLElement} */ (document.getElementById('announcer'));

  /** The same rule as isSafeId in src/api/ids.ts: only such ids are saved or sent back. */
  const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,199}$/;
  const REF_FIELDS = /** @type {const} */ (['workflowId', 'experimentId', 'runId', 'documentId']);
  const VIEWS = ['loading', 'job', 'error'];
  const MAX_SCROLL_Y = 10000000;

  /**
   * @typedef {{ workflowId: string, experimentId: string, runId: string, documentId: string }} JobRef
   * @typedef {{ version: 1, ref: JobRef, rawOpen: boolean, scrollY: number }} SavedState
   */

  /** @returns {JobRef | undefined} only the four ids, each checked */
  function parseRef(/** @type {unknown} */ value) {
    if (typeof value !== 'object' || value === null) {
      return undefined;
    }
    const record = /** @type {Record<string, unknown>} */ (value);
    /** @type {Record<string, string>} */
    const ref = {};
    for (const field of REF_FIELDS) {
      const id = record[field];
      if (typeof id !== 'string' || !SAFE_ID.test(id)) {
        return undefined;
      }
      ref[field] = id;
    }
    return /** @type {JobRef} */ (ref);
  }

  /** The shape parseSavedPanelState (src/ui/panel/messages.ts) accepts. @returns {SavedState | undefined} */
  function parseSaved(/** @type {unknown} */ value) {
    if (typeof value !== 'object' || value === null) {
      return undefined;
    }
    const record = /** @type {Record<string, unknown>} */ (value);
    const ref = parseRef(record.ref);
    if (record.version !== 1 || !ref || typeof record.rawOpen !== 'boolean') {
      return undefined;
    }
    const y = typeof record.scrollY === 'number' && Number.isFinite(record.scrollY) ? Math.min(Math.max(0, Math.round(record.scrollY)), MAX_SCROLL_Y) : 0;
    return { version: 1, ref, rawOpen: record.rawOpen, scrollY: y };
  }

  function sameRef(/** @type {JobRef} */ a, /** @type {JobRef} */ b) {
    return REF_FIELDS.every((field) => a[field] === b[field]);
  }

  function rawDetails() {
    return /** @type {HTMLDetailsElement | null} */ (content.querySelector('details.raw'));
  }

  /** The job on screen, as the extension named it. @type {JobRef | undefined} */
  let shownRef;
  /**
   * What the last page of this panel saved (before a reload, or before the tab was hidden). It
   * waits for that job's page, then puts Raw JSON and the scroll position back once.
   * @type {SavedState | undefined}
   */
  let pending = parseSaved(vscode.getState());

  function save() {
    if (!shownRef) {
      return;
    }
    if (pending && sameRef(pending.ref, shownRef)) {
      vscode.setState(pending); // still loading that job: keep what is to be restored
      return;
    }
    /** @type {SavedState} */
    const state = { version: 1, ref: shownRef, rawOpen: rawDetails()?.open ?? false, scrollY: Math.round(window.scrollY) };
    vscode.setState(state);
  }

  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let saveTimer;
  function saveSoon() {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(save, 100);
  }

  /** How a control is found again in the next page (they are all rebuilt on every render). */
  function focusKey(/** @type {Element | null} */ element) {
    if (!(element instanceof HTMLElement) || !content.contains(element)) {
      return undefined;
    }
    if (element.dataset.action) {
      return `action:${element.dataset.action}`;
    }
    if (element.dataset.copy) {
      return `copy:${element.dataset.copy}`;
    }
    if (element.tagName === 'SUMMARY') {
      return 'summary';
    }
    const label = element.getAttribute('aria-label');
    return label ? `label:${label}` : undefined;
  }

  /** A control the keyboard was on when its page was replaced; kept until it can be focused again. @type {string | undefined} */
  let carriedFocus;

  window.addEventListener('message', (event) => {
    const message = event.data;
    const ref = message ? parseRef(message.ref) : undefined;
    if (
      !message ||
      message.type !== 'show' ||
      typeof message.html !== 'string' ||
      !Number.isSafeInteger(message.renderId) ||
      !ref ||
      !VIEWS.includes(message.view)
    ) {
      return;
    }
    const focused = focusKey(document.activeElement);
    if (focused) {
      carriedFocus = focused;
    } else if (document.activeElement !== document.body) {
      carriedFocus = undefined; // the user moved on to something else
    }
    const rawOpen = rawDetails()?.open ?? false;
    content.innerHTML = message.html;
    shownRef = ref;

    if (pending && !sameRef(pending.ref, ref)) {
      pending = undefined; // another job was opened before the saved one came back
    }
    const restore = pending && message.view !== 'loading' ? pending : undefined;
    if (restore) {
      pending = undefined;
    }
    if (restore ? restore.rawOpen : rawOpen) {
      rawDetails()?.setAttribute('open', '');
    }
    if (restore) {
      window.scrollTo(0, restore.scrollY);
    }
    if (carriedFocus) {
      const target = Array.from(content.querySelectorAll('button, summary, [tabindex]')).find((element) => focusKey(element) === carriedFocus);
      if (target instanceof HTMLElement) {
        target.focus({ preventScroll: true });
        carriedFocus = undefined;
      }
    }
    save();
    vscode.postMessage({ type: 'rendered', renderId: message.renderId });
  });

  /** The control the keyboard was last on. @type {HTMLElement | undefined} */
  let lastFocused;
  content.addEventListener('focusin', (event) => {
    lastFocused = event.target instanceof HTMLElement ? event.target : undefined;
  });
  // The workbench borrows the focus for a moment to write the clipboard (Copy) and gives it back
  // to the page, not to the button: without this, the next Tab would start again from the top.
  window.addEventListener('focus', () => {
    if (document.activeElement === document.body && lastFocused?.isConnected) {
      lastFocused.focus({ preventScroll: true });
    }
  });

  window.addEventListener('scroll', saveSoon, { passive: true });
  // toggle does not bubble: listen while it goes down to <details>.
  document.addEventListener('toggle', saveSoon, true);
  window.addEventListener('pagehide', save);

  /** Says what happened to whoever listens with a screen reader; the region is not seen. */
  function announce(/** @type {string} */ text) {
    announcer.textContent = '';
    // A fresh text node after a pause is read out even when the same words come twice.
    setTimeout(() => {
      announcer.textContent = text;
    }, 50);
  }

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
      announce((target.getAttribute('aria-label') ?? 'Copy').replace(/^Copy\b/, 'Copied'));
      setTimeout(() => {
        target.textContent = label;
      }, 1200);
    }
  });

  vscode.postMessage({ type: 'ready' });
})();
