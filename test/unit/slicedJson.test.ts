import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseJsonInSlices } from '../../src/api/slicedJson';

/** Counts the pauses, so that a test can tell the text was taken in steps. */
function pauses(): { pause: () => Promise<void>; count: () => number } {
  let count = 0;
  return {
    pause: async () => {
      count++;
      await new Promise((resolve) => setImmediate(resolve));
    },
    count: () => count,
  };
}

async function outcome(run: () => unknown): Promise<{ value?: unknown; threw?: boolean }> {
  try {
    return { value: await run() };
  } catch (caught) {
    assert.ok(caught instanceof SyntaxError, `threw ${String(caught)}`);
    return { threw: true };
  }
}

/** JSON values with unique keys (JSON.parse keeps the last of a duplicate; see the module's note). */
const jsonValue = fc.jsonValue({ maxDepth: 5 });

describe('parseJsonInSlices', function () {
  this.timeout(60_000);

  it('gives what JSON.parse gives for any JSON, however it is cut, with any whitespace', async () => {
    await fc.assert(
      fc.asyncProperty(jsonValue, fc.integer({ min: 16, max: 400 }), fc.boolean(), async (value, sliceChars, spaced) => {
        const text = JSON.stringify(value, null, spaced ? 2 : undefined);
        const sliced = await parseJsonInSlices(text, { sliceChars, pause: async () => undefined });
        assert.deepEqual(sliced, JSON.parse(text));
      }),
      { numRuns: 1500 },
    );
  });

  it('rejects what JSON.parse rejects (a character taken out, doubled or replaced), and accepts the same otherwise', async () => {
    const damaged = fc
      .tuple(fc.jsonValue({ maxDepth: 4 }), fc.nat(), fc.constantFrom('drop', 'double', ',', ']', '}', '"', '\\', ' '))
      .map(([value, at, damage]) => {
        const text = JSON.stringify({ big: [value, value, value, value], tail: value });
        const index = at % text.length;
        if (damage === 'drop') {
          return text.slice(0, index) + text.slice(index + 1);
        }
        if (damage === 'double') {
          return text.slice(0, index + 1) + text.slice(index);
        }
        return text.slice(0, index) + damage + text.slice(index + 1);
      });
    await fc.assert(
      fc.asyncProperty(damaged, fc.integer({ min: 16, max: 120 }), async (text, sliceChars) => {
        const expected = await outcome(() => JSON.parse(text));
        const actual = await outcome(() => parseJsonInSlices(text, { sliceChars, pause: async () => undefined }));
        if (expected.threw) {
          assert.equal(actual.threw, true, `accepted ${text}`);
        } else {
          assert.deepEqual(actual, expected, text);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('cuts an empty element at a slice edge as JSON.parse does', async () => {
    const element = JSON.stringify({ id: 'x'.repeat(40) });
    for (const text of [`{"a":[${element},,${element}]}`, `[${element},${element},]`, `[,${element}]`]) {
      assert.deepEqual(await outcome(() => parseJsonInSlices(text, { sliceChars: 50, pause: async () => undefined })), { threw: true }, text);
    }
    assert.deepEqual(await parseJsonInSlices(`{"a":[${' '.repeat(100)}]}`, { sliceChars: 20, pause: async () => undefined }), { a: [] });
  });

  it('takes a 5 MB score summary in steps of about a slice each', async () => {
    const documents = Array.from({ length: 50_000 }, (_, index) => ({
      id: `expdoc_${index}`,
      filename: `scan "${index}" \\ ].pdf`,
      score: index / 50_000,
      prior_score: null,
    }));
    const text = JSON.stringify({ kind: 'summary', documents, fields: { a: 1 }, tail: [1, 2] });
    const counter = pauses();
    const sliced = (await parseJsonInSlices(text, { sliceChars: 256 * 1024, pause: counter.pause })) as { documents: unknown[] };
    assert.deepEqual(sliced, JSON.parse(text));
    // ~4.5 MB: the scan pauses every 1 MB, the elements every 256 KB.
    assert.ok(counter.count() >= 18, `${counter.count()} pauses`);
  });

  it('parses a large array at the root in steps too', async () => {
    const text = JSON.stringify(Array.from({ length: 2_000 }, (_, index) => ({ index })));
    const counter = pauses();
    assert.deepEqual(await parseJsonInSlices(text, { sliceChars: 4096, pause: counter.pause }), JSON.parse(text));
    assert.ok(counter.count() >= 5);
  });

  it('keeps the later value of a key sent twice, as JSON.parse does', async () => {
    const big = JSON.stringify(Array.from({ length: 100 }, (_, index) => index));
    const text = `{"a":${big},"a":{"b":1}}`;
    assert.deepEqual(await parseJsonInSlices(text, { sliceChars: 64, pause: async () => undefined }), { a: { b: 1 } });
  });

  it('keeps the later value when a key sent twice replaced a container on the way', async () => {
    const big = JSON.stringify(Array.from({ length: 100 }, (_, index) => index));
    const text = `{"a":{"b":{"c":${big}}},"a":5}`;
    assert.deepEqual(await parseJsonInSlices(text, { sliceChars: 64, pause: async () => undefined }), { a: 5 });
  });

  it('hands out a streamed array’s elements in order, once each, the first ones before the scan reaches the end', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 60 }),
        fc.jsonValue({ maxDepth: 2 }),
        fc.integer({ min: 16, max: 300 }),
        async (jobs, tail, sliceChars) => {
          const text = JSON.stringify({ id: 'x', content: { jobs, more: tail }, after: tail });
          const handedOut: unknown[] = [];
          const parsed = (await parseJsonInSlices(text, {
            sliceChars,
            pause: async () => undefined,
            stream: {
              path: ['content', 'jobs'],
              onBatch: (elements, from) => {
                assert.equal(from, handedOut.length, 'batches come in order');
                handedOut.push(...elements);
              },
            },
          })) as { content: { jobs: unknown[] } };
          assert.deepEqual(parsed, JSON.parse(text));
          if (text.length > sliceChars && JSON.stringify(jobs).length > sliceChars) {
            assert.deepEqual(handedOut, parsed.content.jobs, 'every element handed out once');
          }
        },
      ),
      { numRuns: 800 },
    );
    // A broken tail: the first batches were already handed out, and the parse still fails.
    const jobs = Array.from({ length: 400 }, (_, index) => ({ id: `expjob_${index}`, status: 'completed' }));
    const broken = `${JSON.stringify({ content: { jobs } }).slice(0, -40)}}}`;
    let before = 0;
    await assert.rejects(
      parseJsonInSlices(broken, {
        sliceChars: 1024,
        pause: async () => undefined,
        stream: { path: ['content', 'jobs'], onBatch: (elements) => (before += elements.length) },
      }),
      SyntaxError,
    );
    assert.ok(before > 0, 'the first jobs came before the end was found broken');
  });

  it('hands out a big streamed array’s first elements in a small batch, then pauses before scanning on', async () => {
    // A 5,000-job run's content, about 2 MB: with the default slices, the first batch would hold
    // 256 KB of jobs and the scan would go on without a pause under its time budget.
    const jobs = Array.from({ length: 5_000 }, (_, index) => ({
      id: `expjob_${index}`,
      status: 'completed',
      filename: `invoice_${index}.pdf`,
      padding: 'x'.repeat(300),
    }));
    const text = JSON.stringify({ content: { jobs } });
    const events: string[] = [];
    await parseJsonInSlices(text, {
      pause: async () => {
        events.push('pause');
        await new Promise((resolve) => setImmediate(resolve));
      },
      budgetMs: 60_000,
      stream: { path: ['content', 'jobs'], onBatch: (elements) => events.push(`batch ${elements.length}`) },
    });
    const first = Number(events[0].replace('batch ', ''));
    assert.ok(first > 0 && JSON.stringify(jobs.slice(0, first)).length <= 40 * 1024, `the first batch is small (${first} jobs)`);
    assert.equal(events[1], 'pause', 'a pause right after the first batch, whatever the budget');
  });

  it('parses containers nested deeper than it tracks', async () => {
    const deep = `${'['.repeat(200)}${'1,'.repeat(50)}1${']'.repeat(200)}`;
    assert.deepEqual(
      await parseJsonInSlices(`{"x":${deep},"y":[${'2,'.repeat(100)}2]}`, { sliceChars: 32, pause: async () => undefined }),
      JSON.parse(`{"x":${deep},"y":[${'2,'.repeat(100)}2]}`),
    );
  });
});
