import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import type { Sandbox } from '../sandbox/server';
import { HOSTILE, INVOICES, invoiceDocumentId, invoiceJob } from '../support/fixtures';
import { jobFile, useWorkbenchSession } from './session';
import { type Workbench, waitUntil } from './workbench';

/**
 * A person's path through the product in the real workbench: open the view, set the key in the
 * real input box, click down to a document, read the job panel, hover an id, look a job up.
 */
describe('Retab Experiments in the workbench (UI)', function () {
  this.timeout(180_000);
  let sandbox: Sandbox;
  let page: Page;
  let bench: Workbench;
  /** The workbench's user-data folder, where its logs are. */
  let userDataDir: string;
  useWorkbenchSession({ api: 'g1', scratchPrefix: 'retab-ui-', files: { 'failed-job.json': jobFile(invoiceJob(6, 7)) } }, (session) => {
    ({ sandbox, page, workbench: bench, userDataDir } = session);
  });

  it('opens the Retab view and asks for a key', async () => {
    await bench.retabIcon().click();
    const welcome = page.locator('.welcome-view-content', { hasText: 'Browse your Retab workflows' });
    await welcome.waitFor({ timeout: 30_000 });
    await bench.screenshot('welcome');
  });

  it('sets the key through the real password box', async () => {
    await page.locator('.welcome-view-content a.monaco-button', { hasText: 'Set API Key' }).click();
    await bench.typeApiKey(sandbox.apiKey, () => bench.screenshot('api-key-input'));
    await bench.treeRow('Invoice extraction').waitFor({ timeout: 30_000 });
    await bench.screenshot('workflows');
  });

  it('expands down to a document and opens its job', async () => {
    await bench.treeRow('Invoice extraction').click();
    await bench.treeRow('Invoice fields v2').click();
    await bench.treeRow('Run 6').click();
    await bench.treeRow('invoice_q1.pdf').waitFor();
    await bench.openDocumentRow('invoice_q1.pdf');
    const panel = bench.jobPanel();
    const text = await panel.locator('body').innerText();
    assert.match(text, /completed/i);
    assert.match(text, /input-document-0/);
    assert.match(text, /extraction/);
    // The score the row shows, beside the run it is in.
    assert.equal(await panel.locator('.subtitle').innerText(), 'extract block · Invoice fields v2 · Run 6 · score 98.1% (▲ 8.8 since the prior run)');
    await bench.screenshot('job-panel');
  });

  it('shows a failed document’s error in the callout', async () => {
    const failed = page.locator('.pane-body .monaco-list-row[aria-level="4"]', { has: page.locator('.codicon-error') }).first();
    await failed.click();
    const callout = bench.jobPanel().locator('.callout.error');
    await callout.waitFor({ timeout: 30_000 });
    assert.ok((await callout.innerText()).length > 20);
    await bench.screenshot('job-error');
  });

  it('hovers an id in an editor', async () => {
    await bench.runCommand('Notifications: Clear All Notifications'); // nothing over the picture
    await bench.openFile('failed-job.json');
    const hover = await bench.hoverWord(invoiceDocumentId(7), 'Open Job');
    assert.match(await hover.innerText(), /error/);
    await bench.screenshot('hover', 'hover.png');
  });

  it('looks a job up from the command palette', async () => {
    await page.keyboard.press('Escape');
    await bench.runCommand('Retab: Look Up Job');
    const job = invoiceJob(5, 3);
    await bench.answerInputBox(`${job.workflowId} ${job.experimentId} ${job.runId} ${job.documentId}`);
    const panel = bench.jobPanel();
    await panel.locator('code.id', { hasText: job.runId }).waitFor({ timeout: 30_000 });
    await bench.screenshot('lookup');
  });

  it('shows hostile server text as text and runs none of it', async () => {
    await bench.runCommand('Retab: Look Up Job');
    await bench.answerInputBox(`${HOSTILE.workflowId} ${HOSTILE.experimentId} ${HOSTILE.runId} ${HOSTILE.documentId}`);
    const panel = bench.jobPanel();
    const callout = panel.locator('.callout.error');
    await callout.waitFor({ timeout: 30_000 });
    assert.match(await callout.innerText(), /<script>/);
    assert.match(await panel.locator('h1.filename').innerText(), /<img/);
    const frame = await bench.jobPanelFrame();
    assert.equal(await frame.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
    assert.equal(await frame.locator('img').count(), 0);
    assert.equal(await frame.locator('#content script').count(), 0);
    await bench.screenshot('hostile');
  });

  it('groups a run’s failures by cause', async () => {
    await bench.treeRow('Failures').click();
    const group = page.locator('.pane-body .monaco-list-row[aria-level="5"]').first();
    await group.waitFor({ timeout: 30_000 });
    assert.match(await group.innerText(), /^\d+× /);
    await bench.screenshot('failures');
    await bench.treeRow('Failures').click();
  });

  it('opens the artifact and compares the document with another run from the panel', async () => {
    await bench.openDocumentRow('invoice_q1.pdf');
    const panel = bench.jobPanel();
    await panel.locator('button[data-action="openArtifact"]').click();
    const artifactTab = page.locator('.tabs-container .tab', { hasText: '.json' }).first();
    await artifactTab.waitFor({ timeout: 30_000 });
    await page.locator('.monaco-editor .view-lines', { hasText: '"id"' }).first().waitFor({ timeout: 30_000 });
    await bench.screenshot('artifact');

    const compareWith = async (run: string): Promise<void> => {
      await page.locator('.tabs-container .tab', { hasText: 'Job:' }).first().click();
      await bench.jobPanel().locator('button[data-action="compareWithRun"]').click();
      const runPick = page.locator('.quick-input-list .monaco-list-row', { hasText: run }).first();
      await runPick.waitFor({ timeout: 30_000 });
      await runPick.click();
    };

    // Run 4 has no field scores: the job and artifact diffs open, and the person is told why the
    // fields' one does not (it used to be left out without a word).
    await compareWith('Run 4');
    await page.locator('.tabs-container .tab', { hasText: 'invoice_q1.pdf: artifact' }).waitFor({ timeout: 30_000 });
    await page
      .locator('.notification-list-item', {
        hasText: 'Retab: run exprun_inv_4 has no field scores: the run has not been scored (yet) — No ground truth',
      })
      .waitFor({ timeout: 30_000 });
    assert.equal(await page.locator('.tabs-container .tab', { hasText: 'fields in exprun_inv_4' }).count(), 0);
    // The picture once the toast has faded in.
    await waitUntil('the notice is drawn whole', () =>
      page.evaluate(() => Array.from(document.querySelectorAll('.notification-toast')).every((toast) => getComputedStyle(toast).opacity === '1')),
    );
    await bench.screenshot('compare-no-field-scores');
    await bench.runCommand('Notifications: Clear All Notifications');

    // Run 5 has them: three diffs open (job, artifact, fields); the fields one, opened last, is in
    // front, drawn with both sides' lines and the changed ones marked.
    await compareWith('Run 5');
    await page.locator('.tabs-container .tab.active', { hasText: 'invoice_q1.pdf: fields in exprun_inv_5 ↔ exprun_inv_6' }).waitFor({ timeout: 30_000 });
    await page.locator('.tabs-container .tab', { hasText: 'invoice_q1.pdf: job in exprun_inv_5 ↔ exprun_inv_6' }).waitFor();
    const diff = page.locator('.editor-group-container.active .monaco-diff-editor');
    await diff.locator('.editor.original .view-lines', { hasText: 'invoice.total' }).waitFor({ timeout: 30_000 });
    await diff.locator('.editor.modified .view-lines', { hasText: 'invoice.total' }).waitFor({ timeout: 30_000 });
    await diff.locator('.editor.modified .line-insert, .editor.modified .char-insert').first().waitFor({ timeout: 30_000 });
    await page.locator('.statusbar-item', { hasText: /Retab: \d+ field\(s\) changed/ }).waitFor();
    await bench.screenshot('compare', 'compare.png');
  });

  it('starts a run, shows it live in the status bar and announces its end', async () => {
    await bench.startRun(INVOICES.experimentName, ['Consensus ×3', 'All documents']);
    const status = page.locator('.statusbar-item', { hasText: /Retab: \d+ runs? in progress/ });
    await status.waitFor({ timeout: 30_000 });
    await bench.treeRow('Run 7').waitFor({ timeout: 30_000 });
    await bench.screenshot('run-live');
    const announcement = page.locator('.notification-list-item', { hasText: /run 7 of "Invoice fields v2" (completed|error)/ });
    await announcement.waitFor({ timeout: 90_000 });
    await bench.screenshot('run-finished', 'run-finished.png');
  });

  it('never shows the API key anywhere in the workbench, its webviews or the log', async () => {
    await bench.runCommand('Retab: Show Log');
    await page
      .locator('.output-view, .monaco-editor[data-uri*="output"]')
      .first()
      .waitFor({ timeout: 30_000 })
      .catch(() => undefined);
    await bench.screenshot('log');
    const everything = await bench.allText();
    assert.ok(!everything.includes(sandbox.apiKey), 'the key appears nowhere on screen');
    const logs = filesUnder(path.join(userDataDir, 'logs'));
    assert.ok(
      logs.some((file) => /Retab/.test(file)),
      `the Retab log is among ${logs.length} log files`,
    );
    for (const file of logs) {
      assert.ok(!fs.readFileSync(file, 'utf8').includes(sandbox.apiKey), `the key is not in ${file}`);
    }
  });
});

function filesUnder(folder: string): string[] {
  if (!fs.existsSync(folder)) {
    return [];
  }
  return fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}
