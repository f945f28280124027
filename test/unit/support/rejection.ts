import * as assert from 'node:assert/strict';
import { RetabError } from '../../../src/api/errors';

/** The RetabError a call rejects with; fails the test when it resolves or throws anything else. */
export async function rejection(promise: Promise<unknown>): Promise<RetabError> {
  try {
    await promise;
  } catch (caught) {
    assert.ok(caught instanceof RetabError, `expected RetabError, got ${String(caught)}`);
    return caught;
  }
  assert.fail('expected the promise to reject');
}
