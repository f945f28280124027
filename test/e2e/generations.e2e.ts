import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { Sandbox } from '../sandbox/server';
import { INVOICES, invoiceDocumentId, invoiceJob, invoiceRunId } from '../support/fixtures';
import { jobFile, useWorkbenchSession } from './session';
import type { Workbench } from './workbench';

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
    let page: Page;
    let bench: Workbench;
    useWorkbenchSession(
      {
        api: generation,
        scratchPrefix: `retab-ui-${generation}-`,
        failureShotPrefix: `${generation}-`,
        files: { 'failed-job.json': jobFile(invoiceJob(6, 7)) },
      },
      (session) => {
        ({ sandbox, page, workbench: bench } = session);
      },
    );

    it('takes the key in the password box and lists workflows', async () => {
      await bench.setKeyFromWelcome(sandbox.apiKey, INVOICES.workflowName);
    });

    it('expands to a document shown by its file name and opens its job', async () => {
      await bench.treeRow('Invoice extraction').click();
      await bench.treeRow('Invoice fields v2').click();
      await bench.treeRow('Run 6').click();
      await bench.treeRow('invoice_q1.pdf').waitFor({ timeout: 30_000 });
      await bench.openDocumentRow('invoice_q1.pdf');
      const panel = bench.jobPanel();
      assert.match(await panel.locator('body').innerText(), /completed/i);
      await bench.screenshot(`${generation}-job-panel`);
    });

    it('hovers a document id in a file', async () => {
      await bench.openFile('failed-job.json');
      const hover = await bench.hoverWord(invoiceDocumentId(7), 'Open Job');
      assert.match(await hover.innerText(), /error/);
    });

    it('looks a job up by its own id from the palette', async () => {
      await page.keyboard.press('Escape');
      const jobId = await jobIdOf(sandbox, invoiceDocumentId(3));
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
  const { workflowId, experimentId } = INVOICES;
  const runId = invoiceRunId(6);
  const flat = await fetch(`${sandbox.url}/workflows/experiments/results?run_id=${runId}&limit=100`, { headers });
  if (flat.ok) {
    const page = (await flat.json()) as { data: Array<{ id: string; document_id: string }> };
    const found = page.data.find((result) => result.document_id === documentId);
    assert.ok(found);
    return found.id;
  }
  const nested = await fetch(`${sandbox.url}/workflows/${workflowId}/experiments/${experimentId}/runs/${runId}/documents/${documentId}`, { headers });
  if (nested.ok) {
    return ((await nested.json()) as { id: string }).id;
  }
  const content = await fetch(`${sandbox.url}/workflows/${workflowId}/experiments/${experimentId}/content?run_id=${runId}`, { headers });
  const jobs = ((await content.json()) as { content: { jobs: Array<{ id: string; document_id: string }> } }).content.jobs;
  const found = jobs.find((job) => job.document_id === documentId);
  assert.ok(found);
  return found.id;
}
