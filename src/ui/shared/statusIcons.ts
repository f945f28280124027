import * as vscode from 'vscode';
import { ExperimentStatus, JobStatus, RunStatus } from '../../api/models';

type AnyStatus = JobStatus | RunStatus | ExperimentStatus;

const ICONS: Record<AnyStatus, [icon: string, color: string | undefined]> = {
  completed: ['pass', 'testing.iconPassed'],
  error: ['error', 'testing.iconFailed'],
  failed: ['error', 'testing.iconFailed'],
  running: ['sync~spin', 'charts.blue'],
  processing: ['sync~spin', 'charts.blue'],
  pending: ['clock', 'testing.iconQueued'],
  queued: ['clock', 'testing.iconQueued'],
  cancelled: ['circle-slash', 'disabledForeground'],
  skipped: ['debug-step-over', 'testing.iconSkipped'],
  draft: ['edit', undefined],
  unknown: ['question', undefined],
};

export function statusIcon(status: AnyStatus): vscode.ThemeIcon {
  const [icon, color] = ICONS[status];
  return new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
}

/** The codicon name, for MarkdownString tooltips and hovers (`$(name)`). */
export function statusCodicon(status: AnyStatus): string {
  return ICONS[status][0];
}
