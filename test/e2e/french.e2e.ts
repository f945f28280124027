import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { Sandbox } from '../sandbox/server';
import { INVOICES } from '../support/fixtures';
import { useWorkbenchSession } from './session';
import type { Workbench } from './workbench';

/**
 * The workbench in French (`--locale fr`): the view, its welcome, the palette's commands, the tree's
 * rows and the job panel speak French, with numbers and dates as French readers write them.
 */
for (const api of ['g3', 'g1'] as const) {
  describe(`Retab Experiments in French on ${api.toUpperCase()} (UI)`, function () {
    this.timeout(180_000);
    let sandbox: Sandbox;
    let page: Page;
    let bench: Workbench;
    useWorkbenchSession({ api, locale: 'fr', scratchPrefix: `retab-french-${api}-`, failureShotPrefix: `french-${api}-` }, (session) => {
      ({ sandbox, page, workbench: bench } = session);
    });

    it('welcomes in French and takes the key from the welcome button', async () => {
      await bench.retabIcon().click();
      const welcome = page.locator('.welcome-view-content', { hasText: 'Parcourez vos workflows Retab' });
      await welcome.waitFor({ timeout: 30_000 });
      await page.locator('.welcome-view-content a.monaco-button', { hasText: 'Définir la clé d’API' }).click();
      await bench.typeApiKey(sandbox.apiKey);
      await bench.treeRow(INVOICES.workflowName).waitFor({ timeout: 30_000 });
    });

    it('shows the tree and the job panel in French, numbers the French way', async () => {
      for (const label of [INVOICES.workflowName, INVOICES.experimentName, 'Exécution 6']) {
        await bench.treeRow(label).waitFor({ timeout: 30_000 });
        await bench.treeRow(label).click();
      }
      await bench.treeRow('Échecs').waitFor({ timeout: 30_000 });
      const run = await bench.treeRow('Exécution 6').innerText();
      assert.match(run, /80,8\s%/, `a French percentage in ${run}`);
      await bench.openDocumentRow('invoice_q1.pdf');
      const panel = bench.jobPanel();
      await panel.locator('button', { hasText: 'Actualiser' }).waitFor({ timeout: 30_000 });
      const text = await panel.locator('body').innerText();
      assert.match(text, /Comparer avec une exécution…/);
      assert.match(text, /score\s+98,1\s%/);
      assert.match(text, /CHAMPS|Champs/);
      await bench.runCommand('Notifications: Clear All Notifications');
      await page.mouse.move(1, 430);
      // The README's picture is the newest generation's.
      await bench.screenshot(`french-${api}-panel`, api === 'g3' ? 'french.png' : undefined);
    });

    it('steps to the next and previous document with Alt+↓ and Alt+↑', async () => {
      const panel = bench.jobPanel();
      await panel.locator('h1.filename', { hasText: 'invoice_q1.pdf' }).waitFor({ timeout: 30_000 });
      await page.keyboard.press('Alt+ArrowDown');
      await panel.locator('h1.filename', { hasText: 'facture_été_№42.pdf' }).waitFor({ timeout: 30_000 });
      await page.keyboard.press('Alt+ArrowUp');
      await panel.locator('h1.filename', { hasText: 'invoice_q1.pdf' }).waitFor({ timeout: 30_000 });
    });

    it('switches connections from the status bar, in one pick', async () => {
      await page.locator('.statusbar-item', { hasText: '127.0.0.1' }).first().click();
      const pick = page.locator('.quick-input-widget', { hasText: 'Retab : Changer de connexion' });
      await pick.waitFor({ timeout: 10_000 });
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Ajouter une connexion…' }).waitFor();
      await bench.screenshot(`french-${api}-switch-connection`);
      await page.keyboard.press('Escape');
    });

    it('lists the commands in French in the palette', async () => {
      await page.keyboard.press('F1');
      const input = page.locator('.quick-input-widget input');
      await input.fill('>Retab : Changer de connexion');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Changer de connexion' }).first().waitFor({ timeout: 10_000 });
      await page.keyboard.press('Escape');
    });
  });
}
