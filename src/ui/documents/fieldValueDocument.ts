/**
 * One field's value from its votes (a row's consensus or one voter's value), as a read-only
 * `retab:` document: the panel shows the first 500 characters of a value and "Show All" opens the
 * whole of it here, where search, folding and copy work. The votes come through the repository,
 * which already holds them (the panel just showed them), so opening one sends no request.
 *
 * `retab:/value/wf/exp/run/doc/<label>.txt?path=…&row=0&voter=2`: the four ids in the path (each a
 * safe id), the field path and position in the query (the path is server text, so never a path
 * segment), and a label of safe characters that only names the tab.
 */
import { l10n } from '../../l10n';
import * as vscode from 'vscode';
import { JobRef, assertSafeId } from '../../api/ids';
import { RetabRepository } from '../../data/repository';
import { jsonText } from '../shared/jsonText';
import { RETAB_SCHEME } from './retabScheme';

export interface VoteValueAt {
  row: number;
  /** Absent: the row's consensus. */
  voter?: number;
}

/** Longer field paths are not ones a server sends; refusing them keeps the URI bounded. */
const MAX_PATH_LENGTH = 2_000;

export function fieldValueUri(ref: JobRef, path: string, at: VoteValueAt, kind: 'text' | 'json'): vscode.Uri {
  const ids = [ref.workflowId, ref.experimentId, ref.runId, ref.documentId].map((id) => assertSafeId(id, 'Id'));
  // l10n-exempt: a document's path (its tab's name): URIs stay the same whatever the language
  const whose = at.voter === undefined ? 'consensus' : `voter ${at.voter + 1}`;
  // l10n-exempt: as above
  const label = `${path} row ${at.row + 1} ${whose}`.replace(/[^A-Za-z0-9._ -]/g, '_').slice(0, 80);
  const query = new URLSearchParams({ path, row: String(at.row), ...(at.voter === undefined ? {} : { voter: String(at.voter) }) });
  return vscode.Uri.from({ scheme: RETAB_SCHEME, path: `/value/${ids.join('/')}/${label}.${kind === 'text' ? 'txt' : 'json'}`, query: query.toString() });
}

/** Whether a `retab:` URI is one of these (for the document provider to hand it here). */
export function isFieldValueUri(uri: vscode.Uri): boolean {
  return uri.scheme === RETAB_SCHEME && uri.path.startsWith('/value/');
}

/** The document's text: a text value as it is, any other value as indented JSON. */
export async function fieldValueText(repository: RetabRepository, uri: vscode.Uri, signal?: AbortSignal): Promise<string> {
  const segments = uri.path.split('/').filter(Boolean);
  const query = new URLSearchParams(uri.query);
  const path = query.get('path');
  const row = indexParam(query.get('row'));
  const voterParam = query.get('voter');
  const voter = voterParam === null ? undefined : indexParam(voterParam);
  if (
    segments.length !== 6 ||
    segments[0] !== 'value' ||
    !path ||
    path.length > MAX_PATH_LENGTH ||
    row === undefined ||
    (voterParam !== null && voter === undefined)
  ) {
    return l10n.t('// Not a Retab field value: {0}\n', uri.toString());
  }
  // The last segment is the tab's label: only the four ids are read from the path.
  const [workflowId, experimentId, runId, documentId] = segments.slice(1, 5).map((segment) => assertSafeId(segment, 'Id'));
  const votes = await repository.getFieldVotes({ workflowId, experimentId, runId, documentId }, path, { signal });
  if (votes.kind === 'unavailable') {
    return l10n.t('// No votes for this field: {0}{1}\n', votes.reason, votes.message ? ` (${votes.message})` : '');
  }
  const voteRow = votes.rows.at(row);
  if (!voteRow || (voter !== undefined && voter >= voteRow.votes.length)) {
    return l10n.t('// The votes of {0} have no such value (row {1}{2}).\n', path, row + 1, voter === undefined ? '' : `, voter ${voter + 1}`);
  }
  const value = voter === undefined ? voteRow.consensus : voteRow.votes[voter];
  return typeof value === 'string' ? value : `${jsonText(value, { indent: 2 })}\n`;
}

function indexParam(value: string | null): number | undefined {
  if (value === null || !/^\d{1,7}$/.test(value)) {
    return undefined;
  }
  return Number(value);
}
