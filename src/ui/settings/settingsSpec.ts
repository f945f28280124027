/**
 * Every setting the extension reads: its key, default and bounds, in one place (package.json
 * declares the same; a unit test keeps the two in step). No `vscode` here, so it is testable.
 */
export const SETTINGS = {
  apiBaseUrl: { key: 'retab.apiBaseUrl', default: 'https://api.retab.com/v1' },
  apiGeneration: { key: 'retab.apiGeneration', default: 'auto' },
  requestTimeoutSeconds: { key: 'retab.requestTimeoutSeconds', default: 30, minimum: 1, maximum: 600 },
  liveRefreshSeconds: { key: 'retab.liveRefreshSeconds', default: 5, minimum: 2, maximum: 300 },
} as const;

export type NumberSetting = { [K in keyof typeof SETTINGS]: (typeof SETTINGS)[K] extends { minimum: number } ? K : never }[keyof typeof SETTINGS];

/** A number as package.json bounds it: out-of-range values are clamped, anything else is the default. */
export function clampSetting(name: NumberSetting, value: unknown): number {
  const spec = SETTINGS[name];
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return spec.default;
  }
  return Math.min(spec.maximum, Math.max(spec.minimum, value));
}
