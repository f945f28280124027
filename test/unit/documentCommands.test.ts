import './support/fakeVscode'; // first: installs the fake vscode module before anything requires it
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { jobRefFrom } from '../../src/ui/commands/documentCommands';
import { COMMANDS } from '../../src/ui/shared/names';
import { IDS_REF } from './support/wireBuilders';

const PANEL_REF = { ...IDS_REF, documentId: 'expdoc_panel' };

describe('document commands: which job they act on', () => {
  it('take a run’s document row, or a document that disagrees on a field, else the job in the panel', () => {
    assert.deepEqual(jobRefFrom({ kind: 'document', ref: IDS_REF }, PANEL_REF), IDS_REF);
    const disagreeing = { ...IDS_REF, documentId: 'expdoc_field' };
    assert.deepEqual(jobRefFrom({ kind: 'fieldDocument', ref: disagreeing }, PANEL_REF), disagreeing);
    assert.deepEqual(jobRefFrom({ kind: 'field', path: 'invoice.total' }, PANEL_REF), PANEL_REF, 'a field row is not a document');
    assert.deepEqual(jobRefFrom(undefined, PANEL_REF), PANEL_REF);
  });

  it('are on the menus of both kinds of document rows, and of no other row', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../package.json'), 'utf8')) as {
      contributes: { menus: Record<string, Array<{ command: string; when?: string }>> };
    };
    for (const command of [COMMANDS.openArtifact, COMMANDS.compareWithRun, COMMANDS.copyLink]) {
      const entry = manifest.contributes.menus['view/item/context'].find((item) => item.command === command);
      const pattern = /viewItem =~ \/(.+)\/$/.exec(entry?.when ?? '')?.[1];
      assert.ok(pattern, `${command}: ${entry?.when}`);
      const matches = (contextValue: string): boolean => new RegExp(pattern).test(contextValue);
      assert.ok(matches('document') && matches('fieldDocument'), command);
      assert.ok(!matches('fields') && !matches('field') && !matches('run.completed') && !matches('documents'), command);
    }
  });
});
