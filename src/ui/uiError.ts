import { RetabError } from '../api/errors';

/**
 * What the UI reports for anything it caught. The client already turns network failures into
 * RetabErrors ('network', 'timeout', 'cancelled'), so anything else that reaches the UI (a
 * TypeError, a RangeError) is a bug in the extension: saying "Cannot reach the Retab API" would
 * send the user to check a connection that is fine.
 */
export function toUiError(caught: unknown, where: string): RetabError {
  if (caught instanceof RetabError) {
    return caught;
  }
  const detail = caught instanceof Error ? `${caught.name}: ${caught.message}` : String(caught);
  logInternal(`Bug while ${where}: ${caught instanceof Error && caught.stack ? caught.stack : detail}`);
  return new RetabError('internal', `A bug in the Retab extension stopped ${where} (${clip(detail)}). Details are in the log: run "Retab: Show Log".`);
}

type LogLine = (line: string) => void;

/** Until the extension wires its output channel in, bugs go to the extension host's console. */
let logLine: LogLine = (line) => console.error(`[retab] ${line}`);

/** Sends the stacks of internal errors to the "Retab" log that "Retab: Show Log" opens. */
export function setInternalErrorLog(log: LogLine): void {
  logLine = log;
}

function logInternal(line: string): void {
  try {
    logLine(line);
  } catch {
    // Reporting a bug must not raise another.
  }
}

function clip(text: string): string {
  const line = text.split(/\r?\n/, 1)[0] ?? '';
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}
