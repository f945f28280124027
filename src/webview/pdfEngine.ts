/**
 * pdf.js for the job panel's Document section, as its own bundle (dist/pdfEngine.js). The panel's
 * script adds it, with its nonce, the first time a PDF is shown, and hands it the worker's source:
 * the worker runs from a blob: URL (a worker cannot be started from the resource origin), so the
 * PDF is parsed off the page's thread. The bytes come from the host by message; pdf.js makes no
 * request. pdf.js 6 compiles nothing with eval (`isEvalSupported: false` is kept for older
 * releases), runs no script a PDF carries (no scripting, no XFA) and draws into canvases.
 */
import { GlobalWorkerOptions, type PDFDocumentProxy, getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { PDF_ENGINE_GLOBAL, PdfEngine, PdfEngineFactory, PdfHandle } from './pdfEngineApi';

/** Canvases are capped: a huge page at a high density would take hundreds of MB. */
const MAX_CANVAS_PIXELS = 16_000_000;

const createEngine: PdfEngineFactory = (workerSource) => {
  if (!GlobalWorkerOptions.workerPort) {
    const url = URL.createObjectURL(new Blob([workerSource], { type: 'text/javascript' }));
    GlobalWorkerOptions.workerPort = new Worker(url, { type: 'module', name: 'pdf.js' });
  }
  const engine: PdfEngine = {
    async open(bytes) {
      const task = getDocument({
        data: bytes,
        isEvalSupported: false,
        enableXfa: false,
        disableAutoFetch: true,
        useSystemFonts: true,
        stopAtErrors: false,
      } as Parameters<typeof getDocument>[0] & { isEvalSupported: false });
      return handleOf(await task.promise, () => task.destroy());
    },
  };
  return engine;
};

function handleOf(pdf: PDFDocumentProxy, destroy: () => Promise<void>): PdfHandle {
  return {
    pageCount: pdf.numPages,
    async pageSize(number) {
      const viewport = (await pdf.getPage(number)).getViewport({ scale: 1 });
      return { width: viewport.width, height: viewport.height };
    },
    async render(number, canvas, cssWidth) {
      const page = await pdf.getPage(number);
      const base = page.getViewport({ scale: 1 });
      let density = Math.max(1, window.devicePixelRatio || 1);
      let scale = (cssWidth / base.width) * density;
      if (base.width * base.height * scale * scale > MAX_CANVAS_PIXELS) {
        scale = Math.sqrt(MAX_CANVAS_PIXELS / (base.width * base.height));
        density = 1;
      }
      const viewport = page.getViewport({ scale });
      canvas.width = Math.floor(viewport.width);
      canvas.height = Math.floor(viewport.height);
      const context = canvas.getContext('2d');
      if (!context) {
        throw new Error('no 2D context');
      }
      await page.render({ canvas, canvasContext: context, viewport }).promise;
      page.cleanup();
    },
    destroy,
  };
}

(globalThis as unknown as Record<string, PdfEngineFactory>)[PDF_ENGINE_GLOBAL] = createEngine;
