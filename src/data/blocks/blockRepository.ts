import { l10n } from '../../l10n';
import { BlockClient, blocksUnavailable } from '../../api/blocks/blockClient';
import {
  BlockVersion,
  BlockVersionDiff,
  ConfigCheck,
  WorkflowBlock,
  WorkflowDraftState,
  WorkflowVersionDiff,
  WorkflowVersionSummary,
} from '../../api/blocks/blockModels';
import { RetabError, toRetabError } from '../../api/errors';
import { JsonObject } from '../../api/validate';
import { DraftState } from './draftState';

/** Whether this server lets blocks be edited, and if not, why (one plain line). */
export type BlocksAvailability = { available: true } | { available: false; reason: string };

const nestedReason = () =>
  l10n.t('This Retab server speaks an API generation without workflow blocks (G1 or G1p): block definitions cannot be edited from here.');

/**
 * Workflow blocks for the views (src/data: the only way views reach data): the blocks API with
 * what the server said about it remembered per base URL — a generation without the routes, or a
 * 404/405 from them — so that the edit commands hide (a context key) and say why once.
 */
export class BlockRepository {
  private readonly unavailable = new Map<string, string>();
  private readonly versions = new Map<string, BlockVersion>();

  constructor(
    private readonly client: BlockClient,
    private readonly baseUrl: () => string,
    /** Which drafts were edited here and not published since (shared with the tree through RetabRepository). */
    readonly drafts: DraftState,
  ) {}

  markPublished(workflowId: string): void {
    this.drafts.markPublished(workflowId);
  }

  /** Known without a request when the generation is known; else found out (one detection). */
  async availability(signal?: AbortSignal): Promise<BlocksAvailability> {
    const said = this.unavailable.get(this.baseUrl());
    if (said) {
      return { available: false, reason: said };
    }
    return (await this.client.hasBlocks(signal)) ? { available: true } : { available: false, reason: nestedReason() };
  }

  /** Forgets what servers said (Refresh, another key or base URL). */
  clear(): void {
    this.unavailable.clear();
    this.versions.clear();
  }

  /** Runs a blocks call; a 404/405 that says the routes are missing is remembered and rethrown. */
  private async call<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (caught) {
      const error = toRetabError(caught);
      const reason = blocksUnavailable(error);
      if (reason) {
        this.unavailable.set(this.baseUrl(), reason);
        throw new RetabError('not_found', reason, { status: error.status, requestId: error.requestId });
      }
      throw error;
    }
  }

  listBlocks(workflowId: string, signal?: AbortSignal): Promise<WorkflowBlock[]> {
    return this.call(() => this.client.listBlocks(workflowId, signal));
  }

  getBlock(blockId: string, workflowId: string | undefined, signal?: AbortSignal): Promise<WorkflowBlock> {
    return this.call(() => this.client.getBlock(blockId, workflowId, signal));
  }

  async replaceConfig(blockId: string, workflowId: string | undefined, config: JsonObject, signal?: AbortSignal): Promise<WorkflowBlock> {
    const block = await this.client.replaceConfig(blockId, workflowId, config, signal);
    this.drafts.markEdited(block.workflowId);
    return block;
  }

  /** The server's dry run; a 404/405 here means only that this server has no dry run (local checks then). */
  validateConfig(blockId: string, workflowId: string | undefined, config: JsonObject, signal?: AbortSignal): Promise<ConfigCheck> {
    return this.client.validateConfig(blockId, workflowId, config, signal);
  }

  async listVersions(workflowId: string, blockId: string, signal?: AbortSignal): Promise<BlockVersion[]> {
    const versions = await this.call(() => this.client.listVersions(workflowId, blockId, signal));
    for (const version of versions) {
      this.versions.set(version.id, version);
    }
    return versions;
  }

  versionInWorkflowVersion(workflowId: string, blockId: string, workflowVersionId: string, signal?: AbortSignal): Promise<BlockVersion | undefined> {
    return this.call(() => this.client.versionInWorkflowVersion(workflowId, blockId, workflowVersionId, signal));
  }

  /** Block versions are immutable snapshots: each is read once. */
  async getVersion(versionId: string, signal?: AbortSignal): Promise<BlockVersion> {
    const known = this.versions.get(versionId);
    if (known) {
      return known;
    }
    const version = await this.call(() => this.client.getVersion(versionId, signal));
    this.versions.set(versionId, version);
    return version;
  }

  diffVersions(fromVersionId: string, toVersionId: string, signal?: AbortSignal): Promise<BlockVersionDiff> {
    return this.call(() => this.client.diffVersions(fromVersionId, toVersionId, signal));
  }

  async restoreVersion(versionId: string, workflowId: string | undefined, signal?: AbortSignal): Promise<WorkflowBlock> {
    const block = await this.call(() => this.client.restoreVersion(versionId, workflowId, signal));
    this.drafts.markEdited(block.workflowId);
    return block;
  }

  workflowVersions(workflowId: string, limit: number, signal?: AbortSignal): Promise<WorkflowVersionSummary[]> {
    return this.call(() => this.client.workflowVersions(workflowId, limit, signal));
  }

  diffWorkflowVersions(workflowId: string, fromVersionId: string, toVersionId: string, signal?: AbortSignal): Promise<WorkflowVersionDiff> {
    return this.call(() => this.client.diffWorkflowVersions(workflowId, fromVersionId, toVersionId, signal));
  }

  publishWorkflow(workflowId: string, description: string, signal?: AbortSignal): Promise<WorkflowDraftState> {
    return this.call(() => this.client.publishWorkflow(workflowId, description, signal));
  }
}
