/**
 * A job's input file and the sources of its extraction, for the panel's Document section. A
 * file is its record, then a signed link, then the bytes from that link (download.ts: no key,
 * https, capped); files fetched this session are kept, bounded by count and bytes, so moving back
 * to a document shows it at once. Sources of an extraction never change: kept by id. A server
 * without the sources route (404/405) is asked once, then known to have none until `clear`.
 */
import { l10n } from '../l10n';
import { RetabClient } from '../api/client';
import { toRetabError } from '../api/errors';
import { DownloadOptions, Downloaded, downloadFile } from '../api/files/download';
import { ExtractionSources, FileRecord } from '../api/files/fileModels';
import { LruCache } from './lruCache';

export interface DocumentFile {
  record: FileRecord;
  bytes: Uint8Array;
  /** From the record, else from the download's Content-Type. */
  mimeType: string | null;
}

export type SourcesResult = { kind: 'sources'; sources: ExtractionSources } | { kind: 'unavailable'; message: string };

export type Downloader = (url: string, options: DownloadOptions) => Promise<Downloaded>;

const MAX_FILES = 16;
/** Files kept in memory at most, in all. */
const MAX_CACHED_BYTES = 160 * 1024 * 1024;
const MAX_SOURCES = 200;

export class DocumentFiles {
  private readonly files = new LruCache<string, DocumentFile>(MAX_FILES);
  private readonly sources = new LruCache<string, ExtractionSources>(MAX_SOURCES);
  /** Set after the server said it has no sources route: said once, never asked again until cleared. */
  private sourcesMissing: string | undefined;

  constructor(
    private readonly client: RetabClient,
    private readonly download: Downloader = downloadFile,
  ) {}

  /** A file already fetched this session, without any request. */
  peek(fileId: string): DocumentFile | undefined {
    return this.files.get(fileId);
  }

  async getFile(fileId: string, options: Pick<DownloadOptions, 'signal' | 'onProgress'> = {}): Promise<DocumentFile> {
    const cached = this.files.get(fileId);
    if (cached) {
      return cached;
    }
    const record = await this.client.getFile(fileId, options.signal);
    const link = await this.client.getFileDownloadLink(fileId, options.signal);
    const downloaded = await this.download(link.downloadUrl, options);
    const file: DocumentFile = { record, bytes: downloaded.bytes, mimeType: record.mimeType ?? mimeOf(downloaded.contentType) };
    this.files.set(fileId, file);
    this.trim();
    return file;
  }

  /** Where each value of an extraction was read; `unavailable` when the server cannot say. */
  async getSources(extractionId: string, signal?: AbortSignal): Promise<SourcesResult> {
    if (this.sourcesMissing) {
      return { kind: 'unavailable', message: this.sourcesMissing };
    }
    const cached = this.sources.get(extractionId);
    if (cached) {
      return { kind: 'sources', sources: cached };
    }
    try {
      const sources = await this.client.getExtractionSources(extractionId, signal);
      this.sources.set(extractionId, sources);
      return { kind: 'sources', sources };
    } catch (caught) {
      const error = toRetabError(caught);
      if (error.kind === 'not_found' || error.status === 405) {
        // Either the route is missing or it does not take workflow extractions' ids: both mean no boxes here.
        this.sourcesMissing = l10n.t('this server does not say where values were read (sources: HTTP {0})', error.status ?? 404);
        return { kind: 'unavailable', message: this.sourcesMissing };
      }
      throw error;
    }
  }

  /** Another key, server or a Refresh: nothing of the last one is kept. */
  clear(): void {
    this.files.clear();
    this.sources.clear();
    this.sourcesMissing = undefined;
  }

  /** Bytes held now: what the cache bound is measured in. */
  get cachedBytes(): number {
    let total = 0;
    for (const file of this.files.values()) {
      total += file.bytes.byteLength;
    }
    return total;
  }

  private trim(): void {
    while (this.cachedBytes > MAX_CACHED_BYTES && this.files.size > 1) {
      this.files.deleteOldest();
    }
  }
}

function mimeOf(contentType: string | null): string | null {
  const type = contentType?.split(';')[0].trim().toLowerCase();
  return type && /^[a-z]+\/[a-z0-9.+-]+$/.test(type) ? type : null;
}
