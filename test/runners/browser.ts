/**
 * The Chromium the UI tests drive with playwright-core (which downloads no browser of its own).
 *
 * Which one, first match wins:
 *   1. CHROMIUM_PATH, when set (any Chromium or Chrome executable).
 *   2. The headless shell from the npm devDependency @sparticuz/chromium (see npmChromium.ts):
 *      installed by `npm ci`, unpacked into .vscode-test/ on first use, needs nothing from the
 *      system but glibc. Linux x64 only. Skipped when HEADED=1, as it cannot show a window.
 *   3. The system's Chromium: /usr/bin/chromium (Debian's `chromium` package), or `chromium` /
 *      `chromium-browser` on PATH.
 * CHROMIUM_FROM=npm or CHROMIUM_FROM=system keeps to that one source (CI uses `npm` to prove the
 * tests need no system browser). `HEADED=1` shows the window (needs a system Chromium or CHROMIUM_PATH).
 *
 * Whichever it is, it renders with the fonts from npm that fonts.ts configures.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Browser, chromium } from 'playwright-core';
import { fontEnv } from './fonts';
import { ensureNpmChromium, npmChromiumPath, npmChromiumUnavailable, NPM_CHROMIUM_PACKAGE } from './npmChromium';

/** Without the background-networking flags Chromium keeps trying to reach Google's hosts, which this closed network refuses. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export type ChromiumSource = 'CHROMIUM_PATH' | 'npm' | 'system';

export interface ResolvedChromium {
  path: string;
  source: ChromiumSource;
}

const HEADED = process.env.HEADED === '1';

function sourcesAllowed(): ChromiumSource[] {
  const only = process.env.CHROMIUM_FROM;
  if (only === undefined || only === '') {
    return HEADED ? ['system', 'npm'] : ['npm', 'system'];
  }
  if (only !== 'npm' && only !== 'system') {
    throw new Error(`CHROMIUM_FROM must be "npm" or "system", not "${only}"`);
  }
  return [only];
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The system's Chromium, or undefined. */
export function systemChromium(): string | undefined {
  if (isExecutable('/usr/bin/chromium')) {
    return '/usr/bin/chromium';
  }
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    for (const name of ['chromium', 'chromium-browser']) {
      if (isExecutable(path.join(dir, name))) {
        return path.join(dir, name);
      }
    }
  }
  return undefined;
}

/** What launchBrowser would use, without unpacking anything (the npm one may not be unpacked yet). */
function plannedChromium(): ResolvedChromium | undefined {
  if (process.env.CHROMIUM_PATH) {
    return { path: process.env.CHROMIUM_PATH, source: 'CHROMIUM_PATH' };
  }
  for (const source of sourcesAllowed()) {
    const found = source === 'npm' ? npmChromiumPath() : systemChromium();
    if (found) {
      return { path: found, source };
    }
  }
  return undefined;
}

/**
 * The executable launchBrowser uses (the npm Chromium's is a script under .vscode-test/ that exists
 * once it is unpacked: `npm test` does that in its setup step).
 */
export const CHROMIUM_PATH: string = (() => {
  try {
    return plannedChromium()?.path ?? '/usr/bin/chromium';
  } catch {
    return '/usr/bin/chromium';
  }
})();

/** Finds the Chromium to use (unpacking the npm one when needed), or throws saying how to get one. */
export async function resolveChromium(log: (line: string) => void = () => undefined): Promise<ResolvedChromium> {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!isExecutable(fromEnv)) {
      throw new Error(`CHROMIUM_PATH is ${fromEnv}, which is not an executable file`);
    }
    return { path: fromEnv, source: 'CHROMIUM_PATH' };
  }
  const tried: string[] = [];
  for (const source of sourcesAllowed()) {
    if (source === 'npm') {
      const unavailable = npmChromiumUnavailable();
      if (unavailable) {
        tried.push(unavailable);
        continue;
      }
      return { path: await ensureNpmChromium(log), source };
    }
    const found = systemChromium();
    if (found) {
      return { path: found, source };
    }
    tried.push('no system Chromium (/usr/bin/chromium, or chromium on PATH)');
  }
  throw new Error(
    `no Chromium for the UI tests: ${tried.join('; ')}.\n` +
      `Run \`npm ci\` (it brings ${NPM_CHROMIUM_PACKAGE}, for Linux x64), or install a Chromium ` +
      '(Debian: `sudo apt-get install -y chromium`), or set CHROMIUM_PATH' +
      (process.env.CHROMIUM_FROM ? `, or unset CHROMIUM_FROM (now "${process.env.CHROMIUM_FROM}")` : '') +
      '.',
  );
}

let announced = false;

export async function launchBrowser(): Promise<Browser> {
  const resolved = await resolveChromium((line) => console.log(line));
  if (!announced) {
    announced = true;
    console.log(
      `    (Chromium: ${resolved.path}, from ${resolved.source}${HEADED && resolved.source === 'npm' ? '; a headless shell, so HEADED=1 shows no window' : ''})`,
    );
  }
  return chromium.launch({
    executablePath: resolved.path,
    headless: !HEADED,
    args: CHROMIUM_ARGS,
    env: { ...process.env, ...fontEnv() },
  });
}
