import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import { AddressInfo, Socket } from 'node:net';
import { handleApi, json } from './api';
import { Fault, FaultConfig, FaultConfigError, FaultKind, Faults, parseFaultConfig, sendFault } from './faults';
import { Chaos, ChaosConfig, ChaosConfigError, ChaosFault, parseChaosConfig } from './chaos';
import { API_GENERATIONS, ApiGeneration, AuthScheme, DEFAULT_API, GENERATIONS, isApiGeneration, parseApiGeneration } from './generations';
import { contentBody } from './nested';
import { SandboxStore } from './store';
import { SandboxFiles } from './files/sandboxFiles';
import { SandboxEvals } from './evals/sandboxEvals';
import { BlocksMode, SandboxBlocks } from './blocks/sandboxBlocks';
import { DownloadRequest, DownloadServer, startDownloadServer } from './files/downloads';

export type { FaultConfig, FaultKind } from './faults';
export type { ChaosConfig } from './chaos';
export type { DownloadRequest } from './files/downloads';
export { API_GENERATIONS, DEFAULT_API, GENERATIONS } from './generations';
export type { ApiGeneration, AuthScheme } from './generations';

/**
 * A Retab-compatible API server over seeded data, for unit, extension-host and UI tests, the
 * benchmark and the demo. It speaks one generation of the API at a time (`api`: g1, g1p, g2 or
 * g3, the default; see generations.ts), switchable at run time. `/v1/…` is the API (key in the
 * `Api-Key` header for g1, g1p and g2, in `Authorization: Bearer` for g3); `/__sandbox/…` controls
 * the sandbox from another process and needs no key:
 *   POST /__sandbox/faults    body FaultConfig; replaces the armed faults ({} disarms them all)
 *   GET  /__sandbox/faults    what is still armed
 *   POST /__sandbox/chaos     body ChaosConfig ({seed, …}: a seeded bad network, see chaos.ts) or null to end it
 *   GET  /__sandbox/chaos     the chaos in force, or null
 *   POST /__sandbox/api       body {"api": "g2"}: the generation from now on
 *   GET  /__sandbox/api       the generation now
 *   POST /__sandbox/blocks/touch  body {"block_id"}: someone else saves the block (its model changes), for the editor's save conflict
 *   POST /__sandbox/blocks/mode   body {"mode": "on"|"404"|"405"}: the blocks routes as on a server with or without them
 *   POST /__sandbox/reset     disarms faults, forgets started and cancelled runs, empties the request log, back to the starting generation
 *   GET  /__sandbox/requests  the request log
 */

export interface SandboxOptions {
  /** The API generation to speak; 'g3' (the newest) by default. */
  api?: ApiGeneration;
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  apiKey?: string;
  /** Added to every API request, on top of any `latencyMs` fault. */
  latencyMs?: number;
  /** Multiplies how long runs started through the API take; 1 (the default) is a few seconds, 0.05 a fraction of one. */
  timeScale?: number;
  /** Where runs started through the API read the time; tests can drive it by hand. */
  clock?: () => number;
  /** false: the sources route answers 404, as on a server without it (`--no-sources`). */
  sources?: boolean;
  /** false: every evals route answers 405, as on an environment without evals (`--evals off`). */
  evals?: boolean;
  /** How long each eval of an eval run takes, in ms (else 400 ms times `timeScale`). */
  evalStepMs?: number;
  /** A seeded bad network from the start (`--chaos SEED`); see chaos.ts. */
  chaos?: ChaosConfig;
}

export interface SandboxRequest {
  /** The `x-request-id` the response carried. */
  id: string;
  method: string;
  path: string;
  /** `access_token` is shown as `[redacted]`: the log never holds a key. */
  query: Record<string, string>;
  /** null when no status was sent (a dropped connection, or the sandbox closed first). */
  status: number | null;
  fault: FaultKind | null;
  /** The generation that answered. */
  api: ApiGeneration;
  /**
   * How the request presented a key: `valid` in the place the generation reads it, `invalid` when
   * wrong or in the wrong place (e.g. `Api-Key` sent to g3), `missing` when there was none.
   */
  apiKey: 'valid' | 'invalid' | 'missing';
  /** Which header carried the key: `Api-Key` or `Authorization` (any scheme); null when neither. */
  authScheme: AuthScheme | null;
  /** The key came in the `access_token` query parameter, where it would leak into logs. */
  keyInQuery: boolean;
  /**
   * Whatever the place, was the key presented this server's own? null when none was presented:
   * tests of several connections check that no request carries another server's key.
   */
  ownKey: boolean | null;
  time: string;
  durationMs: number | null;
  /** A write's body (POST, PATCH), the first 64 KB: tests read what was sent. */
  body?: string;
}

export interface Sandbox {
  /** The API base URL, ending in `/v1`. */
  url: string;
  origin: string;
  apiKey: string;
  /** The generation spoken now. */
  api(): ApiGeneration;
  /** Switches generation; the data and what requests changed stay. */
  setApi(api: ApiGeneration): void;
  /** Headers that authenticate a request to the current generation (`Api-Key` or `Authorization: Bearer`). */
  authHeaders(key?: string): Record<string, string>;
  setFaults(faults: FaultConfig): void;
  faults(): FaultConfig;
  /** A seeded bad network on every API request from now on (null: calm again); reset() ends it too. */
  setChaos(config: ChaosConfig | null): void;
  /** Someone else saves a block behind the editor's back (its model changes); false when there is no such block. */
  touchBlock(blockId: string): boolean;
  /** The blocks routes as on a server with them (`on`) or without (`404`, `405`); reset() turns them on. */
  setBlocksMode(mode: BlocksMode): void;
  /** Faults off, started and cancelled runs forgotten, log emptied, back to the generation it started with. */
  reset(): void;
  requests(): SandboxRequest[];
  /** The second origin download links point at (a storage bucket's stand-in), and what it was asked. */
  downloadOrigin: string;
  downloads(): DownloadRequest[];
  close(): Promise<void>;
}

export const DEFAULT_API_KEY = 'sk_test_sandbox';
const MAX_LOGGED_REQUESTS = 10_000;
const MAX_BODY_BYTES = 1_000_000;

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const apiKey = options.apiKey ?? DEFAULT_API_KEY;
  const startApi = parseApiGeneration(options.api ?? DEFAULT_API);
  let api: ApiGeneration = startApi;
  const store = new SandboxStore({ clock: options.clock ?? Date.now, timeScale: options.timeScale ?? 1 });
  // Paid by the first sandbox of a process, so that no request waits for the 5,000-document run to be built.
  store.warm((_experiment, record) => {
    if (startApi === 'g1' || startApi === 'g1p') {
      contentBody(store, startApi, record);
    }
  });
  // Set once the download server listens (after the API server); reset() empties its log too.
  const downloadLog: { server?: DownloadServer } = {};
  const files = new SandboxFiles(store, randomBytes(16).toString('hex'));
  files.sourcesEnabled = options.sources ?? true;
  const evals = new SandboxEvals(store);
  evals.enabled = options.evals ?? true;
  evals.stepMs = options.evalStepMs;
  const blocks = new SandboxBlocks(store);
  const faults = new Faults();
  let chaos: Chaos | null = options.chaos ? new Chaos(options.chaos) : null;
  const log: SandboxRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const requestPrefix = `req_${randomBytes(3).toString('hex')}`;
  let requestCount = 0;

  const reset = (): void => {
    faults.set({});
    chaos = options.chaos ? new Chaos(options.chaos) : null;
    downloadLog.server?.clearLog();
    evals.reset();
    store.reset();
    blocks.reset();
    log.length = 0;
    api = startApi;
  };

  const setApi = (next: ApiGeneration): void => {
    api = parseApiGeneration(next);
  };

  const apiInfo = (): Record<string, unknown> => ({ api, ...GENERATIONS[api], generations: API_GENERATIONS });

  const delay = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  const control = (request: http.IncomingMessage, response: http.ServerResponse, path: string, body: string, headers: Record<string, string>): void => {
    const send = (status: number, value: unknown): void => {
      response.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8' });
      response.end(json(status, value).body);
    };
    const action = `${request.method} ${path}`;
    if (action === 'POST /__sandbox/faults') {
      try {
        faults.set(parseFaultConfig(body.trim() === '' ? {} : JSON.parse(body)));
      } catch (caught) {
        send(400, { detail: caught instanceof FaultConfigError ? caught.message : 'the body is not valid JSON' });
        return;
      }
      send(200, { faults: faults.current() });
    } else if (action === 'GET /__sandbox/faults') {
      send(200, { faults: faults.current() });
    } else if (action === 'POST /__sandbox/chaos') {
      try {
        const requested: unknown = body.trim() === '' ? null : JSON.parse(body);
        chaos = requested === null ? null : new Chaos(parseChaosConfig(requested));
      } catch (caught) {
        send(400, { detail: caught instanceof ChaosConfigError ? caught.message : 'the body is not valid JSON' });
        return;
      }
      send(200, { chaos: chaos?.config ?? null });
    } else if (action === 'GET /__sandbox/chaos') {
      send(200, { chaos: chaos?.config ?? null });
    } else if (action === 'GET /__sandbox/api') {
      send(200, apiInfo());
    } else if (action === 'POST /__sandbox/api') {
      let requested: unknown;
      try {
        requested = (JSON.parse(body) as { api?: unknown } | null)?.api;
      } catch {
        send(400, { detail: 'the body is not valid JSON' });
        return;
      }
      if (!isApiGeneration(requested)) {
        send(400, { detail: `api must be one of ${API_GENERATIONS.join(', ')}, not ${JSON.stringify(requested)}` });
        return;
      }
      setApi(requested);
      send(200, apiInfo());
    } else if (action === 'POST /__sandbox/blocks/touch' || action === 'POST /__sandbox/blocks/mode') {
      let requested: Record<string, unknown>;
      try {
        requested = (JSON.parse(body) as Record<string, unknown> | null) ?? {};
      } catch {
        send(400, { detail: 'the body is not valid JSON' });
        return;
      }
      if (action.endsWith('touch')) {
        const block = blocks.touch(String(requested.block_id));
        send(block ? 200 : 404, block ? blocks.blockJson(block) : { detail: 'Block not found' });
      } else if (requested.mode === 'on' || requested.mode === '404' || requested.mode === '405') {
        blocks.mode = requested.mode;
        send(200, { mode: blocks.mode });
      } else {
        send(400, { detail: 'mode must be "on", "404" or "405"' });
      }
    } else if (action === 'POST /__sandbox/reset') {
      reset();
      send(200, { ok: true });
    } else if (action === 'GET /__sandbox/requests') {
      send(200, { requests: log });
    } else {
      send(404, { detail: 'Not Found' });
    }
  };

  const serveApi = async (
    request: http.IncomingMessage,
    response: http.ServerResponse,
    url: URL,
    body: string,
    headers: Record<string, string>,
  ): Promise<void> => {
    const receivedAt = Date.now();
    const served = api;
    const auth = authenticate(served, request, url, apiKey);
    const query = Object.fromEntries([...url.searchParams].map(([key, value]) => [key, key === 'access_token' ? '[redacted]' : value]));
    const entry: SandboxRequest = {
      id: headers['x-request-id'],
      method: request.method ?? '',
      path: url.pathname,
      query,
      status: null,
      fault: null,
      api: served,
      apiKey: auth.verdict,
      authScheme: auth.scheme,
      keyInQuery: url.searchParams.has('access_token'),
      ownKey: presentedKey(request, url) === undefined ? null : presentedKey(request, url) === apiKey,
      time: new Date(receivedAt).toISOString(),
      durationMs: null,
      ...(request.method === 'POST' || request.method === 'PATCH' ? { body: body.slice(0, 65_536) } : {}),
    };
    log.push(entry);
    if (log.length > MAX_LOGGED_REQUESTS) {
      log.shift();
    }
    const target = url.pathname + url.search;
    const drawn = chaos?.draw(request.method ?? '', target);
    const fault = faults.take(target) ?? (drawn?.fault ? chaosFault(drawn.fault) : null);
    const latency = (options.latencyMs ?? 0) + (faults.latencyMs(target) ?? 0) + (drawn?.latencyMs ?? 0);
    if (latency > 0) {
      await delay(latency);
    }
    if (response.destroyed) {
      return;
    }
    const result = auth.verdict === 'valid' ? route(served, url.pathname, request.method ?? '', url.searchParams, body) : json(401, { detail: auth.detail });
    if (fault) {
      entry.fault = fault.kind;
      entry.status = sendFault(fault, response, headers, result.body);
    } else {
      const challenge: Record<string, string> = result.status === 401 && GENERATIONS[served].auth === 'bearer' ? { 'www-authenticate': 'Bearer' } : {};
      response.writeHead(result.status, { ...headers, ...challenge, 'content-type': 'application/json; charset=utf-8' });
      response.end(result.body);
      entry.status = result.status;
    }
    entry.durationMs = Date.now() - receivedAt;
  };

  const route = (served: ApiGeneration, pathname: string, method: string, query: URLSearchParams, body: string): ReturnType<typeof handleApi> => {
    let segments: string[];
    try {
      segments = pathname
        .split('/')
        .slice(2)
        .map((segment) => decodeURIComponent(segment));
    } catch {
      return json(404, { detail: 'Not Found' });
    }
    return handleApi(store, files, evals, blocks, served, { method, segments, query, body });
  };

  const server = http.createServer((request, response) => {
    requestCount++;
    const headers = { 'x-request-id': `${requestPrefix}_${String(requestCount).padStart(6, '0')}` };
    // Prefixed rather than resolved against a base, so that a path such as `//host/x` stays a path.
    const url = new URL(`http://sandbox.invalid${request.url ?? '/'}`);
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) {
        chunks.push(chunk);
      }
    });
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      if (size > MAX_BODY_BYTES) {
        response.writeHead(413, { ...headers, 'content-type': 'application/json; charset=utf-8' });
        response.end(JSON.stringify({ detail: 'Request body too large' }));
      } else if (url.pathname.startsWith('/__sandbox/')) {
        control(request, response, url.pathname, body, headers);
      } else if (url.pathname === '/v1' || url.pathname.startsWith('/v1/')) {
        serveApi(request, response, url, body, headers).catch((caught: unknown) => {
          if (!response.headersSent) {
            response.writeHead(500, { ...headers, 'content-type': 'application/json; charset=utf-8' });
            response.end(JSON.stringify({ detail: `Sandbox error: ${caught instanceof Error ? caught.message : String(caught)}` }));
          }
        });
      } else {
        response.writeHead(404, { ...headers, 'content-type': 'application/json; charset=utf-8' });
        response.end(JSON.stringify({ detail: 'Not Found' }));
      }
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  // Another port is another origin: the key must not follow the extension there.
  const downloads = await startDownloadServer(files, host, () => store.now());
  downloadLog.server = downloads;
  files.downloadOrigin = downloads.origin;

  return {
    url: `${origin}/v1`,
    origin,
    apiKey,
    api: () => api,
    setApi,
    authHeaders: (key = apiKey): Record<string, string> => (GENERATIONS[api].auth === 'bearer' ? { Authorization: `Bearer ${key}` } : { 'Api-Key': key }),
    setFaults: (config) => faults.set(config),
    faults: () => faults.current(),
    setChaos: (config) => {
      chaos = config === null ? null : new Chaos(config);
    },
    touchBlock: (blockId) => blocks.touch(blockId) !== undefined,
    setBlocksMode: (mode) => {
      blocks.mode = mode;
    },
    reset,
    requests: () => log.map((entry) => ({ ...entry, query: { ...entry.query } })),
    downloadOrigin: downloads.origin,
    downloads: () => downloads.requests(),
    close: () =>
      new Promise<void>((resolve) => {
        void downloads.close();
        for (const timer of timers) {
          clearTimeout(timer);
        }
        timers.clear();
        // Never-ending responses and idle keep-alive connections would hold close() open forever.
        for (const socket of sockets) {
          socket.destroy();
        }
        server.close(() => resolve());
      }),
  };
}

interface AuthOutcome {
  verdict: SandboxRequest['apiKey'];
  scheme: AuthScheme | null;
  detail: string;
}

/** The key a request carries, wherever it put it (header of either scheme, or the query). */
function presentedKey(request: http.IncomingMessage, url: URL): string | undefined {
  const authorization = headerValue(request, 'authorization');
  return headerValue(request, 'api-key') ?? (authorization?.replace(/^Bearer\s+/i, '') || undefined) ?? url.searchParams.get('access_token') ?? undefined;
}

function headerValue(request: http.IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * g1, g1p and g2 read the key from `Api-Key` (g1 also from the seed's `access_token` query
 * parameter); g3 only from `Authorization: Bearer`. A key anywhere else is refused, as a server of
 * that generation would.
 */
function authenticate(api: ApiGeneration, request: http.IncomingMessage, url: URL, apiKey: string): AuthOutcome {
  const apiKeyHeader = headerValue(request, 'api-key');
  const authorization = headerValue(request, 'authorization');
  const scheme: AuthScheme | null =
    GENERATIONS[api].auth === 'bearer'
      ? authorization !== undefined
        ? 'bearer'
        : apiKeyHeader !== undefined
          ? 'api-key'
          : null
      : apiKeyHeader !== undefined
        ? 'api-key'
        : authorization !== undefined
          ? 'bearer'
          : null;
  if (GENERATIONS[api].auth === 'api-key') {
    const presented = apiKeyHeader ?? (api === 'g1' ? (url.searchParams.get('access_token') ?? undefined) : undefined);
    if (presented !== undefined) {
      return presented === apiKey ? { verdict: 'valid', scheme, detail: '' } : { verdict: 'invalid', scheme, detail: 'Invalid API key' };
    }
    if (authorization !== undefined) {
      return { verdict: 'invalid', scheme, detail: 'Invalid credentials: this server reads the API key from the Api-Key header' };
    }
    return { verdict: 'missing', scheme, detail: 'Missing API key: send it in the Api-Key header' };
  }
  if (authorization !== undefined) {
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!bearer) {
      return { verdict: 'invalid', scheme, detail: 'Invalid authorization scheme: send Authorization: Bearer <API key>' };
    }
    return bearer[1] === apiKey ? { verdict: 'valid', scheme, detail: '' } : { verdict: 'invalid', scheme, detail: 'Invalid API key' };
  }
  if (apiKeyHeader !== undefined) {
    return { verdict: 'invalid', scheme, detail: 'Invalid credentials: the Api-Key header is no longer read; send Authorization: Bearer <API key>' };
  }
  return { verdict: 'missing', scheme, detail: 'Not authenticated: send Authorization: Bearer <API key>' };
}

/** A chaos draw as the fault the sandbox sends. */
function chaosFault(fault: ChaosFault): Fault {
  switch (fault.kind) {
    case 'status5xx':
      return { kind: fault.status === 502 ? 'html502' : fault.status === 503 ? 'status503' : 'status500' };
    case 'resetMidBody':
      return { kind: 'resetMidBody' };
    case 'truncatedJson':
      return { kind: 'malformedJson' };
    case 'status429':
      return { kind: 'status429', retryAfterSeconds: fault.retryAfterSeconds };
  }
}
