import * as assert from 'node:assert/strict';
import { RetabClient } from '../../src/api/client';
import { RetabError } from '../../src/api/errors';
import { Job } from '../../src/api/models';
import { RetabRepository } from '../../src/data/repository';
import { Sandbox, startSandbox } from '../sandbox/server';
import { LocalServer, sendJson, startLocalServer } from './support/localServer';
import { flatResult, minimalNestedJob, nestedContent, page } from './support/wireBuilders';

const BIG = { workflowId: 'wf_big', experimentId: 'exp_big', runId: 'exprun_big_1' };

/** What Retab's SDKs do: follow `list_metadata.after` one page of 100 at a time. */
async function readSequentially(sandbox: Sandbox, runId: string): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  do {
    const query = new URLSearchParams({ run_id: runId, limit: '100', ...(after ? { after } : {}) });
    const response = await fetch(`${sandbox.url}/workflows/experiments/results?${query}`, { headers: sandbox.authHeaders() });
    const body = (await response.json()) as { data: Array<{ document_id: string }>; list_metadata: { after: string | null } };
    ids.push(...body.data.map((result) => result.document_id));
    after = body.list_metadata.after;
  } while (after);
  return ids;
}

function flatClient(url: string, key = 'sk_unit'): RetabClient {
  return new RetabClient({ baseUrl: () => url, apiKey: async () => key, generation: () => 'g3', retry: { baseDelayMs: 5, maxDelayMs: 20 } });
}

function resultsOf(count: number): unknown[] {
  return Array.from({ length: count }, (_, index) => flatResult({ id: `expresult_${index}`, document_id: `expdoc_${String(index).padStart(4, '0')}` }));
}

describe('Reading a big run', () => {
  describe('against the sandbox (G3)', () => {
    let sandbox: Sandbox;
    before(async () => {
      sandbox = await startSandbox({ api: 'g3' });
    });
    after(async () => sandbox.close());
    beforeEach(() => sandbox.reset());

    it('reads from both ends at once and gives every document once, in the order one cursor gives', async () => {
      const expected = await readSequentially(sandbox, BIG.runId);
      sandbox.reset();
      const client = new RetabClient({ baseUrl: () => sandbox.url, apiKey: async () => sandbox.apiKey });
      await client.dialect();
      const mark = sandbox.requests().length;
      const content = await client.getRunContent(BIG.workflowId, BIG.experimentId, BIG.runId);
      assert.deepEqual(
        content.jobs.map((job) => job.documentId),
        expected,
      );
      const pages = sandbox.requests().slice(mark);
      const fromEnd = pages.filter((request) => request.query.order === 'desc');
      const fromStart = pages.filter((request) => request.query.order === undefined);
      assert.equal(expected.length, 5000);
      // 50 pages in all: each cursor reads about half, plus at most one page each past the middle.
      assert.ok(fromEnd.length >= 24 && fromEnd.length <= 27, `${fromEnd.length} pages from the end`);
      assert.ok(fromStart.length >= 24 && fromStart.length <= 27, `${fromStart.length} pages from the start`);
      assert.equal(content.truncated, false);
    });

    it('hands out the first page from the start before the rest is read', async () => {
      const client = new RetabClient({ baseUrl: () => sandbox.url, apiKey: async () => sandbox.apiKey });
      await client.dialect();
      const mark = sandbox.requests().length;
      let requestsAtFirst: number | undefined;
      let firstIds: string[] = [];
      await client.getRunContent(BIG.workflowId, BIG.experimentId, BIG.runId, {
        onJobs: (jobs, from) => {
          if (requestsAtFirst === undefined && from === 'start') {
            requestsAtFirst = sandbox.requests().length - mark;
            firstIds = jobs.map((job) => job.documentId);
          }
        },
      });
      assert.ok(requestsAtFirst !== undefined && requestsAtFirst <= 2, `first rows after ${requestsAtFirst} requests`);
      assert.equal(firstIds[0], 'expdoc_big_0001');
      assert.equal(firstIds.length, 100);
    });

    it('shares one read between callers, and stops when the last one gives up', async () => {
      const repository = new RetabRepository(new RetabClient({ baseUrl: () => sandbox.url, apiKey: async () => sandbox.apiKey }));
      await repository.dialect();
      sandbox.setFaults({ latencyMs: 30, pathFilter: '/results' });
      const first = new AbortController();
      const second = new AbortController();
      const reading = repository.readRunContent(BIG.workflowId, BIG.experimentId, BIG.runId, { signal: first.signal });
      const joined = repository.readRunContent(BIG.workflowId, BIG.experimentId, BIG.runId, { signal: second.signal });
      assert.equal(joined, reading, 'the second caller joins the read');
      await new Promise<void>((resolve) => {
        const subscription = reading.onDidRead(({ read }) => {
          if (read >= 200) {
            subscription.dispose();
            resolve();
          }
        });
      });
      first.abort();
      assert.equal(reading.stopped, false, 'one caller still wants it');
      second.abort();
      await assert.rejects(reading.content, (caught: unknown) => caught instanceof RetabError && caught.kind === 'cancelled');
      const afterStop = sandbox.requests().filter((request) => request.path.endsWith('/results')).length;
      await new Promise((resolve) => setTimeout(resolve, 150));
      assert.equal(sandbox.requests().filter((request) => request.path.endsWith('/results')).length, afterStop, 'no page asked after the stop');
      assert.ok(afterStop < 50, `${afterStop} pages before the stop`);
      const again = repository.readRunContent(BIG.workflowId, BIG.experimentId, BIG.runId);
      assert.notEqual(again, reading, 'a stopped read is not joined: a new one starts');
      assert.equal((await again.content).jobs.length, 5000);
    });
  });

  describe('on a nested server (G1), whose run is one answer', () => {
    let sandbox: Sandbox;
    before(async () => {
      sandbox = await startSandbox({ api: 'g1' });
    });
    after(async () => sandbox.close());

    it('hands out the first jobs while the answer is still being parsed, each job once, in order', async () => {
      const client = new RetabClient({ baseUrl: () => sandbox.url, apiKey: async () => sandbox.apiKey, generation: () => 'g1' });
      const batches: string[][] = [];
      let settled = false;
      let batchesBeforeSettled = 0;
      const reading = client.getRunContent(BIG.workflowId, BIG.experimentId, BIG.runId, {
        onJobs: (jobs, from) => {
          assert.equal(from, 'start');
          batches.push(jobs.map((job) => job.documentId));
          if (!settled) {
            batchesBeforeSettled++;
          }
        },
      });
      const content = await reading;
      settled = true;
      const handedOut = batches.flat();
      assert.equal(content.jobs.length, 5000);
      assert.deepEqual(
        handedOut,
        content.jobs.map((job) => job.documentId),
        'every job once, in the answer’s order',
      );
      assert.ok(batches.length > 3 && batchesBeforeSettled === batches.length, `${batches.length} batches`);
      assert.ok(batches[0].length < 1000, `the first batch is ${batches[0].length} jobs, not the whole run`);
    });
  });

  describe('against servers that do not play along', () => {
    let server: LocalServer | undefined;
    afterEach(async () => {
      await server?.close();
      server = undefined;
    });

    it('reads from the start alone when the server ignores order=desc', async () => {
      const results = resultsOf(250);
      server = await startLocalServer((request, response) => {
        const url = new URL(request.url ?? '/', 'http://x');
        const after = Number(url.searchParams.get('after') ?? '0');
        const next = after + 100 < results.length ? String(after + 100) : null;
        sendJson(response, 200, page(results.slice(after, after + 100), next));
      });
      const content = await flatClient(server.url).getRunContent('wf_a', 'exp_a', 'exprun_a');
      assert.deepEqual(
        content.jobs.map((job: Job) => job.documentId),
        Array.from({ length: 250 }, (_, index) => `expdoc_${String(index).padStart(4, '0')}`),
      );
      // One page from the end was asked, found to be the start, and dropped: 3 pages + that one.
      assert.equal(server.requests.length, 4);
    });

    it('asks a run known to fit in one page once, and its end only once the start says there is more', async () => {
      let results = resultsOf(40);
      server = await startLocalServer((request, response) => {
        const url = new URL(request.url ?? '/', 'http://x');
        const desc = url.searchParams.get('order') === 'desc';
        const after = Number(url.searchParams.get('after') ?? '0');
        const list = desc ? [...results].reverse() : results;
        const next = after + 100 < list.length ? String(after + 100) : null;
        sendJson(response, 200, page(list.slice(after, after + 100), next));
      });
      const client = flatClient(server.url);
      assert.equal((await client.getRunContent('wf_a', 'exp_a', 'exprun_a', { sizeHint: 40 })).jobs.length, 40);
      assert.equal(server.requests.length, 1, 'one page, asked once');
      results = resultsOf(250);
      server.requests.length = 0;
      const content = await client.getRunContent('wf_a', 'exp_a', 'exprun_a', { sizeHint: 40 });
      assert.equal(content.jobs.length, 250, 'a size hint that was wrong costs time, not documents');
      assert.ok(server.requests.some((request) => request.url.includes('order=desc')));
    });

    it('stops on a cursor that loops, and on a server that never ends, within the page bound', async () => {
      const results = resultsOf(100);
      server = await startLocalServer((request, response) => {
        const url = new URL(request.url ?? '/', 'http://x');
        const desc = url.searchParams.get('order') === 'desc';
        // Every page says there is another, with a new cursor each time, and sends the same items.
        const count = server?.requests.length ?? 0;
        sendJson(response, 200, page(desc ? [...results].reverse() : results, `cursor_${count}`));
      });
      const content = await flatClient(server.url).getRunContent('wf_a', 'exp_a', 'exprun_a');
      assert.equal(new Set(content.jobs.map((job) => job.documentId)).size, content.jobs.length, 'each document once');
      assert.equal(content.jobs.length, 100);
      assert.ok(server.requests.length <= 4, `${server.requests.length} requests`);
    });

    it('fails the read when a page fails for good, and says so', async () => {
      server = await startLocalServer((request, response) => {
        const url = new URL(request.url ?? '/', 'http://x');
        if (url.searchParams.get('after') === 'two') {
          sendJson(response, 404, { detail: 'gone' });
          return;
        }
        sendJson(response, 200, page(resultsOf(100), 'two'));
      });
      await assert.rejects(flatClient(server.url).getRunContent('wf_a', 'exp_a', 'exprun_a'), (caught: unknown) => caught instanceof RetabError);
    });

    it('names the first wrong job of a one-answer run read as it is parsed, and says nothing of invalid JSON', async () => {
      const jobs = Array.from({ length: 4000 }, (_, index) =>
        minimalNestedJob({ document_id: `expdoc_${index}`, status: index === 3500 ? 42 : 'completed', notes: 'x'.repeat(300) }),
      );
      server = await startLocalServer((_request, response) => sendJson(response, 200, nestedContent(jobs)));
      const url = server.url;
      const client = new RetabClient({ baseUrl: () => url, apiKey: async () => 'k', generation: () => 'g1' });
      let handedOut = 0;
      await assert.rejects(
        client.getRunContent('wf_a', 'exp_a', 'exprun_a', { onJobs: (batch) => (handedOut += batch.length) }),
        (caught: unknown) => caught instanceof RetabError && caught.kind === 'invalid_response' && caught.field === 'response.content.jobs[3500].status',
      );
      assert.ok(handedOut > 0 && handedOut <= 3500, `${handedOut} jobs handed out before the wrong one`);
    });
  });
});
