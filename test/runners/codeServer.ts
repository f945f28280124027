/**
 * Starts and stops a code-server installed by installCodeServer.ts, on a free loopback port,
 * with its own user-data and extensions folders.
 */
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { CODE_SERVER_VERSION, codeServerEntry, isInstalled, packageDir } from './installCodeServer';

export interface CodeServerOptions {
  /** The folder the workbench opens. */
  folder: string;
  userDataDir: string;
  extensionsDir: string;
  /** A port to prefer (the demo keeps one address); a free one is taken when it is busy. */
  port?: number;
  /** Merged over DEFAULT_SETTINGS into User/settings.json. */
  settings?: Record<string, unknown>;
  /** Added to this process's environment; the extension host inherits it. */
  env?: Record<string, string>;
  /** Where code-server's own output goes; by default `<userDataDir>/code-server.log`. */
  logFile?: string;
  /** How long to wait for it to answer HTTP (default 60 s). */
  startTimeoutMs?: number;
  /** VS Code's display language (`--locale`), e.g. `fr`; English when absent. */
  locale?: string;
}

export interface CodeServer {
  /** `http://127.0.0.1:PORT` (no trailing slash). */
  url: string;
  port: number;
  /** `127.0.0.1:PORT`, the authority of `vscode-remote://` URIs for this server. */
  authority: string;
  logFile: string;
  /** Stops code-server and every process it started. */
  stop(): Promise<void>;
}

export const DEFAULT_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'git.openRepositoryInParentFolders': 'never',
  'chat.commandCenter.enabled': false,
};

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  if (!isInstalled()) {
    throw new Error(`code-server ${CODE_SERVER_VERSION} is not installed: run \`npm run setup:code-server\` first`);
  }
  const port = options.port !== undefined && (await isPortFree(options.port)) ? options.port : await freePort();
  const authority = `127.0.0.1:${port}`;
  const url = `http://${authority}`;
  const logFile = options.logFile ?? path.join(options.userDataDir, 'code-server.log');

  fs.mkdirSync(path.join(options.userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(options.extensionsDir, { recursive: true });
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  fs.writeFileSync(path.join(options.userDataDir, 'User', 'settings.json'), JSON.stringify({ ...DEFAULT_SETTINGS, ...options.settings }, null, 2) + '\n');
  // The extension host runs on code-server's side and does not see this user setting there (it
  // reads the server's Machine settings): the walkthrough's first opening follows it, so it goes
  // there too. Only it: remote settings override user ones, and tests change user settings.
  const walkthroughs = 'workbench.welcomePage.walkthroughs.openOnInstall';
  fs.mkdirSync(path.join(options.userDataDir, 'Machine'), { recursive: true });
  fs.writeFileSync(
    path.join(options.userDataDir, 'Machine', 'settings.json'),
    JSON.stringify({ [walkthroughs]: { ...DEFAULT_SETTINGS, ...options.settings }[walkthroughs] }, null, 2) + '\n',
  );
  // Its own config file, so it neither reads nor writes ~/.config/code-server/config.yaml.
  const configFile = path.join(options.userDataDir, 'code-server.yaml');
  fs.writeFileSync(configFile, 'auth: none\ncert: false\n');

  const env: NodeJS.ProcessEnv = {
    // No extension gallery: offline, the workbench's queries to open-vsx.org only fail and log errors.
    EXTENSIONS_GALLERY: '{}',
    ...process.env,
    ...options.env,
    CODE_SERVER_CONFIG: configFile,
  };
  // Started from a VS Code terminal, code-server would hand the folder to that VS Code instead.
  for (const name of Object.keys(env)) {
    if (name.startsWith('VSCODE_') || name === 'ELECTRON_RUN_AS_NODE') {
      delete env[name];
    }
  }
  const builtin = linkBuiltinExtensions();
  const args = [
    codeServerEntry(),
    '--builtin-extensions-dir',
    builtin.dir,
    '--auth',
    'none',
    '--bind-addr',
    authority,
    '--user-data-dir',
    options.userDataDir,
    '--extensions-dir',
    options.extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    ...(options.locale ? ['--locale', options.locale] : []),
    options.folder,
  ];
  const log = fs.openSync(logFile, 'a');
  // Its own process group, so stop() reaches the extension host and the pty host too.
  const child = spawn(process.execPath, args, { env, detached: true, stdio: ['ignore', log, log] });
  fs.closeSync(log);
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  const killOnExit = (): void => {
    killGroup(child, 'SIGKILL');
    builtin.remove();
  };
  process.on('exit', killOnExit);

  const stop = async (): Promise<void> => {
    process.off('exit', killOnExit);
    if (child.exitCode !== null || child.signalCode !== null) {
      killGroup(child, 'SIGKILL'); // whatever it left behind
      builtin.remove();
      return;
    }
    killGroup(child, 'SIGTERM');
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
    killGroup(child, 'SIGKILL');
    builtin.remove();
  };

  try {
    await waitUntilAnswering(`${url}/healthz`, exited, options.startTimeoutMs ?? 60_000);
  } catch (error) {
    await stop();
    throw new Error(`code-server did not start: ${(error as Error).message}\n--- ${logFile} (end) ---\n${tail(logFile)}`);
  }
  return { url, port, authority, logFile, stop };
}

/**
 * code-server's built-in extensions (the default themes among them) seen through a link outside
 * the repository. Installed in `.vscode-test/` they lie inside the folder the tests load as the
 * extension under development, and the workbench then takes every built-in theme for a theme of
 * that extension and applies the first one of the browser's colour scheme (Default Light+ in a
 * headless browser) instead of `workbench.colorTheme` from the user settings.
 */
function linkBuiltinExtensions(): { dir: string; remove(): void } {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'code-server-builtin-'));
  const dir = path.join(parent, 'extensions');
  fs.symlinkSync(path.join(packageDir(), 'lib', 'vscode', 'extensions'), dir, 'dir');
  return { dir, remove: () => fs.rmSync(parent, { recursive: true, force: true }) };
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) {
    return;
  }
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

async function waitUntilAnswering(url: string, exited: Promise<number | string>, timeoutMs: number): Promise<void> {
  let gone: number | string | undefined;
  void exited.then((code) => (gone = code));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (gone !== undefined) {
      throw new Error(`it exited (${gone})`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) {
        return;
      }
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The last lines of a log file, for error messages. */
export function tail(file: string, lines = 40): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

export { launchBrowser } from './browser';
