/**
 * `npm run setup` (the first step of `npm test` and `npm run bench`): makes sure what the in-host and
 * UI tests need is here, from npm packages only, and says up front what is missing and how to get it.
 * Idempotent and quick (well under a second) once done.
 *
 * - code-server into .vscode-test/code-server (installCodeServer.ts: a few minutes, once);
 * - the Chromium the UI tests drive (browser.ts: the npm one is unpacked into .vscode-test/, once);
 * - the fontconfig file that gives that browser the fonts from npm (fonts.ts).
 *
 *   node out/test/runners/setup.js
 */
import { resolveChromium } from './browser';
import { writeFontConfig } from './fonts';
import { installCodeServer } from './installCodeServer';

async function main(): Promise<void> {
  const started = Date.now();
  installCodeServer();
  const browser = await resolveChromium((line) => console.log(line));
  console.log(`Chromium for the UI tests: ${browser.path} (from ${browser.source})`);
  console.log(`Fonts for the UI tests: ${writeFontConfig()}`);
  console.log(`Setup done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((error: unknown) => {
  console.error(`\nSetup for the tests failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
