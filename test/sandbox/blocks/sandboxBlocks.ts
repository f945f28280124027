import { createHash } from 'node:crypto';
import { ExperimentSeed, WorkflowSeed } from '../data';
import { hex16 } from '../prng';
import { SandboxStore, seededBlockVersionId } from '../store';
import { registerDefinition } from './definitions';
import { blockTypeOf, changedPaths, configFor, configProblem, mergePatch, withoutNulls } from './blockConfigs';

type Json = Record<string, unknown>;

export interface SandboxBlock {
  id: string;
  workflowId: string;
  type: string;
  label: string;
  config: Json | null;
  updatedAt: number;
  /** The experiments that run this block (one, or several sharing it). */
  experiments: ExperimentSeed[];
}

export interface SandboxBlockVersion {
  id: string;
  blockId: string;
  workflowId: string;
  workflowVersionId: string;
  type: string;
  label: string;
  config: Json | null;
  createdAt: number;
  /** The fingerprint runs of this config carry (`block_execution_fingerprint`). */
  definition: string;
}

interface WorkflowVersion {
  id: string;
  workflowId: string;
  createdAt: number;
  blockVersionIds: string[];
  description: string;
  published: boolean;
}

/** How the blocks routes answer: as on a server with them, or as one without (404, 405). */
export type BlocksMode = 'on' | '404' | '405';

/** The hash of a config: what the server calls `config_hash`, and the fingerprint of an edited definition. */
export function configHashOf(config: Json | null): string {
  return createHash('sha256')
    .update(JSON.stringify(sortKeys(config)))
    .digest('hex');
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(sortKeys);
  }
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeys((value as Json)[key])]),
    );
  }
  return value;
}

const HOUR = 3_600_000;

/**
 * The workflow blocks of the sandbox (flat generations; SDK 61d9c44e, retab-blocks facts): a block
 * per experiment block, its config in each definition version the seeds' runs used (a block
 * version each, tied to a workflow version), edits of the draft (PATCH merge or replace, a new
 * block version per save), validate-config's dry run with the server's 422, the versions diff,
 * restore and publish. Experiments see an edit: their current definition becomes the edited
 * config's fingerprint, so they turn stale and the next run uses it (store.ts).
 */
export class SandboxBlocks {
  mode: BlocksMode = 'on';
  private readonly blocks = new Map<string, SandboxBlock>();
  private readonly versions = new Map<string, SandboxBlockVersion>();
  private readonly workflowVersions = new Map<string, WorkflowVersion>();
  /** Block version ids by block, oldest first. */
  private readonly versionsByBlock = new Map<string, string[]>();
  /** Whether a workflow's draft differs from its live version (an edit since the last publish). */
  private readonly draftDirty = new Set<string>();
  private built = false;
  private sequence = 0;

  constructor(private readonly store: SandboxStore) {}

  reset(): void {
    this.blocks.clear();
    this.versions.clear();
    this.workflowVersions.clear();
    this.versionsByBlock.clear();
    this.draftDirty.clear();
    this.built = false;
    this.sequence = 0;
    this.mode = 'on';
    this.store.clearBlockDefinitions();
  }

  private build(): void {
    if (this.built) {
      return;
    }
    this.built = true;
    for (const workflow of this.store.catalog.workflows) {
      this.buildWorkflow(workflow);
    }
  }

  private buildWorkflow(workflow: WorkflowSeed): void {
    const experiments = this.store.catalog.experimentsByWorkflow.get(workflow.id) ?? [];
    // Oldest experiment first: a block shared by several belongs to the first that ran it.
    for (const experiment of [...experiments].reverse()) {
      const existing = this.blocks.get(experiment.blockId);
      if (existing) {
        existing.experiments.push(experiment);
        continue;
      }
      const versionCount = experiment.definitionVersions.size;
      const ids: string[] = [];
      for (let version = 0; version < versionCount; version++) {
        const definition = [...experiment.definitionVersions].find(([, value]) => value === version)?.[0] ?? `${experiment.id}:${version}`;
        const firstRun = experiment.runs.find((run) => run.definition === definition);
        const id = seededBlockVersionId(experiment.blockId, version);
        this.versions.set(id, {
          id,
          blockId: experiment.blockId,
          workflowId: workflow.id,
          workflowVersionId: `ver_${hex16(`${workflow.id}/${experiment.blockId}/${version}`)}${hex16('wv')}`,
          type: blockTypeOf(experiment),
          label: labelOf(experiment),
          config: configFor(experiment, version),
          createdAt: (firstRun?.createdAt ?? experiment.createdAt) - HOUR,
          definition,
        });
        ids.push(id);
      }
      this.versionsByBlock.set(experiment.blockId, ids);
      const current = this.versions.get(ids[ids.length - 1]) as SandboxBlockVersion;
      this.blocks.set(experiment.blockId, {
        id: experiment.blockId,
        workflowId: workflow.id,
        type: current.type,
        label: current.label,
        config: structuredClone(current.config),
        updatedAt: current.createdAt,
        experiments: [experiment],
      });
    }
    const ids = [...this.blocks.values()].filter((block) => block.workflowId === workflow.id).map((block) => this.latestVersionOf(block.id)?.id as string);
    if (workflow.published) {
      this.workflowVersions.set(workflow.published.versionId, {
        id: workflow.published.versionId,
        workflowId: workflow.id,
        createdAt: workflow.published.publishedAt,
        blockVersionIds: ids,
        description: '',
        published: true,
      });
    }
  }

  blocksOf(workflowId: string): SandboxBlock[] | undefined {
    if (!this.store.catalog.workflowById.has(workflowId)) {
      return undefined;
    }
    this.build();
    return [...this.blocks.values()].filter((block) => block.workflowId === workflowId).sort((a, b) => b.updatedAt - a.updatedAt);
  }

  block(blockId: string): SandboxBlock | undefined {
    this.build();
    return this.blocks.get(blockId);
  }

  latestVersionOf(blockId: string): SandboxBlockVersion | undefined {
    const ids = this.versionsByBlock.get(blockId);
    return ids ? this.versions.get(ids[ids.length - 1]) : undefined;
  }

  version(versionId: string): SandboxBlockVersion | undefined {
    this.build();
    return this.versions.get(versionId);
  }

  /** Newest first; narrowed to a block and/or a workflow version. */
  versionsOf(workflowId: string, blockId: string | undefined, workflowVersionId: string | undefined): SandboxBlockVersion[] | undefined {
    if (!this.blocksOf(workflowId)) {
      return undefined;
    }
    const published = workflowVersionId ? this.workflowVersions.get(workflowVersionId) : undefined;
    return [...this.versions.values()]
      .filter((version) => version.workflowId === workflowId)
      .filter((version) => !blockId || version.blockId === blockId)
      .filter((version) => !workflowVersionId || version.workflowVersionId === workflowVersionId || published?.blockVersionIds.includes(version.id))
      .sort((a, b) => b.createdAt - a.createdAt || b.id.localeCompare(a.id));
  }

  /** The block version a run's definition is, if any. */
  versionForDefinition(blockId: string, definition: string): SandboxBlockVersion | undefined {
    this.build();
    const ids = this.versionsByBlock.get(blockId) ?? [];
    for (let index = ids.length - 1; index >= 0; index--) {
      const version = this.versions.get(ids[index]);
      if (version?.definition === definition) {
        return version;
      }
    }
    return undefined;
  }

  /** A PATCH of the config: the block after it, or the server's reason. */
  patchConfig(block: SandboxBlock, config: unknown, mode: string): SandboxBlock | { status: number; message: string } {
    if (mode !== 'merge' && mode !== 'replace') {
      return { status: 422, message: `config_mode must be "merge" or "replace", not "${mode}"` };
    }
    if (typeof config !== 'object' || config === null || Array.isArray(config)) {
      return { status: 422, message: 'config must be a JSON object' };
    }
    const next = mode === 'replace' ? withoutNulls(config as Json) : (mergePatch(block.config ?? {}, config) as Json);
    const problem = configProblem(block.type, next);
    if (problem) {
      return { status: 422, message: problem };
    }
    this.save(block, next);
    return block;
  }

  /** validate-config: the server's verdict on a config, nothing written. */
  check(block: SandboxBlock, config: unknown, mode: string): { status: number; message: string } | { ok: true; hash: string } {
    if (typeof config !== 'object' || config === null || Array.isArray(config)) {
      return { status: 422, message: 'config is required and must be a JSON object' };
    }
    const next = mode === 'merge' ? (mergePatch(block.config ?? {}, config) as Json) : withoutNulls(config as Json);
    const problem = configProblem(block.type, next);
    return problem ? { status: 422, message: problem } : { ok: true, hash: configHashOf(next) };
  }

  /** The draft takes a version's config (a save like any other); the block after it. */
  restore(version: SandboxBlockVersion): SandboxBlock | undefined {
    const block = this.blocks.get(version.blockId);
    if (!block) {
      return undefined;
    }
    this.save(block, structuredClone(version.config) ?? {});
    return block;
  }

  /** The control behind the editor's back: someone else saves the block (its model changes). */
  touch(blockId: string): SandboxBlock | undefined {
    const block = this.block(blockId);
    if (!block) {
      return undefined;
    }
    const config = { ...(block.config ?? {}) };
    config.model = config.model === 'retab-large' ? 'retab-small' : 'retab-large';
    this.save(block, config);
    return block;
  }

  private save(block: SandboxBlock, config: Json): void {
    block.config = config;
    block.updatedAt = Math.max(this.store.now(), block.updatedAt + 1);
    const definition = configHashOf(config).slice(0, 16);
    const id = `bver_${hex16(`${block.id}/save/${++this.sequence}`)}`;
    this.versions.set(id, {
      id,
      blockId: block.id,
      workflowId: block.workflowId,
      // A draft save belongs to the draft's workflow version (unverified: the facts allow either).
      workflowVersionId: `ver_${hex16(`${block.workflowId}/draft/${this.sequence}`)}${hex16('wv')}`,
      type: block.type,
      label: block.label,
      config: structuredClone(config),
      createdAt: block.updatedAt,
      definition,
    });
    this.versionsByBlock.set(block.id, [...(this.versionsByBlock.get(block.id) ?? []), id]);
    this.draftDirty.add(block.workflowId);
    registerDefinition(definition, config);
    for (const experiment of block.experiments) {
      this.store.setBlockDefinition(experiment.id, definition, id);
    }
  }

  /** Publishes the draft: a new workflow version with every block's latest version; a no-op when nothing changed. */
  publish(workflowId: string, description: string): WorkflowVersion | undefined {
    const blocks = this.blocksOf(workflowId);
    if (!blocks) {
      return undefined;
    }
    const live = this.liveVersionOf(workflowId);
    if (live && !this.draftDirty.has(workflowId)) {
      return live;
    }
    for (const version of this.workflowVersions.values()) {
      if (version.workflowId === workflowId) {
        version.published = false;
      }
    }
    const id = `ver_${hex16(`${workflowId}/publish/${++this.sequence}`)}${hex16('wv')}`;
    const record: WorkflowVersion = {
      id,
      workflowId,
      createdAt: this.store.now(),
      blockVersionIds: blocks.map((block) => this.latestVersionOf(block.id)?.id as string),
      description,
      published: true,
    };
    this.workflowVersions.set(id, record);
    this.draftDirty.delete(workflowId);
    return record;
  }

  liveVersionOf(workflowId: string): WorkflowVersion | undefined {
    this.build();
    return [...this.workflowVersions.values()].find((version) => version.workflowId === workflowId && version.published);
  }

  workflowVersionsOf(workflowId: string): WorkflowVersion[] | undefined {
    if (!this.blocksOf(workflowId)) {
      return undefined;
    }
    return [...this.workflowVersions.values()].filter((version) => version.workflowId === workflowId).sort((a, b) => b.createdAt - a.createdAt);
  }

  workflowVersion(versionId: string): WorkflowVersion | undefined {
    this.build();
    return this.workflowVersions.get(versionId);
  }

  diff(from: SandboxBlockVersion, to: SandboxBlockVersion): ReturnType<typeof changedPaths> {
    const changes = changedPaths(from.config, to.config);
    if (from.label !== to.label) {
      changes.unshift({ field: 'label', from_value: from.label, to_value: to.label });
    }
    return changes;
  }

  blockJson(block: SandboxBlock): Json {
    return {
      id: block.id,
      workflow_id: block.workflowId,
      type: block.type,
      label: block.label,
      position_x: 0,
      position_y: 0,
      width: null,
      height: null,
      config: block.config,
      parent_id: null,
      declarative_path: null,
      declarative_source_block_id: null,
      updated_at: new Date(block.updatedAt).toISOString(),
      resolved_schemas: null,
    };
  }

  versionJson(version: SandboxBlockVersion): Json {
    return {
      id: version.id,
      block_id: version.blockId,
      workflow_id: version.workflowId,
      workflow_version_id: version.workflowVersionId,
      type: version.type,
      label: version.label,
      position_x: 0,
      position_y: 0,
      width: null,
      height: null,
      parent_id: null,
      config: version.config,
      resolved_schemas: null,
      config_hash: configHashOf(version.config),
      created_at: new Date(version.createdAt).toISOString(),
    };
  }

  workflowVersionJson(version: WorkflowVersion): Json {
    return {
      id: version.id,
      workflow_id: version.workflowId,
      blocks: version.blockVersionIds.map((id) => {
        const block = this.versions.get(id);
        return { id: block?.blockId, type: block?.type, label: block?.label, config: block?.config, position: { x: 0, y: 0 }, parent_id: null };
      }),
      edges: [],
      block_version_ids: version.blockVersionIds,
      edge_version_ids: [],
      created_at: new Date(version.createdAt).toISOString(),
    };
  }
}

function labelOf(experiment: ExperimentSeed): string {
  const kind = { extract: 'Extract', classifier: 'Classify', split: 'Split', for_each: 'For each' }[experiment.blockKind];
  return `${kind}: ${experiment.name}`;
}
