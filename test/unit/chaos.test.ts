import * as assert from 'node:assert/strict';
import { RetabClient } from '../../src/api/client';
import { Chaos, parseChaosConfig } from '../sandbox/chaos';
import { Sandbox, startSandbox } from '../sandbox/server';

describe('The sandbox’s chaos mode', () => {
  it('is repeatable: the same seed gives each request the same fate, whatever the order', () => {
    const targets = Array.from({ length: 400 }, (_, index) => `/v1/workflows/experiments/results?run_id=r&after=${index}`);
    const first = new Chaos({ seed: 7 });
    const second = new Chaos({ seed: 7 });
    const forward = targets.map((target) => first.draw('GET', target));
    const backward = [...targets].reverse().map((target) => second.draw('GET', target));
    assert.deepEqual(forward, backward.reverse());
    const other = targets.map((target) => new Chaos({ seed: 8 }).draw('GET', target));
    assert.notDeepEqual(forward, other);
    assert.deepEqual(new Chaos({ seed: 7 }).draw('POST', targets[0]), { latencyMs: 0, fault: null }, 'writes are left alone');
  });

  it('breaks requests at the rates it is given', () => {
    const chaos = new Chaos({ seed: 1 });
    const counts = new Map<string, number>();
    let latency = 0;
    const total = 20_000;
    for (let index = 0; index < total; index++) {
      const drawn = chaos.draw('GET', `/v1/x?i=${index}`);
      latency = Math.max(latency, drawn.latencyMs);
      const kind = drawn.fault?.kind ?? 'none';
      counts.set(kind, (counts.get(kind) ?? 0) + 1);
    }
    const rate = (kind: string): number => (counts.get(kind) ?? 0) / total;
    assert.ok(Math.abs(rate('status5xx') - 0.1) < 0.01, `5xx ${rate('status5xx')}`);
    assert.ok(Math.abs(rate('resetMidBody') - 0.03) < 0.005, `resets ${rate('resetMidBody')}`);
    assert.ok(Math.abs(rate('truncatedJson') - 0.02) < 0.005, `truncated ${rate('truncatedJson')}`);
    assert.ok(Math.abs(rate('status429') - 0.02) < 0.005, `429 ${rate('status429')}`);
    assert.ok(latency > 1900 && latency <= 2000, `jitter up to ${latency} ms`);
  });

  it('refuses a configuration it does not understand', () => {
    assert.throws(() => parseChaosConfig({ seed: 1, status5xx: 2 }), /rate from 0 to 1/);
    assert.throws(() => parseChaosConfig({ seed: 1, resets: 0.1 }), /unknown chaos setting/);
    assert.throws(() => parseChaosConfig({}), /seed/);
  });

  describe('under a client', () => {
    let sandbox: Sandbox;
    before(async () => {
      sandbox = await startSandbox({ api: 'g3' });
    });
    after(async () => sandbox.close());

    it('a big run read through it is the calm run, in at most 1.6 times the requests', async function () {
      this.timeout(120_000);
      const client = (): RetabClient =>
        new RetabClient({ baseUrl: () => sandbox.url, apiKey: async () => sandbox.apiKey, retry: { baseDelayMs: 20, maxDelayMs: 200 } });
      const calmClient = client();
      await calmClient.dialect();
      sandbox.reset();
      const calm = await calmClient.getRunContent('wf_big', 'exp_big', 'exprun_big_1');
      const calmRequests = sandbox.requests().length;
      const stormyClient = client();
      await stormyClient.dialect();
      sandbox.reset();
      // The network's faults at their rates; latency kept short so that the test stays quick.
      sandbox.setChaos({ seed: 20_261_206, jitterMs: 40 });
      const stormy = await stormyClient.getRunContent('wf_big', 'exp_big', 'exprun_big_1');
      const faults = sandbox.requests().filter((request) => request.fault !== null);
      assert.ok(faults.length > 0, 'faults happened');
      assert.deepEqual(
        stormy.jobs.map((job) => job.id),
        calm.jobs.map((job) => job.id),
      );
      const ratio = sandbox.requests().length / calmRequests;
      assert.ok(ratio <= 1.6, `${sandbox.requests().length} requests against ${calmRequests} calm (${ratio.toFixed(2)})`);
      sandbox.reset();
    });
  });
});
