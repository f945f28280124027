/**
 * Renders file names in Japanese, Cyrillic, Greek and accented Latin with the font stacks VS Code
 * uses on Linux, in the browser the UI tests use (browser.ts) with the fonts from npm (fonts.ts),
 * saves a screenshot to look at, and fails when any text is drawn with a font that is not one of
 * those fonts (which would mean a system font, or none, stood in).
 *
 *   npm run setup && node out/test/runners/fontCheck.js   (writes test-results/fonts/fonts.png)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { launchBrowser } from './browser';

const REPO_ROOT = path.resolve(__dirname, '../../..');
const OUT = path.join(REPO_ROOT, 'test-results', 'fonts', 'fonts.png');
const EXPECTED = new Set(['DejaVu Sans', 'DejaVu Serif', 'DejaVu Sans Mono', 'Noto Sans JP']);

const NAMES = [
  '請求_2026.pdf',
  '請求書_2026.pdf · 納品書_0003.pdf · データ.pdf',
  'счёт-фактура_№42.pdf · Überweisung Ä.pdf',
  'facture_été_№42.pdf · Élodie_Müller_façade.pdf · São_Tomé_ção.pdf',
  'Ελληνικά.pdf · Łódź_Kraków_żółć.pdf',
];

/** VS Code's own stacks on Linux: the workbench (and webviews) and the editor. */
const STACKS: Record<string, string> = {
  workbench: 'system-ui, "Ubuntu", "Droid Sans", sans-serif',
  bold: 'system-ui, "Ubuntu", "Droid Sans", sans-serif; font-weight: bold',
  editor: '"Droid Sans Mono", "monospace", monospace',
};

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
}

async function main(): Promise<void> {
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 760, height: 520 } });
    const rows = Object.entries(STACKS)
      .map(([label, css]) => `<h2>${label}</h2>` + NAMES.map((name) => `<div class="row" style='font-family: ${css}'>${escapeHtml(name)}</div>`).join(''))
      .join('');
    await page.setContent(`<body style="margin: 12px; font-size: 15px; background: #1f1f1f; color: #ccc">
      <style>h2 { font: 11px sans-serif; margin: 8px 0 2px; color: #888 } .row { padding: 1px 0 }</style>${rows}</body>`);
    fs.mkdirSync(path.dirname(OUT), { recursive: true });
    await page.screenshot({ path: OUT });

    const cdp = await page.context().newCDPSession(page);
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = await cdp.send('DOM.getDocument', { depth: -1 });
    const { nodeIds } = await cdp.send('DOM.querySelectorAll', { nodeId: root.nodeId, selector: '.row' });
    const used = new Map<string, number>();
    for (const nodeId of nodeIds) {
      const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
      for (const font of fonts) {
        used.set(font.familyName, (used.get(font.familyName) ?? 0) + font.glyphCount);
      }
    }
    console.log(`Screenshot: ${path.relative(REPO_ROOT, OUT)}`);
    console.log(`Fonts drawn (glyphs): ${[...used].map(([family, glyphs]) => `${family} (${glyphs})`).join(', ')}`);
    const strangers = [...used.keys()].filter((family) => !EXPECTED.has(family));
    if (strangers.length > 0) {
      throw new Error(`drawn with fonts that are not from npm: ${strangers.join(', ')}`);
    }
  } finally {
    await browser.close();
  }
}

main().catch((error: unknown) => {
  console.error(`Font check failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
