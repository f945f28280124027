import * as assert from 'node:assert/strict';
import { RetabClient, RetabClientOptions } from '../../src/api/client';
import { RetabError } from '../../src/api/errors';
import { RequestRecord } from '../../src/api/requestLog';
import { LocalServer, sendJson, startLocalServer } from './support/localServer';
import { rejection } from './support/rejection';
import { SEED_JOB, seedJobs, seedRunContent } from './support/seedJob';
import { minimalWorkflow, nestedRunList, page } from './support/wireBuilders';

const KEY = 'sk_unit_secret_123';

const REF = { workflowId: 'wf_abc123', experimentId: 'exp_abc', runId: 'exprun_1', documentId: 'expdoc_xyz' };

describe('RetabClient over HTTP', () => {
  let server: LocalServer | undefined;
  const records: RequestRecord[] = [];

  function client(url: string, options: Partial<RetabClientOptions> = {}): RetabClient {
    return new RetabClient({
      baseUrl: () => url,
      apiKey: async () => KEY,
      fetch: (input, init) => fetch(input, init),
      onRequest: (record) => records.push(record),
      retry: { baseDelayMs: 5, maxDelayMs: 20 },
      // These tests are about the transport under the seed's generation; detection has its own.
      generation: () => 'g1',
      ...options,
    });
  }

  afterEach(async () => {
    await server?.close();
    server = undefined;
    records.length = 0;
  });

  it('gets the seed job with the key in the Api-Key header only', async () => {
    server = await startLocalServer((_request, response) => sendJson(response, 200, SEED_JOB));
    const job = await client(server.url).getJobByDocument(REF);
    assert.equal(job.id, 'expjob_1');
    assert.equal(job.status, 'completed');
    assert.deepEqual(job.artifact, { operation: 'extraction', id: 'ext_xyz' });
    assert.equal(job.handleInputs[0].filename, 'invoice_q1.pdf');
    const request = server.requests[0];
    assert.equal(request.url, '/v1/workflows/wf_abc123/experiments/exp_abc/runs/exprun_1/documents/expdoc_xyz');
    assert.equal(request.headers['api-key'], KEY);
    assert.ok(!request.url.includes(KEY));
    assert.equal(records[0].status, 200);
    assert.equal(records[0].requestId, 'req_test_1');
    assert.ok(!JSON.stringify(records).includes(KEY));
  });

  it('uses node-fetch when no fetch is given', async () => {
    server = await startLocalServer((_request, response) => sendJson(response, 200, SEED_JOB));
    const api = new RetabClient({ baseUrl: () => server?.url ?? '', apiKey: async () => KEY, generation: () => 'g1' });
    assert.equal((await api.getJobByDocument(REF)).documentId, 'expdoc_xyz');
    assert.equal(server.requests[0].headers['api-key'], KEY);
  });

  it('applies documented defaults and keeps unknown fields', async () => {
    const minimal = { ...SEED_JOB, future_field: { nested: true } } as Record<string, unknown>;
    delete minimal.attempt;
    delete minimal.is_placeholder;
    delete minimal.artifact;
    server = await startLocalServer((_request, response) => sendJson(response, 200, minimal));
    const job = await client(server.url).getJobByDocument(REF);
    assert.equal(job.attempt, 0);
    assert.equal(job.isPlaceholder, false);
    assert.equal(job.artifact, null);
    assert.deepEqual(job.raw.future_field, { nested: true });
  });

  it('names the field when the shape is wrong', async () => {
    server = await startLocalServer((_request, response) => sendJson(response, 200, { ...SEED_JOB, run_id: 42 }));
    const error = await rejection(client(server.url).getJobByDocument(REF));
    assert.equal(error.kind, 'invalid_response');
    assert.equal(error.field, 'response.run_id');
    assert.equal(error.requestId, 'req_test_1');
  });

  it('maps statuses to kinds with the server message and request id', async () => {
    const cases: Array<[number, unknown, RetabError['kind'], string]> = [
      [401, { detail: 'Invalid API key' }, 'auth', 'Invalid API key'],
      [404, { detail: { code: 'not_found', message: 'No such job' } }, 'not_found', 'No such job'],
      [409, { detail: 'Nothing to retry' }, 'conflict', 'Nothing to retry'],
      [500, { detail: 'boom' }, 'server', 'boom'],
    ];
    for (const [status, body, kind, message] of cases) {
      server = await startLocalServer((_request, response) => sendJson(response, status, body, { 'x-request-id': `req_${status}` }));
      const error = await rejection(client(server.url, { retry: { maxAttempts: 1 } }).getJobByDocument(REF));
      assert.equal(error.kind, kind);
      assert.equal(error.status, status);
      assert.equal(error.message, message);
      assert.equal(error.requestId, `req_${status}`);
      await server.close();
      server = undefined;
    }
  });

  it('retries GETs on 429 honouring Retry-After, then succeeds', async () => {
    let calls = 0;
    server = await startLocalServer((_request, response) => {
      calls++;
      if (calls === 1) {
        sendJson(response, 429, { detail: 'slow down' }, { 'retry-after': '0' });
      } else if (calls === 2) {
        response.writeHead(502, { 'content-type': 'text/html' });
        response.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
      } else {
        sendJson(response, 200, SEED_JOB);
      }
    });
    const job = await client(server.url).getJobByDocument(REF);
    assert.equal(job.id, 'expjob_1');
    assert.equal(calls, 3);
    assert.equal(records.filter((record) => record.outcome === 'retry').length, 2);
  });

  it('reports an HTML error page without its markup', async () => {
    server = await startLocalServer((_request, response) => {
      response.writeHead(502, { 'content-type': 'text/html' });
      response.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
    });
    const error = await rejection(client(server.url, { retry: { maxAttempts: 2 } }).getJobByDocument(REF));
    assert.equal(error.kind, 'server');
    assert.equal(error.status, 502);
    assert.ok(!error.message.includes('<'));
    assert.equal(server.requests.length, 2);
  });

  it('never retries POSTs', async () => {
    server = await startLocalServer((_request, response) => sendJson(response, 503, { detail: 'busy' }));
    const error = await rejection(client(server.url).startRun('wf_a', 'exp_b', { nConsensus: 5 }));
    assert.equal(error.kind, 'server');
    assert.equal(server.requests.length, 1);
  });

  it('times out a body that never ends', async () => {
    server = await startLocalServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"id": "expjob_1", ');
    });
    const started = Date.now();
    const error = await rejection(client(server.url, { timeoutMs: () => 300, retry: { maxAttempts: 1 } }).getJobByDocument(REF));
    assert.equal(error.kind, 'timeout');
    assert.ok(Date.now() - started < 5000);
  });

  it('reads a 5 MB run content with 200,000-character errors', async () => {
    const jobs = seedJobs(2000, { error: 'x'.repeat(2000) });
    jobs[0].error = `Traceback\n${'y'.repeat(200_000)}`;
    const body = seedRunContent(jobs);
    assert.ok(JSON.stringify(body).length > 5_000_000);
    server = await startLocalServer((_request, response) => sendJson(response, 200, body));
    const content = await client(server.url).getRunContent('wf_a', 'exp_abc', 'exprun_1');
    assert.equal(content.jobs.length, 2000);
    assert.equal(content.jobs[0].error?.length, 200_010);
  });

  it('rejects truncated JSON as an invalid response', async () => {
    server = await startLocalServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"id": "expjob_1", "status": "compl');
    });
    const error = await rejection(client(server.url).getJobByDocument(REF));
    assert.equal(error.kind, 'invalid_response');
  });

  it('reports a refused connection as a network error after retrying', async () => {
    server = await startLocalServer(() => undefined);
    const url = server.url;
    await server.close();
    server = undefined;
    const error = await rejection(client(url, { retry: { maxAttempts: 2, baseDelayMs: 1 } }).getJobByDocument(REF));
    assert.equal(error.kind, 'network');
    assert.equal(records.filter((record) => record.outcome === 'retry').length, 1);
  });

  it('cancels a request when its signal aborts', async () => {
    server = await startLocalServer((_request, response) => setTimeout(() => sendJson(response, 200, SEED_JOB), 2000));
    const controller = new AbortController();
    const pending = client(server.url).getJobByDocument(REF, controller.signal);
    setTimeout(() => controller.abort(), 50);
    const error = await rejection(pending);
    assert.equal(error.kind, 'cancelled');
  });

  it('shares identical GETs in flight', async () => {
    server = await startLocalServer((_request, response) => setTimeout(() => sendJson(response, 200, SEED_JOB), 100));
    const api = client(server.url);
    const [first, second] = await Promise.all([api.getJobByDocument(REF), api.getJobByDocument(REF)]);
    assert.equal(first, second);
    assert.equal(server.requests.length, 1);
  });

  it('keeps a shared GET alive while another caller still wants it', async () => {
    server = await startLocalServer((_request, response) => setTimeout(() => sendJson(response, 200, SEED_JOB), 150));
    const api = client(server.url);
    const controller = new AbortController();
    const abandoned = api.getJobByDocument(REF, controller.signal);
    const wanted = api.getJobByDocument(REF);
    controller.abort();
    assert.equal((await rejection(abandoned)).kind, 'cancelled');
    assert.equal((await wanted).id, 'expjob_1');
    assert.equal(server.requests.length, 1);
  });

  it('limits requests in flight', async () => {
    let active = 0;
    let peak = 0;
    server = await startLocalServer((_request, response) => {
      active++;
      peak = Math.max(peak, active);
      setTimeout(() => {
        active--;
        sendJson(response, 200, nestedRunList([]));
      }, 40);
    });
    const api = client(server.url, { maxConcurrentRequests: 3 });
    await Promise.all(Array.from({ length: 10 }, (_, index) => api.listRuns('wf_a', `exp_${index}`)));
    assert.equal(peak, 3);
  });

  it('pages workflows with the after cursor', async () => {
    server = await startLocalServer((request, response) => {
      const after = new URL(request.url ?? '', 'http://x').searchParams.get('after');
      sendJson(response, 200, page([minimalWorkflow({ id: after ? 'wf_2' : 'wf_1', name: after ? 'Second' : null })], after ? null : 'wf_1'));
    });
    const api = client(server.url);
    const first = await api.listWorkflows();
    assert.equal(first.workflows[0].name, 'Untitled Workflow');
    assert.equal(first.nextCursor, 'wf_1');
    const second = await api.listWorkflows({ after: first.nextCursor ?? undefined });
    assert.equal(second.workflows[0].id, 'wf_2');
    assert.equal(second.nextCursor, null);
  });

  it('rejects unsafe ids before any request is made', async () => {
    server = await startLocalServer((_request, response) => sendJson(response, 200, SEED_JOB));
    const api = client(server.url);
    for (const bad of ['../admin', 'a/b', 'exp?x=1', 'exp#frag', 'exp 1', 'exp%2F', '']) {
      const error = await rejection(api.getJobByDocument({ ...REF, experimentId: bad }));
      assert.equal(error.kind, 'invalid_id', bad);
    }
    assert.equal(server.requests.length, 0);
  });

  it('refuses to send the key over plain http to another host', async () => {
    const error = await rejection(client('http://api.example.com/v1').getJobByDocument(REF));
    assert.equal(error.kind, 'insecure_url');
    assert.ok(!error.message.includes(KEY));
  });

  it('reports a missing key without calling the server', async () => {
    server = await startLocalServer((_request, response) => sendJson(response, 200, SEED_JOB));
    const error = await rejection(client(server.url, { apiKey: async () => undefined }).getJobByDocument(REF));
    assert.equal(error.kind, 'no_key');
    assert.equal(server.requests.length, 0);
  });
});
