import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame, FrameLocator, Locator, Page } from 'playwright-core';
import { waitFor } from '../support/wait';

export const REPO_ROOT = path.resolve(__dirname, '../../..');
export const RESULTS_DIR = path.join(REPO_ROOT, 'test-results', 'ui');

/** Drives the VS Code workbench the way a person does: clicks, typing, reading what is shown. */
export class Workbench {
  private step = 0;

  constructor(readonly page: Page) {}

  /**
   * Saves what the page shows as `test-results/ui/NN-<name>.png`. A picture the README shows names
   * its file there (`readme`): with RETAB_README_SCREENSHOTS=1 it is also written to
   * `media/screenshots/` (the walkthrough's to `media/walkthrough/`), so the README's pictures are taken by the tests that check what they show.
   */
  async screenshot(name: string, readme?: `${string}.png`, folder: 'screenshots' | 'walkthrough' = 'screenshots'): Promise<string> {
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    this.step++;
    const file = path.join(RESULTS_DIR, `${String(this.step).padStart(2, '0')}-${name}.png`);
    await this.page.screenshot({ path: file });
    if (readme && process.env.RETAB_README_SCREENSHOTS === '1') {
      fs.copyFileSync(file, path.join(REPO_ROOT, 'media', folder, readme));
    }
    return file;
  }

  async waitForReady(): Promise<void> {
    await this.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await this.page.locator('.activitybar').waitFor({ timeout: 60_000 });
  }

  /**
   * Runs a command from the palette, typed as a person types it. The palette lists what it knew when
   * it opened: a command that was not there yet (the extension still loading) is typed again.
   */
  async runCommand(title: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      await this.page.keyboard.press('F1');
      const input = this.page.locator('.quick-input-widget input');
      await input.waitFor();
      await input.fill(`>${title}`);
      const item = this.page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
      try {
        await item.waitFor({ timeout: 5_000 });
      } catch (error) {
        if (attempt >= 6) {
          throw error;
        }
        await this.page.keyboard.press('Escape');
        continue;
      }
      await this.page.keyboard.press('Enter');
      return;
    }
  }

  /** Quick Open (the palette without ">"), as a person opens a file by name. */
  async openFile(name: string): Promise<void> {
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(name);
    await this.page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor();
    await this.page.keyboard.press('Enter');
  }

  /** The quick input box currently shown (input box or quick pick). */
  quickInput(): Locator {
    return this.page.locator('.quick-input-widget');
  }

  async answerInputBox(text: string): Promise<void> {
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(text);
    await this.page.keyboard.press('Enter');
  }

  /** The extension's icon in the activity bar: there once its views and commands are known. */
  retabIcon(): Locator {
    return this.page.locator('.activitybar [aria-label^="Retab"]').first();
  }

  /**
   * Types a key into the password box that Set API Key shows; `beforeEnter` runs with the key
   * typed, before it is sent (to take a picture of the box).
   */
  async typeApiKey(key: string, beforeEnter?: () => Promise<unknown>): Promise<void> {
    const input = this.page.locator('.quick-input-widget input[type="password"]');
    await input.waitFor();
    await input.fill(key);
    await beforeEnter?.();
    await this.page.keyboard.press('Enter');
  }

  /** As a person starts: the Retab view, Set API Key in its welcome, the key, then the workflows listed. */
  async setKeyFromWelcome(key: string, firstWorkflow: string): Promise<void> {
    await this.retabIcon().click();
    await this.page.locator('.welcome-view-content a.monaco-button', { hasText: 'Set API Key' }).click();
    await this.typeApiKey(key);
    await this.treeRow(firstWorkflow).waitFor({ timeout: 30_000 });
  }

  /**
   * Rests the mouse on a word of the editor (a JSON string's quotes may be part of its token), as
   * a person does, and waits for a hover that shows `shows`; answers that hover.
   */
  async hoverWord(word: string, shows: string): Promise<Locator> {
    const exactly = new RegExp(`^"?${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"?$`);
    // The innermost span is the token itself; its line's span would put the mouse elsewhere.
    const token = this.page.locator('.view-lines span span', { hasText: exactly }).first();
    await token.waitFor({ timeout: 30_000 });
    // Monaco re-renders the line when decorations (our id links) arrive: read the box once it settles.
    let box = await token.boundingBox();
    for (let attempt = 0; !box && attempt < 20; attempt++) {
      await this.page.waitForTimeout(100);
      box = await token.boundingBox();
    }
    if (!box) {
      throw new Error(`${word} is not on screen`);
    }
    // Monaco shows hovers after real mouse movement over a word, not after a jump.
    await this.page.mouse.move(box.x + box.width / 2 - 20, box.y + box.height / 2, { steps: 4 });
    await this.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 4 });
    const hover = this.page.locator('.monaco-hover-content', { hasText: shows });
    await hover.waitFor({ timeout: 30_000 });
    return hover;
  }

  /** Start Run from an experiment row's inline action, answering each question with the item that has this text. */
  async startRun(experiment: string, picks: string[]): Promise<void> {
    const row = this.treeRow(experiment);
    await row.hover();
    await row.locator('.action-label[aria-label^="Start Run"]').click();
    for (const pick of picks) {
      await this.page.locator('.quick-input-list .monaco-list-row', { hasText: pick }).first().click();
    }
    await this.page.locator('.monaco-dialog-box .monaco-button', { hasText: 'Start Run' }).click();
  }

  treeRow(label: string): Locator {
    return this.page.locator('.pane-body .monaco-list-row', { has: this.page.locator('.label-name', { hasText: label }) }).first();
  }

  /** The job panel's content frame (webviews are an iframe inside an iframe). */
  /**
   * Clicks a document's row until the panel shows its job. While the view is still adding rows
   * (scores, the Failures and Fields nodes) a row can move between Playwright finding it and the
   * click, which then lands on another row; a person clicks again, and so does this, twice at most.
   */
  async openDocumentRow(label: string): Promise<void> {
    const heading = this.jobPanel().locator('h1.filename', { hasText: label });
    for (let attempt = 1; ; attempt++) {
      await this.treeRow(label).click();
      try {
        await heading.waitFor({ timeout: attempt < 3 ? 10_000 : 30_000 });
        return;
      } catch (error) {
        if (attempt === 3) {
          throw error;
        }
      }
    }
  }

  jobPanel(): FrameLocator {
    return this.page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
  }

  async jobPanelFrame(): Promise<Frame> {
    for (let attempt = 0; attempt < 100; attempt++) {
      const frame = this.page.frames().find((candidate) => candidate.name() === 'active-frame' || candidate.url().includes('fake.html'));
      if (frame) {
        return frame;
      }
      await this.page.waitForTimeout(100);
    }
    throw new Error('the job panel frame did not appear');
  }

  /** Every text the page shows, frames included: for checks that something appears nowhere. */
  async allText(): Promise<string> {
    const parts: string[] = [];
    for (const frame of this.page.frames()) {
      try {
        parts.push(await frame.content());
      } catch {
        // A frame that navigated away while we read it has nothing left to show.
      }
    }
    return parts.join('\n');
  }
}

/**
 * Waits until `check` holds in the page; a check that throws (a frame being replaced) is asked
 * again.
 */
export async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  await waitFor(what, check, timeoutMs, { pollMs: 100, retryErrors: true });
}
