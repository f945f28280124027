import type { TreeNode } from './rows/registry';
import { ErrorAction } from '../shared/errorGuidance';
import { JobRef } from '../../api/ids';
import { FailureGroup } from '../../analysis/failureGroups';
import { DocumentMetric, Experiment, Job, RunFieldScores, RunSummary, Workflow } from '../../api/models';

export interface WorkflowNode {
  kind: 'workflow';
  workflow: Workflow;
  /** Its draft was edited here and not published since. */
  draftDiffers?: boolean;
}

export interface ExperimentNode {
  kind: 'experiment';
  parent: WorkflowNode;
  experiment: Experiment;
}

export interface RunNode {
  kind: 'run';
  parent: ExperimentNode;
  run: RunSummary;
  /** 1 for the oldest run: users speak of "run 6", not of run ids. */
  number: number;
  /** The run just before this one, for the score change. */
  previous: RunSummary | undefined;
  /** Whether this run used another block definition than the experiment's latest run. */
  olderDefinition: boolean;
  /**
   * Its documents are on screen. A live run then gives its progress in a row of its own below it
   * (a ProgressNode) instead of in its own row: VS Code redraws every row under a node it redraws,
   * so a run row that changed with each finished document would close any tooltip open on them.
   * Absent means collapsed.
   */
  expanded?: boolean;
  /** Set while its documents are being read (a big run on a flat server): how far, for its row. */
  reading?: { read: number; total: number };
}

export interface DocumentNode {
  kind: 'document';
  /** An experiment directly when it has never run: its documents are placeholders. */
  parent: RunNode | FailureGroupNode | ExperimentNode;
  ref: JobRef;
  job: Job;
  metric: DocumentMetric | undefined;
  /** Clearly slower than the rest of its finished run (see analysis/durations). */
  slow: boolean;
}

/** The first row under a live run that is expanded: how far it got, from its documents' statuses. */
export interface ProgressNode {
  kind: 'progress';
  parent: RunNode;
  done: number;
  total: number;
  running: number;
  failed: number;
}

/** "Failures": the run's failed documents, grouped by cause. */
export interface FailuresNode {
  kind: 'failures';
  parent: RunNode;
  groups: FailureGroup[];
  documents: Map<string, DocumentNode>;
}

export interface FailureGroupNode {
  kind: 'failureGroup';
  parent: FailuresNode;
  group: FailureGroup;
  index: number;
}

/**
 * "Fields": the run's field paths (labels, for classifier and split blocks) with their run-level
 * scores, worst first. Only under a finished run whose summary gave per-field scores, or could not
 * be read (expanding asks again).
 */
export interface FieldsNode {
  kind: 'fields';
  parent: RunNode;
  /** From the summary read with the run's documents; undefined when that read failed. */
  scores: RunFieldScores | undefined;
}

/** One field path (or label) of a run: its score and the change against the run before. */
export interface FieldNode {
  kind: 'field';
  parent: FieldsNode;
  path: string;
  /** A classifier's category or a split's subdocument rather than a field path. */
  label: boolean;
  score: number | null;
  /** The same field in the run before (`RunNode.previous`); null when that run has no score for it. */
  priorScore: number | null;
  /** The run before was scored, on every field it had, and this one was not among them. */
  isNew: boolean;
}

/** A document that disagrees on a field (score below 1), from the field's `by_target` view. */
export interface FieldDocumentNode {
  kind: 'fieldDocument';
  parent: FieldNode;
  ref: JobRef;
  filename: string | null;
  score: number | null;
  priorScore: number | null;
  /** The consensus value: server data, shown as text. */
  value: unknown;
}

/** Where a label's votes went (`to` other labels) or came from (`from` them), from `by_target`'s confusion. */
export interface VoteFlowNode {
  kind: 'voteFlow';
  parent: FieldNode;
  direction: 'to' | 'from';
  /** Largest share first. */
  flows: Array<{ label: string; score: number }>;
}

/** The last row under a run with more documents than the view shows at once: shows more of them. */
export interface MoreDocumentsNode {
  kind: 'moreDocuments';
  parent: RunNode;
  /** Document rows above it. */
  shown: number;
  /** Documents not shown yet (read, or known to be in the run). */
  remaining: number;
}

export interface LoadMoreNode {
  kind: 'loadMore';
  cursor: string;
}

/** Stands in for children that could not be shown: an error with a retry, or an empty level. */
export interface MessageNode {
  kind: 'message';
  parent: ParentNode | undefined;
  severity: 'error' | 'empty' | 'loading';
  /** Short enough to be read whole in a narrow sidebar; the row adds the action's word to it. */
  text: string;
  /** The whole story (an error's description, with status and request id): the tooltip. */
  detail?: string;
  /** A few words beside the text, where a row has room for them. */
  summary?: string;
  action?: ErrorAction;
}

/** Nodes whose children are loaded (cancellably, with an error row on failure). */
/** A row whose children are read (any kind may be: its row module says so); a message row stands in for them on failure. */
export type ParentNode = TreeNode;
/** Every kind of row: derived from the registry of rows (rows/registry.ts), so a kind is added there, with its module. */
export type { TreeNode };

/** The id of an experiment's row, to find it on screen (`ExperimentsTreeProvider.shownNode`). */
export function experimentNodeId(experimentId: string): string {
  return `exp:${experimentId}`;
}

/** The id of a run's row. */
export function runNodeId(runId: string): string {
  return `run:${runId}`;
}

/** The run a row of its Fields belongs to (the Fields row's parent), without chains of parents at every use. */
export function fieldsRunOf(node: FieldsNode | FieldNode): RunNode {
  return node.kind === 'fields' ? node.parent : node.parent.parent;
}
