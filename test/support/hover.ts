import * as vscode from 'vscode';

/** The text of hovers, whatever form each part takes. */
export function hoverText(hovers: readonly vscode.Hover[]): string {
  return hovers
    .flatMap((hover) => hover.contents)
    .map((content) => (typeof content === 'string' ? content : 'value' in content ? content.value : ''))
    .join('\n');
}

/** What the editor's hovers show at a position, through the command VS Code's editor uses. */
export async function hoverTextAt(uri: vscode.Uri, position: vscode.Position): Promise<string> {
  return hoverText((await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position)) ?? []);
}
