import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Sandbox } from '../sandbox/server';
import { INVOICES, invoiceDocumentId, invoiceRunId } from '../support/fixtures';
import { useHostSession } from './support/host';

async function invoke(name: string, input: object): Promise<string> {
  const result = await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined }, new vscode.CancellationTokenSource().token);
  return result.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : '')).join('');
}

/** The language-model tools, called as an agent calls them (no model needed), against each route family. */
for (const generation of ['g3', 'g1'] as const) {
  describe(`Language-model tools on a ${generation.toUpperCase()} server`, function () {
    this.timeout(60_000);
    let sandbox: Sandbox;
    const ids = generation === 'g3' ? {} : { workflowId: INVOICES.workflowId, experimentId: INVOICES.experimentId };

    useHostSession({ api: generation }, (session) => {
      sandbox = session.sandbox;
    });

    it('are registered with the names package.json declares', () => {
      const names = vscode.lm.tools.map((tool) => tool.name);
      for (const name of [
        'retab_listRunFailures',
        'retab_getJob',
        'retab_listDisagreeingFields',
        'retab_compareDocumentAcrossRuns',
        'retab_listEvalFailures',
      ]) {
        assert.ok(names.includes(name), name);
      }
    });

    it('list a workflow’s failing evals with expected and actual (G3), or say why not (G1)', async () => {
      if (generation === 'g1') {
        assert.match(await invoke('retab_listEvalFailures', { workflowId: INVOICES.workflowId }), /./);
        return;
      }
      const empty = await invoke('retab_listEvalFailures', { workflowId: INVOICES.workflowId });
      assert.match(empty, /no eval runs yet/);
      const started = await fetch(`${sandbox.url}/workflows/evals/runs`, {
        method: 'POST',
        headers: { ...sandbox.authHeaders(), 'content-type': 'application/json' },
        body: JSON.stringify({ workflow_id: INVOICES.workflowId }),
      });
      assert.equal(started.status, 201);
      await new Promise((resolve) => setTimeout(resolve, 8_000));
      const text = await invoke('retab_listEvalFailures', { workflowId: INVOICES.workflowId });
      assert.match(text, /failed/);
      assert.match(text, /expected .*; actual /);
      assert.ok(text.length < 20_000, `bounded: ${text.length} characters (one actual value is 300 KB)`);
    });

    it('list a run’s failures grouped by cause', async () => {
      const text = await invoke('retab_listRunFailures', { runId: invoiceRunId(6), ...ids });
      assert.match(text, new RegExp(`${invoiceRunId(6)} .*40 documents, \\d+ failed, in \\d+ group`));
      assert.match(text, /^1\. \d+× /m);
      assert.ok(!text.includes(sandbox.apiKey));
    });

    it('get one document’s job', async () => {
      const text = await invoke('retab_getJob', { runId: invoiceRunId(6), documentId: invoiceDocumentId(7), ...ids });
      assert.match(text, /: error, extract block/);
      assert.match(text, /^error:/m);
    });

    it('list a document’s disagreeing fields with the consensus and every vote', async () => {
      const text = await invoke('retab_listDisagreeingFields', { runId: invoiceRunId(6), documentId: invoiceDocumentId(1), ...ids });
      assert.match(text, /with disagreement/);
      assert.match(text, /invoice\.total.*80\.0%.*consensus/);
      assert.match(text, /votes .*\|.*\|/);
      assert.match(text, /invoice\.issue_date.*\n\s+.*votes .*null/);
    });

    it('compare a document across two runs down to its fields', async () => {
      const text = await invoke('retab_compareDocumentAcrossRuns', {
        documentId: invoiceDocumentId(1),
        runId: invoiceRunId(6),
        otherRunId: invoiceRunId(5),
        ...ids,
      });
      assert.match(text, new RegExp(`run ${invoiceRunId(5)} → run ${invoiceRunId(6)}`));
      assert.match(text, /"vendor\.name": 60\.0% → 100\.0%; consensus .* → /);
    });

    it('say which run has no field scores when a comparison cannot go down to fields', async () => {
      const text = await invoke('retab_compareDocumentAcrossRuns', {
        documentId: invoiceDocumentId(1),
        runId: invoiceRunId(6),
        otherRunId: invoiceRunId(4),
        ...ids,
      });
      assert.match(
        text,
        new RegExp(`^Fields not compared: run ${invoiceRunId(4)} has no field scores: the run has not been scored \\(yet\\) — No ground truth`, 'm'),
      );
    });

    it('answer a wrong input with an error the model can read, sending nothing', async () => {
      const before = sandbox.requests().length;
      const text = await invoke('retab_getJob', { runId: '../../workflows', documentId: invoiceDocumentId(7) });
      assert.match(text, /^Error \(invalid_id\): Input "runId"/);
      // Other parts of the extension may ask things meanwhile; nothing about this input went out.
      const sent = sandbox.requests().slice(before);
      assert.ok(!sent.some((request) => JSON.stringify(request).includes(invoiceDocumentId(7)) || request.path.includes('..')), JSON.stringify(sent));
    });
  });
}
