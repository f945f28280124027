import { l10n } from '../../l10n';
import * as vscode from 'vscode';
import { RunSummary, numberedRuns } from '../../api/models';
import { formatRelativeTime, formatScore, statusWord } from '../../format';

export interface RunPick extends vscode.QuickPickItem {
  runId: string;
}

/** Quick-pick rows for runs (newest first): "Run 6", its status, score and age, its id. */
export function runPicks(runs: readonly RunSummary[], except?: string): RunPick[] {
  return numberedRuns(runs)
    .filter(({ run }) => run.id !== except)
    .map(({ run, number }) => ({
      label: l10n.t('Run {0}', number),
      description: `${statusWord(run.status)} · ${formatScore(run.score)} · ${formatRelativeTime(run.createdAt)}`,
      detail: run.id,
      runId: run.id,
    }));
}
