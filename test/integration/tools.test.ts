import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Sandbox, startSandbox } from '../sandbox/server';
import { activateExtension, setBaseUrl } from './support/host';

async function invoke(name: string, input: object): Promise<string> {
  const result = await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined }, new vscode.CancellationTokenSource().token);
  return result.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : '')).join('');
}

/** The language-model tools, called as an agent calls them (no model needed), against each route family. */
for (const generation of ['g3', 'g1'] as const) {
  describe(`Language-model tools on a ${generation.toUpperCase()} server`, function () {
    this.timeout(60_000);
    let sandbox: Sandbox;
    const ids = generation === 'g3' ? {} : { workflowId: 'wf_invoices', experimentId: 'exp_invoices_v2' };

    before(async () => {
      sandbox = await startSandbox({ api: generation });
      await setBaseUrl(sandbox.url);
      await activateExtension();
      await vscode.commands.executeCommand('retab.clearApiKey');
      assert.equal(await vscode.commands.executeCommand<boolean>('retab.setApiKey', sandbox.apiKey), true);
    });

    after(async () => {
      await vscode.commands.executeCommand('retab.clearApiKey');
      await setBaseUrl(undefined);
      await sandbox.close();
    });

    it('are registered with the names package.json declares', () => {
      const names = vscode.lm.tools.map((tool) => tool.name);
      for (const name of ['retab_listRunFailures', 'retab_getJob', 'retab_listDisagreeingFields', 'retab_compareDocumentAcrossRuns']) {
        assert.ok(names.includes(name), name);
      }
    });

    it('list a run’s failures grouped by cause', async () => {
      const text = await invoke('retab_listRunFailures', { runId: 'exprun_inv_6', ...ids });
      assert.match(text, /exprun_inv_6 .*40 documents, \d+ failed, in \d+ group/);
      assert.match(text, /^1\. \d+× /m);
      assert.ok(!text.includes(sandbox.apiKey));
    });

    it('get one document’s job', async () => {
      const text = await invoke('retab_getJob', { runId: 'exprun_inv_6', documentId: 'expdoc_inv_007', ...ids });
      assert.match(text, /: error, extract block/);
      assert.match(text, /^error:/m);
    });

    it('list a document’s disagreeing fields with the consensus and every vote', async () => {
      const text = await invoke('retab_listDisagreeingFields', { runId: 'exprun_inv_6', documentId: 'expdoc_inv_001', ...ids });
      assert.match(text, /with disagreement/);
      assert.match(text, /invoice\.total.*80\.0%.*consensus/);
      assert.match(text, /votes .*\|.*\|/);
      assert.match(text, /invoice\.issue_date.*\n\s+.*votes .*null/);
    });

    it('compare a document across two runs down to its fields', async () => {
      const text = await invoke('retab_compareDocumentAcrossRuns', { documentId: 'expdoc_inv_001', runId: 'exprun_inv_6', otherRunId: 'exprun_inv_5', ...ids });
      assert.match(text, /run exprun_inv_5 → run exprun_inv_6/);
      assert.match(text, /"vendor\.name": 60\.0% → 100\.0%; consensus .* → /);
    });

    it('answer a wrong input with an error the model can read, sending nothing', async () => {
      const before = sandbox.requests().length;
      const text = await invoke('retab_getJob', { runId: '../../workflows', documentId: 'expdoc_inv_007' });
      assert.match(text, /^Error \(invalid_id\): Input "runId"/);
      // Other parts of the extension may ask things meanwhile; nothing about this input went out.
      const sent = sandbox.requests().slice(before);
      assert.ok(!sent.some((request) => JSON.stringify(request).includes('expdoc_inv_007') || request.path.includes('..')), JSON.stringify(sent));
    });
  });
}
