import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { CodeServer, launchBrowser, startCodeServer } from '../runners/codeServer';
import { Sandbox, startSandbox } from '../sandbox/server';
import { REPO_ROOT, Workbench } from './workbench';

const GENERATIONS = ['g1', 'g1p', 'g2', 'g3'] as const;

/**
 * The main path as a person walks it, on a server of each generation, with nothing set but the
 * base URL: the key in the real password box, the tree down to a document shown by its file name,
 * the job panel, a hover on an id in a file, and Look Up Job from the palette with the job's own id.
 */
for (const generation of GENERATIONS) {
  describe(`The workbench on a ${generation.toUpperCase()} server (UI)`, function () {
    this.timeout(180_000);
    let sandbox: Sandbox;
    let server: CodeServer;
    let browser: Browser;
    let page: Page;
    let bench: Workbench;
    let scratch: string;

    before(async () => {
      sandbox = await startSandbox({ api: generation });
      scratch = fs.mkdtempSync(path.join(os.tmpdir(), `retab-ui-${generation}-`));
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
        await bench.screenshot(`${generation}-failed-${(this.currentTest.title ?? 'test').replace(/\W+/g, '-')}`);
      }
    });

    after(async () => {
      await browser?.close();
      await server?.stop();
      await sandbox?.close();
      fs.rmSync(scratch, { recursive: true, force: true });
    });

    it('takes the key in the password box and lists workflows', async () => {
      await page.locator('.activitybar [aria-label^="Retab"]').first().click();
      await page.locator('.welcome-view-content a.monaco-button', { hasText: 'Set API Key' }).click();
      const input = page.locator('.quick-input-widget input[type="password"]');
      await input.waitFor();
      await input.fill(sandbox.apiKey);
      await page.keyboard.press('Enter');
      await bench.treeRow('Invoice extraction').waitFor({ timeout: 30_000 });
    });

    it('expands to a document shown by its file name and opens its job', async () => {
      await bench.treeRow('Invoice extraction').click();
      await bench.treeRow('Invoice fields v2').click();
      await bench.treeRow('Run 6').click();
      await bench.treeRow('invoice_q1.pdf').waitFor({ timeout: 30_000 });
      await bench.treeRow('invoice_q1.pdf').click();
      const panel = bench.jobPanel();
      await panel.locator('h1.filename', { hasText: 'invoice_q1.pdf' }).waitFor({ timeout: 30_000 });
      assert.match(await panel.locator('body').innerText(), /completed/i);
      await bench.screenshot(`${generation}-job-panel`);
    });

    it('hovers a document id in a file', async () => {
      await bench.openFile('failed-job.json');
      const token = page.locator('.view-lines span span', { hasText: /^"?expdoc_inv_007"?$/ }).first();
      await token.waitFor({ timeout: 30_000 });
      let box = await token.boundingBox();
      for (let attempt = 0; !box && attempt < 20; attempt++) {
        await page.waitForTimeout(100);
        box = await token.boundingBox();
      }
      assert.ok(box, 'the id is on screen');
      await page.mouse.move(box.x + box.width / 2 - 20, box.y + box.height / 2, { steps: 4 });
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 4 });
      const hover = page.locator('.monaco-hover-content', { hasText: 'Open Job' });
      await hover.waitFor({ timeout: 30_000 });
      assert.match(await hover.innerText(), /error/);
    });

    it('looks a job up by its own id from the palette', async () => {
      await page.keyboard.press('Escape');
      const jobId = await jobIdOf(sandbox, 'expdoc_inv_003');
      await bench.runCommand('Retab: Look Up Job');
      await bench.answerInputBox(jobId);
      const panel = bench.jobPanel();
      await panel.locator('code.id', { hasText: jobId }).waitFor({ timeout: 30_000 });
      await bench.screenshot(`${generation}-lookup`);
    });
  });
}

/** The id the server gives a document's job in run 6: `expjob_…` (nested) or `expresult_…` (flat), read over the wire. */
async function jobIdOf(sandbox: Sandbox, documentId: string): Promise<string> {
  const headers = sandbox.authHeaders();
  const flat = await fetch(`${sandbox.url}/workflows/experiments/results?run_id=exprun_inv_6&limit=100`, { headers });
  if (flat.ok) {
    const page = (await flat.json()) as { data: Array<{ id: string; document_id: string }> };
    const found = page.data.find((result) => result.document_id === documentId);
    assert.ok(found);
    return found.id;
  }
  const nested = await fetch(`${sandbox.url}/workflows/wf_invoices/experiments/exp_invoices_v2/runs/exprun_inv_6/documents/${documentId}`, { headers });
  if (nested.ok) {
    return ((await nested.json()) as { id: string }).id;
  }
  const content = await fetch(`${sandbox.url}/workflows/wf_invoices/experiments/exp_invoices_v2/content?run_id=exprun_inv_6`, { headers });
  const jobs = ((await content.json()) as { content: { jobs: Array<{ id: string; document_id: string }> } }).content.jobs;
  const found = jobs.find((job) => job.document_id === documentId);
  assert.ok(found);
  return found.id;
}
