import { l10n } from '../l10n';
import { RetabError } from './errors';
import { isSafeId } from './ids';

/**
 * Small run-time checks for server JSON. Each reports the path of the field that is wrong,
 * because "invalid response" alone is useless to the engineer reading it.
 */
export type JsonObject = Record<string, unknown>;

export function invalid(field: string, expected: string, actual: unknown): RetabError {
  return new RetabError('invalid_response', l10n.t('Unexpected response: {0} should be {1}, got {2}', field, expected, describeValue(actual)), {
    field,
  });
}

function describeValue(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  if (value === undefined) {
    return 'nothing';
  }
  if (Array.isArray(value)) {
    return l10n.t('an array');
  }
  return typeof value === 'object' ? l10n.t('an object') : typeof value;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function object(value: unknown, field: string): JsonObject {
  if (!isObject(value)) {
    throw invalid(field, l10n.t('an object'), value);
  }
  return value;
}

export function array(value: unknown, field: string): unknown[] {
  if (!Array.isArray(value)) {
    throw invalid(field, l10n.t('an array'), value);
  }
  return value;
}

export function requiredString(source: JsonObject, key: string, path: string): string {
  const value = source[key];
  if (typeof value !== 'string') {
    throw invalid(`${path}.${key}`, 'a string', value);
  }
  return value;
}

export function optionalString(source: JsonObject, key: string, path: string): string | null {
  const value = source[key];
  if (value === undefined || value === null) {
    return null;
  }
  if (typeof value !== 'string') {
    throw invalid(`${path}.${key}`, l10n.t('a string or null'), value);
  }
  return value;
}

export function optionalNumber(source: JsonObject, key: string, path: string): number | null {
  const value = source[key];
  if (value === undefined || value === null) {
    return null;
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw invalid(`${path}.${key}`, l10n.t('a number or null'), value);
  }
  return value;
}

export function numberOr(source: JsonObject, key: string, path: string, fallback: number): number {
  return optionalNumber(source, key, path) ?? fallback;
}

export function booleanOr(source: JsonObject, key: string, path: string, fallback: boolean): boolean {
  const value = source[key];
  if (value === undefined || value === null) {
    return fallback;
  }
  if (typeof value !== 'boolean') {
    throw invalid(`${path}.${key}`, 'a boolean', value);
  }
  return value;
}

/**
 * Enumerations are read leniently: a value the extension does not know yet is kept as `unknown`
 * rather than failing a whole list, since the server may add states before we do.
 */
export function enumOr<T extends string>(source: JsonObject, key: string, path: string, allowed: readonly T[], fallback: T): T {
  const value = source[key];
  if (value === undefined || value === null) {
    return fallback;
  }
  if (typeof value !== 'string') {
    throw invalid(`${path}.${key}`, 'a string', value);
  }
  return (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

export function requiredEnum<T extends string>(source: JsonObject, key: string, path: string, allowed: readonly T[], unknownValue: T): T {
  if (typeof source[key] !== 'string') {
    throw invalid(`${path}.${key}`, 'a string', source[key]);
  }
  return enumOr(source, key, path, allowed, unknownValue);
}

export function optionalObject(source: JsonObject, key: string, path: string): JsonObject | null {
  const value = source[key];
  if (value === undefined || value === null) {
    return null;
  }
  return object(value, `${path}.${key}`);
}

/**
 * Ids go into URL paths and command links, so one from the server is held to the same pattern
 * as one the user types: an invalid id fails with its field named and is never stored.
 */
export function requiredId(source: JsonObject, key: string, path: string): string {
  const value = requiredString(source, key, path);
  if (!isSafeId(value)) {
    throw invalid(`${path}.${key}`, l10n.t('a Retab id (letters, digits, "_" and "-")'), value);
  }
  return value;
}

/** An absent, null or empty id is none (some servers send `""` for "no run yet"). */
export function optionalId(source: JsonObject, key: string, path: string): string | null {
  const value = optionalString(source, key, path);
  if (value === '') {
    return null;
  }
  if (value !== null && !isSafeId(value)) {
    throw invalid(`${path}.${key}`, l10n.t('a Retab id (letters, digits, "_" and "-") or null'), value);
  }
  return value;
}

/** Absent or null counts are 0, as every SDK defaults them. */
export function countOr0(source: JsonObject, key: string, path: string): number {
  return optionalNumber(source, key, path) ?? 0;
}

const ZONE = /(?:Z|[+-]\d{2}:?\d{2})$/i;

/**
 * An ISO 8601 timestamp, normalised to UTC with a `Z`. Servers sometimes leave the zone out;
 * those times are UTC, and reading them as local time would shift every duration and order.
 * An unreadable timestamp is null rather than a failed list: it only decorates.
 */
export function optionalTimestamp(source: JsonObject, key: string, path: string): string | null {
  const value = optionalString(source, key, path);
  if (value === null) {
    return null;
  }
  const text = value.trim();
  if (text.length > 64) {
    return null;
  }
  const time = Date.parse(ZONE.test(text) || !text.includes('T') ? text : `${text}Z`);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

/** The first key present (renamed fields: the newer name first). */
export function firstKey(source: JsonObject, keys: readonly string[]): string {
  return keys.find((key) => source[key] !== undefined && source[key] !== null) ?? keys[0];
}

/** How deep a value nests (stops counting past `limit`). Iterative: a value nested 100,000 levels deep must not blow the stack. */
export function depthOf(value: unknown, limit: number): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (depth > limit) {
      return depth;
    }
    deepest = Math.max(deepest, depth);
    if (typeof node === 'object' && node !== null) {
      for (const child of Object.values(node)) {
        if (typeof child === 'object' && child !== null) {
          stack.push([child, depth + 1]);
        }
      }
    }
  }
  return deepest;
}
