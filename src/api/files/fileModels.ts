/**
 * A job's input file and where its values were read, as the views use them. The wire shapes
 * (`GET /files/{id}`, `/files/{id}/download-link`, `/extractions/{id}/sources`) are the same in
 * every generation that has them; fileWire.ts reads them into these.
 */

/** `GET /files/{file_id}`. */
export interface FileRecord {
  id: string;
  filename: string;
  mimeType: string | null;
  /** Pages of a PDF, when the server counted them. */
  pageCount: number | null;
}

/** `GET /files/{file_id}/download-link`: a signed URL of another origin, short-lived. */
export interface FileLink {
  downloadUrl: string;
  filename: string | null;
  expiresIn: string | null;
}

/** Where a value lies on a page: normalised 0..1, top-left origin, pages counted from 1. */
export interface PageBox {
  kind: 'pdf_bbox' | 'image_bbox';
  page: number;
  left: number;
  top: number;
  width: number;
  height: number;
}

/** One leaf of the sources tree: the value and, when the server found it, what it read and where. */
export interface FieldSource {
  value: unknown;
  /** null: the server gave no source for this value. */
  content: string | null;
  /** null when there is no source, or when it is not on a page (a spreadsheet cell, a text span). */
  box: PageBox | null;
  /** The anchor's kind when it is not a page box (`csv_cell`, …): said, not drawn. */
  otherAnchor: string | null;
  hasSource: boolean;
}

/** `GET /extractions/{extraction_id}/sources`, its leaves by field path (`invoice.total`, `items.0.amount`). */
export interface ExtractionSources {
  extractionId: string;
  fileId: string | null;
  documentType: string | null;
  fields: ReadonlyMap<string, FieldSource>;
}

/** Where a job's input file is named: the first file handle, with its id when the server gave one. */
export interface InputFile {
  handle: string;
  filename: string | null;
  /** `file_…`; null when the input names only a file name (the seed's shape). */
  fileId: string | null;
  mimeType: string | null;
}
