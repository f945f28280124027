import { hash32, mulberry32 } from './prng';

/**
 * A bad network, seeded and repeatable: each API request draws its fate from the seed, its method
 * and target, and how often that same request came before (so a retry draws anew, and the same
 * session meets the same faults in the same places whatever the order requests interleave in).
 * Rates are fractions of requests; the defaults are the chaos session's:
 *   10 % 5xx (500, 502 HTML or 503), 3 % connection reset mid-body, 2 % truncated JSON (200),
 *   2 % 429 with `Retry-After: 1`, and latency jitter from 0 to 2 s on every request.
 * Only GETs by default: a write that failed on the way is not retried by clients (it may have
 * happened), so a chaos session of reads can be compared with a calm one.
 */
export interface ChaosConfig {
  seed: number;
  status5xx?: number;
  resetMidBody?: number;
  truncatedJson?: number;
  status429?: number;
  retryAfterSeconds?: number;
  jitterMs?: number;
  /** Also break POST, PATCH and DELETE. */
  writes?: boolean;
}

export type ChaosFault =
  { kind: 'status5xx'; status: 500 | 502 | 503 } | { kind: 'resetMidBody' } | { kind: 'truncatedJson' } | { kind: 'status429'; retryAfterSeconds: number };

export interface ChaosDraw {
  latencyMs: number;
  fault: ChaosFault | null;
}

export const CHAOS_DEFAULTS: Required<Omit<ChaosConfig, 'seed'>> = {
  status5xx: 0.1,
  resetMidBody: 0.03,
  truncatedJson: 0.02,
  status429: 0.02,
  retryAfterSeconds: 1,
  jitterMs: 2000,
  writes: false,
};

export class ChaosConfigError extends Error {}

/** Validates a configuration received over HTTP: unknown keys and rates outside 0..1 are refused. */
export function parseChaosConfig(value: unknown): ChaosConfig {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ChaosConfigError('chaos must be an object {seed, …}');
  }
  const input = value as Record<string, unknown>;
  if (typeof input.seed !== 'number' || !Number.isInteger(input.seed)) {
    throw new ChaosConfigError('chaos.seed must be an integer');
  }
  const config: ChaosConfig = { seed: input.seed };
  for (const [key, field] of Object.entries(input)) {
    if (key === 'seed') {
      continue;
    }
    if (key === 'writes') {
      if (typeof field !== 'boolean') {
        throw new ChaosConfigError('chaos.writes must be a boolean');
      }
      config.writes = field;
    } else if (key === 'status5xx' || key === 'resetMidBody' || key === 'truncatedJson' || key === 'status429') {
      if (typeof field !== 'number' || !(field >= 0 && field <= 1)) {
        throw new ChaosConfigError(`chaos.${key} must be a rate from 0 to 1`);
      }
      config[key] = field;
    } else if (key === 'retryAfterSeconds' || key === 'jitterMs') {
      if (typeof field !== 'number' || !Number.isInteger(field) || field < 0) {
        throw new ChaosConfigError(`chaos.${key} must be a non-negative integer`);
      }
      config[key] = field;
    } else {
      throw new ChaosConfigError(`unknown chaos setting "${key}"`);
    }
  }
  return config;
}

export class Chaos {
  private readonly seen = new Map<string, number>();
  private readonly rates: Required<ChaosConfig>;

  constructor(config: ChaosConfig) {
    this.rates = { ...CHAOS_DEFAULTS, ...config };
  }

  get config(): ChaosConfig {
    return { ...this.rates };
  }

  /** The fate of one request. */
  draw(method: string, target: string): ChaosDraw {
    if (method !== 'GET' && !this.rates.writes) {
      return { latencyMs: 0, fault: null };
    }
    const identity = `${method} ${target}`;
    const occurrence = this.seen.get(identity) ?? 0;
    this.seen.set(identity, occurrence + 1);
    const random = mulberry32(hash32(`${identity}#${occurrence}`, this.rates.seed >>> 0));
    const latencyMs = Math.floor(random() * (this.rates.jitterMs + 1));
    let roll = random();
    const pick = (rate: number): boolean => {
      if (roll < rate) {
        return true;
      }
      roll -= rate;
      return false;
    };
    if (pick(this.rates.status5xx)) {
      const statuses = [500, 502, 503] as const;
      return { latencyMs, fault: { kind: 'status5xx', status: statuses[Math.floor(random() * statuses.length)] } };
    }
    if (pick(this.rates.resetMidBody)) {
      return { latencyMs, fault: { kind: 'resetMidBody' } };
    }
    if (pick(this.rates.truncatedJson)) {
      return { latencyMs, fault: { kind: 'truncatedJson' } };
    }
    if (pick(this.rates.status429)) {
      return { latencyMs, fault: { kind: 'status429', retryAfterSeconds: this.rates.retryAfterSeconds } };
    }
    return { latencyMs, fault: null };
  }
}
