/**
 * Downloads a file from the signed URL the files API hands out. That URL is another origin (a
 * storage bucket), so this is not the API transport: the key is never sent (no header of ours at
 * all), the URL must be https (http only on this machine, for local servers), a redirect is
 * followed only to the same scheme and under the same rule, and the body stops at a size cap.
 * Plain node:http/https, so nothing (no proxy agent, no decompression) adds to what is sent or read.
 */
import { l10n } from '../../l10n';
import * as http from 'node:http';
import * as https from 'node:https';
import { RetabError } from '../errors';

/** Past this a file is not shown: the panel says so rather than hold it in memory. */
export const MAX_DOWNLOAD_BYTES = 50 * 1024 * 1024;
const MAX_REDIRECTS = 3;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export interface DownloadOptions {
  signal?: AbortSignal;
  maxBytes?: number;
  timeoutMs?: number;
  /** Told as bytes arrive; `total` when the server said how many. */
  onProgress?: (received: number, total: number | null) => void;
}

export interface Downloaded {
  bytes: Uint8Array;
  contentType: string | null;
}

/**
 * Why a URL may not be downloaded from, or undefined when it may. `previous` is the URL that
 * redirected here: the scheme may not change on the way.
 */
export function downloadUrlProblem(raw: string, previous?: URL): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return l10n.t('the download link is not a URL');
  }
  if (url.username || url.password) {
    return l10n.t('the download link carries credentials');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname))) {
    return l10n.t('the download link is {0}, not https', url.protocol.replace(/:$/, '').slice(0, 20));
  }
  if (previous && previous.protocol !== url.protocol) {
    return l10n.t('the download was redirected from {0} to {1}', previous.protocol.replace(/:$/, ''), url.protocol.replace(/:$/, ''));
  }
  return undefined;
}

export async function downloadFile(url: string, options: DownloadOptions = {}): Promise<Downloaded> {
  const maxBytes = options.maxBytes ?? MAX_DOWNLOAD_BYTES;
  let current = url;
  let previous: URL | undefined;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const problem = downloadUrlProblem(current, previous);
    if (problem) {
      throw new RetabError('insecure_url', l10n.t('The file was not downloaded: {0}.', problem));
    }
    const outcome = await fetchOnce(new URL(current), maxBytes, options);
    if (outcome.kind === 'done') {
      return outcome.downloaded;
    }
    previous = new URL(current);
    current = new URL(outcome.location, current).toString();
  }
  throw new RetabError('redirect', l10n.t('The file was not downloaded: more than {0} redirects.', MAX_REDIRECTS));
}

type Outcome = { kind: 'done'; downloaded: Downloaded } | { kind: 'redirect'; location: string };

function fetchOnce(url: URL, maxBytes: number, options: DownloadOptions): Promise<Outcome> {
  return new Promise<Outcome>((resolve, reject) => {
    const signal = options.signal;
    if (signal?.aborted) {
      reject(new RetabError('cancelled', l10n.t('Cancelled.')));
      return;
    }
    const get = url.protocol === 'https:' ? https.get : http.get;
    const request = get(url, { headers: { Accept: '*/*', 'User-Agent': 'retab-experiments-vscode' }, agent: false });
    let settled = false;
    const fail = (error: RetabError): void => {
      if (!settled) {
        settled = true;
        cleanup();
        request.destroy();
        reject(error);
      }
    };
    const onAbort = (): void => fail(new RetabError('cancelled', l10n.t('Cancelled.')));
    const timer = setTimeout(
      () => fail(new RetabError('timeout', l10n.t('The file took longer than {0} s to download.', Math.round((options.timeoutMs ?? 120_000) / 1000)))),
      options.timeoutMs ?? 120_000,
    );
    const cleanup = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    request.on('error', (error) => fail(new RetabError('network', l10n.t('The file could not be downloaded: {0}', error.message.slice(0, 200)))));
    request.on('response', (response) => {
      const status = response.statusCode ?? 0;
      if (status >= 300 && status < 400 && response.headers.location) {
        response.resume();
        settled = true;
        cleanup();
        resolve({ kind: 'redirect', location: response.headers.location });
        return;
      }
      if (status < 200 || status >= 300) {
        response.resume();
        const expired = status === 401 || status === 403;
        fail(
          new RetabError(
            expired ? 'auth' : status === 404 ? 'not_found' : 'server',
            expired
              ? l10n.t("The file's download link was refused (HTTP {0}); it may have expired.", status)
              : l10n.t('The file could not be downloaded (HTTP {0}).', status),
            { status },
          ),
        );
        return;
      }
      const declared = Number(response.headers['content-length']);
      const total = Number.isFinite(declared) && declared >= 0 ? declared : null;
      if (total !== null && total > maxBytes) {
        fail(tooLarge(maxBytes, total));
        return;
      }
      const chunks: Buffer[] = [];
      let received = 0;
      response.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > maxBytes) {
          fail(tooLarge(maxBytes, null));
          return;
        }
        chunks.push(chunk);
        options.onProgress?.(received, total);
      });
      response.on('error', (error) => fail(new RetabError('network', l10n.t('The download was cut off: {0}', error.message.slice(0, 200)))));
      response.on('aborted', () => fail(new RetabError('network', l10n.t('The download was cut off.'))));
      response.on('end', () => {
        if (settled) {
          return;
        }
        if (total !== null && received !== total) {
          fail(new RetabError('network', l10n.t('The download was cut off after {0} of {1} bytes.', received, total)));
          return;
        }
        settled = true;
        cleanup();
        const contentType = response.headers['content-type'];
        // A buffer of its own (Buffer.concat may hand out a slice of a shared pool): it is posted to the webview whole.
        const bytes = new Uint8Array(received);
        let offset = 0;
        for (const chunk of chunks) {
          bytes.set(chunk, offset);
          offset += chunk.length;
        }
        resolve({ kind: 'done', downloaded: { bytes, contentType: contentType ?? null } });
      });
    });
  });
}

function tooLarge(maxBytes: number, total: number | null): RetabError {
  const mb = (bytes: number): string => `${Math.round(bytes / (1024 * 1024))} MB`;
  return new RetabError(
    'too_large',
    total === null
      ? l10n.t('The file is larger than {0}, the most the panel shows.', mb(maxBytes))
      : l10n.t('The file is {0}, more than the {1} the panel shows.', mb(total), mb(maxBytes)),
  );
}
