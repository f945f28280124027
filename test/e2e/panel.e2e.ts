import * as assert from 'node:assert/strict';
import type { Frame, Page } from 'playwright-core';
import type { Sandbox } from '../sandbox/server';
import { useWorkbenchSession } from './session';
import { waitFor } from '../support/wait';
import { Workbench, waitUntil } from './workbench';

interface Theme {
  /** `workbench.colorTheme`, written to the user settings file before the workbench starts. */
  setting: string;
  slug: string;
  /** The class the workbench puts on its root element for this theme's kind. */
  workbenchClass: string;
  /** The class VS Code puts on a webview's body for this theme's kind. */
  webviewClass: string;
  /** The README's pictures taken in this theme: the job panel, and a field's votes. */
  readme: { panel?: `${string}.png`; votes?: `${string}.png` };
}

const THEMES: Theme[] = [
  {
    setting: 'Default Dark Modern',
    slug: 'dark',
    workbenchClass: 'vs-dark',
    webviewClass: 'vscode-dark',
    readme: { panel: 'job-panel-dark.png', votes: 'panel-fields-votes.png' },
  },
  { setting: 'Default Light Modern', slug: 'light', workbenchClass: 'vs', webviewClass: 'vscode-light', readme: { panel: 'job-panel.png' } },
  { setting: 'Default High Contrast', slug: 'high-contrast', workbenchClass: 'hc-black', webviewClass: 'vscode-high-contrast', readme: {} },
];

/** WCAG's minimum for large text and for the parts of a control that say what it is. */
const MIN_CONTRAST = 3;

/**
 * The job panel as a person meets it, in each theme: reached and worked with the keyboard alone,
 * with focus visible at every step; status and error set apart from the page by colour; the
 * same job, section and scroll position after the window reloads; and a document's fields and
 * a field's votes, reached with the keyboard.
 */
for (const theme of THEMES) {
  describe(`The job panel in ${theme.setting} (UI)`, function () {
    this.timeout(240_000);
    let sandbox: Sandbox;
    let page: Page;
    let bench: Workbench;
    /** The file name of the failed document the keyboard walk opens. */
    let failedDocument = '';
    useWorkbenchSession(
      { api: 'g1', theme: theme.setting, scratchPrefix: `retab-panel-${theme.slug}-`, failureShotPrefix: `panel-${theme.slug}-` },
      async (session) => {
        ({ sandbox, page, workbench: bench } = session);
        // The theme from the settings file, not the browser's colour scheme, is the one on screen.
        await page.locator(`.monaco-workbench.${theme.workbenchClass}`).waitFor({ timeout: 30_000 });
      },
    );

    it('takes the key from the palette and lists workflows', async () => {
      await bench.runCommand('Retab: Focus on Experiments View');
      await bench.runCommand('Retab: Set API Key');
      await bench.typeApiKey(sandbox.apiKey);
      await bench.treeRow('Invoice extraction').waitFor({ timeout: 30_000 });
    });

    it('walks from the view to a failed document’s job, through every control, and back, with keys alone', async () => {
      await bench.runCommand('Retab: Focus on Experiments View');
      await focusTreeRow(page, (row) => row.label === 'Invoice extraction');
      await expandFocusedRow(page);
      await focusTreeRow(page, (row) => row.label === 'Invoice fields v2');
      await expandFocusedRow(page);
      await focusTreeRow(page, (row) => row.label === 'Run 6');
      await expandFocusedRow(page);
      const failed = await focusTreeRow(page, (row) => row.level === 4 && row.failed);
      failedDocument = failed.label;
      await page.keyboard.press('Enter');

      const panel = bench.jobPanel();
      await panel.locator('h1.filename', { hasText: failedDocument }).waitFor({ timeout: 30_000 });
      await panel.locator('.callout.error').waitFor();
      const frame = await bench.jobPanelFrame();
      // Opening a job from the view puts the keyboard in the panel.
      await waitUntil('the panel has the keyboard focus', () => frame.evaluate(() => document.hasFocus()));

      const reached: Focused[] = [];
      for (let step = 0; step < 40; step++) {
        await page.keyboard.press('Tab');
        const focused = await focusedInPanel(frame);
        if (!focused || reached.some((seen) => seen.key === focused.key)) {
          break; // Tab left the panel, or came round again
        }
        reached.push(focused);
        assert.ok(focused.outlineVisible, `${focused.key} shows where the focus is (outline ${focused.outline}, shadow ${focused.boxShadow})`);
        assert.ok(
          focused.outlineContrast >= MIN_CONTRAST,
          `${focused.key}: the focus outline stands out from the page (contrast ${focused.outlineContrast.toFixed(2)})`,
        );
        // Raw JSON's own summary (the panel has other sections that open and close).
        if (focused.key === 'summary:Raw JSON' && !(await frame.evaluate(() => document.querySelector('details.raw')?.hasAttribute('open')))) {
          await page.keyboard.press('Enter'); // open Raw JSON: its box joins the tab order
          await waitUntil('Raw JSON opens from the keyboard', () => frame.evaluate(() => document.querySelector('details.raw')?.hasAttribute('open') ?? false));
        }
        if (focused.key === 'copy:runId') {
          await page.keyboard.press('Space');
          await bench.jobPanel().locator('#announcer', { hasText: 'Copied run ID' }).waitFor({ state: 'attached', timeout: 10_000 });
          // Copying goes through the workbench's clipboard, which borrows the focus for a moment: once
          // the button says "Copy" again (after 1.2 s) that is over, and the focus is back on the button.
          await waitUntil(
            'the focus is back on Copy run ID after copying',
            async () => (await frame.evaluate(() => document.activeElement?.textContent === 'Copy')) && (await focusedInPanel(frame))?.key === 'copy:runId',
          );
        }
      }
      const expected = await frame.evaluate(() =>
        Array.from(document.querySelectorAll<HTMLElement>('#content button, #content summary, #content [tabindex="0"]')).map(
          (element) =>
            element.dataset.action ??
            (element.dataset.copy
              ? `copy:${element.dataset.copy}`
              : `${element.tagName.toLowerCase()}:${element.getAttribute('aria-label') ?? element.textContent?.trim()}`),
        ),
      );
      const keys = reached.map((focused) => focused.key);
      assert.deepEqual(keys, expected, 'Tab reaches every control, in reading order');
      for (const required of ['refresh', 'compareWithRun', 'copyLink', 'copy:error', 'copy:runId', 'copy:jobId', 'summary:Raw JSON']) {
        assert.ok(keys.includes(required), `Tab reaches ${required} (reached ${keys.join(', ')})`);
      }
      await bench.screenshot(`panel-${theme.slug}-keyboard`);

      // Back to the view by keys alone: the palette answers F1 from inside the panel too.
      await bench.runCommand('Retab: Focus on Experiments View');
      await waitUntil(`the view has the focus on ${failedDocument} again`, async () => (await focusedTreeRow(page))?.label === failedDocument);
      // Up to the document above (a run's Failures and Fields rows stand above its documents).
      let pressedAt = 0;
      const above = await waitFor(
        'the keyboard moves up a row',
        async () => {
          const row = await focusedTreeRow(page);
          if (row?.label !== failedDocument) {
            return row;
          }
          if (Date.now() - pressedAt > 2_000) {
            pressedAt = Date.now(); // again only if the press was lost
            await page.keyboard.press('ArrowUp');
          }
          return undefined;
        },
        15_000,
      );
      assert.ok(above.level === 4 && !['Failures', 'Fields'].includes(above.label), `the row above ${failedDocument} is a document (${JSON.stringify(above)})`);
      await page.keyboard.press('Enter');
      await panel.locator('h1.filename', { hasText: above.label }).waitFor({ timeout: 30_000 });
    });

    it('sets status badges and the error callout apart from the page', async () => {
      await bench.runCommand('Retab: Focus on Experiments View');
      await focusTreeRow(page, (row) => row.label === failedDocument);
      await page.keyboard.press('Enter');
      const panel = bench.jobPanel();
      await panel.locator('h1.filename', { hasText: failedDocument }).waitFor({ timeout: 30_000 });
      await panel.locator(`body.${theme.webviewClass}`).waitFor();
      const frame = await bench.jobPanelFrame();
      const measured = await measureContrast(frame);
      const problems: string[] = [];
      for (const badge of measured.badges) {
        if (badge.text < MIN_CONTRAST) {
          problems.push(`${badge.status} badge: text on its background ${badge.text.toFixed(2)}`);
        }
        if (badge.edge < MIN_CONTRAST) {
          problems.push(`${badge.status} badge: against the page ${badge.edge.toFixed(2)}`);
        }
      }
      if (measured.calloutBorder < MIN_CONTRAST) {
        problems.push(`error callout: border against the page ${measured.calloutBorder.toFixed(2)}`);
      }
      if (measured.calloutText < 4.5) {
        problems.push(`error callout: text on its background ${measured.calloutText.toFixed(2)}`);
      }
      assert.deepEqual(problems, [], `in ${theme.setting}`);
      // The picture shows the top of the page, with no tooltip or notification over it.
      await bench.runCommand('Notifications: Clear All Notifications');
      await frame.evaluate(() => window.scrollTo(0, 0));
      await page.mouse.move(1, 430);
      await bench.screenshot(`panel-${theme.slug}`, theme.readme.panel);
    });

    if (theme.slug === 'dark') {
      it('comes back after a window reload with the same job, Raw JSON open and the same scroll position', async () => {
        const panel = bench.jobPanel();
        await panel.locator('h1.filename', { hasText: failedDocument }).waitFor({ timeout: 30_000 });
        if (!(await panel.locator('details.raw[open]').count())) {
          await panel.locator('details.raw summary').click();
        }
        await panel.locator('details.raw[open]').waitFor();
        const frame = await bench.jobPanelFrame();
        const box = await page.locator('iframe.webview.ready').boundingBox();
        assert.ok(box);
        await page.mouse.move(box.x + box.width / 2, box.y + 120);
        await page.mouse.wheel(0, 400);
        // The wheel scrolls smoothly: read the position once it has settled.
        let before = -1;
        await waitUntil('the panel scrolls and settles', async () => {
          const now = await frame.evaluate(() => window.scrollY);
          const settled = now === before && now > 200;
          before = now;
          return settled;
        });
        const bottom = await frame.evaluate(() => document.documentElement.scrollHeight - window.innerHeight);
        assert.ok(before < bottom - 100, `scrolled to ${before} of ${bottom}: a position between top and bottom, so that coming back to it means something`);
        await page.waitForTimeout(500); // the webview saves its state shortly after scrolling stops

        // As a person reloads: the workbench saves its editors (and their webviews' state) on the
        // way out. (A bare page.reload() gives it no time to, in a browser.)
        await Promise.all([page.waitForEvent('load', { timeout: 60_000 }), bench.runCommand('Developer: Reload Window')]);
        await bench.waitForReady();
        const restored = bench.jobPanel();
        await restored.locator('h1.filename', { hasText: failedDocument }).waitFor({ timeout: 60_000 });
        await restored.locator('details.raw[open]').waitFor({ timeout: 10_000 });
        const after = await bench.jobPanelFrame();
        await waitUntil(`the panel is scrolled to about ${before} px again`, async () => Math.abs((await after.evaluate(() => window.scrollY)) - before) < 40);
        assert.match(await restored.locator('.callout.error').innerText(), /\w/);
        await page.locator('.tabs-container .tab', { hasText: `Job: ${failedDocument}` }).waitFor();
        await bench.screenshot('panel-dark-reloaded');
      });
    }

    if (theme.slug !== 'high-contrast') {
      it('shows a document’s fields and a field’s votes, reached with the keyboard', async () => {
        await bench.runCommand('Retab: Focus on Experiments View');
        // From the top of the view (a reload may have closed its rows), down to run 6's first document.
        await page.keyboard.press('Home');
        for (const label of ['Invoice extraction', 'Invoice fields v2', 'Run 6']) {
          if (!(await focusTreeRow(page, (row) => row.label === label)).expanded) {
            await expandFocusedRow(page);
          }
        }
        await focusTreeRow(page, (row) => row.label === 'invoice_q1.pdf');
        await page.keyboard.press('Enter');
        const panel = bench.jobPanel();
        await panel.locator('h1.filename', { hasText: 'invoice_q1.pdf' }).waitFor({ timeout: 30_000 });
        const frame = await bench.jobPanelFrame();
        // The panel was open already, so the keyboard stayed in the view: over to the panel by keys.
        await bench.runCommand('View: Focus Active Editor Group');
        await waitUntil('the panel has the keyboard focus', () => frame.evaluate(() => document.hasFocus()));

        // Tab to the Fields section's summary, open it with Enter: the section loads its fields.
        await tabUntil(page, frame, (key) => key.startsWith('summary:Fields'));
        await page.keyboard.press('Enter');
        await panel.locator('details.fields[open] button.field').first().waitFor({ timeout: 30_000 });
        const paths = await panel.locator('button.field .path').allInnerTexts();
        const disagreeing = await panel.locator('table.fields-list tr.disagrees .path').allInnerTexts();
        assert.ok(disagreeing.includes('invoice.total') && disagreeing.includes('invoice.issue_date'), `disagreeing: ${disagreeing.join(', ')}`);
        assert.deepEqual(paths.slice(0, disagreeing.length), disagreeing, 'the disagreeing fields come first');
        assert.match(await panel.locator('table.fields-list tr.disagrees').first().innerText(), /disagrees/, 'said in words, not colour alone');

        // Tab on to invoice.total (a button, with the focus visible) and choose it.
        const field = await tabUntil(page, frame, (key) => key.startsWith('button:invoice.total,'));
        assert.ok(
          field.outlineVisible && field.outlineContrast >= MIN_CONTRAST,
          `the field shows the focus (${field.outline}, contrast ${field.outlineContrast.toFixed(2)})`,
        );
        assert.match(field.key, /score 80\.0%, disagrees/);
        await page.keyboard.press('Enter');
        const votes = panel.locator('section.votes[data-votes-state="loaded"]');
        await votes.waitFor({ timeout: 30_000 });
        assert.match(await votes.locator('h3').innerText(), /Votes for invoice\.total/);
        assert.equal(await votes.locator('tr.vote').count(), 5, 'five voters');
        assert.equal(await votes.locator('tr.vote.differs').count(), 1, 'one differs from the consensus');
        assert.match(await votes.locator('tr.vote.differs').innerText(), /differs/);
        // The keyboard stays on the chosen field, now pressed.
        await waitUntil('the focus stays on the chosen field', async () => (await focusedInPanel(frame))?.key.startsWith('button:invoice.total,') ?? false);
        assert.equal(await panel.locator('button.field[aria-pressed="true"] .path').innerText(), 'invoice.total');

        // The picture: the fields list and the votes under it, no tooltip or notification over them.
        await bench.runCommand('Notifications: Clear All Notifications');
        // The votes at the bottom of the picture, the fields list above them.
        await frame.evaluate(() => document.querySelector('section.votes')?.scrollIntoView({ block: 'end' }));
        await page.mouse.move(1, 430);
        await bench.screenshot(`panel-${theme.slug}-fields-votes`, theme.readme.votes);
      });
    }
  });
}

interface TreeRow {
  label: string;
  level: number;
  failed: boolean;
  expanded: boolean;
  /** The level of the row below, if any: deeper once the row's children are on screen. */
  nextLevel?: number;
}

/** The row the keyboard is on in the focused tree, if a tree has the focus. */
async function focusedTreeRow(page: Page): Promise<TreeRow | undefined> {
  return page.evaluate(() => {
    const list = document.activeElement?.closest('.monaco-list');
    const row = list?.querySelector('.monaco-list-row.focused');
    if (!row) {
      return undefined;
    }
    // Rows are positioned, not ordered, in the DOM: the next one is found by its index.
    const next = list?.querySelector(`.monaco-list-row[data-index="${Number(row.getAttribute('data-index')) + 1}"]`);
    return {
      label: row.querySelector('.label-name')?.textContent?.trim() ?? '',
      level: Number(row.getAttribute('aria-level')),
      failed: row.querySelector('.codicon-error') !== null,
      expanded: row.getAttribute('aria-expanded') === 'true',
      nextLevel: next ? Number(next.getAttribute('aria-level')) : undefined,
    };
  });
}

/**
 * Opens the focused row and waits until its children (loaded on demand) are listed under it.
 * After a reload the view reopens the rows it had open, in its own time: a row read as closed may
 * open before → arrives, and → on an open row moves down into it instead. So the row is found again
 * by its label and level, and → is pressed only while the keyboard is on it and it is still closed.
 */
async function expandFocusedRow(page: Page): Promise<void> {
  const start = await focusedTreeRow(page);
  assert.ok(start, 'a row of the view has the keyboard');
  let pressedAt = 0;
  await waitUntil(
    `"${start.label}" shows its children`,
    async () => {
      const row = await treeRowByLabel(page, start.label, start.level);
      if (row?.expanded && row.nextLevel !== undefined && row.nextLevel > row.level) {
        return true;
      }
      const focused = await focusedTreeRow(page);
      // Pressed again only if an earlier press was lost (2 s on, still closed).
      if (focused?.label === start.label && !focused.expanded && Date.now() - pressedAt > 2_000) {
        pressedAt = Date.now();
        await page.keyboard.press('ArrowRight');
      }
      return false;
    },
    30_000,
  );
}

/** A row of the focused tree by its label and level, wherever the keyboard is. */
async function treeRowByLabel(page: Page, label: string, level: number): Promise<TreeRow | undefined> {
  return page.evaluate(
    ([wantedLabel, wantedLevel]) => {
      const list = document.activeElement?.closest('.monaco-list');
      const row = Array.from(list?.querySelectorAll<HTMLElement>('.monaco-list-row') ?? []).find(
        (candidate) =>
          candidate.querySelector('.label-name')?.textContent?.trim() === wantedLabel && Number(candidate.getAttribute('aria-level')) === wantedLevel,
      );
      if (!row) {
        return undefined;
      }
      const next = list?.querySelector(`.monaco-list-row[data-index="${Number(row.getAttribute('data-index')) + 1}"]`);
      return {
        label: wantedLabel,
        level: wantedLevel,
        failed: row.querySelector('.codicon-error') !== null,
        expanded: row.getAttribute('aria-expanded') === 'true',
        nextLevel: next ? Number(next.getAttribute('aria-level')) : undefined,
      };
    },
    [label, level] as const,
  );
}

/** Presses ↓ until the focused row is the wanted one; rows that are still loading are waited for. */
async function focusTreeRow(page: Page, wanted: (row: TreeRow) => boolean): Promise<TreeRow> {
  const deadline = Date.now() + 30_000;
  let previous = '';
  for (;;) {
    const row = await focusedTreeRow(page);
    if (row && wanted(row)) {
      return row;
    }
    if (Date.now() > deadline) {
      throw new Error(`the keyboard did not reach the row (last on ${JSON.stringify(row)})`);
    }
    const current = JSON.stringify(row);
    if (current === previous) {
      await page.waitForTimeout(200); // at the end of what is loaded so far
    }
    previous = current;
    await page.keyboard.press('ArrowDown');
  }
}

interface Focused {
  key: string;
  tag: string;
  outline: string;
  boxShadow: string;
  outlineVisible: boolean;
  outlineContrast: number;
}

/** What has the focus inside the panel, and how it shows; undefined once the focus left the panel. */
async function focusedInPanel(frame: Frame): Promise<Focused | undefined> {
  return frame.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    if (!document.hasFocus() || !element || element === document.body || !element.closest('#content')) {
      return undefined;
    }
    const parse = (value: string): number[] => (value.match(/[\d.]+/g) ?? []).map(Number);
    const luminance = (rgb: number[]): number => {
      const [r, g, b] = rgb.map((channel) => {
        const c = channel / 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const contrast = (a: number[], b: number[]): number => {
      const [high, low] = [luminance(a), luminance(b)].sort((x, y) => y - x);
      return (high + 0.05) / (low + 0.05);
    };
    const style = getComputedStyle(element);
    const color = parse(style.outlineColor);
    const alpha = color.length > 3 ? color[3] : 1;
    const page = parse(getComputedStyle(document.body).backgroundColor);
    const outlineVisible =
      (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0 && alpha > 0) || (style.boxShadow !== 'none' && style.boxShadow !== '');
    return {
      key:
        element.dataset.action ??
        (element.dataset.copy
          ? `copy:${element.dataset.copy}`
          : `${element.tagName.toLowerCase()}:${element.getAttribute('aria-label') ?? element.textContent?.trim()}`),
      tag: element.tagName.toLowerCase(),
      outline: `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}`,
      boxShadow: style.boxShadow,
      outlineVisible,
      outlineContrast: alpha > 0 ? contrast(color.slice(0, 3), page.slice(0, 3)) : 1,
    };
  });
}

interface Contrast {
  badges: Array<{ status: string; text: number; edge: number }>;
  calloutBorder: number;
  calloutText: number;
}

/**
 * Contrast ratios from the colours the theme gives the panel: each status badge (every status,
 * shown one after another in the badge's place) and the error callout, against the page.
 */
async function measureContrast(frame: Frame): Promise<Contrast> {
  return frame.evaluate(() => {
    type Rgba = [number, number, number, number];
    const parse = (value: string): Rgba => {
      const [r = 0, g = 0, b = 0, a = 1] = (value.match(/[\d.]+/g) ?? []).map(Number);
      return [r, g, b, a];
    };
    /** A colour with its alpha laid over an opaque one, as the screen shows it. */
    const over = (top: Rgba, below: Rgba): Rgba => [0, 1, 2].map((i) => top[i] * top[3] + below[i] * (1 - top[3])).concat(1) as Rgba;
    const luminance = (rgb: Rgba): number => {
      const [r, g, b] = rgb.slice(0, 3).map((channel) => {
        const c = channel / 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const contrast = (a: Rgba, b: Rgba): number => {
      const [high, low] = [luminance(a), luminance(b)].sort((x, y) => y - x);
      return (high + 0.05) / (low + 0.05);
    };
    const pageColour = over(parse(getComputedStyle(document.body).backgroundColor), [255, 255, 255, 1]);
    const shown = document.querySelector<HTMLElement>('.badge');
    if (!shown) {
      throw new Error('no status badge');
    }
    const statuses = ['pending', 'queued', 'running', 'completed', 'error', 'cancelled', 'skipped', 'unknown'];
    const badges = statuses.map((status) => {
      const badge = shown.cloneNode() as HTMLElement;
      badge.className = `badge status-${status}`;
      badge.textContent = status;
      shown.after(badge);
      const style = getComputedStyle(badge);
      const background = over(parse(style.backgroundColor), pageColour);
      const text = over(parse(style.color), background);
      const border = parse(style.borderTopColor);
      const hasBorder = parseFloat(style.borderTopWidth) > 0 && border[3] > 0;
      // The badge's edge is its border where it has one, else its fill.
      const edge = Math.max(contrast(background, pageColour), hasBorder ? contrast(over(border, pageColour), pageColour) : 0);
      badge.remove();
      return { status, text: contrast(text, background), edge };
    });
    const callout = document.querySelector<HTMLElement>('.callout.error');
    if (!callout) {
      throw new Error('no error callout');
    }
    const calloutStyle = getComputedStyle(callout);
    const calloutBackground = over(parse(calloutStyle.backgroundColor), pageColour);
    const errorText = document.querySelector<HTMLElement>('.callout.error .error-text');
    return {
      badges,
      calloutBorder: contrast(over(parse(calloutStyle.borderLeftColor), pageColour), pageColour),
      calloutText: contrast(over(parse(getComputedStyle(errorText ?? callout).color), calloutBackground), calloutBackground),
    };
  });
}

/** Presses Tab until the focus in the panel is on the wanted control; fails if Tab leaves the panel or goes round. */
async function tabUntil(page: Page, frame: Frame, wanted: (key: string) => boolean): Promise<Focused> {
  const seen = new Set<string>();
  for (let step = 0; step < 80; step++) {
    await page.keyboard.press('Tab');
    const focused = await focusedInPanel(frame);
    if (focused && wanted(focused.key)) {
      return focused;
    }
    if (!focused || seen.has(focused.key)) {
      break;
    }
    seen.add(focused.key);
  }
  throw new Error(`Tab did not reach the control (reached ${[...seen].join(' | ')})`);
}
