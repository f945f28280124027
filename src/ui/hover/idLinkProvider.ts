import * as vscode from 'vscode';
import { findIds, nearestIds } from '../../api/ids';
import { JobLocator, toJobRef } from '../../data/locator';

const MAX_SCANNED_CHARACTERS = 500_000;
const MAX_LINKS = 2_000;

/**
 * Makes document and job ids clickable where they can be placed from memory and from the ids
 * beside them; never makes a request, because links are computed for whole files at once.
 */
export class IdLinkProvider implements vscode.DocumentLinkProvider {
  constructor(private readonly locator: JobLocator) {}

  provideDocumentLinks(document: vscode.TextDocument, token: vscode.CancellationToken): vscode.DocumentLink[] {
    const text = document.getText().slice(0, MAX_SCANNED_CHARACTERS);
    const links: vscode.DocumentLink[] = [];
    for (const found of findIds(text)) {
      if (token.isCancellationRequested || links.length >= MAX_LINKS) {
        break;
      }
      if (found.kind !== 'document' && found.kind !== 'job') {
        continue;
      }
      const context = nearestIds(text.slice(Math.max(0, found.start - 2000), found.end + 2000), Math.min(found.start, 2000));
      const field = found.kind === 'document' ? 'documentId' : 'jobId';
      const ref = toJobRef(this.locator.completeFromMemory({ ...context, [field]: found.id }));
      if (!ref) {
        continue;
      }
      const target = vscode.Uri.parse(`command:retab.openJob?${encodeURIComponent(JSON.stringify([ref]))}`);
      const link = new vscode.DocumentLink(new vscode.Range(document.positionAt(found.start), document.positionAt(found.end)), target);
      link.tooltip = 'Open this job in the Retab panel';
      links.push(link);
    }
    return links;
  }
}
