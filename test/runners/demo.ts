/**
 * `npm run demo`: the extension as a user gets it, against the local sandbox, to try by hand.
 *
 * Builds and packages the extension (`npm run package`), starts the sandbox with a little latency,
 * then starts code-server with the .vsix installed, a persistent user-data folder and a sample
 * workspace under .vscode-test/demo, and prints the URL to open. With `--desktop` it opens desktop
 * VS Code (`code` on PATH) instead. Ctrl-C stops everything it started.
 *
 *   npm run demo -- [--port 8080] [--sandbox-port 4010] [--api g1|g1p|g2|g3] [--desktop] [--skip-package]
 *   (npm run demo = tsc -p test && node out/test/runners/demo.js)
 *
 *   --port N           where the workbench answers (default 8080; a free port if that one is busy)
 *   --sandbox-port N   where the sandbox API answers (default 4010; a free port if that one is busy)
 *   --api G            the API generation the sandbox speaks (default g3, the newest)
 *   --desktop          open desktop VS Code instead of code-server
 *   --skip-package     install retab-experiments.vsix as it is instead of running `npm run package`
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { ApiGeneration, DEFAULT_API, parseApiGeneration } from '../sandbox/generations';
import { Sandbox, startSandbox } from '../sandbox/server';
import { DEFAULT_SETTINGS, startCodeServer, tail } from './codeServer';
import { CODE_SERVER_VERSION, codeServerEntry, installCodeServer, isInstalled } from './installCodeServer';

const REPO_ROOT = path.resolve(__dirname, '../../..');
const VSIX = path.join(REPO_ROOT, 'retab-experiments.vsix');
const DEMO_DIR = path.join(REPO_ROOT, '.vscode-test', 'demo');
const WORKSPACE = path.join(DEMO_DIR, 'workspace');
/** Enough to see loading states and progress without making the demo feel slow. */
const SANDBOX_LATENCY_MS = 80;

interface DemoOptions {
  port: number;
  sandboxPort: number;
  api: ApiGeneration;
  desktop: boolean;
  skipPackage: boolean;
}

/** Where one kind of VS Code keeps its state: code-server and desktop VS Code get their own, as their layouts differ. */
interface VsCodeDirs {
  userData: string;
  extensions: string;
}

type Stopper = () => Promise<void> | void;

const USAGE = 'usage: npm run demo -- [--port 8080] [--sandbox-port 4010] [--api g1|g1p|g2|g3] [--desktop] [--skip-package]';

function readOptions(argv: string[]): DemoOptions {
  try {
    return parseOptions(argv);
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${USAGE}`);
  }
}

function parseOptions(argv: string[]): DemoOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: '8080' },
      'sandbox-port': { type: 'string', default: '4010' },
      api: { type: 'string', default: DEFAULT_API },
      desktop: { type: 'boolean', default: false },
      'skip-package': { type: 'boolean', default: false },
    },
    strict: true,
  });
  return {
    port: portNumber(values.port, '--port'),
    sandboxPort: portNumber(values['sandbox-port'], '--sandbox-port'),
    api: parseApiGeneration(values.api, '--api'),
    desktop: values.desktop ?? false,
    skipPackage: values['skip-package'] ?? false,
  };
}

function portNumber(text: string | undefined, flag: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0 || value > 65_535) {
    throw new Error(`${flag} must be a port number (0 for any free port), not "${text}"`);
  }
  return value;
}

function say(message: string): void {
  process.stdout.write(`${message}\n`);
}

/** A path as printed: relative to the repository when inside it, so the output stays short. */
function shown(file: string): string {
  const relative = path.relative(REPO_ROOT, file);
  return relative.startsWith('..') ? file : relative;
}

// ---------------------------------------------------------------------------------------------
// Shutting down

/** What to undo on Ctrl-C, newest first; also run when startup fails halfway. */
const stoppers: Stopper[] = [];
let stopping = false;

async function stopAll(): Promise<void> {
  while (stoppers.length > 0) {
    const stop = stoppers.pop();
    try {
      await stop?.();
    } catch (error) {
      process.stderr.write(`while stopping: ${(error as Error).message}\n`);
    }
  }
}

function shutDown(reason: string, exitCode: number): void {
  if (stopping) {
    return;
  }
  stopping = true;
  say(`\n${reason}: stopping the demo…`);
  void stopAll().then(() => {
    say('Stopped.');
    process.exit(exitCode);
  });
}

/** Installed before anything starts, so that Ctrl-C during startup also leaves nothing behind. */
function stopOnSignals(): void {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => shutDown(signal, 0));
  }
}

// ---------------------------------------------------------------------------------------------
// Preparing

function ensureCodeServer(): void {
  if (isInstalled()) {
    return;
  }
  say(`code-server ${CODE_SERVER_VERSION} is not installed yet: installing it now (npm packages only, a few minutes, once).`);
  installCodeServer();
}

/** The demo installs the .vsix rather than loading the source folder, so it shows what users get. */
function packageExtension(skip: boolean): void {
  if (skip) {
    if (!fs.existsSync(VSIX)) {
      throw new Error(`${shown(VSIX)} is missing: run without --skip-package`);
    }
    say(`==> Using ${shown(VSIX)} as it is (--skip-package)`);
    return;
  }
  say('==> Packaging the extension (npm run package)');
  // vsce lists every file it packs; only a failure's output is worth showing.
  const result = spawnSync('npm', ['run', 'package'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  if (result.status !== 0) {
    process.stderr.write(`${result.stdout ?? ''}${result.stderr ?? ''}`);
    throw new Error(`npm run package exited with ${result.status ?? result.signal ?? result.error?.message}`);
  }
}

const SAMPLE_FILES: Readonly<Record<string, string>> = {
  'failed-job.json': `${JSON.stringify(
    {
      workflow_id: 'wf_invoices',
      experiment_id: 'exp_invoices_v2',
      run_id: 'exprun_inv_6',
      document_id: 'expdoc_inv_007',
      note: 'Hover the ids above; Ctrl/Cmd-click expdoc_inv_007 to open its job.',
    },
    null,
    2,
  )}\n`,
  'worker.log': [
    '2026-03-02T09:14:03Z INFO  workflow=wf_invoices experiment=exp_invoices_v2 run=exprun_inv_6 started',
    '2026-03-02T09:14:07Z INFO  run=exprun_inv_6 document=expdoc_inv_001 completed',
    '2026-03-02T09:14:11Z ERROR run=exprun_inv_6 document=expdoc_inv_007 failed (hover the id)',
    '2026-03-02T09:14:19Z ERROR run=exprun_inv_6 document=expdoc_inv_019 failed',
    '2026-03-02T09:14:26Z ERROR run=exprun_inv_6 document=expdoc_inv_033 failed',
    '2026-03-02T09:14:31Z INFO  run=exprun_inv_6 finished with 3 errors; previous run exprun_inv_5',
    '',
  ].join('\n'),
};

/** Written only when missing: the folder persists between demos and may hold the user's own edits. */
function writeSampleWorkspace(): void {
  fs.mkdirSync(WORKSPACE, { recursive: true });
  for (const [name, contents] of Object.entries(SAMPLE_FILES)) {
    const file = path.join(WORKSPACE, name);
    if (!fs.existsSync(file)) {
      fs.writeFileSync(file, contents);
    }
  }
}

function demoSettings(sandbox: Sandbox): Record<string, unknown> {
  return {
    'retab.apiBaseUrl': sandbox.url,
    // The shortest allowed, so that a started run visibly moves through its states.
    'retab.liveRefreshSeconds': 2,
    // A first start shows the walkthrough (its first step offers the sandbox's key), as an install does.
    'workbench.welcomePage.walkthroughs.openOnInstall': true,
  };
}

/** Without this, a demo started from a VS Code terminal would talk to that VS Code instead. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const name of Object.keys(env)) {
    if (name.startsWith('VSCODE_') || name === 'ELECTRON_RUN_AS_NODE') {
      delete env[name];
    }
  }
  return env;
}

function isAddressInUse(error: unknown): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
}

async function startDemoSandbox(port: number, api: ApiGeneration): Promise<Sandbox> {
  const options = { latencyMs: SANDBOX_LATENCY_MS, timeScale: 1, api };
  try {
    return await startSandbox({ ...options, port });
  } catch (error) {
    if (!isAddressInUse(error)) {
      throw error;
    }
    say(`Port ${port} is busy: the sandbox takes a free port instead.`);
    return startSandbox({ ...options, port: 0 });
  }
}

// ---------------------------------------------------------------------------------------------
// code-server

/** Runs code-server's own CLI, which installs without a server and exits. */
function installIntoCodeServer(dirs: VsCodeDirs): void {
  say(`==> Installing ${shown(VSIX)} into ${shown(dirs.extensions)}`);
  // Its own config file, as startCodeServer gives it: else the CLI writes ~/.config/code-server/config.yaml.
  const configFile = path.join(dirs.userData, 'code-server.yaml');
  fs.mkdirSync(dirs.userData, { recursive: true });
  fs.writeFileSync(configFile, 'auth: none\ncert: false\n');
  const args = [codeServerEntry(), '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];
  // --force: the version rarely changes between builds, and without it the old build would stay.
  const result = spawnSync(process.execPath, [...args, '--install-extension', VSIX, '--force'], {
    env: cleanEnv({ EXTENSIONS_GALLERY: '{}', CODE_SERVER_CONFIG: configFile }),
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
  });
  if (result.status !== 0 || !/successfully installed/i.test(result.stdout ?? '')) {
    throw new Error(`code-server could not install ${shown(VSIX)}:\n${result.stdout ?? ''}${result.stderr ?? ''}`);
  }
}

async function runInCodeServer(options: DemoOptions, sandbox: Sandbox): Promise<void> {
  const dirs: VsCodeDirs = { userData: path.join(DEMO_DIR, 'code-server', 'user-data'), extensions: path.join(DEMO_DIR, 'code-server', 'extensions') };
  installIntoCodeServer(dirs);
  say('==> Starting code-server');
  const server = await startCodeServer({
    folder: WORKSPACE,
    userDataDir: dirs.userData,
    extensionsDir: dirs.extensions,
    settings: demoSettings(sandbox),
    env: { RETAB_DEMO_API_KEY: sandbox.apiKey },
    port: options.port,
  });
  stoppers.push(() => server.stop());
  if (server.port !== options.port) {
    say(`Port ${options.port} is busy: the workbench took port ${server.port} instead.`);
  }
  // Slashes left as they are, so the printed URL reads as the folder it opens.
  const url = `http://127.0.0.1:${server.port}/?folder=${encodeURIComponent(WORKSPACE).replace(/%2F/g, '/')}`;
  await checkAnswers(url, server.logFile);
  printGuide({ open: `Open      ${url}`, sandbox, logFile: server.logFile });
}

/** The printed URL is the one thing the user needs: make sure it works before printing it. */
async function checkAnswers(url: string, logFile: string): Promise<void> {
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) }).catch((error: Error) => error);
  if (response instanceof Error || !response.ok) {
    const why = response instanceof Error ? response.message : `HTTP ${response.status}`;
    throw new Error(`${url} does not answer (${why})\n--- ${logFile} (end) ---\n${tail(logFile)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Desktop VS Code

function findOnPath(command: string): string | undefined {
  for (const folder of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(folder, command);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) {
        return candidate;
      }
    } catch {
      // not here
    }
  }
  return undefined;
}

function writeUserSettings(userDataDir: string, settings: Record<string, unknown>): void {
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  // Replaced on every start, as startCodeServer does: the demo's settings are the demo's, not the user's.
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...DEFAULT_SETTINGS, ...settings }, null, 2) + '\n');
}

function installIntoDesktop(code: string, dirs: VsCodeDirs): void {
  say(`==> Installing ${shown(VSIX)} into ${shown(dirs.extensions)} (${code})`);
  const args = ['--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions, '--install-extension', VSIX, '--force'];
  const result = spawnSync(code, args, { env: cleanEnv({}), stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) {
    throw new Error(`\`code --install-extension\` exited with ${result.status ?? result.signal ?? result.error?.message}`);
  }
}

async function runInDesktop(code: string, sandbox: Sandbox): Promise<void> {
  const dirs: VsCodeDirs = { userData: path.join(DEMO_DIR, 'desktop', 'user-data'), extensions: path.join(DEMO_DIR, 'desktop', 'extensions') };
  installIntoDesktop(code, dirs);
  writeUserSettings(dirs.userData, demoSettings(sandbox));
  say('==> Starting VS Code');
  // --wait keeps this CLI process alive until the window closes, which is when the demo ends.
  const args = ['--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions, '--new-window', '--wait', WORKSPACE];
  const child = spawn(code, args, { env: cleanEnv({ RETAB_DEMO_API_KEY: sandbox.apiKey }), stdio: ['ignore', 'inherit', 'inherit'] });
  stoppers.push(() => stopDesktopCli(child));
  child.once('error', (error) => {
    process.stderr.write(`could not run ${code}: ${error.message}\n`);
    shutDown('VS Code did not start', 1);
  });
  // Ctrl-C in the terminal reaches this CLI too, so it may end before the signal handler runs.
  child.once('exit', (_code, signal) => shutDown(signal ? signal : 'The VS Code window was closed', 0));
  printGuide({ open: `VS Code   opens ${shown(WORKSPACE)} in a new window (closing it ends the demo)`, sandbox });
}

/** The window belongs to VS Code's own main process, which outlives the CLI: say so rather than hunt for it. */
function stopDesktopCli(child: ChildProcess): void {
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM');
    say('The VS Code window stays open; with the sandbox gone its Retab view only shows connection errors.');
  }
}

// ---------------------------------------------------------------------------------------------

function printGuide(where: { open: string; sandbox: Sandbox; logFile?: string }): void {
  const lines = [
    '',
    'Retab demo is running.',
    `  ${where.open}`,
    `  Sandbox   ${where.sandbox.url}  (API ${where.sandbox.api()}, key ${where.sandbox.apiKey}, ${SANDBOX_LATENCY_MS} ms per request)`,
    `  Workspace ${shown(WORKSPACE)}`,
    ...(where.logFile ? [`  Log       ${shown(where.logFile)}`] : []),
    '',
    'Try:',
    '  1. Click "Use Sandbox Key" in the notification (bottom right; asked once per browser).',
    '  2. Open the Retab view in the activity bar; expand Invoice extraction → Invoice fields v2 → Run 6',
    '     and click a document to open its job.',
    '  3. Open failed-job.json or worker.log and hover the ids (exprun_inv_6, expdoc_inv_007, exp_invoices_v2,',
    '     wf_invoices); Ctrl/Cmd-click a document id to open its job.',
    '  4. F1 → "Retab: Look Up Job…" and paste: wf_invoices exp_invoices_v2 exprun_inv_5 expdoc_inv_003',
    '  5. Start a run from Invoice fields v2 (the ▶ button): it runs for a few seconds, shown in the status bar.',
    '',
    'Ctrl-C stops the demo.',
  ];
  say(lines.join('\n'));
}

async function main(): Promise<void> {
  const options = readOptions(process.argv.slice(2));
  stopOnSignals();
  const code = options.desktop ? findOnPath('code') : undefined;
  if (options.desktop && !code) {
    throw new Error(
      "--desktop needs desktop VS Code's `code` command on PATH (VS Code: \"Shell Command: Install 'code' command in PATH\"); without --desktop the demo runs in code-server",
    );
  }
  if (!options.desktop) {
    ensureCodeServer();
  }
  packageExtension(options.skipPackage);
  writeSampleWorkspace();
  const sandbox = await startDemoSandbox(options.sandboxPort, options.api);
  stoppers.push(() => sandbox.close());
  await (code ? runInDesktop(code, sandbox) : runInCodeServer(options, sandbox));
}

main().catch(async (error: unknown) => {
  process.stderr.write(`\ndemo: ${error instanceof Error ? error.message : String(error)}\n`);
  stopping = true;
  await stopAll();
  process.exit(1);
});
