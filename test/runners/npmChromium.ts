/**
 * A Chromium that comes from the npm registry with `npm ci`, needing nothing from the system but glibc.
 *
 * The devDependency @sparticuz/chromium (built for serverless hosts) ships, inside its npm tarball,
 * a Linux x64 chrome-headless-shell compressed with brotli (bin/chromium.br) and the few shared
 * libraries it needs beyond glibc (NSS, NSPR, expat: bin/al2023.tar.br). Its own JavaScript is not
 * used (it unpacks into /tmp and wants Node 22); this file unpacks the two archives with Node's zlib
 * into `.vscode-test/chromium-<version>/`, once, and writes a `chromium` script there that runs the
 * browser with LD_LIBRARY_PATH pointing at the bundled libraries.
 *
 * It is headless only (no window: HEADED=1 needs a full Chromium) and Linux x64 only.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import * as zlib from 'node:zlib';

const REPO_ROOT = path.resolve(__dirname, '../../..');
export const NPM_CHROMIUM_PACKAGE = '@sparticuz/chromium';

/** Where the npm package is, or undefined when `npm ci` did not install it. */
function packageDir(): string | undefined {
  const dir = path.join(REPO_ROOT, 'node_modules', ...NPM_CHROMIUM_PACKAGE.split('/'));
  return fs.existsSync(path.join(dir, 'package.json')) ? dir : undefined;
}

function packageVersion(dir: string): string {
  return (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}

/** Why the npm Chromium cannot be used here, or undefined when it can. */
export function npmChromiumUnavailable(): string | undefined {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    return `${NPM_CHROMIUM_PACKAGE} ships a Linux x64 build only (this is ${process.platform} ${process.arch})`;
  }
  if (!packageDir()) {
    return `${NPM_CHROMIUM_PACKAGE} is not in node_modules (run \`npm ci\`)`;
  }
  return undefined;
}

/** The folder it is unpacked into; the version is part of the name, so an upgrade unpacks anew. */
function unpackDir(dir: string): string {
  return path.join(REPO_ROOT, '.vscode-test', `chromium-${packageVersion(dir)}`);
}

/**
 * The `chromium` script the npm Chromium runs through, whether or not it is unpacked yet
 * (undefined when it cannot be used here).
 */
export function npmChromiumPath(): string | undefined {
  const dir = packageDir();
  return npmChromiumUnavailable() || !dir ? undefined : path.join(unpackDir(dir), 'chromium');
}

const WRAPPER = `#!/bin/sh
# Written by test/runners/npmChromium.ts: runs the headless shell from ${NPM_CHROMIUM_PACKAGE} with its own libraries.
here=$(dirname "$(readlink -f "$0")")
LD_LIBRARY_PATH="$here/lib\${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" exec "$here/headless_shell" "$@"
`;

/**
 * Unpacks the npm Chromium when it is not unpacked yet (a few seconds, once) and returns the path
 * of its `chromium` script. Throws when it cannot be used here.
 */
export async function ensureNpmChromium(log: (line: string) => void = () => undefined): Promise<string> {
  const unavailable = npmChromiumUnavailable();
  const dir = packageDir();
  if (unavailable || !dir) {
    throw new Error(unavailable);
  }
  const target = unpackDir(dir);
  const wrapper = path.join(target, 'chromium');
  if (fs.existsSync(path.join(target, '.unpacked'))) {
    return wrapper;
  }
  const started = Date.now();
  log(`Unpacking ${NPM_CHROMIUM_PACKAGE} ${packageVersion(dir)} into ${path.relative(REPO_ROOT, target)}`);
  // Into a fresh folder beside the target, then renamed: a run stopped half-way leaves no half browser.
  const temp = `${target}.tmp-${process.pid}`;
  fs.rmSync(temp, { recursive: true, force: true });
  fs.mkdirSync(path.join(temp, 'lib'), { recursive: true });
  await pipeline(
    fs.createReadStream(path.join(dir, 'bin', 'chromium.br')),
    zlib.createBrotliDecompress(),
    fs.createWriteStream(path.join(temp, 'headless_shell'), { mode: 0o755 }),
  );
  const libs = zlib.brotliDecompressSync(fs.readFileSync(path.join(dir, 'bin', 'al2023.tar.br')));
  for (const entry of readTar(libs)) {
    // al2023/lib/libnss3.so and the like: flatten into lib/.
    const name = path.basename(entry.name);
    if (entry.type === 'file' && /^lib[\w.+-]+$/.test(name)) {
      fs.writeFileSync(path.join(temp, 'lib', name), entry.data, { mode: entry.mode & 0o777 });
    }
  }
  fs.writeFileSync(path.join(temp, 'chromium'), WRAPPER, { mode: 0o755 });
  const check = spawnSync(path.join(temp, 'chromium'), ['--version'], { encoding: 'utf8' });
  if (check.status !== 0) {
    fs.rmSync(temp, { recursive: true, force: true });
    throw new Error(`the Chromium from ${NPM_CHROMIUM_PACKAGE} does not run here: ${(check.stderr || check.error?.message || '').trim()}`);
  }
  fs.writeFileSync(path.join(temp, '.unpacked'), `${check.stdout.trim()}\n`);
  if (fs.existsSync(path.join(target, '.unpacked'))) {
    fs.rmSync(temp, { recursive: true, force: true }); // another run unpacked it meanwhile
    return wrapper;
  }
  fs.rmSync(target, { recursive: true, force: true });
  fs.renameSync(temp, target);
  log(`  ${check.stdout.trim()}, unpacked in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return wrapper;
}

interface TarEntry {
  name: string;
  type: 'file' | 'dir' | 'other';
  mode: number;
  data: Buffer;
}

/** The entries of an uncompressed tar archive (ustar, GNU or pax long names). */
export function readTar(archive: Buffer): TarEntry[] {
  const entries: TarEntry[] = [];
  const field = (block: Buffer, start: number, length: number): string => {
    const text = block.subarray(start, start + length).toString('utf8');
    const end = text.indexOf('\0');
    return end === -1 ? text : text.slice(0, end);
  };
  const octal = (block: Buffer, start: number, length: number): number => parseInt(field(block, start, length).trim() || '0', 8);
  let offset = 0;
  let longName: string | undefined;
  while (offset + 512 <= archive.length) {
    const header = archive.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) {
      break;
    }
    const size = octal(header, 124, 12);
    const flag = String.fromCharCode(header[156] || 0x30);
    const prefix = field(header, 345, 155);
    const baseName = field(header, 0, 100);
    const data = archive.subarray(offset + 512, offset + 512 + size);
    offset += 512 + Math.ceil(size / 512) * 512;
    if (flag === 'L') {
      longName = field(data, 0, data.length);
      continue;
    }
    if (flag === 'x') {
      const match = /\d+ path=([^\n]*)\n/.exec(data.toString('utf8'));
      longName = match?.[1];
      continue;
    }
    if (flag === 'g') {
      continue;
    }
    const name = longName ?? (prefix ? `${prefix}/${baseName}` : baseName);
    longName = undefined;
    entries.push({
      name,
      type: flag === '0' || flag === '\0' || flag === '7' ? 'file' : flag === '5' ? 'dir' : 'other',
      mode: octal(header, 100, 8),
      data: Buffer.from(data),
    });
  }
  return entries;
}
