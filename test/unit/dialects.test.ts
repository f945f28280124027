import * as assert from 'node:assert/strict';
import { RetabError } from '../../src/api/errors';
import { DIALECTS } from '../../src/api/dialects/registry';
import { Dialect } from '../../src/api/dialects/dialect';

function dialectById(id: string): Dialect {
  const dialect = DIALECTS.find((candidate) => candidate.id === id);
  assert.ok(dialect, `no dialect ${id}`);
  return dialect;
}
import { IDS, IDS_REF, flatExperiment, flatResult, flatRun, nestedExperiment, nestedJob, nestedRun, page } from './support/wireBuilders';

const REF = { workflowId: IDS.workflow, experimentId: IDS.experiment, runId: IDS.run, documentId: IDS.document };

function fieldOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (caught) {
    assert.ok(caught instanceof RetabError);
    return caught.field;
  }
  assert.fail('expected a parse error');
}

function url(spec: { path: string; query?: Record<string, string | number | undefined> }): string {
  const query = Object.entries(spec.query ?? {}).filter(([, value]) => value !== undefined);
  return `${spec.path}${query.length > 0 ? `?${query.map(([key, value]) => `${key}=${String(value)}`).join('&')}` : ''}`;
}

describe('dialects', () => {
  it('registers every generation once, each with its own signature', () => {
    assert.deepEqual(
      DIALECTS.map((dialect) => dialect.id),
      ['g1', 'g1p', 'g2', 'g3'],
    );
    const signatures = new Set(DIALECTS.map((dialect) => JSON.stringify(dialect.signature)));
    assert.equal(signatures.size, DIALECTS.length);
  });

  describe('G1 (the seed, SDK d8f4738c)', () => {
    const g1 = dialectById('g1');

    it('reads the seed job from its own route', () => {
      const spec = g1.getJobByDocument?.(REF);
      assert.ok(spec);
      assert.equal(spec.path, '/workflows/wf_a/experiments/exp_b/runs/exprun_c/documents/expdoc_d');
      const job = spec.parse(nestedJob());
      assert.equal(job.id, 'expjob_1');
      assert.equal(job.handleInputs[0].filename, 'invoice_q1.pdf');
      assert.equal(job.runId, IDS.run);
    });

    it('reads a file name under document.filename as well, and times without a zone as UTC', () => {
      const job = g1.runJobs(IDS.workflow, IDS.experiment, IDS.run, undefined, 100).parse({
        experiment_id: IDS.experiment,
        run_id: IDS.run,
        content: {
          jobs: [
            nestedJob({
              handle_inputs: { doc: { type: 'file', document: { id: 'file_1', filename: 'scan 7.pdf', mime_type: 'application/pdf' } } },
              created_at: '2026-05-10T09:00:00',
            }),
          ],
        },
      }).jobs[0];
      assert.equal(job.handleInputs[0].filename, 'scan 7.pdf');
      assert.equal(job.createdAt, '2026-05-10T09:00:00.000Z');
    });

    it('applies the SDK defaults: absent lists empty, counts 0, experiment status draft', () => {
      const experiments = g1.listExperiments(IDS.workflow, undefined, 100).parse([{ id: IDS.experiment, workflow_id: IDS.workflow }]);
      assert.equal(experiments.shape, 'array');
      assert.equal(experiments.items[0].status, 'draft');
      assert.equal(experiments.items[0].documentCount, 0);
      const runs = g1.listRuns(IDS.workflow, IDS.experiment, undefined, 100).parse({});
      assert.deepEqual(runs.items, []);
      const run = g1.listRuns(IDS.workflow, IDS.experiment, undefined, 100).parse({ runs: [{ id: IDS.run, status: 'running' }] }).items[0];
      assert.equal(run.errorCount, 0);
      assert.equal(run.documentCount, 0);
    });

    it('sends per-run consensus and failed-only to the nested start route, and cancels by experiment', () => {
      const start = g1.startRun(IDS.workflow, IDS.experiment, { nConsensus: 5, retryFailedOnly: true });
      assert.equal(start.path, '/workflows/wf_a/experiments/exp_b/run');
      assert.deepEqual(start.body, { n_consensus: 5, retry_failed_only: true });
      assert.equal(g1.cancelRun(IDS.workflow, IDS.experiment, undefined).path, '/workflows/wf_a/experiments/exp_b/cancel');
    });

    it('opens only artifact operations it knows, by own property', () => {
      assert.equal(g1.artifact('classification', 'cls_1').path, '/classifications/cls_1');
      assert.throws(() => g1.artifact('constructor', 'x_1'), RetabError);
      assert.throws(() => g1.artifact('__proto__', 'x_1'), RetabError);
    });
  });

  describe('G1p (SDK 72e410ea)', () => {
    const g1p = dialectById('g1p');

    it('reads paged experiment and run lists with their cursors, and has no per-document route', () => {
      const experiments = g1p.listExperiments(IDS.workflow, undefined, 100).parse(page([nestedExperiment()], 'cursor_2'));
      assert.equal(experiments.shape, 'page');
      assert.equal(experiments.nextCursor, 'cursor_2');
      const runs = g1p.listRuns(IDS.workflow, IDS.experiment, 'cursor_2', 100);
      assert.equal(url(runs), '/workflows/wf_a/experiments/exp_b/runs?limit=100&after=cursor_2');
      assert.equal(runs.parse(page([nestedRun()])).items[0].id, IDS.run);
      // No route for one document's job: the capabilities say so, and the route refuses if asked anyway.
      assert.equal(g1p.capabilities.jobByDocumentRoute, false);
      assert.throws(() => g1p.getJobByDocument(IDS_REF), /does not offer a route for one document/);
    });
  });

  describe('G2 (SDK 91b7543e)', () => {
    const g2 = dialectById('g2');

    it('reads results that say run_id, with the state under lifecycle', () => {
      const spec = g2.runJobs(IDS.workflow, IDS.experiment, IDS.run, 'c_1', 500);
      assert.equal(url(spec), '/workflows/experiments/results?run_id=exprun_c&limit=100&after=c_1');
      const jobs = spec.parse(page([flatResult({ lifecycle: { status: 'error', message: 'Timeout while parsing page 3' } }, 'g2')])).jobs;
      assert.equal(jobs[0].runId, IDS.run);
      assert.equal(jobs[0].status, 'error');
      assert.equal(jobs[0].error, 'Timeout while parsing page 3');
      assert.equal(jobs[0].durationMs, 4000);
      assert.equal(jobs[0].handleInputs[0].filename, 'facture_été.pdf');
    });

    it('starts a run without per-run options and cancels a named run', () => {
      const start = g2.startRun(IDS.workflow, IDS.experiment, { nConsensus: 7, retryFailedOnly: true });
      assert.equal(start.path, '/workflows/experiments/runs');
      assert.deepEqual(start.body, { experiment_id: IDS.experiment, workflow_id: IDS.workflow });
      assert.equal(g2.cancelRun(IDS.workflow, IDS.experiment, IDS.run).path, '/workflows/experiments/runs/exprun_c/cancel');
      assert.throws(
        () => g2.cancelRun(IDS.workflow, IDS.experiment, undefined),
        (error: RetabError) => error.kind === 'conflict',
      );
      assert.equal(g2.capabilities.perRunConsensus, false);
      assert.equal(g2.capabilities.retryFailedOnly, false);
    });
  });

  describe('G3 (SDK 61d9c44e)', () => {
    const g3 = dialectById('g3');

    it('reads results that say experiment_run_id; queued is live; a cancelled reason is kept', () => {
      const parse = g3.runJobs(IDS.workflow, IDS.experiment, IDS.run, undefined, 100).parse;
      const jobs = parse(
        page([
          flatResult(),
          flatResult({ id: 'expresult_2', document_id: 'expdoc_e', lifecycle: { status: 'queued' } }),
          flatResult({ id: 'expresult_3', document_id: 'expdoc_f', lifecycle: { status: 'cancelled', reason: 'Run cancelled by user' } }),
        ]),
      ).jobs;
      assert.deepEqual(
        jobs.map((job) => job.status),
        ['completed', 'queued', 'cancelled'],
      );
      assert.equal(jobs[0].runId, IDS.run);
      assert.equal(jobs[2].error, 'Run cancelled by user');
    });

    it('reads runs: lifecycle, timing, block_type, the renamed fingerprint and progress counts', () => {
      const run = g3
        .listRuns(IDS.workflow, IDS.experiment, undefined, 100)
        .parse(page([flatRun({ lifecycle: { status: 'running' }, completed_document_count: 2, timing: { created_at: '2026-07-01T10:00:00' } })])).items[0];
      assert.equal(run.status, 'running');
      assert.equal(run.blockKind, 'extract');
      assert.equal(run.definitionFingerprint, 'bef_1');
      assert.equal(run.completedDocumentCount, 2);
      assert.equal(run.totalDocumentCount, 4);
      assert.equal(run.createdAt, '2026-07-01T10:00:00.000Z');
    });

    it('reads freshness and partial drift of experiments', () => {
      const experiment = g3
        .getExperiment(undefined, IDS.experiment)
        .parse(flatExperiment({ freshness_state: 'stale', freshness_reasons: ['inputs_changed'], schema_drift: 'partial', status: undefined }));
      assert.equal(experiment.isStale, true);
      assert.deepEqual(experiment.freshness, { state: 'stale', reasons: ['inputs_changed'] });
      assert.equal(experiment.schemaDrift, 'partial');
      assert.equal(experiment.status, 'draft');
    });

    it('tells metrics envelopes apart by kind, never as errors', () => {
      const parse = g3.runMetrics(IDS.workflow, IDS.experiment, IDS.run).parse;
      const summary = parse({
        experiment_id: IDS.experiment,
        run_id: IDS.run,
        kind: 'summary',
        view: 'summary',
        block_type: 'extract',
        score: 0.5,
        documents: [{ id: IDS.document, filename: 'a.pdf', score: 0.5, prior_score: 0.7 }],
      });
      assert.equal(summary.kind, 'summary');
      const stale = parse({
        kind: 'stale_metrics',
        error: 'stale_metrics',
        experiment_id: IDS.experiment,
        message: 'Config changed',
        last_run: { run_id: IDS.run },
      });
      assert.deepEqual(stale, { kind: 'unavailable', reason: 'stale_metrics', message: 'Config changed' });
      assert.equal(parse({ kind: 'no_metrics', error: 'no_metrics', experiment_id: IDS.experiment, message: 'No runs' }).kind, 'unavailable');
    });

    it('reads a run by id with where it belongs, and sends unknown artifact operations to the generic route', () => {
      const located = g3.getRun?.(IDS.run).parse(flatRun());
      assert.equal(located?.workflowId, IDS.workflow);
      assert.equal(located?.experimentId, IDS.experiment);
      assert.equal(g3.artifact('conditional_evaluation', 'art_1').path, '/workflows/artifacts/art_1');
      assert.equal(g3.artifact('constructor', 'art_1').path, '/workflows/artifacts/art_1');
    });

    it('names the failing field of a result', () => {
      const parse = g3.runJobs(IDS.workflow, IDS.experiment, IDS.run, undefined, 100).parse;
      assert.equal(
        fieldOf(() => parse(page([flatResult(), flatResult({ lifecycle: 'done' })]))),
        'response.data[1].lifecycle',
      );
      assert.equal(
        fieldOf(() => parse(page([flatResult({ experiment_run_id: 'exprun_c/../x' })]))),
        'response.data[0].experiment_run_id',
      );
    });
  });
});

/**
 * The summary's per-field scores (`aggregate.likelihoods` for extract and for_each blocks, the
 * labels' `diag` for classifier and split blocks) in each generation's spelling of the summary.
 */
describe('run-level field scores in the metrics summary', () => {
  type Summary = Record<string, unknown>;
  const shapes: Record<'g1' | 'g1p' | 'g2' | 'g3', (blockKind: string, aggregate: unknown) => Summary> = {
    g1: (blockKind, aggregate) => ({
      experiment_id: IDS.experiment,
      run_id: IDS.run,
      view: 'summary',
      definition_fingerprint: 'def_1',
      block_kind: blockKind,
      score: 0.8,
      documents: [],
      aggregate,
    }),
    g1p: (blockKind, aggregate) => ({
      experiment_id: IDS.experiment,
      run_id: IDS.run,
      view: 'summary',
      block_kind: blockKind,
      score: 0.8,
      prior_run_id: null,
      aggregate,
    }),
    g2: (blockKind, aggregate) => ({
      experiment_id: IDS.experiment,
      run_id: IDS.run,
      kind: 'summary',
      view: 'summary',
      block_type: blockKind,
      score: 0.8,
      documents: [],
      aggregate,
    }),
    g3: (blockKind, aggregate) => ({
      experiment_id: IDS.experiment,
      run_id: IDS.run,
      kind: 'summary',
      view: 'summary',
      block_execution_fingerprint: 'bef_1',
      block_type: blockKind,
      scored_document_count: 2,
      total_document_count: 2,
      documents: [],
      aggregate,
    }),
  };
  const flow = (api: string, from: string, to: string, score: number): Record<string, unknown> =>
    api === 'g1' || api === 'g1p' ? { from, to, score } : { source: from, target: to, score };

  for (const [api, shape] of Object.entries(shapes)) {
    describe(api.toUpperCase(), () => {
      const parse = (value: unknown): ReturnType<ReturnType<ReturnType<typeof dialectById>['runMetrics']>['parse']> =>
        dialectById(api).runMetrics(IDS.workflow, IDS.experiment, IDS.run).parse(value);
      const fields = (value: unknown): unknown => {
        const metrics = parse(value);
        assert.equal(metrics.kind, 'summary');
        return metrics.kind === 'summary' ? metrics.fields : undefined;
      };

      it('reads an extract block’s likelihoods worst first, unscored last, ties in the server’s order', () => {
        const aggregate = { likelihoods: { 'invoice.number': 0.9, 'invoice.total': 0.8, 'vendor.name': 1, notes: null, 'invoice.currency': 0.8 }, mean: 0.8 };
        assert.deepEqual(fields(shape('extract', aggregate)), {
          kind: 'path',
          scores: [
            { path: 'invoice.total', score: 0.8 },
            { path: 'invoice.currency', score: 0.8 },
            { path: 'invoice.number', score: 0.9 },
            { path: 'vendor.name', score: 1 },
            { path: 'notes', score: null },
          ],
          total: 5,
        });
        assert.equal((fields(shape('for_each', { likelihoods: { 'items.0.sku': 0.5 } })) as { kind: string }).kind, 'path');
      });

      it('reads classifier and split labels from the confusion diagonal', () => {
        const aggregate = { diag: { travel: 0.7, meals: 0.933, lodging: 1 }, flows: [flow(api, 'travel', 'meals', 0.2)], accuracy: 0.69 };
        for (const blockKind of ['classifier', 'split']) {
          assert.deepEqual(fields(shape(blockKind, aggregate)), {
            kind: 'label',
            scores: [
              { path: 'travel', score: 0.7 },
              { path: 'meals', score: 0.933 },
              { path: 'lodging', score: 1 },
            ],
            total: 3,
          });
        }
      });

      it('has no field scores when the aggregate has none, and keeps the aggregate as it came', () => {
        assert.equal(fields(shape('extract', null)), null);
        assert.equal(fields(shape('extract', { mean: 0.8 })), null);
        assert.equal(fields(shape('extract', { likelihoods: null })), null);
        assert.deepEqual(fields(shape('extract', { likelihoods: {} })), { kind: 'path', scores: [], total: 0 });
        const metrics = parse(shape('classifier', { diag: { a: 1 }, accuracy: 1 }));
        assert.ok(metrics.kind === 'summary');
        assert.deepEqual(metrics.aggregate, { diag: { a: 1 }, accuracy: 1 });
      });

      it('names the wrong entry by its field path, and the wrong container', () => {
        const failing = (aggregate: unknown, blockKind = 'extract'): string | undefined => fieldOf(() => parse(shape(blockKind, aggregate)));
        assert.equal(failing({ likelihoods: { 'invoice.total': '0.8' } }), 'response.aggregate.likelihoods["invoice.total"]');
        assert.equal(failing({ likelihoods: { 'vendor.name': 0.5, 'invoice.total': { score: 1 } } }), 'response.aggregate.likelihoods["invoice.total"]');
        assert.equal(failing({ likelihoods: { 'a.b': true } }), 'response.aggregate.likelihoods["a.b"]');
        assert.equal(failing({ likelihoods: { 'a.b': [0.5] } }), 'response.aggregate.likelihoods["a.b"]');
        assert.equal(failing({ diag: { travel: 'high' } }, 'classifier'), 'response.aggregate.diag["travel"]');
        assert.equal(failing({ likelihoods: { '': 0.5 } }), 'response.aggregate.likelihoods[""]');
        assert.equal(failing({ likelihoods: [0.5, 0.7] }), 'response.aggregate.likelihoods');
        assert.equal(failing({ likelihoods: 'all good' }), 'response.aggregate.likelihoods');
        assert.equal(failing([1, 2]), 'response.aggregate');
        const long = `a.${'x'.repeat(2_000)}`;
        assert.match(String(failing({ likelihoods: { [long]: 0.5 } })), /^response\.aggregate\.likelihoods\["a\.x+…"\]$/, 'a long path is named, shortened');
        assert.ok(String(failing({ likelihoods: { [long]: 0.5 } })).length < 120);
      });

      it('reads hostile paths as plain data: markup, prototype keys and invisible characters', () => {
        const aggregate = JSON.parse(
          '{"likelihoods": {"__proto__": 0.1, "constructor": 0.2, "remarks.<img src=x onerror=alert(1)>": 0.3, "a\\u202Eb": 0.4, "[x](command:evil)": 0.5}}',
        ) as unknown;
        const read = fields(shape('extract', aggregate)) as { scores: Array<{ path: string; score: number }> };
        assert.deepEqual(
          read.scores.map((field) => field.path),
          ['__proto__', 'constructor', 'remarks.<img src=x onerror=alert(1)>', 'a\u202Eb', '[x](command:evil)'],
        );
        assert.equal(({} as Record<string, unknown>).polluted, undefined);
      });

      it('keeps only the worst fields past its bound, and says how many there were', () => {
        const likelihoods = Object.fromEntries(Array.from({ length: 5_000 }, (_, index) => [`field_${index}`, (index % 1000) / 1000]));
        const read = fields(shape('extract', { likelihoods })) as { scores: Array<{ score: number }>; total: number };
        assert.equal(read.total, 5_000);
        assert.equal(read.scores.length, 2_000);
        assert.ok(
          read.scores.every((field) => field.score < 0.4),
          'the 2,000 worst of 5,000',
        );
      });
    });
  }
});
