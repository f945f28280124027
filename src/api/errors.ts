/**
 * Every failure the service can report, as one type the UI can branch on.
 * `kind` decides the way forward offered to the user (set a key, retry, look up another id).
 */
import { l10n } from '../l10n';
export type RetabErrorKind =
  | 'auth'
  | 'not_found'
  | 'conflict'
  | 'rate_limited'
  | 'server'
  | 'client'
  | 'network'
  | 'timeout'
  | 'cancelled'
  | 'invalid_response'
  | 'invalid_id'
  | 'no_key'
  | 'insecure_url'
  /** The server's answer was larger than the extension reads (or redirected somewhere the key may not go). */
  | 'too_large'
  | 'redirect'
  /** The key was verified for another server (origin); it is not sent here until the user allows it. */
  | 'key_origin'
  /** A bug in the extension itself (a TypeError, a broken invariant): neither the server nor the network. */
  | 'internal';

export interface RetabErrorDetails {
  status?: number;
  requestId?: string;
  retryAfterSeconds?: number;
  /** For invalid responses: the path of the offending field, e.g. `content.jobs[3].status`. */
  field?: string;
  /** The server's machine-readable error code, when it sent one. */
  code?: string;
  /** The route itself is missing (a 405, or a framework's bare 404): the server may speak another generation. */
  routeMissing?: boolean;
}

export class RetabError extends Error {
  readonly kind: RetabErrorKind;
  readonly status?: number;
  readonly requestId?: string;
  readonly retryAfterSeconds?: number;
  readonly field?: string;
  readonly code?: string;
  readonly routeMissing: boolean;

  constructor(kind: RetabErrorKind, message: string, details: RetabErrorDetails = {}) {
    super(message);
    this.name = 'RetabError';
    this.kind = kind;
    this.status = details.status;
    this.requestId = details.requestId;
    this.retryAfterSeconds = details.retryAfterSeconds;
    this.field = details.field;
    this.code = details.code;
    this.routeMissing = details.routeMissing ?? false;
  }

  /** One line for notifications and logs: message, then status and request id for support. */
  describe(): string {
    const extras: string[] = [];
    if (this.status !== undefined) {
      // l10n-exempt: an HTTP status reads the same in every language
      extras.push(`HTTP ${this.status}`);
    }
    if (this.requestId) {
      extras.push(l10n.t('request {0}', this.requestId));
    }
    return extras.length > 0 ? `${this.message} (${extras.join(', ')})` : this.message;
  }
}

/** Turns anything thrown into a RetabError so callers handle a single shape. */
/**
 * The one way a failure becomes what a person sees. A RetabError is what the client already made
 * of a network or server failure ('network', 'timeout', 'cancelled', …) and is returned as it is.
 * Anything else that was thrown is a bug in the extension (a TypeError, a broken invariant):
 * saying "cannot reach the API" would send the person to check a connection that is fine, so it
 * becomes an 'internal' error whose stack goes to the log its message names. `where` completes
 * "stopped …" ("loading the job").
 */
export function toRetabError(value: unknown, where = l10n.t('its work')): RetabError {
  if (value instanceof RetabError) {
    return value;
  }
  const detail = value instanceof Error ? `${value.name}: ${value.message}` : String(value);
  reportInternal(`Bug while ${where}: ${value instanceof Error && value.stack ? value.stack : detail}`);
  return new RetabError(
    'internal',
    l10n.t('A bug in the Retab extension stopped {0} ({1}). Details are in the log: run "Retab: Show Log".', where, clip(detail)),
  );
}

type Report = (line: string) => void;

/** Until the extension wires its output channel in (logChannel.ts), bugs go to the extension host's console. */
let report: Report = (line) => console.error(`[retab] ${line}`);

/** Where the stacks of internal errors go: the "Retab" log that "Retab: Show Log" opens. */
export function setInternalErrorReporter(next: Report): void {
  report = next;
}

function reportInternal(line: string): void {
  try {
    report(line);
  } catch {
    // Reporting a bug must not raise another.
  }
}

function clip(text: string): string {
  const line = text.split(/\r?\n/, 1)[0] ?? '';
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}

export function kindForStatus(status: number): RetabErrorKind {
  if (status === 401 || status === 403) {
    return 'auth';
  }
  if (status === 404) {
    return 'not_found';
  }
  if (status === 409) {
    return 'conflict';
  }
  if (status === 429) {
    return 'rate_limited';
  }
  if (status >= 500) {
    return 'server';
  }
  return 'client';
}
