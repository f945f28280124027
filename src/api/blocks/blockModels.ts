/**
 * Workflow blocks as the extension uses them (SDK 61d9c44e: `workflows/blocks`, versions, diff,
 * validate-config). A block's `config` is kept exactly as the server sent it: its keys depend on
 * the block type and the server decides what is valid (validate-config), so nothing here drops or
 * reorders a key.
 */
import { JsonObject } from '../validate';

export interface WorkflowBlock {
  id: string;
  workflowId: string;
  /** `extract`, `classifier`, `split`, `for_each`, … or a type this extension does not know. */
  type: string;
  label: string;
  /** The draft config; null for a block that has none. */
  config: JsonObject | null;
  updatedAt: string;
  /** A container block's id (for_each, while_loop children). */
  parentId: string | null;
}

export interface BlockVersion {
  id: string;
  blockId: string;
  workflowId: string;
  workflowVersionId: string | null;
  type: string;
  label: string;
  config: JsonObject | null;
  /** The server's hash of the executable config (not the CLI's bundle hash: never compared with it). */
  configHash: string;
  createdAt: string | null;
}

export interface BlockVersionChange {
  field: string;
  from: unknown;
  to: unknown;
}

export interface BlockVersionDiff {
  fromVersionId: string;
  toVersionId: string;
  blockId: string;
  changes: BlockVersionChange[];
}

/** validate-config's answer when the config is valid (an invalid one is a 4xx with the reason). */
export interface ConfigCheck {
  ok: boolean;
  blockType: string | null;
  configHash: string | null;
}

/** A workflow version, for publishing (the diff shown first) and resolving a run's block version. */
export interface WorkflowVersionSummary {
  id: string;
  createdAt: string | null;
  blockVersionIds: string[];
}

export interface WorkflowVersionDiff {
  addedBlockIds: string[];
  removedBlockIds: string[];
  changedBlockIds: string[];
  addedEdgeIds: string[];
  removedEdgeIds: string[];
  changedEdgeIds: string[];
}

/** A workflow's live version, as publishing answers it. */
export interface WorkflowDraftState {
  workflowId: string;
  publishedVersionId: string | null;
}
