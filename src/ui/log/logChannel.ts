import { l10n } from '../../l10n';
import { setInternalErrorReporter } from '../../api/errors';
import * as vscode from 'vscode';
import { RequestRecord } from '../../api/requestLog';
import { registerCommand } from '../shared/registerCommand';
import { COMMANDS } from '../shared/names';

/**
 * The "Retab" log: requests, detection, and the stacks of our own bugs, which the "internal"
 * error messages point to. "Retab: Show Log" opens it.
 */
export function registerLog(context: vscode.ExtensionContext): vscode.LogOutputChannel {
  const log = vscode.window.createOutputChannel('Retab', { log: true });
  context.subscriptions.push(log);
  setInternalErrorReporter((line) => log.error(line));
  registerCommand(context, COMMANDS.showLog, () => log.show());
  return log;
}

/** One line per HTTP attempt in the "Retab" output channel; records never carry the key. */
export function logRequest(channel: vscode.LogOutputChannel, record: RequestRecord): void {
  const status = record.status ?? '---';
  const requestId = record.requestId ? ` ${record.requestId}` : '';
  const line = l10n.t('{0} {1} → {2} in {3} ms{4}', record.method, record.path, status, record.durationMs, requestId);
  if (record.outcome === 'retry') {
    channel.warn(`${record.method} ${record.path} attempt ${record.attempt}: ${record.message ?? ''}`);
  } else if (record.outcome === 'error') {
    channel.error(`${line}: ${record.message ?? ''}`);
  } else {
    channel.info(line);
  }
}
