/**
 * Reading the blocks routes' JSON (SDK 61d9c44e: `WorkflowBlock`, `WorkflowBlockVersion`,
 * `WorkflowBlockVersionDiff`, validate-config's answer, workflow versions) into blockModels.ts,
 * every field checked and the failing one named. Configs are kept as sent (their depth checked,
 * so a hostile one cannot make a later walk recurse without end).
 */
import { l10n } from '../../l10n';
import { parsePage } from '../dialects/common';
import { Page } from '../dialects/dialect';
import {
  JsonObject,
  array,
  booleanOr,
  depthOf,
  invalid,
  object,
  optionalObject,
  optionalString,
  optionalTimestamp,
  requiredId,
  requiredString,
} from '../validate';
import {
  BlockVersion,
  BlockVersionChange,
  BlockVersionDiff,
  ConfigCheck,
  WorkflowBlock,
  WorkflowDraftState,
  WorkflowVersionDiff,
  WorkflowVersionSummary,
} from './blockModels';

/** Far deeper than any block config; a deeper one is refused rather than walked. */
const MAX_CONFIG_DEPTH = 64;

function configOf(raw: JsonObject, path: string): JsonObject | null {
  const config = optionalObject(raw, 'config', path);
  if (config && depthOf(config, MAX_CONFIG_DEPTH) > MAX_CONFIG_DEPTH) {
    throw invalid(`${path}.config`, l10n.t('at most {0} levels deep', MAX_CONFIG_DEPTH), config);
  }
  return config;
}

function labelOf(raw: JsonObject, path: string): string {
  return optionalString(raw, 'label', path) ?? '';
}

export function parseBlock(value: unknown, path = 'response'): WorkflowBlock {
  const raw = object(value, path);
  return {
    id: requiredId(raw, 'id', path),
    workflowId: requiredId(raw, 'workflow_id', path),
    type: requiredString(raw, 'type', path),
    label: labelOf(raw, path),
    config: configOf(raw, path),
    // Required by the SDK; an older server without it still edits (the conflict rule compares configs).
    updatedAt: optionalTimestamp(raw, 'updated_at', path) ?? '',
    parentId: optionalString(raw, 'parent_id', path),
  };
}

export function parseBlockPage(value: unknown): Page<WorkflowBlock> {
  return parsePage(value, parseBlock);
}

export function parseBlockVersion(value: unknown, path = 'response'): BlockVersion {
  const raw = object(value, path);
  return {
    id: requiredId(raw, 'id', path),
    blockId: requiredId(raw, 'block_id', path),
    workflowId: requiredId(raw, 'workflow_id', path),
    workflowVersionId: optionalString(raw, 'workflow_version_id', path),
    type: optionalString(raw, 'type', path) ?? '',
    label: labelOf(raw, path),
    config: configOf(raw, path),
    configHash: optionalString(raw, 'config_hash', path) ?? '',
    createdAt: optionalTimestamp(raw, 'created_at', path),
  };
}

export function parseBlockVersionPage(value: unknown): Page<BlockVersion> {
  return parsePage(value, parseBlockVersion);
}

/** At most this many changes are kept from a diff (a hostile server could send millions). */
const MAX_CHANGES = 2_000;

export function parseBlockVersionDiff(value: unknown): BlockVersionDiff {
  const raw = object(value, 'response');
  const changes = raw.changes === undefined || raw.changes === null ? [] : array(raw.changes, 'response.changes');
  return {
    fromVersionId: requiredId(raw, 'from_block_version_id', 'response'),
    toVersionId: requiredId(raw, 'to_block_version_id', 'response'),
    blockId: optionalString(raw, 'block_id', 'response') ?? '',
    changes: changes.slice(0, MAX_CHANGES).map((change, index): BlockVersionChange => {
      const path = `response.changes[${index}]`;
      const item = object(change, path);
      return { field: requiredString(item, 'field', path), from: item.from_value, to: item.to_value };
    }),
  };
}

export function parseConfigCheck(value: unknown): ConfigCheck {
  const raw = object(value, 'response');
  return {
    ok: booleanOr(raw, 'ok', 'response', true),
    blockType: optionalString(raw, 'block_type', 'response'),
    configHash: optionalString(raw, 'config_hash', 'response'),
  };
}

function idList(raw: JsonObject, key: string, path: string): string[] {
  const value = raw[key];
  if (value === undefined || value === null) {
    return [];
  }
  return array(value, `${path}.${key}`).map((item, index) => {
    if (typeof item !== 'string') {
      throw invalid(`${path}.${key}[${index}]`, 'a string', item);
    }
    return item;
  });
}

export function parseWorkflowVersion(value: unknown, path = 'response'): WorkflowVersionSummary {
  const raw = object(value, path);
  return {
    id: requiredId(raw, 'id', path),
    createdAt: optionalTimestamp(raw, 'created_at', path),
    blockVersionIds: idList(raw, 'block_version_ids', path),
  };
}

export function parseWorkflowVersionPage(value: unknown): Page<WorkflowVersionSummary> {
  return parsePage(value, parseWorkflowVersion);
}

export function parseWorkflowVersionDiff(value: unknown): WorkflowVersionDiff {
  const raw = object(value, 'response');
  return {
    addedBlockIds: idList(raw, 'added_block_ids', 'response'),
    removedBlockIds: idList(raw, 'removed_block_ids', 'response'),
    changedBlockIds: idList(raw, 'changed_block_ids', 'response'),
    addedEdgeIds: idList(raw, 'added_edge_ids', 'response'),
    removedEdgeIds: idList(raw, 'removed_edge_ids', 'response'),
    changedEdgeIds: idList(raw, 'changed_edge_ids', 'response'),
  };
}

/** A workflow after publish: its live version (`published.version_id`). */
export function parseWorkflowDraftState(value: unknown): WorkflowDraftState {
  const raw = object(value, 'response');
  const published = optionalObject(raw, 'published', 'response');
  return {
    workflowId: requiredId(raw, 'id', 'response'),
    publishedVersionId: published ? optionalString(published, 'version_id', 'response.published') : null,
  };
}
