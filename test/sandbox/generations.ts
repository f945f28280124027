/**
 * The generations of Retab's experiments API the sandbox can speak (see
 * /work/shared/retab-api-generations.md). Each is pinned to the public SDK commit whose types its
 * wire shapes follow; the seeded data and its fixed ids are the same in all of them.
 */

export const API_GENERATIONS = ['g1', 'g1p', 'g2', 'g3'] as const;
export type ApiGeneration = (typeof API_GENERATIONS)[number];

/** The newest generation: what a server answers today. */
export const DEFAULT_API: ApiGeneration = 'g3';

export type AuthScheme = 'api-key' | 'bearer';

export interface GenerationInfo {
  /** The retab-dev/retab commit whose SDK types the wire shapes follow. */
  sdkCommit: string;
  /** `nested`: `/workflows/{wf}/experiments/{exp}/…`; `flat`: `/workflows/experiments/…`. */
  routes: 'nested' | 'flat';
  /** `api-key`: `Api-Key: <key>`; `bearer`: `Authorization: Bearer <key>`. */
  auth: AuthScheme;
  /** Experiment and run lists: a bare array (runs: `{runs: […]}`) or `{data, list_metadata}` pages. */
  lists: 'array' | 'page';
}

export const GENERATIONS: Readonly<Record<ApiGeneration, GenerationInfo>> = {
  g1: { sdkCommit: 'd8f4738c', routes: 'nested', auth: 'api-key', lists: 'array' },
  g1p: { sdkCommit: '72e410ea', routes: 'nested', auth: 'api-key', lists: 'page' },
  g2: { sdkCommit: '91b7543e', routes: 'flat', auth: 'api-key', lists: 'page' },
  g3: { sdkCommit: '61d9c44e', routes: 'flat', auth: 'bearer', lists: 'page' },
};

export function isApiGeneration(value: unknown): value is ApiGeneration {
  return typeof value === 'string' && (API_GENERATIONS as readonly string[]).includes(value);
}

export function parseApiGeneration(value: unknown, what = 'api'): ApiGeneration {
  if (!isApiGeneration(value)) {
    throw new Error(`${what} must be one of ${API_GENERATIONS.join(', ')}, not ${JSON.stringify(value)}`);
  }
  return value;
}

export function isFlat(api: ApiGeneration): boolean {
  return GENERATIONS[api].routes === 'flat';
}
