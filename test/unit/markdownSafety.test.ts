import { MarkdownString, Position, TreeItem, cancellationToken, textDocument } from './support/fakeVscode'; // first: installs the fake vscode module before anything requires it
import * as assert from 'node:assert/strict';
import { JobRef, PartialJobRef } from '../../src/api/ids';
import { Experiment, Job, RunSummary, Workflow } from '../../src/api/models';
import { JobLocator } from '../../src/data/locator';
import { RetabRepository } from '../../src/data/repository';
import { IdHoverProvider } from '../../src/ui/hover/idHoverProvider';
import { codeBlock, codeSpan, commandLink, commandUri, escapeMarkdown, escapeMarkdownLines, notificationText } from '../../src/ui/shared/markdown';
import { DocumentNode, ExperimentNode, FailureGroupNode, RunNode, WorkflowNode } from '../../src/ui/tree/nodes';
import { buildTreeItem } from '../../src/ui/tree/rows/registry';
import { documentTooltip } from '../../src/ui/tree/rows/documentRow';
import { runTooltip } from '../../src/ui/tree/rows/runRow';
import { parseExperimentList, parseJob, parseRunList, parseWorkflowPage } from './support/g1Wire';
import { RenderedMarkdown, renderMarkdown } from './support/renderMarkdown';
import {
  IDS_REF,
  minimalNestedExperiment,
  minimalNestedJob,
  minimalNestedRun,
  minimalWorkflow,
  nestedFileInputs,
  nestedRunList,
  page,
} from './support/wireBuilders';

/** A run id that, placed in a code span of a trusted hover, added a command link and a remote image. */
const BREAKOUT_ID = 'exprun_1` [Open](command:retab.openJob?%5B%7B%22runId%22%3A%22evil%22%7D%5D) ![t](https://evil.example/t.png) `';
const BREAKOUT_ID_NEWLINES = 'exprun_1\n\n[Open](command:retab.lookupJob?%5B%22wf_evil%22%5D)\n\n![t](https://evil.example/t.png)';
const HOSTILE_NAME =
  '**bold** [link](command:retab.openJob?%5B%5D) <img src=x onerror=alert(1)> ![i](https://evil.example/i.png) https://evil.example www.evil.example `tick` $(zap) | a | b |\n\n# heading\n[second](https://evil.example)';
const HOSTILE_ERROR = '```` [x](command:retab.openJob?%5B%5D) ![i](https://evil.example/i.png)\n```\n[y](command:retab.openJob?%5B%5D)\n````\n    at line 3';

const REF: JobRef = IDS_REF;

function job(overrides: Partial<Job> = {}): Job {
  const base = parseJob(
    minimalNestedJob({
      id: 'expjob_1',
      status: 'error',
      block_kind: 'extract',
      handle_inputs: nestedFileInputs('invoice.pdf'),
      error: 'failed',
      duration_ms: 1200,
    }),
  );
  return { ...base, ...overrides };
}

function workflow(overrides: Partial<Workflow> = {}): Workflow {
  return { ...parseWorkflowPage(page([minimalWorkflow({ name: 'Invoices' })])).workflows[0], ...overrides };
}

function experiment(overrides: Partial<Experiment> = {}): Experiment {
  return { ...parseExperimentList([minimalNestedExperiment({ name: 'Totals', block_kind: 'extract' })])[0], ...overrides };
}

function run(overrides: Partial<RunSummary> = {}): RunSummary {
  return { ...parseRunList(nestedRunList([minimalNestedRun()]))[0], ...overrides };
}

function hostileFile(name: string): Job['handleInputs'] {
  return [{ handle: 'input-document-0', type: 'file', filename: name, fileId: null, mimeType: null, value: {} }];
}

/** Nothing but our own links, with exactly the arguments we built; no image; text kept as text. */
function assertSafe(rendered: RenderedMarkdown, allowedLinks: readonly string[] = []): void {
  assert.equal(rendered.images, 0, `no image in ${rendered.html}`);
  assert.deepEqual(rendered.links, [...allowedLinks], `only our links in ${rendered.html}`);
  assert.ok(!/<(h\d|table|img|strong>bold)/.test(rendered.html), `no structure from server text in ${rendered.html}`);
}

function markdownOf(value: unknown): string {
  assert.ok(value instanceof MarkdownString, 'a MarkdownString');
  return value.value;
}

interface HoverFakes {
  workflow?: Workflow;
  experiment?: Experiment;
  job?: Job;
  completed?: PartialJobRef;
  hasKey?: boolean;
  fail?: Error;
}

function hoverProvider(fakes: HoverFakes): IdHoverProvider {
  const fail = (): never => {
    throw fakes.fail ?? new Error('not expected');
  };
  // Only what the hover reads; anything else it calls fails the test.
  const repository = {
    knownWorkflow: () => (fakes.fail ? fail() : fakes.workflow),
    getWorkflow: async () => (fakes.fail ? fail() : (fakes.workflow ?? fail())),
    knownExperiment: () => fakes.experiment,
    knownRun: () => undefined,
    knownDocument: () => undefined,
    cachedJob: () => (fakes.fail ? fail() : fakes.job),
    getJob: fail,
    locateJob: fail,
    locateRun: fail,
  } as unknown as RetabRepository;
  const locator = { completeFromMemory: (partial: PartialJobRef) => ({ ...partial, ...fakes.completed }) } as unknown as JobLocator;
  return new IdHoverProvider(repository, locator, async () => fakes.hasKey ?? true);
}

async function hoverMarkdown(provider: IdHoverProvider, text: string, id: string): Promise<string> {
  const document = textDocument(text);
  const position = document.positionAt(text.indexOf(id) + 2);
  const hover = await provider.provideHover(document as never, new Position(position.line, position.character) as never, cancellationToken() as never);
  assert.ok(hover, 'a hover');
  return markdownOf(hover.contents);
}

describe('Markdown from server text', () => {
  describe('helpers', () => {
    it('escapes every Markdown and HTML special and keeps the text readable', () => {
      const rendered = renderMarkdown(escapeMarkdown(HOSTILE_NAME));
      assertSafe(rendered);
      assert.equal(rendered.text.trim(), HOSTILE_NAME.replace(/\n/g, ' ').replace('$(zap)', '\\$(zap)'));
      assert.ok(!escapeMarkdown('a\nb\r\nc').includes('\n'), 'inline text has no line break');
      assert.equal(renderMarkdown(escapeMarkdownLines('one [x](y)\n\ntwo')).links.length, 0);
    });

    it('builds code spans and blocks that no text can leave', () => {
      for (const hostile of [BREAKOUT_ID, BREAKOUT_ID_NEWLINES, '`', '``a``', 'a`', '`a', ' ', ' a ']) {
        const rendered = renderMarkdown(`Run ${codeSpan(hostile)} after`);
        assertSafe(rendered);
        assert.deepEqual(rendered.codeSpans, [hostile.replace(/\n/g, ' ')], JSON.stringify(hostile));
      }
      const block = renderMarkdown(`${codeBlock(HOSTILE_ERROR)}after [a](https://x.example)`);
      assert.equal(block.images, 0);
      assert.deepEqual(block.links, ['https://x.example'], 'only the link written after the block');
      assert.ok(block.html.includes('````'), 'the fences inside stay text');
    });

    it('links only our commands, only with safe ids, and encodes what ends a link', () => {
      const link = commandLink('link-external', 'Open Job', 'retab.openJob', REF);
      const rendered = renderMarkdown(link);
      assert.equal(rendered.links.length, 1);
      const target = rendered.links[0];
      assert.ok(target.startsWith('command:retab.openJob?'));
      assert.deepEqual(JSON.parse(decodeURIComponent(target.slice('command:retab.openJob?'.length))), [REF]);
      assert.ok(!/[()'!*]/.test(commandUri('retab.openJob', REF) ?? ''), 'no character that could end the destination');
      for (const bad of [
        { ...REF, runId: BREAKOUT_ID },
        { ...REF, documentId: '../x' },
        { ...REF, workflowId: 'a)b' },
      ]) {
        assert.equal(commandUri('retab.openJob', bad), undefined);
        assert.deepEqual(renderMarkdown(commandLink('link-external', 'Open Job', 'retab.openJob', bad)).links, []);
      }
      assert.equal(commandUri('retab.lookupJob', ['wf_a', 'exp_b) [x](command:y']), undefined);
    });
  });

  it('breaks links apart in notification text (notifications render [label](target))', () => {
    const shown = notificationText('Not found: [Open](command:workbench.action.terminal.new) ] \t(x) \u202E');
    assert.ok(!shown.includes(']('), shown);
    assert.ok(shown.includes('[Open] (command:workbench.action.terminal.new)'));
    assert.ok(shown.includes('⟨U+202E⟩'));
  });

  describe('hovers (trusted for our commands)', () => {
    it('keeps a hostile run id inside its code span: no command link, no image', async () => {
      for (const hostileId of [BREAKOUT_ID, BREAKOUT_ID_NEWLINES]) {
        const provider = hoverProvider({ job: job({ error: null }), completed: { ...REF, runId: hostileId, experimentId: hostileId } });
        const md = await hoverMarkdown(provider, '{"document_id": "expdoc_d"}', 'expdoc_d');
        const rendered = renderMarkdown(md);
        assertSafe(rendered);
        assert.ok(rendered.codeSpans.includes(hostileId.replace(/\n/g, ' ')), 'the id is shown whole, as code');
      }
    });

    it('escapes a hostile file name and error and links only the job it describes', async () => {
      const provider = hoverProvider({ job: job({ handleInputs: hostileFile(HOSTILE_NAME), error: HOSTILE_ERROR }), completed: REF });
      const md = await hoverMarkdown(provider, 'see expdoc_d here', 'expdoc_d');
      const rendered = renderMarkdown(md);
      assertSafe(rendered, [`command:retab.openJob?${encodeURIComponent(JSON.stringify([REF]))}`]);
      assert.ok(rendered.text.includes('[link](command:retab.openJob?%5B%5D)'), 'the name is shown as text');
      assert.ok(rendered.text.includes('[x](command:retab.openJob?%5B%5D)'), 'the error is shown as text');
    });

    it('escapes hostile workflow and experiment names and descriptions', async () => {
      const workflowHover = await hoverMarkdown(
        hoverProvider({ workflow: workflow({ name: HOSTILE_NAME, description: HOSTILE_NAME, updatedAt: '[u](https://evil.example)' }) }),
        'wf_a',
        'wf_a',
      );
      assertSafe(renderMarkdown(workflowHover));
      const experimentHover = await hoverMarkdown(hoverProvider({ experiment: experiment({ name: HOSTILE_NAME }) }), 'exp_b', 'exp_b');
      assertSafe(renderMarkdown(experimentHover));
    });

    it('offers Look Up only with the ids found beside it', async () => {
      const md = await hoverMarkdown(hoverProvider({ hasKey: false }), 'exprun_c [x](command:evil) expdoc_d', 'expdoc_d');
      const rendered = renderMarkdown(md);
      assert.equal(rendered.links.length, 1);
      assert.ok(rendered.links[0].startsWith('command:retab.lookupJob?'));
      assert.deepEqual(JSON.parse(decodeURIComponent(rendered.links[0].split('?')[1])), ['exprun_c expdoc_d']);
    });
  });

  describe('tree tooltips (untrusted, but still text)', () => {
    const workflowNode: WorkflowNode = {
      kind: 'workflow',
      workflow: workflow({ id: BREAKOUT_ID, name: HOSTILE_NAME, description: HOSTILE_NAME, updatedAt: '![u](https://evil.example/u.png)' }),
    };
    const experimentNode: ExperimentNode = {
      kind: 'experiment',
      parent: workflowNode,
      experiment: experiment({ id: BREAKOUT_ID_NEWLINES, name: HOSTILE_NAME }),
    };
    const runNode: RunNode = {
      kind: 'run',
      parent: experimentNode,
      run: run({ id: BREAKOUT_ID, createdAt: '[c](https://evil.example)' }),
      number: 2,
      previous: undefined,
      olderDefinition: false,
    };
    const hostileJob = job({ id: BREAKOUT_ID, documentId: BREAKOUT_ID_NEWLINES, handleInputs: hostileFile(HOSTILE_NAME), error: HOSTILE_ERROR });
    const documentNode: DocumentNode = { kind: 'document', parent: runNode, ref: REF, job: hostileJob, metric: undefined, slow: false };

    it('renders workflow, experiment, run and document tooltips without links, images or breakouts', () => {
      const tooltips = [
        (buildTreeItem(workflowNode) as unknown as TreeItem).tooltip,
        (buildTreeItem(experimentNode) as unknown as TreeItem).tooltip,
        runTooltip(runNode, { p50: 10, p95: 20, slowest: [hostileJob] }),
        documentTooltip(documentNode),
      ];
      for (const tooltip of tooltips) {
        const rendered = renderMarkdown(markdownOf(tooltip));
        assertSafe(rendered);
        for (const span of rendered.codeSpans) {
          assert.ok([BREAKOUT_ID, BREAKOUT_ID_NEWLINES.replace(/\n/g, ' ')].includes(span), `code span holds one whole id: ${span}`);
        }
      }
      assert.ok(renderMarkdown(markdownOf(documentTooltip(documentNode))).codeSpans.includes(BREAKOUT_ID));
    });

    it('renders a failure group example as a block it cannot leave', () => {
      const group: FailureGroupNode = {
        kind: 'failureGroup',
        parent: { kind: 'failures', parent: runNode, groups: [], documents: new Map() },
        group: { signature: HOSTILE_NAME, example: HOSTILE_ERROR, jobs: [hostileJob] },
        index: 0,
      };
      assertSafe(renderMarkdown(markdownOf((buildTreeItem(group) as unknown as TreeItem).tooltip)));
    });
  });
});
