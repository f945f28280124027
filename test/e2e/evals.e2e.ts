import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { Sandbox } from '../sandbox/server';
import { useWorkbenchSession } from './session';
import { Workbench } from './workbench';

/**
 * Retab's evals in VS Code's Testing view, as a person meets them: the workflows, their blocks and
 * evals listed, a block run from its inline Run button, its evals turning green and red, and the
 * failing eval's peek showing expected against actual.
 */
describe('Retab evals in the Testing view (UI)', function () {
  this.timeout(240_000);
  let sandbox: Sandbox;
  let page: Page;
  let bench: Workbench;
  useWorkbenchSession({ api: 'g3', timeScale: 0.1, scratchPrefix: 'retab-evals-', failureShotPrefix: 'evals-' }, async (session) => {
    ({ sandbox, page, workbench: bench } = session);
    await bench.runCommand('Retab: Focus on Experiments View');
    await bench.runCommand('Retab: Set API Key');
    await bench.typeApiKey(sandbox.apiKey);
    await bench.treeRow('Invoice extraction').waitFor({ timeout: 30_000 });
  });

  const row = (label: string) => page.locator('.test-explorer .monaco-list-row', { hasText: label }).first();

  it('lists the evals, runs a block, and shows a failure’s expected and actual', async () => {
    await bench.runCommand('View: Show Testing');
    await row('Invoice extraction').waitFor({ timeout: 60_000 });
    await row('Invoice extraction').click();
    await page.keyboard.press('ArrowRight');
    const block = page.locator('.test-explorer .monaco-list-row[aria-level="2"]').first();
    await block.waitFor({ timeout: 30_000 });
    await block.click();
    await page.keyboard.press('ArrowRight');
    await page.locator('.test-explorer .monaco-list-row[aria-level="3"]').first().waitFor({ timeout: 30_000 });
    // The workflow's inline Run button: all its evals, one workflow-scope run.
    const workflowRow = row('Invoice extraction');
    await workflowRow.hover();
    await workflowRow.locator('.action-label[aria-label^="Run Test"]').first().click();
    // The run's results as they come: one failed among passed ones, in the Test Results view.
    const failedResult = page.locator('.test-output-peek-tree .monaco-list-row', { has: page.locator('.codicon-testing-failed-icon') }).first();
    await failedResult.waitFor({ timeout: 60_000 });
    await page
      .locator('.test-output-peek-tree .monaco-list-row', { has: page.locator('.codicon-testing-passed-icon') })
      .first()
      .waitFor({ timeout: 60_000 });
    await page.waitForTimeout(2000);
    assert.ok((await page.locator('.test-explorer .monaco-list-row[aria-level="3"] .codicon-testing-passed-icon').count()) > 0, 'green in the explorer');
    assert.ok((await page.locator('.test-explorer .monaco-list-row[aria-level="3"] .codicon-testing-failed-icon').count()) > 0, 'red in the explorer');
    // The failing eval in the Test Results view: its message, and expected against actual.
    await failedResult.click();
    const message = page.locator('.test-output-peek-tree .monaco-list-row', { hasText: /failed/ }).nth(1);
    if (await message.count()) {
      await message.click();
    }
    await page.waitForTimeout(1500);
    const shown = await bench.allText();
    assert.match(shown, /ends_with failed|Expected|Actual/);
    await bench.runCommand('Notifications: Clear All Notifications');
    await page.waitForTimeout(500);
    await bench.screenshot('evals-testing-view');

    // The eval's definition is its source: double-clicking the failed eval opens it, with the failure's peek.
    const failedRow = page.locator('.test-explorer .monaco-list-row[aria-level="3"]', { has: page.locator('.codicon-testing-failed-icon') }).first();
    await failedRow.dblclick();
    await page.locator('.monaco-editor .peekview-widget').first().waitFor({ timeout: 30_000 });
    await page.waitForTimeout(1000);
    assert.match(await page.locator('.monaco-editor .peekview-widget').first().innerText(), /Expected|Actual|failed/);
    await bench.screenshot('evals-peek', 'evals-testing.png');
  });
});
