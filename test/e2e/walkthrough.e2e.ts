import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { Sandbox } from '../sandbox/server';
import { INVOICES } from '../support/fixtures';
import { useWorkbenchSession } from './session';
import type { Workbench } from './workbench';

const THEMES = [
  { setting: 'Default Light Modern', slug: 'light' },
  { setting: 'Default Dark Modern', slug: 'dark' },
] as const;

/**
 * The walkthrough as a new user meets it, in a light and a dark theme: it opens by itself on a
 * first start without a key, and each step ticks itself when the person does the thing (set a
 * key, open a run, read a failure, see a field's votes, start a run). The pictures each step shows
 * are taken here, in both themes, so they match the UI they describe.
 */
for (const theme of THEMES) {
  describe(`The walkthrough in ${theme.setting} (UI)`, function () {
    this.timeout(240_000);
    let sandbox: Sandbox;
    let page: Page;
    let bench: Workbench;
    useWorkbenchSession(
      {
        api: 'g3',
        theme: theme.setting,
        scratchPrefix: `retab-walkthrough-${theme.slug}-`,
        failureShotPrefix: `walkthrough-${theme.slug}-`,
        settings: { 'workbench.welcomePage.walkthroughs.openOnInstall': true },
      },
      (session) => {
        ({ sandbox, page, workbench: bench } = session);
      },
    );

    /** The step's picture, with no notification over it. */
    const shot = async (step: string): Promise<string> => {
      await bench.runCommand('Notifications: Clear All Notifications');
      await page.mouse.move(1, 430);
      return bench.screenshot(`walkthrough-${theme.slug}-${step}`, `${step}-${theme.slug}.png`, 'walkthrough');
    };
    const walkthrough = (): ReturnType<Page['locator']> => page.locator('.gettingStartedContainer');
    /** A step's checkbox in the walkthrough page, ticked (VS Code sets aria-checked on a done step). */
    const stepDone = (id: string): ReturnType<Page['locator']> => walkthrough().locator(`[data-done-step-id$="#${id}"][aria-checked="true"]`);

    it('opens by itself on a first start without a key', async () => {
      await walkthrough().locator('h2', { hasText: 'Get Started with Retab Experiments' }).waitFor({ timeout: 60_000 });
      assert.equal(await walkthrough().locator('.getting-started-step').count(), 5, 'five steps (the demo step is for the demo only)');
    });

    it('connect: the key set from the view ticks the first step', async () => {
      // The picture shows the view and the key box, not the walkthrough itself. The view first: the
      // palette is asked from the workbench, not from inside the walkthrough's page.
      await bench.retabIcon().click();
      await bench.runCommand('View: Close All Editors');
      await page.locator('.welcome-view-content a.monaco-button', { hasText: 'Set API Key' }).click();
      await bench.typeApiKey(sandbox.apiKey, async () => {
        await page.mouse.move(1, 430);
        await bench.screenshot(`walkthrough-${theme.slug}-connect`, `connect-${theme.slug}.png`, 'walkthrough');
      });
      await bench.treeRow(INVOICES.workflowName).waitFor({ timeout: 30_000 });
      await bench.runCommand('Retab: Get Started');
      await stepDone('connect').waitFor({ timeout: 30_000 });
      // The walkthrough waits in its tab; the job panel takes the editor area for the next steps.
      await bench.runCommand('View: Close All Editors');
    });

    it('open a run: the documents, the failures and the fields that disagree', async () => {
      for (const label of [INVOICES.workflowName, INVOICES.experimentName, 'Run 6']) {
        await bench.treeRow(label).waitFor({ timeout: 30_000 });
        await bench.treeRow(label).click();
      }
      await bench.treeRow('invoice_q1.pdf').waitFor({ timeout: 30_000 });
      await bench.treeRow('Failures').waitFor({ timeout: 30_000 });
      await shot('run');
    });

    it('read a failure: a failed document in the panel, its error and cause', async () => {
      const failed = page.locator('.pane-body .monaco-list-row[aria-level="4"]', { has: page.locator('.codicon-error') }).first();
      await failed.click();
      await bench.jobPanel().locator('.callout.error').waitFor({ timeout: 30_000 });
      await shot('failure');
    });

    it("see a field's votes beside the document", async () => {
      await bench.openDocumentRow('invoice_q1.pdf');
      const panel = bench.jobPanel();
      // From the palette: the panel's own buttons would do the same (the UI suite clicks them).
      await bench.runCommand('Retab: Show the Document of This Job');
      await panel.locator('.doc-page[data-page="1"] canvas').waitFor({ timeout: 60_000 });
      await bench.runCommand('Retab: Show Votes of a Field');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'invoice.total' }).first().click();
      await panel.locator('section.votes[data-votes-state="loaded"]').waitFor({ timeout: 30_000 });
      await panel.locator('.doc-box').waitFor({ timeout: 30_000 });
      const frame = await bench.jobPanelFrame();
      await frame.evaluate(() => document.querySelector('section.votes')?.scrollIntoView({ block: 'end' }));
      await shot('votes');
    });

    it('start a run: then every step of the walkthrough is ticked, each by doing it', async () => {
      await bench.startRun(INVOICES.experimentName, []);
      await bench.treeRow('Run 7').waitFor({ timeout: 30_000 });
      await bench.runCommand('Notifications: Clear All Notifications');
      await shot('start-run');
      await bench.runCommand('Retab: Get Started');
      for (const step of ['connect', 'openRun', 'readFailure', 'fieldVotes', 'startRun']) {
        await stepDone(step).waitFor({ timeout: 30_000 });
      }
      await bench.screenshot(`walkthrough-${theme.slug}-done`, theme.slug === 'dark' ? 'walkthrough.png' : undefined);
    });
  });
}
