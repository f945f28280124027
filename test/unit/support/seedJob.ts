import { nestedContent } from './wireBuilders';

/** The job on the seed page: the contract of the per-document job endpoint. */
export const SEED_JOB = {
  id: 'expjob_1',
  run_id: 'exprun_1',
  experiment_id: 'exp_abc',
  document_id: 'expdoc_xyz',
  status: 'completed',
  block_kind: 'extract',
  handle_inputs: { 'input-document-0': { type: 'file', filename: 'invoice_q1.pdf' } },
  artifact: { operation: 'extraction', id: 'ext_xyz' },
  duration_ms: 4120,
  attempt: 0,
  is_placeholder: false,
  created_at: '2026-05-02T11:00:00Z',
  started_at: '2026-05-02T11:00:01Z',
  completed_at: '2026-05-02T11:00:05Z',
};

/** `count` copies of the seed job, as different documents of its run: `expdoc_0`, `expdoc_1`, … */
export function seedJobs(count: number, overrides: Record<string, unknown> = {}): Array<typeof SEED_JOB & Record<string, unknown>> {
  return Array.from({ length: count }, (_, index) => ({ ...SEED_JOB, id: `expjob_${index}`, document_id: `expdoc_${index}`, ...overrides }));
}

/** The seed job's run content (G1 `GET …/content`) holding these jobs. */
export function seedRunContent(jobs: unknown[]): Record<string, unknown> {
  return nestedContent(jobs, { experiment_id: SEED_JOB.experiment_id, run_id: SEED_JOB.run_id });
}
