/**
 * The job panel's Fields section: every field of the document's run with its score and change
 * against the prior run, the disagreeing ones first; a chosen field's votes; for classifier and
 * split blocks, where the votes flowed. Pure markup from models, so escaping, order and marks are
 * unit-tested without VS Code. Every server string goes through the `html` template.
 */
import { l10n } from '../../l10n';
import { Confusion, DocumentFields, FieldScore, FieldVotes, VoteRow, disagrees } from '../../api/models';
import { formatScore, formatScoreDelta, formatNumber } from '../../format';
import { jsonText } from '../shared/jsonText';
import { whyNoScores } from '../shared/scoreWords';
import { PanelError, actions, button, errorMeta, guidanceFor } from './guidance';
import { HtmlValue, SafeHtml, html, tHtml } from '../shared/html';
import { ValueRef } from '../../protocol/jobPanel';

/** A chosen field's votes; `field` is its index in `orderFields`. */
export type VotesContent =
  | { kind: 'loading'; field: number; path: string }
  | { kind: 'loaded'; field: number; path: string; votes: FieldVotes }
  | { kind: 'unavailable'; field: number; path: string; reason: string; message: string | null }
  | { kind: 'error'; field: number; path: string; error: PanelError };

export type FieldsContent =
  /** Not asked for yet: the by_document view is fetched only when the section is opened. */
  | { kind: 'idle' }
  | { kind: 'loading' }
  | { kind: 'loaded'; fields: DocumentFields; votes?: VotesContent }
  | { kind: 'unavailable'; reason: string; message: string | null }
  | { kind: 'error'; error: PanelError };

export interface FieldsSection {
  open: boolean;
  content: FieldsContent;
}

/** A value is shown up to this many characters; "Show All" opens the whole of it as a document. */
export const MAX_VALUE_SHOWN = 500;
/** The consensus beside each field in the list: a glance, one line. */
const MAX_PREVIEW = 120;
/** Enough to know a JSON value is long and to compare two values; a document shows all of it. */
const MAX_VALUE_TEXT = 1_000_000;

/**
 * The order of the section: fields that disagree first, worst first; then the rest by path
 * (full agreement, then those without a score). The host resolves a chosen index with it too.
 */
export function orderFields(fields: readonly FieldScore[]): FieldScore[] {
  const rank = (field: FieldScore): number => (disagrees(field.score) ? 0 : field.score === null ? 2 : 1);
  return [...fields].sort((a, b) => {
    const byRank = rank(a) - rank(b);
    if (byRank !== 0) {
      return byRank;
    }
    if (rank(a) === 0 && a.score !== b.score) {
      return (a.score ?? 0) - (b.score ?? 0);
    }
    return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
  });
}

/** A value as people read it: text as it is, anything else as one-line JSON. */
export function valueText(value: unknown): string {
  return typeof value === 'string' ? value : jsonText(value, { maxLength: MAX_VALUE_TEXT });
}

function sameValue(a: unknown, b: unknown): boolean {
  return typeof a === 'string' || typeof b === 'string' ? a === b : valueText(a) === valueText(b);
}

/** The whole `<details>` element; the host sends its inner markup alone when only it changed. */
export function renderFieldsSection(section: FieldsSection): SafeHtml {
  // data-host-open: how the host rendered it, so the page tells a user's toggle from its own.
  return html`<details class="fields" id="fields" data-host-open="${section.open ? 'true' : 'false'}"${section.open ? html` open` : ''}>${renderFieldsInner(section)}</details>`;
}

/** What is inside `<details class="fields">`: its summary and body. */
export function renderFieldsInner(section: FieldsSection): SafeHtml {
  return html`<summary><span class="summary-title">${tHtml('Fields')}</span>${summaryNote(section.content)}</summary>
<div class="fields-body" id="fields-body">${renderBody(section.content)}</div>`;
}

function summaryNote(content: FieldsContent): HtmlValue {
  if (content.kind !== 'loaded') {
    return '';
  }
  const total = content.fields.fields.length;
  const disagreeing = content.fields.fields.filter((field) => disagrees(field.score)).length;
  return html` <span class="muted">· ${total} ${total === 1 ? 'field' : 'fields'}, ${disagreeing} ${disagreeing === 1 ? 'disagrees' : 'disagree'}</span>`;
}

function renderBody(content: FieldsContent): SafeHtml {
  switch (content.kind) {
    case 'idle':
    case 'loading':
      // An idle section shows this only for the moment between opening it and the host's answer.
      return html`<div class="inline-state" role="status"><div class="spinner" aria-hidden="true"></div><span>${tHtml('Loading field scores…')}</span></div>`;
    case 'unavailable':
      return unavailableNote(l10n.t('No field scores for this document in this run'), content.reason, content.message);
    case 'error':
      return renderInlineError(content.error, l10n.t('the field scores'), 'retryFields');
    case 'loaded':
      return renderLoaded(content.fields, content.votes);
  }
}

function unavailableNote(what: string, reason: string, message: string | null): SafeHtml {
  return html`<p class="notice" data-unavailable="${reason}">${what}: ${whyNoScores(reason)}.${message ? html` <span class="muted">${message}</span>` : ''}</p>`;
}

function renderInlineError(error: PanelError, what: string, retry: 'retryFields'): SafeHtml {
  const guidance = guidanceFor(error, what, retry);
  const meta = errorMeta(error);
  return html`<div class="callout error inline" data-state="${error.kind}">
  <p><strong>${guidance.title}</strong></p>
  <p class="message">${error.message}</p>
  ${meta ? html`<p class="muted">${meta}</p>` : ''}
  <p>${guidance.hint}</p>
  ${actions(l10n.t('What to do'), guidance.actions)}
</div>`;
}

/** "▼ 20.0 points since the prior run", for screen readers; the table shows the arrow form. */
function changeWords(score: number | null, prior: number | null): string {
  if (score === null || prior === null) {
    return prior === null ? l10n.t('no prior run to compare with') : '';
  }
  const points = (score - prior) * 100;
  if (Math.abs(points) < 0.05) {
    return l10n.t('unchanged since the prior run');
  }
  return points > 0
    ? l10n.t('up {0} points since the prior run', Math.abs(points).toFixed(1))
    : l10n.t('down {0} points since the prior run', Math.abs(points).toFixed(1));
}

function renderLoaded(fields: DocumentFields, votes: VotesContent | undefined): SafeHtml {
  const ordered = orderFields(fields.fields);
  const disagreeing = ordered.filter((field) => disagrees(field.score)).length;
  const delta = formatScoreDelta(fields.score, fields.priorScore);
  const rows = ordered.map((field, index) => {
    const disagreement = disagrees(field.score);
    const chosen = votes?.field === index;
    const label = [
      field.path,
      l10n.t('score {0}', formatScore(field.score)),
      disagreement ? l10n.t('disagrees') : field.score === null ? l10n.t('no score') : l10n.t('agrees'),
      changeWords(field.score, field.priorScore),
    ]
      .filter(Boolean)
      .join(', ');
    const preview = valueText(field.value);
    return html`<tr class="${disagreement ? 'disagrees' : 'agrees'}${chosen ? ' chosen' : ''}">
  <td><button type="button" class="field" data-field="${index}" aria-pressed="${chosen ? 'true' : 'false'}" aria-label="${label}" title="${l10n.t('Show the votes for {0}', field.path)}"><span class="mark" aria-hidden="true">${disagreement ? '⚠' : ' '}</span><span class="path">${field.path}</span></button></td>
  <td class="score">${formatScore(field.score)}${disagreement ? html` <span class="flag">${tHtml('disagrees')}</span>` : ''}</td>
  <td class="change">${formatScoreDelta(field.score, field.priorScore) || html`<span class="muted">—</span>`}</td>
  <td class="preview"><code>${preview.length > MAX_PREVIEW ? `${preview.slice(0, MAX_PREVIEW)}…` : preview}</code></td>
</tr>`;
  });
  return html`<p class="fields-summary">${tHtml('Document score')} <strong>${formatScore(fields.score)}</strong>${tHtml('{0} · {1}. Choose a field to see its votes.', delta ? html` <span class="muted">${tHtml('({0} since the prior run)', delta)}</span>` : '', disagreeing === 0 ? l10n.t('every field agrees') : html`<strong>${disagreeing}</strong> ${tHtml('of {0} fields disagree, listed first', ordered.length)}`)}</p>
${
  ordered.length === 0
    ? html`<p class="muted">${tHtml('This document has no field scores in this run.')}</p>`
    : html`<table class="grid fields-list">
  <caption class="visually-hidden">${tHtml('Fields of the document, disagreeing first')}</caption>
  <thead><tr><th scope="col">${tHtml('Field')}</th><th scope="col">${tHtml('Score')}</th><th scope="col">${tHtml('Change')}</th><th scope="col">${tHtml('Consensus')}</th></tr></thead>
  <tbody>${rows}</tbody>
</table>`
}
${fields.confusion ? renderConfusion(fields.confusion) : ''}
${votes ? renderVotes(votes) : ''}`;
}

function renderConfusion(confusion: Confusion): SafeHtml {
  const flows = [...confusion.flows].sort((a, b) => b.score - a.score);
  return html`<section class="confusion" aria-labelledby="confusion-heading">
  <h3 id="confusion-heading">${tHtml('Where the votes went')}</h3>
  <div class="confusion-tables">
  <table class="grid confusion-diagonal">
    <caption>${tHtml('Agreement per label')}</caption>
    <thead><tr><th scope="col">${tHtml('Label')}</th><th scope="col">${tHtml('Kept')}</th></tr></thead>
    <tbody>${confusion.diagonal.map((entry) => html`<tr><th scope="row"><code>${entry.label}</code></th><td>${formatScore(entry.score)}</td></tr>`)}</tbody>
  </table>
  ${
    flows.length === 0
      ? html`<p class="muted">${tHtml('No votes flowed from one label to another.')}</p>`
      : html`<table class="grid confusion-flows">
    <caption>${tHtml('Flows between labels')}</caption>
    <thead><tr><th scope="col">${tHtml('From')}</th><th scope="col"><span class="visually-hidden">${tHtml('to')}</span></th><th scope="col">${tHtml('To')}</th><th scope="col">${tHtml('Share')}</th></tr></thead>
    <tbody>${flows.map((flow) => html`<tr><td><code>${flow.from}</code></td><td aria-hidden="true">→</td><td><code>${flow.to}</code></td><td>${formatScore(flow.score)}</td></tr>`)}</tbody>
  </table>`
  }
  </div>
</section>`;
}

function renderVotes(votes: VotesContent): SafeHtml {
  const heading = html`<h3 id="votes-heading">${tHtml('Votes for')} <code>${votes.path}</code></h3>`;
  let body: SafeHtml;
  switch (votes.kind) {
    case 'loading':
      body = html`<div class="inline-state" role="status"><div class="spinner" aria-hidden="true"></div><span>${tHtml('Loading the votes…')}</span></div>`;
      break;
    case 'unavailable':
      body = unavailableNote(l10n.t('No votes for this field'), votes.reason, votes.message);
      break;
    case 'error':
      body = html`${renderInlineError(votes.error, l10n.t('the votes'), 'retryFields')}`;
      break;
    case 'loaded':
      body = html`${renderVoteRows(votes.field, votes.votes)}${actions(l10n.t('Field actions'), [button('pinAsEval', l10n.t('Pin as Eval…'))])}`;
      break;
  }
  return html`<section class="votes" aria-labelledby="votes-heading" data-votes-state="${votes.kind}">${heading}${body}</section>`;
}

function renderVoteRows(field: number, votes: FieldVotes): SafeHtml {
  const delta = formatScoreDelta(votes.score, votes.priorScore);
  const intro = html`<p>${tHtml('Score')} <strong>${formatScore(votes.score)}</strong>${disagrees(votes.score) ? html` <span class="flag">${tHtml('disagrees')}</span>` : ''}${delta ? html` <span class="muted">${tHtml('({0} since the prior run)', delta)}</span>` : ''}</p>`;
  if (votes.rows.length === 0) {
    return html`${intro}<p class="muted">${tHtml('The server sent no votes for this field.')}</p>`;
  }
  const many = votes.rows.length > 1;
  return html`${intro}${votes.rows.map((row, index) => renderVoteRow(field, row, index, many ? l10n.t('Row {0} of {1}', index + 1, votes.rows.length) : undefined))}`;
}

function renderVoteRow(field: number, row: VoteRow, rowIndex: number, title: string | undefined): SafeHtml {
  const answered =
    row.presentVoterCount !== null && row.totalVoterCount !== null
      ? l10n.t('{0} of {1} voters answered', row.presentVoterCount, row.totalVoterCount)
      : l10n.t('{0} voters', row.votes.length);
  const voters = row.votes.map((vote, voter) => {
    const state = vote === null || vote === undefined ? 'absent' : sameValue(vote, row.consensus) ? 'agrees' : 'differs';
    const mark =
      state === 'agrees'
        ? html`<span class="flag agrees"><span aria-hidden="true">✓ </span>agrees</span>`
        : state === 'differs'
          ? html`<span class="flag differs"><span aria-hidden="true">✗ </span>differs</span>`
          : html`<span class="flag absent"><span aria-hidden="true">∅ </span>${tHtml('no answer')}</span>`;
    return html`<tr class="vote ${state}"><th scope="row">${tHtml('Voter {0}', voter + 1)}</th><td>${
      state === 'absent'
        ? html`<span class="muted">${tHtml('(no value)')}</span>`
        : valueBlock(vote, { source: 'vote', field, row: rowIndex, voter }, l10n.t('voter {0}’s value', voter + 1))
    }</td><td>${mark}</td></tr>`;
  });
  return html`<div class="vote-row">
  ${title ? html`<h4>${title}</h4>` : ''}
  <p class="muted">${answered}${row.score !== null ? html` ${tHtml('· score {0}', formatScore(row.score))}` : ''}</p>
  <table class="grid votes-table">
    <thead><tr><th scope="col">${tHtml('Voter')}</th><th scope="col">${tHtml('Value')}</th><th scope="col">${tHtml('Against the consensus')}</th></tr></thead>
    <tbody>
      <tr class="consensus"><th scope="row">${tHtml('Consensus')}</th><td>${valueBlock(row.consensus, { source: 'rowConsensus', field, row: rowIndex }, l10n.t('the consensus'))}</td><td><span class="muted">—</span></td></tr>
      ${voters}
    </tbody>
  </table>
</div>`;
}

/**
 * A value, its first `MAX_VALUE_SHOWN` characters when longer, with a button that opens all of it
 * as a read-only document (whose button says how long it is).
 */
export function valueBlock(value: unknown, ref: ValueRef, whose: string): SafeHtml {
  const text = valueText(value);
  const kind = typeof value === 'string' ? 'text' : 'json';
  if (text.length <= MAX_VALUE_SHOWN) {
    return html`<span class="value ${kind}">${text}</span>`;
  }
  const size = text.length >= MAX_VALUE_TEXT ? l10n.t('more than 1,000,000') : formatNumber(text.length);
  return html`<span class="value ${kind} clipped">${text.slice(0, MAX_VALUE_SHOWN)}…</span>
<span class="clip-note muted">${tHtml('First {0} of {1} characters.', MAX_VALUE_SHOWN, size)}</span>
<button type="button" class="link" ${valueAttributes(ref)} aria-label="${l10n.t('Show all of {0} ({1} characters) in an editor', whose, size)}">${tHtml('Show All')}</button>`;
}

function valueAttributes(ref: ValueRef): SafeHtml {
  return html`data-value-source="${ref.source}" data-value-field="${ref.field}" data-value-row="${ref.row}"${ref.voter !== undefined ? html` data-value-voter="${ref.voter}"` : ''}`;
}
