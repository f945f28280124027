import * as assert from 'node:assert/strict';
import { RetabErrorKind } from '../../src/api/errors';
import { errorActionLabels, errorGuidance } from '../../src/ui/shared/errorGuidance';

const KINDS: readonly RetabErrorKind[] = [
  'auth',
  'not_found',
  'conflict',
  'rate_limited',
  'server',
  'client',
  'network',
  'timeout',
  'cancelled',
  'invalid_response',
  'invalid_id',
  'no_key',
  'insecure_url',
  'too_large',
  'redirect',
  'key_origin',
  'internal',
];

describe('error guidance (the one table of what each error says and offers)', () => {
  it('says something for every kind, with at least one way forward and no placeholder left', () => {
    for (const kind of KINDS) {
      const guidance = errorGuidance({ kind, status: 503 }, 'the job');
      for (const text of [guidance.title, guidance.short, guidance.hint]) {
        assert.ok(text.length > 0 && !text.includes('%'), `${kind}: "${text}"`);
      }
      assert.ok(guidance.actions.length > 0, kind);
      assert.ok(guidance.short.length <= 32, `${kind}: a tree row reads whole at the default width: "${guidance.short}"`);
      for (const action of guidance.actions) {
        assert.ok(errorActionLabels()[action], `${kind}: ${action} has a label`);
      }
    }
  });

  it('leads with the fix the error needs', () => {
    assert.equal(errorGuidance({ kind: 'auth' }).actions[0], 'setApiKey');
    assert.equal(errorGuidance({ kind: 'no_key' }).actions[0], 'setApiKey');
    assert.equal(errorGuidance({ kind: 'key_origin' }).actions[0], 'useKeyForBaseUrl');
    assert.equal(errorGuidance({ kind: 'insecure_url' }).actions[0], 'openSettings');
    assert.equal(errorGuidance({ kind: 'internal' }).actions[0], 'showLog');
    assert.equal(errorGuidance({ kind: 'network' }).actions[0], 'retry');
  });

  it('reads an unknown kind (or a prototype name) as a generic failure', () => {
    const unknown = errorGuidance({ kind: 'constructor' as RetabErrorKind }, 'the job');
    assert.equal(unknown.title, 'Could not load the job');
    assert.deepEqual(unknown.actions, ['retry', 'showLog']);
    assert.equal(errorGuidance({ kind: 'toString' as RetabErrorKind }).short, 'Could not load');
  });

  it('puts the status and what failed to load into the words', () => {
    assert.equal(errorGuidance({ kind: 'server', status: 502 }).short, 'Server error 502');
    assert.equal(errorGuidance({ kind: 'server' }).short, 'Server error');
    assert.equal(errorGuidance({ kind: 'server', status: 502 }).title, 'The Retab API failed (HTTP 502)');
    assert.equal(errorGuidance({ kind: 'no_key' }, 'the field scores').hint, 'Set your Retab API key to load the field scores.');
  });
});
