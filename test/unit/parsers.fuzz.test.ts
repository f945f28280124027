import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { RetabError } from '../../src/api/errors';
import { parseJobRefText } from '../../src/api/ids';
import { parseExperimentList, parseJob, parseRunContent, parseRunList, parseRunMetrics, parseWorkflowPage } from './support/g1Wire';
import { SEED_JOB, seedJobs, seedRunContent } from './support/seedJob';

const PARSERS: Record<string, (value: unknown) => unknown> = {
  parseJob: (value) => parseJob(value),
  parseRunContent,
  parseRunList,
  parseExperimentList,
  parseWorkflowPage,
  parseRunMetrics,
};

/** Well-formed payloads with one field replaced by anything at all. */
function mutated<T extends Record<string, unknown>>(base: T): fc.Arbitrary<unknown> {
  return fc.tuple(fc.constantFrom(...Object.keys(base)), fc.anything()).map(([key, value]) => ({ ...base, [key]: value }));
}

function expectModelOrTypedError(parse: (value: unknown) => unknown, value: unknown): void {
  try {
    parse(value);
  } catch (caught) {
    assert.ok(caught instanceof RetabError, `threw ${String(caught)}`);
    assert.equal(caught.kind, 'invalid_response');
  }
}

describe('parsers under random and mutated payloads', function () {
  this.timeout(60_000);

  for (const [name, parse] of Object.entries(PARSERS)) {
    it(`${name} returns a model or the typed error for anything`, () => {
      fc.assert(
        fc.property(fc.anything(), (value) => expectModelOrTypedError(parse, value)),
        { numRuns: 2000 },
      );
    });
  }

  it('parseJob handles every single-field mutation of the seed job', () => {
    fc.assert(
      fc.property(mutated(SEED_JOB), (value) => expectModelOrTypedError(PARSERS.parseJob, value)),
      { numRuns: 3000 },
    );
  });

  it('parseRunContent handles mutated jobs inside a run', () => {
    const content = fc.array(fc.oneof(mutated(SEED_JOB), fc.constant(SEED_JOB)), { maxLength: 20 }).map((jobs) => seedRunContent(jobs));
    fc.assert(
      fc.property(content, (value) => expectModelOrTypedError(parseRunContent, value)),
      { numRuns: 1000 },
    );
  });

  it('parses JSON text of any shape the server might send', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        for (const parse of Object.values(PARSERS)) {
          expectModelOrTypedError(parse, JSON.parse(text));
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('reads pasted text of any kind without throwing or hanging', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 2000 }), (text) => {
        const ref = parseJobRefText(text);
        for (const value of Object.values(ref)) {
          assert.match(value, /^[A-Za-z0-9][A-Za-z0-9_-]*$/);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps a 200,000-character error and a 5,000-document run whole', () => {
    const longError = 'x'.repeat(200_000);
    assert.equal((parseJob({ ...SEED_JOB, error: longError }) as { error: string }).error.length, 200_000);
    const content = parseRunContent(seedRunContent(seedJobs(5000)));
    assert.equal(content.jobs.length, 5000);
    assert.equal(content.jobs[4999].documentId, 'expdoc_4999');
  });
});
