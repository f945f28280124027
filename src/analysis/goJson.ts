import { createHash } from 'node:crypto';

/**
 * The bytes Go's `json.Marshal` writes for a value decoded from JSON into `interface{}` — what
 * Retab's CLI hashes for a bundle's baseline (`manifest.json` → `baseline.config_hash`): object
 * keys sorted (by their UTF-8 bytes, as Go sorts map keys) at every level, no spaces, strings with
 * Go's escapes (`<` `>` `&` as `\u003c` `\u003e` `\u0026`, U+2028/U+2029 escaped, `\b` `\f` `\n`
 * `\r` `\t` short, other control characters as `\u00XX`), numbers as float64 in ES6 form (which is
 * JavaScript's own `String(number)` but for -0, which Go writes `-0`). A lone surrogate, which Go's
 * decoder turns into U+FFFD, is written as that character.
 */
export function goJsonMarshal(value: unknown): string {
  const parts: string[] = [];
  write(value, parts, 0);
  return parts.join('');
}

/** The CLI's bundle hash: lowercase hex SHA-256 of `goJsonMarshal(config)`. */
export function bundleConfigHash(config: unknown): string {
  return createHash('sha256').update(goJsonMarshal(config), 'utf8').digest('hex');
}

/** Deeper than this is refused rather than risking the stack (a config is a few levels deep). */
const MAX_DEPTH = 512;

function write(value: unknown, parts: string[], depth: number): void {
  if (depth > MAX_DEPTH) {
    throw new RangeError(`The value is nested deeper than ${MAX_DEPTH} levels.`);
  }
  if (value === null || value === undefined) {
    parts.push('null');
  } else if (typeof value === 'boolean') {
    parts.push(value ? 'true' : 'false');
  } else if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      throw new RangeError(`Go's JSON has no ${String(value)}.`);
    }
    parts.push(Object.is(value, -0) ? '-0' : String(value));
  } else if (typeof value === 'string') {
    parts.push(quote(value));
  } else if (Array.isArray(value)) {
    parts.push('[');
    value.forEach((element, index) => {
      if (index > 0) {
        parts.push(',');
      }
      write(element, parts, depth + 1);
    });
    parts.push(']');
  } else if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).sort(compareUtf8);
    parts.push('{');
    keys.forEach((key, index) => {
      if (index > 0) {
        parts.push(',');
      }
      parts.push(quote(key), ':');
      write(record[key], parts, depth + 1);
    });
    parts.push('}');
  } else {
    throw new TypeError(`Go's JSON has no ${typeof value}.`);
  }
}

/** Go sorts map keys as byte strings: UTF-8 order, which differs from UTF-16 order above U+FFFF. */
function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(toWellFormed(a), 'utf8'), Buffer.from(toWellFormed(b), 'utf8'));
}

const HEX = '0123456789abcdef';

function quote(text: string): string {
  const source = toWellFormed(text);
  let out = '"';
  for (let index = 0; index < source.length; index++) {
    const code = source.charCodeAt(index);
    switch (code) {
      case 0x22:
        out += '\\"';
        break;
      case 0x5c:
        out += '\\\\';
        break;
      case 0x08:
        out += '\\b';
        break;
      case 0x0c:
        out += '\\f';
        break;
      case 0x0a:
        out += '\\n';
        break;
      case 0x0d:
        out += '\\r';
        break;
      case 0x09:
        out += '\\t';
        break;
      case 0x3c:
      case 0x3e:
      case 0x26:
      case 0x2028:
      case 0x2029:
        out += `\\u${code.toString(16).padStart(4, '0')}`;
        break;
      default:
        out += code < 0x20 ? `\\u00${HEX[code >> 4]}${HEX[code & 0xf]}` : source[index];
    }
  }
  return `${out}"`;
}

/** Lone surrogates become U+FFFD, as Go's decoder makes them. */
function toWellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}
