import * as assert from 'node:assert/strict';
import { durationStats, percentile } from '../../src/analysis/durations';
import { groupFailures, normaliseError } from '../../src/analysis/failureGroups';
import { csvLines, exportRows } from '../../src/analysis/runExport';
import { parseJob } from './support/g1Wire';
import { minimalNestedJob } from './support/wireBuilders';
import { buildJobLink, parseJobLink } from '../../src/links/jobLink';

function job(documentId: string, status: string, extra: Record<string, unknown> = {}) {
  return parseJob(minimalNestedJob({ document_id: documentId, status, ...extra }));
}

describe('failure groups', () => {
  it('folds ids, numbers, paths and quoted values', () => {
    assert.equal(
      normaliseError('Timeout after 30000 ms reading /data/tmp/expdoc_91/page-3.png for expjob_a1\n  Traceback ...'),
      normaliseError('Timeout after 12000 ms reading /data/other/expdoc_12/page-9.png for expjob_zz'),
    );
    assert.equal(normaliseError('Field "total_amount" missing'), normaliseError("Field 'vat_number' missing"));
    assert.notEqual(normaliseError('Schema validation failed'), normaliseError('Rate limit exceeded'));
  });

  it('groups failed jobs by cause, largest first', () => {
    const jobs = [
      job('expdoc_1', 'error', { error: 'OCR failed on page 3' }),
      job('expdoc_2', 'error', { error: 'Schema validation failed: field "total"' }),
      job('expdoc_3', 'error', { error: 'OCR failed on page 17' }),
      job('expdoc_4', 'completed'),
      job('expdoc_5', 'error', { error: 'OCR failed on page 1' }),
    ];
    const groups = groupFailures(jobs);
    assert.deepEqual(
      groups.map((group) => group.jobs.length),
      [3, 1],
    );
    assert.equal(groups[0].signature, 'OCR failed on page <n>');
  });
});

describe('durations', () => {
  it('computes nearest-rank percentiles and flags the slowest', () => {
    assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.5), 5);
    assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.95), 10);
    const jobs = Array.from({ length: 20 }, (_, index) => job(`expdoc_${index}`, 'completed', { duration_ms: (index + 1) * 100 }));
    const stats = durationStats(jobs);
    assert.equal(stats?.p50, 1000);
    assert.equal(stats?.p95, 1900);
    assert.deepEqual(
      stats?.slowest.map((slow) => slow.documentId),
      ['expdoc_19', 'expdoc_18'],
    );
  });
});

describe('run export', () => {
  it('writes CSV with quoting and neutralised formulas', () => {
    const rows = exportRows(
      [
        job('expdoc_1', 'error', { error: 'line one\nline "two", three', handle_inputs: { a: { type: 'file', filename: '=HYPERLINK("x")' } } }),
        job('expdoc_2', 'completed', { duration_ms: 1200, artifact: { operation: 'extraction', id: 'ext_9' } }),
      ],
      new Map([['expdoc_2', 0.75]]),
    );
    const lines = [...csvLines(rows)];
    assert.equal(lines[0], 'document_id,job_id,filename,status,score,duration_ms,error,artifact_operation,artifact_id');
    assert.equal(lines[1], `expdoc_1,expjob_expdoc_1,"'=HYPERLINK(""x"")",error,,,"line one\nline ""two"", three",,`);
    assert.equal(lines[2], 'expdoc_2,expjob_expdoc_2,expdoc_2,completed,0.75,1200,,extraction,ext_9');
  });
});

describe('job links', () => {
  const ref = { workflowId: 'wf_a', experimentId: 'exp_b', runId: 'exprun_c', documentId: 'expdoc_d' };

  it('round-trips a reference', () => {
    const link = new URL(buildJobLink('vscode', 'retab-labs.retab-experiments', ref));
    assert.equal(link.host, 'retab-labs.retab-experiments');
    assert.deepEqual(parseJobLink(link.pathname, link.search.slice(1)), ref);
  });

  it('refuses links with missing or unsafe ids', () => {
    assert.equal(parseJobLink('/job', 'workflow=wf_a&experiment=exp_b&run=exprun_c'), undefined);
    assert.equal(parseJobLink('/job', 'workflow=wf_a&experiment=../x&run=exprun_c&document=expdoc_d'), undefined);
    assert.equal(parseJobLink('/other', 'workflow=wf_a&experiment=exp_b&run=exprun_c&document=expdoc_d'), undefined);
  });
});
