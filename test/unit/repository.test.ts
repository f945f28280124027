import * as assert from 'node:assert/strict';
import { RetabClient } from '../../src/api/client';
import { JobLocator } from '../../src/data/locator';
import { RetabRepository } from '../../src/data/repository';
import { KeyValueStorage, SnapshotStore } from '../../src/data/snapshotStore';
import { LocalServer, sendJson, startLocalServer } from './support/localServer';
import {
  IDS,
  IDS_REF,
  minimalNestedExperiment,
  minimalNestedJob,
  minimalNestedRun,
  minimalWorkflow,
  nestedContent,
  nestedRunList,
  page,
} from './support/wireBuilders';

const REF = IDS_REF;

function job(status: string, documentId: string = IDS.document) {
  return minimalNestedJob({ status, document_id: documentId });
}

describe('RetabRepository', () => {
  let server: LocalServer | undefined;
  let jobStatus = 'completed';
  let client: RetabClient | undefined;

  async function repository(): Promise<RetabRepository> {
    server = await startLocalServer((request, response) => {
      const path = new URL(request.url ?? '', 'http://x').pathname;
      if (path.endsWith('/runs')) {
        sendJson(response, 200, nestedRunList([minimalNestedRun({ created_at: '2026-01-01T00:00:00Z' })]));
      } else if (path.endsWith('/content')) {
        sendJson(response, 200, nestedContent([job('completed'), job('error', 'expdoc_e')]));
      } else if (path.endsWith('/experiments')) {
        sendJson(response, 200, [minimalNestedExperiment({ name: 'B' })]);
      } else if (path.endsWith('/workflows')) {
        sendJson(response, 200, page([minimalWorkflow()]));
      } else {
        sendJson(response, 200, job(jobStatus));
      }
    });
    const url = server.url;
    // The caching under test is the same in every generation; the seed's keeps the fake small.
    client = new RetabClient({ baseUrl: () => url, apiKey: async () => 'k', fetch: (input, init) => fetch(input, init), generation: () => 'g1' });
    return new RetabRepository(client);
  }

  afterEach(async () => {
    await server?.close();
    server = undefined;
    jobStatus = 'completed';
  });

  it('serves finished jobs from memory and fetches running ones every time', async () => {
    const repo = await repository();
    await repo.getJob(REF);
    await repo.getJob(REF);
    assert.equal(server?.requests.length, 1);
    jobStatus = 'running';
    const running = { ...REF, documentId: 'expdoc_r' };
    await repo.getJob(running);
    await repo.getJob(running);
    assert.equal(server?.requests.length, 3);
  });

  it('always asks the server when forced', async () => {
    const repo = await repository();
    await repo.getJob(REF);
    await repo.getJob(REF, { force: true });
    assert.equal(server?.requests.length, 2);
  });

  it('keeps a finished run’s content and forgets it on refresh', async () => {
    const repo = await repository();
    await repo.listRuns('wf_a', 'exp_b');
    await repo.getRunContent('wf_a', 'exp_b', 'exprun_c');
    await repo.getRunContent('wf_a', 'exp_b', 'exprun_c');
    assert.equal(server?.requests.length, 2);
    repo.invalidateLists();
    await repo.getRunContent('wf_a', 'exp_b', 'exprun_c');
    assert.equal(server?.requests.length, 3);
  });

  it('places ids it has seen without asking the server', async () => {
    const repo = await repository();
    await repo.listExperiments('wf_a');
    await repo.listRuns('wf_a', 'exp_b');
    await repo.getRunContent('wf_a', 'exp_b', 'exprun_c');
    const before = server?.requests.length;
    const locator = new JobLocator(repo);
    assert.deepEqual(locator.completeFromMemory({ documentId: 'expdoc_e' }), { ...REF, documentId: 'expdoc_e' });
    assert.deepEqual(locator.completeFromMemory({ jobId: 'expjob_expdoc_d' }), { ...REF, jobId: 'expjob_expdoc_d' });
    assert.deepEqual(locator.completeFromMemory({ runId: 'exprun_c' }), { workflowId: 'wf_a', experimentId: 'exp_b', runId: 'exprun_c' });
    assert.equal(server?.requests.length, before);
  });

  it('falls back to the saved lists when the server is unreachable, and says so', async () => {
    const stored = new Map<string, unknown>();
    const storage: KeyValueStorage = {
      get: <T>(key: string) => stored.get(key) as T | undefined,
      update: async (key, value) => {
        stored.set(key, value);
      },
    };
    await repository();
    const url = server?.url ?? '';
    const snapshots = new SnapshotStore(storage, () => url);
    assert.ok(client);
    const online = new RetabRepository(client, snapshots);
    await online.listWorkflows(undefined);
    await online.listExperiments('wf_a');
    await snapshots.flush();
    await server?.close();
    server = undefined;

    // A new window: fresh memory, the saved snapshot, and no server.
    const offline = new RetabRepository(
      new RetabClient({
        baseUrl: () => url,
        apiKey: async () => 'k',
        fetch: (input, init) => fetch(input, init),
        retry: { maxAttempts: 1 },
        generation: () => 'g1',
      }),
      new SnapshotStore(storage, () => url),
    );
    const page = await offline.listWorkflows(undefined);
    assert.equal(page.workflows[0].id, 'wf_a');
    assert.equal(offline.offline?.error.kind, 'network');
    assert.equal((await offline.listExperiments('wf_a'))[0].id, 'exp_b');
    await assert.rejects(offline.listRuns('wf_a', 'exp_b'), (error: Error & { kind?: string }) => error.kind === 'network');
    assert.ok(!JSON.stringify([...stored.values()]).includes('"k"'), 'the key is never stored');
  });
});
