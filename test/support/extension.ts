import * as vscode from 'vscode';
import type { RetabExtensionApi } from '../../src/extension';
import { EXTENSION_ID } from './extensionId';

export { EXTENSION_ID };

/** The extension as the host has it (in-host suite and benchmark); fails when it is not installed. */
export function retabExtension(): vscode.Extension<RetabExtensionApi> {
  const extension = vscode.extensions.getExtension<RetabExtensionApi>(EXTENSION_ID);
  if (!extension) {
    throw new Error(`${EXTENSION_ID} is not installed in the host`);
  }
  return extension;
}

/** Activates the extension (once; later calls answer the same API). */
export async function activateExtension(): Promise<RetabExtensionApi> {
  return retabExtension().activate();
}
