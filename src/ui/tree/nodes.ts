import { JobRef } from '../../api/ids';
import { Experiment, Job, RunSummary, Workflow } from '../../api/models';

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
}

export interface DocumentNode {
  kind: 'document';
  parent: RunNode;
  ref: JobRef;
  job: Job;
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
  action?: 'retry' | 'setApiKey';
}

export type ParentNode = WorkflowNode | ExperimentNode | RunNode;
export type TreeNode = ParentNode | DocumentNode | LoadMoreNode | MessageNode;

export function nodeId(node: TreeNode): string {
  switch (node.kind) {
    case 'workflow':
      return `wf:${node.workflow.id}`;
    case 'experiment':
      return `exp:${node.experiment.id}`;
    case 'run':
      return `run:${node.run.id}`;
    case 'document':
      return `doc:${node.ref.runId}/${node.ref.documentId}`;
    case 'loadMore':
      return `more:${node.cursor}`;
    case 'message':
      return `msg:${node.parent ? nodeId(node.parent) : 'root'}:${node.severity}`;
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
