import { MarkdownString, Position, cancellationToken, textDocument, window } from './support/fakeVscode'; // first: installs the fake vscode module before anything requires it
import * as assert from 'node:assert/strict';
import { RetabError, RetabErrorKind, setInternalErrorReporter, toRetabError } from '../../src/api/errors';
import { PartialJobRef } from '../../src/api/ids';
import { JobLocator } from '../../src/data/locator';
import { RetabRepository } from '../../src/data/repository';
import { lookupJob } from '../../src/ui/commands/lookupJob';
import { IdHoverProvider } from '../../src/ui/hover/idHoverProvider';
import { renderPanelBody } from '../../src/ui/panel/jobView';

const REF = { workflowId: 'wf_a', experimentId: 'exp_b', runId: 'exprun_c', documentId: 'expdoc_d' };

describe('bugs in the extension', () => {
  const logged: string[] = [];
  before(() => setInternalErrorReporter((line) => logged.push(line)));
  after(() => setInternalErrorReporter((line) => console.error(line)));
  beforeEach(() => {
    logged.length = 0;
    window.messages.length = 0;
  });

  it('are internal errors that point to the log, not network failures', () => {
    const error = toRetabError(new TypeError("Cannot read properties of undefined (reading 'id')"), 'loading the job');
    assert.equal(error.kind, 'internal');
    assert.match(error.message, /bug in the Retab extension/);
    assert.match(error.message, /Retab: Show Log/);
    assert.doesNotMatch(error.message, /reach/i);
    assert.equal(logged.length, 1);
    assert.match(logged[0], /TypeError: Cannot read properties/);
    assert.match(logged[0], /at /, 'the stack is logged');
  });

  it('leave RetabErrors, network failures included, as they are', () => {
    const network = new RetabError('network', 'Could not reach the Retab API: ECONNREFUSED');
    assert.equal(toRetabError(network, 'x'), network);
    assert.equal(logged.length, 0);
  });

  it('are said as such in the job panel, with Show Log first', () => {
    const body = renderPanelBody({ kind: 'error', ref: REF, error: { kind: 'internal', message: 'A bug…' } });
    assert.match(body, /A bug in the Retab extension/);
    assert.doesNotMatch(body, /Cannot reach/);
    assert.match(body, /class="primary" data-action="showLog"/);
  });

  it('are said as such in a hover', async () => {
    const repository = {
      knownWorkflow: () => undefined,
      getWorkflow: async () => {
        throw new TypeError('workflow.name is undefined');
      },
    } as unknown as RetabRepository;
    const locator = { completeFromMemory: (partial: PartialJobRef) => partial } as unknown as JobLocator;
    const provider = new IdHoverProvider(repository, locator, async () => true);
    const hover = await provider.provideHover(textDocument('wf_a') as never, new Position(0, 1) as never, cancellationToken() as never);
    const value = (hover?.contents as unknown as MarkdownString).value;
    assert.match(value, /bug in the Retab extension/);
    assert.doesNotMatch(value, /reach/i);
  });

  it('are said as such by Look Up Job', async () => {
    const repository = {
      knownExperiment: () => undefined,
      listWorkflows: async () => {
        throw new RangeError('Maximum call stack size exceeded');
      },
    } as unknown as RetabRepository;
    const locator = { completeById: async (partial: PartialJobRef) => ({ ...partial }) } as unknown as JobLocator;
    assert.equal(await lookupJob(repository, locator, async () => undefined, 'exp_b exprun_c expdoc_d'), undefined);
    assert.equal(window.messages.length, 1);
    assert.match(window.messages[0], /bug in the Retab extension/);
  });

  it('own properties only: a kind named like an Object method is no panel text', () => {
    for (const kind of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const body = renderPanelBody({ kind: 'error', ref: REF, error: { kind: kind as RetabErrorKind, message: 'm' } });
      assert.match(body, /Could not load the job/, kind);
      assert.doesNotMatch(body, /undefined|function/, kind);
    }
  });
});
