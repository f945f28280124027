import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RetabExtensionApi } from '../../src/extension';
import type { FieldDocumentNode, FieldNode, FieldsNode, RunNode, TreeNode } from '../../src/ui/tree/nodes';
import { Sandbox, SandboxRequest, startSandbox } from '../sandbox/server';
import { activateExtension, childById, labelOf, panelRendered, setBaseUrl, waitFor } from './support/host';

/**
 * A run's Fields node in the real extension host, against servers of the first and the last
 * generation: fields worst first with their change, the documents that disagree on one, their
 * job in the panel, and what each step costs in requests.
 */

/** `run_id view [target]` of each metrics request, in order. */
function metricsQueries(requests: readonly SandboxRequest[]): string[] {
  return requests
    .filter((request) => request.path.endsWith('/metrics'))
    .map((request) => [request.query.run_id, request.query.view ?? 'summary', request.query.target_path].filter(Boolean).join(' '));
}

for (const generation of ['g1', 'g3'] as const) {
  describe(`A run's Fields on a ${generation.toUpperCase()} server`, function () {
    this.timeout(90_000);
    let sandbox: Sandbox;
    let api: RetabExtensionApi;

    async function requestsDuring<T>(load: () => Promise<T>): Promise<{ value: T; requests: SandboxRequest[] }> {
      const before = sandbox.requests().length;
      const value = await load();
      return { value, requests: sandbox.requests().slice(before) };
    }

    async function childWhere<T extends TreeNode>(parent: TreeNode, what: string, matches: (node: TreeNode) => node is T): Promise<T> {
      return waitFor(what, async () => (await api.tree.getChildren(parent)).find(matches));
    }

    async function runNode(workflow: (node: TreeNode) => boolean, experimentId: string, runId: string): Promise<RunNode> {
      const workflowNode = await waitFor('the workflow', async () => (await api.tree.getChildren()).find(workflow));
      const experiment = await childById(api, workflowNode, experimentId);
      return childById<RunNode>(api, experiment, runId);
    }

    before(async () => {
      sandbox = await startSandbox({ api: generation });
      await setBaseUrl(sandbox.url);
      api = await activateExtension();
      await vscode.commands.executeCommand('retab.clearApiKey');
      sandbox.reset();
      assert.equal(await vscode.commands.executeCommand<boolean>('retab.setApiKey', sandbox.apiKey), true);
      api.tree.refresh();
    });

    after(async () => {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.commands.executeCommand('retab.clearApiKey');
      await setBaseUrl(undefined);
      await sandbox.close();
    });

    it('lists exprun_inv_6’s fields worst first with their change, reading nothing more until Fields and a field are expanded', async () => {
      const run = await runNode((node) => node.kind === 'workflow' && node.workflow.id === 'wf_invoices', 'exp_invoices_v2', 'exprun_inv_6');
      const { value: children, requests } = await requestsDuring(() => api.tree.getChildren(run));
      assert.deepEqual(metricsQueries(requests), ['exprun_inv_6 summary'], 'the run opens with the requests it always made');
      const kinds = children.map((node) => node.kind);
      assert.equal(kinds.indexOf('fields'), kinds.indexOf('failures') + 1, 'Fields right after Failures');
      assert.equal(kinds.indexOf('document'), kinds.indexOf('fields') + 1, 'and before the documents');
      const fields = children.find((node): node is FieldsNode => node.kind === 'fields');
      assert.ok(fields);
      assert.equal(labelOf(api, fields), 'Fields');

      const { value: rows, requests: forFields } = await requestsDuring(() => api.tree.getChildren(fields));
      assert.deepEqual(metricsQueries(forFields), ['exprun_inv_5 summary'], 'the run before’s summary, for the changes');
      const fieldRows = rows.filter((node): node is FieldNode => node.kind === 'field');
      assert.equal(fieldRows.length, 15);
      const scores = fieldRows.map((node) => node.score ?? 2);
      assert.deepEqual(
        scores,
        [...scores].sort((a, b) => a - b),
        'worst first',
      );
      const total = fieldRows.find((node) => node.path === 'invoice.total');
      assert.ok(total);
      assert.equal(api.tree.getTreeItem(total).description, '80.5% ▲ 8.5');
      assert.match(String(api.tree.getTreeItem(total).accessibilityInformation?.label), /score 80\.5%, up 8\.5 points against run 5/);
      const tooltip = (await api.tree.resolveTreeItem(api.tree.getTreeItem(total), total, new vscode.CancellationTokenSource().token)).tooltip;
      assert.ok(tooltip instanceof vscode.MarkdownString);
      assert.match(tooltip.value, /Score: 80\.5% \(▲ 8\.5 against run 5\)/);
    });

    it('lists the documents that disagree on invoice.total, and opens expdoc_inv_001’s job from its row', async () => {
      const run = await runNode((node) => node.kind === 'workflow' && node.workflow.id === 'wf_invoices', 'exp_invoices_v2', 'exprun_inv_6');
      const fields = await childWhere(run, 'Fields', (node): node is FieldsNode => node.kind === 'fields');
      const total = await childWhere(fields, 'invoice.total', (node): node is FieldNode => node.kind === 'field' && node.path === 'invoice.total');
      const { value: documents, requests } = await requestsDuring(() => api.tree.getChildren(total));
      assert.deepEqual(metricsQueries(requests), ['exprun_inv_6 by_target invoice.total']);
      const disagreeing = documents.filter((node): node is FieldDocumentNode => node.kind === 'fieldDocument');
      assert.ok(disagreeing.every((node) => node.score !== null && node.score < 1));
      const first = disagreeing.find((node) => node.ref.documentId === 'expdoc_inv_001');
      assert.ok(first, 'expdoc_inv_001 disagrees on invoice.total');
      const item = api.tree.getTreeItem(first);
      assert.equal(labelOf(api, first), 'invoice_q1.pdf');
      assert.match(String(item.description), /^80\.0%/);
      assert.ok(item.command);
      const rendered = panelRendered(api, (state) => state.kind === 'job' && state.ref.documentId === 'expdoc_inv_001' && state.ref.runId === 'exprun_inv_6');
      await vscode.commands.executeCommand(item.command.command, ...((item.command.arguments as unknown[] | undefined) ?? []));
      const state = await rendered;
      assert.equal(state.kind, 'job');

      const again = await requestsDuring(async () => {
        await api.tree.getChildren(run);
        await api.tree.getChildren(fields);
        return api.tree.getChildren(total);
      });
      assert.deepEqual(
        again.requests.map((request) => `${request.path} ${JSON.stringify(request.query)}`),
        [],
        'a finished run’s field is read once',
      );
      assert.equal(again.value.length, documents.length);
    });

    it('lists a classifier run’s labels with where their votes went', async () => {
      const run = await runNode(
        (node) => node.kind === 'workflow' && node.workflow.name === 'Receipts & expenses',
        'exp_LVkQmjSpd3wL',
        'exprun_EPeBPC3oQPdHSr',
      );
      const fields = await childWhere(run, 'Fields', (node): node is FieldsNode => node.kind === 'fields');
      assert.match(String(api.tree.getTreeItem(fields).description), /^5 labels · /);
      const { value: rows, requests } = await requestsDuring(() => api.tree.getChildren(fields));
      assert.deepEqual(metricsQueries(requests), ['exprun_Q5CpnU9oN00BGN summary']);
      const labels = rows.filter((node): node is FieldNode => node.kind === 'field');
      assert.equal(labels[0].path, 'travel', 'the worst label first');
      assert.match(String(api.tree.getTreeItem(labels[0]).description), /^70\.0% ▼ \d/);
      const travel = await api.tree.getChildren(labels[0]);
      assert.deepEqual(
        travel.filter((node) => node.kind === 'voteFlow').map((node) => labelOf(api, node)),
        ['Votes went to: meals 20.0%, other 10.0%', 'Votes came from: other 10.0%'],
      );
      assert.ok(travel.some((node) => node.kind === 'fieldDocument'));
    });
  });
}
