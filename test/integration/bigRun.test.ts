import * as assert from 'node:assert/strict';
import type { RetabExtensionApi } from '../../src/extension';
import type { RunNode, TreeNode } from '../../src/ui/tree/nodes';
import type { Sandbox } from '../sandbox/server';
import { BIG_RUN } from '../support/fixtures';
import { descendById, labelOf, sleep, useHostSession, waitFor } from './support/host';

const isResultsPage = (path: string): boolean => path.endsWith('/workflows/experiments/results');

function descriptionOf(api: RetabExtensionApi, node: TreeNode): string {
  const description = api.tree.getTreeItem(node).description;
  return typeof description === 'string' ? description : '';
}

/**
 * A big run on a flat server, in a real extension host: its first documents show after the first
 * page, the rest arrive below while the run row says how far the read got; whatever needs every
 * document waits for the last page; collapsing stops the read.
 */
for (const generation of ['g3', 'g2'] as const) {
  describe(`A 5,000-document run on a ${generation.toUpperCase()} server`, function () {
    this.timeout(90_000);
    let sandbox: Sandbox;
    let api: RetabExtensionApi;

    useHostSession({ api: generation }, (session) => {
      ({ sandbox, api } = session);
    });

    async function bigRun(): Promise<RunNode> {
      api.repository.invalidateLists();
      api.tree.refresh();
      return descendById<RunNode>(api, [BIG_RUN.workflowId, BIG_RUN.experimentId, BIG_RUN.runId]);
    }

    afterEach(() => {
      sandbox.setFaults({});
      api.tree.arrange('default', {});
    });

    it('shows its first documents after the first page, then appends the rest while saying how far it got', async () => {
      const run = await bigRun();
      // Slow pages, so that the read is seen going on.
      sandbox.setFaults({ latencyMs: 40, pathFilter: '/results' });
      const mark = sandbox.requests().length;
      const first = await api.tree.getChildren(run);
      const pagesAtFirst = sandbox
        .requests()
        .slice(mark)
        .filter((request) => isResultsPage(request.path)).length;
      const documents = first.filter((node) => node.kind === 'document');
      assert.ok(documents.length >= 100 && documents.length < 1000, `${documents.length} documents at first`);
      assert.ok(pagesAtFirst <= 3, `${pagesAtFirst} pages asked before the first rows`);
      assert.equal(labelOf(api, documents[0]), 'Lieferschein_Übersee_0001.pdf');
      const last = first[first.length - 1];
      assert.equal(last.kind, 'message');
      assert.match(labelOf(api, last), /Reading documents/);
      assert.match(descriptionOf(api, run), /^[\d,]+ of 5,000 read/);
      assert.ok(
        first.some((node) => node.kind === 'message' && labelOf(api, node) === 'Failures'),
        'Failures stands in its place, grouped once every document is read',
      );

      // The view is redrawn as pages come; in the end: 1,000 rows, Show More, Failures grouped.
      const redraws: number[] = [];
      const listening = api.tree.onDidChangeTreeData(() => redraws.push(Date.now()));
      try {
        const done = await waitFor(
          'every document read',
          async () => {
            const rows = await api.tree.getChildren(run);
            return rows.some((node) => node.kind === 'failures') ? rows : undefined;
          },
          60_000,
          { pollMs: 200 },
        );
        const shown = done.filter((node) => node.kind === 'document');
        assert.equal(shown.length, 1000);
        assert.deepEqual(
          shown.slice(0, documents.length).map((node) => node.kind === 'document' && node.job.documentId),
          documents.map((node) => node.kind === 'document' && node.job.documentId),
          'the first rows kept their places',
        );
        assert.ok(
          done.some((node) => node.kind === 'failures'),
          done
            .filter((node) => node.kind !== 'document')
            .map((node) => `${node.kind} ${labelOf(api, node)}`)
            .join(' | '),
        );
        const more = done[done.length - 1];
        assert.equal(more.kind, 'moreDocuments');
        assert.match(labelOf(api, more), /^Show 1,000 more/);
        assert.doesNotMatch(descriptionOf(api, run), / read/);
        assert.ok(redraws.length >= 2, `${redraws.length} redraws`);
        // Every page asked once, from both ends.
        const pages = sandbox
          .requests()
          .slice(mark)
          .filter((request) => isResultsPage(request.path));
        assert.ok(pages.length <= 54, `${pages.length} pages`);
        assert.ok(pages.some((request) => request.query.order === 'desc'));
        // Show More: the next 1,000, from memory.
        const before = sandbox.requests().length;
        await import('vscode').then((vscode) => vscode.commands.executeCommand('retab.showMoreDocuments', more));
        const after = await api.tree.getChildren(run);
        assert.equal(after.filter((node) => node.kind === 'document').length, 2000);
        assert.equal(sandbox.requests().length, before, 'no request');
      } finally {
        listening.dispose();
      }
    });

    it('sorts only once every document is in, and says so meanwhile', async () => {
      const run = await bigRun();
      sandbox.setFaults({ latencyMs: 40, pathFilter: '/results' });
      api.tree.arrange('score', {});
      const first = await api.tree.getChildren(run);
      assert.equal(first.filter((node) => node.kind === 'document').length, 0, 'no document sorted from part of the run');
      const waiting = first.find((node) => node.kind === 'message' && /Lowest score first once every document is read/.test(labelOf(api, node)));
      assert.ok(waiting, first.map((node) => labelOf(api, node)).join(' | '));
      const sorted = await waitFor(
        'the sorted documents',
        async () => {
          const rows = (await api.tree.getChildren(run)).filter((node) => node.kind === 'document');
          return rows.length > 0 ? rows : undefined;
        },
        60_000,
        { pollMs: 200 },
      );
      const scores = sorted.map((node) => (node.kind === 'document' ? (node.metric?.score ?? Infinity) : Infinity));
      assert.deepEqual(
        scores,
        [...scores].sort((a, b) => a - b),
      );
    });

    it('stops reading when the run is collapsed, and reads anew when expanded again', async () => {
      const run = await bigRun();
      sandbox.setFaults({ latencyMs: 60, pathFilter: '/results' });
      const mark = sandbox.requests().length;
      await api.tree.getChildren(run);
      api.tree.cancelLoading(run);
      const pagesAtCollapse = sandbox
        .requests()
        .slice(mark)
        .filter((request) => isResultsPage(request.path)).length;
      await sleep(400);
      const pagesLater = sandbox
        .requests()
        .slice(mark)
        .filter((request) => isResultsPage(request.path)).length;
      assert.ok(pagesLater <= pagesAtCollapse + 2, `${pagesAtCollapse} pages at collapse, ${pagesLater} later: the pages on the way, no more`);
      assert.ok(pagesLater < 20);
      sandbox.setFaults({});
      const again = await api.tree.getChildren(run);
      assert.ok(again.some((node) => node.kind === 'document'));
    });
  });
}

describe('A 50,000-document run on a G3 server', function () {
  this.timeout(120_000);
  let api: RetabExtensionApi;
  let sandbox: Sandbox;

  useHostSession({ api: 'g3' }, (session) => {
    ({ sandbox, api } = session);
  });

  it('shows its first rows at once, then every document with its score', async () => {
    api.tree.refresh();
    const run = await descendById<RunNode>(api, [BIG_RUN.workflowId, 'exp_huge', 'exprun_huge_1']);
    const mark = sandbox.requests().length;
    const first = await api.tree.getChildren(run);
    assert.ok(first.filter((node) => node.kind === 'document').length >= 100);
    const content = await api.repository.getRunContent(BIG_RUN.workflowId, 'exp_huge', 'exprun_huge_1');
    assert.equal(content.jobs.length, 50_000);
    assert.equal(new Set(content.jobs.map((job) => job.documentId)).size, 50_000);
    const pages = sandbox
      .requests()
      .slice(mark)
      .filter((request) => isResultsPage(request.path));
    assert.ok(pages.length <= 504, `${pages.length} pages for 500`);
    // The scores of 50,000 documents (a summary of some 5 MB) are read too, and shown.
    const rows = await waitFor(
      'the run drawn whole, with its scores',
      async () => {
        const children = await api.tree.getChildren(run);
        return children.some((node) => node.kind === 'fields' && node.scores !== undefined) && children.some((node) => node.kind === 'failures')
          ? children
          : undefined;
      },
      30_000,
      { pollMs: 200 },
    );
    const documents = rows.filter((node) => node.kind === 'document');
    assert.equal(documents.length, 1000);
    assert.ok(documents.every((node) => node.kind === 'document' && node.metric !== undefined));
  });
});
