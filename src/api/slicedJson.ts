/**
 * Parses a large JSON text in slices, so that no single task of the extension host holds it for
 * long: a 5 MB answer (a 50,000-document run's score summary) is 20 ms of `JSON.parse` in one go
 * in plain Node, 30–60 ms in a busy extension host.
 *
 * How: one scan of the text (strings, escapes and brackets only, a few milliseconds a megabyte,
 * itself cut into steps) finds the outermost large arrays and their elements' boundaries; the text
 * around them is parsed with those arrays left empty, and each array's elements are parsed by
 * `JSON.parse` in batches of about `sliceChars`, with a pause between steps. Everything is still
 * checked by `JSON.parse` itself (a slice that is not JSON throws), and the result is the value
 * `JSON.parse` gives, except that an object key sent twice keeps its first large array rather than
 * the later value when that later value is an empty array (a server sending duplicate keys is
 * broken anyway; every field is validated afterwards).
 *
 * A streaming parser (`@streamparser/json`) was measured on the same 4.9 MB answer: 143–152 ms of
 * work against 20 ms for `JSON.parse` and 11–14 ms for this scan, so the native parser on slices
 * is kept.
 */

/** An outermost array larger than a slice: where it is in the text and where its elements end. */
interface LargeArray {
  /** Offset of `[` and just after `]`. */
  start: number;
  end: number;
  /** Offsets of the commas between its elements. */
  commas: number[];
  /** Keys (decoded) and indexes from the root down to the array. */
  path: (string | number)[];
  /** The streamed array (see `StreamedArray`): its elements already parsed during the scan, up to the comma at `upTo`. */
  streamed?: { upTo: number; elements: unknown[] };
}

/** One open container during the scan. */
interface Frame {
  isArray: boolean;
  start: number;
  /** Arrays: index of the element being read. Objects: unused. */
  index: number;
  /** Objects: the text span of the last key read (decoded only when a path is needed). */
  keyStart: number;
  keyEnd: number;
  /** Objects: the next string is a key. */
  expectKey: boolean;
  /** Arrays: the first of this array's commas in the shared comma stack. */
  commaBase: number;
}

export interface SlicedParseOptions {
  /** About how many characters each `JSON.parse` step takes. */
  sliceChars?: number;
  /** Called between steps: the caller's pause (a macrotask), so that other work can run. */
  pause: () => Promise<void>;
  /**
   * Steps are taken without a pause until this much time has gone by (ms): enough to keep each
   * task short, few enough pauses not to delay the answer (0: a pause after every step).
   */
  budgetMs?: number;
  /** A large array whose elements are handed out a batch at a time as they are parsed (a nested run's jobs). */
  stream?: StreamedArray;
}

export interface StreamedArray {
  /** Keys from the root to the array. */
  path: readonly string[];
  /** Each batch of its elements, in order; `from` is the first one's index. May throw to stop the parse. */
  onBatch(elements: readonly unknown[], from: number): void;
}

/** A pause at most every `budgetMs`. */
function budgeted(pause: () => Promise<void>, budgetMs: number): () => Promise<void> {
  let since = performance.now();
  return async () => {
    if (performance.now() - since >= budgetMs) {
      await pause();
      since = performance.now();
    }
  };
}

const DEFAULT_SLICE_CHARS = 256 * 1024;
/** Containers nested deeper than this are parsed whole (the scan keeps one frame per level). */
const MAX_TRACKED_DEPTH = 64;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/**
 * `JSON.parse(text)` in steps of about `sliceChars` characters each, pausing between them. Throws
 * what `JSON.parse` throws on a text that is not JSON.
 */
export async function parseJsonInSlices(text: string, options: SlicedParseOptions): Promise<unknown> {
  const sliceChars = Math.max(16, options.sliceChars ?? DEFAULT_SLICE_CHARS);
  if (text.length <= sliceChars) {
    return JSON.parse(text);
  }
  const pause = budgeted(options.pause, options.budgetMs ?? 0);
  const arrays = await findLargeArrays(text, sliceChars, { pause, now: options.pause }, options.stream);
  if (arrays.length === 0) {
    return JSON.parse(text);
  }
  if (arrays.length === 1 && arrays[0].path.length === 0) {
    // The root itself is the large array.
    if (text.slice(0, arrays[0].start).trim() !== '' || text.slice(arrays[0].end).trim() !== '') {
      return JSON.parse(text);
    }
    return parseElements(text, arrays[0], sliceChars, pause);
  }
  // The text around the large arrays, each left as `[]`.
  const pieces: string[] = [];
  let from = 0;
  for (const array of arrays) {
    pieces.push(text.slice(from, array.start), '[]');
    from = array.end;
  }
  pieces.push(text.slice(from));
  const root: unknown = JSON.parse(pieces.join(''));
  for (const array of arrays) {
    await pause();
    const streamed = options.stream && samePath(options.stream.path, array.path) ? options.stream : undefined;
    const elements = await parseElements(text, array, sliceChars, pause, streamed);
    place(root, array.path, elements);
  }
  return root;
}

/** The elements of one large array, parsed a batch of about `sliceChars` characters at a time. */
async function parseElements(text: string, array: LargeArray, sliceChars: number, pause: () => Promise<void>, stream?: StreamedArray): Promise<unknown[]> {
  // A streamed array's elements up to `upTo` were parsed (and handed out) during the scan.
  const upTo = array.streamed?.upTo ?? array.start;
  const bounds = [upTo, ...array.commas.filter((comma) => comma > upTo), array.end - 1];
  const elements: unknown[] = array.streamed ? [...array.streamed.elements] : [];
  let first = 0;
  while (first < bounds.length - 1) {
    let last = first + 1;
    while (last < bounds.length - 1 && bounds[last + 1] - bounds[first] <= sliceChars) {
      last++;
    }
    // `[` + the elements between two boundaries (commas included) + `]`.
    const slice = text.slice(bounds[first] + 1, bounds[last]);
    const batch = JSON.parse(`[${slice}]`) as unknown[];
    // `JSON.parse` of a slice cannot see an empty element at its edge (`[1,,2]` cut between the commas).
    const expected = bounds.length === 2 && slice.trim() === '' ? 0 : last - first;
    if (batch.length !== expected) {
      throw new SyntaxError(`Unexpected ',' in JSON at position ${bounds[first]}`);
    }
    stream?.onBatch(batch, elements.length);
    for (const element of batch) {
      elements.push(element);
    }
    first = last;
    if (first < bounds.length - 1) {
      await pause();
    }
  }
  return elements;
}

function samePath(wanted: readonly string[], path: readonly (string | number)[]): boolean {
  return wanted.length === path.length && wanted.every((key, index) => key === path[index]);
}

/** Puts a parsed large array where the skeleton has its `[]`. */
function place(root: unknown, path: readonly (string | number)[], elements: unknown[]): void {
  let parent: unknown = root;
  for (const step of path.slice(0, -1)) {
    if (typeof parent !== 'object' || parent === null) {
      return;
    }
    parent = (parent as Record<string | number, unknown>)[step];
  }
  if (typeof parent !== 'object' || parent === null) {
    // A key sent twice replaced a container on the way: the later value won.
    return;
  }
  const last = path[path.length - 1];
  const holder = parent as Record<string | number, unknown>;
  const current = holder[last];
  if (!Array.isArray(current) || current.length !== 0) {
    // A key sent twice: the later value won, as JSON.parse would have it.
    return;
  }
  holder[last] = elements;
}

/**
 * One scan of the text: the outermost arrays longer than `sliceChars`, with their commas and paths.
 * Pauses every `sliceChars * 4` characters. A malformed text is left for `JSON.parse` to reject.
 */
/** What a streamed array's first batch holds at most: small, so that its first elements are out in a millisecond or two. */
const FIRST_BATCH_CHARS = 32 * 1024;

async function findLargeArrays(
  text: string,
  sliceChars: number,
  pauses: { pause: () => Promise<void>; now: () => Promise<void> },
  stream?: StreamedArray,
): Promise<LargeArray[]> {
  const { pause } = pauses;
  const found: LargeArray[] = [];
  // The streamed array while the scan is inside it: its elements are parsed a batch at a time as
  // the scan passes them, so the first ones are handed out before the rest of the text is scanned.
  let streaming: { frame: Frame; lastBoundary: number; commas: number; elements: unknown[] } | undefined;
  let streamSeen = false;
  const frames: Frame[] = [];
  /** Commas of every open array, innermost last (a closed small array's are dropped). */
  const commas: number[] = [];
  // How often the time budget is looked at: every 64 KB of text by default. The scan runs cold on
  // the first large answer of a session, when 1 MB of it took longer than a whole slice should.
  const step = Math.max(16, Math.floor(sliceChars / 4));
  let inString = false;
  let stringStart = 0;
  let depth = 0;
  let nextPause = step;
  for (let i = 0; i < text.length; i++) {
    if (i >= nextPause) {
      nextPause += step;
      await pause();
    }
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === BACKSLASH) {
        i++;
      } else if (code === QUOTE) {
        inString = false;
        const top = frames[frames.length - 1];
        if (top && !top.isArray && top.expectKey) {
          top.keyStart = stringStart;
          top.keyEnd = i + 1;
          top.expectKey = false;
        }
      }
      continue;
    }
    switch (code) {
      case QUOTE:
        inString = true;
        stringStart = i;
        break;
      case OPEN_BRACE:
      case OPEN_BRACKET:
        depth++;
        if (depth <= MAX_TRACKED_DEPTH) {
          const frame: Frame = {
            isArray: code === OPEN_BRACKET,
            start: i,
            index: 0,
            keyStart: 0,
            keyEnd: 0,
            expectKey: code === OPEN_BRACE,
            commaBase: commas.length,
          };
          if (stream && !streamSeen && frame.isArray && depth === stream.path.length + 1 && samePath(stream.path, pathOf(text, frames))) {
            streamSeen = true;
            streaming = { frame, lastBoundary: i, commas: 0, elements: [] };
          }
          frames.push(frame);
        }
        break;
      case CLOSE_BRACE:
      case CLOSE_BRACKET: {
        depth--;
        if (depth >= MAX_TRACKED_DEPTH) {
          break;
        }
        const frame = frames.pop();
        if (!frame || frame.isArray !== (code === CLOSE_BRACKET)) {
          // Not JSON: JSON.parse of the whole text says where.
          return [];
        }
        if (frame.isArray && i + 1 - frame.start > sliceChars) {
          // Outermost only: arrays found inside this one are parsed with it.
          while (found.length > 0 && found[found.length - 1].start > frame.start) {
            found.pop();
          }
          const streamed = streaming?.frame === frame ? { upTo: streaming.lastBoundary, elements: streaming.elements } : undefined;
          found.push({ start: frame.start, end: i + 1, commas: commas.slice(frame.commaBase), path: pathOf(text, frames), ...(streamed ? { streamed } : {}) });
        }
        if (streaming?.frame === frame) {
          streaming = undefined;
        }
        if (frame.isArray) {
          commas.length = frame.commaBase;
        }
        break;
      }
      case COMMA: {
        const top = frames[frames.length - 1];
        if (depth <= MAX_TRACKED_DEPTH && top) {
          if (top.isArray) {
            top.index++;
            commas.push(i);
            if (streaming?.frame === top && stream) {
              streaming.commas++;
              const first = streaming.elements.length === 0;
              if (i - streaming.lastBoundary >= (first ? Math.min(sliceChars, FIRST_BATCH_CHARS) : sliceChars)) {
                const batch = JSON.parse(`[${text.slice(streaming.lastBoundary + 1, i)}]`) as unknown[];
                if (batch.length !== streaming.commas) {
                  throw new SyntaxError(`Unexpected ',' in JSON at position ${streaming.lastBoundary}`);
                }
                stream.onBatch(batch, streaming.elements.length);
                for (const element of batch) {
                  streaming.elements.push(element);
                }
                streaming.lastBoundary = i;
                streaming.commas = 0;
                // After the first batch, always a pause: whoever waits for the first elements (the
                // tree's first rows) runs before the scan goes on.
                await (first ? pauses.now() : pause());
              }
            }
          } else {
            top.expectKey = true;
          }
        }
        break;
      }
      case COLON:
        break;
      default:
        break;
    }
  }
  if (inString || depth !== 0) {
    return [];
  }
  return found;
}

/** Keys and indexes from the root to the container being read (frames still open). */
function pathOf(text: string, frames: readonly Frame[]): (string | number)[] {
  return frames.map((frame) => (frame.isArray ? frame.index : (JSON.parse(text.slice(frame.keyStart, frame.keyEnd)) as string)));
}
