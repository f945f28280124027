/**
 * The panel's shared pieces of markup: buttons that post an action, and what each error says with
 * its way forward. The job page and its Fields section both use them, so an error reads the same
 * wherever it shows.
 */
import { l10n } from '../../l10n';
import { RetabErrorKind } from '../../api/errors';
import { HtmlValue, SafeHtml, html } from '../shared/html';
import { errorActionLabels, errorGuidance } from '../shared/errorGuidance';
import { PanelAction } from '../../protocol/jobPanel';

export interface PanelError {
  kind: RetabErrorKind;
  message: string;
  status?: number;
  requestId?: string;
}

export function button(action: PanelAction, label: string, primary = false): SafeHtml {
  return html`<button type="button" class="${primary ? 'primary' : 'secondary'}" data-action="${action}">${label}</button>`;
}

/** A row of buttons, named so that a screen reader says what the group is for. */
export function actions(label: string, buttons: HtmlValue): SafeHtml {
  return html`<div class="actions" role="group" aria-label="${label}">${buttons}</div>`;
}

export interface Guidance {
  title: string;
  hint: string;
  actions: SafeHtml[];
}

/**
 * What an error means and what to do about it, as the whole extension says it (errorGuidance),
 * with the ways forward as panel buttons. `what` names what failed to load ("the job", "the field
 * scores"); `retry` is the action that tries it again.
 */
export function guidanceFor(error: { kind: RetabErrorKind; status?: number }, what: string, retry: PanelAction): Guidance {
  const guidance = errorGuidance(error, what);
  return {
    title: guidance.title,
    hint: guidance.hint,
    actions: guidance.actions.map((action, index) => button(action === 'retry' ? retry : action, errorActionLabels()[action], index === 0)),
  };
}

/** "HTTP 500 · request req_1", or nothing. */
export function errorMeta(error: PanelError): string {
  return [error.status !== undefined ? l10n.t('HTTP {0}', error.status) : undefined, error.requestId ? l10n.t('request {0}', error.requestId) : undefined]
    .filter(Boolean)
    .join(' · ');
}
