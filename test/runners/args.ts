/** Command-line arguments shared by the in-host runners (runInHost.ts, runElectron.ts). */

/** Turns --grep, --files and --env arguments into environment variables for the extension host. */
export function parseTestArgs(argv: string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = (): string => {
      const next = inline ?? argv[++i];
      if (next === undefined) {
        throw new Error(`${flag} needs a value`);
      }
      return next;
    };
    if (flag === '--grep' || flag === '-g') {
      env.MOCHA_GREP = value();
    } else if (flag === '--files') {
      env.MOCHA_FILES = value();
    } else if (flag === '--env') {
      const pair = value();
      const eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new Error(`--env wants NAME=VALUE, got "${pair}"`);
      }
      env[pair.slice(0, eq)] = pair.slice(eq + 1);
    } else {
      throw new Error(`unknown argument ${argv[i]} (known: --grep REGEXP, --files TEXT, --env NAME=VALUE)`);
    }
  }
  return env;
}
