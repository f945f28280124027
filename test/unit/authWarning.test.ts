import * as assert from 'node:assert/strict';
import { RetabClient } from '../../src/api/client';
import { AuthWarning } from '../../src/ui/auth/authWarning';
import { sendJson, startLocalServer } from './support/localServer';

describe('rejected key warning', () => {
  it('tells the user once for a burst of 401s, and again after the key changed', async () => {
    let shown = 0;
    const warning = new AuthWarning(() => shown++);
    const server = await startLocalServer((_request, response) => sendJson(response, 401, { detail: 'Invalid API key' }));
    try {
      const client = new RetabClient({
        baseUrl: () => server.url,
        apiKey: async () => 'sk_revoked',
        fetch: (input, init) => fetch(input, init),
        onAuthError: () => warning.show(),
      });
      const ref = { workflowId: 'wf_a', experimentId: 'exp_b', runId: 'exprun_c', documentId: 'expdoc_d' };
      const results = await Promise.allSettled([
        client.listWorkflows(),
        client.listRuns('wf_a', 'exp_b'),
        client.getJobByDocument(ref),
        client.listExperiments('wf_a'),
      ]);
      assert.ok(results.every((result) => result.status === 'rejected'));
      // One shared probe, tried with each header once; the key is then known to be wrong.
      assert.deepEqual(
        server.requests.map((request) => (request.headers.authorization ? 'bearer' : request.headers['api-key'] ? 'api-key' : 'none')),
        ['bearer', 'api-key'],
      );
      assert.equal(shown, 1);
      warning.reset();
      await client.listWorkflows().catch(() => undefined);
      assert.equal(shown, 2);
    } finally {
      await server.close();
    }
  });
});
