import * as assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { RetabExtensionApi } from '../../src/extension';
import type { ExperimentNode } from '../../src/ui/tree/nodes';
import type { RunsTablePanel } from '../../src/ui/runsTable/runsTablePanel';
import type { Sandbox } from '../sandbox/server';
import { INVOICES } from '../support/fixtures';
import { descendById, sleep, useHostSession, waitFor } from './support/host';

const EXPERIMENT = 'exp_invoices_v2';
const isBlockRequest = (path: string): boolean => path.includes('/workflows/blocks');

async function replaceAll(document: vscode.TextDocument, text: string): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)), text);
  assert.ok(await vscode.workspace.applyEdit(edit));
}

function diagnosticsOf(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source === 'Retab');
}

/**
 * Editing a block's definition as files in a real extension host, on both flat generations:
 * opening (one request), checks as you type (one dry run per pause, none for unchanged text), the
 * diagnostic and its quick fix, saving (replace, the server's canonical answer), the save conflict
 * when the server changed behind the editor, and a refused save that keeps the text.
 */
for (const generation of ['g3', 'g2'] as const) {
  describe(`Editing a block definition (${generation.toUpperCase()})`, function () {
    this.timeout(90_000);
    let sandbox: Sandbox;
    let api: RetabExtensionApi;
    let experiment: ExperimentNode;

    useHostSession({ api: generation }, async (session) => {
      ({ sandbox, api } = session);
      api.tree.refresh();
      experiment = await descendById<ExperimentNode>(api, [INVOICES.workflowId, EXPERIMENT]);
    });

    afterEach(async () => {
      await vscode.commands.executeCommand('workbench.action.files.revert');
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      sandbox.reset();
      api.blocks.reset(true);
    });

    async function open(): Promise<vscode.TextDocument> {
      const uri = await vscode.commands.executeCommand<string>('retab.editBlockDefinition', experiment);
      assert.ok(uri, 'the block opens');
      return vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
    }

    it('opens the block as the CLI bundle’s files with one request, the JSON schema in front', async () => {
      const mark = sandbox.requests().length;
      const schema = await open();
      assert.match(schema.uri.toString(), /^retab:\/blocks\/wf_invoices\/extract\/blk_[0-9a-f]+\/json_schema\.json$/);
      assert.equal(schema.languageId, 'json');
      const parsed = JSON.parse(schema.getText()) as { type: string; properties: Record<string, unknown> };
      assert.equal(parsed.type, 'object');
      const config = JSON.parse(
        (await vscode.workspace.openTextDocument(schema.uri.with({ path: schema.uri.path.replace('json_schema.json', 'config.json') }))).getText(),
      ) as Record<string, unknown>;
      assert.equal(config.json_schema, undefined, 'the schema is not in config.json');
      assert.equal(config.model, 'retab-small');
      await sleep(300);
      const requests = sandbox
        .requests()
        .slice(mark)
        .filter((request) => isBlockRequest(request.path));
      assert.equal(requests.length, 1, requests.map((request) => `${request.method} ${request.path}`).join(', '));
    });

    it('checks as you type with the server’s dry run, once per pause, and puts a refused key where it is with a quick fix', async () => {
      const schema = await open();
      const configUri = schema.uri.with({ path: schema.uri.path.replace('json_schema.json', 'config.json') });
      const config = await vscode.workspace.openTextDocument(configUri);
      await vscode.window.showTextDocument(config);
      const mark = sandbox.requests().length;
      const original = config.getText();
      const withLegacy = original.replace('{\n', '{\n  "prompt": "Extract everything",\n');
      // A paragraph typed in bursts: one dry run for the pause after it.
      for (let length = 20; length <= withLegacy.length; length += Math.ceil(withLegacy.length / 6)) {
        await replaceAll(config, withLegacy.slice(0, length));
        await sleep(60);
      }
      await replaceAll(config, withLegacy);
      const diagnostics = await waitFor('the refused key’s diagnostic', () => {
        const found = diagnosticsOf(configUri);
        return found.length > 0 ? found : undefined;
      });
      const validations = sandbox
        .requests()
        .slice(mark)
        .filter((request) => request.path.endsWith('/validate-config'));
      assert.equal(validations.length, 1, 'one dry run for one pause');
      assert.match(diagnostics[0].message, /does not take "prompt"/);
      assert.equal(config.getText(diagnostics[0].range), '"prompt"', 'on the key itself');
      // Unchanged text is never sent again.
      await replaceAll(config, withLegacy);
      await sleep(800);
      assert.equal(
        sandbox
          .requests()
          .slice(mark)
          .filter((request) => request.path.endsWith('/validate-config')).length,
        1,
      );
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', configUri, diagnostics[0].range);
      const fix = actions.find((action) => action.title === 'Set "prompt" to null');
      assert.ok(fix?.edit, `quick fix offered: ${actions.map((action) => action.title).join(', ')}`);
      await vscode.workspace.applyEdit(fix.edit);
      assert.match(config.getText(), /"prompt": null/);
      await waitFor('the diagnostic to go', () => (diagnosticsOf(configUri).length === 0 ? true : undefined));
    });

    it('checks locally only, said once, when the server cannot be reached for its dry run; Refresh tries again', async () => {
      const schema = await open();
      await vscode.window.showTextDocument(schema);
      sandbox.setFaults({ dropConnection: 100, pathFilter: '/validate-config' });
      const mark = sandbox.requests().length;
      await replaceAll(schema, schema.getText().replace('"The total."', '"The total, with taxes."'));
      await waitFor('local checks only', () => (api.blocks.checks.serverChecksOn ? undefined : true));
      await replaceAll(schema, schema.getText().replace('"The total, with taxes."', '"The total, taxes included."'));
      await sleep(900);
      assert.equal(
        sandbox
          .requests()
          .slice(mark)
          .filter((request) => request.path.endsWith('/validate-config')).length,
        1,
        'not asked again for each pause',
      );
      sandbox.setFaults({});
      await vscode.commands.executeCommand('retab.refresh');
      assert.equal(api.blocks.checks.serverChecksOn, true);
    });

    it('saves with replace in two requests, and the editor takes the server’s answer', async () => {
      const schema = await open();
      await vscode.window.showTextDocument(schema);
      // A person saves more than a second after opening: the save reads the block again then.
      await sleep(1_100);
      const parsed = JSON.parse(schema.getText()) as { properties: { invoice: { properties: { due_date: { description: string } } } } };
      parsed.properties.invoice.properties.due_date.description = 'The due date, printed next to "Payment terms"; format YYYY-MM-DD.';
      await replaceAll(schema, JSON.stringify(parsed, null, 2));
      const mark = sandbox.requests().length;
      assert.ok(await schema.save(), 'saved');
      const requests = sandbox
        .requests()
        .slice(mark)
        .filter((request) => isBlockRequest(request.path) && !request.path.endsWith('/validate-config'));
      assert.deepEqual(
        requests.map((request) => request.method),
        ['GET', 'PATCH'],
      );
      const body = JSON.parse(requests[1].body ?? '{}') as { config_mode: string; config: { json_schema: unknown; model: string } };
      assert.equal(body.config_mode, 'replace');
      assert.deepEqual(body.config.json_schema, parsed);
      assert.equal(body.config.model, 'retab-small', 'the other files as they were');
      const block = (await (
        await fetch(`${sandbox.url}/workflows/blocks/${requests[0].path.split('/').pop() ?? ''}`, { headers: sandbox.authHeaders() })
      ).json()) as { config: { json_schema: unknown } };
      assert.deepEqual(block.config.json_schema, parsed);
      await waitFor('the canonical text', () => (schema.getText() === `${JSON.stringify(parsed, null, 2)}\n` ? true : undefined));
      assert.equal(schema.isDirty, false);
    });

    it('writes nothing when the block changed on the server since it was opened (VS Code’s save conflict)', async () => {
      const schema = await open();
      await vscode.window.showTextDocument(schema);
      const blockId = schema.uri.path.split('/')[4];
      await replaceAll(schema, schema.getText().replace('"The total."', '"The total, taxes included."'));
      assert.ok(sandbox.touchBlock(blockId));
      await sleep(1_100);
      const mark = sandbox.requests().length;
      const saved = await schema.save();
      assert.equal(saved, false, 'not saved');
      assert.equal(
        sandbox
          .requests()
          .slice(mark)
          .filter((request) => request.method === 'PATCH').length,
        0,
        'no PATCH',
      );
      assert.ok(schema.isDirty, 'the text is kept');
    });

    it('compares the definitions two runs used in the diff editor, with the server’s list of changes beside it', async () => {
      const runs = await api.repository.listRuns(INVOICES.workflowId, 'exp_invoices_tuning');
      const byNumber = (number: number): string => runs[runs.length - number].id;
      const opened = await vscode.commands.executeCommand<string | undefined>('retab.compareDefinitions', {
        workflowId: INVOICES.workflowId,
        experimentId: 'exp_invoices_tuning',
        fromRunId: byNumber(7),
        toRunId: byNumber(8),
      });
      assert.ok(opened, 'a diff opened');
      const tab = await waitFor('the diff tab', () => {
        const input = vscode.window.tabGroups.all.flatMap((group) => group.tabs).find((candidate) => candidate.input instanceof vscode.TabInputTextDiff)?.input;
        return input instanceof vscode.TabInputTextDiff ? input : undefined;
      });
      assert.match(tab.original.path, /^\/versions\/wf_invoices\/extract\/blk_[0-9a-f]+\/bver_[0-9a-f]+\/json_schema\.json$/);
      const [left, right] = await Promise.all([vscode.workspace.openTextDocument(tab.original), vscode.workspace.openTextDocument(tab.modified)]);
      assert.match(left.getText(), /"The vat id\."/);
      assert.match(right.getText(), /"An identifier\."/, 'run 8’s definition lost the VAT id’s hint');
      const changes = await waitFor('the list of changes', () =>
        vscode.workspace.textDocuments.find((document) => document.languageId === 'markdown' && document.getText().startsWith('# Block definition changes')),
      );
      assert.match(changes.getText(), /config\.json_schema\.properties\.vendor\.properties\.vat_id\.description/);
    });

    it('compares definitions from the Runs table: a column whose definition changed against the run before it', async () => {
      const experimentNode = await descendById<ExperimentNode>(api, [INVOICES.workflowId, 'exp_invoices_tuning']);
      const panel = await vscode.commands.executeCommand<RunsTablePanel>('retab.compareRuns', experimentNode);
      const table = await waitFor('the Runs table', () => panel.currentTable, 20_000);
      const column = table.columns.findIndex((candidate) => candidate.number === 8);
      assert.ok(table.columns[column].definitionChanged, 'run 8 is marked as after an edit');
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await panel.compareDefinitions(column);
      const diff = await waitFor('the diff tab', () => {
        const input = vscode.window.tabGroups.all.flatMap((group) => group.tabs).find((candidate) => candidate.input instanceof vscode.TabInputTextDiff)?.input;
        return input instanceof vscode.TabInputTextDiff ? input : undefined;
      });
      assert.match((await vscode.workspace.openTextDocument(diff.modified)).getText(), /"An identifier\."/);
    });

    it('restores a version to the draft, and the open editor shows it; publishes the draft after saying what changes', async () => {
      const schema = await open();
      const address = { workflowId: INVOICES.workflowId, blockType: 'extract', blockId: schema.uri.path.split('/')[4] };
      const versions = (await (
        await fetch(`${sandbox.url}/workflows/blocks/versions?workflow_id=${INVOICES.workflowId}&block_id=${address.blockId}`, {
          headers: sandbox.authHeaders(),
        })
      ).json()) as {
        data: Array<{ id: string; config: { model: string } }>;
      };
      // The draft runs retab-small: a version on another model shows the restore in config.json.
      const older = versions.data.find((version) => version.config.model !== 'retab-small');
      assert.ok(older, 'an older version with another model');
      assert.ok(await api.blocks.restore(address, older.id, true));
      const configUri = schema.uri.with({ path: schema.uri.path.replace('json_schema.json', 'config.json') });
      const config = await vscode.workspace.openTextDocument(configUri);
      await waitFor('the restored text', () => ((JSON.parse(config.getText()) as { model?: string }).model === older.config.model ? true : undefined));
      const tree = api.tree.getTreeItem((await api.tree.getChildren()).find((node) => node.kind === 'workflow' && node.workflow.id === INVOICES.workflowId)!);
      assert.equal(tree.description, 'draft differs from published');
      const published = await vscode.commands.executeCommand<string | undefined>(
        'retab.publishWorkflow',
        { workflowId: INVOICES.workflowId },
        { description: 'Restored model', confirmed: true },
      );
      assert.match(published ?? '', /^ver_/);
      const row = api.tree.getTreeItem((await api.tree.getChildren()).find((node) => node.kind === 'workflow' && node.workflow.id === INVOICES.workflowId)!);
      assert.equal(row.description, 'published');
    });

    it('pulls the block into a folder as the CLI’s bundle, pushes it back, and refuses a push when the server changed since the pull', async () => {
      const folder = vscode.Uri.file(await mkdtemp(join(tmpdir(), 'retab-bundle-')));
      const blockId = (await api.repository.listExperiments(INVOICES.workflowId)).find((candidate) => candidate.id === EXPERIMENT)?.blockId ?? '';
      assert.equal(await vscode.commands.executeCommand('retab.pullBlockToFolder', { workflowId: INVOICES.workflowId, blockId }, folder), true);
      const read = async (file: string): Promise<string> => new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder, file)));
      const manifest = JSON.parse(await read('manifest.json')) as {
        target: { block_id: string };
        adapter: { name: string };
        baseline: { config_hash: string };
        files: Array<{ path: string }>;
      };
      assert.equal(manifest.target.block_id, blockId);
      assert.equal(manifest.adapter.name, 'json_schema');
      assert.match(manifest.baseline.config_hash, /^[0-9a-f]{64}$/);
      assert.deepEqual(
        manifest.files.map((file) => file.path),
        ['config.json', 'json_schema.json'],
      );
      const schema = JSON.parse(await read('json_schema.json')) as { properties: { notes: { description: string } } };
      schema.properties.notes.description = 'Free text printed under the totals.';
      await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, 'json_schema.json'), new TextEncoder().encode(JSON.stringify(schema, null, 2)));
      assert.equal(await vscode.commands.executeCommand('retab.pushBlockFromFolder', folder, { confirmed: true }), true);
      const remote = (await (await fetch(`${sandbox.url}/workflows/blocks/${blockId}`, { headers: sandbox.authHeaders() })).json()) as {
        config: { json_schema: unknown };
      };
      assert.deepEqual(remote.config.json_schema, schema);
      const rebased = JSON.parse(await read('manifest.json')) as { baseline: { config_hash: string } };
      assert.notEqual(rebased.baseline.config_hash, manifest.baseline.config_hash, 'the baseline follows the push');
      assert.ok(sandbox.touchBlock(blockId));
      const mark = sandbox.requests().length;
      assert.equal(await vscode.commands.executeCommand('retab.pushBlockFromFolder', folder, { confirmed: true }), false);
      assert.equal(
        sandbox
          .requests()
          .slice(mark)
          .filter((request) => request.method === 'PATCH').length,
        0,
        'nothing written',
      );
    });

    it('answers an agent with the block’s config and what changed between two runs (#retabBlockDefinition)', async () => {
      const runs = await api.repository.listRuns(INVOICES.workflowId, 'exp_invoices_tuning');
      const result = await vscode.lm.invokeTool(
        'retab_blockDefinition',
        { input: { runId: runs[runs.length - 8].id, workflowId: INVOICES.workflowId, experimentId: 'exp_invoices_tuning' }, toolInvocationToken: undefined },
        new vscode.CancellationTokenSource().token,
      );
      const text = result.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : '')).join('');
      assert.match(text, /--- json_schema\.json \(retab:\/blocks\/wf_invoices\/extract\//);
      assert.match(text, /Run 7 \(exprun_[^)]+\) used block version bver_/);
      assert.match(text, /vendor\.properties\.vat_id\.description: "The vat id\." → "An identifier\."/);
      assert.ok(text.length <= 12_000);
    });

    it('keeps the text and shows the server’s reason when it refuses a save', async () => {
      const schema = await open();
      const configUri = schema.uri.with({ path: schema.uri.path.replace('json_schema.json', 'config.json') });
      const config = await vscode.workspace.openTextDocument(configUri);
      await vscode.window.showTextDocument(config);
      await replaceAll(config, config.getText().replace('{\n', '{\n  "image_resolution_dpi": 150,\n'));
      const mark = sandbox.requests().length;
      assert.equal(await config.save(), false);
      assert.equal(
        sandbox
          .requests()
          .slice(mark)
          .filter((request) => request.method === 'PATCH').length,
        1,
        'the server was asked and refused',
      );
      assert.ok(config.isDirty);
      const diagnostics = await waitFor('the refusal where it points', () => {
        const found = diagnosticsOf(configUri);
        return found.length > 0 ? found : undefined;
      });
      assert.equal(config.getText(diagnostics[0].range), '"image_resolution_dpi"');
    });
  });
}

describe('Editing a block definition (G1)', function () {
  this.timeout(60_000);
  let api: RetabExtensionApi;
  useHostSession({ api: 'g1' }, (session) => {
    ({ api } = session);
  });

  it('offers no edit command on a server without blocks, and says why once when asked', async () => {
    await api.blocks.updateAvailability();
    const opened = await vscode.commands.executeCommand<string | undefined>('retab.editBlockDefinition', { workflowId: INVOICES.workflowId, blockId: 'blk_x' });
    assert.equal(opened, undefined);
  });
});
