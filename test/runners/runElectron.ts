/**
 * Runs the same in-host suite in desktop VS Code through @vscode/test-electron, for machines that
 * can download VS Code (it is cached in .vscode-test/). Offline, use runInHost.ts (code-server).
 * On Linux without a display, run it under `xvfb-run -a`.
 *
 *   node out/test/runners/runElectron.js [--grep REGEXP] [--files TEXT] [--env NAME=VALUE]...
 *
 * VSCODE_TEST_VERSION picks the VS Code version (default: the one code-server embeds; "stable"
 * and "insiders" work too); VSCODE_EXECUTABLE uses an installed VS Code instead of downloading.
 * IN_HOST_EXTENSION_PATH, IN_HOST_TESTS_PATH and IN_HOST_WORKSPACE are read as by runInHost.ts.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { parseTestArgs } from './args';
import { VSCODE_VERSION } from './installCodeServer';

const REPO_ROOT = path.resolve(__dirname, '../../..');

async function main(): Promise<number> {
  const env = parseTestArgs(process.argv.slice(2));
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'retab-electron-'));
  const fixture = path.join(REPO_ROOT, 'test', 'fixtures', 'workspace');
  let workspace = process.env.IN_HOST_WORKSPACE || (fs.existsSync(fixture) ? fixture : undefined);
  if (!workspace) {
    workspace = path.join(temp, 'workspace');
    fs.mkdirSync(workspace);
  }
  try {
    return await runTests({
      version: process.env.VSCODE_TEST_VERSION || VSCODE_VERSION,
      vscodeExecutablePath: process.env.VSCODE_EXECUTABLE || undefined,
      extensionDevelopmentPath: path.resolve(process.env.IN_HOST_EXTENSION_PATH || REPO_ROOT),
      extensionTestsPath: path.resolve(process.env.IN_HOST_TESTS_PATH || path.join(REPO_ROOT, 'out', 'test', 'integration', 'index.js')),
      extensionTestsEnv: env,
      launchArgs: [
        path.resolve(workspace),
        '--user-data-dir',
        path.join(temp, 'user-data'),
        '--extensions-dir',
        path.join(temp, 'extensions'),
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
        '--disable-telemetry',
        '--disable-updates',
      ],
    });
  } finally {
    fs.rmSync(temp, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`\nThe in-host run in desktop VS Code failed: ${error.message}`);
    if (/ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT/.test(error.message)) {
      console.error('VS Code could not be downloaded. Offline, run the same suite in code-server: npm run test:host');
    }
    process.exit(1);
  },
);
