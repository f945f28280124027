import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RetabExtensionApi } from '../../src/extension';
import { Sandbox, startSandbox } from '../sandbox/server';
import { INVOICES } from '../support/fixtures';
import { childById, descendById, useHostSession } from './support/host';
import type { ExperimentNode } from '../../src/ui/tree/nodes';

/**
 * Two Retab accounts on two servers (G3 with the session's key, G2 with another): adding one checks
 * its key there and shows it; switching shows the other's tree, and no request ever carries one
 * connection's key to the other's server; removing takes the connection and its key away.
 */
describe('Connections', function () {
  this.timeout(60_000);
  let first: Sandbox;
  let second: Sandbox;
  let api: RetabExtensionApi;

  useHostSession({ api: 'g3' }, async (session) => {
    ({ sandbox: first, api } = session);
    second = await startSandbox({ api: 'g2', apiKey: 'sk_client_x_0123456789' });
  });

  after(async () => {
    await second?.close();
  });

  it('adds a connection, shows its tree, switches back, and never sends a key to the other server', async () => {
    await childById(api, undefined, INVOICES.workflowId);
    const firstBefore = first.requests().length;
    const added = await vscode.commands.executeCommand<boolean>('retab.addConnection', {
      name: 'Client X',
      baseUrl: second.url,
      key: second.apiKey,
    });
    assert.equal(added, true);
    await childById(api, undefined, INVOICES.workflowId);
    assert.ok(
      second.requests().some((request) => request.path.includes('/workflows')),
      'the tree came from the second server',
    );
    assert.deepEqual(
      first
        .requests()
        .slice(firstBefore)
        .map((request) => request.path),
      [],
      'nothing went to the first server after the switch',
    );

    const secondBefore = second.requests().length;
    await vscode.commands.executeCommand('retab.switchConnection', 'default');
    await childById(api, undefined, INVOICES.workflowId);
    assert.ok(first.requests().length > firstBefore, 'the first server is read again');
    assert.equal(second.requests().length, secondBefore, 'nothing more went to the second server');
    for (const request of [...first.requests(), ...second.requests()]) {
      assert.notEqual(request.ownKey, false, `${request.method} ${request.path} carried the other connection's key: ${JSON.stringify(request)}`);
    }
  });

  it('saves a block only with the connection it was opened with, even where the other account has the same ids', async () => {
    // Both sandboxes hold the same fixtures: the second account has a block of the same id.
    const experiment = await descendById<ExperimentNode>(api, [INVOICES.workflowId, 'exp_invoices_v2']);
    const uri = await vscode.commands.executeCommand<string>('retab.editBlockDefinition', experiment);
    assert.ok(uri);
    const schema = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
    await vscode.window.showTextDocument(schema);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(schema.uri, new vscode.Position(0, 0), ' ');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const other = api.connections.list().find((connection) => connection.id !== 'default');
    assert.ok(other);
    await vscode.commands.executeCommand('retab.switchConnection', other.id);
    const patches = (sandbox: Sandbox): number => sandbox.requests().filter((request) => request.method === 'PATCH').length;
    const before = [patches(first), patches(second)];
    assert.equal(await schema.save(), false, 'not saved under the other connection');
    assert.deepEqual([patches(first), patches(second)], before, 'no PATCH anywhere');
    assert.ok(schema.isDirty, 'the text is kept');
    await vscode.commands.executeCommand('retab.switchConnection', 'default');
    assert.equal(await schema.save(), true, 'saved once back on its connection');
    assert.equal(patches(first), before[0] + 1);
    assert.equal(patches(second), before[1]);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('removes the connection with its key', async () => {
    const id = connectionsOf(api).find((name) => name !== 'default');
    assert.ok(id, connectionsOf(api).join(', '));
    assert.equal(await api.connections.keyStoreOf(id).get(), second.apiKey);
    assert.equal(await vscode.commands.executeCommand<boolean>('retab.removeConnection', id, true), true);
    assert.deepEqual(connectionsOf(api), ['default']);
    assert.equal(await api.connections.keyStoreOf(id).get(), undefined, 'the key left secret storage');
  });
});

function connectionsOf(api: RetabExtensionApi): string[] {
  return api.connections.list().map((connection) => connection.id);
}
