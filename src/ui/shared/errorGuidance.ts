import { l10n } from '../../l10n';
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

const genericGuidance = (): Entry => ({
  title: l10n.t('Could not load %s'),
  short: l10n.t('Could not load'),
  hint: l10n.t('The server answered with an error. Retry, or check the log.'),
  actions: RETRY_OR_LOG,
});

/**
 * One entry per error kind (a Record: a new kind does not compile until it is said here). `%s`
 * in a text is what failed to load ("the job", "the field scores"); `%status` the HTTP status.
 */
const guidanceByKind = (): Readonly<Record<RetabErrorKind, Entry>> => ({
  auth: {
    title: l10n.t('The API key was rejected'),
    short: l10n.t('API key rejected'),
    hint: l10n.t('Set a valid Retab API key, then retry.'),
    actions: ['setApiKey', 'retry'],
  },
  no_key: { title: l10n.t('No API key is set'), short: l10n.t('No API key set'), hint: l10n.t('Set your Retab API key to load %s.'), actions: ['setApiKey'] },
  key_origin: {
    title: l10n.t('The API key is not sent to this server yet'),
    short: l10n.t('Key not sent to this server'),
    hint: l10n.t('It was verified for another server than retab.apiBaseUrl names now. Allow it only for a server you trust.'),
    actions: ['useKeyForBaseUrl', 'openSettings'],
  },
  network: {
    title: l10n.t('Cannot reach the Retab API'),
    short: l10n.t('Cannot reach Retab'),
    hint: l10n.t('Check your connection and the retab.apiBaseUrl setting, then retry.'),
    actions: ['retry', 'openSettings', 'showLog'],
  },
  timeout: {
    title: l10n.t('The Retab API did not answer in time'),
    short: l10n.t('Retab did not answer in time'),
    hint: l10n.t('Retry, or raise retab.requestTimeoutSeconds.'),
    actions: ['retry', 'openSettings'],
  },
  rate_limited: {
    title: l10n.t('Rate limited by Retab'),
    short: l10n.t('Rate limited by Retab'),
    hint: l10n.t('Wait a moment, then retry.'),
    actions: ['retry'],
  },
  server: {
    title: l10n.t('The Retab API failed%status'),
    short: l10n.t('Server error%status'),
    hint: l10n.t('The server answered with an error. Retry, or check the log.'),
    actions: RETRY_OR_LOG,
  },
  client: {
    title: l10n.t('The Retab API refused the request%status'),
    short: l10n.t('Request refused%status'),
    hint: l10n.t('The log has the server’s answer.'),
    actions: RETRY_OR_LOG,
  },
  conflict: {
    title: l10n.t('The Retab API refused: a conflict'),
    short: l10n.t('Conflict on the server'),
    hint: l10n.t('Something changed on the server meanwhile. Retry.'),
    actions: RETRY_OR_LOG,
  },
  not_found: {
    title: l10n.t('Not found on the server'),
    short: l10n.t('Not found on the server'),
    hint: l10n.t('It may have been deleted, or belong to another account. Refresh the view.'),
    actions: ['retry'],
  },
  invalid_response: {
    title: l10n.t('Unexpected answer from the Retab API'),
    short: l10n.t('Unexpected answer from Retab'),
    hint: l10n.t('The server sent %s in a shape this extension does not read. The log names the field.'),
    actions: ['showLog', 'retry'],
  },
  invalid_id: { title: l10n.t('Not a Retab id'), short: l10n.t('Not a Retab id'), hint: l10n.t('Check the id and try again.'), actions: ['retry'] },
  insecure_url: {
    title: l10n.t('The API base URL was refused'),
    short: l10n.t('API base URL refused'),
    hint: l10n.t('The key is only sent over https, or over http to this machine.'),
    actions: ['openSettings'],
  },
  too_large: {
    title: l10n.t('The answer was too large to read'),
    short: l10n.t('Answer too large to read'),
    hint: l10n.t('The server sent more than this extension reads for %s.'),
    actions: ['showLog', 'retry'],
  },
  redirect: {
    title: l10n.t('A redirect was refused'),
    short: l10n.t('Redirect refused'),
    hint: l10n.t('The server sent the request to another address; the key goes only to retab.apiBaseUrl.'),
    actions: ['openSettings', 'showLog'],
  },
  cancelled: { title: l10n.t('Cancelled'), short: l10n.t('Cancelled'), hint: l10n.t('Retry to load %s.'), actions: ['retry'] },
  internal: {
    title: l10n.t('A bug in the Retab extension'),
    short: l10n.t('Extension bug (see the log)'),
    hint: l10n.t('This is not a problem with the Retab API or your connection. The log has the details for a bug report.'),
    actions: ['showLog', 'retry'],
  },
});

/**
 * What the user reads about an error and what they can do, for any view. A kind that is not in
 * the table (a state restored from elsewhere, or a name like "constructor" that a plain lookup
 * would find on the prototype) reads as a server error.
 */
export function errorGuidance(error: { kind: RetabErrorKind; status?: number }, what = 'this'): ErrorGuidance {
  const table = guidanceByKind();
  const entry = Object.hasOwn(table, error.kind) ? table[error.kind] : genericGuidance();
  // %status first: %s is its prefix.
  const fill = (text: string, status: string): string => text.replace('%status', error.status === undefined ? '' : status).replace('%s', what);
  return {
    title: fill(entry.title, l10n.t(' (HTTP {0})', error.status ?? '')),
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
export const errorActionLabels = (): Readonly<Record<ErrorAction, string>> => ({
  retry: l10n.t('Retry'),
  setApiKey: l10n.t('Set API Key'),
  useKeyForBaseUrl: l10n.t('Use API Key for This Server…'),
  openSettings: l10n.t('Open Settings'),
  showLog: l10n.t('Show Log'),
});
