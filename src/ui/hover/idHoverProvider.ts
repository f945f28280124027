import { l10n } from '../../l10n';
import { toRetabError } from '../../api/errors';
import * as vscode from 'vscode';
import { FIELD_BY_KIND, FoundId, JobRef, PartialJobRef, idAt, nearestIds } from '../../api/ids';
import { Experiment, Job, RunSummary, Workflow, documentLabel, isTerminal } from '../../api/models';
import { firstLine, formatDuration, formatRelativeTime, formatScore, statusWord } from '../../format';
import { ExpiringCache } from '../../data/expiringCache';
import { JobLocator, toJobRef } from '../../data/locator';
import { RetabRepository } from '../../data/repository';
import { codeBlock, codeSpan, commandLink, escapeMarkdown } from '../shared/markdown';
import { statusCodicon } from '../shared/statusIcons';
import { COMMANDS } from '../shared/names';
import { errorGuidance } from '../shared/errorGuidance';
import { withAbortSignal } from '../shared/cancellation';

const CONTEXT_WINDOW = 20_000;
/** Enough of the line to hold any id under the cursor (ids have at most 200 characters). */
const ID_WINDOW = 256;
const REQUEST_BUDGET_MS = 2_500;
const HOVER_TTL_MS = 10_000;

/**
 * Hovers on Retab ids in any text. Answers from memory when it can; otherwise makes at most one
 * time-bounded, cancellable request, so hovering never holds up typing.
 */
export class IdHoverProvider implements vscode.HoverProvider {
  private readonly cache = new ExpiringCache<string, vscode.MarkdownString>(HOVER_TTL_MS);

  constructor(
    private readonly repository: RetabRepository,
    private readonly locator: JobLocator,
    private readonly hasApiKey: () => Promise<boolean>,
  ) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    // Only the text near the cursor is read: a hover on a 5 MB single-line file must not scan it.
    const windowStart = Math.max(0, position.character - ID_WINDOW);
    const near = document.getText(new vscode.Range(position.line, windowStart, position.line, position.character + ID_WINDOW));
    const local = idAt(near, position.character - windowStart);
    if (!local) {
      return undefined;
    }
    const found: FoundId = { ...local, start: local.start + windowStart, end: local.end + windowStart };
    const range = new vscode.Range(position.line, found.start, position.line, found.end);
    const offset = document.offsetAt(range.start);
    const contextStart = Math.max(0, offset - CONTEXT_WINDOW);
    const contextEnd = document.offsetAt(document.positionAt(offset + CONTEXT_WINDOW));
    const text = document.getText(new vscode.Range(document.positionAt(contextStart), document.positionAt(contextEnd)));
    const nearby = nearestIds(text, offset - contextStart, { cutStart: contextStart > 0, cutEnd: contextEnd === offset + CONTEXT_WINDOW });
    const context = { ...nearby, ...ownField(found) };
    // Ids beside each other share a context: the hovered id decides what the hover is about.
    const cacheKey = `${found.kind} ${found.id} ${JSON.stringify(context)}`;
    const cached = this.cache.get(cacheKey);
    if (cached) {
      return new vscode.Hover(cached, range);
    }
    if (!(await this.hasApiKey())) {
      return new vscode.Hover(lookupOnly(found, context, l10n.t('Set a Retab API key to see details.')), range);
    }
    try {
      // Cancelled when the user moves away, or when the hover's own time budget runs out.
      const markdown = await withAbortSignal(token, (signal) =>
        this.describe(found, context, AbortSignal.any([signal, AbortSignal.timeout(REQUEST_BUDGET_MS)])),
      );
      if (token.isCancellationRequested) {
        return undefined;
      }
      this.cache.set(cacheKey, markdown);
      return new vscode.Hover(markdown, range);
    } catch (caught) {
      if (token.isCancellationRequested) {
        return undefined;
      }
      const error = toRetabError(caught, l10n.t('describing an id in a hover'));
      // Cancelled without the user moving away: the hover's own time budget ran out.
      const guidance = errorGuidance(error.kind === 'cancelled' ? { kind: 'timeout' } : error, l10n.t('the details'));
      const reason = `${guidance.title}. ${guidance.hint}${error.kind === 'cancelled' ? '' : `\n\n${error.describe()}`}`;
      return new vscode.Hover(lookupOnly(found, context, reason), range);
    }
  }

  private async describe(found: FoundId, context: PartialJobRef, signal: AbortSignal): Promise<vscode.MarkdownString> {
    const ref = this.locator.completeFromMemory(context);
    switch (found.kind) {
      case 'workflow': {
        const workflow = await this.repository.getWorkflow(found.id, signal);
        return workflowHover(workflow);
      }
      case 'experiment': {
        const experiment = this.repository.knownExperiment(found.id) ?? (await this.fetchExperiment(found.id, ref.workflowId, signal));
        return experiment ? experimentHover(experiment) : lookupOnly(found, context, l10n.t('Not loaded yet, and no workflow id nearby.'));
      }
      case 'run': {
        const run = this.repository.knownRun(found.id)?.run ?? (await this.fetchRun(found.id, ref, signal));
        return run ? runHover(run, ref) : lookupOnly(found, context, l10n.t('Not loaded yet, and no experiment id nearby.'));
      }
      case 'document':
      case 'job':
      case 'result': {
        const jobRef = toJobRef(ref) ?? (ref.jobId ? await this.repository.locateJob(ref.jobId, signal) : undefined);
        if (!jobRef) {
          return lookupOnly(found, context, l10n.t('Not loaded yet; the run and experiment are not in this file.'));
        }
        const job = this.repository.cachedJob(jobRef) ?? this.knownFinishedJob(jobRef) ?? (await this.repository.getJob(jobRef, { signal }));
        return jobHover(job, jobRef);
      }
    }
  }

  private knownFinishedJob(ref: JobRef): Job | undefined {
    const known = this.repository.knownDocument(ref.documentId, ref.runId)?.job;
    return known && isTerminal(known.status) ? known : undefined;
  }

  /** Servers that read experiments by id alone need no workflow id nearby. */
  private async fetchExperiment(experimentId: string, workflowId: string | undefined, signal: AbortSignal): Promise<Experiment | undefined> {
    if (!workflowId && !(await this.repository.dialect(signal)).capabilities.lookupById) {
      return undefined;
    }
    return this.repository.getExperiment(workflowId, experimentId, signal);
  }

  private async fetchRun(runId: string, ref: PartialJobRef, signal: AbortSignal): Promise<RunSummary | undefined> {
    if (!ref.workflowId || !ref.experimentId) {
      return (await this.repository.locateRun(runId, signal))?.run;
    }
    const runs = await this.repository.listRuns(ref.workflowId, ref.experimentId, { signal });
    return runs.find((run) => run.id === runId);
  }
}

function ownField(found: FoundId): PartialJobRef {
  return { [FIELD_BY_KIND[found.kind]]: found.id };
}

/**
 * Trusted for our two commands only. Every piece of server or user text goes through the
 * helpers of ../markdown (escaped text, unbreakable code spans, links only from safe ids).
 */
function markdown(): vscode.MarkdownString {
  const text = new vscode.MarkdownString('', true);
  text.isTrusted = { enabledCommands: [COMMANDS.openJob, COMMANDS.lookupJob] };
  return text;
}

function workflowHover(workflow: Workflow): vscode.MarkdownString {
  const md = markdown();
  md.appendMarkdown(l10n.t('$(type-hierarchy-sub) **Workflow** {0}\n\n', escapeMarkdown(workflow.name)));
  if (workflow.description) {
    md.appendMarkdown(`${escapeMarkdown(firstLine(workflow.description, 200))}\n\n`);
  }
  const updated = formatRelativeTime(workflow.updatedAt);
  if (updated) {
    md.appendMarkdown(l10n.t('Updated {0}', escapeMarkdown(updated)));
  }
  return md;
}

/** " · " between the parts that say something: an unknown value is left out, never shown as "—". */
function joinKnown(parts: ReadonlyArray<string | false | null | undefined>): string {
  return parts.filter((part): part is string => typeof part === 'string' && part !== '' && part !== '—').join(' · ');
}

function experimentHover(experiment: Experiment): vscode.MarkdownString {
  const md = markdown();
  md.appendMarkdown(l10n.t('$(beaker) **Experiment** {0}\n\n', escapeMarkdown(experiment.name)));
  md.appendMarkdown(
    joinKnown([
      l10n.t('{0} block', escapeMarkdown(experiment.blockKind)),
      `$(${statusCodicon(experiment.status)}) ${escapeMarkdown(experiment.status)}`,
      experiment.score !== null && l10n.t('score {0}', escapeMarkdown(formatScore(experiment.score))),
      l10n.t('{0} documents', experiment.documentCount),
    ]),
  );
  return md;
}

function runHover(run: RunSummary, ref: PartialJobRef): vscode.MarkdownString {
  const md = markdown();
  md.appendMarkdown(
    l10n.t(
      '$({0}) **Run** {1}\n\n',
      statusCodicon(run.status),
      joinKnown([escapeMarkdown(statusWord(run.status)), run.score !== null && l10n.t('score {0}', escapeMarkdown(formatScore(run.score)))]),
    ),
  );
  const started = formatRelativeTime(run.createdAt);
  md.appendMarkdown(
    escapeMarkdown(
      joinKnown([
        l10n.t('{0} documents', run.documentCount),
        l10n.t('{0} errors', run.errorCount),
        run.durationMs !== null && formatDuration(run.durationMs),
        started && l10n.t('started {0}', started),
      ]),
    ),
  );
  if (ref.experimentId) {
    md.appendMarkdown(l10n.t('\n\nExperiment {0}', codeSpan(ref.experimentId)));
  }
  return md;
}

function jobHover(job: Job, ref: JobRef): vscode.MarkdownString {
  const md = markdown();
  md.appendMarkdown(`$(${statusCodicon(job.status)}) **${escapeMarkdown(documentLabel(job))}** — ${escapeMarkdown(statusWord(job.status))}`);
  // A job that failed before it started has no duration: nothing is said rather than "· —".
  md.appendMarkdown(job.durationMs === null ? '\n\n' : ` · ${escapeMarkdown(formatDuration(job.durationMs))}\n\n`);
  if (job.error) {
    md.appendMarkdown(codeBlock(firstLine(job.error, 300)));
  }
  md.appendMarkdown(l10n.t('\nRun {0} · experiment {1}\n\n', codeSpan(ref.runId), codeSpan(ref.experimentId)));
  md.appendMarkdown(commandLink('link-external', l10n.t('Open Job'), COMMANDS.openJob, ref));
  return md;
}

function lookupOnly(found: FoundId, context: PartialJobRef, reason: string): vscode.MarkdownString {
  const md = markdown();
  md.appendMarkdown(l10n.t('**Retab {0}** {1}\n\n{2}\n\n', escapeMarkdown(found.kind), codeSpan(found.id), escapeMarkdown(reason)));
  md.appendMarkdown(
    commandLink(
      'search',
      l10n.t('Look Up…'),
      COMMANDS.lookupJob,
      Object.values(context).filter((id): id is string => typeof id === 'string'),
    ),
  );
  return md;
}
