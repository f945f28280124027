import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDocumentFields, parseFieldDocuments, parseFieldVotes } from '../../src/api/dialects/fieldMetrics';
import { DocumentFields } from '../../src/api/models';
import { fieldChanges, whyFieldsNotCompared } from '../../src/ui/shared/fieldChanges';
import { TOOLS } from '../../src/ui/tools/toolTable';

const RUN = 'exprun_c';
const DOCUMENT = { id: 'expdoc_d', filename: 'invoice.pdf' };

describe('field-level metrics views (SDK 61d9c44e metrics types)', () => {
  it('reads by_document targets with prior scores, and confusion in either spelling', () => {
    const view = parseDocumentFields({
      run_id: RUN,
      kind: 'by_document',
      view: 'by_document',
      document: DOCUMENT,
      score: 0.8,
      prior_score: 0.9,
      confusion: {
        diag: { invoice: 0.9, constructor: 'x' },
        flows: [
          { source: 'invoice', target: 'receipt', score: 0.1 },
          { from: 'a', to: 'b', score: 0.2 },
        ],
      },
      targets: [{ path: 'vendor.name', score: 0.6, prior_score: 1, value: 'ACME' }],
    });
    assert.equal(view.kind, 'by_document');
    assert.ok(view.kind === 'by_document');
    assert.deepEqual(view.fields[0], { path: 'vendor.name', score: 0.6, priorScore: 1, value: 'ACME' });
    assert.deepEqual(view.confusion?.diagonal, [{ label: 'invoice', score: 0.9 }]);
    assert.deepEqual(view.confusion?.flows, [
      { from: 'invoice', to: 'receipt', score: 0.1 },
      { from: 'a', to: 'b', score: 0.2 },
    ]);
  });

  it('reads by_target documents and votes rows with nulls', () => {
    const target = parseFieldDocuments({ run_id: RUN, kind: 'by_target', target: 'invoice.total', documents: [{ ...DOCUMENT, score: 0.5, value: null }] });
    assert.ok(target.kind === 'by_target');
    assert.equal(target.documents[0].priorScore, null);
    const votes = parseFieldVotes({
      run_id: RUN,
      kind: 'votes',
      document: DOCUMENT,
      target: 'invoice.total',
      rows: [{ consensus: 12.5, votes: [12.5, null, 13] }],
    });
    assert.ok(votes.kind === 'votes');
    assert.deepEqual(votes.rows[0].votes, [12.5, null, 13]);
  });

  it('says stale and missing metrics as such, never as a parse error', () => {
    assert.deepEqual(parseDocumentFields({ kind: 'stale_metrics', error: 'stale_metrics', message: 'Config changed', experiment_id: 'exp_b' }), {
      kind: 'unavailable',
      reason: 'stale_metrics',
      message: 'Config changed',
    });
    assert.equal(parseFieldVotes({ error: 'no_metrics', message: 'never ran' }).kind, 'unavailable');
  });

  it('finds the fields whose score or consensus changed between two runs', () => {
    const before: DocumentFields = {
      kind: 'by_document',
      runId: 'exprun_1',
      document: DOCUMENT,
      score: 1,
      priorScore: null,
      confusion: null,
      fields: [
        { path: 'a', score: 1, priorScore: null, value: 'x' },
        { path: 'b', score: 1, priorScore: null, value: 1 },
      ],
    };
    const after: DocumentFields = {
      ...before,
      runId: 'exprun_2',
      fields: [
        { path: 'a', score: 0.6, priorScore: 1, value: 'x' },
        { path: 'b', score: 1, priorScore: 1, value: 2 },
        { path: 'c', score: 1, priorScore: null, value: null },
      ],
    };
    assert.deepEqual(
      fieldChanges(before, after).map((change) => [change.path, change.scoreChanged, change.valueChanged]),
      [
        ['a', true, false],
        ['b', false, true],
        ['c', true, false],
      ],
    );
  });

  it('says which run has no field scores, and why, when two runs cannot be compared', () => {
    const scored: DocumentFields = { kind: 'by_document', runId: 'exprun_b', document: DOCUMENT, score: 1, priorScore: null, fields: [], confusion: null };
    assert.equal(
      whyFieldsNotCompared([
        { runId: 'exprun_a', view: { kind: 'unavailable', reason: 'no_metrics', message: 'No ground truth\n  was annotated.' } },
        { runId: 'exprun_b', view: scored },
      ]),
      'run exprun_a has no field scores: the run has not been scored (yet) — No ground truth was annotated.',
    );
    const both = whyFieldsNotCompared([
      { runId: 'exprun_a', view: { kind: 'unavailable', reason: 'stale_metrics', message: null } },
      { runId: 'exprun_b', view: { kind: 'unavailable', reason: 'quota', message: 'x'.repeat(5_000_000) } },
    ]);
    assert.match(
      both,
      /^run exprun_a has no field scores: the scores are stale: the run changed since they were computed; run exprun_b has no field scores: the server says "quota" — x{300}…$/,
    );
  });
});

describe('language-model tools', () => {
  it('declares in package.json exactly the tools the extension registers, each with an input schema', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../package.json'), 'utf8')) as {
      engines: { vscode: string };
      contributes: {
        languageModelTools: Array<{ name: string; modelDescription: string; inputSchema: { type: string; properties: Record<string, unknown> } }>;
      };
    };
    const declared = manifest.contributes.languageModelTools;
    assert.deepEqual(declared.map((tool) => tool.name).sort(), Object.keys(TOOLS).sort());
    for (const tool of declared) {
      assert.equal(tool.inputSchema.type, 'object', tool.name);
      assert.ok(tool.modelDescription.length > 40, tool.name);
    }
    assert.match(manifest.engines.vscode, /^\^1\.(9[5-9]|\d{3,})/, 'the tools API is stable from VS Code 1.95');
  });
});
