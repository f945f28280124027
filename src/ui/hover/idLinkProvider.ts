import { l10n } from '../../l10n';
import * as vscode from 'vscode';
import { FIELD_BY_KIND, contextsOf, findIds } from '../../api/ids';
import { JobLocator, toJobRef } from '../../data/locator';
import { commandUri } from '../shared/markdown';
import { COMMANDS } from '../shared/names';

/** Links are computed for whole files at once: every bound here keeps a 5 MB file cheap. */
const MAX_SCANNED_CHARACTERS = 500_000;
const MAX_IDS = 20_000;
const MAX_LINKS = 2_000;
const CONTEXT_DISTANCE = 2_000;

/**
 * Makes document and job ids clickable where they can be placed from memory and from the ids
 * beside them; never makes a request.
 */
export class IdLinkProvider implements vscode.DocumentLinkProvider {
  constructor(private readonly locator: JobLocator) {}

  provideDocumentLinks(document: vscode.TextDocument, token: vscode.CancellationToken): vscode.DocumentLink[] {
    const scannedEnd = document.positionAt(MAX_SCANNED_CHARACTERS);
    const text = document.getText(new vscode.Range(new vscode.Position(0, 0), scannedEnd));
    const cut = document.offsetAt(scannedEnd) === MAX_SCANNED_CHARACTERS;
    // One pass finds the ids, one more gives each its neighbours: no scan per id.
    const found = findIds(text, { limit: MAX_IDS, cutEnd: cut });
    const contextAt = contextsOf(found, CONTEXT_DISTANCE);
    const links: vscode.DocumentLink[] = [];
    for (let index = 0; index < found.length && links.length < MAX_LINKS; index++) {
      if (index % 1_000 === 0 && token.isCancellationRequested) {
        break;
      }
      const current = found[index];
      const field = FIELD_BY_KIND[current.kind];
      if (field !== 'documentId' && field !== 'jobId') {
        continue;
      }
      const ref = toJobRef(this.locator.completeFromMemory(contextAt(index)));
      const target = ref && commandUri(COMMANDS.openJob, ref);
      if (!target) {
        continue;
      }
      const link = new vscode.DocumentLink(new vscode.Range(document.positionAt(current.start), document.positionAt(current.end)), vscode.Uri.parse(target));
      link.tooltip = l10n.t('Open this job in the Retab panel');
      links.push(link);
    }
    return links;
  }
}
