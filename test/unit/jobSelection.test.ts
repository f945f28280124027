import * as assert from 'node:assert/strict';
import { RetabClient } from '../../src/api/client';
import { JobRef } from '../../src/api/ids';
import { RetabRepository } from '../../src/data/repository';
import { JobSelection, SelectionStep } from '../../src/ui/panel/jobSelection';
import { ApiGeneration, Sandbox, startSandbox } from '../sandbox/server';

const SETTLE_MS = 150;
const RUN = { workflowId: 'wf_invoices', experimentId: 'exp_invoices_v2', runId: 'exprun_inv_6' };
const ref = (documentId: string): JobRef => ({ ...RUN, documentId });
const documentId = (index: number): string => `expdoc_inv_${String(index).padStart(3, '0')}`;

/** What each generation's endpoint for one job is, in the sandbox's request log. */
const ENDPOINT: Record<ApiGeneration, RegExp> = {
  g1: /^\/v1\/workflows\/wf_invoices\/experiments\/exp_invoices_v2\/runs\/exprun_inv_6\/documents\/expdoc_/,
  g1p: /^\/v1\/workflows\/wf_invoices\/experiments\/exp_invoices_v2\/content$/,
  g2: /^\/v1\/workflows\/experiments\/results\/expresult_/,
  g3: /^\/v1\/workflows\/experiments\/results\/expresult_/,
};

/**
 * The job panel's selection, over the sandbox: what is known shows at once, the job's endpoint is
 * asked once per selection the person stops on, its answer or failure follows, a newer selection
 * cancels an older one. The panel draws these steps (in-host and UI tests check the drawing).
 */
describe('selecting a document', () => {
  for (const api of ['g1', 'g1p', 'g2', 'g3'] as const) {
    describe(`on ${api}`, () => {
      let sandbox: Sandbox;
      let repository: RetabRepository;
      let steps: SelectionStep[];
      let selection: JobSelection;

      before(async () => {
        sandbox = await startSandbox({ api });
      });
      after(async () => {
        await sandbox.close();
      });
      beforeEach(async () => {
        sandbox.reset();
        const client = new RetabClient({ baseUrl: () => sandbox.url, apiKey: async () => sandbox.apiKey, fetch: (input, init) => fetch(input, init) });
        repository = new RetabRepository(client);
        // As the tree does: the run's documents are listed before any is selected.
        await repository.listRuns(RUN.workflowId, RUN.experimentId);
        await repository.getRunContent(RUN.workflowId, RUN.experimentId, RUN.runId);
        steps = [];
        selection = new JobSelection(
          { knownJob: (at) => repository.knownJob(at), fetchJob: (at, signal) => repository.fetchJob(at, signal) },
          SETTLE_MS,
          (step) => steps.push(step),
        );
      });

      const endpointRequests = (): string[] =>
        sandbox
          .requests()
          .filter((request) => ENDPOINT[api].test(request.path))
          .map((request) => request.path);

      it('shows what is known at once, then asks the endpoint once (G1p: not at all for a finished run)', async () => {
        sandbox.reset();
        const done = selection.select(ref('expdoc_inv_001'));
        assert.equal(steps[0]?.kind, 'known', 'drawn before any request');
        await done;
        assert.deepEqual(
          steps.map((step) => step.kind),
          ['known', 'settled', 'answer'],
        );
        const answer = steps[2];
        assert.ok(answer.kind === 'answer' && answer.job.documentId === 'expdoc_inv_001');
        if (api === 'g1p') {
          assert.equal(answer.kind === 'answer' && answer.requested, false, 'no route for one job, and the run is finished');
          assert.equal(endpointRequests().length, 0);
        } else {
          assert.equal(answer.kind === 'answer' && answer.requested, true);
          assert.equal(endpointRequests().length, 1);
        }
      });

      if (api === 'g1p') {
        return;
      }

      it('asks for the rows a person stops on, not the ones held ↓ through', async () => {
        sandbox.reset();
        const selections: Array<Promise<void>> = [];
        for (let index = 1; index <= 40; index++) {
          selections.push(selection.select(ref(documentId(index))));
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        await Promise.all(selections);
        assert.equal(steps.filter((step) => step.kind === 'known').length, 40, 'each row drawn as it was passed');
        assert.deepEqual(endpointRequests().length, 1, 'only the last row was asked for');
        assert.ok(endpointRequests()[0].includes(api === 'g1' ? 'expdoc_inv_040' : 'expresult_'));
        const answers = steps.filter((step) => step.kind === 'answer');
        assert.equal(answers.length, 1);
        assert.equal(answers[0].ref.documentId, 'expdoc_inv_040');
      });

      it('cancels a superseded request and asks once for a selection made twice', async () => {
        sandbox.reset();
        sandbox.setFaults({ latencyMs: 400 });
        const first = selection.select(ref('expdoc_inv_001'), { force: true });
        await new Promise((resolve) => setTimeout(resolve, 50));
        const second = selection.select(ref('expdoc_inv_002'), { force: true });
        const again = selection.select(ref('expdoc_inv_002'));
        await Promise.all([first, second, again]);
        const answers = steps.filter((step) => step.kind === 'answer');
        assert.deepEqual(
          answers.map((step) => step.ref.documentId),
          ['expdoc_inv_002'],
          'the first answer was dropped',
        );
        assert.equal(endpointRequests().length, 2, 'the first request went out and was cancelled; the second once');
        assert.equal(steps.filter((step) => step.kind === 'failed').length, 0, 'a cancelled request is not a failure');
      });

      it('keeps what is known when the endpoint fails', async () => {
        sandbox.reset();
        sandbox.setFaults({ status500: 20, pathFilter: api === 'g1' ? '/documents/' : '/results/' });
        await selection.select(ref('expdoc_inv_003'));
        assert.deepEqual(
          steps.map((step) => step.kind),
          ['known', 'settled', 'failed'],
        );
      });
    });
  }

  it('an answer that differs from the run’s list replaces the job there, and says so', async () => {
    const sandbox = await startSandbox({ api: 'g3', timeScale: 0.05 });
    try {
      const client = new RetabClient({ baseUrl: () => sandbox.url, apiKey: async () => sandbox.apiKey, fetch: (input, init) => fetch(input, init) });
      const repository = new RetabRepository(client);
      const started = await repository.startRun('wf_invoices', 'exp_invoices_vendor', {});
      const runId = started.runId ?? '';
      await repository.listRuns('wf_invoices', 'exp_invoices_vendor', { force: true });
      const content = await repository.getRunContent('wf_invoices', 'exp_invoices_vendor', runId);
      const before = content.jobs[0];
      assert.ok(before && before.status !== 'completed', `the run has just started (${before?.status})`);
      const updated: JobRef[] = [];
      repository.onDidUpdateJob((at) => updated.push(at));
      const at = { workflowId: 'wf_invoices', experimentId: 'exp_invoices_vendor', runId, documentId: before.documentId };
      let job = before;
      for (let attempt = 0; attempt < 50 && job.status === before.status; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        job = (await repository.fetchJob(at)).job;
      }
      assert.notEqual(job.status, before.status, 'the status moved');
      assert.ok(updated.length >= 1, 'listeners were told');
      assert.equal(repository.knownJob(at)?.status, job.status, 'one version of the job: the run’s list has the answer');
    } finally {
      await sandbox.close();
    }
  });
});
