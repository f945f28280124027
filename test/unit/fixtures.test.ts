import * as assert from 'node:assert/strict';
import { buildCatalog } from '../sandbox/data';
import { BANK_STATEMENTS, BIG_RUN, FAILED_IN_RUN_6, HOSTILE, INVOICES, INVOICE_Q1, invoiceDocumentId, invoiceJob, invoiceRunId } from '../support/fixtures';

/** The ids tests share (test/support/fixtures.ts) name what the sandbox's catalogue seeds. */
describe('Shared sandbox fixtures', () => {
  const catalog = buildCatalog();

  function experiment(workflowId: string, experimentId: string) {
    const found = catalog.experimentById.get(experimentId);
    assert.ok(found, `${experimentId} is seeded`);
    assert.equal(found.workflowId, workflowId, `${experimentId} belongs to ${workflowId}`);
    return found;
  }

  it('names the invoices workflow and its experiments as the catalogue does', () => {
    assert.equal(catalog.workflows[0].id, INVOICES.workflowId, 'the newest workflow');
    assert.equal(catalog.workflowById.get(INVOICES.workflowId)?.name, INVOICES.workflowName);
    assert.equal(experiment(INVOICES.workflowId, INVOICES.experimentId).name, INVOICES.experimentName);
    assert.equal(experiment(INVOICES.workflowId, INVOICES.staleExperimentId).name, INVOICES.staleExperimentName);
    assert.equal(experiment(INVOICES.workflowId, INVOICES.draftExperimentId).name, INVOICES.draftExperimentName);
    assert.deepEqual(experiment(INVOICES.workflowId, INVOICES.draftExperimentId).runs, [], 'the draft never ran');
  });

  it('numbers the invoice runs and documents as the catalogue does', () => {
    const invoices = experiment(INVOICES.workflowId, INVOICES.experimentId);
    assert.deepEqual(
      invoices.runs.map((run) => run.id),
      ([1, 2, 3, 4, 5, 6] as const).map(invoiceRunId),
      'oldest to newest',
    );
    assert.deepEqual(
      invoices.documents.map((document) => document.id),
      Array.from({ length: 40 }, (_, index) => invoiceDocumentId(index + 1)),
    );
    assert.throws(() => invoiceDocumentId(41), RangeError);
    assert.equal(invoices.documents[0].filename, INVOICE_Q1.filename);
    assert.equal(invoices.documents[0].id, INVOICE_Q1.documentId);
    assert.deepEqual(invoices.runs[5].errorDocumentIds, FAILED_IN_RUN_6);
    assert.deepEqual(invoiceJob(6, 7), { workflowId: 'wf_invoices', experimentId: 'exp_invoices_v2', runId: 'exprun_inv_6', documentId: 'expdoc_inv_007' });
  });

  it('names the hostile, big and running fixtures as the catalogue does', () => {
    const hostile = experiment(HOSTILE.workflowId, HOSTILE.experimentId);
    assert.ok(hostile.runs.some((run) => run.id === HOSTILE.runId));
    assert.match(hostile.documents.find((document) => document.id === HOSTILE.documentId)?.filename ?? '', /<img/);
    const big = experiment(BIG_RUN.workflowId, BIG_RUN.experimentId);
    assert.deepEqual(
      big.runs.map((run) => run.id),
      [BIG_RUN.runId],
    );
    assert.equal(big.documents.length, 5000);
    const bank = experiment(BANK_STATEMENTS.workflowId, BANK_STATEMENTS.runningExperimentId);
    assert.equal(bank.runs[bank.runs.length - 1].status, 'running', 'its newest run is running');
  });
});
