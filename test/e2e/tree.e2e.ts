import * as assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import type { Sandbox } from '../sandbox/server';
import { INVOICES, INVOICE_Q1 } from '../support/fixtures';
import { useWorkbenchSession } from './session';
import { type Workbench, waitUntil } from './workbench';

/** What a person sees of one tree row: only the characters that are on screen, not cut off. */
interface SeenRow {
  /** Label and description as far as they are visible (an ellipsis ends a cut row). */
  visible: string;
  /** The decoration badge at the row's right edge, if any. */
  badge: string;
  /** The badge lies inside the sidebar. */
  badgeInSidebar: boolean;
  /** The row's icon, as a codicon name. */
  icon: string;
  /** The colour of the label's text. */
  labelColor: string;
}

async function seen(row: Locator): Promise<SeenRow> {
  return row.evaluate((element) => {
    const sidebar = (element.closest('.part.sidebar') ?? document.body).getBoundingClientRect();
    const label = element.querySelector('.monaco-icon-label');
    const container = element.querySelector('.monaco-icon-label-container');
    if (!label || !container) {
      throw new Error('not a tree row');
    }
    const clip = container.getBoundingClientRect();
    const clipped = container.scrollWidth > container.clientWidth + 1;
    // A cut row ends in an ellipsis drawn over its last visible characters.
    const limit = Math.min(clip.right, sidebar.right) - (clipped ? 12 : 0);
    let visible = '';
    let cut = false;
    for (const part of [container.querySelector('.label-name'), container.querySelector('.label-description')]) {
      const walker = document.createTreeWalker(part ?? document.createElement('span'), NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node && !cut; node = walker.nextNode()) {
        const text = node.textContent ?? '';
        for (let index = 0; index < text.length && !cut; index++) {
          const range = document.createRange();
          range.setStart(node, index);
          range.setEnd(node, index + 1);
          const box = range.getBoundingClientRect();
          if (box.left < sidebar.left || box.right > limit) {
            cut = true;
          } else {
            visible += text[index];
          }
        }
      }
      visible += part === container.querySelector('.label-name') && !cut ? ' ' : '';
    }
    const badge = getComputedStyle(label, '::after').content;
    const iconClasses = element.querySelector('.custom-view-tree-node-item-icon')?.className.split(/\s+/) ?? [];
    const icon = iconClasses.find((name) => name.startsWith('codicon-'));
    return {
      visible: visible.trim(),
      badge: badge === 'none' || badge === 'normal' ? '' : badge.replace(/^"|"$/g, ''),
      badgeInSidebar: label.getBoundingClientRect().right <= sidebar.right,
      icon: icon?.slice('codicon-'.length) ?? '',
      labelColor: getComputedStyle(container.querySelector('.label-name') ?? label).color,
    };
  });
}

/**
 * The Experiments view at the default sidebar width (about 300 px of a 1400 × 860 window), read
 * the way a person reads it: warnings and errors are on screen, not past the end of a row; a
 * tooltip on a document of a live run stays open; rows do not jump while a run is live.
 */
describe('The Experiments tree at the default sidebar width (UI)', function () {
  this.timeout(240_000);
  let sandbox: Sandbox;
  let page: Page;
  let bench: Workbench;
  useWorkbenchSession(
    // Runs started in the sandbox last about 20 s: long enough to rest on a row while one is live.
    { api: 'g1p', timeScale: 4, scratchPrefix: 'retab-tree-ui-', failureShotPrefix: 'tree-', settings: { 'retab.liveRefreshSeconds': 2 } },
    async (session) => {
      ({ sandbox, page, workbench: bench } = session);
      await bench.setKeyFromWelcome(sandbox.apiKey, INVOICES.workflowName);
    },
  );

  afterEach(() => {
    sandbox?.setFaults({}); // a test that failed half-way leaves none armed for the next
  });

  it('is as wide as a default sidebar', async () => {
    const sidebar = await page.locator('.part.sidebar').boundingBox();
    assert.ok(sidebar && sidebar.width >= 250 && sidebar.width <= 320, `sidebar ${sidebar?.width} px wide`);
  });

  it('shows stale, drifted and older-definition rows as such, on screen', async () => {
    await bench.treeRow('Invoice extraction').click();
    const stale = bench.treeRow('Invoice fields v1');
    await stale.waitFor();
    await bench.treeRow('Invoice fields v2').click();
    const older = bench.treeRow('Run 1');
    await older.waitFor({ timeout: 30_000 });
    await page.mouse.move(700, 500); // no hover or focus colours on the rows read below
    const staleRow = await seen(stale);
    assert.equal(staleRow.badge, 'SD', `the stale and drifted badge, at the row's edge: ${JSON.stringify(staleRow)}`);
    assert.ok(staleRow.badgeInSidebar, 'the badge is inside the sidebar');
    assert.equal(staleRow.icon, 'warning');
    const plain = await seen(bench.treeRow('Vendor classifier'));
    assert.notEqual(staleRow.labelColor, plain.labelColor, 'the label is coloured');
    const olderRow = await seen(older);
    assert.match(olderRow.visible, /^Run 1 older definition/, `read on screen: "${olderRow.visible}"`);
    await bench.screenshot('tree-stale-drifted-older');
  });

  it('reads an error row whole, with its way forward, and retries it', async () => {
    // The experiment's runs fail: a proxy's 502 page (past the client's retries) and a dropped connection.
    sandbox.setFaults({ html502: 20, pathFilter: '/exp_invoices_v1/' });
    await bench.treeRow('Invoice fields v1').click();
    const serverError = bench.treeRow('Server error 502');
    await serverError.waitFor({ timeout: 30_000 });
    sandbox.setFaults({ dropConnection: 20, pathFilter: '/exp_invoices_vendor/' });
    await bench.treeRow('Vendor classifier').click();
    const unreachable = bench.treeRow('Cannot reach Retab');
    await unreachable.waitFor({ timeout: 30_000 });
    await page.mouse.move(700, 500);
    assert.equal((await seen(serverError)).visible, 'Server error 502 — Retry');
    assert.equal((await seen(unreachable)).visible, 'Cannot reach Retab — Retry');
    assert.equal((await seen(serverError)).icon, 'error');
    await bench.screenshot('tree-error-rows');
    sandbox.setFaults({});
    await serverError.click();
    await serverError.waitFor({ state: 'detached', timeout: 30_000 });
    await unreachable.click();
    await unreachable.waitFor({ state: 'detached', timeout: 30_000 });
    // Both collapsed again, out of the way of the next test.
    await bench.treeRow('Invoice fields v1').click();
    await bench.treeRow('Vendor classifier').click();
  });

  it('offers Clear Document Filter only while a filter is on', async () => {
    // Whether the palette lists a command: present rows come within seconds; absent is read after the list settles.
    const paletteLists = async (title: string, expected: boolean): Promise<boolean> => {
      await page.keyboard.press('F1');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor();
      await input.fill(`>${title}`);
      const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
      let listed = true;
      if (expected) {
        await row.waitFor({ timeout: 10_000 }).catch(() => (listed = false));
      } else {
        await page.waitForTimeout(1_500);
        listed = (await row.count()) > 0;
      }
      await page.keyboard.press('Escape');
      return listed;
    };
    assert.equal(await paletteLists('Retab: Filter Documents…', true), true, 'the palette lists the filter command');
    assert.equal(await paletteLists('Retab: Clear Document Filter', false), false, 'no filter on: nothing to clear');
    await bench.runCommand('Retab: Filter Documents…');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Score below' }).first().click();
    // The same widget turns from the pick into the input box: wait for the box's own title before typing.
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Show documents scoring below' }).waitFor();
    await bench.answerInputBox('50');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    assert.equal(await paletteLists('Retab: Clear Document Filter', true), true, 'a filter is on: it can be cleared');
    // The view's title is cut at this width (its description with the filter is not seen): a filled
    // filter button beside the filter button says a filter is on, and clears it.
    const clearButton = page.locator('.action-item a[aria-label^="Clear Document Filter"]').first();
    await clearButton.waitFor({ timeout: 10_000 });
    await bench.screenshot('tree-filter-on');
    await clearButton.click();
    await clearButton.waitFor({ state: 'detached', timeout: 10_000 });
    assert.equal(await paletteLists('Retab: Clear Document Filter', false), false, 'cleared: offered no more');
  });

  it('lists a run’s fields worst first with their change, and the documents that disagree on one', async () => {
    // A row by its exact label at a depth: "Fields" is also part of "Invoice fields v2", and
    // invoice_q1.pdf is both a document of the run (level 4) and one that disagrees (level 6).
    const rowAt = (level: number, label: string | RegExp): Locator =>
      page.locator(`.pane-body .monaco-list-row[aria-level="${level}"]`, { has: page.locator('.label-name', { hasText: label }) }).first();
    const run = rowAt(3, /^Run 6$/);
    if (!(await run.isVisible())) {
      if (!(await bench.treeRow(INVOICES.experimentName).isVisible())) {
        await bench.treeRow(INVOICES.workflowName).click(); // when this test runs alone
      }
      await bench.treeRow(INVOICES.experimentName).click();
      await run.waitFor({ timeout: 30_000 });
    }
    await run.click();
    const fields = rowAt(4, /^Fields$/);
    await fields.waitFor({ timeout: 30_000 });
    await page.mouse.move(700, 500);
    assert.match((await seen(fields)).visible, /^Fields 15 fields · 15 disagree/);
    await fields.click();
    const total = rowAt(5, /^invoice\.total$/);
    await total.waitFor({ timeout: 30_000 });
    await page.mouse.move(700, 500);
    // Decorations come from the extension a moment after the row.
    await waitUntil('the row’s decoration', async () => (await seen(total)).badge !== '');
    const totalRow = await seen(total);
    assert.equal(totalRow.visible, 'invoice.total 80.5% ▲ 8.5', 'its run-level score and the change against run 5, on screen');
    assert.equal(totalRow.icon, 'warning', 'some voters disagree');
    assert.equal(totalRow.badge, '▲', 'better than run 5, at the row’s edge');
    assert.ok(totalRow.badgeInSidebar);
    await total.click();
    const disagreeing = rowAt(6, INVOICE_Q1.filename);
    await disagreeing.waitFor({ timeout: 30_000 });
    await page.mouse.move(700, 500);
    assert.match((await seen(disagreeing)).visible, /^invoice_q1\.pdf 80\.0% /);
    await bench.runCommand('Notifications: Clear All Notifications'); // nothing over the picture
    await bench.screenshot('tree-fields', 'tree-fields.png');

    // Its tooltip says what disagrees, as text.
    const box = await disagreeing.locator('.label-name').boundingBox();
    assert.ok(box);
    await page.mouse.move(box.x + 4, box.y + box.height / 2, { steps: 4 });
    await page.mouse.move(box.x + 12, box.y + box.height / 2, { steps: 4 });
    const tooltip = page.locator('.monaco-hover.workbench-hover', { hasText: 'disagrees on' });
    await tooltip.waitFor({ timeout: 15_000 });
    assert.match(await tooltip.innerText(), /invoice_q1\.pdf disagrees on invoice\.total/);
    await bench.screenshot('tree-fields-tooltip');

    await disagreeing.click();
    const frame = await bench.jobPanelFrame();
    await waitUntil('the job of expdoc_inv_001 in the panel', async () => (await frame.content()).includes(INVOICE_Q1.documentId));
    await page.locator('.tabs-container .tab', { hasText: INVOICE_Q1.filename }).waitFor({ timeout: 15_000 });
    await bench.screenshot('tree-fields-job');

    // Out of the way of the next test, which reads the rows of a new run.
    await bench.runCommand('View: Close All Editors');
    await run.click();
    await fields.waitFor({ state: 'detached', timeout: 15_000 });
  });

  it('keeps rows in place and a tooltip open while a run is live', async () => {
    const anchor = bench.treeRow('Invoice extraction');
    const rowTop = async (): Promise<number> => (await anchor.boundingBox())?.y ?? Number.NaN;
    await page.mouse.move(700, 500);
    const topBefore = await rowTop();

    // Start Run from the experiment's inline action, as a person does.
    const experimentRow = bench.treeRow('Invoice fields v2');
    if (!(await experimentRow.isVisible())) {
      await bench.treeRow('Invoice extraction').click(); // when this test runs alone
      await experimentRow.waitFor();
    }
    await bench.startRun('Invoice fields v2', ['Consensus ×3', 'All documents']);
    const runRow = bench.treeRow('Run 7');
    await runRow.waitFor({ timeout: 30_000 });
    assert.match((await seen(runRow)).visible, /^Run 7 (pending|queued|running)/);
    await runRow.click();
    const progress = page.locator('.pane-body .monaco-list-row', { has: page.locator('.label-name', { hasText: / \/ 40 done$/ }) }).first();
    await progress.waitFor({ timeout: 30_000 });

    // A document that has finished while others still run: its row has no reason to change.
    const finished = page.locator('.pane-body .monaco-list-row[aria-level="4"]', { has: page.locator('.codicon-pass') }).first();
    await finished.waitFor({ timeout: 30_000 });
    const name = (await finished.locator('.label-name').innerText()).trim();
    const target = bench.treeRow(name);
    const box = await target.locator('.label-name').boundingBox();
    assert.ok(box, 'the finished document is on screen');
    await page.mouse.move(box.x + 4, box.y + box.height / 2, { steps: 4 });
    await page.mouse.move(box.x + 12, box.y + box.height / 2, { steps: 4 });
    const tooltip = page.locator('.monaco-hover.workbench-hover', { hasText: name });
    await tooltip.waitFor({ timeout: 15_000 });
    const progressBefore = (await progress.innerText()).trim();
    // Any removal of the hover from the page counts, even if another took its place.
    await page.evaluate(() => {
      const state = window as unknown as { __hoversRemoved: number };
      state.__hoversRemoved = 0;
      new MutationObserver((records) => {
        for (const record of records) {
          for (const removed of Array.from(record.removedNodes)) {
            if (removed instanceof HTMLElement && (removed.matches('.workbench-hover') || removed.querySelector('.workbench-hover'))) {
              state.__hoversRemoved++;
            }
          }
        }
      }).observe(document.body, { childList: true, subtree: true });
    });
    const tops: number[] = [];
    for (let second = 0; second < 6; second++) {
      await page.waitForTimeout(1000);
      tops.push(await rowTop());
    }
    const progressAfter = (await progress.innerText()).trim();
    await bench.screenshot('tree-live-run-tooltip');
    assert.notEqual(progressAfter, progressBefore, 'the run progressed while the mouse rested');
    assert.equal(await page.evaluate(() => (window as unknown as { __hoversRemoved: number }).__hoversRemoved), 0, 'the tooltip never closed');
    assert.ok(await tooltip.isVisible(), 'the tooltip is still open after 6 s');
    assert.deepEqual(
      tops,
      tops.map(() => topBefore),
      'rows did not move while live updates came',
    );

    // To the end of the run: the live line never pushes the rows, the status bar says it instead.
    await page.mouse.move(700, 500);
    const status = page.locator('.statusbar-item', { hasText: /Retab: 1 run in progress/ });
    assert.ok(await status.isVisible(), 'live status is in the status bar');
    const announcement = page.locator('.notification-list-item', { hasText: /run 7 of "Invoice fields v2" (completed|error)/ });
    for (let tick = 0; tick < 60 && !(await announcement.isVisible()); tick++) {
      tops.push(await rowTop());
      await page.waitForTimeout(1000);
    }
    assert.ok(await announcement.isVisible(), 'the run ended');
    assert.deepEqual(
      tops,
      tops.map(() => topBefore),
      'rows did not move until the run ended',
    );
    await runRow.waitFor();
    assert.match((await seen(runRow)).visible, /^Run 7 \d+\.\d% /, 'the score once finished');
    await bench.screenshot('tree-live-run-finished');
  });
});
