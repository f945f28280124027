import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { CodeServer, launchBrowser, startCodeServer } from '../runners/codeServer';
import { registerLanguagePack } from '../runners/languagePack';
import { ApiGeneration, Sandbox, startSandbox } from '../sandbox/server';
import { FixtureJob, wireJobRef } from '../support/fixtures';
import { REPO_ROOT, Workbench } from './workbench';

/** The window every UI test sees: the default sidebar is about 300 px of it. */
const VIEWPORT = { width: 1400, height: 860 };
export const DEFAULT_THEME = 'Default Dark Modern';

export interface WorkbenchSessionOptions {
  /** The generation the sandbox speaks. */
  api: ApiGeneration;
  /** How long runs started in the sandbox take (its `timeScale`; 1 is a few seconds). */
  timeScale?: number;
  /** `workbench.colorTheme`, written to the user settings before the workbench starts. */
  theme?: string;
  /** More user settings, over the sandbox's base URL, the theme and zoom level 0. */
  settings?: Record<string, unknown>;
  /** VS Code's display language (`--locale`); English when absent. */
  locale?: string;
  /** Files the opened workspace folder holds, by name. */
  files?: Record<string, string>;
  /** Starts the name of the session's scratch folder in the temp dir (user data, extensions, workspace). */
  scratchPrefix: string;
}

/** A sandbox, a code-server running the extension against it, and a browser page showing its workbench. */
export interface WorkbenchSession {
  sandbox: Sandbox;
  workbench: Workbench;
  page: Page;
  /** The workbench's user-data folder: its logs are under `logs/`. */
  userDataDir: string;
  /** For `afterEach`: a screenshot named `<prefix>failed-<title>` when the test failed. */
  screenshotIfFailed(test: Mocha.Test | undefined, prefix?: string): Promise<void>;
  /** Closes the browser, stops code-server and the sandbox, deletes the scratch folder. */
  close(): Promise<void>;
}

/**
 * Starts a session and waits until the workbench is ready and the extension's icon is in the
 * activity bar (its views and commands are known from then on).
 */
export async function startWorkbenchSession(options: WorkbenchSessionOptions): Promise<WorkbenchSession> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), options.scratchPrefix));
  const folder = path.join(scratch, 'workspace');
  const userDataDir = path.join(scratch, 'user-data');
  let sandbox: Sandbox | undefined;
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  const close = async (): Promise<void> => {
    await browser?.close();
    await server?.stop();
    await sandbox?.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  };
  try {
    sandbox = await startSandbox({ api: options.api, timeScale: options.timeScale });
    fs.mkdirSync(folder);
    for (const [name, content] of Object.entries(options.files ?? {})) {
      fs.writeFileSync(path.join(folder, name), content);
    }
    if (options.locale) {
      registerLanguagePack(options.locale, userDataDir);
    }
    server = await startCodeServer({
      folder,
      userDataDir,
      extensionsDir: path.join(scratch, 'extensions'),
      locale: options.locale,
      settings: { 'retab.apiBaseUrl': sandbox.url, 'workbench.colorTheme': options.theme ?? DEFAULT_THEME, 'window.zoomLevel': 0, ...options.settings },
    });
    browser = await launchBrowser();
    const page = await browser.newPage({ viewport: VIEWPORT });
    // The repository is the extension under development, seen through the server's remote file system.
    const payload = JSON.stringify([['extensionDevelopmentPath', `vscode-remote://${server.authority}${REPO_ROOT}`]]);
    await page.goto(`${server.url}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(payload)}`);
    const workbench = new Workbench(page);
    await workbench.waitForReady();
    await workbench.retabIcon().waitFor({ timeout: 60_000 });
    return {
      sandbox,
      workbench,
      page,
      userDataDir,
      async screenshotIfFailed(test, prefix = '') {
        if (test?.state === 'failed') {
          await workbench.screenshot(`${prefix}failed-${(test.title ?? 'test').replace(/\W+/g, '-')}`);
        }
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** A workspace file holding a job's ids as a log line would: for hovers on the ids in an editor. */
export function jobFile(job: FixtureJob): string {
  return `${JSON.stringify(wireJobRef(job), null, 2)}\n`;
}

export interface SessionHooksOptions extends WorkbenchSessionOptions {
  /** Starts the name of the screenshot taken when a test fails (`<prefix>failed-<title>`). */
  failureShotPrefix?: string;
}

/**
 * The suite's hooks: `before` starts a session and hands it to `started` (which may go on setting
 * up), `afterEach` takes a screenshot of a failed test, `after` closes the session.
 */
export function useWorkbenchSession(options: SessionHooksOptions, started: (session: WorkbenchSession) => void | Promise<void>): void {
  let session: WorkbenchSession | undefined;
  before(async () => {
    session = await startWorkbenchSession(options);
    await started(session);
  });
  afterEach(async function () {
    await session?.screenshotIfFailed(this.currentTest, options.failureShotPrefix);
  });
  after(async () => {
    await session?.close();
  });
}
