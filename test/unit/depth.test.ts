import { cancellationToken } from './support/fakeVscode'; // first: installs the fake vscode module before anything requires it
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { Job } from '../../src/api/models';
import { RetabRepository } from '../../src/data/repository';
import { RetabDocumentProvider } from '../../src/ui/documents/retabDocuments';
import { jsonText } from '../../src/ui/shared/jsonText';
import { renderPanelBody } from '../../src/ui/panel/jobView';
import { parseJob } from './support/g1Wire';
import { IDS_REF, minimalNestedJob } from './support/wireBuilders';

const LEVELS = 100_000;
const REF = IDS_REF;

/** `[[[…]]]` 100,000 deep, as JSON.parse reads it (JSON.parse itself does not recurse). */
function parsedDeepArray(): unknown {
  return JSON.parse('['.repeat(LEVELS) + ']'.repeat(LEVELS));
}

/** `{"a": {"a": …}}` 100,000 deep, built in a loop. */
function builtDeepObject(): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  let current = root;
  for (let level = 0; level < LEVELS; level++) {
    const next: Record<string, unknown> = {};
    current.a = next;
    current = next;
  }
  return root;
}

function deepJob(): Job {
  const job = parseJob(minimalNestedJob({ id: 'expjob_1' }));
  return {
    ...job,
    raw: { ...job.raw, nested: parsedDeepArray(), other: builtDeepObject() },
    handleInputs: [{ handle: 'deep', type: null, filename: null, fileId: null, mimeType: null, value: builtDeepObject() }],
  };
}

describe('deeply nested server JSON', () => {
  it('is too deep for JSON.stringify (why jsonText exists)', () => {
    assert.throws(() => JSON.stringify(parsedDeepArray()), RangeError);
  });

  it('serialises 100,000 levels without recursion, with a marker past the depth cap', () => {
    for (const value of [parsedDeepArray(), builtDeepObject()]) {
      const text = jsonText(value, { indent: 2 });
      assert.ok(text.includes('nested deeper than 64 levels'), 'marker');
      assert.ok(text.length < 20_000, `small output (${text.length})`);
      assert.doesNotThrow(() => JSON.parse(text), 'still JSON');
    }
    assert.equal(jsonText(builtDeepObject(), { maxDepth: 2 }), '{"a":{"a":"… (nested deeper than 2 levels, not shown)"}}');
  });

  it('writes what JSON.stringify writes for anything shallower than the cap', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), fc.constantFrom(0, 2), (value, indent) => {
        assert.equal(jsonText(value, { indent }), JSON.stringify(value, null, indent));
      }),
      { numRuns: 1000 },
    );
    const odd = { a: undefined, b: () => 1, c: [undefined, Number.NaN, Infinity], d: new Date(0), e: {}, f: [] };
    assert.equal(jsonText(odd, { indent: 2 }), JSON.stringify(odd, null, 2));
  });

  it('cuts output past its cap, and survives cycles', () => {
    const wide = Array.from({ length: 200_000 }, (_, index) => ({ index, text: 'x'.repeat(50) }));
    const text = jsonText(wide, { indent: 2, maxLength: 100_000 });
    assert.ok(text.length < 101_000, String(text.length));
    assert.ok(text.endsWith('(cut: longer than 100,000 characters)'));
    const cycle: Record<string, unknown> = { name: 'loop' };
    cycle.self = cycle;
    assert.match(jsonText(cycle), /circular reference/);
  });

  it('renders the job panel for a 100,000-level job', () => {
    const body = renderPanelBody({ kind: 'job', ref: REF, job: deepJob(), context: {}, fetchedAt: 0 });
    assert.ok(body.includes('nested deeper than 64 levels'));
    assert.ok(body.includes('Raw JSON'));
  });

  it('serves a 100,000-level job as a read-only JSON document', async () => {
    const repository = { getJob: async () => deepJob() } as unknown as RetabRepository;
    const provider = new RetabDocumentProvider(repository);
    const uri = { path: '/job/wf_a/exp_b/exprun_c/expdoc_d.json' };
    const text = await provider.provideTextDocumentContent(uri as never, cancellationToken() as never);
    assert.ok(text.includes('nested deeper than 64 levels'));
  });
});
