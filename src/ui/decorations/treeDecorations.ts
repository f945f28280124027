import * as vscode from 'vscode';
import { TREE_SCHEME, decorationSpec, marksOf } from './rowMarks';

/**
 * Badges and label colours for the Experiments view, VS Code's own way of marking rows (as Git
 * and Problems do in the Explorer). Rows carry their state in their `resourceUri` (see rowMarks).
 */
export class TreeDecorationProvider implements vscode.FileDecorationProvider {
  provideFileDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined {
    if (uri.scheme !== TREE_SCHEME) {
      return undefined;
    }
    const spec = decorationSpec(marksOf(uri.query));
    return spec ? new vscode.FileDecoration(spec.badge, spec.tooltip, spec.color ? new vscode.ThemeColor(spec.color) : undefined) : undefined;
  }
}
