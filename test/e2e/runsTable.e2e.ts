import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { Sandbox } from '../sandbox/server';
import { useWorkbenchSession } from './session';
import { Workbench, waitUntil } from './workbench';

interface TableTheme {
  setting: string;
  slug: string;
  readme?: `${string}.png`;
}

const THEMES: TableTheme[] = [
  { setting: 'Default Dark Modern', slug: 'dark', readme: 'runs-table.png' },
  { setting: 'Default High Contrast', slug: 'high-contrast' },
  { setting: 'Default Light Modern', slug: 'light' },
];

/**
 * The Runs table as a person meets it (G3): Compare Runs on an experiment of twelve runs, every
 * run a column with its date, the definition changes marked on the columns and the chart, a
 * regression marked (in words and arrows, not colour alone), a row drawn on the chart, and a field
 * cell leading to the documents that disagree and on to the job panel.
 */
for (const theme of THEMES) {
  describe(`The Runs table in ${theme.setting} (UI)`, function () {
    this.timeout(240_000);
    let sandbox: Sandbox;
    let page: Page;
    let bench: Workbench;
    useWorkbenchSession(
      { api: 'g3', theme: theme.setting, scratchPrefix: `retab-runs-${theme.slug}-`, failureShotPrefix: `runs-${theme.slug}-` },
      async (session) => {
        ({ sandbox, page, workbench: bench } = session);
        await bench.runCommand('Retab: Focus on Experiments View');
        await bench.runCommand('Retab: Set API Key');
        await bench.typeApiKey(sandbox.apiKey);
        await bench.treeRow('Invoice extraction').waitFor({ timeout: 30_000 });
        await bench.treeRow('Invoice extraction').click();
        await bench.treeRow('Invoice fields – tuning').waitFor({ timeout: 30_000 });
      },
    );

    it('shows every run side by side with the trend, a regression marked, and leads from a cell to the documents and the job', async () => {
      await bench.treeRow('Invoice fields – tuning').click({ button: 'right' });
      // The context menu acts on Enter over its item (a click's mouse-up lands before the menu listens).
      await page.locator('.context-view .action-label', { hasText: 'Compare Runs' }).hover();
      await page.keyboard.press('Enter');
      const table = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
      await table.locator('main[data-state="shown"]').waitFor({ timeout: 60_000 });
      const heads = table.locator('thead th.run-head');
      assert.equal(await heads.count(), 12);
      assert.match(await heads.first().innerText(), /Run 12/);
      assert.match(await table.locator('thead th.run-head', { hasText: 'Run 10' }).innerText(), /stale metrics/);
      assert.equal(await table.locator('thead .edit-mark').count(), 2, 'runs 8 and 4 used a changed definition');
      // Regression first: the first row dropped between the two newest runs, said with ▼ and a number.
      const firstRow = table.locator('tbody.rows tr.row').first();
      assert.match(await firstRow.locator('td').first().innerText(), /\d+\.\d%\s*▼ \d+\.\d/);
      assert.ok((await table.locator('td.regressed').count()) > 0);
      // The chart: a line of the experiment's score, the edits marked, points reachable by keyboard.
      assert.equal(await table.locator('svg.chart .edit-marker').count(), 2);
      assert.equal(await table.locator('svg.chart circle.point.overall').count(), 12, 'a point a run: the runs list gives each run its score');
      await table.locator('svg.chart circle.point.overall').first().focus();
      assert.match(String(await table.locator('svg.chart circle.point.overall').first().getAttribute('aria-label')), /Experiment score, run \d+/);
      await table.locator('button.row-label', { hasText: 'vendor.vat_id' }).click();
      await table.locator('svg.chart path.series.selected').waitFor();
      await bench.screenshot(`runs-table-${theme.slug}`, theme.readme);

      if (theme.slug !== 'dark') {
        return;
      }
      // Sorting by a column and filtering keep working; the filter says how many rows are left.
      await table.locator('input.filter').fill('vendor');
      await waitUntil('only vendor fields', async () => (await table.locator('tbody.rows tr.row').count()) === 3);
      await table.locator('input.filter').fill('');
      // vendor.vat_id in run 8 (the edit): the documents that disagree, then one's job on that field.
      const runEight = await heads.evaluateAll((cells) => cells.findIndex((cell) => /Run 8\b/.test(cell.textContent ?? '')));
      const vat = table.locator('tbody.rows tr.row', { has: table.locator('button.row-label', { hasText: 'vendor.vat_id' }) });
      await vat.locator('td').nth(runEight).locator('button').click();
      const pick = page.locator('.quick-input-widget');
      await pick.waitFor({ timeout: 30_000 });
      assert.match(await pick.locator('.quick-input-title').innerText(), /vendor\.vat_id in run 8: \d+ documents? disagrees?/);
      await page.locator('.quick-input-list .monaco-list-row').first().click();
      await waitUntil(
        'the job panel on that document',
        async () => {
          for (const frame of page.frames()) {
            const text = await frame
              .locator('h1.filename')
              .first()
              .innerText({ timeout: 500 })
              .catch(() => '');
            if (text) {
              return true;
            }
          }
          return false;
        },
        60_000,
      );
      await bench.screenshot('runs-table-to-job');
    });
  });
}
