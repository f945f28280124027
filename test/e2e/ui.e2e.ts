import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { CodeServer, launchBrowser, startCodeServer } from '../runners/codeServer';
import { Sandbox, startSandbox } from '../sandbox/server';
import { REPO_ROOT, Workbench } from './workbench';

/**
 * A person's path through the product in the real workbench: open the view, set the key in the
 * real input box, click down to a document, read the job panel, hover an id, look a job up.
 */
describe('Retab Experiments in the workbench (UI)', function () {
  this.timeout(180_000);
  let sandbox: Sandbox;
  let server: CodeServer;
  let browser: Browser;
  let page: Page;
  let bench: Workbench;
  let scratch: string;

  before(async () => {
    sandbox = await startSandbox({ api: 'g1' });
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'retab-ui-'));
    const folder = path.join(scratch, 'workspace');
    fs.mkdirSync(folder);
    fs.writeFileSync(
      path.join(folder, 'failed-job.json'),
      `${JSON.stringify({ workflow_id: 'wf_invoices', experiment_id: 'exp_invoices_v2', run_id: 'exprun_inv_6', document_id: 'expdoc_inv_007' }, null, 2)}\n`,
    );
    server = await startCodeServer({
      folder,
      userDataDir: path.join(scratch, 'user-data'),
      extensionsDir: path.join(scratch, 'extensions'),
      settings: { 'retab.apiBaseUrl': sandbox.url, 'workbench.colorTheme': 'Default Dark Modern', 'window.zoomLevel': 0 },
    });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    const payload = JSON.stringify([['extensionDevelopmentPath', `vscode-remote://127.0.0.1:${server.port}${REPO_ROOT}`]]);
    await page.goto(`${server.url}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(payload)}`);
    bench = new Workbench(page);
    await bench.waitForReady();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && bench) {
      await bench.screenshot(`failed-${(this.currentTest.title ?? 'test').replace(/\W+/g, '-')}`);
    }
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    await sandbox?.close();
  });

  it('opens the Retab view and asks for a key', async () => {
    await page.locator('.activitybar [aria-label^="Retab"]').first().click();
    const welcome = page.locator('.welcome-view-content', { hasText: 'Browse your Retab workflows' });
    await welcome.waitFor({ timeout: 30_000 });
    await bench.screenshot('welcome');
  });

  it('sets the key through the real password box', async () => {
    await page.locator('.welcome-view-content a.monaco-button', { hasText: 'Set API Key' }).click();
    const input = page.locator('.quick-input-widget input[type="password"]');
    await input.waitFor();
    await input.fill(sandbox.apiKey);
    await bench.screenshot('api-key-input');
    await page.keyboard.press('Enter');
    await bench.treeRow('Invoice extraction').waitFor({ timeout: 30_000 });
    await bench.screenshot('workflows');
  });

  it('expands down to a document and opens its job', async () => {
    await bench.treeRow('Invoice extraction').click();
    await bench.treeRow('Invoice fields v2').click();
    await bench.treeRow('Run 6').click();
    await bench.treeRow('invoice_q1.pdf').waitFor();
    await bench.treeRow('invoice_q1.pdf').click();
    const panel = bench.jobPanel();
    await panel.locator('h1.filename', { hasText: 'invoice_q1.pdf' }).waitFor({ timeout: 30_000 });
    const text = await panel.locator('body').innerText();
    assert.match(text, /completed/i);
    assert.match(text, /input-document-0/);
    assert.match(text, /extraction/);
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
    await bench.openFile('failed-job.json');
    // The innermost span is the token itself; its line's span would put the mouse elsewhere.
    const token = page.locator('.view-lines span span', { hasText: /^"?expdoc_inv_007"?$/ }).first();
    await token.waitFor({ timeout: 30_000 });
    // Monaco re-renders the line when decorations (our id links) arrive: read the box once it settles.
    let box = await token.boundingBox();
    for (let attempt = 0; !box && attempt < 20; attempt++) {
      await page.waitForTimeout(100);
      box = await token.boundingBox();
    }
    assert.ok(box, 'the id is on screen');
    // Monaco shows hovers after real mouse movement over a word, not after a jump.
    await page.mouse.move(box.x + box.width / 2 - 20, box.y + box.height / 2, { steps: 4 });
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 4 });
    const hover = page.locator('.monaco-hover-content', { hasText: 'Open Job' });
    await hover.waitFor({ timeout: 30_000 });
    assert.match(await hover.innerText(), /error/);
    await bench.screenshot('hover');
  });

  it('looks a job up from the command palette', async () => {
    await page.keyboard.press('Escape');
    await bench.runCommand('Retab: Look Up Job');
    await bench.answerInputBox('wf_invoices exp_invoices_v2 exprun_inv_5 expdoc_inv_003');
    const panel = bench.jobPanel();
    await panel.locator('code.id', { hasText: 'exprun_inv_5' }).waitFor({ timeout: 30_000 });
    await bench.screenshot('lookup');
  });

  it('shows hostile server text as text and runs none of it', async () => {
    await bench.runCommand('Retab: Look Up Job');
    await bench.answerInputBox('wf_hostile exp_hostile exprun_hostile_1 expdoc_hostile_1');
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
    await bench.treeRow('invoice_q1.pdf').click();
    const panel = bench.jobPanel();
    await panel.locator('h1.filename', { hasText: 'invoice_q1.pdf' }).waitFor({ timeout: 30_000 });
    await panel.locator('button[data-action="openArtifact"]').click();
    const artifactTab = page.locator('.tabs-container .tab', { hasText: '.json' }).first();
    await artifactTab.waitFor({ timeout: 30_000 });
    await page.locator('.monaco-editor .view-lines', { hasText: '"id"' }).first().waitFor({ timeout: 30_000 });
    await bench.screenshot('artifact');

    await page.locator('.tabs-container .tab', { hasText: 'Job:' }).first().click();
    await bench.jobPanel().locator('button[data-action="compareWithRun"]').click();
    const runPick = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Run 4' }).first();
    await runPick.waitFor({ timeout: 30_000 });
    await runPick.click();
    await page.locator('.monaco-diff-editor').first().waitFor({ timeout: 30_000 });
    await bench.screenshot('compare');
  });

  it('starts a run, shows it live in the status bar and announces its end', async () => {
    const experimentRow = bench.treeRow('Invoice fields v2');
    await experimentRow.hover();
    await experimentRow.locator('.action-label[aria-label^="Start Run"]').click();
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Consensus ×3' }).first().click();
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'All documents' }).first().click();
    await page.locator('.monaco-dialog-box .monaco-button', { hasText: 'Start Run' }).click();
    const status = page.locator('.statusbar-item', { hasText: /Retab: \d+ runs? in progress/ });
    await status.waitFor({ timeout: 30_000 });
    await bench.treeRow('Run 7').waitFor({ timeout: 30_000 });
    await bench.screenshot('run-live');
    const announcement = page.locator('.notification-list-item', { hasText: /run 7 of "Invoice fields v2" (completed|error)/ });
    await announcement.waitFor({ timeout: 90_000 });
    await bench.screenshot('run-finished');
  });

  it('never shows the API key anywhere in the workbench, its webviews or the log', async () => {
    await bench.runCommand('Retab: Show Log');
    await page.locator('.output-view, .monaco-editor[data-uri*="output"]').first().waitFor({ timeout: 30_000 }).catch(() => undefined);
    await bench.screenshot('log');
    const everything = await bench.allText();
    assert.ok(!everything.includes(sandbox.apiKey), 'the key appears nowhere on screen');
    const logs = filesUnder(path.join(scratch, 'user-data', 'logs'));
    assert.ok(logs.some((file) => /Retab/.test(file)), `the Retab log is among ${logs.length} log files`);
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
