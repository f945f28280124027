import { parseArgs } from 'node:util';
import { DEFAULT_API, parseApiGeneration } from './generations';
import { startSandbox } from './server';

/**
 * `node out/test/sandbox/cli.js [--port 4010] [--host 127.0.0.1] [--latency 50] [--key sk_…] [--time-scale 1] [--api g1|g1p|g2|g3] [--no-sources] [--evals on|off] [--chaos SEED]`
 * Prints one line, `SANDBOX_URL=<url>`, on stdout once listening (scripts read it), and stops
 * cleanly on SIGINT or SIGTERM. `--api` picks the API generation (default g3, the newest).
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
      latency: { type: 'string', default: '0' },
      key: { type: 'string' },
      'time-scale': { type: 'string', default: '1' },
      api: { type: 'string', default: DEFAULT_API },
      'no-sources': { type: 'boolean', default: false },
      evals: { type: 'string', default: 'on' },
      chaos: { type: 'string' },
    },
    strict: true,
  });
  const port = number(values.port, '--port');
  const latencyMs = number(values.latency, '--latency');
  const timeScale = number(values['time-scale'], '--time-scale');
  const api = parseApiGeneration(values.api, '--api');
  const sandbox = await startSandbox({
    port,
    host: values.host,
    apiKey: values.key,
    latencyMs,
    timeScale,
    api,
    sources: !values['no-sources'],
    evals: values.evals !== 'off',
    chaos: values.chaos === undefined ? undefined : { seed: Math.floor(number(values.chaos, '--chaos')) },
  });
  process.stdout.write(`SANDBOX_URL=${sandbox.url}\n`);
  let stopping = false;
  const stop = (): void => {
    if (stopping) {
      return;
    }
    stopping = true;
    void sandbox.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

function number(text: string | undefined, flag: string): number {
  const value = Number(text);
  if (text === undefined || text.trim() === '' || !Number.isFinite(value) || value < 0) {
    throw new Error(`${flag} must be a non-negative number, not "${text}"`);
  }
  return value;
}

main().catch((caught: unknown) => {
  process.stderr.write(`sandbox: ${caught instanceof Error ? caught.message : String(caught)}\n`);
  process.exit(1);
});
