/**
 * The benchmark (docs/benchmarks.md): package sizes, then the in-host suite
 * (out/test/bench/hostBench.js) in a real extension host (code-server + Chromium, as the in-host
 * tests) against local sandboxes that add 50 ms to every request:
 *   - activation: N host starts, one activate() sample each;
 *   - main: one host start against a G3 sandbox (today's API): job open, hovers, the full
 *     session's requests and memory, idle;
 *   - generations: one host start against four sandboxes (G1, G1p, G2, G3, each at its own base
 *     URL): the scripted session, job-open requests and detection probes per generation, and the
 *     5,000-document run's first expansion on each (test/bench/generations.ts).
 *
 *   npm run build && npm run compile-tests && node out/test/runners/runBench.js [options]
 *
 * Prints one JSON line per figure on stdout (everything else goes to stderr) and writes the same
 * lines to test-results/bench/latest.jsonl. Builds nothing itself but the package: `npm run
 * package` rebuilds dist/ with --production and makes the .vsix; the files the .vsix ships are then
 * copied to a temporary folder, which is what the extension host loads (the minified bundle, and
 * safe from a build started meanwhile in the working tree).
 *
 * Options (or the environment variable after each):
 *   --activation-starts N   host starts of the activation probe, for a median (BENCH_ACTIVATION_STARTS, default 5)
 *   --repeat N              samples per figure inside the main run (RETAB_BENCH_REPEAT, default 5)
 *   --idle-seconds N        how long to watch for idle requests (RETAB_BENCH_IDLE_SECONDS, default 60)
 *   --skip-package          measure dist/ and the .vsix as they are instead of running `npm run package`
 *   --sections LIST         which parts run, comma-separated: activation, main, generations (BENCH_SECTIONS, default all three)
 *   --out FILE              where the JSON lines go (default test-results/bench/latest.jsonl)
 *   BENCH_VERBOSE=1         also show the workbench's own log lines (on stderr)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import * as zlib from 'node:zlib';
import { Sandbox, startSandbox } from '../sandbox/server';
import { CHROMIUM_PATH } from './browser';
import { CODE_SERVER_VERSION, VSCODE_VERSION } from './installCodeServer';
import { runInHost } from './runInHost';

const REPO_ROOT = path.resolve(__dirname, '../../..');
const RESULTS = path.join(REPO_ROOT, 'test-results', 'bench');
const HOST_SUITE = path.join(REPO_ROOT, 'out', 'test', 'bench', 'hostBench.js');
const VSIX = path.join(REPO_ROOT, 'retab-experiments.vsix');
const BENCH_PREFIX = 'BENCH ';

interface Figure {
  figure: string;
  [key: string]: unknown;
}

const SECTIONS = ['activation', 'main', 'generations'] as const;
type Section = (typeof SECTIONS)[number];
const GENERATIONS = ['g3', 'g2', 'g1p', 'g1'] as const;
/** The main figures run against today's API. */
const MAIN_GENERATION = 'g3';

interface Settings {
  sections: Set<Section>;
  activationStarts: number;
  repeat: number;
  idleSeconds: number;
  skipPackage: boolean;
  out: string;
  verbose: boolean;
}

function readSettings(argv: string[]): Settings {
  const { values } = parseArgs({
    args: argv,
    options: {
      'activation-starts': { type: 'string', default: process.env.BENCH_ACTIVATION_STARTS ?? '5' },
      repeat: { type: 'string', default: process.env.RETAB_BENCH_REPEAT ?? '5' },
      'idle-seconds': { type: 'string', default: process.env.RETAB_BENCH_IDLE_SECONDS ?? '60' },
      'skip-package': { type: 'boolean', default: false },
      sections: { type: 'string', default: process.env.BENCH_SECTIONS ?? SECTIONS.join(',') },
      out: { type: 'string', default: path.join(RESULTS, 'latest.jsonl') },
    },
    strict: true,
  });
  const count = (text: string | undefined, flag: string, minimum: number): number => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < minimum) {
      throw new Error(`${flag} must be an integer ≥ ${minimum}, not "${text}"`);
    }
    return value;
  };
  const sections = (values.sections ?? '')
    .split(',')
    .map((section) => section.trim())
    .filter(Boolean);
  const unknown = sections.filter((section) => !(SECTIONS as readonly string[]).includes(section));
  if (sections.length === 0 || unknown.length > 0) {
    throw new Error(`--sections takes a comma-separated list of ${SECTIONS.join(', ')}, not "${values.sections}"`);
  }
  return {
    sections: new Set(sections as Section[]),
    activationStarts: count(values['activation-starts'], '--activation-starts', 1),
    repeat: count(values.repeat, '--repeat', 1),
    idleSeconds: count(values['idle-seconds'], '--idle-seconds', 0),
    skipPackage: values['skip-package'] ?? false,
    out: path.resolve(values.out ?? path.join(RESULTS, 'latest.jsonl')),
    verbose: process.env.BENCH_VERBOSE === '1',
  };
}

/** Everything human goes to stderr, so that stdout holds nothing but the JSON lines. */
function note(message: string): void {
  process.stderr.write(`${message}\n`);
}

function fileSize(file: string): { bytes: number; gzipBytes: number } {
  const contents = fs.readFileSync(file);
  return { bytes: contents.length, gzipBytes: zlib.gzipSync(contents, { level: 9 }).length };
}

function kb(bytes: number): number {
  return Math.round((bytes / 1024) * 10) / 10;
}

function isMinified(file: string): boolean {
  return !/\n\s{2,}\S/.test(fs.readFileSync(file, 'utf8').slice(0, 20_000));
}

/**
 * A private copy of what the .vsix ships (the `!` lines of .vscodeignore), which the extension
 * host then loads: a build started meanwhile in the working tree (`npm run build` writes dist/)
 * cannot swap the bundle under the benchmark.
 */
function stageExtension(): string {
  const allowed = fs
    .readFileSync(path.join(REPO_ROOT, '.vscodeignore'), 'utf8')
    .split(/\r?\n/)
    .filter((line) => line.startsWith('!'))
    .map((line) => line.slice(1).trim());
  if (allowed.length === 0 || allowed.some((entry) => /[*?[{]/.test(entry))) {
    throw new Error('.vscodeignore no longer lists the packaged files one by one: update stageExtension() in runBench.ts');
  }
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'retab-bench-extension-'));
  for (const entry of allowed) {
    const target = path.join(stage, entry);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(path.join(REPO_ROOT, entry), target);
  }
  return stage;
}

function packageFigure(settings: Settings, stage: string): Figure {
  const extension = fileSize(path.join(stage, 'dist', 'extension.js'));
  const nodeFetch = fileSize(path.join(stage, 'dist', 'node-fetch.js'));
  // --skip-package on a fresh checkout: no .vsix yet, the bundle is measured all the same.
  const vsix = fs.existsSync(VSIX) ? fs.statSync(VSIX).size : null;
  const minified = isMinified(path.join(stage, 'dist', 'extension.js'));
  if (!minified && !settings.skipPackage) {
    throw new Error('dist/extension.js is not minified right after `npm run package`: did a build run meanwhile? Run the benchmark again.');
  }
  return {
    figure: 'package',
    built: !settings.skipPackage,
    minified,
    extensionJsKB: kb(extension.bytes),
    extensionJsGzipKB: kb(extension.gzipBytes),
    nodeFetchJsKB: kb(nodeFetch.bytes),
    nodeFetchJsGzipKB: kb(nodeFetch.gzipBytes),
    bundleTotalKB: kb(extension.bytes + nodeFetch.bytes),
    vsixKB: vsix === null ? null : kb(vsix),
    bytes: { extensionJs: extension.bytes, nodeFetchJs: nodeFetch.bytes, vsix },
  };
}

function chromiumVersion(): string {
  try {
    const text = execFileSync(CHROMIUM_PATH, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return /Chromium\s+([\d.]+)/.exec(text)?.[1] ?? text.trim();
  } catch (error) {
    return `unknown (${(error as Error).message})`;
  }
}

function machineFigure(): Figure {
  const cpus = os.cpus();
  let commit = 'unknown';
  let changed: string[] = [];
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
    changed = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: REPO_ROOT, encoding: 'utf8' })
      .split('\n')
      .map((line) => line.slice(3).trim())
      .filter(Boolean);
  } catch {
    // not a git checkout
  }
  return {
    figure: 'machine',
    date: new Date().toISOString(),
    commit,
    dirty: changed.length > 0,
    // Uncommitted changes to the product itself are in what gets measured.
    changedSourceFiles: changed.filter((file) => file.startsWith('src/') || file.startsWith('media/') || file === 'package.json'),
    cores: os.availableParallelism(),
    cpu: cpus[0]?.model ?? 'unknown',
    memoryGB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    codeServer: CODE_SERVER_VERSION,
    vscode: VSCODE_VERSION,
    chromium: chromiumVersion(),
    sandboxLatencyMs: 50,
    mainGeneration: MAIN_GENERATION,
    generations: [...GENERATIONS],
    loadAverageAtStart: os.loadavg().map((value) => Math.round(value * 100) / 100),
  };
}

/** CPU seconds used so far by each process, and its parent, from /proc (Linux). */
function processTimes(): Map<number, { ppid: number; cpu: number }> {
  const times = new Map<number, { ppid: number; cpu: number }>();
  const ticks = 100; // USER_HZ on Linux
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return times;
  }
  for (const entry of entries) {
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name is in parentheses and may hold spaces: fields count from after it.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      times.set(Number(entry), { ppid: Number(fields[1]), cpu: (Number(fields[11]) + Number(fields[12])) / ticks });
    } catch {
      // gone meanwhile
    }
  }
  return times;
}

/**
 * What else ran on the machine meanwhile: a test run or a build on a two-core machine shows up
 * in every timing. Samples every 2 s the CPU time of processes outside this one's tree (the
 * sandbox, code-server, the extension host and Chromium are all in it) and the load average.
 */
function watchLoad(): { phase(name: string): void; stop(): Figure } {
  const loads: number[] = [];
  const started = Date.now();
  let phase = 'start';
  const byPhase: Record<string, number> = {};
  let foreignSeconds = 0;
  let worstWindow = 0;
  let last = processTimes();
  const sample = (): void => {
    loads.push(os.loadavg()[0]);
    const now = processTimes();
    const ours = new Set<number>([process.pid]);
    // Parents come before children often enough; a few passes settle the tree.
    for (let pass = 0; pass < 6; pass++) {
      for (const [pid, { ppid }] of now) {
        if (ours.has(ppid)) {
          ours.add(pid);
        }
      }
    }
    let window = 0;
    for (const [pid, { cpu }] of now) {
      if (!ours.has(pid)) {
        window += Math.max(0, cpu - (last.get(pid)?.cpu ?? cpu));
      }
    }
    foreignSeconds += window;
    byPhase[phase] = (byPhase[phase] ?? 0) + window;
    worstWindow = Math.max(worstWindow, window / 2);
    last = now;
  };
  const timer = setInterval(sample, 2_000);
  timer.unref();
  const setPhase = (name: string): void => {
    sample();
    phase = name;
  };
  const stop = (): Figure => {
    clearInterval(timer);
    sample();
    const wall = (Date.now() - started) / 1000;
    const sorted = [...loads].sort((a, b) => a - b);
    return {
      figure: 'conditions',
      minutes: Math.round(wall / 6) / 10,
      otherProcessesCpuSeconds: Math.round(foreignSeconds * 10) / 10,
      otherProcessesMeanCores: Math.round((foreignSeconds / wall) * 100) / 100,
      otherProcessesWorst2sCores: Math.round(worstWindow * 100) / 100,
      otherProcessesCpuSecondsByPhase: Object.fromEntries(Object.entries(byPhase).map(([name, seconds]) => [name, Math.round(seconds * 10) / 10])),
      loadAverage1mMedian: sorted.length ? Math.round(median(sorted) * 100) / 100 : null,
      loadAverage1mMax: sorted.length ? Math.round(sorted[sorted.length - 1] * 100) / 100 : null,
      cores: os.availableParallelism(),
      note: "CPU used by processes outside the benchmark's own process tree, sampled every 2 s (0 on a quiet machine), and the 1-minute load average (the benchmark alone drives it to 2-6 on two cores: host starts, Chromium)",
    };
  };
  return { phase: setPhase, stop };
}

/**
 * runInHost forwards the extension host's console to this process's stdout, one write per line.
 * While it runs, stdout is routed here: BENCH lines are collected, the rest goes to stderr.
 */
async function runHostSuite(
  extensionPath: string,
  mode: 'activation' | 'full' | 'generations',
  label: string,
  env: Record<string, string>,
  settings: Settings,
  timeoutMs: number,
  onFigure?: (figure: Figure) => void,
): Promise<{ figures: Figure[]; failure?: string }> {
  const figures: Figure[] = [];
  const write = process.stdout.write.bind(process.stdout);
  let pending = '';
  const route = (chunk: string): void => {
    pending += chunk;
    let newline: number;
    while ((newline = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      const at = line.indexOf(BENCH_PREFIX);
      if (at >= 0) {
        try {
          const figure = JSON.parse(line.slice(at + BENCH_PREFIX.length)) as Figure;
          figures.push(figure);
          onFigure?.(figure);
          continue;
        } catch {
          // not ours after all: shown below
        }
      }
      process.stderr.write(`  [host] ${line}\n`);
    }
  };
  process.stdout.write = (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
    route(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    const callback = rest.find((argument): argument is () => void => typeof argument === 'function');
    callback?.();
    return true;
  };
  let code: number;
  try {
    code = await runInHost({
      extensionPath,
      testsPath: HOST_SUITE,
      env: { ...env, RETAB_BENCH_MODE: mode },
      timeoutMs,
      resultsDir: path.join(RESULTS, label),
      verbose: settings.verbose,
      keep: false,
    });
  } finally {
    if (pending) {
      route('\n');
    }
    process.stdout.write = write;
  }
  const failure = code === 0 ? undefined : `the host suite (${label}) exited with ${code}; see ${path.relative(REPO_ROOT, path.join(RESULTS, label))}`;
  return { figures, failure };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

/** One activation figure from the probes: each host start gives one sample of activate(). */
function activationFigure(probes: Figure[]): Figure {
  const samples = probes.map((probe) => Number(probe.activateMs));
  const first = probes[0] ?? {};
  return {
    figure: 'activation',
    activateMs: round(median(samples)),
    minMs: round(Math.min(...samples)),
    maxMs: round(Math.max(...samples)),
    samplesMs: samples,
    hostStarts: probes.length,
    bundle: [...new Set(probes.map((probe) => probe.bundle))].join(', '),
    activatedBeforeSuite: probes.map((probe) => probe.activatedBeforeSuite),
    activationEvent: first.activationEvent,
    loadedAtActivation: first.loadedAtActivation,
    loadedAtActivationKB: first.loadedAtActivationKB,
    nodeFetchLoadedAtActivation: first.nodeFetchLoadedAtActivation,
    note: "time inside activate() (the API's activationMs), one sample per extension host start; module loading before activate() is not included",
  };
}

async function main(): Promise<number> {
  const settings = readSettings(process.argv.slice(2));
  if (!fs.existsSync(HOST_SUITE)) {
    throw new Error(`${HOST_SUITE} is missing: run \`npm run compile-tests\` first`);
  }
  fs.mkdirSync(RESULTS, { recursive: true });
  const figures: Figure[] = [];
  const emit = (figure: Figure): void => {
    figures.push(figure);
    process.stdout.write(`${JSON.stringify(figure)}\n`);
  };

  emit(machineFigure());
  const load = watchLoad();
  load.phase('package');
  if (!settings.skipPackage) {
    note('==> npm run package (esbuild --production, vsce)');
    const result = spawnSync('npm', ['run', 'package'], { cwd: REPO_ROOT, stdio: ['ignore', process.stderr, process.stderr], encoding: 'utf8' });
    if (result.status !== 0) {
      throw new Error(`npm run package exited with ${result.status ?? result.signal}`);
    }
  }
  const stage = stageExtension();
  try {
    emit(packageFigure(settings, stage));
    await hostRuns(settings, stage, load, emit);
  } finally {
    emit(load.stop());
    fs.rmSync(stage, { recursive: true, force: true });
    fs.mkdirSync(path.dirname(settings.out), { recursive: true });
    fs.writeFileSync(settings.out, figures.map((figure) => JSON.stringify(figure)).join('\n') + '\n');
    note(`\n${figures.length} figures written to ${path.relative(REPO_ROOT, settings.out) || settings.out}`);
  }
  return 0;
}

async function hostRuns(settings: Settings, stage: string, load: ReturnType<typeof watchLoad>, emit: (figure: Figure) => void): Promise<void> {
  const failures: string[] = [];
  if (settings.sections.has('activation') || settings.sections.has('main')) {
    await mainRuns(settings, stage, load, emit, failures);
  }
  if (settings.sections.has('generations')) {
    await generationsRun(settings, stage, load, emit, failures);
  }
  if (failures.length > 0) {
    throw new Error(failures.join('; '));
  }
}

/** Keeps what a host run measured even when it failed part-way; says what is missing. */
function collect(label: string, run: { figures: Figure[]; failure?: string }, expected: string[], emit: (figure: Figure) => void, failures: string[]): void {
  for (const figure of run.figures) {
    emit(figure);
  }
  const missing = expected.filter((name) => {
    const [figure, generation] = name.split(':');
    return !run.figures.some((candidate) => candidate.figure === figure && (generation === undefined || candidate.generation === generation));
  });
  if (run.failure) {
    failures.push(run.failure);
  }
  if (missing.length > 0) {
    failures.push(`the ${label} run did not report: ${missing.join(', ')}`);
  }
}

async function mainRuns(
  settings: Settings,
  stage: string,
  load: ReturnType<typeof watchLoad>,
  emit: (figure: Figure) => void,
  failures: string[],
): Promise<void> {
  // timeScale only stretches runs started through the API (seeded runs are frozen): the idle
  // check starts one and needs it still running a minute later.
  // Eval runs take 200 ms an eval here: the 120-eval run lasts about 24 s (time scale 60 would make it 48 minutes).
  const sandbox = await startSandbox({ api: MAIN_GENERATION, latencyMs: 50, timeScale: 60, evalStepMs: 200 });
  note(`sandbox (${MAIN_GENERATION}) at ${sandbox.url} (50 ms added per request)`);
  const env = {
    RETAB_BENCH_SANDBOX_ORIGIN: sandbox.origin,
    RETAB_BENCH_GENERATION: MAIN_GENERATION,
    RETAB_BENCH_API_KEY: sandbox.apiKey,
    RETAB_BENCH_REPEAT: String(settings.repeat),
    RETAB_BENCH_IDLE_SECONDS: String(settings.idleSeconds),
  };
  try {
    if (settings.sections.has('activation')) {
      load.phase('activation probes');
      const probes: Figure[] = [];
      for (let start = 1; start <= settings.activationStarts; start++) {
        note(`==> activation probe ${start}/${settings.activationStarts} (a fresh code-server and page)`);
        let probe = await runHostSuite(stage, 'activation', `activation-${start}`, env, settings, 180_000).catch((error: Error) => ({
          figures: [],
          failure: error.message,
        }));
        if (probe.failure) {
          // A host start can fail for reasons of its own (a port, a slow start): one more try.
          note(`   the probe failed (${probe.failure}); trying once more`);
          probe = await runHostSuite(stage, 'activation', `activation-${start}`, env, settings, 180_000);
        }
        if (probe.failure) {
          throw new Error(probe.failure);
        }
        probes.push(...probe.figures.filter((figure) => figure.figure === 'activationProbe'));
      }
      if (probes.length !== settings.activationStarts) {
        throw new Error(`expected ${settings.activationStarts} activation samples, got ${probes.length}`);
      }
      emit(activationFigure(probes));
    }

    if (settings.sections.has('main')) {
      note(`==> main run (${MAIN_GENERATION})`);
      load.phase('main run: timings');
      const timeoutMs = (600 + 2 * settings.idleSeconds + settings.repeat * 60) * 1000;
      const main = await runHostSuite(stage, 'full', 'main', env, settings, timeoutMs, (figure) => {
        // After the hover figure come the session (requests, memory) and the idle watches.
        if (figure.figure === 'hover') {
          load.phase('main run: session and idle');
        }
      });
      collect('main', main, ['host', 'jobOpen', 'hover', 'requests', 'memory', 'idle', 'idleLiveRun'], emit, failures);
    }
  } finally {
    await sandbox.close();
  }
}

/** One sandbox per generation, each at its own port (so its own base URL, detected from scratch). */
async function generationsRun(
  settings: Settings,
  stage: string,
  load: ReturnType<typeof watchLoad>,
  emit: (figure: Figure) => void,
  failures: string[],
): Promise<void> {
  const sandboxes: Sandbox[] = [];
  try {
    for (const generation of GENERATIONS) {
      const sandbox = await startSandbox({ api: generation, latencyMs: 50 });
      sandboxes.push(sandbox);
      note(`sandbox (${generation}) at ${sandbox.url} (50 ms added per request)`);
    }
    const env = {
      RETAB_BENCH_GENERATIONS: JSON.stringify(sandboxes.map((sandbox) => ({ generation: sandbox.api(), origin: sandbox.origin }))),
      RETAB_BENCH_API_KEY: sandboxes[0].apiKey,
      RETAB_BENCH_REPEAT: String(settings.repeat),
    };
    note(`==> generations run (${GENERATIONS.join(', ')})`);
    load.phase('generations run');
    const timeoutMs = (600 + settings.repeat * 4 * 60) * 1000;
    const run = await runHostSuite(stage, 'generations', 'generations', env, settings, timeoutMs);
    const expected = [
      'host',
      ...GENERATIONS.flatMap((generation) => [`generation:${generation}`, `bigRunRead:${generation}`, `chaosSession:${generation}`]),
      'generations',
    ];
    collect('generations', run, expected, emit, failures);
  } finally {
    await Promise.all(sandboxes.map((sandbox) => sandbox.close()));
  }
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: Error) => {
      note(`\nThe benchmark failed: ${error.message}`);
      process.exit(1);
    },
  );
}
