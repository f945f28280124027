import { RetabErrorKind } from '../../api/errors';
import { COMMANDS } from './names';

/**
 * The ways forward an error can offer. Each view turns them into its own controls (a tree row's
 * command, a panel button, a hover link, a notification button); what they mean is the same.
 */
export type ErrorAction = 'retry' | 'setApiKey' | 'useKeyForBaseUrl' | 'openSettings' | 'showLog';

export interface ErrorGuidance {
  /** A heading: "Cannot reach the Retab API". */
  title: string;
  /** A tree row, read whole at the default sidebar width: "Cannot reach Retab". */
  short: string;
  /** What to do, in a sentence. */
  hint: string;
  /** The first is the main one. */
  actions: readonly ErrorAction[];
}

interface Entry {
  title: string;
  short: string;
  hint: string;
  actions: readonly ErrorAction[];
}

const RETRY_OR_LOG: readonly ErrorAction[] = ['retry', 'showLog'];

const GENERIC: Entry = {
  title: 'Could not load %s',
  short: 'Could not load',
  hint: 'The server answered with an error. Retry, or check the log.',
  actions: RETRY_OR_LOG,
};

/**
 * One entry per error kind (a Record: a new kind does not compile until it is said here). `%s`
 * in a text is what failed to load ("the job", "the field scores"); `%status` the HTTP status.
 */
const GUIDANCE: Readonly<Record<RetabErrorKind, Entry>> = {
  auth: { title: 'The API key was rejected', short: 'API key rejected', hint: 'Set a valid Retab API key, then retry.', actions: ['setApiKey', 'retry'] },
  no_key: { title: 'No API key is set', short: 'No API key set', hint: 'Set your Retab API key to load %s.', actions: ['setApiKey'] },
  key_origin: {
    title: 'The API key is not sent to this server yet',
    short: 'Key not sent to this server',
    hint: 'It was verified for another server than retab.apiBaseUrl names now. Allow it only for a server you trust.',
    actions: ['useKeyForBaseUrl', 'openSettings'],
  },
  network: {
    title: 'Cannot reach the Retab API',
    short: 'Cannot reach Retab',
    hint: 'Check your connection and the retab.apiBaseUrl setting, then retry.',
    actions: ['retry', 'openSettings', 'showLog'],
  },
  timeout: {
    title: 'The Retab API did not answer in time',
    short: 'Retab did not answer in time',
    hint: 'Retry, or raise retab.requestTimeoutSeconds.',
    actions: ['retry', 'openSettings'],
  },
  rate_limited: { title: 'Rate limited by Retab', short: 'Rate limited by Retab', hint: 'Wait a moment, then retry.', actions: ['retry'] },
  server: {
    title: 'The Retab API failed%status',
    short: 'Server error%status',
    hint: 'The server answered with an error. Retry, or check the log.',
    actions: RETRY_OR_LOG,
  },
  client: {
    title: 'The Retab API refused the request%status',
    short: 'Request refused%status',
    hint: 'The log has the server’s answer.',
    actions: RETRY_OR_LOG,
  },
  conflict: {
    title: 'The Retab API refused: a conflict',
    short: 'Conflict on the server',
    hint: 'Something changed on the server meanwhile. Retry.',
    actions: RETRY_OR_LOG,
  },
  not_found: {
    title: 'Not found on the server',
    short: 'Not found on the server',
    hint: 'It may have been deleted, or belong to another account. Refresh the view.',
    actions: ['retry'],
  },
  invalid_response: {
    title: 'Unexpected answer from the Retab API',
    short: 'Unexpected answer from Retab',
    hint: 'The server sent %s in a shape this extension does not read. The log names the field.',
    actions: ['showLog', 'retry'],
  },
  invalid_id: { title: 'Not a Retab id', short: 'Not a Retab id', hint: 'Check the id and try again.', actions: ['retry'] },
  insecure_url: {
    title: 'The API base URL was refused',
    short: 'API base URL refused',
    hint: 'The key is only sent over https, or over http to this machine.',
    actions: ['openSettings'],
  },
  too_large: {
    title: 'The answer was too large to read',
    short: 'Answer too large to read',
    hint: 'The server sent more than this extension reads for %s.',
    actions: ['showLog', 'retry'],
  },
  redirect: {
    title: 'A redirect was refused',
    short: 'Redirect refused',
    hint: 'The server sent the request to another address; the key goes only to retab.apiBaseUrl.',
    actions: ['openSettings', 'showLog'],
  },
  cancelled: { title: 'Cancelled', short: 'Cancelled', hint: 'Retry to load %s.', actions: ['retry'] },
  internal: {
    title: 'A bug in the Retab extension',
    short: 'Extension bug (see the log)',
    hint: 'This is not a problem with the Retab API or your connection. The log has the details for a bug report.',
    actions: ['showLog', 'retry'],
  },
};

/**
 * What the user reads about an error and what they can do, for any view. A kind that is not in
 * the table (a state restored from elsewhere, or a name like "constructor" that a plain lookup
 * would find on the prototype) reads as a server error.
 */
export function errorGuidance(error: { kind: RetabErrorKind; status?: number }, what = 'this'): ErrorGuidance {
  const entry = Object.hasOwn(GUIDANCE, error.kind) ? GUIDANCE[error.kind] : GENERIC;
  // %status first: %s is its prefix.
  const fill = (text: string, status: string): string => text.replace('%status', error.status === undefined ? '' : status).replace('%s', what);
  return {
    title: fill(entry.title, ` (HTTP ${error.status})`),
    short: fill(entry.short, ` ${error.status}`),
    hint: fill(entry.hint, ''),
    actions: entry.actions,
  };
}

/**
 * The command each way forward runs, with its arguments: one meaning for a tree row, a panel
 * button and a notification button. Retry is not here: each view retries what it was loading.
 */
export const ERROR_ACTION_COMMANDS: Readonly<Record<Exclude<ErrorAction, 'retry'>, readonly [string, ...string[]]>> = {
  setApiKey: [COMMANDS.setApiKey],
  useKeyForBaseUrl: [COMMANDS.useKeyForBaseUrl],
  openSettings: ['workbench.action.openSettings', 'retab.'],
  showLog: [COMMANDS.showLog],
};

/** Labels of the actions where they are buttons or links. */
export const ERROR_ACTION_LABELS: Readonly<Record<ErrorAction, string>> = {
  retry: 'Retry',
  setApiKey: 'Set API Key',
  useKeyForBaseUrl: 'Use API Key for This Server…',
  openSettings: 'Open Settings',
  showLog: 'Show Log',
};
