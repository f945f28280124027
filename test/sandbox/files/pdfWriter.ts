/**
 * A small PDF writer for the sandbox's documents: letter pages with Helvetica text at given places,
 * and optional padding (an unreferenced stream) to make a file of a given size. Text is encoded
 * as WinAnsi; characters outside it are written as '?', so a box computed from the string's length
 * still covers what is drawn.
 */

export const PAGE_WIDTH_PT = 612;
export const PAGE_HEIGHT_PT = 792;

export interface PdfText {
  /** 1-based. */
  page: number;
  /** From the left edge, in points. */
  x: number;
  /** The text's top, from the top edge, in points. */
  top: number;
  size: number;
  text: string;
}

/** WinAnsi's own places for characters outside Latin-1 that values carry (dashes, quotes, euro). */
const WIN_ANSI_EXTRA: ReadonlyMap<string, number> = new Map([
  ['€', 0x80],
  ['‚', 0x82],
  ['„', 0x84],
  ['…', 0x85],
  ['‘', 0x91],
  ['’', 0x92],
  ['“', 0x93],
  ['”', 0x94],
  ['•', 0x95],
  ['–', 0x96],
  ['—', 0x97],
  ['™', 0x99],
]);

function winAnsi(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0) ?? 63;
    const byte = code >= 32 && code <= 126 ? code : code >= 160 && code <= 255 ? code : (WIN_ANSI_EXTRA.get(char) ?? 63);
    const literal = String.fromCharCode(byte);
    out += literal === '(' || literal === ')' || literal === '\\' ? `\\${literal}` : byte > 126 ? `\\${byte.toString(8).padStart(3, '0')}` : literal;
  }
  return out;
}

/** Where a text's glyphs are drawn: its baseline sits 0.8 of its size below its top. */
export function baselineOf(item: Pick<PdfText, 'top' | 'size'>): number {
  return PAGE_HEIGHT_PT - (item.top + item.size * 0.8);
}

/**
 * `script`: JavaScript the PDF asks its viewer to run when opened (an OpenAction), and a link
 * annotation to a `javascript:` URL on page 1: what a hostile file carries. A viewer must run neither.
 */
export function buildPdf(pageCount: number, texts: readonly PdfText[], padBytes = 0, script?: string): Buffer {
  const objects: Array<string | Buffer> = [];
  // 1: catalog, 2: pages, 3: font, then a page and its content per page, then padding.
  const pageIds = Array.from({ length: pageCount }, (_, index) => 4 + index * 2);
  const js = script === undefined ? '' : winAnsi(script);
  objects.push(`<< /Type /Catalog /Pages 2 0 R${script === undefined ? '' : ` /OpenAction << /S /JavaScript /JS (${js}) >>`} >>`);
  objects.push(`<< /Type /Pages /Count ${pageCount} /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] >>`);
  objects.push('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
  const byPage = new Map<number, PdfText[]>();
  for (const text of texts) {
    const list = byPage.get(text.page) ?? [];
    list.push(text);
    byPage.set(text.page, list);
  }
  for (let page = 1; page <= pageCount; page++) {
    const lines = [`BT /F1 9 Tf 0.45 g 500 30 Td (Page ${page} of ${pageCount}) Tj ET`];
    for (const text of byPage.get(page) ?? []) {
      lines.push(`BT /F1 ${text.size} Tf 0 g ${text.x.toFixed(2)} ${baselineOf(text).toFixed(2)} Td (${winAnsi(text.text)}) Tj ET`);
    }
    const stream = lines.join('\n');
    objects.push(
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${PAGE_WIDTH_PT} ${PAGE_HEIGHT_PT}] /Resources << /Font << /F1 3 0 R >> >> /Contents ${pageIds[page - 1] + 1} 0 R >>`,
    );
    objects.push(`<< /Length ${Buffer.byteLength(stream, 'latin1')} >>\nstream\n${stream}\nendstream`);
  }
  if (padBytes > 0) {
    const padding = Buffer.alloc(padBytes, 0x20);
    objects.push(Buffer.concat([Buffer.from(`<< /Length ${padBytes} >>\nstream\n`, 'latin1'), padding, Buffer.from('\nendstream', 'latin1')]));
  }
  const parts: Buffer[] = [Buffer.from('%PDF-1.4\n%\xE2\xE3\xCF\xD3\n', 'latin1')];
  let offset = parts[0].length;
  const offsets: number[] = [];
  objects.forEach((body, index) => {
    offsets.push(offset);
    const head = Buffer.from(`${index + 1} 0 obj\n`, 'latin1');
    const content = typeof body === 'string' ? Buffer.from(body, 'latin1') : body;
    const tail = Buffer.from('\nendobj\n', 'latin1');
    parts.push(head, content, tail);
    offset += head.length + content.length + tail.length;
  });
  const xref = [`xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`, ...offsets.map((at) => `${String(at).padStart(10, '0')} 00000 n \n`)].join('');
  parts.push(Buffer.from(`${xref}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${offset}\n%%EOF\n`, 'latin1'));
  return Buffer.concat(parts);
}
