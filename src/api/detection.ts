import { l10n } from '../l10n';
import { RetabError } from './errors';
import { AuthScheme, Dialect, GenerationId, RouteFamily } from './dialects/dialect';
import { DIALECTS } from './dialects/registry';
import { abortable } from './requestPolicy';

/** What a probe of `GET /workflows/experiments?limit=1` says: a flat page, a nested server, or the 401 "not with this header". */
export type ProbeOutcome = RouteFamily | RetabError;

/** The part of VS Code's Memento detection uses; a plain object works in unit tests. */
export interface DetectionStorage {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

export interface Detected {
  dialect: Dialect;
  auth: AuthScheme;
  /** The server accepted a request with this header: a later 401 is about the key, not the header. */
  authConfirmed: boolean;
  /** Found by probing or pinned by the setting (then never probed). */
  pinned: boolean;
}

export interface DetectorOptions {
  /** `auto`, or a generation id pinned by the `retab.apiGeneration` setting. */
  setting: () => string;
  probe: (auth: AuthScheme, signal?: AbortSignal) => Promise<ProbeOutcome>;
  storage?: DetectionStorage;
  log?: (message: string) => void;
}

interface Remembered {
  generation: GenerationId;
  auth: AuthScheme;
  /** Whether the list shape (which tells G1 from G1p) has been seen. */
  listsSeen: boolean;
}

const STORAGE_KEY = 'retab.apiGenerations.v1';
const MAX_REMEMBERED = 20;

export function otherScheme(auth: AuthScheme): AuthScheme {
  return auth === 'bearer' ? 'api-key' : 'bearer';
}

export function headerName(auth: AuthScheme): string {
  return auth === 'bearer' ? 'Authorization: Bearer' : 'Api-Key';
}

/**
 * Finds out which generation of the API a base URL speaks, once: a probe of the flat
 * experiments route with the likelier header (the other one after a 401) says flat or nested
 * and which header works; the nested generations are then told apart by the shape of their
 * first list, at no extra request. The answer is remembered per base URL (across sessions too)
 * and found out again on Refresh and when a known route turns out to be missing.
 */
export class GenerationDetector {
  private readonly known = new Map<string, Detected>();
  private readonly listsSeen = new Set<string>();
  private readonly inFlight = new Map<string, Promise<Detected>>();
  private readonly logged = new Map<string, string>();

  constructor(private readonly options: DetectorOptions) {}

  /** The generation now believed for `baseUrl`, probing first when there is none. */
  current(baseUrl: string, signal?: AbortSignal): Promise<Detected> {
    const pinned = this.pinned();
    if (pinned) {
      const known = this.known.get(baseUrl);
      if (known?.pinned && known.dialect.id === pinned.id) {
        return Promise.resolve(known);
      }
      const remembered = this.remembered(baseUrl);
      const detected: Detected = {
        dialect: pinned,
        auth: remembered?.generation === pinned.id ? remembered.auth : pinned.signature.auth,
        authConfirmed: false,
        pinned: true,
      };
      this.known.set(baseUrl, detected);
      this.say(baseUrl, `${pinned.label}, as the retab.apiGeneration setting says`);
      return Promise.resolve(detected);
    }
    const known = this.known.get(baseUrl);
    if (known && !known.pinned) {
      return Promise.resolve(known);
    }
    const remembered = this.remembered(baseUrl);
    const dialect = remembered && DIALECTS.find((candidate) => candidate.id === remembered.generation);
    if (remembered && dialect) {
      const detected: Detected = { dialect, auth: remembered.auth, authConfirmed: true, pinned: false };
      this.known.set(baseUrl, detected);
      if (remembered.listsSeen) {
        this.listsSeen.add(baseUrl);
      }
      this.say(baseUrl, `${dialect.label}, as found before`);
      return Promise.resolve(detected);
    }
    return this.probeOnce(baseUrl, signal);
  }

  /** What is believed now, without probing. */
  peek(baseUrl: string): Detected | undefined {
    return this.known.get(baseUrl);
  }

  /**
   * Refresh: keep the belief but check it against the next answers (the client re-detects on a
   * missing route or a list 404 and swaps the header after a 401); lists are looked at again.
   */
  recheck(baseUrl: string): void {
    const known = this.known.get(baseUrl);
    if (!known) {
      return;
    }
    this.listsSeen.delete(baseUrl);
    if (!known.pinned) {
      this.known.set(baseUrl, { ...known, authConfirmed: false });
    }
  }

  /** Drops what this session believes (another key was set); what is remembered is read again. */
  reset(): void {
    this.known.clear();
    this.listsSeen.clear();
  }

  /** Probes again now, e.g. after a known route answered that it does not exist. */
  redetect(baseUrl: string, signal?: AbortSignal): Promise<Detected> {
    if (this.pinned()) {
      return this.current(baseUrl, signal);
    }
    this.known.delete(baseUrl);
    this.listsSeen.delete(baseUrl);
    return this.probeOnce(baseUrl, signal);
  }

  /** A request with `auth` succeeded (after the other header failed): keep it. */
  confirmAuth(baseUrl: string, auth: AuthScheme): void {
    const known = this.known.get(baseUrl);
    if (!known) {
      return;
    }
    const changed = known.auth !== auth;
    // The header is part of what tells generations apart (G2 and G3 differ only in it).
    const dialect =
      changed && !known.pinned
        ? choose(known.dialect.signature.routes, auth, this.listsSeen.has(baseUrl) ? known.dialect.signature.lists : undefined)
        : known.dialect;
    this.known.set(baseUrl, { ...known, dialect, auth, authConfirmed: true });
    if (changed) {
      this.say(baseUrl, known.pinned ? `${dialect.label}, with the key in the ${headerName(auth)} header` : dialect.label);
    }
    if (!known.pinned || changed) {
      void this.store(baseUrl, { generation: dialect.id, auth, listsSeen: this.listsSeen.has(baseUrl) });
    }
  }

  /**
   * A list arrived as a bare array or as a page. Among dialects with the same routes, the one
   * whose lists look like this wins: that tells G1 from G1p without a request.
   */
  observeLists(baseUrl: string, shape: 'array' | 'page'): void {
    const known = this.known.get(baseUrl);
    if (!known || known.pinned || this.listsSeen.has(baseUrl)) {
      return;
    }
    this.listsSeen.add(baseUrl);
    const better = choose(known.dialect.signature.routes, known.auth, shape);
    const detected = { ...known, dialect: better };
    this.known.set(baseUrl, detected);
    if (better.id !== known.dialect.id) {
      this.say(baseUrl, `${better.label}, from the shape of its lists`);
    }
    void this.store(baseUrl, { generation: better.id, auth: detected.auth, listsSeen: true });
  }

  private pinned(): Dialect | undefined {
    const setting = this.options.setting();
    return setting === 'auto' ? undefined : DIALECTS.find((candidate) => candidate.id === setting);
  }

  private probeOnce(baseUrl: string, signal?: AbortSignal): Promise<Detected> {
    const running = this.inFlight.get(baseUrl);
    if (running) {
      return running;
    }
    // The probe is shared by every caller, so one caller giving up must not abort it.
    const probing = this.probe(baseUrl).finally(() => this.inFlight.delete(baseUrl));
    this.inFlight.set(baseUrl, probing);
    return signal ? raceAbort(probing, signal) : probing;
  }

  private async probe(baseUrl: string): Promise<Detected> {
    const first = this.remembered(baseUrl)?.auth ?? newest().signature.auth;
    let refused: RetabError | undefined;
    for (const auth of [first, otherScheme(first)]) {
      const outcome = await this.options.probe(auth);
      if (outcome instanceof RetabError) {
        refused = outcome;
        continue;
      }
      const dialect = choose(outcome, auth, undefined);
      const detected: Detected = { dialect, auth, authConfirmed: true, pinned: false };
      this.known.set(baseUrl, detected);
      this.say(baseUrl, dialect.signature.routes === 'nested' ? `${dialect.label} until its lists tell G1 from G1p` : dialect.label);
      void this.store(baseUrl, { generation: dialect.id, auth, listsSeen: false });
      return detected;
    }
    throw new RetabError(
      'auth',
      l10n.t('The Retab API rejected the API key (sent in the Authorization: Bearer header, then in the Api-Key header): {0}', refused?.message ?? ''),
      {
        status: refused?.status ?? 401,
        requestId: refused?.requestId,
      },
    );
  }

  private say(baseUrl: string, what: string): void {
    if (this.logged.get(baseUrl) === what) {
      return;
    }
    this.logged.set(baseUrl, what);
    this.options.log?.(`Retab API at ${baseUrl} speaks ${what}.`);
  }

  private remembered(baseUrl: string): Remembered | undefined {
    const all = this.options.storage?.get<Record<string, Remembered>>(STORAGE_KEY);
    const entry = all && Object.hasOwn(all, baseUrl) ? all[baseUrl] : undefined;
    if (!entry || typeof entry.generation !== 'string' || (entry.auth !== 'bearer' && entry.auth !== 'api-key')) {
      return undefined;
    }
    return { generation: entry.generation, auth: entry.auth, listsSeen: entry.listsSeen === true };
  }

  private async store(baseUrl: string, entry: Remembered | undefined): Promise<void> {
    const storage = this.options.storage;
    if (!storage) {
      return;
    }
    const all = { ...(storage.get<Record<string, Remembered>>(STORAGE_KEY) ?? {}) };
    delete all[baseUrl];
    if (entry) {
      all[baseUrl] = entry;
    }
    const keys = Object.keys(all);
    for (const old of keys.slice(0, Math.max(0, keys.length - MAX_REMEMBERED))) {
      delete all[old];
    }
    try {
      await storage.update(STORAGE_KEY, all);
    } catch {
      // Remembering only saves a probe next session; failing to is not worth an error.
    }
  }
}

function newest(): Dialect {
  return DIALECTS[DIALECTS.length - 1];
}

/**
 * The dialect for what was seen: same routes first, then the header that worked, then the list
 * shape when known; among equals the newest, since servers only move forward.
 */
function choose(routes: RouteFamily, auth: AuthScheme, lists: 'array' | 'page' | undefined): Dialect {
  const score = (dialect: Dialect): number =>
    (dialect.signature.routes === routes ? 4 : 0) +
    (dialect.signature.auth === auth ? 2 : 0) +
    (lists === undefined || dialect.signature.lists === lists ? 1 : 0);
  let best = DIALECTS[0];
  for (const dialect of DIALECTS) {
    if (score(dialect) >= score(best)) {
      best = dialect;
    }
  }
  return best;
}

/** One caller giving up rejects its own wait, not the shared probe. */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return abortable(promise, signal).catch((caught: unknown) => {
    throw signal.aborted ? new RetabError('cancelled', l10n.t('The request was cancelled.')) : caught;
  });
}
