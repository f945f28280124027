import { formatNumber } from '../../format';
/**
 * JSON.stringify for server records shown to people (the panel's raw JSON, the read-only JSON
 * documents). JSON.stringify recurses: a record nested 100,000 deep (JSON.parse reads it fine)
 * throws RangeError and took the whole panel with it. This one walks with its own stack, stops
 * descending past `maxDepth` and stops writing past `maxLength`, saying so in the output.
 */
import { l10n } from '../../l10n';
export interface JsonTextOptions {
  /** Spaces per level, as JSON.stringify's third argument; 0 writes one line. */
  indent?: number;
  /** Containers deeper than this are replaced by a marker string. */
  maxDepth?: number;
  /** Output is cut (with a marker) once it passes this many characters. */
  maxLength?: number;
}

export const DEFAULT_MAX_DEPTH = 64;
export const DEFAULT_MAX_LENGTH = 2_000_000;

type Frame =
  | { kind: 'array'; container: readonly unknown[]; index: number; depth: number; written: number }
  | { kind: 'object'; container: Record<string, unknown>; keys: string[]; index: number; depth: number; written: number };

export function jsonText(value: unknown, options: JsonTextOptions = {}): string {
  const indent = ' '.repeat(Math.max(0, Math.min(10, options.indent ?? 0)));
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  const maxLength = options.maxLength ?? DEFAULT_MAX_LENGTH;
  const out: string[] = [];
  let length = 0;
  const write = (text: string): void => {
    out.push(text);
    length += text.length;
  };
  const newline = (depth: number): string => (indent ? `\n${indent.repeat(depth)}` : '');
  const stack: Frame[] = [];
  // Containers on the current path: a cycle (never in parsed JSON, but possible in a model) is
  // written as a marker where JSON.stringify would throw.
  const onPath = new Set<object>();

  /** Writes a JSON value (already through toJsonValue), or opens its container on the stack. */
  const open = (item: unknown, depth: number): void => {
    if (item === null || typeof item !== 'object') {
      write(primitive(item));
    } else if (onPath.has(item)) {
      write(JSON.stringify(l10n.t('… (circular reference, not shown)')));
    } else if (depth >= maxDepth) {
      write(JSON.stringify(l10n.t('… (nested deeper than {0} levels, not shown)', maxDepth)));
    } else if (Array.isArray(item)) {
      onPath.add(item);
      write('[');
      stack.push({ kind: 'array', container: item, index: 0, depth: depth + 1, written: 0 });
    } else {
      const container = item as Record<string, unknown>;
      onPath.add(container);
      write('{');
      stack.push({ kind: 'object', container, keys: Object.keys(container), index: 0, depth: depth + 1, written: 0 });
    }
  };

  const root = toJsonValue(value);
  if (root === undefined) {
    return 'undefined';
  }
  open(root, 0);
  while (stack.length > 0 && length <= maxLength) {
    const frame = stack[stack.length - 1];
    const size = frame.kind === 'array' ? frame.container.length : frame.keys.length;
    if (frame.index >= size) {
      stack.pop();
      onPath.delete(frame.container);
      write(`${frame.written > 0 ? newline(frame.depth - 1) : ''}${frame.kind === 'array' ? ']' : '}'}`);
      continue;
    }
    const separator = `${frame.written > 0 ? ',' : ''}${newline(frame.depth)}`;
    if (frame.kind === 'array') {
      const item = toJsonValue(frame.container[frame.index++]);
      write(separator);
      frame.written++;
      // As JSON.stringify: what JSON cannot hold is null inside an array, left out of an object.
      open(item === undefined ? null : item, frame.depth);
    } else {
      const key = frame.keys[frame.index++];
      const item = toJsonValue(frame.container[key]);
      if (item !== undefined) {
        write(`${separator}${JSON.stringify(key)}${indent ? ': ' : ':'}`);
        frame.written++;
        open(item, frame.depth);
      }
    }
  }
  const text = out.join('');
  return length > maxLength ? l10n.t('{0}\n… (cut: longer than {1} characters)', text.slice(0, maxLength), formatNumber(maxLength)) : text;
}

/** What JSON.stringify would write for a value before recursing: toJSON applied, functions dropped. */
function toJsonValue(value: unknown): unknown {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return (value as { toJSON: () => unknown }).toJSON();
  }
  if (typeof value === 'function' || typeof value === 'symbol' || value === undefined) {
    return undefined;
  }
  if (value instanceof Number || value instanceof String || value instanceof Boolean) {
    return value.valueOf();
  }
  return value;
}

function primitive(value: unknown): string {
  if (typeof value === 'number') {
    return Number.isFinite(value) ? String(value) : 'null';
  }
  if (typeof value === 'bigint') {
    return JSON.stringify(value.toString());
  }
  return JSON.stringify(value);
}
