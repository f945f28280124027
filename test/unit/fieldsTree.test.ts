import { MarkdownString } from './support/fakeVscode'; // first: installs the fake vscode module before anything requires it
import { RunReading } from '../../src/data/runReading';
import * as assert from 'node:assert/strict';
import { RetabClient } from '../../src/api/client';
import { FieldDocuments, RunFieldScores, RunSummary } from '../../src/api/models';
import { RetabRepository } from '../../src/data/repository';
import { decorationSpec, marksOf } from '../../src/ui/decorations/rowMarks';
import { disagreeingDocumentNodes, fieldNodes, voteFlowNodes } from '../../src/ui/tree/fieldRows';
import { ExperimentNode, FieldDocumentNode, FieldNode, FieldsNode, RunNode, TreeNode, VoteFlowNode, WorkflowNode } from '../../src/ui/tree/nodes';
import { nodeId } from '../../src/ui/tree/rows/registry';
import * as registry from '../../src/ui/tree/rows/registry';
import { runTooltip } from '../../src/ui/tree/rows/runRow';
import { documentDescription, documentTooltip } from '../../src/ui/tree/rows/documentRow';
import { fieldTooltip } from '../../src/ui/tree/rows/fieldRow';
import { fieldDocumentTooltip } from '../../src/ui/tree/rows/fieldDocumentRow';
import { voteFlowTooltip } from '../../src/ui/tree/rows/voteFlowRow';

/** What each row module draws, by the names the tests have used for them. */
const treeItems = { ...registry, runTooltip, documentDescription, documentTooltip, fieldTooltip, fieldDocumentTooltip, voteFlowTooltip };
import { Sandbox, SandboxRequest, startSandbox } from '../sandbox/server';
import { parseExperimentList, parseJob, parseRunList, parseWorkflowPage } from './support/g1Wire';
import { renderMarkdown } from './support/renderMarkdown';
import { ExperimentsTreeProvider } from '../../src/ui/tree/experimentsTree';

/*
 * A run's Fields node: its field rows (order, score, change, marks), the documents that disagree
 * on a field, and what each costs in requests against the sandbox of two generations.
 */

interface Row {
  label: string;
  description: string | undefined;
  tooltip: unknown;
  collapsibleState: number;
  contextValue?: string;
  resourceUri?: { toString(): string };
  accessibilityInformation?: { label: string };
  iconPath?: { id: string; color?: { id: string } };
  command?: { command: string; arguments?: unknown[] };
}

function row(node: TreeNode): Row {
  return treeItems.buildTreeItem(node) as unknown as Row;
}

/** The marks a row's URI carries, as the decoration provider reads them. */
function marks(item: Row): string[] {
  return item.resourceUri ? marksOf(new URL(item.resourceUri.toString()).search.slice(1)) : [];
}

const HOSTILE_PATH = 'remarks.<img src=x onerror=alert(1)> [x](command:retab.openJob?%5B%5D) `tick` $(zap)\u202E';

function runNodes(options: { number?: number; previous?: Partial<RunSummary>; blockKind?: 'extract' | 'classifier' } = {}): RunNode {
  const workflow: WorkflowNode = { kind: 'workflow', workflow: parseWorkflowPage({ data: [{ id: 'wf_a', name: 'Invoices' }] }).workflows[0] };
  const experiment: ExperimentNode = {
    kind: 'experiment',
    parent: workflow,
    experiment: parseExperimentList([{ id: 'exp_b', workflow_id: 'wf_a', name: 'Totals', block_kind: options.blockKind ?? 'extract', status: 'completed' }])[0],
  };
  const [current, previous] = parseRunList({
    runs: [
      { id: 'exprun_c', status: 'completed' },
      { id: 'exprun_p', status: 'completed' },
    ],
  });
  return {
    kind: 'run',
    parent: experiment,
    run: current,
    number: options.number ?? 6,
    previous: options.previous ? { ...previous, ...options.previous } : previous,
    olderDefinition: false,
  };
}

function scores(kind: RunFieldScores['kind'], entries: Array<[string, number | null]>, total = entries.length): RunFieldScores {
  return { kind, scores: entries.map(([path, score]) => ({ path, score })), total };
}

describe('Fields rows', () => {
  const current = scores('path', [
    ['invoice.number', 0.778],
    ['invoice.total', 0.805],
    ['vendor.name', 0.822],
    ['notes', 1],
    ['unscored', null],
    ['line_items.2.amount', 0.733],
  ]);
  const prior = scores('path', [
    ['invoice.number', 0.665],
    ['invoice.total', 0.72],
    ['vendor.name', 0.9],
    ['notes', 1],
    ['unscored', null],
  ]);

  function fields(priorScores: RunFieldScores | 'none' = prior): { node: FieldsNode; rows: FieldNode[] } {
    const node: FieldsNode = { kind: 'fields', parent: runNodes(), scores: current };
    return { node, rows: fieldNodes(node, current, priorScores === 'none' ? undefined : priorScores) };
  }

  it('list fields worst first, unscored last, each with its change against the run before', () => {
    const { rows } = fields();
    assert.deepEqual(
      rows.map((field) => [field.path, row(field).description]),
      [
        ['line_items.2.amount', '73.3% · new'],
        ['invoice.number', '77.8% ▲ 11.3'],
        ['invoice.total', '80.5% ▲ 8.5'],
        ['vendor.name', '82.2% ▼ 7.8'],
        ['notes', '100.0% = 0.0'],
        ['unscored', 'not scored'],
      ],
    );
    assert.match(
      String(row(rows[2]).accessibilityInformation?.label),
      /^Field invoice\.total, score 80\.5%, up 8\.5 points against run 5, expand for the documents that disagree$/,
    );
    assert.match(String(row(rows[0]).accessibilityInformation?.label), /new since run 5/);
  });

  it('say no change when there is no run before, and nothing is new when the run before was cut at the bound', () => {
    const alone = fields('none').rows;
    assert.equal(row(alone[2]).description, '80.5%');
    assert.ok(alone.every((field) => !field.isNew));
    const cut = fields(scores('path', [['invoice.total', 0.72]], 3_000)).rows;
    assert.ok(
      cut.every((field) => !field.isNew),
      'a field may be among those the bound left out',
    );
  });

  it('mark worse and better fields with a badge and an icon, not by colour alone', () => {
    const { rows } = fields();
    const byPath = new Map(rows.map((field) => [field.path, row(field)]));
    const worse = byPath.get('vendor.name');
    assert.ok(worse);
    assert.deepEqual(marks(worse), ['worse']);
    assert.deepEqual(decorationSpec(['worse']), { badge: '▼', color: 'list.warningForeground', tooltip: 'Worse than the run before' });
    assert.deepEqual(marks(byPath.get('invoice.total') as Row), ['better']);
    assert.equal(decorationSpec(['better'])?.badge, '▲');
    assert.deepEqual(marks(byPath.get('notes') as Row), []);
    assert.equal(worse.iconPath?.id, 'warning', 'a disagreeing field');
    assert.equal(byPath.get('notes')?.iconPath?.id, 'pass', 'every voter agreed');
    assert.equal(byPath.get('unscored')?.iconPath?.id, 'circle-outline');
    assert.equal(new URL(String(worse.resourceUri)).pathname, '/field/exprun_c', 'the run id, never the path, in the URI');
  });

  it('expand only fields with documents that disagree; labels always, for where their votes went', () => {
    const { rows } = fields();
    const state = (path: string): number => row(rows.find((field) => field.path === path) as FieldNode).collapsibleState;
    assert.equal(state('invoice.total'), 1);
    assert.equal(state('notes'), 0, 'all agree: nothing to fetch');
    assert.equal(state('unscored'), 0);
    const labels: FieldsNode = { kind: 'fields', parent: runNodes({ blockKind: 'classifier' }), scores: scores('label', [['lodging', 1]]) };
    const [lodging] = fieldNodes(labels, scores('label', [['lodging', 1]]), undefined);
    assert.equal(row(lodging).collapsibleState, 1);
    assert.match(String(row(lodging).accessibilityInformation?.label), /^Label lodging/);
  });

  it('give the Fields node its counts, and say so when the run’s scores could not be read', () => {
    const { node } = fields();
    const item = row(node);
    assert.equal(item.label, 'Fields');
    assert.equal(item.description, '6 fields · 4 disagree');
    assert.equal(item.collapsibleState, 1);
    assert.match(String(item.accessibilityInformation?.label), /^Fields, 6 fields, 4 disagree, worst first$/);
    assert.equal(row({ ...node, scores: scores('label', [['a', 1]]) }).description, '1 label · all agree');
    assert.equal(row({ ...node, scores: undefined }).description, 'scores not read');
  });

  it('list the documents that disagree, worst first, each opening its job', () => {
    const [field] = fields().rows.filter((candidate) => candidate.path === 'invoice.total');
    const view: FieldDocuments = {
      kind: 'by_target',
      runId: 'exprun_c',
      path: 'invoice.total',
      score: 0.805,
      priorScore: 0.72,
      confusion: null,
      documents: [
        { id: 'expdoc_1', filename: 'invoice_q1.pdf', score: 0.8, priorScore: 0.6, value: 5031.49 },
        { id: 'expdoc_2', filename: 'b.pdf', score: 1, priorScore: 0.8, value: 1 },
        { id: 'expdoc_3', filename: null, score: 0.4, priorScore: 0.4, value: null },
        { id: 'expdoc_4', filename: 'failed.pdf', score: null, priorScore: 1, value: null },
      ],
    };
    const ref = { workflowId: 'wf_a', experimentId: 'exp_b', runId: 'exprun_c' };
    const documents = disagreeingDocumentNodes(field, ref, view);
    assert.deepEqual(
      documents.map((document) => [row(document).label, row(document).description]),
      [
        ['expdoc_3', '40.0% = 0.0'],
        ['invoice_q1.pdf', '80.0% ▲ 20.0'],
      ],
      'agreeing and unscored documents left out',
    );
    const item = row(documents[1]);
    // The job opens on this field: its votes shown and its value marked in the document.
    assert.deepEqual(item.command, {
      command: 'retab.openJob',
      title: 'Open Job',
      arguments: [{ ...ref, documentId: 'expdoc_1', fieldPath: 'invoice.total' }],
    });
    assert.equal(item.contextValue, 'fieldDocument');
    assert.deepEqual(marks(item), ['better']);
    assert.match(
      String(item.accessibilityInformation?.label),
      /^Document invoice_q1\.pdf, disagrees on invoice\.total, score 80\.0%, up 20\.0 points against the prior run$/,
    );
    const tooltip = treeItems.fieldDocumentTooltip(documents[1]).value;
    assert.match(tooltip, /5031\.49/, 'the consensus value');
    assert.match(tooltip, /Score: 80\.0% \(▲ 20\.0 against the prior run\)/);
  });

  it('show where a label’s votes went, largest first, and say when none left or came', () => {
    const labels: FieldsNode = { kind: 'fields', parent: runNodes({ blockKind: 'classifier' }), scores: scores('label', [['travel', 0.7]]) };
    const [travel] = fieldNodes(labels, scores('label', [['travel', 0.7]]), undefined);
    const view = (flowTo: Array<{ label: string; score: number }>, flowFrom: Array<{ label: string; score: number }>): FieldDocuments => ({
      kind: 'by_target',
      runId: 'exprun_c',
      path: 'travel',
      score: 0.7,
      priorScore: null,
      documents: [],
      confusion: { self: 0.7, flowTo, flowFrom },
    });
    const flows = voteFlowNodes(
      travel,
      view(
        [
          { label: 'other', score: 0.1 },
          { label: 'meals', score: 0.2 },
        ],
        [{ label: 'other', score: 0.1 }],
      ),
    ) as VoteFlowNode[];
    assert.deepEqual(
      flows.map((flow) => row(flow).label),
      ['Votes went to: meals 20.0%, other 10.0%', 'Votes came from: other 10.0%'],
    );
    assert.equal(voteFlowNodes(travel, view([], [{ label: 'meals', score: 0 }])), 'none');
    assert.equal(voteFlowNodes(travel, { ...view([], []), confusion: null }), undefined, 'an extract field has no confusion');
    const many = voteFlowNodes(
      travel,
      view(
        Array.from({ length: 8 }, (_, index) => ({ label: `l${index}`, score: index / 100 })),
        [],
      ),
    ) as VoteFlowNode[];
    assert.equal(row(many[0]).label, 'Votes went to: l7 7.0%, l6 6.0%, l5 5.0%, +4 more');
  });

  it('keep server text as text in every tooltip and label, and give hostile paths their own ids', () => {
    const hostile = scores('path', [
      [HOSTILE_PATH, 0.5],
      ['a@b', 0.5],
      ['a', 0.5],
    ]);
    const node: FieldsNode = { kind: 'fields', parent: runNodes(), scores: hostile };
    const rows = fieldNodes(node, hostile, undefined);
    const ids = rows.map(nodeId);
    assert.equal(new Set(ids).size, 3);
    const [field] = rows;
    assert.ok(!row(field).label.includes('\u202E'), 'bidi overrides shown, not obeyed');
    const rendered = renderMarkdown(treeItems.fieldTooltip(field).value);
    assert.deepEqual(rendered.links, []);
    assert.equal(rendered.images, 0);
    assert.ok(
      rendered.codeSpans.some((span) => span.includes('<img src=x onerror=alert(1)>')),
      rendered.html,
    );
    const document: FieldDocumentNode = {
      kind: 'fieldDocument',
      parent: field,
      ref: { workflowId: 'wf_a', experimentId: 'exp_b', runId: 'exprun_c', documentId: 'expdoc_1' },
      filename: '**bold** [link](command:retab.openJob?%5B%5D) <img src=x onerror=alert(1)>',
      score: 0.4,
      priorScore: null,
      value: '```\n[y](command:retab.openJob?%5B%5D)\n```',
    };
    const documentTip = renderMarkdown(treeItems.fieldDocumentTooltip(document).value);
    assert.deepEqual(documentTip.links, []);
    assert.equal(documentTip.images, 0);
    assert.ok(documentTip.text.includes('**bold**'), documentTip.html);
    const flow: VoteFlowNode = { kind: 'voteFlow', parent: field, direction: 'to', flows: [{ label: '[z](command:retab.lookupJob?%5B%5D)', score: 0.2 }] };
    const flowTip = renderMarkdown(treeItems.voteFlowTooltip(flow).value);
    assert.deepEqual(flowTip.links, []);
    const tooltip = treeItems.fieldTooltip(field) as unknown as MarkdownString;
    assert.equal(tooltip.isTrusted, false);
  });
});

describe('Fields under a live run', () => {
  it('has no Fields node until the run has ended, even if the server sends a summary early', async () => {
    const runNode = runNodes();
    const live = { ...runNode.run, status: 'running' as const };
    const summary = {
      kind: 'summary',
      experimentId: 'exp_b',
      runId: 'exprun_c',
      blockKind: 'extract',
      score: null,
      priorScore: null,
      priorRunId: null,
      documents: [],
      aggregate: null,
      fields: scores('path', [['a', 0.5]]),
    };
    const jobs = [
      parseJob({ id: 'expjob_1', run_id: 'exprun_c', experiment_id: 'exp_b', document_id: 'expdoc_1', status: 'completed', block_kind: 'extract' }),
    ];
    const repository = {
      offline: undefined,
      listRuns: async () => [live],
      getRunContent: async () => ({ experimentId: 'exp_b', runId: 'exprun_c', jobs, truncated: false }),
      readRunContent: () => RunReading.of({ experimentId: 'exp_b', runId: 'exprun_c', jobs, truncated: false }),
      getRunMetrics: async () => summary,
    } as unknown as RetabRepository;
    const provider = new ExperimentsTreeProvider(repository, async () => true);
    const [liveRun] = (await provider.getChildren(runNode.parent)) as RunNode[];
    assert.ok((await provider.getChildren(liveRun)).every((node) => node.kind !== 'fields'));
    const ended = { ...liveRun, run: { ...live, status: 'completed' as const } };
    const children = await provider.getChildren(ended);
    assert.ok(
      children.some((node) => node.kind === 'fields'),
      children.map((node) => node.kind).join(', '),
    );
  });
});

describe('Fields under a run, against the sandbox', function () {
  this.timeout(60_000);

  for (const api of ['g1', 'g3'] as const) {
    describe(api.toUpperCase(), () => {
      let sandbox: Sandbox;
      let provider: InstanceType<typeof ExperimentsTreeProvider>;

      before(async () => {
        sandbox = await startSandbox({ api });
      });

      after(async () => {
        provider?.dispose();
        await sandbox.close();
      });

      beforeEach(() => {
        sandbox.reset();
        const client = new RetabClient({
          baseUrl: () => sandbox.url,
          apiKey: async () => sandbox.apiKey,
          fetch: (input, init) => fetch(input, init),
          retry: { maxAttempts: 1 },
        });
        provider = new ExperimentsTreeProvider(new RetabRepository(client), async () => true);
      });

      /** What `load` asked the sandbox for. */
      async function requestsDuring<T>(load: () => Promise<T>): Promise<{ value: T; requests: SandboxRequest[] }> {
        const before = sandbox.requests().length;
        const value = await load();
        return { value, requests: sandbox.requests().slice(before) };
      }

      const metricsQueries = (requests: readonly SandboxRequest[]): string[] =>
        requests
          .filter((request) => request.path.endsWith('/metrics'))
          .map((request) => `${request.query.run_id} ${request.query.view ?? 'summary'}${request.query.target_path ? ` ${request.query.target_path}` : ''}`);

      async function child(parent: TreeNode | undefined, matches: (node: TreeNode) => boolean): Promise<TreeNode> {
        const children = await provider.getChildren(parent);
        const found = children.find(matches);
        assert.ok(found, children.map((node) => row(node).label).join(', '));
        return found;
      }

      /** A run's node, its workflow named by id or by name (the classifier's id is derived). */
      async function run(workflowIdOrName: string, experimentId: string, runId: string): Promise<RunNode> {
        const workflow = await child(
          undefined,
          (node) => node.kind === 'workflow' && (node.workflow.id === workflowIdOrName || node.workflow.name === workflowIdOrName),
        );
        const experiment = await child(workflow, (node) => node.kind === 'experiment' && node.experiment.id === experimentId);
        return (await child(experiment, (node) => node.kind === 'run' && node.run.id === runId)) as RunNode;
      }

      it('puts Fields after Failures and before the documents, at no request of its own until expanded', async () => {
        const invoices = await run('wf_invoices', 'exp_invoices_v2', 'exprun_inv_6');
        const { value: children, requests } = await requestsDuring(() => provider.getChildren(invoices));
        assert.deepEqual(
          children.slice(0, 3).map((node) => node.kind),
          ['failures', 'fields', 'document'],
        );
        assert.deepEqual(metricsQueries(requests), ['exprun_inv_6 summary'], 'the summary the document scores need, nothing more');
        const fields = children[1] as FieldsNode;
        assert.equal(row(fields).description, '15 fields · 15 disagree');

        const { value: rows, requests: forFields } = await requestsDuring(() => provider.getChildren(fields));
        assert.deepEqual(metricsQueries(forFields), ['exprun_inv_5 summary'], 'only the run before’s summary');
        const fieldRows = rows.filter((node): node is FieldNode => node.kind === 'field');
        assert.equal(fieldRows.length, 15);
        const scored = fieldRows.map((field) => field.score ?? 2);
        assert.deepEqual(
          scored,
          [...scored].sort((a, b) => a - b),
          'worst first',
        );
        const total = fieldRows.find((field) => field.path === 'invoice.total');
        assert.ok(total);
        assert.equal(row(total).description, '80.5% ▲ 8.5', 'against run 5’s 72.0%');
        assert.equal(row(fieldRows.find((field) => field.path === 'vendor.name') as FieldNode).description, '82.2% ▲ 10.2');

        const { value: documents, requests: forField } = await requestsDuring(() => provider.getChildren(total));
        assert.deepEqual(metricsQueries(forField), ['exprun_inv_6 by_target invoice.total']);
        const disagreeing = documents.filter((node): node is FieldDocumentNode => node.kind === 'fieldDocument');
        const first = disagreeing.find((document) => document.ref.documentId === 'expdoc_inv_001');
        assert.ok(first, 'expdoc_inv_001 disagrees on invoice.total');
        assert.equal(row(first).label, 'invoice_q1.pdf');
        assert.match(String(row(first).description), /^80\.0%/);
        const documentScores = disagreeing.map((document) => document.score ?? 2);
        assert.deepEqual(
          documentScores,
          [...documentScores].sort((a, b) => a - b),
        );
        assert.ok(disagreeing.every((document) => (document.score ?? 1) < 1));

        const again = await requestsDuring(async () => {
          await provider.getChildren(invoices);
          await provider.getChildren(fields);
          return provider.getChildren(total);
        });
        assert.deepEqual(
          again.requests.map((request) => request.path),
          [],
          'a finished run’s fields are read once',
        );
        assert.equal(again.value.length, documents.length);
      });

      it('cancels a field’s load when it is collapsed, and loads it when expanded again', async () => {
        const invoices = await run('wf_invoices', 'exp_invoices_v2', 'exprun_inv_6');
        const fields = (await child(invoices, (node) => node.kind === 'fields')) as FieldsNode;
        const issueDate = (await child(fields, (node) => node.kind === 'field' && node.path === 'invoice.issue_date')) as FieldNode;
        sandbox.setFaults({ latencyMs: 400, pathFilter: 'invoice.issue_date' });
        const loading = provider.getChildren(issueDate);
        await new Promise((resolve) => setTimeout(resolve, 100));
        provider.cancelLoading(issueDate);
        assert.deepEqual(await loading, [], 'a cancelled load lists nothing');
        sandbox.setFaults({});
        const rows = await provider.getChildren(issueDate);
        assert.ok(rows.some((node) => node.kind === 'fieldDocument' && node.ref.documentId === 'expdoc_inv_001'));
      });

      it('keeps the fields on screen when the run before’s scores fail, with a row that retries', async () => {
        const invoices = await run('wf_invoices', 'exp_invoices_v2', 'exprun_inv_6');
        const fields = (await child(invoices, (node) => node.kind === 'fields')) as FieldsNode;
        sandbox.setFaults({ status500: 5, pathFilter: 'exprun_inv_5' });
        const rows = await provider.getChildren(fields);
        const [note] = rows;
        assert.equal(note.kind, 'message');
        assert.equal(row(note).label, 'Run 5’s scores not read — Retry');
        assert.equal(row(note).description, 'Server error 500');
        assert.equal(note.action, 'retry');
        assert.equal(rows.filter((node) => node.kind === 'field').length, 15);
        assert.ok(
          rows.every((node) => node.kind !== 'field' || row(node).description?.includes('▲') !== true),
          'no change shown',
        );
        sandbox.setFaults({});
        provider.retry(note);
        const retried = await provider.getChildren(fields);
        assert.equal(retried[0].kind, 'field');
        assert.equal(row(retried.find((node) => node.kind === 'field' && node.path === 'invoice.total') as FieldNode).description, '80.5% ▲ 8.5');
      });

      it('says plainly why no change is shown when the run before has no scores', async () => {
        // Run 5 is scored; run 4 (completed with errors) was never scored.
        const fifth = await run('wf_invoices', 'exp_invoices_v2', 'exprun_inv_5');
        const fields = (await child(fifth, (node) => node.kind === 'fields')) as FieldsNode;
        const [note, ...rows] = await provider.getChildren(fields);
        assert.equal(row(note).label, 'No change shown: run 4 has no scores');
        assert.equal(rows.length, 15);
        // Run 1's metrics are stale: no Fields node, the run's own notice says why.
        const first = await run('wf_invoices', 'exp_invoices_v2', 'exprun_inv_1');
        const children = await provider.getChildren(first);
        assert.ok(children.every((node) => node.kind !== 'fields'));
        assert.ok(children.some((node) => node.kind === 'message' && /stale/.test(node.text)));
      });

      it('lists a classifier’s labels with where their votes went', async () => {
        const classifier = await run('Receipts & expenses', 'exp_LVkQmjSpd3wL', 'exprun_EPeBPC3oQPdHSr');
        const fields = (await child(classifier, (node) => node.kind === 'fields')) as FieldsNode;
        assert.equal(row(fields).description, '5 labels · 4 disagree');
        const labels = (await provider.getChildren(fields)).filter((node): node is FieldNode => node.kind === 'field');
        assert.deepEqual(
          labels.map((label) => label.path),
          ['travel', 'office_supplies', 'other', 'meals', 'lodging'],
        );
        assert.match(String(row(labels[0]).description), /^70\.0% ▼ /);
        const travel = await provider.getChildren(labels[0]);
        assert.deepEqual(
          travel.filter((node) => node.kind === 'voteFlow').map((node) => row(node).label),
          ['Votes went to: meals 20.0%, other 10.0%', 'Votes came from: other 10.0%'],
        );
        assert.ok(travel.some((node) => node.kind === 'fieldDocument'));
      });

      it('lists a split’s subdocuments as labels', async () => {
        await provider.getChildren();
        await provider.loadMoreWorkflows(); // on the second page
        const split = await run('Lease agreements', 'exp_c9c9aOsV0uBk', 'exprun_hiidvXOofMAk29');
        const fields = (await child(split, (node) => node.kind === 'fields')) as FieldsNode;
        const labels = (await provider.getChildren(fields)).filter((node): node is FieldNode => node.kind === 'field');
        assert.deepEqual(labels.map((label) => label.path).sort(), ['amendment', 'lease', 'schedule']);
        assert.ok(labels.every((label) => label.label));
      });

      it('lists the big run’s 50 fields from its summary, and one field’s documents on demand', async () => {
        const big = await run('wf_big', 'exp_big', 'exprun_big_1');
        // A big run's scores are asked once its first rows are in: its Fields row holds the place until then.
        let fields: FieldsNode | undefined;
        for (let attempt = 0; attempt < 100 && !fields; attempt++) {
          fields = (await provider.getChildren(big)).find((node): node is FieldsNode => node.kind === 'fields');
          if (!fields) {
            await new Promise((resolve) => setTimeout(resolve, 20));
          }
        }
        assert.ok(fields, 'the Fields row once the scores are in');
        const { value: rows, requests } = await requestsDuring(() => provider.getChildren(fields));
        assert.equal(rows.filter((node) => node.kind === 'field').length, 50);
        assert.deepEqual(metricsQueries(requests), [], 'the first run: no run before to read');
        const worst = rows.find((node): node is FieldNode => node.kind === 'field' && row(node).collapsibleState === 1);
        assert.ok(worst);
        const { requests: forField } = await requestsDuring(() => provider.getChildren(worst));
        assert.equal(metricsQueries(forField).length, 1);
      });
    });
  }
});
