import * as vscode from 'vscode';
import { toRetabError } from '../../api/errors';
import { FoundId, JobRef, PartialJobRef, findIds, nearestIds } from '../../api/ids';
import { Experiment, Job, RunSummary, Workflow, documentLabel } from '../../api/models';
import { firstLine, formatDuration, formatRelativeTime, formatScore } from '../../format';
import { ExpiringCache } from '../../data/expiringCache';
import { JobLocator, toJobRef } from '../../data/locator';
import { RetabRepository } from '../../data/repository';
import { statusCodicon } from '../statusIcons';

const CONTEXT_WINDOW = 20_000;
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
    const line = document.lineAt(position.line).text;
    const found = findIds(line).find((candidate) => candidate.start <= position.character && position.character <= candidate.end);
    if (!found) {
      return undefined;
    }
    const range = new vscode.Range(position.line, found.start, position.line, found.end);
    const offset = document.offsetAt(range.start);
    const text = document.getText(
      new vscode.Range(document.positionAt(Math.max(0, offset - CONTEXT_WINDOW)), document.positionAt(offset + CONTEXT_WINDOW)),
    );
    const context = { ...nearestIds(text, Math.min(offset, CONTEXT_WINDOW)), ...ownField(found) };
    // Ids beside each other share a context: the hovered id decides what the hover is about.
    const cacheKey = `${found.kind} ${found.id} ${JSON.stringify(context)}`;
    const cached = this.cache.get(cacheKey);
    if (cached) {
      return new vscode.Hover(cached, range);
    }
    if (!(await this.hasApiKey())) {
      return new vscode.Hover(lookupOnly(found, context, 'Set a Retab API key to see details.'), range);
    }
    const controller = new AbortController();
    const subscription = token.onCancellationRequested(() => controller.abort());
    const timer = setTimeout(() => controller.abort(), REQUEST_BUDGET_MS);
    try {
      const markdown = await this.describe(found, context, controller.signal);
      if (token.isCancellationRequested) {
        return undefined;
      }
      this.cache.set(cacheKey, markdown);
      return new vscode.Hover(markdown, range);
    } catch (caught) {
      if (token.isCancellationRequested) {
        return undefined;
      }
      const error = toRetabError(caught);
      const reason = error.kind === 'cancelled' ? 'The Retab API did not answer in time.' : error.describe();
      return new vscode.Hover(lookupOnly(found, context, reason), range);
    } finally {
      clearTimeout(timer);
      subscription.dispose();
    }
  }

  private async describe(found: FoundId, context: PartialJobRef, signal: AbortSignal): Promise<vscode.MarkdownString> {
    const ref = this.locator.completeFromMemory(context);
    switch (found.kind) {
      case 'workflow': {
        const workflow = this.repository.knownWorkflow(found.id) ?? (await this.repository.client.getWorkflow(found.id, signal));
        return workflowHover(workflow);
      }
      case 'experiment': {
        const experiment = this.repository.knownExperiment(found.id) ?? (await this.fetchExperiment(found.id, ref.workflowId, signal));
        return experiment ? experimentHover(experiment) : lookupOnly(found, context, 'Not loaded yet, and no workflow id nearby.');
      }
      case 'run': {
        const run = this.repository.knownRun(found.id)?.run ?? (await this.fetchRun(found.id, ref, signal));
        return run ? runHover(run, ref) : lookupOnly(found, context, 'Not loaded yet, and no experiment id nearby.');
      }
      case 'document':
      case 'job': {
        const jobRef = toJobRef(ref);
        if (!jobRef) {
          return lookupOnly(found, context, 'Not loaded yet; the run and experiment are not in this file.');
        }
        const job =
          this.repository.cachedJob(jobRef) ?? this.knownFinishedJob(jobRef) ?? (await this.repository.getJob(jobRef, { signal }));
        return jobHover(job, jobRef);
      }
    }
  }

  private knownFinishedJob(ref: JobRef): Job | undefined {
    const known = this.repository.knownDocument(ref.documentId, ref.runId)?.job;
    return known && ['completed', 'error', 'cancelled', 'skipped'].includes(known.status) ? known : undefined;
  }

  private async fetchExperiment(experimentId: string, workflowId: string | undefined, signal: AbortSignal): Promise<Experiment | undefined> {
    if (!workflowId) {
      return undefined;
    }
    return this.repository.client.getExperiment(workflowId, experimentId, signal);
  }

  private async fetchRun(runId: string, ref: PartialJobRef, signal: AbortSignal): Promise<RunSummary | undefined> {
    if (!ref.workflowId || !ref.experimentId) {
      return undefined;
    }
    const runs = await this.repository.listRuns(ref.workflowId, ref.experimentId, { signal });
    return runs.find((run) => run.id === runId);
  }
}

function ownField(found: FoundId): PartialJobRef {
  const fields = { workflow: 'workflowId', experiment: 'experimentId', run: 'runId', document: 'documentId', job: 'jobId' } as const;
  return { [fields[found.kind]]: found.id };
}

function markdown(): vscode.MarkdownString {
  const text = new vscode.MarkdownString('', true);
  // Only our own commands may run from a hover link; server text cannot add others.
  text.isTrusted = { enabledCommands: ['retab.openJob', 'retab.lookupJob'] };
  return text;
}

function commandLink(label: string, command: string, args: unknown): string {
  return `[${label}](command:${command}?${encodeURIComponent(JSON.stringify([args]))})`;
}

function text(value: string): string {
  return value.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, (char) => `\\${char}`);
}

function workflowHover(workflow: Workflow): vscode.MarkdownString {
  const md = markdown();
  md.appendMarkdown(`$(type-hierarchy-sub) **Workflow** ${text(workflow.name)}\n\n`);
  if (workflow.description) {
    md.appendMarkdown(`${text(firstLine(workflow.description, 200))}\n\n`);
  }
  md.appendMarkdown(`Updated ${formatRelativeTime(workflow.updatedAt)}`);
  return md;
}

function experimentHover(experiment: Experiment): vscode.MarkdownString {
  const md = markdown();
  md.appendMarkdown(`$(beaker) **Experiment** ${text(experiment.name)}\n\n`);
  md.appendMarkdown(
    `${experiment.blockKind} block · $(${statusCodicon(experiment.status)}) ${experiment.status} · score ${formatScore(experiment.score)}`,
  );
  if (experiment.documentCount !== null) {
    md.appendMarkdown(` · ${experiment.documentCount} documents`);
  }
  return md;
}

function runHover(run: RunSummary, ref: PartialJobRef): vscode.MarkdownString {
  const md = markdown();
  md.appendMarkdown(`$(${statusCodicon(run.status)}) **Run** ${run.status} · score ${formatScore(run.score)}\n\n`);
  md.appendMarkdown(`${run.documentCount ?? '—'} documents · ${run.errorCount ?? 0} errors · ${formatDuration(run.durationMs)}`);
  md.appendMarkdown(` · started ${formatRelativeTime(run.createdAt)}`);
  if (ref.experimentId) {
    md.appendMarkdown(`\n\nExperiment \`${ref.experimentId}\``);
  }
  return md;
}

function jobHover(job: Job, ref: JobRef): vscode.MarkdownString {
  const md = markdown();
  md.appendMarkdown(`$(${statusCodicon(job.status)}) **${text(documentLabel(job))}** — ${job.status}`);
  md.appendMarkdown(` · ${formatDuration(job.durationMs)}\n\n`);
  if (job.error) {
    md.appendCodeblock(firstLine(job.error, 300), 'text');
  }
  md.appendMarkdown(`Run \`${ref.runId}\` · experiment \`${ref.experimentId}\`\n\n`);
  md.appendMarkdown(commandLink('$(link-external) Open Job', 'retab.openJob', ref));
  return md;
}

function lookupOnly(found: FoundId, context: PartialJobRef, reason: string): vscode.MarkdownString {
  const md = markdown();
  md.appendMarkdown(`**Retab ${found.kind}** \`${found.id}\`\n\n${text(reason)}\n\n`);
  const pasted = Object.values(context).join(' ');
  md.appendMarkdown(commandLink('$(search) Look Up…', 'retab.lookupJob', pasted));
  return md;
}
