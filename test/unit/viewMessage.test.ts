import './support/fakeVscode'; // first: installs the fake vscode module before anything requires it
import * as assert from 'node:assert/strict';
import { RetabError } from '../../src/api/errors';
import type { RetabRepository } from '../../src/data/repository';
import { ViewMessage } from '../../src/ui/tree/viewMessage';

/** A repository that is offline (or not) on demand: only what the banner reads. */
function offlineRepository(): { repository: RetabRepository; goOffline: (error: RetabError | undefined) => void } {
  let state: { error: RetabError; savedAt: number } | undefined;
  let listener: (() => void) | undefined;
  const repository = {
    get offline() {
      return state;
    },
    onDidChangeOffline(next: () => void) {
      listener = next;
      return { dispose: () => (listener = undefined) };
    },
  } as unknown as RetabRepository;
  return {
    repository,
    goOffline: (error) => {
      state = error && { error, savedAt: Date.now() - 120_000 };
      listener?.();
    },
  };
}

describe('the offline banner above the tree', () => {
  it('says why with the words every view uses for the error, and goes when the server answers', () => {
    const view = { message: undefined as string | undefined };
    const { repository, goOffline } = offlineRepository();
    const banner = new ViewMessage(view as never, repository);
    goOffline(new RetabError('server', 'Bad gateway', { status: 502 }));
    assert.match(view.message ?? '', /^Showing data saved .+: The Retab API failed \(HTTP 502\)\. Refresh to try again\.$/);
    goOffline(new RetabError('network', 'ECONNREFUSED'));
    assert.match(view.message ?? '', /: Cannot reach the Retab API\./);
    goOffline(new RetabError('auth', 'Unauthorized', { status: 401 }));
    assert.match(view.message ?? '', /: The API key was rejected\./);
    goOffline(undefined);
    assert.equal(view.message, undefined);
    banner.dispose();
  });
});
