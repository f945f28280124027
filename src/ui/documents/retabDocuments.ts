import { l10n } from '../../l10n';
import { toRetabError } from '../../api/errors';
import * as vscode from 'vscode';
import { JobRef, assertSafeId } from '../../api/ids';
import { DocumentFields, Unavailable } from '../../api/models';
import { RetabRepository } from '../../data/repository';
import { jsonText } from '../shared/jsonText';
import { withAbortSignal } from '../shared/cancellation';
import { fieldValueText, isFieldValueUri } from './fieldValueDocument';
import { RETAB_SCHEME } from './retabScheme';

export { RETAB_SCHEME };

/** `retab:/artifact/extraction/ext_123.json`: an artifact's backing record. */
export function artifactUri(operation: string, id: string): vscode.Uri {
  return vscode.Uri.from({ scheme: RETAB_SCHEME, path: `/artifact/${assertSafeId(operation, 'Operation')}/${assertSafeId(id, 'Artifact id')}.json` });
}

/** `retab:/job/wf/exp/run/doc.json`: one document's job in a run, as the server sent it. */
export function jobUri(ref: JobRef, label: string): vscode.Uri {
  const parts = [ref.workflowId, ref.experimentId, ref.runId, ref.documentId].map((id) => assertSafeId(id, 'Id'));
  return vscode.Uri.from({ scheme: RETAB_SCHEME, path: `/job/${parts.join('/')}.json`, fragment: label });
}

/** `retab:/fields/wf/exp/run/doc.json`: a document's fields in a run, each with its score and consensus value. */
export function fieldsUri(ref: JobRef, label: string): vscode.Uri {
  const parts = [ref.workflowId, ref.experimentId, ref.runId, ref.documentId].map((id) => assertSafeId(id, 'Id'));
  return vscode.Uri.from({ scheme: RETAB_SCHEME, path: `/fields/${parts.join('/')}.json`, fragment: label });
}

/** `retab:/error/wf/exp/run/doc.txt`: the whole error text of a job, however long. */
export function errorUri(ref: JobRef): vscode.Uri {
  const parts = [ref.workflowId, ref.experimentId, ref.runId, ref.documentId].map((id) => assertSafeId(id, 'Id'));
  return vscode.Uri.from({ scheme: RETAB_SCHEME, path: `/error/${parts.join('/')}.txt` });
}

/**
 * Serves server records as read-only JSON documents, so search, folding, copy and the diff
 * editor work on them as on any file.
 */
export class RetabDocumentProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly repository: RetabRepository) {}

  async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
    try {
      return await withAbortSignal(token, (signal) => this.content(uri, signal));
    } catch (caught) {
      const error = toRetabError(caught, l10n.t('loading {0}', uri.path));
      throw new Error(`Retab: could not load ${uri.path}: ${error.describe()}`);
    }
  }

  private async content(uri: vscode.Uri, signal: AbortSignal): Promise<string> {
    const segments = uri.path
      .replace(/\.(json|txt)$/, '')
      .split('/')
      .filter(Boolean);
    if (segments[0] === 'fields' && segments.length === 5) {
      const [, workflowId, experimentId, runId, documentId] = segments;
      const fields = await this.repository.getDocumentFields({ workflowId, experimentId, runId, documentId }, { signal });
      return `${jsonText(fieldsDocument(fields), { indent: 2 })}\n`;
    }
    if (segments[0] === 'error' && segments.length === 5) {
      const [, workflowId, experimentId, runId, documentId] = segments;
      const job = await this.repository.getJob({ workflowId, experimentId, runId, documentId }, { signal });
      return job.error ?? l10n.t('(this job has no error)');
    }
    if (segments[0] === 'artifact' && segments.length === 3) {
      const record = await this.repository.getArtifact(segments[1], segments[2], { signal });
      return `${jsonText(record, { indent: 2 })}\n`;
    }
    if (segments[0] === 'job' && segments.length === 5) {
      const [, workflowId, experimentId, runId, documentId] = segments;
      const job = await this.repository.getJob({ workflowId, experimentId, runId, documentId }, { signal });
      return `${jsonText(job.raw, { indent: 2 })}\n`;
    }
    if (isFieldValueUri(uri)) {
      return fieldValueText(this.repository, uri, signal);
    }
    return l10n.t('// Unknown Retab document: {0}\n', uri.path);
  }
}

/**
 * Field path → score and consensus value, sorted by path so that two runs line up in the diff
 * editor and a changed score or value is one highlighted line.
 */
function fieldsDocument(fields: DocumentFields | Unavailable): unknown {
  if (fields.kind === 'unavailable') {
    return { unavailable: fields.reason, message: fields.message };
  }
  const byPath = new Map(
    [...fields.fields]
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
      .map((field) => [field.path, { score: field.score, consensus: field.value }]),
  );
  return { document_score: fields.score, fields: Object.fromEntries(byPath) };
}
