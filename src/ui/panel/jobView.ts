import { l10n } from '../../l10n';
import { JobRef } from '../../api/ids';
import { Job, documentLabel } from '../../api/models';
import { formatClock, formatDuration, formatScore, formatScoreDelta, formatTimestamp, showInvisibles, statusWord } from '../../format';
import { DocumentSection, renderDocumentSection } from './documentView';
import { jsonText } from '../shared/jsonText';
import { HtmlValue, SafeHtml, html, tHtml } from '../shared/html';
import { FieldsSection, renderFieldsSection } from './fieldsView';
import { Guidance, PanelError, actions, button, errorMeta, guidanceFor } from './guidance';
import { CopyField } from '../../protocol/jobPanel';

export interface JobContext {
  workflowName?: string;
  experimentName?: string;
  runLabel?: string;
  /** The document's score in its run and in the run before, when the run's scores are in memory. */
  score?: { score: number; priorScore: number | null };
  /** Which block definition the run used (its block version, workflow version, or the draft's fingerprint). */
  definition?: string;
  /** The experiment's block can be opened as files here. */
  canEditBlock?: boolean;
}

export type { PanelError } from './guidance';

/**
 * Whether the job on screen was confirmed by its own endpoint. A selection draws what is known at
 * once (`pending`), then the endpoint's answer replaces it (`done`); a failed request keeps what is
 * known and says so (`failed`); `final`: the server has no endpoint for one job (G1p) and the run
 * is finished, so what its content said is the job.
 */
export type RefreshState = { kind: 'pending' } | { kind: 'done' } | { kind: 'final' } | { kind: 'failed'; error: PanelError };

export type PanelState =
  | { kind: 'loading'; ref: JobRef; label?: string }
  /**
   * `fetchedAt`: when the endpoint answered, null while only the run's content is known. `fields`,
   * `document`: the sections (closed and not loaded when absent).
   */
  | {
      kind: 'job';
      ref: JobRef;
      job: Job;
      context: JobContext;
      fetchedAt: number | null;
      refresh?: RefreshState;
      fields?: FieldsSection;
      document?: DocumentSection;
    }
  | { kind: 'error'; ref: JobRef; error: PanelError };

/** The panel's body for a state. Pure, so escaping is unit-tested without VS Code. */
export function renderPanelBody(state: PanelState): string {
  switch (state.kind) {
    case 'loading':
      return renderLoading(state.ref, state.label).value;
    case 'job':
      return renderJob(state).value;
    case 'error':
      return renderError(state.ref, state.error).value;
  }
}

export function panelTitle(state: PanelState): string {
  if (state.kind === 'job') {
    return l10n.t('Job: {0}', showInvisibles(documentLabel(state.job)));
  }
  if (state.kind === 'loading' && state.label) {
    return l10n.t('Job: {0}', showInvisibles(state.label));
  }
  return l10n.t('Job: {0}', showInvisibles(state.ref.documentId));
}

/**
 * Every copy button shows "Copy"; its accessible name says what it copies ("Copy run ID"), so a
 * screen reader moving from button to button does not hear "Copy" seven times. panel.js reads the
 * name back to announce "Copied run ID".
 */
function copyButton(field: CopyField, what: string): SafeHtml {
  return html`<button type="button" class="icon" data-copy="${field}" data-copied="${l10n.t('Copied {0}', what)}" title="${l10n.t('Copy {0}', what)}" aria-label="${l10n.t('Copy {0}', what)}">${tHtml('Copy')}</button>`;
}

function idRow(label: string, value: string, field: CopyField): SafeHtml {
  return html`<tr><th scope="row">${label}</th><td><code class="id">${value}</code>${copyButton(field, `${label.toLowerCase()} ID`)}</td></tr>`;
}

/** A section is named by its heading, so screen readers list it as a region with that name. */
function section(id: string, title: string, body: HtmlValue): SafeHtml {
  return html`<section aria-labelledby="${id}">
  <h2 id="${id}">${title}</h2>
  ${body}
</section>`;
}

function renderLoading(ref: JobRef, label: string | undefined): SafeHtml {
  return html`<section class="state loading" aria-busy="true" aria-labelledby="loading-heading">
  <div class="spinner" aria-hidden="true"></div>
  <p id="loading-heading">${tHtml('Loading job for')} <strong>${label ?? ref.documentId}</strong>…</p>
  <p class="muted"><code>${ref.runId}</code> · <code>${ref.documentId}</code></p>
</section>`;
}

/** The job's own errors; the rest read as they do anywhere in the panel (guidance.ts). */
function jobGuidance(error: PanelError): Guidance {
  if (error.kind === 'not_found') {
    return {
      title: l10n.t('Job not found'),
      hint: l10n.t('This run has no job for this document, or one of the ids is wrong.'),
      actions: [button('lookupJob', l10n.t('Look Up Another Job…'), true), button('refresh', l10n.t('Retry'))],
    };
  }
  if (error.kind === 'invalid_id') {
    return {
      title: l10n.t('Invalid id'),
      hint: l10n.t('Ids contain only letters, digits, "_" and "-".'),
      actions: [button('lookupJob', l10n.t('Look Up Another Job…'), true)],
    };
  }
  return guidanceFor(error, l10n.t('the job'), 'refresh');
}

function renderError(ref: JobRef, error: PanelError): SafeHtml {
  const text = jobGuidance(error);
  const meta = errorMeta(error);
  return html`<section class="state error-state" data-state="${error.kind}" aria-labelledby="state-heading">
  <h1 id="state-heading">${text.title}</h1>
  <p class="message">${error.message}</p>
  ${meta ? html`<p class="muted">${meta}</p>` : ''}
  <p>${text.hint}</p>
  ${actions(l10n.t('What to do'), text.actions)}
  <p class="muted">${tHtml('Document')} <code>${ref.documentId}</code> ${tHtml('in run')} <code>${ref.runId}</code></p>
</section>`;
}

function renderScore({ score, priorScore }: { score: number; priorScore: number | null }): SafeHtml {
  const delta = formatScoreDelta(score, priorScore);
  return html`<span class="doc-score">score <strong>${formatScore(score)}</strong>${delta ? html` <span class="delta">${tHtml('({0} since the prior run)', delta)}</span>` : ''}</span>`;
}

/**
 * The line under the job's title that says how current it is: when the endpoint answered, that it
 * is being asked, or why it could not be (the known state stays on screen, with a way to retry).
 * The host replaces it alone when only it changed (`#job-refresh`).
 */
export function renderRefreshLine(refresh: RefreshState | undefined, fetchedAt: number | null): SafeHtml {
  const fetched = fetchedAt === null ? '' : html`${tHtml('Fetched')} <time datetime="${new Date(fetchedAt).toISOString()}">${formatClock(fetchedAt)}</time>`;
  switch (refresh?.kind) {
    case 'failed': {
      const meta = errorMeta(refresh.error);
      return html`<p class="refresh-line refresh-failed" data-refresh="failed" role="alert">${tHtml('Could not refresh: {0}{1} — {2}{3}', refresh.error.message, meta ? html` (${meta})` : '', button('refresh', l10n.t('Retry')), fetchedAt === null ? html` <span class="muted">${tHtml("Showing what the run's list said.")}</span>` : html` <span class="muted">${tHtml('Showing what was {0}.', fetched)}</span>`)}</p>`;
    }
    case 'pending':
      return html`<p class="refresh-line muted" data-refresh="pending">${tHtml('{0} · refreshing…', fetched || l10n.t("From the run's list"))}</p>`;
    case 'final':
      return html`<p class="refresh-line muted" data-refresh="final">${tHtml("From the run's content (this server has no route for one job; the run is finished).")}</p>`;
    default:
      return html`<p class="refresh-line muted" data-refresh="done">${fetched}</p>`;
  }
}

function renderJob(state: Extract<PanelState, { kind: 'job' }>): SafeHtml {
  const { ref, job, context, fields } = state;
  const filename = documentLabel(job);
  // The badge is a status (read out when it changes on a refresh) named as one: "Job status: error".
  return html`<header aria-labelledby="job-title">
  <div class="title-row">
    <span class="badge status-${job.status}" data-status="${job.status}" role="status" aria-label="${l10n.t('Job status: {0}', statusWord(job.status))}">${statusWord(job.status)}</span>
    <h1 class="filename" id="job-title">${filename}</h1>
  </div>
  <p class="muted subtitle">${tHtml('{0} block{1}{2}{3}{4}', job.blockKind, context.experimentName ? html` · ${context.experimentName}` : '', context.runLabel ? html` · ${context.runLabel}` : '', context.score ? html` · ${renderScore(context.score)}` : '', job.isPlaceholder ? html` · <span class="placeholder-flag">${tHtml('placeholder (not run yet)')}</span>` : '')}</p>
  ${actions(l10n.t('Job actions'), [
    button('refresh', l10n.t('Refresh')),
    job.artifact ? button('openArtifact', l10n.t('Open Artifact')) : '',
    button('compareWithRun', l10n.t('Compare with Run…')),
    context.canEditBlock ? button('editBlock', l10n.t('Edit Block Definition')) : '',
    button('copyLink', l10n.t('Copy Link')),
  ])}
  ${context.definition ? html`<p class="muted definition">${context.definition}</p>` : ''}
  <div id="job-refresh">${renderRefreshLine(state.refresh, state.fetchedAt)}</div>
</header>
${job.error ? renderErrorCallout(job.error) : ''}
<div class="workbench">
${renderFieldsSection(fields ?? { open: false, content: { kind: 'idle' } })}
${renderDocumentSection(state.document ?? { open: false, content: { kind: 'idle' } })}
</div>
${section(
  'timing-heading',
  l10n.t('Timing'),
  html`<table class="facts">
    <tr><th scope="row">${tHtml('Created')}</th><td>${formatTimestamp(job.createdAt)}</td></tr>
    <tr><th scope="row">${tHtml('Started')}</th><td>${formatTimestamp(job.startedAt)}</td></tr>
    <tr><th scope="row">${tHtml('Completed')}</th><td>${formatTimestamp(job.completedAt)}</td></tr>
    <tr><th scope="row">${tHtml('Duration')}</th><td class="duration">${formatDuration(job.durationMs)}</td></tr>
    <tr><th scope="row">${tHtml('Attempt')}</th><td>${job.attempt}</td></tr>
    <tr><th scope="row">${tHtml('Placeholder')}</th><td>${job.isPlaceholder ? tHtml('yes') : tHtml('no')}</td></tr>
  </table>`,
)}
${section('inputs-heading', l10n.t('Handle inputs'), renderHandleInputs(job))}
${section(
  'artifact-heading',
  l10n.t('Artifact'),
  job.artifact
    ? html`<table class="facts">
    <tr><th scope="row">${tHtml('Operation')}</th><td>${job.artifact.operation}</td></tr>
    <tr><th scope="row">ID</th><td><code class="id">${job.artifact.id}</code>${copyButton('artifactId', l10n.t('artifact ID'))}</td></tr>
  </table>`
    : html`<p class="muted">${tHtml('No artifact{0}.', job.status === 'completed' ? '' : l10n.t(' (the job has not produced one)'))}</p>`,
)}
${section(
  'ids-heading',
  'IDs',
  html`<table class="facts ids">
    ${idRow(l10n.t('Workflow'), ref.workflowId, 'workflowId')}
    ${idRow(l10n.t('Experiment'), ref.experimentId, 'experimentId')}
    ${idRow(l10n.t('Run'), ref.runId, 'runId')}
    ${idRow(l10n.t('Document'), ref.documentId, 'documentId')}
    ${idRow(l10n.t('Job'), job.id, 'jobId')}
  </table>`,
)}
<details class="raw">
  <summary>${tHtml('Raw JSON')}</summary>
  ${scrollBox(l10n.t('Raw JSON of the job'), html`<code>${jsonText(job.raw, { indent: 2, maxLength: MAX_RAW_JSON_SHOWN })}</code>`)}
</details>
${context.workflowName ? html`<p class="muted footer">${tHtml('Workflow {0}', context.workflowName)}</p>` : ''}`;
}

/** The raw JSON section's share of the panel; the whole job opens as a document from the tree. */
const MAX_RAW_JSON_SHOWN = 256 * 1024;

/** Past this, the callout shows the start and offers the whole text as a read-only document. */
export const MAX_ERROR_SHOWN = 64 * 1024;

function renderErrorCallout(error: string): SafeHtml {
  const clipped = error.length > MAX_ERROR_SHOWN;
  return html`<section class="callout error" role="alert" aria-labelledby="error-heading">
  <div class="callout-head"><h2 id="error-heading">${tHtml('Error')}</h2>${copyButton('error', l10n.t('error message'))}</div>
  ${scrollBox(l10n.t('Error message'), clipped ? error.slice(0, MAX_ERROR_SHOWN) : error, 'error-text')}
  ${clipped ? html`<p class="muted">${tHtml('Showing the first 64 KB of {0} KB. {1}', Math.ceil(error.length / 1024), button('openFullError', l10n.t('Open Whole Error')))}</p>` : ''}
</section>`;
}

/**
 * A box that scrolls on its own (long tracebacks, the raw JSON). It is in the tab order, named,
 * so that someone without a mouse can reach it and scroll it with the arrow keys.
 */
function scrollBox(label: string, content: HtmlValue, className?: string): SafeHtml {
  return html`<pre${className ? html` class="${className}"` : ''} tabindex="0" role="region" aria-label="${label}">${content}</pre>`;
}

/** A handle's value is shown inline in a table cell; the raw JSON below has all of it. */
const MAX_INPUT_JSON_LENGTH = 2_000;

function renderHandleInputs(job: Job): SafeHtml {
  if (job.handleInputs.length === 0) {
    return html`<p class="muted">${tHtml('No handle inputs.')}</p>`;
  }
  const rows = job.handleInputs.map(
    (input) =>
      html`<tr><td><code>${input.handle}</code></td><td>${input.type ?? '—'}</td><td>${input.filename ?? ''}${
        input.filename ? '' : html`<code class="json">${jsonText(input.value, { maxLength: MAX_INPUT_JSON_LENGTH })}</code>`
      }</td></tr>`,
  );
  return html`<table class="grid inputs"><thead><tr><th>${tHtml('Handle')}</th><th>${tHtml('Type')}</th><th>${tHtml('Value')}</th></tr></thead><tbody>${rows}</tbody></table>`;
}
