import { cancellationToken, window } from './support/fakeVscode'; // first: installs the fake vscode module before anything requires it
import * as assert from 'node:assert/strict';
import { PartialJobRef } from '../../src/api/ids';
import { Experiment, Workflow, WorkflowPage } from '../../src/api/models';
import { JobLocator } from '../../src/data/locator';
import { RetabRepository } from '../../src/data/repository';
import { lookupJob } from '../../src/ui/commands/lookupJob';

function workflow(id: string): Workflow {
  return { id, name: `Workflow ${id}`, description: null, createdAt: null, updatedAt: null, published: null };
}

interface Server {
  /** The page answered for a cursor. */
  page(cursor: string | undefined, call: number): WorkflowPage;
  experiments?: (workflowId: string) => Experiment[];
}

/** A repository whose workflow pages come from `server`, counting the calls. */
function repository(server: Server): { repository: RetabRepository; calls: () => number } {
  let calls = 0;
  const fake = {
    knownExperiment: () => undefined,
    // Answered at once, as a cache would: a loop over it never yields to anything else.
    listWorkflows: async (cursor: string | undefined) => server.page(cursor, calls++),
    listExperiments: async (workflowId: string) => server.experiments?.(workflowId) ?? [],
    listRuns: async () => [],
    // The repository's own bounded paging over the pages above (what the command pages through).
    allWorkflows(options: Parameters<RetabRepository['allWorkflows']>[0]) {
      return RetabRepository.prototype.allWorkflows.call(this as unknown as RetabRepository, options);
    },
  };
  return { repository: fake as unknown as RetabRepository, calls: () => calls };
}

const locator = { completeById: async (partial: PartialJobRef) => ({ ...partial }) } as unknown as JobLocator;
const open = async (): Promise<void> => undefined;

describe('Look Up Job pages workflows within bounds', () => {
  beforeEach(() => {
    window.messages.length = 0;
    window.progressTitles.length = 0;
    window.progressToken = cancellationToken();
  });

  it('stops on a repeated cursor while finding an experiment’s workflow', async () => {
    const { repository: repo, calls } = repository({ page: () => ({ workflows: [workflow('wf_1')], nextCursor: 'again', previousCursor: null }) });
    assert.equal(await lookupJob(repo, locator, open, 'exp_b exprun_c expdoc_d'), undefined);
    // Not found: the first page and the repeated cursor's page, then the same two to offer the
    // workflows to pick from.
    assert.equal(calls(), 4);
    assert.ok(
      window.progressTitles.some((title) => /finding/.test(title)),
      'under a progress notification',
    );
  });

  it('stops on an empty page that still offers a cursor', async () => {
    const { repository: repo, calls } = repository({ page: (_cursor, call) => ({ workflows: [], nextCursor: `c${call}`, previousCursor: null }) });
    await lookupJob(repo, locator, open, 'exp_b');
    assert.equal(calls(), 2, 'one page to search, one to offer');
  });

  it('stops after 50 pages of a server that never ends', async () => {
    const { repository: repo, calls } = repository({ page: (_cursor, call) => ({ workflows: [], nextCursor: `c${call}`, previousCursor: null }) });
    const endless = repository({ page: (_cursor, call) => ({ workflows: [workflow(`wf_${call}`)], nextCursor: `c${call}`, previousCursor: null }) });
    await lookupJob(endless.repository, locator, open, 'exp_b');
    assert.equal(endless.calls(), 100, '50 pages to search, 50 to offer');
    await lookupJob(repo, locator, open, '');
    assert.equal(calls(), 1, 'the picker stops on the empty page');
  });

  it('stops when the user cancels the notification', async () => {
    const endless = repository({
      page: (_cursor, call) => {
        if (call === 3) {
          window.progressToken.cancel();
        }
        return { workflows: [workflow(`wf_${call}`)], nextCursor: `c${call}`, previousCursor: null };
      },
    });
    assert.equal(await lookupJob(endless.repository, locator, open, 'exp_b'), undefined);
    assert.equal(endless.calls(), 4);
    assert.deepEqual(window.messages, [], 'a cancelled search is not an error');
  });

  it('offers the workflows of a looping listing once each, and finds the experiment', async () => {
    const server: Server = {
      page: (cursor) =>
        cursor === undefined
          ? { workflows: [workflow('wf_1'), workflow('wf_2')], nextCursor: 'c1', previousCursor: null }
          : { workflows: [workflow('wf_3')], nextCursor: 'c1', previousCursor: null },
      experiments: (workflowId) => (workflowId === 'wf_3' ? [{ id: 'exp_b' } as Experiment] : []),
    };
    let offered: string[] = [];
    window.quickPickAnswer = async (items) => {
      offered = ((await items) as Array<{ value: string }>).map((item) => item.value);
      return undefined;
    };
    const picking = repository(server);
    await lookupJob(picking.repository, locator, open, '');
    assert.deepEqual(offered, ['wf_1', 'wf_2', 'wf_3']);
    assert.equal(picking.calls(), 2);

    let asked: unknown;
    window.quickPickAnswer = async (items) => {
      asked = await items;
      return undefined;
    };
    const finding = repository(server);
    await lookupJob(finding.repository, locator, open, 'exp_b');
    assert.ok(Array.isArray(asked), 'went on to the next step: pick a run of the found workflow');
  });
});
