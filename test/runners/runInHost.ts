/**
 * Runs the in-host suite (out/test/integration/index.js) in a real VS Code extension host,
 * offline: code-server serves the workbench, Debian's Chromium (via playwright-core) opens it
 * with the extension under development and the tests, and the exit code is the tests'.
 * Builds nothing: run `npm run build && npm run compile-tests` first.
 *
 *   node out/test/runners/runInHost.js [--grep REGEXP] [--files TEXT] [--env NAME=VALUE]...
 *
 * The extension host inherits this process's environment (so RETAB_TEST_* variables reach the
 * tests), plus each --env. Other settings, all optional:
 *   MOCHA_GREP, MOCHA_FILES    as --grep and --files (read by test/integration/index.ts)
 *   IN_HOST_EXTENSION_PATH     the extension to load (default: the repository)
 *   IN_HOST_TESTS_PATH         the tests' entry module (default: out/test/integration/index.js)
 *   IN_HOST_WORKSPACE          the folder to open (default: test/fixtures/workspace, else an empty temp folder)
 *   IN_HOST_TIMEOUT_SECONDS    the whole run's limit (default 600)
 *   IN_HOST_RESULTS            where logs and the screenshot go (default: test-results/in-host)
 *   IN_HOST_VERBOSE=1          also print the workbench's own log lines
 *   IN_HOST_KEEP=1             keep the temporary user-data, extensions and workspace folders
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as util from 'node:util';
import type { Browser } from 'playwright-core';
import { launchBrowser } from './browser';
import { parseTestArgs } from './args';
import { CodeServer, startCodeServer, tail } from './codeServer';

const REPO_ROOT = path.resolve(__dirname, '../../..');

interface LogFile {
  relativePath: string;
  contents: string;
}

export interface InHostOptions {
  extensionPath: string;
  testsPath: string;
  workspace?: string;
  env?: Record<string, string>;
  timeoutMs: number;
  resultsDir: string;
  verbose: boolean;
  keep: boolean;
}

/**
 * The workbench's own log lines seen on a normal run. They come through the same channel as the
 * tests' console output, so they are told apart by their text (IN_HOST_VERBOSE=1 shows them).
 */
const WORKBENCH_NOISE = new RegExp(
  [
    '^Resolving connection token',
    '^Resolved connection token',
    '^Creating a socket',
    '^Ignoring fetching additional builtin extensions',
    '^Updating additional builtin extensions cache',
    '^\\[Service Worker\\]',
    '^\\[driver\\]',
    '^ChatSessionStore:',
    '^Started local extension host',
    '^Loading development extension',
    '^Creation of workbench contribution',
  ].join('|'),
);

export async function runInHost(options: InHostOptions): Promise<number> {
  for (const [what, file] of [
    ['the extension bundle (npm run build)', path.join(options.extensionPath, 'package.json')],
    ['the compiled tests (npm run compile-tests)', options.testsPath],
  ]) {
    if (!fs.existsSync(file)) {
      throw new Error(`${file} is missing: build ${what} first`);
    }
  }
  const main = readMain(options.extensionPath);
  if (main && !fs.existsSync(main)) {
    throw new Error(`${main} (the extension's "main") is missing: run \`npm run build\` first`);
  }

  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'retab-in-host-'));
  const workspace = options.workspace ?? defaultWorkspace(temp);
  fs.rmSync(options.resultsDir, { recursive: true, force: true });
  fs.mkdirSync(options.resultsDir, { recursive: true });

  const started = Date.now();
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  const cleanUp = async (): Promise<void> => {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    if (!options.keep) {
      fs.rmSync(temp, { recursive: true, force: true });
    }
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    console.error(`\n${signal}: stopping`);
    void cleanUp().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    server = await startCodeServer({
      folder: workspace,
      userDataDir: path.join(temp, 'user-data'),
      extensionsDir: path.join(temp, 'extensions'),
      env: options.env,
      logFile: path.join(options.resultsDir, 'code-server.log'),
    });
    console.log(`code-server is up at ${server.url} after ${seconds(started)} s; workspace ${workspace}`);

    browser = await launchBrowser();
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const pageLog = fs.createWriteStream(path.join(options.resultsDir, 'page-console.log'));
    page.on('console', (message) => pageLog.write(`[${message.type()}] ${message.text()}\n`));
    page.on('pageerror', (error) => pageLog.write(`[pageerror] ${error.stack ?? error.message}\n`));

    let exit!: (code: number) => void;
    const exitCode = new Promise<number>((resolve) => (exit = resolve));
    await page.exposeFunction('codeAutomationExit', (code: number, logs?: LogFile[]) => {
      saveLogs(options.resultsDir, logs);
      exit(code);
    });
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
      const text = format(args);
      if (options.verbose || !WORKBENCH_NOISE.test(text)) {
        (type === 'error' || type === 'warn' ? process.stderr : process.stdout).write(text + '\n');
      }
    });

    const remote = (file: string): string => `vscode-remote://${server!.authority}${toPosix(file)}`;
    const payload = [
      ['extensionDevelopmentPath', remote(options.extensionPath)],
      ['extensionTestsPath', remote(options.testsPath)],
    ];
    const url = `${server.url}/?folder=${encodeURIComponent(toPosix(workspace))}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    await page.goto(url);

    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), options.timeoutMs)));
    const outcome = await Promise.race([exitCode, timedOut]);
    clearTimeout(timer);

    const screenshot = path.join(options.resultsDir, 'workbench.png');
    await page.screenshot({ path: screenshot }).catch((error: Error) => console.error(`no screenshot: ${error.message}`));
    if (outcome === 'timeout') {
      console.error(`\nThe in-host tests did not finish within ${options.timeoutMs / 1000} s.`);
      console.error(`Screenshot: ${screenshot}; page console: ${path.join(options.resultsDir, 'page-console.log')}`);
      console.error(`--- code-server log (end) ---\n${tail(server.logFile)}`);
      return 1;
    }
    console.log(`\nIn-host tests exited with ${outcome} after ${seconds(started)} s (logs and screenshot in ${path.relative(REPO_ROOT, options.resultsDir)})`);
    return outcome;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await cleanUp();
  }
}

function readMain(extensionPath: string): string | undefined {
  const manifest = JSON.parse(fs.readFileSync(path.join(extensionPath, 'package.json'), 'utf8')) as { main?: string };
  if (!manifest.main) {
    return undefined;
  }
  const main = path.resolve(extensionPath, manifest.main);
  return fs.existsSync(main) || !fs.existsSync(main + '.js') ? main : main + '.js';
}

function defaultWorkspace(temp: string): string {
  const fixture = path.join(REPO_ROOT, 'test', 'fixtures', 'workspace');
  if (fs.existsSync(fixture)) {
    return fixture;
  }
  const empty = path.join(temp, 'workspace');
  fs.mkdirSync(empty, { recursive: true });
  return empty;
}

function saveLogs(dir: string, logs: LogFile[] | undefined): void {
  for (const log of logs ?? []) {
    const file = path.join(dir, 'workbench-logs', log.relativePath);
    if (!file.startsWith(dir)) {
      continue;
    }
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, log.contents);
  }
}

/** The extension host's console arguments arrive unformatted (`'%s passing', 3`). */
function format(args: unknown[]): string {
  return util.format(...(Array.isArray(args) ? args : [args])).replace(/\n$/, '');
}

function toPosix(file: string): string {
  return file.split(path.sep).join('/');
}

function seconds(since: number): string {
  return ((Date.now() - since) / 1000).toFixed(1);
}

if (require.main === module) {
  const fromEnv = (name: string, fallback: string): string => path.resolve(process.env[name] || fallback);
  (async () => {
    const env = parseTestArgs(process.argv.slice(2));
    return runInHost({
      extensionPath: fromEnv('IN_HOST_EXTENSION_PATH', REPO_ROOT),
      testsPath: fromEnv('IN_HOST_TESTS_PATH', path.join(REPO_ROOT, 'out', 'test', 'integration', 'index.js')),
      workspace: process.env.IN_HOST_WORKSPACE ? path.resolve(process.env.IN_HOST_WORKSPACE) : undefined,
      env,
      timeoutMs: Number(process.env.IN_HOST_TIMEOUT_SECONDS || 600) * 1000,
      resultsDir: fromEnv('IN_HOST_RESULTS', path.join(REPO_ROOT, 'test-results', 'in-host')),
      verbose: process.env.IN_HOST_VERBOSE === '1',
      keep: process.env.IN_HOST_KEEP === '1',
    });
  })().then(
    (code) => process.exit(code),
    (error: Error) => {
      console.error(`\nThe in-host run failed: ${error.message}`);
      process.exit(1);
    },
  );
}
