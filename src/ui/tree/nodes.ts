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
}

export interface DocumentNode {
  kind: 'document';
  /** An experiment directly when it has never run: its documents are placeholders. */
  parent: RunNode | FailureGroupNode | ExperimentNode;
  ref: JobRef;
  job: Job;
  metric: DocumentMetric | undefined;
  /** Among the slowest 5% of the run. */
  slow: boolean;
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
  text: string;
  detail?: string;
  action?: 'retry' | 'setApiKey' | 'useKeyForBaseUrl';
}

export type ParentNode = WorkflowNode | ExperimentNode | RunNode;
export type TreeNode = ParentNode | DocumentNode | FailuresNode | FailureGroupNode | LoadMoreNode | MessageNode;

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
