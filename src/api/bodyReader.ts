import { StringDecoder } from 'node:string_decoder';
import { l10n } from '../l10n';
import { Readable, Transform, pipeline } from 'node:stream';
import * as zlib from 'node:zlib';
import { RetabError } from './errors';

/** Caps on response bodies: wire bytes, and bytes after decompression. */
export interface BodyCaps {
  wireBytes: number;
  decodedBytes: number;
}

/** Run contents and result pages may be large; every other answer is small. */
export const BODY_CAPS: Readonly<Record<'small' | 'large', BodyCaps>> = {
  small: { wireBytes: 4 * 1024 * 1024, decodedBytes: 16 * 1024 * 1024 },
  large: { wireBytes: 64 * 1024 * 1024, decodedBytes: 256 * 1024 * 1024 },
};

function tooLarge(what: string, cap: number): RetabError {
  return new RetabError(
    'too_large',
    l10n.t("The server's answer is larger than the {0} MB the extension reads {1}; it was not read.", Math.round(cap / (1024 * 1024)), what),
  );
}

function decoderFor(encoding: string | null): zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress | undefined {
  switch ((encoding ?? '').trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip();
    case 'deflate':
      return zlib.createInflate();
    case 'br':
      return zlib.createBrotliDecompress();
    default:
      return undefined;
  }
}

/**
 * Reads a body as a stream, counting bytes as they come and stopping at the caps, so a gzip bomb
 * or an endless body costs at most the cap in memory. `encoding` is the Content-Encoding still to
 * undo (null when the fetch implementation already decoded it).
 */
export async function readCappedText(body: AsyncIterable<Uint8Array>, encoding: string | null, caps: BodyCaps, signal: AbortSignal): Promise<string> {
  const source = Readable.from(body, { objectMode: false });
  let wire = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      wire += chunk.length;
      done(wire > caps.wireBytes ? tooLarge('', caps.wireBytes) : null, chunk);
    },
  });
  const decoder = decoderFor(encoding);
  const stages: NodeJS.ReadWriteStream[] = decoder ? [counter, decoder] : [counter];
  const output = pipeline(source, ...(stages as [NodeJS.ReadWriteStream]), () => undefined) as unknown as Readable;
  const onAbort = (): void => {
    source.destroy(signal.reason instanceof Error ? signal.reason : new RetabError('cancelled', l10n.t('The request was cancelled.')));
  };
  signal.addEventListener('abort', onAbort, { once: true });
  // Decoded as it arrives: a 10 MB answer decoded at the end would be one long task.
  const text = new StringDecoder('utf8');
  const parts: string[] = [];
  let decoded = 0;
  try {
    for await (const chunk of output) {
      const buffer = chunk as Buffer;
      decoded += buffer.length;
      if (decoded > caps.decodedBytes) {
        source.destroy();
        throw tooLarge(l10n.t('once decompressed'), caps.decodedBytes);
      }
      parts.push(text.write(buffer));
    }
  } catch (caught) {
    if (caught instanceof RetabError) {
      throw caught;
    }
    const message = caught instanceof Error ? caught.message : String(caught);
    throw decoder && /incorrect header|invalid|unexpected end/i.test(message)
      ? new RetabError('invalid_response', l10n.t("The server's compressed answer is corrupt: {0}", message))
      : new RetabError('network', l10n.t('The connection broke while reading the answer: {0}', message));
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
  parts.push(text.end());
  return parts.join('');
}
