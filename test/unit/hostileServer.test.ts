import * as assert from 'node:assert/strict';
import * as zlib from 'node:zlib';
import { RetabClient, RetabClientOptions } from '../../src/api/client';
import { RequestRecord } from '../../src/api/requestLog';
import { parseRetryAfter } from '../../src/api/transport';
import { LocalServer, sendJson, startLocalServer } from './support/localServer';
import { rejection } from './support/rejection';
import { minimalWorkflow, page } from './support/wireBuilders';

const KEY = 'sk_hostile_test_key_987';
const WORKFLOWS = page([minimalWorkflow()]);

/**
 * A hostile server, tried as an attacker would: each test fails without its fix. Servers are on
 * loopback; every loop is bounded. `useNodeFetch` exercises the production fetch (node-fetch with
 * decompression done by the transport, so both byte counts are capped).
 */
describe('against a hostile server', function () {
  this.timeout(60_000);
  const servers: LocalServer[] = [];
  const records: RequestRecord[] = [];

  async function server(handler: Parameters<typeof startLocalServer>[0]): Promise<LocalServer> {
    const started = await startLocalServer(handler);
    servers.push(started);
    return started;
  }

  function client(url: string, options: Partial<RetabClientOptions> = {}): RetabClient {
    return new RetabClient({
      baseUrl: () => url,
      apiKey: async () => KEY,
      generation: () => 'g3',
      onRequest: (record) => records.push(record),
      retry: { baseDelayMs: 5, maxDelayMs: 20 },
      ...options,
    });
  }

  afterEach(async () => {
    await Promise.all(servers.splice(0).map((started) => started.close()));
    records.length = 0;
  });

  describe('redirects', () => {
    it('refuses a redirect to another origin, naming it, and the key never arrives there', async () => {
      const elsewhere = await server((_request, response) => sendJson(response, 200, WORKFLOWS));
      const api = await server((_request, response) => {
        response.writeHead(302, { location: `${elsewhere.url}/workflows` });
        response.end();
      });
      const error = await rejection(client(api.url).listWorkflows());
      assert.equal(error.kind, 'redirect');
      assert.ok(error.message.includes(new URL(elsewhere.url).host), error.message);
      assert.equal(elsewhere.requests.length, 0);
    });

    it('follows a same-origin redirect of a GET, with the URL policy checked again', async () => {
      const api = await server((request, response) => {
        if (request.url?.startsWith('/v1/workflows?')) {
          response.writeHead(307, { location: '/v1/moved/workflows' });
          response.end();
        } else {
          sendJson(response, 200, WORKFLOWS);
        }
      });
      const page = await client(api.url).listWorkflows();
      assert.equal(page.workflows[0].id, 'wf_a');
      assert.equal(api.requests[1].url, '/v1/moved/workflows');
    });

    it('never sends a POST again after a redirect', async () => {
      const api = await server((_request, response) => {
        response.writeHead(307, { location: '/v1/workflows/experiments/runs-again' });
        response.end();
      });
      const error = await rejection(client(api.url).startRun('wf_a', 'exp_b'));
      assert.equal(error.kind, 'redirect');
      assert.equal(api.requests.length, 1);
    });

    it('stops a redirect loop', async () => {
      const api = await server((_request, response) => {
        response.writeHead(302, { location: '/v1/workflows' });
        response.end();
      });
      const error = await rejection(client(api.url).listWorkflows());
      assert.equal(error.kind, 'redirect');
      assert.ok(api.requests.length <= 4);
    });
  });

  it('redacts a key the server echoes in its message and request id, in errors and the log', async () => {
    const api = await server((_request, response) => sendJson(response, 400, { detail: `bad key ${KEY} given` }, { 'x-request-id': `req_${KEY}` }));
    const error = await rejection(client(api.url).listWorkflows());
    assert.ok(!error.message.includes(KEY), error.message);
    assert.ok(!String(error.requestId).includes(KEY));
    assert.ok(error.message.includes('[redacted]'));
    assert.ok(!JSON.stringify(records).includes(KEY));
  });

  describe('body size', () => {
    it('stops a gzip bomb at the cap without inflating it, and says so (node-fetch)', async () => {
      // 1 GB of zeros compresses to about 1 MB: written once, streamed to every request.
      const bomb = zlib.gzipSync(Buffer.alloc(1024 * 1024 * 1024), { level: 9 });
      const api = await server((_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
        response.end(bomb);
      });
      const before = process.memoryUsage().rss;
      const error = await rejection(client(api.url, { fetch: undefined }).listWorkflows());
      const grown = process.memoryUsage().rss - before;
      assert.equal(error.kind, 'too_large');
      assert.ok(grown < 300 * 1024 * 1024, `rss grew by ${Math.round(grown / 1024 / 1024)} MB`);
      assert.equal(api.requests.length, 1, 'too large is not retried');
    });

    it('stops an endless body at the cap', async () => {
      let writes = 0;
      const api = await server((_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        const pump = (): void => {
          while (writes < 10_000 && response.write(chunk)) {
            writes++;
          }
          if (writes < 10_000) {
            response.once('drain', pump);
          }
        };
        response.write('{"data":[');
        pump();
      });
      const error = await rejection(client(api.url).listWorkflows());
      assert.equal(error.kind, 'too_large');
      assert.ok(writes < 10_000, 'the extension stopped reading long before the server stopped writing');
    });
  });

  describe('Retry-After', () => {
    it('reads delta-seconds and HTTP dates; missing or blank is no hint', () => {
      const now = Date.parse('2026-11-29T10:00:00Z');
      assert.equal(parseRetryAfter('7', now), 7);
      assert.equal(parseRetryAfter('Sun, 29 Nov 2026 10:00:30 GMT', now), 30);
      assert.equal(parseRetryAfter('', now), undefined);
      assert.equal(parseRetryAfter('   ', now), undefined);
      assert.equal(parseRetryAfter(null, now), undefined);
      assert.equal(parseRetryAfter('soon', now), undefined);
    });

    it('backs off when the header is blank instead of retrying at once', async () => {
      const times: number[] = [];
      const api = await server((_request, response) => {
        times.push(Date.now());
        sendJson(response, 503, { detail: 'busy' }, { 'retry-after': '' });
      });
      await rejection(client(api.url, { retry: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 20 } }).listWorkflows());
      assert.equal(times.length, 2);
      assert.ok(times[1] - times[0] >= 190, `the first retry waited ${times[1] - times[0]} ms`);
    });

    it('gives up at once, with a message, when the hint is beyond the cap', async () => {
      const api = await server((_request, response) => sendJson(response, 429, { detail: 'rate limited' }, { 'retry-after': '2147484' }));
      const started = Date.now();
      const error = await rejection(client(api.url).listWorkflows());
      assert.ok(Date.now() - started < 5_000);
      assert.equal(api.requests.length, 1);
      assert.match(error.message, /wait 59\d h/);
      assert.equal(error.retryAfterSeconds, 2147484);
    });
  });

  it('reports a bug in our own code as internal, not as an unreachable server', async () => {
    const api = await server((_request, response) => sendJson(response, 200, WORKFLOWS));
    const broken = client(api.url);
    // A parse function that throws a TypeError stands for any bug of ours on the response path.
    const error = await rejection(
      (broken as unknown as { call: (build: () => unknown) => Promise<unknown> }).call(() => ({
        method: 'GET',
        path: '/workflows',
        parse: () => (undefined as unknown as { x: () => void }).x(),
      })),
    );
    assert.equal(error.kind, 'internal');
    assert.doesNotMatch(error.message, /reach/);
  });
});
