import { MarkdownString, Position, cancellationToken, textDocument } from './support/fakeVscode'; // first: installs the fake vscode module before anything requires it
import { RunReading } from '../../src/data/runReading';
import * as assert from 'node:assert/strict';
import { durationStats } from '../../src/analysis/durations';
import { RetabError } from '../../src/api/errors';
import { Experiment, Job, RunContent, RunMetrics, RunSummary, Workflow } from '../../src/api/models';
import { JobLocator } from '../../src/data/locator';
import { RetabRepository } from '../../src/data/repository';
import { IdHoverProvider } from '../../src/ui/hover/idHoverProvider';
import { DocumentNode, ExperimentNode, FailuresNode, MessageNode, RunNode, TreeNode, WorkflowNode } from '../../src/ui/tree/nodes';
import * as registry from '../../src/ui/tree/rows/registry';
import { runTooltip } from '../../src/ui/tree/rows/runRow';
import { documentDescription, documentTooltip } from '../../src/ui/tree/rows/documentRow';
import { fieldTooltip } from '../../src/ui/tree/rows/fieldRow';
import { fieldDocumentTooltip } from '../../src/ui/tree/rows/fieldDocumentRow';
import { voteFlowTooltip } from '../../src/ui/tree/rows/voteFlowRow';

/** What each row module draws, by the names the tests have used for them. */
const treeItems = { ...registry, runTooltip, documentDescription, documentTooltip, fieldTooltip, fieldDocumentTooltip, voteFlowTooltip };
import { parseExperimentList, parseJob, parseRunList, parseWorkflowPage } from './support/g1Wire';
import { ExperimentsTreeProvider } from '../../src/ui/tree/experimentsTree';

/*
 * The tree's rows as a person reads them: slow documents, run progress, warnings that survive a
 * narrow sidebar, short error rows, nothing said about unknown values, accessible labels, and
 * live updates that redraw only the rows that changed.
 */

/** Loaded when a test needs it, so that the other tests run where it is missing. */
function rowMarks(): typeof import('../../src/ui/decorations/rowMarks') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../../src/ui/decorations/rowMarks') as typeof import('../../src/ui/decorations/rowMarks');
}

/** Only what the tree reads of an item; typed loosely as the fake builds it. */
interface Row {
  label: string;
  description: string | undefined;
  tooltip: unknown;
  resourceUri?: { toString(): string };
  accessibilityInformation?: { label: string };
  iconPath?: { id: string; color?: { id: string } };
}

function row(node: TreeNode): Row {
  return treeItems.buildTreeItem(node) as unknown as Row;
}

const REF = { workflowId: 'wf_a', experimentId: 'exp_b', runId: 'exprun_c' };

function job(documentId: string, overrides: Record<string, unknown> = {}): Job {
  return parseJob({
    id: `expjob_${documentId}`,
    run_id: REF.runId,
    experiment_id: REF.experimentId,
    document_id: documentId,
    status: 'completed',
    block_kind: 'extract',
    handle_inputs: { 'input-document-0': { type: 'file', filename: `${documentId}.pdf` } },
    duration_ms: 2000,
    ...overrides,
  });
}

function workflow(): Workflow {
  return parseWorkflowPage({ data: [{ id: 'wf_a', name: 'Invoices' }] }).workflows[0];
}

function experiment(overrides: Partial<Experiment> = {}): Experiment {
  return {
    ...parseExperimentList([
      { id: 'exp_b', workflow_id: 'wf_a', name: 'Invoice fields v1 (baseline)', block_kind: 'extract', status: 'completed', score: 0.85 },
    ])[0],
    ...overrides,
  };
}

function run(overrides: Partial<RunSummary> = {}): RunSummary {
  return { ...parseRunList({ runs: [{ id: REF.runId, status: 'completed' }] })[0], ...overrides };
}

function nodes(
  runOverrides: Partial<RunSummary> = {},
  extra: Partial<RunNode> = {},
): { workflowNode: WorkflowNode; experimentNode: ExperimentNode; runNode: RunNode } {
  const workflowNode: WorkflowNode = { kind: 'workflow', workflow: workflow() };
  const experimentNode: ExperimentNode = { kind: 'experiment', parent: workflowNode, experiment: experiment() };
  const runNode: RunNode = { kind: 'run', parent: experimentNode, run: run(runOverrides), number: 7, previous: undefined, olderDefinition: false, ...extra };
  return { workflowNode, experimentNode, runNode };
}

function documentNode(parent: RunNode, value: Job, slow = false): DocumentNode {
  return { kind: 'document', parent, ref: { ...REF, documentId: value.documentId }, job: value, metric: undefined, slow };
}

/** Separators with nothing on one side, and unknown values shown as a dash. */
function assertNothingEmpty(text: string): void {
  assert.doesNotMatch(text, /·\s*—/, `no "· —" in ${JSON.stringify(text)}`);
  assert.doesNotMatch(text, /—\s*·/, `no "— ·" in ${JSON.stringify(text)}`);
  assert.doesNotMatch(text, /·\s*(\n|$)/, `no dangling "·" in ${JSON.stringify(text)}`);
  assert.doesNotMatch(text, /(^|\n)\s*·/, `no leading "·" in ${JSON.stringify(text)}`);
  assert.doesNotMatch(text, /·\s*·/, `no empty part in ${JSON.stringify(text)}`);
  assert.doesNotMatch(text, /(score|Score|Duration|Updated|started):?\s*(—|\n|$)/, `no empty value in ${JSON.stringify(text)}`);
}

describe('Tree rows', () => {
  describe('slow documents', () => {
    it('marks none when every document took the same time', () => {
      const jobs = Array.from({ length: 26 }, (_, index) => job(`expdoc_${index}`, { duration_ms: 2000 }));
      assert.deepEqual(durationStats(jobs)?.slowest, []);
    });

    it('marks only documents clearly slower than a 5,000-document run where most took the same time', () => {
      const jobs = Array.from({ length: 5000 }, (_, index) => job(`expdoc_${index}`, { duration_ms: index < 25 ? 9000 : index < 100 ? 2900 : 2000 }));
      const stats = durationStats(jobs);
      assert.equal(stats?.p95, 2000, 'ties at the 95th percentile');
      assert.deepEqual(
        stats?.slowest.map((slow) => slow.documentId).sort(),
        jobs
          .slice(0, 25)
          .map((slow) => slow.documentId)
          .sort(),
        'only the documents at least 1.5 × the median',
      );
    });
  });

  describe('run rows', () => {
    it('give a running run’s progress, then its score once finished', () => {
      const running = nodes({ status: 'running', score: null, documentCount: 4, totalDocumentCount: 4, completedDocumentCount: 2 }).runNode;
      const description = String(row(running).description);
      assert.match(description, /2 \/ 4 done/);
      assertNothingEmpty(description);
      assert.doesNotMatch(description, /—/);
      const finished = nodes({ status: 'completed', score: 0.8, documentCount: 4, totalDocumentCount: 4, completedDocumentCount: 4 }).runNode;
      assert.match(String(row(finished).description), /^80\.0% · 4 docs/);
      assert.doesNotMatch(String(row(finished).description), /done/);
    });

    it('leave the count to the progress row while the documents of a live run are on screen', () => {
      const expanded = nodes({ status: 'running', documentCount: 4, totalDocumentCount: 4, completedDocumentCount: 2 }, { expanded: true }).runNode;
      assert.equal(row(expanded).description, 'running');
      const later = nodes(
        { status: 'running', documentCount: 4, totalDocumentCount: 4, completedDocumentCount: 3, errorCount: 1, score: 0.5 },
        { expanded: true },
      ).runNode;
      assert.equal(treeItems.rowSignature(later), treeItems.rowSignature(expanded), 'nothing in its row changes while it runs');
    });

    it('say nothing of a score a run does not have', () => {
      const cancelled = nodes({ status: 'cancelled', score: null, documentCount: 40, errorCount: 0, durationMs: null, createdAt: null }).runNode;
      assert.equal(row(cancelled).description, '40 docs');
      assertNothingEmpty(treeItems.runTooltip(cancelled, undefined).value);
    });

    it('lead with "older definition", where a narrow sidebar still shows it', () => {
      const older = nodes({ score: 0.9, documentCount: 36 }, { olderDefinition: true }).runNode;
      const item = row(older);
      assert.match(String(item.description), /^older definition · /);
      const uri = new URL(String(item.resourceUri));
      assert.equal(uri.protocol, 'retab-tree:');
      assert.equal(uri.search, '?older');
    });
  });

  describe('warnings that a long name cannot push out of view', () => {
    it('mark a stale, drifted experiment with a badge, a colour and a warning icon', () => {
      const { marksOf, decorationSpec } = rowMarks();
      const { experimentNode } = nodes();
      experimentNode.experiment = experiment({ isStale: true, schemaDrift: 'drifted' });
      const item = row(experimentNode);
      assert.ok(item.resourceUri, 'a resourceUri to decorate');
      const uri = new URL(item.resourceUri.toString());
      assert.equal(uri.protocol, 'retab-tree:', 'a scheme nothing opens');
      assert.deepEqual(decorationSpec(marksOf(uri.search.slice(1))), { badge: 'SD', color: 'list.warningForeground', tooltip: 'S: stale, D: schema drifted' });
      assert.equal(item.iconPath?.id, 'warning');
      assert.match(String(item.description), /^stale · schema drifted · /, 'the words lead the description');
      const tooltip = (item.tooltip as MarkdownString).value;
      assert.match(tooltip, /\*\*Stale\*\* \(S\)/);
      assert.match(tooltip, /\*\*Schema drifted\*\* \(D\)/);
      experimentNode.experiment = experiment();
      assert.equal(row(experimentNode).resourceUri, undefined, 'a fresh experiment is not decorated');
    });

    it('keep every badge within the two characters VS Code accepts', () => {
      const { ROW_MARKS, decorationSpec } = rowMarks();
      for (const first of ROW_MARKS) {
        for (const second of ROW_MARKS) {
          const badge = decorationSpec([first, second])?.badge ?? '';
          assert.ok([...badge].length <= 2, badge);
        }
      }
    });
  });

  describe('error rows', () => {
    const cases: Array<[RetabError, string]> = [
      [new RetabError('server', 'Bad gateway', { status: 502, requestId: 'req_1' }), 'Server error 502 — Retry'],
      [new RetabError('network', 'connect ECONNREFUSED 127.0.0.1:9'), 'Cannot reach Retab — Retry'],
      [new RetabError('auth', 'Invalid API key', { status: 401 }), 'API key rejected — Set Key'],
    ];
    for (const [error, label] of cases) {
      it(`read "${label}", with the whole error in the tooltip`, async () => {
        const repository = { offline: undefined, listWorkflows: async () => Promise.reject(error) } as unknown as RetabRepository;
        const provider = new ExperimentsTreeProvider(repository, async () => true);
        const [message] = await provider.getChildren();
        assert.equal(message.kind, 'message');
        const item = row(message);
        assert.equal(item.label, label);
        assert.ok(item.label.length <= 32, 'short enough for the default sidebar');
        assert.equal(item.description, undefined, 'nothing after the way forward to be cut off');
        assert.ok(String(item.tooltip).includes(error.describe()), String(item.tooltip));
        assert.equal(new URL(String(item.resourceUri)).search, '?error');
        assert.match(String(item.accessibilityInformation?.label), /^Error: /);
      });
    }
  });

  describe('tooltips and hovers', () => {
    it('leave out what a failed job does not have', () => {
      const { runNode } = nodes();
      const failed = documentNode(runNode, job('expdoc_1', { status: 'error', error: 'Timeout', duration_ms: null }));
      assertNothingEmpty(treeItems.documentTooltip(failed).value);
      assertNothingEmpty(treeItems.documentDescription(failed));
      const unscored = documentNode(runNode, job('expdoc_2', { duration_ms: null }));
      assert.equal(row(unscored).description, undefined);
    });

    it('end a failed job’s hover without a dangling "· —"', async () => {
      const failed = job('expdoc_d', { status: 'error', error: 'Timeout', duration_ms: null });
      const repository = { cachedJob: () => failed, knownDocument: () => undefined } as unknown as RetabRepository;
      const locator = { completeFromMemory: () => ({ ...REF, documentId: 'expdoc_d' }) } as unknown as JobLocator;
      const provider = new IdHoverProvider(repository, locator, async () => true);
      const text = 'see expdoc_d here';
      const document = textDocument(text);
      const position = document.positionAt(text.indexOf('expdoc_d') + 2);
      const hover = await provider.provideHover(document as never, new Position(position.line, position.character) as never, cancellationToken() as never);
      const markdown = (hover?.contents as unknown as MarkdownString).value;
      assert.match(markdown, /error/);
      assertNothingEmpty(markdown);
    });

    it('give an experiment without a score no "score —"', () => {
      const { experimentNode } = nodes();
      experimentNode.experiment = experiment({ score: null, status: 'draft' });
      const item = row(experimentNode);
      assertNothingEmpty(String(item.description));
      assertNothingEmpty((item.tooltip as MarkdownString).value);
    });
  });

  describe('accessible labels', () => {
    it('state kind, name, status, score and warnings', () => {
      const { workflowNode, experimentNode, runNode } = nodes(
        { status: 'completed', score: 0.808, errorCount: 3, documentCount: 40 },
        { olderDefinition: true },
      );
      experimentNode.experiment = experiment({ isStale: true, schemaDrift: 'drifted' });
      const failedGroup: FailuresNode = { kind: 'failures', parent: runNode, groups: [], documents: new Map() };
      const message: MessageNode = { kind: 'message', parent: runNode, severity: 'empty', text: 'No scores for this run yet' };
      const labels = new Map<TreeNode, RegExp>([
        [workflowNode, /^Workflow Invoices/],
        [experimentNode, /^Experiment Invoice fields v1 \(baseline\), extract block, completed, score 85\.0%, stale, schema drifted$/],
        [runNode, /^Run 7, completed, 40 documents, score 80\.8%, 3 errors, older block definition$/],
        [documentNode(runNode, job('expdoc_1', { status: 'error', error: 'Timeout' })), /^Document expdoc_1\.pdf, failed: Timeout$/],
        [documentNode(runNode, job('expdoc_2'), true), /^Document expdoc_2\.pdf, completed, 2\.0 s \(slow\)$/],
        [failedGroup, /^Failures/],
        [message, /^No scores for this run yet$/],
      ]);
      for (const [node, pattern] of labels) {
        assert.match(String(row(node).accessibilityInformation?.label), pattern, node.kind);
      }
    });
  });

  describe('live updates', () => {
    interface Fixture {
      provider: InstanceType<typeof ExperimentsTreeProvider>;
      runNode: RunNode;
      fired: Array<TreeNode | TreeNode[] | undefined>;
      setJobs: (jobs: Job[]) => void;
    }

    async function liveRun(): Promise<Fixture> {
      let jobs = [job('expdoc_1'), job('expdoc_2', { status: 'running', duration_ms: null }), job('expdoc_3', { status: 'pending', duration_ms: null })];
      const summary = run({ status: 'running', score: null, documentCount: 3, totalDocumentCount: 3 });
      const metrics: RunMetrics = { kind: 'unavailable', reason: 'no_metrics', message: null };
      const repository = {
        offline: undefined,
        listRuns: async () => [summary],
        getRunContent: async (): Promise<RunContent> => ({ experimentId: REF.experimentId, runId: REF.runId, jobs, truncated: false }),
        readRunContent: () => RunReading.of({ experimentId: REF.experimentId, runId: REF.runId, jobs, truncated: false }),
        getRunMetrics: async () => metrics,
      } as unknown as RetabRepository;
      const provider = new ExperimentsTreeProvider(repository, async () => true);
      const fired: Array<TreeNode | TreeNode[] | undefined> = [];
      provider.onDidChangeTreeData((event) => fired.push(event));
      const { experimentNode } = nodes();
      const [runNode] = (await provider.getChildren(experimentNode)) as RunNode[];
      provider.setExpanded(runNode, true);
      fired.length = 0;
      return { provider, runNode, fired, setJobs: (next) => (jobs = next) };
    }

    it('redraw only the document rows that changed, and the progress row, never the run above them', async () => {
      const { provider, runNode, fired, setJobs } = await liveRun();
      const before = await provider.getChildren(runNode);
      assert.deepEqual(
        before.map((child) => child.kind),
        ['progress', 'message', 'document', 'document', 'document'],
        'the progress row first, while the run is live',
      );
      assert.equal(row(before[0]).label, '1 / 3 done');
      setJobs([job('expdoc_1'), job('expdoc_2', { duration_ms: 1500 }), job('expdoc_3', { status: 'pending', duration_ms: null })]);
      await provider.refreshLive(runNode);
      assert.equal(fired.length, 1);
      const redrawn = fired[0] as TreeNode[];
      assert.ok(Array.isArray(redrawn), 'rows, not their parent');
      assert.deepEqual(
        redrawn.map((node) => (node.kind === 'document' ? node.job.documentId : node.kind)),
        ['progress', 'expdoc_2'],
      );
      assert.ok(
        redrawn.every((node) => before.includes(node)),
        'the very objects the view holds',
      );
      assert.equal(row(before[0]).label, '2 / 3 done', 'in place, with the fresh data');
      fired.length = 0;
      await provider.refreshLive(runNode);
      assert.deepEqual(fired, [], 'nothing changed, nothing redrawn');
    });

    it('redraw the run when a row comes or goes', async () => {
      const { provider, runNode, fired, setJobs } = await liveRun();
      await provider.getChildren(runNode);
      setJobs([
        job('expdoc_1'),
        job('expdoc_2', { status: 'running', duration_ms: null }),
        job('expdoc_3', { status: 'pending', duration_ms: null }),
        job('expdoc_4', { status: 'pending', duration_ms: null }),
      ]);
      await provider.refreshLive(runNode);
      assert.deepEqual(fired, [runNode]);
    });
  });
});
