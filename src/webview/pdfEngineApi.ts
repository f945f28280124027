/**
 * What the panel's script (documentViewer.ts) uses of pdf.js, which lives in its own bundle
 * (dist/pdfEngine.js, loaded only when a PDF is shown): the panel stays small for every other job.
 */
export interface PdfPageSize {
  width: number;
  height: number;
}

export interface PdfHandle {
  readonly pageCount: number;
  /** The page's size at scale 1, in CSS pixels. */
  pageSize(page: number): Promise<PdfPageSize>;
  /** Draws the page into `canvas`, `cssWidth` wide, at the screen's pixel density. */
  render(page: number, canvas: HTMLCanvasElement, cssWidth: number): Promise<void>;
  destroy(): Promise<void>;
}

export interface PdfEngine {
  open(bytes: Uint8Array): Promise<PdfHandle>;
}

export const PDF_ENGINE_GLOBAL = 'retabPdfEngine';

/** Starts the engine; `workerSource` is pdf.js's worker script, read from the extension's files. */
export type PdfEngineFactory = (workerSource: string) => PdfEngine;
