import * as vscode from 'vscode';

export const DEFAULT_API_BASE_URL = 'https://api.retab.com/v1';

export function apiBaseUrl(): string {
  const value = vscode.workspace.getConfiguration('retab').get<string>('apiBaseUrl');
  return value?.trim() || DEFAULT_API_BASE_URL;
}

export function requestTimeoutMs(): number {
  const seconds = vscode.workspace.getConfiguration('retab').get<number>('requestTimeoutSeconds') ?? 30;
  return Math.max(1, Math.min(seconds, 600)) * 1000;
}

export function liveRefreshMs(): number {
  const seconds = vscode.workspace.getConfiguration('retab').get<number>('liveRefreshSeconds') ?? 5;
  return Math.max(2, seconds) * 1000;
}

/** `auto` (find out per server), or a generation id pinned for servers that cannot be detected. */
export function apiGeneration(): string {
  const value = vscode.workspace.getConfiguration('retab').get<string>('apiGeneration');
  return value?.trim() || 'auto';
}
