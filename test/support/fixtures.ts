/**
 * The sandbox's fixed ids and names that tests address directly: the in-host suite, the UI tests
 * and the benchmark take them from here. The sandbox's catalogue (test/sandbox/data.ts) defines
 * them and documents what each one is; test/unit/fixtures.test.ts checks every one against it.
 */

/** A job's place in the catalogue, as `retab.openJob` and the job panel name it. */
export interface FixtureJob {
  workflowId: string;
  experimentId: string;
  runId: string;
  documentId: string;
}

/** "Invoice extraction": the newest workflow, first on the first page. */
export const INVOICES = {
  workflowId: 'wf_invoices',
  workflowName: 'Invoice extraction',
  /** "Invoice fields v2": 40 documents, runs 1 (oldest) to 6 (newest). */
  experimentId: 'exp_invoices_v2',
  experimentName: 'Invoice fields v2',
  /** "Invoice fields v1 (baseline)": a stale definition and a drifted schema. */
  staleExperimentId: 'exp_invoices_v1',
  staleExperimentName: 'Invoice fields v1 (baseline)',
  /** "Vendor classifier": a draft, never run. */
  draftExperimentId: 'exp_invoices_vendor',
  draftExperimentName: 'Vendor classifier',
} as const;

/** The runs of "Invoice fields v2", oldest to newest (data.ts says what each one is). */
export type InvoiceRun = 1 | 2 | 3 | 4 | 5 | 6;

/** `exprun_inv_N`. Run 6 is the current one, with exactly the errors of FAILED_IN_RUN_6; 5 retried 4's failures. */
export function invoiceRunId(run: InvoiceRun): string {
  return `exprun_inv_${run}`;
}

/** `expdoc_inv_NNN`, 1 to 40 (runs 1 and 2 saw the first 36). */
export function invoiceDocumentId(document: number): string {
  if (!Number.isInteger(document) || document < 1 || document > 40) {
    throw new RangeError(`"Invoice fields v2" has documents 1 to 40, not ${document}`);
  }
  return `expdoc_inv_${String(document).padStart(3, '0')}`;
}

/** A document of "Invoice fields v2" in one of its runs. */
export function invoiceJob(run: InvoiceRun, document: number): FixtureJob {
  return { workflowId: INVOICES.workflowId, experimentId: INVOICES.experimentId, runId: invoiceRunId(run), documentId: invoiceDocumentId(document) };
}

/** Document 1, "invoice_q1.pdf": never fails (skipped in the retry run 5). */
export const INVOICE_Q1 = { documentId: invoiceDocumentId(1), filename: 'invoice_q1.pdf' } as const;

/** The documents that failed in run 6; the first one's error is a multi-line traceback. */
export const FAILED_IN_RUN_6: readonly string[] = [invoiceDocumentId(7), invoiceDocumentId(19), invoiceDocumentId(33)];

/** Escaping fixtures: file names and errors carry markup that would set `window.__pwned` if it ran. */
export const HOSTILE: FixtureJob = { workflowId: 'wf_hostile', experimentId: 'exp_hostile', runId: 'exprun_hostile_1', documentId: 'expdoc_hostile_1' };

/** The large-list fixture: one completed run of 5,000 documents. */
export const BIG_RUN = { workflowId: 'wf_big', experimentId: 'exp_big', runId: 'exprun_big_1' } as const;

/** "Bank statements" / "Statement header + transactions" (opaque ids derived from the names): its newest run is running. */
export const BANK_STATEMENTS = { workflowId: 'wf_J1RbDj4XNWdz', runningExperimentId: 'exp_mdGeu3gIDqwe' } as const;

/** A job's ids as the API and a log line spell them (`workflow_id`, …): the text an id hover or Look Up Job reads. */
export function wireJobRef(job: FixtureJob): { workflow_id: string; experiment_id: string; run_id: string; document_id: string } {
  return { workflow_id: job.workflowId, experiment_id: job.experimentId, run_id: job.runId, document_id: job.documentId };
}
