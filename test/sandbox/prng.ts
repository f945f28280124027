/**
 * Deterministic randomness for the sandbox's data. Every value is derived from a string key
 * (an id, a run and a document…), so the same data comes back on every start and a single
 * record can be regenerated on its own without replaying a global sequence.
 */

export type Rng = () => number;

/** FNV-1a: fast and good enough to spread string keys over 32 bits. */
export function hash32(text: string, seed = 0x811c9dc5): number {
  let hash = seed >>> 0;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** mulberry32: tiny, seedable, and its output is well mixed even for neighbouring seeds. */
export function mulberry32(seed: number): Rng {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

export function rngFor(...parts: Array<string | number>): Rng {
  return mulberry32(hash32(parts.join('\u0000')));
}

export function intBetween(rng: Rng, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1));
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)];
}

export function chance(rng: Rng, probability: number): boolean {
  return rng() < probability;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** An opaque id such as Retab's own (`wf_3kQ9…`), derived from a key. */
export function opaqueId(prefix: string, key: string, length = 14): string {
  const rng = rngFor('id', prefix, key);
  let body = '';
  for (let index = 0; index < length; index++) {
    body += BASE62[Math.floor(rng() * BASE62.length)];
  }
  return `${prefix}_${body}`;
}

/** 16 lowercase hex digits derived from a key: fingerprints and artifact ids. */
export function hex16(key: string): string {
  const high = hash32(key, 0x811c9dc5).toString(16).padStart(8, '0');
  const low = hash32(key, 0x050c5d1f).toString(16).padStart(8, '0');
  return high + low;
}
