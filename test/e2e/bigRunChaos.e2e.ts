import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { Sandbox } from '../sandbox/server';
import { useWorkbenchSession } from './session';
import { Workbench, waitUntil } from './workbench';

/** The bad network of the benchmark's chaos session (chaos.ts's defaults: 0–2 s of latency, 17 % of requests broken). */
const CHAOS_SEED = 20_261_206;

/**
 * The main path and a big run as a person meets them on today's API (G3): the main path (with the
 * 5,000-document run read whole) through a seeded bad network reaches the screen a calm network
 * gives (at most one Refresh), with no error left; then the 50,000-document run shows its first
 * documents while the rest are read, its row saying how far.
 */
describe('A big run, and the main path through a bad network (UI)', function () {
  this.timeout(480_000);
  let sandbox: Sandbox;
  let page: Page;
  let bench: Workbench;
  useWorkbenchSession({ api: 'g3', scratchPrefix: 'retab-chaos-', failureShotPrefix: 'chaos-' }, async (session) => {
    ({ sandbox, page, workbench: bench } = session);
    await bench.runCommand('Retab: Focus on Experiments View');
    await bench.runCommand('Retab: Set API Key');
    await bench.typeApiKey(sandbox.apiKey);
    await bench.treeRow('Delivery notes archive').waitFor({ timeout: 30_000 });
  });

  it('reaches the same screen through a bad network, with at most one Refresh', async () => {
    sandbox.setChaos({ seed: CHAOS_SEED });
    const before = sandbox.requests().length;
    // Everything is read again, through the bad network.
    await bench.runCommand('Retab: Refresh');
    // Error rows say their way forward after a dash ("Server error 502 — Retry"); failed documents' rows do not.
    const errorRows = page.locator('.pane-body .monaco-list-row', { hasText: /— (Retry|Show Log)/ });
    /** A click, then the mouse off the view: a row's hover card, left where the mouse rests, would cover the next row. */
    const clickRow = async (row: ReturnType<Workbench['treeRow']>): Promise<void> => {
      await row.click();
      await page.mouse.move(900, 700);
    };
    const walk = async (): Promise<void> => {
      // The 5,000-document run, read whole (some fifty pages through the bad network), then folded away.
      for (const label of ['Delivery notes archive', 'Delivery notes – full archive']) {
        await bench.treeRow(label).waitFor({ timeout: 90_000 });
        if ((await bench.treeRow(label).getAttribute('aria-expanded')) !== 'true') {
          await clickRow(bench.treeRow(label));
        }
      }
      const bigRun = bench.treeRow('Run 1');
      await bigRun.waitFor({ timeout: 90_000 });
      if ((await bigRun.getAttribute('aria-expanded')) !== 'true') {
        await clickRow(bigRun);
      }
      await bench.treeRow('Lieferschein_Übersee_0001.pdf').waitFor({ timeout: 90_000 });
      // Read whole when its Failures row is grouped (while pages come, it waits with a spinner).
      const failures = bench.treeRow('Failures');
      await waitUntil(
        'the big run read whole',
        async () => (await failures.isVisible()) && (await failures.locator('.codicon-loading').count()) === 0,
        180_000,
      );
      await clickRow(bench.treeRow('Delivery notes archive'));
      for (const label of ['Invoice extraction', 'Invoice fields v2', 'Run 6']) {
        await bench.treeRow(label).waitFor({ timeout: 90_000 });
        if ((await bench.treeRow(label).getAttribute('aria-expanded')) !== 'true') {
          await clickRow(bench.treeRow(label));
        }
      }
      await bench.treeRow('invoice_q1.pdf').waitFor({ timeout: 90_000 });
    };
    await walk();
    if ((await errorRows.count()) > 0) {
      await bench.runCommand('Retab: Refresh');
      await walk();
    }
    assert.equal(await errorRows.count(), 0, 'no error row left');
    await bench.openDocumentRow('invoice_q1.pdf');
    const panel = bench.jobPanel();
    await panel.locator('h1.filename', { hasText: 'invoice_q1.pdf' }).waitFor({ timeout: 90_000 });
    await waitUntil('the job refreshed from its endpoint', async () => /Fetched \d/.test(await panel.locator('body').innerText()), 90_000);
    // No spinner left anywhere in the view.
    await waitUntil('no row still loading', async () => (await page.locator('.pane-body .monaco-list-row .codicon-loading').count()) === 0, 60_000);
    const made = sandbox.requests().slice(before);
    const faults = made.filter((request) => request.fault !== null);
    assert.ok(
      faults.length > 0,
      `the network did fail meanwhile (${made.length} requests: ${made
        .map((request) => request.path)
        .join(', ')
        .slice(0, 400)})`,
    );
    await bench.screenshot('chaos-main-path');
    sandbox.setChaos(null);
    // Folded, so that the next test finds the archive on screen.
    await bench.treeRow('Invoice extraction').click();
  });
  it('shows the first documents of a 50,000-document run while the rest are read', async () => {
    // Pages at a real server's pace, so that the read is seen going on.
    sandbox.setFaults({ latencyMs: 150, pathFilter: '/results' });
    await bench.runCommand('View: Close All Editors');
    // The main path left the archive's year expanded: the ten years' run is the one read here.
    if ((await bench.treeRow('Delivery notes archive').getAttribute('aria-expanded')) !== 'true') {
      await bench.treeRow('Delivery notes archive').click();
    }
    if ((await bench.treeRow('Delivery notes – full archive').getAttribute('aria-expanded')) === 'true') {
      await bench.treeRow('Delivery notes – full archive').click();
    }
    await bench.treeRow('Delivery notes – ten years').click();
    const run = bench.treeRow('Run 1');
    await run.waitFor({ timeout: 30_000 });
    await run.click();
    await waitUntil('the run row says how far the read got', async () => / of 50,000 read/.test(await run.innerText()), 60_000);
    await bench.screenshot('big-run-reading', 'big-run-reading.png');
    sandbox.setFaults({});
    await waitUntil('every document read', async () => !/ read/.test(await run.innerText()), 120_000);
    await bench.screenshot('big-run-read');
  });
});
