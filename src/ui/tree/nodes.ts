import { JobRef } from '../../api/ids';
import { FailureGroup } from '../../analysis/failureGroups';
import { DocumentMetric, Experiment, Job, RunSummary, Workflow } from '../../api/models';

export interface WorkflowNode {
  kind: 'workflow';
  workflow: Workflow;
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
  action?: 'retry' | 'setApiKey' | 'useKeyForBaseUrl';
}

export type ParentNode = WorkflowNode | ExperimentNode | RunNode;
export type TreeNode = ParentNode | DocumentNode | FailuresNode | FailureGroupNode | ProgressNode | LoadMoreNode | MessageNode;

export function nodeId(node: TreeNode): string {
  switch (node.kind) {
    case 'workflow':
      return `wf:${node.workflow.id}`;
    case 'experiment':
      return `exp:${node.experiment.id}`;
    case 'run':
      return `run:${node.run.id}`;
    case 'document':
      return node.parent.kind === 'failureGroup'
        ? `${nodeId(node.parent)}/${node.ref.documentId}`
        : `doc:${node.ref.runId}/${node.ref.documentId}`;
    case 'failures':
      return `failures:${node.parent.run.id}`;
    case 'failureGroup':
      return `${nodeId(node.parent)}/${node.index}`;
    case 'progress':
      // One id for the run's whole life: a live update redraws this row alone.
      return `progress:${node.parent.run.id}`;
    case 'loadMore':
      return `more:${node.cursor}`;
    case 'message':
      return `msg:${node.parent ? nodeId(node.parent) : 'root'}:${node.severity}:${node.text}`;
  }
}

/** The id a user would copy from a node: the entity's own id. */
export function entityId(node: TreeNode): string | undefined {
  switch (node.kind) {
    case 'workflow':
      return node.workflow.id;
    case 'experiment':
      return node.experiment.id;
    case 'run':
      return node.run.id;
    case 'document':
      return node.ref.documentId;
    default:
      return undefined;
  }
}
