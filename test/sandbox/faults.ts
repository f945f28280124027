import type { ServerResponse } from 'node:http';

/**
 * Faults tests switch on to see how a client copes with a bad network or a bad server. Counts
 * say how many of the next matching requests get the fault; `pathFilter` restricts them (and the
 * latency) to requests whose path and query contain it.
 */
export interface FaultConfig {
  latencyMs?: number;
  status429?: { count: number; retryAfterSeconds?: number };
  status500?: number;
  /** A proxy's HTML error page, not JSON. */
  html502?: number;
  /** 200 with a truncated JSON body. */
  malformedJson?: number;
  /** The socket is destroyed without any response. */
  dropConnection?: number;
  /** Headers and part of the body, then nothing until the sandbox closes. */
  neverEndingBody?: number;
  /** Headers and part of the body, then the connection is reset. */
  resetMidBody?: number;
  /** 503 Service Unavailable, as a load balancer sends while a server restarts. */
  status503?: number;
  pathFilter?: string;
}

export type FaultKind = 'status429' | 'status500' | 'status503' | 'html502' | 'malformedJson' | 'dropConnection' | 'neverEndingBody' | 'resetMidBody';

export type Fault = { kind: 'status429'; retryAfterSeconds: number } | { kind: Exclude<FaultKind, 'status429'> };

type CountedKind = Exclude<FaultKind, 'status429'>;

/** When several faults are armed, the most disruptive goes first. */
const PRECEDENCE: readonly FaultKind[] = [
  'dropConnection',
  'neverEndingBody',
  'resetMidBody',
  'html502',
  'status503',
  'status500',
  'status429',
  'malformedJson',
];

const COUNTED: readonly CountedKind[] = ['status500', 'status503', 'html502', 'malformedJson', 'dropConnection', 'neverEndingBody', 'resetMidBody'];

export class FaultConfigError extends Error {}

/** Validates a configuration received over HTTP; unknown keys are refused so a typo does not silently do nothing. */
export function parseFaultConfig(value: unknown): FaultConfig {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new FaultConfigError('the fault configuration must be a JSON object');
  }
  const input = value as Record<string, unknown>;
  const config: FaultConfig = {};
  for (const [key, field] of Object.entries(input)) {
    if (key === 'latencyMs') {
      config.latencyMs = count(field, key);
    } else if (key === 'pathFilter') {
      if (typeof field !== 'string') {
        throw new FaultConfigError('pathFilter must be a string');
      }
      config.pathFilter = field;
    } else if (key === 'status429') {
      if (typeof field !== 'object' || field === null || Array.isArray(field)) {
        throw new FaultConfigError('status429 must be an object {count, retryAfterSeconds}');
      }
      const limited = field as Record<string, unknown>;
      config.status429 = {
        count: count(limited.count, 'status429.count'),
        retryAfterSeconds: limited.retryAfterSeconds === undefined ? 1 : count(limited.retryAfterSeconds, 'status429.retryAfterSeconds'),
      };
    } else if ((COUNTED as readonly string[]).includes(key)) {
      config[key as CountedKind] = count(field, key);
    } else {
      throw new FaultConfigError(`unknown fault "${key}"`);
    }
  }
  return config;
}

function count(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new FaultConfigError(`${name} must be a non-negative integer`);
  }
  return value;
}

export class Faults {
  private config: FaultConfig = {};

  /** Replaces every fault: `set({})` switches them all off. */
  set(config: FaultConfig): void {
    this.config = copy(config);
  }

  /** What is still armed. */
  current(): FaultConfig {
    return copy(this.config);
  }

  private matches(url: string): boolean {
    return this.config.pathFilter === undefined || url.includes(this.config.pathFilter);
  }

  latencyMs(url: string): number | undefined {
    return this.matches(url) ? this.config.latencyMs : undefined;
  }

  /** The fault this request gets, if any; using it up. */
  take(url: string): Fault | null {
    if (!this.matches(url)) {
      return null;
    }
    for (const kind of PRECEDENCE) {
      if (kind === 'status429') {
        const limited = this.config.status429;
        if (limited && limited.count > 0) {
          limited.count--;
          return { kind, retryAfterSeconds: limited.retryAfterSeconds ?? 1 };
        }
        continue;
      }
      const remaining = this.config[kind] ?? 0;
      if (remaining > 0) {
        this.config[kind] = remaining - 1;
        return { kind };
      }
    }
    return null;
  }
}

function copy(config: FaultConfig): FaultConfig {
  const { status429, ...counts } = config;
  return status429 ? { ...counts, status429: { ...status429 } } : counts;
}

const BAD_GATEWAY_PAGE =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

/**
 * Answers with the fault instead of `realBody` (the JSON the request would have had), or
 * returns the status it sent; null when nothing was sent (dropped connection).
 */
export function sendFault(fault: Fault, response: ServerResponse, headers: Record<string, string>, realBody: string): number | null {
  const json = { ...headers, 'content-type': 'application/json; charset=utf-8' };
  switch (fault.kind) {
    case 'dropConnection':
      response.socket?.destroy();
      return null;
    case 'neverEndingBody':
      response.writeHead(200, json);
      response.write(truncated(realBody));
      return 200;
    case 'html502':
      response.writeHead(502, { ...headers, 'content-type': 'text/html' });
      response.end(BAD_GATEWAY_PAGE);
      return 502;
    case 'resetMidBody':
      response.writeHead(200, json);
      response.write(truncated(realBody), () => response.socket?.resetAndDestroy());
      return 200;
    case 'status500':
      response.writeHead(500, json);
      response.end(JSON.stringify({ detail: 'Internal Server Error' }));
      return 500;
    case 'status503':
      response.writeHead(503, json);
      response.end(JSON.stringify({ detail: 'Service Unavailable' }));
      return 503;
    case 'status429':
      response.writeHead(429, { ...json, 'retry-after': String(fault.retryAfterSeconds) });
      response.end(JSON.stringify({ detail: { code: 'rate_limited', message: `Too many requests; retry in ${fault.retryAfterSeconds} s.` } }));
      return 429;
    case 'malformedJson':
      response.writeHead(200, json);
      response.end(truncated(realBody));
      return 200;
  }
}

/** A strict prefix of a JSON object or array never parses. */
function truncated(body: string): string {
  return body.slice(0, Math.max(1, Math.floor(body.length / 2)));
}
