import { MarkdownString, TreeItem } from './support/fakeVscode'; // first: installs the fake vscode module before anything requires it
import * as assert from 'node:assert/strict';
import { Job, Workflow } from '../../src/api/models';
import { showInvisibles } from '../../src/format';
import { escapeMarkdown } from '../../src/ui/shared/markdown';
import { panelTitle, renderPanelBody } from '../../src/ui/panel/jobView';
import { DocumentNode } from '../../src/ui/tree/nodes';
import { buildTreeItem } from '../../src/ui/tree/rows/registry';
import { documentDescription, documentTooltip } from '../../src/ui/tree/rows/documentRow';
import { parseJob, parseWorkflowPage } from './support/g1Wire';
import { IDS_REF, minimalNestedJob } from './support/wireBuilders';

/** `invoice‮fdp.exe` reads as "invoiceexe.pdf": a right-to-left override flips what follows. */
const SPOOFED = 'invoice\u202Efdp.exe';
const EVERY_INVISIBLE = '\u061C\u200B\u200C\u200D\u200E\u200F\u202A\u202B\u202C\u202D\u202E\u2060\u2066\u2067\u2068\u2069\uFEFF';
const INVISIBLE = /[\u061C\u200B-\u200F\u202A-\u202E\u2060\u2066-\u2069\uFEFF]/;
const REF = IDS_REF;

function spoofedJob(): Job {
  const job = parseJob(minimalNestedJob({ id: 'expjob_1', status: 'error', error: `bad ${SPOOFED}` }));
  return { ...job, handleInputs: [{ handle: 'input-document-0', type: 'file', filename: SPOOFED, fileId: null, mimeType: null, value: {} }] };
}

describe('bidi and zero-width characters in server text', () => {
  it('are shown as visible markers, each of them', () => {
    assert.equal(showInvisibles(SPOOFED), 'invoice⟨U+202E⟩fdp.exe');
    const shown = showInvisibles(`a${EVERY_INVISIBLE}b`);
    assert.ok(!INVISIBLE.test(shown), shown);
    assert.equal(shown.match(/⟨U\+[0-9A-F]{4}⟩/g)?.length, EVERY_INVISIBLE.length);
    assert.equal(showInvisibles('plain — text, émoji 🎉'), 'plain — text, émoji 🎉');
  });

  it('are visible in tree labels, descriptions and tooltips', () => {
    const workflow: Workflow = { ...parseWorkflowPage({ data: [{ id: 'wf_a', name: 'x' }] }).workflows[0], name: SPOOFED };
    const workflowItem = buildTreeItem({ kind: 'workflow', workflow }) as unknown as TreeItem;
    assert.equal(workflowItem.label, 'invoice⟨U+202E⟩fdp.exe');
    const node = { kind: 'document', parent: { kind: 'run' }, ref: REF, job: spoofedJob(), metric: undefined, slow: false } as unknown as DocumentNode;
    assert.equal((buildTreeItem(node) as unknown as TreeItem).label, 'invoice⟨U+202E⟩fdp.exe');
    assert.ok(!INVISIBLE.test(documentDescription(node)));
    const tooltips = [workflowItem.tooltip, documentTooltip(node)];
    for (const tooltip of tooltips) {
      assert.ok(tooltip instanceof MarkdownString);
      assert.ok(!INVISIBLE.test(tooltip.value), tooltip.value);
      assert.ok(tooltip.value.includes('U\\+202E'), tooltip.value);
    }
  });

  it('are visible in hovers (through the Markdown helpers)', () => {
    assert.ok(!INVISIBLE.test(escapeMarkdown(SPOOFED)));
  });

  it('are visible in the panel title and body', () => {
    const state = { kind: 'job' as const, ref: REF, job: spoofedJob(), context: { experimentName: SPOOFED, workflowName: SPOOFED }, fetchedAt: 0 };
    assert.equal(panelTitle(state), 'Job: invoice⟨U+202E⟩fdp.exe');
    const body = renderPanelBody(state);
    assert.ok(!INVISIBLE.test(body), 'no invisible character anywhere in the panel, raw JSON included');
    assert.ok(body.includes('invoice⟨U+202E⟩fdp.exe'));
  });
});
