import { installPageTranslator, t } from './strings';
/**
 * The job panel's only script (bundled by esbuild to dist/panel.js). It shows HTML the extension
 * rendered (every server string already escaped), turns clicks on the page's buttons into typed
 * messages, and keeps the panel's view state (which job, Raw JSON and Fields open or not, scroll
 * position) with setState, so the panel comes back as it was after a window reload or after its
 * tab was hidden. Messages from the host are checked on arrival, as the host checks ours.
 */
import { JobRef } from '../api/ids';
import { DocumentViewer } from './documentViewer';
import {
  FromWebview,
  PanelView,
  SavedPanelState,
  ToWebview,
  ValueRef,
  parseHostMessage,
  parseSavedPanelState,
  parseWebviewMessage,
  sameRef,
} from '../protocol/jobPanel';

// Before anything is drawn: the shared modules' words in the page's language.
installPageTranslator();

interface VsCodeApi {
  postMessage(message: FromWebview): void;
  getState(): unknown;
  setState(state: SavedPanelState): void;
}

declare global {
  /** Provided by the webview host, once per page. */
  function acquireVsCodeApi(): VsCodeApi;
}

const vscode = acquireVsCodeApi();
const content = document.getElementById('content') as HTMLElement;
const announcer = document.getElementById('announcer') as HTMLElement;
/** Our own nonce: pdf.js's bundle is added with it when a PDF is shown. */
const nonce = (document.currentScript as HTMLScriptElement | null)?.nonce ?? '';
const viewer = new DocumentViewer({
  pdfScriptUrl: document.body.dataset.pdfScript ?? '',
  pdfWorkerUrl: document.body.dataset.pdfWorker ?? '',
  nonce,
  onDrawn: (fileKey, page, ms, memoryBytes) => post({ type: 'documentDrawn', fileKey, page, ms: Math.round(ms), memoryBytes }),
  announce: (text) => announce(text),
});

function post(message: FromWebview): void {
  // What we send is what the host accepts: a message built wrong here is a bug, caught in tests.
  if (parseWebviewMessage(message)) {
    vscode.postMessage(message);
  }
}

function rawDetails(): HTMLDetailsElement | null {
  return content.querySelector<HTMLDetailsElement>('details.raw');
}

function fieldsDetails(): HTMLDetailsElement | null {
  return content.querySelector<HTMLDetailsElement>('details.fields');
}

function documentDetails(): HTMLDetailsElement | null {
  return content.querySelector<HTMLDetailsElement>('details.document');
}

/**
 * After the page (or the Document section) was rendered: the viewer goes into the new slot with
 * what it has drawn, or lets its file go when the slot is for another file or none.
 */
function placeViewer(): void {
  const slot = document.getElementById('document-slot');
  const key = slot?.dataset.fileKey;
  if (!slot || !key) {
    viewer.clear();
    return;
  }
  if (viewer.shownKey !== undefined && viewer.shownKey !== key) {
    viewer.clear();
  }
  viewer.attach(slot);
}

/** The job on screen, as the extension named it. */
let shownRef: JobRef | undefined;
/**
 * What the last page of this panel saved (before a reload, or before the tab was hidden). It
 * waits for that job's page, then puts Raw JSON and the scroll position back once.
 */
let pending = parseSavedPanelState(vscode.getState());

function save(): void {
  if (!shownRef) {
    return;
  }
  if (pending && sameRef(pending.ref, shownRef)) {
    vscode.setState(pending); // still loading that job: keep what is to be restored
    return;
  }
  vscode.setState({
    version: 1,
    ref: shownRef,
    rawOpen: rawDetails()?.open ?? false,
    fieldsOpen: fieldsDetails()?.open ?? false,
    documentOpen: documentDetails()?.open ?? false,
    scrollY: Math.round(window.scrollY),
  });
}

let saveTimer: ReturnType<typeof setTimeout> | undefined;
function saveSoon(): void {
  clearTimeout(saveTimer);
  saveTimer = setTimeout(save, 100);
}

/** How a control is found again in the next page (they are all rebuilt on every render). */
function focusKey(element: Element | null): string | undefined {
  if (!(element instanceof HTMLElement) || !content.contains(element)) {
    return undefined;
  }
  const data = element.dataset;
  if (data.action) {
    return `action:${data.action}`;
  }
  if (data.copy) {
    return `copy:${data.copy}`;
  }
  if (data.field) {
    return `field:${data.field}`;
  }
  if (data.valueSource) {
    return `value:${data.valueSource}:${data.valueField}:${data.valueRow}:${data.valueVoter ?? ''}`;
  }
  if (element.tagName === 'SUMMARY') {
    return `summary:${element.parentElement?.className ?? ''}`;
  }
  const label = element.getAttribute('aria-label');
  return label ? `label:${label}` : undefined;
}

/** A control the keyboard was on when its page was replaced; kept until it can be focused again. */
let carriedFocus: string | undefined;

function noteFocus(): void {
  const focused = focusKey(document.activeElement);
  if (focused) {
    carriedFocus = focused;
  } else if (document.activeElement !== document.body) {
    carriedFocus = undefined; // the user moved on to something else
  }
}

function restoreFocus(within: HTMLElement): void {
  if (!carriedFocus) {
    return;
  }
  const target = Array.from(within.querySelectorAll('button, summary, [tabindex]')).find((element) => focusKey(element) === carriedFocus);
  if (target instanceof HTMLElement) {
    target.focus({ preventScroll: true });
    carriedFocus = undefined;
  }
}

/** Puts a whole page on screen: from a message, or the one the shell was built with. */
function showPage(ref: JobRef, view: PanelView, renderId: number, html: string | undefined, acknowledge = true): void {
  noteFocus();
  const rawOpen = rawDetails()?.open ?? false;
  if (html !== undefined) {
    content.innerHTML = html;
  }
  placeViewer();
  shownRef = ref;

  if (pending && !sameRef(pending.ref, ref)) {
    pending = undefined; // another job was opened before the saved one came back
  }
  const restore = pending && view !== 'loading' ? pending : undefined;
  if (restore) {
    pending = undefined;
  }
  if (restore ? restore.rawOpen : rawOpen) {
    rawDetails()?.setAttribute('open', '');
  }
  if (restore) {
    window.scrollTo(0, restore.scrollY);
  }
  restoreFocus(content);
  save();
  if (acknowledge) {
    post({ type: 'rendered', renderId });
  }
}

/** Only the Fields section changed: its inside is replaced, the rest of the page stays as it is. */
function showFields(ref: JobRef, renderId: number, html: string): void {
  const details = fieldsDetails();
  if (!details || !shownRef || !sameRef(ref, shownRef)) {
    return; // a page for another job is on its way
  }
  noteFocus();
  details.innerHTML = html;
  restoreFocus(details);
  save();
  post({ type: 'rendered', renderId });
}

/** Only the Document section's frame changed: the viewer is carried into its new slot. */
function showDocumentSection(ref: JobRef, renderId: number, html: string): void {
  const details = documentDetails();
  if (!details || !shownRef || !sameRef(ref, shownRef)) {
    return;
  }
  noteFocus();
  details.innerHTML = html;
  placeViewer();
  restoreFocus(details);
  save();
  post({ type: 'rendered', renderId });
}

function onHostMessage(message: ToWebview): void {
  switch (message.type) {
    case 'show':
      showPage(message.ref, message.view, message.renderId, message.html);
      return;
    case 'fields':
      showFields(message.ref, message.renderId, message.html);
      return;
    case 'document':
      showDocumentSection(message.ref, message.renderId, message.html);
      return;
    case 'documentFile':
      if (shownRef && sameRef(message.ref, shownRef) && document.getElementById('document-slot')?.dataset.fileKey === message.fileKey) {
        void viewer.show(message.fileKey, message.display, message.bytes);
      }
      return;
    case 'highlight':
      if (shownRef && sameRef(message.ref, shownRef)) {
        viewer.highlight(message.fileKey, message.box);
      }
      return;
  }
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = parseHostMessage(event.data);
  if (message) {
    onHostMessage(message);
  }
});

/** The control the keyboard was last on. */
let lastFocused: HTMLElement | undefined;
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
document.addEventListener(
  'toggle',
  (event) => {
    const details = event.target;
    const section =
      details instanceof HTMLDetailsElement
        ? details.classList.contains('fields')
          ? 'fields'
          : details.classList.contains('document')
            ? 'document'
            : undefined
        : undefined;
    if (details instanceof HTMLDetailsElement && section) {
      // A page built with the section open fires toggle too: only a change the host has not seen
      // is sent (data-host-open is how the host rendered it, then what it was last told).
      if (details.open !== (details.dataset.hostOpen === 'true')) {
        details.dataset.hostOpen = String(details.open);
        post({ type: section, open: details.open });
      }
    }
    saveSoon();
  },
  true,
);
window.addEventListener('pagehide', save);

/** Says what happened to whoever listens with a screen reader; the region is not seen. */
function announce(text: string): void {
  announcer.textContent = '';
  // A fresh text node after a pause is read out even when the same words come twice.
  setTimeout(() => {
    announcer.textContent = text;
  }, 50);
}

function valueRefOf(button: HTMLElement): ValueRef | undefined {
  const data = button.dataset;
  const candidate = {
    source: data.valueSource,
    field: Number(data.valueField),
    row: Number(data.valueRow),
    ...(data.valueVoter === undefined ? {} : { voter: Number(data.valueVoter) }),
  };
  const message = parseWebviewMessage({ type: 'openValue', value: candidate });
  return message?.type === 'openValue' ? message.value : undefined;
}

document.addEventListener('click', (event) => {
  const target = event.target instanceof Element ? event.target.closest('button') : null;
  if (!target) {
    return;
  }
  const { action, copy, field } = target.dataset;
  if (action) {
    post({ type: 'action', action } as FromWebview);
  } else if (copy) {
    post({ type: 'copy', field: copy } as FromWebview);
    const label = target.textContent;
    target.textContent = t('Copied');
    // "Copied run ID", worded by the host in the display language.
    announce(target.dataset.copied ?? t('Copied'));
    setTimeout(() => {
      target.textContent = label;
    }, 1200);
  } else if (field !== undefined) {
    post({ type: 'chooseField', field: Number(field) });
    announce(t('Loading the votes'));
  } else if (target.dataset.valueSource) {
    const value = valueRefOf(target);
    if (value) {
      post({ type: 'openValue', value });
    }
  }
});

/** The shell may carry the first state already (no empty frame): it is acknowledged like a message. */
function start(): void {
  const data = content.dataset;
  const initial = parseHostMessage({
    type: 'show',
    renderId: Number(data.renderId),
    html: '',
    ref: { workflowId: data.workflowId, experimentId: data.experimentId, runId: data.runId, documentId: data.documentId },
    view: data.view,
  });
  if (initial?.type === 'show') {
    // Acknowledged by "ready", which names the state on screen.
    showPage(initial.ref, initial.view, initial.renderId, undefined, false);
    post({ type: 'ready', renderId: initial.renderId });
  } else {
    post({ type: 'ready', renderId: 0 });
  }
}

start();
