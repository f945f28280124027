import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame, FrameLocator, Locator, Page } from 'playwright-core';

export const REPO_ROOT = path.resolve(__dirname, '../../..');
export const RESULTS_DIR = path.join(REPO_ROOT, 'test-results', 'ui');

/** Drives the VS Code workbench the way a person does: clicks, typing, reading what is shown. */
export class Workbench {
  private step = 0;

  constructor(readonly page: Page) {}

  async screenshot(name: string): Promise<string> {
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    this.step++;
    const file = path.join(RESULTS_DIR, `${String(this.step).padStart(2, '0')}-${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  async waitForReady(): Promise<void> {
    await this.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await this.page.locator('.activitybar').waitFor({ timeout: 60_000 });
  }

  async runCommand(title: string): Promise<void> {
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(`>${title}`);
    const item = this.page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
    await item.waitFor();
    await this.page.keyboard.press('Enter');
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

  treeRow(label: string): Locator {
    return this.page.locator('.pane-body .monaco-list-row', { has: this.page.locator('.label-name', { hasText: label }) }).first();
  }

  /** The job panel's content frame (webviews are an iframe inside an iframe). */
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
