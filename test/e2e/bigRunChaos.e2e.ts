import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { Sandbox } from '../sandbox/server';
import { useWorkbenchSession } from './session';
import { Workbench, waitUntil } from './workbench';

/** The bad network of the benchmark's chaos session (chaos.ts's defaults: 0–2 s of latency, 17 % of requests broken). */
const CHAOS_SEED = 20_261_206;

/**
 * A big run and the main path as a person meets them on today's API (G3): the 5,000-document run
 * shows its first documents while the rest are read, its row saying how far; then the same path
 * through a seeded bad network reaches the same screen (at most one Refresh), with no error left.
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

  it('shows the first documents of a 5,000-document run while the rest are read', async () => {
    // Pages at a real server's pace, so that the read is seen going on.
    sandbox.setFaults({ latencyMs: 150, pathFilter: '/results' });
    for (const label of ['Delivery notes archive', 'Delivery notes – full archive']) {
      await bench.treeRow(label).click();
      await bench.treeRow('Run 1').waitFor({ timeout: 30_000 });
    }
    await bench.treeRow('Run 1').click();
    await bench.treeRow('Lieferschein_Übersee_0001.pdf').waitFor({ timeout: 30_000 });
    const run = bench.treeRow('Run 1');
    await waitUntil('the run row says how far the read got', async () => / of 5,000 read/.test(await run.innerText()));
    assert.ok(await bench.treeRow('Reading documents…').isVisible(), 'the last row says the read goes on');
    await bench.screenshot('big-run-reading', 'big-run-reading.png');
    sandbox.setFaults({});
    await bench.treeRow('Failures').locator('.codicon-loading').waitFor({ state: 'detached', timeout: 60_000 });
    await waitUntil('every document read', async () => !/ read/.test(await run.innerText()), 60_000);
    await bench.screenshot('big-run-read');
    // Collapsed again, so that the main path below starts from the same view.
    await bench.treeRow('Delivery notes archive').click();
  });

  it('reaches the same screen through a bad network, with at most one Refresh', async () => {
    sandbox.setChaos({ seed: CHAOS_SEED });
    const errorRows = page.locator('.pane-body .monaco-list-row .codicon-error');
    const walk = async (): Promise<void> => {
      for (const label of ['Invoice extraction', 'Invoice fields v2', 'Run 6']) {
        await bench.treeRow(label).waitFor({ timeout: 90_000 });
        const expanded = await bench.treeRow(label).getAttribute('aria-expanded');
        if (expanded !== 'true') {
          await bench.treeRow(label).click();
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
    const faults = sandbox.requests().filter((request) => request.fault !== null);
    assert.ok(faults.length > 0, 'the network did fail meanwhile');
    await bench.screenshot('chaos-main-path');
    sandbox.setChaos(null);
  });
});
