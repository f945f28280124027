import * as vscode from 'vscode';
import { NumberSetting, SETTINGS, clampSetting } from './settingsSpec';

function read(key: string): unknown {
  const [section, name] = [key.slice(0, key.indexOf('.')), key.slice(key.indexOf('.') + 1)];
  return vscode.workspace.getConfiguration(section).get<unknown>(name);
}

function readNumber(name: NumberSetting): number {
  return clampSetting(name, read(SETTINGS[name].key));
}

function readText(key: string, fallback: string): string {
  const value = read(key);
  return typeof value === 'string' && value.trim() ? value.trim() : fallback;
}

export function apiBaseUrl(): string {
  return readText(SETTINGS.apiBaseUrl.key, SETTINGS.apiBaseUrl.default);
}

/** `auto` (find out per server), or a generation id pinned for servers that cannot be detected. */
export function apiGeneration(): string {
  return readText(SETTINGS.apiGeneration.key, SETTINGS.apiGeneration.default);
}

export function requestTimeoutMs(): number {
  return readNumber('requestTimeoutSeconds') * 1000;
}

export function liveRefreshMs(): number {
  return readNumber('liveRefreshSeconds') * 1000;
}

/** Fires when any of the named settings changes. */
export function onDidChangeSettings(names: ReadonlyArray<keyof typeof SETTINGS>, listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((event) => {
    if (names.some((name) => event.affectsConfiguration(SETTINGS[name].key))) {
      listener();
    }
  });
}
