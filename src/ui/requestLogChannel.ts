import * as vscode from 'vscode';
import { RequestRecord } from '../api/requestLog';

/** One line per HTTP attempt in the "Retab" output channel; records never carry the key. */
export function logRequest(channel: vscode.LogOutputChannel, record: RequestRecord): void {
  const status = record.status ?? '---';
  const requestId = record.requestId ? ` ${record.requestId}` : '';
  const line = `${record.method} ${record.path} → ${status} in ${record.durationMs} ms${requestId}`;
  if (record.outcome === 'retry') {
    channel.warn(`${record.method} ${record.path} attempt ${record.attempt}: ${record.message ?? ''}`);
  } else if (record.outcome === 'error') {
    channel.error(`${line}: ${record.message ?? ''}`);
  } else {
    channel.info(line);
  }
}
