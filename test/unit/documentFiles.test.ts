import * as assert from 'node:assert/strict';
import { RetabClient } from '../../src/api/client';
import { RetabRepository } from '../../src/data/repository';
import { Sandbox, startSandbox } from '../sandbox/server';

/** A job's input file and its extraction's sources, through the repository, over the sandbox (G3). */
describe('document files and sources', () => {
  let sandbox: Sandbox;

  before(async () => {
    sandbox = await startSandbox({ api: 'g3' });
  });
  after(async () => {
    await sandbox.close();
  });
  beforeEach(() => sandbox.reset());

  function repository(base = sandbox.url): RetabRepository {
    const client = new RetabClient({ baseUrl: () => base, apiKey: async () => sandbox.apiKey, fetch: (input, init) => fetch(input, init) });
    return new RetabRepository(client);
  }

  async function firstJobOf(repo: RetabRepository, documentId: string) {
    const content = await repo.getRunContent('wf_invoices', 'exp_invoices_v2', 'exprun_inv_6');
    const job = content.jobs.find((candidate) => candidate.documentId === documentId);
    assert.ok(job);
    return job;
  }

  it('reads the record, then the signed link, then the bytes from the other origin, once a session', async () => {
    const repo = repository();
    const job = await firstJobOf(repo, 'expdoc_inv_001');
    const fileId = job.handleInputs[0].fileId;
    assert.ok(fileId);
    const progress: number[] = [];
    const file = await repo.files.getFile(fileId, { onProgress: (received) => progress.push(received) });
    assert.equal(Buffer.from(file.bytes.subarray(0, 5)).toString('latin1'), '%PDF-');
    assert.equal(file.record.pageCount, 2);
    assert.equal(file.mimeType, 'application/pdf');
    assert.ok(progress.length > 0 && progress.at(-1) === file.bytes.byteLength);
    const apiRequests = sandbox.requests().filter((request) => request.path.startsWith('/v1/files/'));
    assert.deepEqual(
      apiRequests.map((request) => request.path),
      [`/v1/files/${fileId}`, `/v1/files/${fileId}/download-link`],
    );
    assert.equal(sandbox.downloads().length, 1);
    assert.ok(sandbox.downloads().every((request) => !request.carriedKey));

    await repo.files.getFile(fileId);
    assert.equal(sandbox.downloads().length, 1, 'a file fetched this session is not fetched again');
    assert.ok(repo.files.peek(fileId));
  });

  it('keeps the cache within its bound', async () => {
    const repo = repository();
    const content = await repo.getRunContent('wf_invoices', 'exp_invoices_v2', 'exprun_inv_6');
    const ids = content.jobs.map((job) => job.handleInputs[0].fileId).filter((id): id is string => id !== null && id !== undefined);
    for (const id of ids.slice(0, 20).filter((_, index) => index !== 7 && index !== 8)) {
      await repo.files.getFile(id);
    }
    assert.equal([ids[0]].filter((id) => repo.files.peek(id)).length, 0, 'the oldest of 18 files was let go');
    assert.ok(repo.files.cachedBytes > 0);
  });

  it('refuses a file over the cap with a plain message', async () => {
    const repo = repository();
    const job = await firstJobOf(repo, 'expdoc_inv_009');
    const fileId = job.handleInputs[0].fileId ?? '';
    await assert.rejects(repo.files.getFile(fileId), (error: Error) => /60 MB, more than the 50 MB the panel shows/.test(error.message));
  });

  it('gives each value its box, and a server without sources says so once', async () => {
    const repo = repository();
    const job = await firstJobOf(repo, 'expdoc_inv_001');
    const result = await repo.files.getSources(job.artifact?.id ?? '');
    assert.equal(result.kind, 'sources');
    if (result.kind === 'sources') {
      const total = result.sources.fields.get('invoice.total');
      assert.equal(total?.box?.kind, 'pdf_bbox');
      assert.ok(total?.box && total.box.page >= 1 && total.box.page <= 2 && total.box.width > 0);
      assert.ok(result.sources.fields.has('line_items.1.amount'));
    }

    const without = await startSandbox({ api: 'g3', sources: false });
    try {
      const client = new RetabClient({ baseUrl: () => without.url, apiKey: async () => without.apiKey, fetch: (input, init) => fetch(input, init) });
      const other = new RetabRepository(client);
      const first = await other.files.getSources(job.artifact?.id ?? '');
      const second = await other.files.getSources('ext_other');
      assert.equal(first.kind, 'unavailable');
      assert.equal(second.kind, 'unavailable');
      assert.equal(without.requests().filter((request) => request.path.endsWith('/sources')).length, 1, 'asked once');
      // The missing route is not taken for a sign of another generation: the first detection's probe is the only one.
      assert.equal(without.requests().filter((request) => request.path === '/v1/workflows/experiments').length, 1);
    } finally {
      await without.close();
    }
  });

  it('says plainly when a file input names no file', async () => {
    // G1 keeps the seed's `{type: 'file', filename}` for fixture documents.
    const g1 = await startSandbox({ api: 'g1' });
    try {
      const client = new RetabClient({ baseUrl: () => g1.url, apiKey: async () => g1.apiKey, fetch: (input, init) => fetch(input, init) });
      const repo = new RetabRepository(client);
      const content = await repo.getRunContent('wf_invoices', 'exp_invoices_v2', 'exprun_inv_6');
      const input = content.jobs.find((job) => job.documentId === 'expdoc_inv_001')?.handleInputs[0];
      assert.equal(input?.filename, 'invoice_q1.pdf');
      assert.equal(input?.fileId, null);
    } finally {
      await g1.close();
    }
  });
});
