/**
 * Installs code-server (a VS Code that runs in the browser) into `.vscode-test/code-server`
 * without downloading anything but npm packages, so the in-host and UI tests can run offline.
 *
 * Needs only Node, npm and what node-gyp builds native modules with (python3, make, g++; checked
 * first). Nothing from the system otherwise: ripgrep (which VS Code's search runs) comes from the npm
 * package @vscode/ripgrep-linux-x64 (through @vscode/ripgrep RIPGREP_VERSION, whose platform packages
 * ship the binary in their tarball), instead of code-server's postinstall that downloads it from
 * GitHub. VS Code's optional `kerberos` module (proxy authentication only) is left unbuilt, so no
 * libkrb5-dev either. Idempotent: a marker file records the installed version. `--force` starts over.
 *
 *   node out/test/runners/installCodeServer.js [--force]
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const CODE_SERVER_VERSION = '4.100.3';
/** The VS Code release that code-server CODE_SERVER_VERSION embeds. */
export const VSCODE_VERSION = '1.100.3';

/** The @vscode/ripgrep whose optional platform packages (@vscode/ripgrep-linux-x64…) hold the rg binary. */
export const RIPGREP_VERSION = '1.18.0';

const REPO_ROOT = path.resolve(__dirname, '../../..');

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

/** What the marker file holds: an install from before ripgrep came from npm is done again. */
const MARKER = `${CODE_SERVER_VERSION} ripgrep ${RIPGREP_VERSION}`;

export function isInstalled(): boolean {
  try {
    return fs.readFileSync(markerFile(), 'utf8').trim() === MARKER && fs.existsSync(codeServerEntry());
  } catch {
    return false;
  }
}

class StepError extends Error {}

/** The Debian package that brings each tool node-gyp needs. */
const BUILD_TOOL_PACKAGES: Record<string, string> = { python3: 'python3', make: 'make', 'g++': 'g++' };

function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => {
    try {
      fs.accessSync(path.join(dir, command), fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** The build tools (python3, make, g++) that are not on PATH. */
export function missingBuildTools(): string[] {
  return Object.keys(BUILD_TOOL_PACKAGES).filter((tool) => !onPath(tool));
}

/** The rg from @vscode/ripgrep's platform package in the cache, else one on PATH, else undefined. */
function ripgrepBinary(cache: string): string | undefined {
  const fromNpm = path.join(
    cache,
    'node_modules',
    '@vscode',
    `ripgrep-${process.platform}-${process.arch}`,
    'bin',
    process.platform === 'win32' ? 'rg.exe' : 'rg',
  );
  if (fs.existsSync(fromNpm)) {
    return fromNpm;
  }
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    if (fs.existsSync(path.join(dir, 'rg'))) {
      return path.join(dir, 'rg');
    }
  }
  return undefined;
}

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
  const missing = missingBuildTools();
  if (missing.length > 0) {
    throw new StepError(
      `building code-server's native modules needs ${missing.join(', ')}, missing here.\n` +
        `  Debian/Ubuntu: sudo apt-get install -y ${missing.map((tool) => BUILD_TOOL_PACKAGES[tool]).join(' ')}`,
    );
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
    JSON.stringify(
      { name: 'code-server-cache', private: true, description: 'code-server for the offline tests; made by test/runners/installCodeServer.ts' },
      null,
      2,
    ) + '\n',
  );

  const npm = 'npm';
  const quiet = ['--no-audit', '--no-fund', '--loglevel=error'];
  // Its postinstall downloads ripgrep from GitHub, which fails offline: skip scripts and do their work
  // below. The rg binary comes from @vscode/ripgrep's platform package instead (npm picks the one for
  // this os and cpu among its optional dependencies).
  step('npm install code-server and ripgrep (scripts skipped)', cache, npm, [
    'install',
    '--ignore-scripts',
    ...quiet,
    `code-server@${CODE_SERVER_VERSION}`,
    `@vscode/ripgrep@${RIPGREP_VERSION}`,
  ]);

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
  const rg = ripgrepBinary(cache);
  if (rg) {
    const rgLink = path.join(vscode, 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg');
    link(path.relative(path.dirname(rgLink), rg), rgLink);
  } else {
    console.warn(`\n    no ripgrep for ${process.platform}-${process.arch} from npm nor on PATH: code-server runs, but its search finds nothing`);
  }
  link('node_modules', path.join(vscode, 'node_modules.asar'));

  step("install the built-in extensions' dependencies", path.join(vscode, 'extensions'), npm, ['install', '--omit=dev', '--ignore-scripts', ...quiet]);

  if (!fs.existsSync(codeServerEntry())) {
    throw new StepError(`the install finished but ${codeServerEntry()} is missing`);
  }
  fs.writeFileSync(markerFile(), MARKER + '\n');
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
