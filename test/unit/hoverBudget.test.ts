import { MarkdownString, Position, cancellationToken, textDocument } from './support/fakeVscode'; // first: installs the fake vscode module
import * as assert from 'node:assert/strict';
import { RetabClient } from '../../src/api/client';
import { JobLocator } from '../../src/data/locator';
import { RetabRepository } from '../../src/data/repository';
import { IdHoverProvider } from '../../src/ui/hover/idHoverProvider';
import { LocalServer, startLocalServer } from './support/localServer';

describe('a hover on an id whose server does not answer', () => {
  let server: LocalServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function hoverOn(text: string, token = cancellationToken()): Promise<string | undefined> {
    let requests = 0;
    // Takes every request and never answers.
    server = await startLocalServer(() => {
      requests++;
    });
    const url = server.url;
    const repository = new RetabRepository(
      new RetabClient({
        baseUrl: () => url,
        apiKey: async () => 'k',
        fetch: (input, init) => fetch(input, init),
        generation: () => 'g1',
        timeoutMs: () => 60_000,
      }),
    );
    const provider = new IdHoverProvider(repository, new JobLocator(repository), async () => true);
    const hover = await provider.provideHover(textDocument(text) as never, new Position(0, 2) as never, token as never);
    assert.ok(requests > 0, 'the hover asked the server');
    return hover ? (hover.contents as unknown as MarkdownString).value : undefined;
  }

  it('answers within its time budget, saying the server did not answer in time', async function () {
    this.timeout(10_000);
    const started = Date.now();
    const value = await hoverOn('wf_slow');
    assert.ok(Date.now() - started < 6_000, 'the budget, not the request timeout, ended the wait');
    assert.match(value ?? '', /did not answer in time/);
    assert.match(value ?? '', /Look Up/);
  });

  it('shows nothing once the user has moved away', async function () {
    this.timeout(10_000);
    const token = cancellationToken();
    setTimeout(() => token.cancel(), 200);
    assert.equal(await hoverOn('wf_gone', token), undefined);
  });
});
