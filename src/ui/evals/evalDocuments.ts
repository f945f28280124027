import { l10n } from '../../l10n';
import * as vscode from 'vscode';
import { jsonText } from '../shared/jsonText';
import { EVAL_DOCUMENT_SCHEME, EvalsTree } from './evalsController';

export const EVAL_SCHEME = EVAL_DOCUMENT_SCHEME;

/** Serves eval definitions and whole values as read-only JSON (`retab-eval:/eval/<id>.json`, `/value/<n>.json`). */
export class EvalDocuments implements vscode.TextDocumentContentProvider {
  private readonly values = new Map<string, string>();
  private next = 0;

  constructor(private readonly tree: EvalsTree) {}

  provideTextDocumentContent(uri: vscode.Uri): string {
    const [kind, name] = uri.path
      .replace(/\.json$/, '')
      .split('/')
      .filter(Boolean);
    if (kind === 'eval') {
      for (const workflowEvals of this.tree.allListed()) {
        const found = workflowEvals.find((item) => item.id === name);
        if (found) {
          return `${jsonText(found.raw, { indent: 2 })}\n`;
        }
      }
      return l10n.t('// This eval is not listed any more: refresh the Testing view.\n');
    }
    return this.values.get(name ?? '') ?? l10n.t('// This value is no longer kept.\n');
  }

  /** Keeps a whole value (a test message shows it cut) for a document; the last 20 only. */
  keep(text: string): vscode.Uri {
    const name = String(++this.next);
    this.values.set(name, text);
    if (this.values.size > 20) {
      this.values.delete(this.values.keys().next().value ?? '');
    }
    return vscode.Uri.from({ scheme: EVAL_SCHEME, path: `/value/${name}.json` });
  }
}
