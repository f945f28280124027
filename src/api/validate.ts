import { RetabError } from './errors';

/**
 * Small run-time checks for server JSON. Each reports the path of the field that is wrong,
 * because "invalid response" alone is useless to the engineer reading it.
 */
export type JsonObject = Record<string, unknown>;

export function invalid(field: string, expected: string, actual: unknown): RetabError {
  return new RetabError('invalid_response', `Unexpected response: ${field} should be ${expected}, got ${describeValue(actual)}`, {
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
    return 'an array';
  }
  return typeof value === 'object' ? 'an object' : typeof value;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function object(value: unknown, field: string): JsonObject {
  if (!isObject(value)) {
    throw invalid(field, 'an object', value);
  }
  return value;
}

export function array(value: unknown, field: string): unknown[] {
  if (!Array.isArray(value)) {
    throw invalid(field, 'an array', value);
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
    throw invalid(`${path}.${key}`, 'a string or null', value);
  }
  return value;
}

export function optionalNumber(source: JsonObject, key: string, path: string): number | null {
  const value = source[key];
  if (value === undefined || value === null) {
    return null;
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw invalid(`${path}.${key}`, 'a number or null', value);
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
export function enumOr<T extends string>(
  source: JsonObject,
  key: string,
  path: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const value = source[key];
  if (value === undefined || value === null) {
    return fallback;
  }
  if (typeof value !== 'string') {
    throw invalid(`${path}.${key}`, 'a string', value);
  }
  return (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

export function requiredEnum<T extends string>(
  source: JsonObject,
  key: string,
  path: string,
  allowed: readonly T[],
  unknownValue: T,
): T {
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
