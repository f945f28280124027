import * as vscode from 'vscode';
import { CommandId } from './names';

/** Registers a command under its id from the names module; it is disposed with the extension. */
export function registerCommand<A extends unknown[]>(context: vscode.ExtensionContext, id: CommandId, handler: (...args: A) => unknown): void {
  context.subscriptions.push(vscode.commands.registerCommand(id, handler));
}
