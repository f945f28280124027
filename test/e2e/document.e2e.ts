import * as assert from 'node:assert/strict';
import type { Frame, Page } from 'playwright-core';
import type { Sandbox } from '../sandbox/server';
import { useWorkbenchSession } from './session';
import { Workbench, waitUntil } from './workbench';
import { HOSTILE } from '../support/fixtures';

interface DocumentTheme {
  setting: string;
  slug: string;
  /** The README's picture of a document beside a field's votes, taken in this theme. */
  readme?: `${string}.png`;
}

const THEMES: DocumentTheme[] = [
  { setting: 'Default Dark Modern', slug: 'dark', readme: 'panel-document.png' },
  { setting: 'Default High Contrast', slug: 'high-contrast' },
];

/** What the canvas under a box holds: dark pixels (ink) inside it, and inside the same box moved off the value. */
interface InkUnderBox {
  inside: number;
  beside: number;
  boxVisible: boolean;
}

/**
 * The Document section as a person meets it, on today's API (G3): the job's input file drawn
 * beside its values (pdf.js, in the panel), a chosen field's value marked where the sandbox wrote
 * it, a scan shown as an image, a big file downloaded with its size said, one over the cap
 * refused in words; and nothing downloaded from the API's origin or with the key.
 */
for (const theme of THEMES) {
  describe(`The job panel's Document section in ${theme.setting} (UI)`, function () {
    this.timeout(240_000);
    let sandbox: Sandbox;
    let page: Page;
    let bench: Workbench;
    useWorkbenchSession(
      { api: 'g3', theme: theme.setting, scratchPrefix: `retab-document-${theme.slug}-`, failureShotPrefix: `document-${theme.slug}-` },
      async (session) => {
        ({ sandbox, page, workbench: bench } = session);
        await bench.runCommand('Retab: Focus on Experiments View');
        await bench.runCommand('Retab: Set API Key');
        await bench.typeApiKey(sandbox.apiKey);
        for (const label of ['Invoice extraction', 'Invoice fields v2', 'Run 6']) {
          await bench.treeRow(label).waitFor({ timeout: 30_000 });
          await bench.treeRow(label).click();
        }
        await bench.treeRow('invoice_q1.pdf').waitFor({ timeout: 30_000 });
      },
    );

    it('draws the PDF beside the fields and marks a chosen value where it is written', async () => {
      await bench.openDocumentRow('invoice_q1.pdf');
      const panel = bench.jobPanel();
      await panel.locator('details.document > summary').click();
      const firstPage = panel.locator('.doc-page[data-page="1"] canvas');
      await firstPage.waitFor({ timeout: 60_000 });
      const frame = await bench.jobPanelFrame();
      await waitUntil('page 1 has ink on it', async () => (await inkOf(frame, 1)) > 200);
      assert.match(await panel.locator('.doc-facts').innerText(), /PDF · .* · 2 pages/);

      await panel.locator('details.fields > summary').click();
      await panel.locator('button.field', { hasText: 'invoice.total' }).first().click();
      await panel.locator('section.votes[data-votes-state="loaded"]').waitFor({ timeout: 30_000 });
      const box = panel.locator('.doc-box');
      await box.waitFor({ timeout: 30_000 });
      assert.match(await panel.locator('[data-highlight="box"]').innerText(), /invoice\.total: page \d+, marked/);
      const ink = await inkUnderBox(frame);
      assert.ok(ink.boxVisible, 'the box is inside the viewer, on screen');
      assert.ok(ink.inside > 30, `ink under the box: ${ink.inside} dark pixels`);
      assert.ok(ink.inside > ink.beside * 3, `more ink under the box than beside it (${ink.inside} / ${ink.beside})`);
      // Requests: the file's bytes came from the download origin, without the key.
      const downloads = sandbox.downloads();
      assert.ok(downloads.length >= 1, 'downloaded from the second origin');
      assert.ok(
        downloads.every((request) => !request.carriedKey),
        'no download carried the key',
      );
      await bench.runCommand('Notifications: Clear All Notifications');
      // The picture: the votes in view on the left, the document beside them (it stays at the top as the page scrolls).
      await frame.evaluate(() => document.querySelector('section.votes')?.scrollIntoView({ block: 'end' }));
      await page.mouse.move(1, 430);
      await bench.screenshot(`document-${theme.slug}-pdf-box`, theme.readme);
    });

    it('shows a scan as an image, with its box', async () => {
      await bench.openDocumentRow('scan_26870.png');
      const panel = bench.jobPanel();
      await panel.locator('.doc-page img').waitFor({ timeout: 60_000 });
      const frame = await bench.jobPanelFrame();
      await waitUntil('the scan is decoded', () => frame.evaluate(() => document.querySelector<HTMLImageElement>('.doc-page img')?.naturalWidth === 850));
      await panel.locator('button.field', { hasText: 'invoice.number' }).first().click();
      await panel.locator('.doc-box').waitFor({ timeout: 30_000 });
      const ink = await inkUnderBox(frame);
      assert.ok(ink.inside > 30 && ink.inside > ink.beside * 3, `ink under the box: ${ink.inside}, beside: ${ink.beside}`);
    });

    it('draws page 1 of a 300-page PDF, and says so of a file over the size cap', async () => {
      await bench.openDocumentRow('invoice_2025-11_Soylent-56080.pdf');
      const panel = bench.jobPanel();
      await panel.locator('.doc-page[data-page="1"] canvas').waitFor({ timeout: 60_000 });
      assert.match(await panel.locator('.doc-facts').innerText(), /300 pages/);
      assert.ok((await panel.locator('.doc-page canvas').count()) < 20, 'pages are drawn as they come near, not all 300');

      await bench.openDocumentRow('Rechnung_88889.pdf');
      const refused = panel.locator('.doc-error[data-state="too_large"]');
      await refused.waitFor({ timeout: 60_000 });
      assert.match(await refused.innerText(), /60 MB, more than the 50 MB the panel shows/);
      await bench.screenshot(`document-${theme.slug}-too-large`);
    });

    it('draws a hostile file (script in the PDF, markup and bidi controls in its name) and runs none of it', async () => {
      await bench.runCommand('Retab: Look Up Job');
      await bench.answerInputBox(`${HOSTILE.workflowId} ${HOSTILE.experimentId} ${HOSTILE.runId} ${HOSTILE.documentId}`);
      const panel = bench.jobPanel();
      await panel.locator('h1.filename', { hasText: '<img' }).waitFor({ timeout: 30_000 });
      await panel.locator('.doc-page[data-page="1"] canvas').waitFor({ timeout: 60_000 });
      const frame = await bench.jobPanelFrame();
      await waitUntil('the hostile page has ink', async () => (await inkOf(frame, 1)) > 100);
      assert.match(await panel.locator('details.document > summary').innerText(), /<img src=x/);
      for (const each of page.frames()) {
        assert.equal(await each.evaluate(() => (window as unknown as { __pwned?: number }).__pwned).catch(() => undefined), undefined, each.url());
      }
      assert.equal(await frame.locator('#content img').count(), 0, 'the name is text');
      assert.equal(await frame.locator('.doc-page a, .doc-page [href]').count(), 0, 'no link from the PDF is on the page');
    });

    it('downloads a 40 MB file with its progress said, then draws it', async () => {
      await bench.openDocumentRow('INV-89354.pdf');
      const panel = bench.jobPanel();
      await panel.locator('.doc-page[data-page="1"] canvas').waitFor({ timeout: 90_000 });
      assert.match(await panel.locator('.doc-facts').innerText(), /40\.0 MB/);
    });
  });
}

/** Dark pixels on a drawn page. */
async function inkOf(frame: Frame, page: number): Promise<number> {
  return frame.evaluate((number) => {
    const canvas = document.querySelector<HTMLCanvasElement>(`.doc-page[data-page="${number}"] canvas`);
    const context = canvas?.getContext('2d');
    if (!canvas || !context || canvas.width === 0) {
      return 0;
    }
    const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
    let dark = 0;
    for (let index = 0; index < data.length; index += 4) {
      dark += data[index] < 100 && data[index + 1] < 100 && data[index + 2] < 100 ? 1 : 0;
    }
    return dark;
  }, page);
}

/**
 * Reads the drawn page (canvas, or the image drawn onto a canvas) under the box the extension
 * placed, and under the same box moved to the right edge of the page (where nothing is written).
 */
async function inkUnderBox(frame: Frame): Promise<InkUnderBox> {
  return frame.evaluate(() => {
    const box = document.querySelector<HTMLElement>('.doc-box');
    const pageElement = box?.parentElement;
    const source = pageElement?.querySelector('canvas') ?? pageElement?.querySelector('img');
    if (!box || !pageElement || !source) {
      return { inside: 0, beside: 0, boxVisible: false };
    }
    const width = source instanceof HTMLCanvasElement ? source.width : source.naturalWidth;
    const height = source instanceof HTMLCanvasElement ? source.height : source.naturalHeight;
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const context = canvas.getContext('2d');
    if (!context) {
      return { inside: 0, beside: 0, boxVisible: false };
    }
    context.drawImage(source, 0, 0);
    const page = pageElement.getBoundingClientRect();
    const rect = box.getBoundingClientRect();
    const scaleX = width / page.width;
    const scaleY = height / page.height;
    const count = (left: number): number => {
      const x = Math.max(0, Math.round(left * scaleX));
      const y = Math.max(0, Math.round((rect.top - page.top) * scaleY));
      const w = Math.max(1, Math.min(width - x, Math.round(rect.width * scaleX)));
      const h = Math.max(1, Math.min(height - y, Math.round(rect.height * scaleY)));
      const data = context.getImageData(x, y, w, h).data;
      let dark = 0;
      for (let index = 0; index < data.length; index += 4) {
        dark += data[index] < 100 && data[index + 1] < 100 && data[index + 2] < 100 ? 1 : 0;
      }
      return dark;
    };
    const viewer = document.querySelector('.doc-viewer')?.getBoundingClientRect();
    const boxVisible = viewer !== undefined && rect.top >= viewer.top && rect.bottom <= viewer.bottom && rect.width > 0;
    return { inside: count(rect.left - page.left), beside: count(page.width - rect.width - 2), boxVisible };
  });
}
