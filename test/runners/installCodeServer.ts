/**
 * Installs code-server (a VS Code that runs in the browser) into `.vscode-test/code-server`
 * without downloading anything but npm packages, so the in-host and UI tests can run offline.
 *
 * Needs Debian's `ripgrep` (for /usr/bin/rg) and `libkrb5-dev` (for a native module), and the
 * machine's python3/make/g++ for node-gyp. Idempotent: a marker file records the installed
 * version. `--force` starts over.
 *
 *   node out/test/runners/installCodeServer.js [--force]
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const CODE_SERVER_VERSION = '4.100.3';
/** The VS Code release that code-server CODE_SERVER_VERSION embeds. */
export const VSCODE_VERSION = '1.100.3';

const REPO_ROOT = path.resolve(__dirname, '../../..');
const SYSTEM_RG = '/usr/bin/rg';

/** The cache folder; `CODE_SERVER_CACHE` overrides it. */
export function cacheDir(): string {
  return process.env.CODE_SERVER_CACHE ? path.resolve(process.env.CODE_SERVER_CACHE) : path.join(REPO_ROOT, '.vscode-test', 'code-server');
}

export function packageDir(): string {
  return path.join(cacheDir(), 'node_modules', 'code-server');
}

/** The script to run with `node` to start code-server. */
export function codeServerEntry(): string {
  return path.join(packageDir(), 'out', 'node', 'entry.js');
}

function markerFile(): string {
  return path.join(cacheDir(), '.installed');
}

export function isInstalled(): boolean {
  try {
    return fs.readFileSync(markerFile(), 'utf8').trim() === CODE_SERVER_VERSION && fs.existsSync(codeServerEntry());
  } catch {
    return false;
  }
}

class StepError extends Error {}

/** A path as printed: relative to the repository when inside it. */
function shown(file: string): string {
  const relative = path.relative(REPO_ROOT, file);
  return relative === '' ? '.' : relative.startsWith('..') ? file : relative;
}

function step(title: string, cwd: string, command: string, args: string[], env: NodeJS.ProcessEnv = {}): void {
  const started = Date.now();
  console.log(`\n==> ${title}\n    (in ${shown(cwd)}: ${command} ${args.join(' ')})`);
  const result = spawnSync(command, args, { cwd, stdio: 'inherit', env: { ...process.env, ...env } });
  if (result.error) {
    throw new StepError(`${title}: could not run ${command}: ${result.error.message}`);
  }
  if (result.status !== 0) {
    throw new StepError(`${title}: \`${command} ${args.join(' ')}\` in ${cwd} exited with ${result.status ?? result.signal}`);
  }
  console.log(`    done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** Fails unless each module loads (native ones included) when required from `dir`. */
function checkLoads(dir: string, modules: string[]): void {
  const script = `for (const m of ${JSON.stringify(modules)}) require(m)`;
  const result = spawnSync(process.execPath, ['-e', script], { cwd: dir, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new StepError(`a native module does not load from ${dir} (${modules.join(', ')}):\n${result.stderr}`);
  }
  console.log(`    loads: ${modules.join(', ')}`);
}

/** Replaces whatever is at `linkPath` with a symlink to `target`. */
function link(target: string, linkPath: string): void {
  fs.mkdirSync(path.dirname(linkPath), { recursive: true });
  fs.rmSync(linkPath, { recursive: true, force: true });
  fs.symlinkSync(target, linkPath);
  console.log(`\n==> linked ${shown(linkPath)} -> ${target}`);
}

export function installCodeServer(options: { force?: boolean } = {}): void {
  const cache = cacheDir();
  if (!options.force && isInstalled()) {
    console.log(`code-server ${CODE_SERVER_VERSION} is already installed in ${cache}`);
    return;
  }
  if (!fs.existsSync(SYSTEM_RG)) {
    throw new StepError(`${SYSTEM_RG} is missing: install Debian's ripgrep first (apt-get install -y ripgrep libkrb5-dev)`);
  }
  const started = Date.now();
  console.log(`Installing code-server ${CODE_SERVER_VERSION} (VS Code ${VSCODE_VERSION}) into ${cache}`);
  if (options.force) {
    fs.rmSync(cache, { recursive: true, force: true });
  }
  fs.rmSync(markerFile(), { force: true });
  fs.mkdirSync(cache, { recursive: true });
  // Without its own package.json npm would install into the repository's node_modules.
  fs.writeFileSync(
    path.join(cache, 'package.json'),
    JSON.stringify({ name: 'code-server-cache', private: true, description: 'code-server for the offline tests; made by test/runners/installCodeServer.ts' }, null, 2) + '\n',
  );

  const npm = 'npm';
  const quiet = ['--no-audit', '--no-fund', '--loglevel=error'];
  // Its postinstall downloads ripgrep from GitHub, which fails offline: skip scripts and do their work below.
  step('npm install code-server (scripts skipped)', cache, npm, ['install', '--ignore-scripts', ...quiet, `code-server@${CODE_SERVER_VERSION}`]);

  const pkg = packageDir();
  // argon2 is hoisted next to code-server, so it is rebuilt from the cache folder. Its prebuilt
  // download fails offline (quickly) and it falls back to node-gyp.
  step('build argon2', cache, npm, ['rebuild', 'argon2']);
  checkLoads(pkg, ['argon2']);

  const vscode = path.join(pkg, 'lib', 'vscode');
  step("install VS Code's runtime dependencies", vscode, npm, ['install', '--omit=dev', '--ignore-scripts', ...quiet]);
  step("build VS Code's native modules", vscode, npm, ['rebuild', '@parcel/watcher', '@vscode/spdlog', 'native-watchdog', 'node-pty'], {
    npm_config_yes: 'true',
  });
  checkLoads(vscode, ['@parcel/watcher', '@vscode/spdlog', 'native-watchdog', 'node-pty']);
  link(SYSTEM_RG, path.join(vscode, 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg'));
  link('node_modules', path.join(vscode, 'node_modules.asar'));

  step("install the built-in extensions' dependencies", path.join(vscode, 'extensions'), npm, ['install', '--omit=dev', '--ignore-scripts', ...quiet]);

  if (!fs.existsSync(codeServerEntry())) {
    throw new StepError(`the install finished but ${codeServerEntry()} is missing`);
  }
  fs.writeFileSync(markerFile(), CODE_SERVER_VERSION + '\n');
  console.log(`\ncode-server ${CODE_SERVER_VERSION} installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

if (require.main === module) {
  try {
    installCodeServer({ force: process.argv.includes('--force') });
  } catch (error) {
    console.error(`\nInstalling code-server failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
