/**
 * The in-host test suite's entry point (`extensionTestsPath`): VS Code loads this module in the
 * extension host and awaits `run()`. Used both by code-server (test/runners/runInHost.ts) and by
 * @vscode/test-electron (test/runners/runElectron.ts).
 *
 * Environment (the extension host inherits the runner's):
 *   MOCHA_GREP   only tests whose full title matches this regular expression
 *   MOCHA_FILES  only test files whose path (relative to this folder) contains this text
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

function testFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      found.push(...testFiles(full));
    } else if (entry.isFile() && entry.name.endsWith('.test.js')) {
      found.push(full);
    }
  }
  return found.sort();
}

export function run(): Promise<void> {
  // VS Code forwards the extension host's console to the runner but drops a console.log() with no
  // arguments, which the spec reporter uses for blank lines.
  Mocha.reporters.Base.consoleLog = (...data: unknown[]) => console.log(...(data.length > 0 ? data : ['']));
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 30_000, reporter: 'spec' });
  if (process.env.MOCHA_GREP) {
    mocha.grep(new RegExp(process.env.MOCHA_GREP));
  }
  const only = process.env.MOCHA_FILES;
  const files = testFiles(__dirname).filter((file) => !only || path.relative(__dirname, file).includes(only));
  if (files.length === 0) {
    return Promise.reject(new Error(`no in-host test files under ${__dirname}${only ? ` matching MOCHA_FILES=${only}` : ''}`));
  }
  for (const file of files) {
    mocha.addFile(file);
  }
  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        const { passes = 0, pending = 0 } = runner.stats ?? {};
        // A closing line that CI reads, after the spec reporter's own summary.
        console.log(`in-host: ${passes} passed, ${failures} failed, ${pending} skipped`);
        if (failures > 0) {
          reject(new Error(`${failures} in-host test(s) failed`));
        } else if (passes + pending === 0) {
          reject(new Error('no in-host test ran' + (process.env.MOCHA_GREP ? ` (MOCHA_GREP=${process.env.MOCHA_GREP})` : '')));
        } else {
          resolve();
        }
      });
    } catch (error) {
      // A test file that fails to load throws here.
      reject(error);
    }
  });
}
