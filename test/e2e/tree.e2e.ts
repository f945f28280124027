import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { CodeServer, launchBrowser, startCodeServer } from '../runners/codeServer';
import { Sandbox, startSandbox } from '../sandbox/server';
import { REPO_ROOT, Workbench } from './workbench';

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
  let server: CodeServer;
  let browser: Browser;
  let page: Page;
  let bench: Workbench;
  let scratch: string;

  before(async () => {
    // Runs started in the sandbox last about 20 s: long enough to rest on a row while one is live.
    sandbox = await startSandbox({ api: 'g1p', timeScale: 4 });
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'retab-tree-ui-'));
    const folder = path.join(scratch, 'workspace');
    fs.mkdirSync(folder);
    server = await startCodeServer({
      folder,
      userDataDir: path.join(scratch, 'user-data'),
      extensionsDir: path.join(scratch, 'extensions'),
      settings: {
        'retab.apiBaseUrl': sandbox.url,
        'retab.liveRefreshSeconds': 2,
        'workbench.colorTheme': 'Default Dark Modern',
        'window.zoomLevel': 0,
      },
    });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    const payload = JSON.stringify([['extensionDevelopmentPath', `vscode-remote://127.0.0.1:${server.port}${REPO_ROOT}`]]);
    await page.goto(`${server.url}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(payload)}`);
    bench = new Workbench(page);
    await bench.waitForReady();
    await page.locator('.activitybar [aria-label^="Retab"]').first().click();
    await page.locator('.welcome-view-content a.monaco-button', { hasText: 'Set API Key' }).click();
    const input = page.locator('.quick-input-widget input[type="password"]');
    await input.waitFor();
    await input.fill(sandbox.apiKey);
    await page.keyboard.press('Enter');
    await bench.treeRow('Invoice extraction').waitFor({ timeout: 30_000 });
  });

  afterEach(async function () {
    sandbox?.setFaults({}); // a test that failed half-way leaves none armed for the next
    if (this.currentTest?.state === 'failed' && bench) {
      await bench.screenshot(`tree-failed-${(this.currentTest.title ?? 'test').replace(/\W+/g, '-')}`);
    }
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    await sandbox?.close();
    if (scratch) {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
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
    await experimentRow.hover();
    await experimentRow.locator('.action-label[aria-label^="Start Run"]').click();
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Consensus ×3' }).first().click();
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'All documents' }).first().click();
    await page.locator('.monaco-dialog-box .monaco-button', { hasText: 'Start Run' }).click();
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
    assert.deepEqual(tops, tops.map(() => topBefore), 'rows did not move while live updates came');

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
    assert.deepEqual(tops, tops.map(() => topBefore), 'rows did not move until the run ended');
    await runRow.waitFor();
    assert.match((await seen(runRow)).visible, /^Run 7 \d+\.\d% /, 'the score once finished');
    await bench.screenshot('tree-live-run-finished');
  });
});
