/**
 * The files behind the sandbox's documents (`GET /files/{id}`, `/files/{id}/download-link`), the
 * bytes a download link serves (from a second origin: downloads.ts), and where each extracted
 * value lies in them (`GET /extractions/{id}/sources`). Every file is generated from its document:
 * a PDF (1–3 pages) or a PNG scan with each field's true value written at the box its sources say,
 * so tests can find the value's pixels under the box the extension draws.
 *
 * Fixed files tests rely on (exp_invoices_v2): `expdoc_inv_001` invoice_q1.pdf has 2 pages;
 * `expdoc_inv_005` is a PNG scan; `expdoc_inv_006` has 300 pages; `expdoc_inv_008` is about 40 MB;
 * `expdoc_inv_009` is about 60 MB (over the extension's 50 MB cap). Other file types (`.docx`,
 * `.tif`) are served as bytes the panel does not draw.
 */
import { createHash } from 'node:crypto';
import { DocumentSeed, ExperimentSeed } from '../data';
import { CellMaker, documentTargets, isLabelled, truthOf } from '../fields';
import { fileIdOf, mimeTypeOf } from '../inputs';
import { hash32 } from '../prng';
import { RunRecord } from '../jobs';
import { SandboxStore } from '../store';
import { PAGE_HEIGHT_PT, PAGE_WIDTH_PT, PdfText, buildPdf } from './pdfWriter';
import { PngText, buildPng, textWidthPx } from './pngWriter';

export type FileKind = 'pdf' | 'png' | 'other';

export interface SandboxFile {
  id: string;
  filename: string;
  mimeType: string;
  kind: FileKind;
  pageCount: number;
  experiment: ExperimentSeed;
  document: DocumentSeed;
  /** The document's own file (not an extra input): its values are drawn in it. */
  primary: boolean;
  /** Bytes of padding that make the file big (the 40 MB and 60 MB fixtures). */
  padBytes: number;
}

export interface Box {
  page: number;
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface PlacedValue {
  path: string;
  /** What the page shows. */
  content: string;
  box: Box;
}

const HOSTILE_SCRIPT = 'app.alert("pwned"); this.__pwned = 1; if (typeof window !== "undefined") { window.__pwned = 1; }';
const BIG_PAGE_COUNT: Readonly<Record<string, number>> = { expdoc_inv_001: 2, expdoc_inv_006: 300 };
const PADDED_BYTES: Readonly<Record<string, number>> = { expdoc_inv_008: 40 * 1024 * 1024, expdoc_inv_009: 60 * 1024 * 1024 };
const MAX_SHOWN_CHARS_PDF = 40;
const PNG_WIDTH = 850;
const PNG_HEIGHT = 1100;
const PNG_SCALE = 3;

function kindOf(mimeType: string): FileKind {
  if (mimeType === 'application/pdf') {
    return 'pdf';
  }
  // JPEG and TIFF scans are served as PNG bytes under their own name: browsers sniff images.
  return mimeType.startsWith('image/') && mimeType !== 'image/tiff' ? 'png' : 'other';
}

export class SandboxFiles {
  private catalogue: Map<string, SandboxFile> | undefined;
  private readonly built = new Map<string, Buffer>();
  /** Where download links point: the second server's origin, set once it listens. */
  downloadOrigin = '';
  /** `--no-sources`: the sources route answers 404, as on a server without it. */
  sourcesEnabled = true;
  private readonly secret: string;

  constructor(
    private readonly store: SandboxStore,
    secret: string,
  ) {
    this.secret = secret;
  }

  file(id: string): SandboxFile | undefined {
    return this.files().get(id);
  }

  private files(): Map<string, SandboxFile> {
    if (!this.catalogue) {
      const catalogue = new Map<string, SandboxFile>();
      for (const experiment of this.store.catalog.experimentById.values()) {
        for (const document of experiment.documents) {
          const id = fileIdOf(document.id);
          if (!catalogue.has(id)) {
            const mimeType = PADDED_BYTES[document.id] || BIG_PAGE_COUNT[document.id] ? 'application/pdf' : mimeTypeOf(document.filename);
            const kind = kindOf(mimeType);
            const pageCount = BIG_PAGE_COUNT[document.id] ?? (kind === 'pdf' ? 1 + (hash32(document.id) % 3) : 1);
            catalogue.set(id, {
              id,
              filename: document.filename,
              mimeType,
              kind,
              pageCount,
              experiment,
              document,
              primary: true,
              padBytes: PADDED_BYTES[document.id] ?? 0,
            });
          }
          for (const [key, input] of Object.entries(document.extraHandles ?? {})) {
            if (input.kind === 'file') {
              const extraId = fileIdOf(`${document.id}/${key}`);
              const mimeType = mimeTypeOf(input.filename);
              catalogue.set(extraId, {
                id: extraId,
                filename: input.filename,
                mimeType,
                kind: kindOf(mimeType),
                pageCount: 1,
                experiment,
                document,
                primary: false,
                padBytes: 0,
              });
            }
          }
        }
      }
      this.catalogue = catalogue;
    }
    return this.catalogue;
  }

  /** `GET /files/{id}`. */
  record(file: SandboxFile): Record<string, unknown> {
    const created = new Date(file.experiment.createdAt).toISOString();
    return {
      object: 'file',
      id: file.id,
      filename: file.filename,
      mime_type: file.mimeType,
      created_at: created,
      updated_at: created,
      ...(file.kind === 'pdf' ? { page_count: file.pageCount } : {}),
    };
  }

  /** `GET /files/{id}/download-link`: a signed URL on the download origin, valid an hour. */
  link(file: SandboxFile, now: number): Record<string, unknown> {
    const expires = Math.floor(now / 1000) + 3600;
    const token = `${file.id}.${expires}.${this.sign(file.id, expires)}`;
    return {
      download_url: `${this.downloadOrigin}/download/${token}/${encodeURIComponent(file.filename)}`,
      expires_in: '60 minutes',
      filename: file.filename,
    };
  }

  /** The file a download token names, if it is signed by this sandbox and not expired. */
  verify(token: string, now: number): SandboxFile | 'expired' | undefined {
    const [id, expiresText, signature] = token.split('.');
    const expires = Number(expiresText);
    if (!id || !signature || !Number.isSafeInteger(expires) || signature !== this.sign(id, expires)) {
      return undefined;
    }
    if (expires * 1000 < now) {
      return 'expired';
    }
    return this.file(id);
  }

  private sign(id: string, expires: number): string {
    return createHash('sha256').update(`${this.secret}\u0000${id}\u0000${expires}`).digest('base64url').slice(0, 32);
  }

  /** Files past this are streamed (never held): a valid start, then filler; no client should read them whole. */
  static readonly STREAMED_OVER = 50 * 1024 * 1024;

  /** The 60 MB fixture's size, and its bytes a chunk at a time. */
  streamed(file: SandboxFile): { size: number; chunks: () => Generator<Buffer> } | undefined {
    if (file.padBytes <= SandboxFiles.STREAMED_OVER) {
      return undefined;
    }
    const size = file.padBytes;
    return {
      size,
      *chunks() {
        const head = Buffer.from('%PDF-1.4\n', 'latin1');
        yield head;
        const filler = Buffer.alloc(1024 * 1024, 0x20);
        let left = size - head.length;
        while (left > 0) {
          const part = left >= filler.length ? filler : filler.subarray(0, left);
          left -= part.length;
          yield part;
        }
      },
    };
  }

  /** The file's bytes. Padded files are built once per sandbox process (the 40 MB one), never the 60 MB one: it is streamed. */
  bytes(file: SandboxFile): Buffer {
    const key = `${file.id}/${file.padBytes}`;
    const cached = this.built.get(key);
    if (cached) {
      return cached;
    }
    const placed = file.primary ? this.layout(file) : [];
    let bytes: Buffer;
    switch (file.kind) {
      case 'pdf':
        // The hostile experiment's files carry script, as a booby-trapped PDF would.
        bytes = buildPdf(file.pageCount, pdfTexts(file, placed), file.padBytes, file.experiment.hostile ? HOSTILE_SCRIPT : undefined);
        break;
      case 'png':
        bytes = buildPng(PNG_WIDTH, PNG_HEIGHT, pngTexts(file, placed));
        break;
      default:
        bytes = Buffer.from(`PK\u0003\u0004 sandbox file ${file.filename}\n`, 'utf8');
    }
    if (this.built.size > 64) {
      this.built.clear();
    }
    this.built.set(key, bytes);
    return bytes;
  }

  /** Where each field's true value is drawn in a document's file. */
  layout(file: SandboxFile): PlacedValue[] {
    const { experiment, document } = file;
    if (isLabelled(experiment) || file.kind === 'other') {
      return [];
    }
    const placed: PlacedValue[] = [];
    documentTargets(experiment, document).forEach((target, index) => {
      const truth = truthOf(experiment, document, target);
      if (truth === null || truth === undefined) {
        return;
      }
      const text = typeof truth === 'string' ? truth : JSON.stringify(truth);
      const page = 1 + (index % file.pageCount);
      const row = Math.floor(index / file.pageCount);
      placed.push(file.kind === 'pdf' ? pdfPlace(target.path, text, page, row) : pngPlace(target.path, text, row));
    });
    return placed;
  }

  /** `GET /extractions/{id}/sources`: the extraction's values, each with where it was read. */
  sources(extractionId: string, source: { record: RunRecord; index: number }): Record<string, unknown> | undefined {
    const { record, index } = source;
    const experiment = record.experiment;
    const document = record.documents[index];
    const file = this.file(fileIdOf(document.id));
    if (!file) {
      return undefined;
    }
    const placed = new Map(this.layout(file).map((value) => [value.path, value]));
    const maker = new CellMaker(experiment, { document, failed: false, source: { definition: record.definition, runId: record.id, n: record.nConsensus } });
    const tree: Record<string, unknown> = {};
    const anchorKind = file.kind === 'pdf' ? 'pdf_bbox' : 'image_bbox';
    for (const target of documentTargets(experiment, document)) {
      const value = maker.cell(target).value;
      const at = placed.get(target.path);
      setPath(tree, target.path, {
        value: value ?? null,
        source: at ? { content: at.content, anchor: { type: anchorKind, ...at.box } } : null,
      });
    }
    return {
      object: 'extraction.sources',
      extraction_id: extractionId,
      document_type: file.kind === 'pdf' ? 'pdf' : 'image',
      file: { id: file.id, filename: file.filename, mime_type: file.mimeType },
      extraction: { id: extractionId },
      sources: tree,
    };
  }
}

const round = (value: number): number => Math.round(value * 10_000) / 10_000;

function pdfPlace(path: string, text: string, page: number, row: number): PlacedValue {
  const shown = text.length > MAX_SHOWN_CHARS_PDF ? `${text.slice(0, MAX_SHOWN_CHARS_PDF - 3)}...` : text;
  const top = 110 + row * 30;
  const width = Math.min(PAGE_WIDTH_PT - 300, [...shown].length * 14 * 0.62 + 8);
  return {
    path,
    content: shown,
    box: {
      page,
      left: round(296 / PAGE_WIDTH_PT),
      top: round((top - 4) / PAGE_HEIGHT_PT),
      width: round(width / PAGE_WIDTH_PT),
      height: round((14 * 1.15 + 8) / PAGE_HEIGHT_PT),
    },
  };
}

function pngPlace(path: string, text: string, row: number): PlacedValue {
  const maxChars = Math.floor((PNG_WIDTH - 400 - 20) / (6 * PNG_SCALE));
  const shown = [...text].length > maxChars ? `${[...text].slice(0, maxChars - 3).join('')}...` : text;
  const y = 140 + row * 48;
  return {
    path,
    content: shown,
    box: {
      page: 1,
      left: round(394 / PNG_WIDTH),
      top: round((y - 6) / PNG_HEIGHT),
      width: round(Math.min(PNG_WIDTH - 394, textWidthPx(shown, PNG_SCALE) + 12) / PNG_WIDTH),
      height: round((7 * PNG_SCALE + 12) / PNG_HEIGHT),
    },
  };
}

function pdfTexts(file: SandboxFile, placed: readonly PlacedValue[]): PdfText[] {
  const texts: PdfText[] = [{ page: 1, x: 56, top: 48, size: 18, text: file.filename }];
  for (const value of placed) {
    const top = value.box.top * PAGE_HEIGHT_PT + 4;
    texts.push({ page: value.box.page, x: 56, top: top + 1, size: 11, text: value.path });
    texts.push({ page: value.box.page, x: 300, top, size: 14, text: value.content });
  }
  return texts;
}

function pngTexts(file: SandboxFile, placed: readonly PlacedValue[]): PngText[] {
  const texts: PngText[] = [{ x: 60, y: 50, scale: 4, text: file.filename.slice(0, 28) }];
  for (const value of placed) {
    const y = Math.round(value.box.top * PNG_HEIGHT) + 6;
    texts.push({ x: 60, y: y + 4, scale: 2, text: value.path.slice(0, 27) });
    texts.push({ x: 400, y, scale: PNG_SCALE, text: value.content });
  }
  return texts;
}

/** Puts a leaf at a dotted path, numeric segments as list positions. */
function setPath(tree: Record<string, unknown>, path: string, leaf: unknown): void {
  const parts = path.split('.');
  let node: Record<string, unknown> | unknown[] = tree;
  parts.forEach((part, index) => {
    const last = index === parts.length - 1;
    const nextIsIndex = !last && /^\d+$/.test(parts[index + 1]);
    const key: string | number = Array.isArray(node) ? Number(part) : part;
    const container = node as Record<string | number, unknown>;
    if (last) {
      container[key] = leaf;
      return;
    }
    container[key] ??= nextIsIndex ? [] : {};
    node = container[key] as Record<string, unknown> | unknown[];
  });
}
