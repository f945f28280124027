import { t } from './strings';
/**
 * Draws the Document section's file in the job panel: PDF pages with pdf.js (loaded the first
 * time a PDF is shown), images as images, and a box over the chosen field's value. Its element
 * lives across page renders: the host's markup leaves a `#document-slot` and the panel's script
 * moves this viewer into it after each render, so drawn pages are not lost when the job is
 * refreshed. Pages are drawn when they come near the visible part of the viewer, so a 300-page
 * PDF shows its first page as soon as a 2-page one.
 */
import { PDF_ENGINE_GLOBAL, PdfEngine, PdfEngineFactory, PdfHandle } from './pdfEngineApi';

export interface ViewerBox {
  page: number;
  left: number;
  top: number;
  width: number;
  height: number;
}

interface PageView {
  element: HTMLDivElement;
  canvas: HTMLCanvasElement | undefined;
  state: 'empty' | 'drawing' | 'drawn';
}

export interface ViewerOptions {
  /** Where pdf.js and its worker are (the page's data attributes). */
  pdfScriptUrl: string;
  pdfWorkerUrl: string;
  nonce: string;
  /** A page was drawn: `ms` after the file's bytes arrived; `memoryBytes` as `memoryBytes()` says. */
  onDrawn(fileKey: string, page: number, ms: number, memoryBytes: number | null): void;
  /** Says something to screen readers. */
  announce(text: string): void;
}

export class DocumentViewer {
  readonly root: HTMLDivElement;
  private fileKey: string | undefined;
  private pdf: PdfHandle | undefined;
  private imageUrl: string | undefined;
  private pages: PageView[] = [];
  private box: ViewerBox | null = null;
  private boxElement: HTMLDivElement | undefined;
  private arrivedAt = 0;
  private generation = 0;
  private readonly observer: IntersectionObserver;
  private engine: Promise<PdfEngine> | undefined;

  constructor(private readonly options: ViewerOptions) {
    this.root = document.createElement('div');
    this.root.className = 'doc-viewer';
    this.root.tabIndex = 0;
    this.root.setAttribute('role', 'region');
    this.root.setAttribute('aria-label', t('Document pages'));
    this.observer = new IntersectionObserver((entries) => this.onVisible(entries), { root: this.root, rootMargin: '100% 0px' });
  }

  /** Puts the viewer in the slot of the page just rendered (its drawn pages come along). */
  attach(slot: HTMLElement | null): void {
    if (slot && this.root.parentElement !== slot) {
      const scrollTop = this.root.scrollTop;
      slot.replaceChildren(this.root);
      this.root.scrollTop = scrollTop;
    }
  }

  get shownKey(): string | undefined {
    return this.fileKey;
  }

  /** Shows a file; the same file again keeps what is drawn. */
  async show(fileKey: string, display: 'pdf' | 'image', bytes: Uint8Array): Promise<void> {
    if (fileKey === this.fileKey) {
      return;
    }
    const generation = this.clear();
    this.fileKey = fileKey;
    this.arrivedAt = performance.now();
    if (display === 'image') {
      this.showImage(fileKey, bytes);
      return;
    }
    try {
      const engine = await this.loadEngine();
      const pdf = await engine.open(bytes);
      if (generation !== this.generation) {
        void pdf.destroy();
        return;
      }
      this.pdf = pdf;
      const first = await pdf.pageSize(1);
      if (generation !== this.generation) {
        return;
      }
      // Every page gets a frame of page 1's proportions; each is corrected when drawn.
      for (let number = 1; number <= pdf.pageCount; number++) {
        const element = document.createElement('div');
        element.className = 'doc-page';
        element.dataset.page = String(number);
        element.style.aspectRatio = `${first.width} / ${first.height}`;
        element.setAttribute('aria-label', t('Page {0} of {1}', number, pdf.pageCount));
        this.root.append(element);
        this.pages.push({ element, canvas: undefined, state: 'empty' });
        this.observer.observe(element);
      }
      this.placeBox();
    } catch (caught) {
      if (generation === this.generation) {
        this.fail(caught);
      }
    }
  }

  /** Marks a box (or removes the mark) and scrolls the viewer to it. */
  highlight(fileKey: string, box: ViewerBox | null): void {
    if (fileKey !== this.fileKey) {
      return;
    }
    this.box = box;
    this.placeBox();
  }

  /** Forgets the file: pages, canvases, the pdf.js document and the image's URL are released. */
  clear(): number {
    this.generation++;
    for (const page of this.pages) {
      this.observer.unobserve(page.element);
      if (page.canvas) {
        // A zero-sized canvas gives its pixels back at once, not at the next collection.
        page.canvas.width = 0;
        page.canvas.height = 0;
      }
    }
    this.pages = [];
    this.root.replaceChildren();
    void this.pdf?.destroy();
    this.pdf = undefined;
    if (this.imageUrl) {
      URL.revokeObjectURL(this.imageUrl);
      this.imageUrl = undefined;
    }
    this.fileKey = undefined;
    this.box = null;
    this.boxElement = undefined;
    return this.generation;
  }

  private showImage(fileKey: string, bytes: Uint8Array): void {
    const element = document.createElement('div');
    // l10n-exempt: CSS classes
    element.className = 'doc-page doc-image';
    element.dataset.page = '1';
    const image = document.createElement('img');
    image.alt = t('The document');
    this.imageUrl = URL.createObjectURL(new Blob([bytes as BlobPart]));
    image.addEventListener(
      'load',
      () => {
        if (this.fileKey === fileKey) {
          this.options.onDrawn(fileKey, 1, performance.now() - this.arrivedAt, this.memoryBytes());
        }
      },
      { once: true },
    );
    image.addEventListener('error', () => this.fail(new Error(t('the image could not be decoded'))), { once: true });
    image.src = this.imageUrl;
    element.append(image);
    this.root.append(element);
    this.pages.push({ element, canvas: undefined, state: 'drawn' });
    this.placeBox();
  }

  private onVisible(entries: IntersectionObserverEntry[]): void {
    for (const entry of entries) {
      if (!entry.isIntersecting) {
        continue;
      }
      const number = Number((entry.target as HTMLElement).dataset.page);
      const page = this.pages[number - 1];
      if (page && page.state === 'empty') {
        void this.draw(number, page);
      }
    }
  }

  private async draw(number: number, page: PageView): Promise<void> {
    const pdf = this.pdf;
    const fileKey = this.fileKey;
    if (!pdf || !fileKey) {
      return;
    }
    page.state = 'drawing';
    const generation = this.generation;
    const canvas = document.createElement('canvas');
    canvas.setAttribute('aria-hidden', 'true');
    try {
      const width = page.element.clientWidth || this.root.clientWidth || 600;
      await pdf.render(number, canvas, width);
      if (generation !== this.generation) {
        canvas.width = 0;
        canvas.height = 0;
        return;
      }
      page.element.style.aspectRatio = `${canvas.width} / ${canvas.height}`;
      page.element.prepend(canvas);
      page.canvas = canvas;
      page.state = 'drawn';
      this.options.onDrawn(fileKey, number, performance.now() - this.arrivedAt, this.memoryBytes());
    } catch (caught) {
      page.state = 'empty';
      if (generation === this.generation) {
        page.element.dataset.error = caught instanceof Error ? caught.message.slice(0, 200) : 'error';
      }
    }
  }

  /**
   * What the page holds for its documents, as far as it can tell: the script heap (Chromium's
   * `performance.memory`) and the pixels of the drawn pages. For the benchmark's memory figure.
   */
  memoryBytes(): number | null {
    const heap = (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize;
    if (heap === undefined) {
      return null;
    }
    let pixels = 0;
    for (const page of this.pages) {
      pixels += page.canvas ? page.canvas.width * page.canvas.height * 4 : 0;
    }
    return Math.round(heap + pixels);
  }

  private placeBox(): void {
    this.boxElement?.remove();
    this.boxElement = undefined;
    const box = this.box;
    const page = box ? this.pages[box.page - 1] : undefined;
    if (!box || !page) {
      return;
    }
    const element = document.createElement('div');
    element.className = 'doc-box';
    element.setAttribute('role', 'img');
    element.setAttribute('aria-label', t('The value, on page {0}', box.page));
    element.style.left = `${box.left * 100}%`;
    element.style.top = `${box.top * 100}%`;
    element.style.width = `${box.width * 100}%`;
    element.style.height = `${box.height * 100}%`;
    page.element.append(element);
    this.boxElement = element;
    // The viewer scrolls itself, not the panel: the field's votes stay where the person reads them.
    const target = page.element.offsetTop + element.offsetTop - this.root.clientHeight / 3;
    this.root.scrollTop = Math.max(0, target);
    this.options.announce(t('Marked on page {0}', box.page));
  }

  private fail(caught: unknown): void {
    const message = document.createElement('p');
    message.className = 'doc-failed';
    message.textContent = t('The document could not be drawn: {0}', caught instanceof Error ? caught.message.slice(0, 300) : t('unknown error'));
    this.root.replaceChildren(message);
  }

  /** pdf.js's bundle is added with the page's nonce, once; its worker's source is read from the extension's files. */
  private loadEngine(): Promise<PdfEngine> {
    this.engine ??= (async () => {
      const [workerSource] = await Promise.all([fetch(this.options.pdfWorkerUrl).then((response) => response.text()), this.addScript()]);
      const factory = (globalThis as unknown as Record<string, PdfEngineFactory | undefined>)[PDF_ENGINE_GLOBAL];
      if (!factory) {
        throw new Error(t('pdf.js did not load'));
      }
      return factory(workerSource);
    })();
    this.engine.catch(() => {
      this.engine = undefined; // tried again with the next file
    });
    return this.engine;
  }

  private addScript(): Promise<void> {
    return new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.nonce = this.options.nonce;
      script.src = this.options.pdfScriptUrl;
      script.addEventListener('load', () => resolve(), { once: true });
      script.addEventListener('error', () => reject(new Error(t('pdf.js could not be loaded'))), { once: true });
      document.head.append(script);
    });
  }
}
