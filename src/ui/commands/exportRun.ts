import { formatNumber } from '../../format';
import { l10n } from '../../l10n';
import * as vscode from 'vscode';
import { withAbortSignal } from '../shared/cancellation';
import { showErrorNotification } from '../shared/errorNotification';
import { csvLines, exportRows } from '../../analysis/runExport';
import { RetabRepository } from '../../data/repository';
import { RunNode } from '../tree/nodes';
import { PickedRun, pickRun } from './lookupJob';

const ROWS_PER_PROGRESS_STEP = 500;

/** "Export Run…": the run's documents as CSV or JSON, wherever the user chooses. */
export async function exportRun(repository: RetabRepository, given: RunNode | undefined, target?: vscode.Uri): Promise<vscode.Uri | undefined> {
  // A run row of the tree, or from the palette a run picked step by step.
  const node: PickedRun | undefined =
    given?.kind === 'run'
      ? {
          workflowId: given.parent.parent.workflow.id,
          experimentId: given.parent.experiment.id,
          experimentName: given.parent.experiment.name,
          run: given.run,
          number: given.number,
        }
      : await pickRun(repository);
  if (!node) {
    return undefined;
  }
  const { workflowId, experimentId } = node;
  const baseName = `${node.experimentName}-run-${node.number}`.replace(/[^\w.-]+/g, '_');
  const uri =
    target ??
    (await vscode.window.showSaveDialog({
      title: l10n.t('Retab: Export Run'),
      defaultUri: vscode.Uri.joinPath(vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(process.cwd()), `${baseName}.csv`),
      filters: { CSV: ['csv'], JSON: ['json'] },
    }));
  if (!uri) {
    return undefined;
  }
  try {
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: l10n.t('Retab: exporting run {0}', node.number), cancellable: true },
      (progress, token) =>
        withAbortSignal(token, async (signal) => {
          progress.report({ message: l10n.t('reading documents…') });
          // A big run is read page by page: the notification says how far, and the file waits for every document.
          const reading = repository.readRunContent(workflowId, experimentId, node.run.id, { signal });
          const total = node.run.totalDocumentCount || node.run.documentCount;
          const counting = reading.onDidRead(({ read, done }) => {
            if (!done) {
              progress.report({
                message: l10n.t('reading documents… {0} of {1}', formatNumber(read), formatNumber(Math.max(total, read))),
              });
            }
          });
          const [content, metrics] = await Promise.all([
            reading.whole(signal).finally(() => counting.dispose()),
            repository.getRunMetrics(workflowId, experimentId, node.run.id, { signal }).catch(() => undefined),
          ]);
          const scores = new Map<string, number | null>();
          if (metrics?.kind === 'summary') {
            for (const metric of metrics.documents) {
              scores.set(metric.id, metric.score);
            }
          }
          const rows = exportRows(content.jobs, scores);
          const text = uri.path.toLowerCase().endsWith('.json')
            ? JSON.stringify({ workflow_id: workflowId, experiment_id: experimentId, run_id: node.run.id, documents: rows }, null, 2)
            : await joinWithProgress(csvLines(rows), rows.length, progress, token);
          if (token.isCancellationRequested) {
            return;
          }
          await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
        }),
    );
    void vscode.window.showInformationMessage(l10n.t('Retab: exported run {0} to {1}.', node.number, uri.fsPath), l10n.t('Open')).then((choice) => {
      if (choice === l10n.t('Open')) {
        void vscode.window.showTextDocument(uri);
      }
    });
    return uri;
  } catch (caught) {
    if (caught instanceof vscode.FileSystemError) {
      // Writing the file failed (no space, no permission): neither the API nor a bug.
      void vscode.window.showErrorMessage(l10n.t('Retab: export failed: {0}', caught.message));
      return undefined;
    }
    void showErrorNotification(l10n.t('export the run'), caught);
    return undefined;
  }
}

/** Builds the file in steps, yielding between them so progress shows and the host stays responsive. */
async function joinWithProgress(
  lines: Iterable<string>,
  total: number,
  progress: vscode.Progress<{ message?: string; increment?: number }>,
  token: vscode.CancellationToken,
): Promise<string> {
  const out: string[] = [];
  for (const line of lines) {
    out.push(line);
    if (out.length % ROWS_PER_PROGRESS_STEP === 0) {
      progress.report({ message: l10n.t('{0} of {1} documents', out.length - 1, total), increment: (ROWS_PER_PROGRESS_STEP / Math.max(total, 1)) * 100 });
      await new Promise((resolve) => setImmediate(resolve));
      if (token.isCancellationRequested) {
        break;
      }
    }
  }
  return `${out.join('\r\n')}\r\n`;
}
