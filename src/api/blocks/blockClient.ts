/**
 * The workflow blocks API (flat generations, SDK 61d9c44e: `/workflows/blocks…`, block versions,
 * validate-config; workflow publish and versions), through the client's detection, key and
 * transport. Nested servers (G1, G1p) have none of it (`capabilities.blocks`); a flat server may
 * still answer 404 or 405 where the routes are missing: `blocksUnavailable` words that.
 */
import { l10n } from '../../l10n';
import { RetabClient } from '../client';
import { segment } from '../dialects/common';
import { HttpMethod, RequestSpec } from '../dialects/dialect';
import { RetabError } from '../errors';
import { collectPages } from '../paging';
import { JsonObject } from '../validate';
import { BlockVersion, BlockVersionDiff, ConfigCheck, WorkflowBlock, WorkflowDraftState, WorkflowVersionDiff, WorkflowVersionSummary } from './blockModels';
import {
  parseBlock,
  parseBlockPage,
  parseBlockVersion,
  parseBlockVersionDiff,
  parseBlockVersionPage,
  parseConfigCheck,
  parseWorkflowDraftState,
  parseWorkflowVersion,
  parseWorkflowVersionDiff,
  parseWorkflowVersionPage,
} from './blockWire';

/** The blocks list takes up to 200 a page (the CLI's bound); versions up to 100. */
const BLOCK_PAGE_SIZE = 100;
const VERSION_PAGE_SIZE = 100;
/** Far beyond real workflows, low enough that a looping server stops. */
const MAX_PAGES = 20;

function specOf<T>(method: HttpMethod, path: string, parse: (value: unknown) => T, extra: Partial<RequestSpec<T>> = {}): RequestSpec<T> {
  // Blocks may be missing from a server of a generation that has them: that says nothing of the generation.
  return { method, path, parse, optional: true, ...extra };
}

const blockPath = (blockId: string): string => `/workflows/blocks/${segment(blockId, l10n.t('Block id'))}`;
const workflowQuery = (workflowId: string | undefined): { workflow_id?: string } =>
  workflowId ? { workflow_id: segment(workflowId, l10n.t('Workflow id')) } : {};

export class BlockClient {
  constructor(private readonly client: RetabClient) {}

  /** Whether the server's generation has the blocks routes (found out first if need be). */
  async hasBlocks(signal?: AbortSignal): Promise<boolean> {
    return (await this.client.dialect(signal)).capabilities.blocks;
  }

  /** Every block of a workflow's draft. */
  async listBlocks(workflowId: string, signal?: AbortSignal): Promise<WorkflowBlock[]> {
    const { items } = await collectPages(
      (cursor) =>
        this.client.request(
          () =>
            specOf('GET', '/workflows/blocks', parseBlockPage, {
              query: { workflow_id: segment(workflowId, l10n.t('Workflow id')), limit: BLOCK_PAGE_SIZE, after: cursor },
              list: true,
              size: 'large',
            }),
          signal,
        ),
      MAX_PAGES,
      signal,
    );
    return items;
  }

  /** A block's draft. `workflowId` disambiguates legacy duplicate ids. */
  async getBlock(blockId: string, workflowId: string | undefined, signal?: AbortSignal): Promise<WorkflowBlock> {
    return this.client.request(() => specOf('GET', blockPath(blockId), (value) => parseBlock(value), { query: workflowQuery(workflowId) }), signal);
  }

  /** Replaces the draft's config (the mode is always sent: servers disagree on its default). */
  async replaceConfig(blockId: string, workflowId: string | undefined, config: JsonObject, signal?: AbortSignal): Promise<WorkflowBlock> {
    return this.client.request(
      () =>
        specOf('PATCH', blockPath(blockId), (value) => parseBlock(value), {
          query: workflowQuery(workflowId),
          body: { config, config_mode: 'replace' },
        }),
      signal,
    );
  }

  /** The server's dry run: throws its 4xx (the reason) when the config is not valid; writes nothing. */
  async validateConfig(blockId: string, workflowId: string | undefined, config: JsonObject, signal?: AbortSignal): Promise<ConfigCheck> {
    return this.client.request(
      () =>
        specOf('POST', `${blockPath(blockId)}/validate-config`, parseConfigCheck, {
          query: workflowQuery(workflowId),
          body: { config, config_mode: 'replace' },
        }),
      signal,
    );
  }

  /** A block's versions, newest first (every page, bounded). */
  async listVersions(workflowId: string, blockId: string, signal?: AbortSignal): Promise<BlockVersion[]> {
    const { items } = await collectPages(
      (cursor) =>
        this.client.request(
          () =>
            specOf('GET', '/workflows/blocks/versions', parseBlockVersionPage, {
              query: {
                workflow_id: segment(workflowId, l10n.t('Workflow id')),
                block_id: segment(blockId, l10n.t('Block id')),
                limit: VERSION_PAGE_SIZE,
                after: cursor,
                order: 'desc',
              },
              list: true,
              size: 'large',
            }),
          signal,
        ),
      MAX_PAGES,
      signal,
    );
    return items;
  }

  /** "Block B in workflow version V": the versions list narrowed to both, one item. */
  async versionInWorkflowVersion(workflowId: string, blockId: string, workflowVersionId: string, signal?: AbortSignal): Promise<BlockVersion | undefined> {
    const page = await this.client.request(
      () =>
        specOf('GET', '/workflows/blocks/versions', parseBlockVersionPage, {
          query: {
            workflow_id: segment(workflowId, l10n.t('Workflow id')),
            block_id: segment(blockId, l10n.t('Block id')),
            workflow_version_id: segment(workflowVersionId, l10n.t('Workflow version id')),
            limit: 1,
          },
          list: true,
        }),
      signal,
    );
    return page.items.find((version) => version.blockId === blockId);
  }

  async getVersion(versionId: string, signal?: AbortSignal): Promise<BlockVersion> {
    return this.client.request(
      () => specOf('GET', `/workflows/blocks/versions/${segment(versionId, l10n.t('Block version id'))}`, (value) => parseBlockVersion(value)),
      signal,
    );
  }

  async diffVersions(fromVersionId: string, toVersionId: string, signal?: AbortSignal): Promise<BlockVersionDiff> {
    return this.client.request(
      () =>
        specOf('GET', '/workflows/blocks/versions/diff', parseBlockVersionDiff, {
          query: {
            from_block_version_id: segment(fromVersionId, l10n.t('Block version id')),
            to_block_version_id: segment(toVersionId, l10n.t('Block version id')),
          },
        }),
      signal,
    );
  }

  /** Overwrites the draft block with a version (publishes nothing); the draft after it. */
  async restoreVersion(versionId: string, workflowId: string | undefined, signal?: AbortSignal): Promise<WorkflowBlock> {
    return this.client.request(
      () =>
        specOf('POST', `/workflows/blocks/versions/${segment(versionId, l10n.t('Block version id'))}/restore`, (value) => parseBlock(value), {
          query: workflowQuery(workflowId),
          body: {},
        }),
      signal,
    );
  }

  /** A workflow's versions, newest first (one page: publishing shows the latest). */
  async workflowVersions(workflowId: string, limit: number, signal?: AbortSignal): Promise<WorkflowVersionSummary[]> {
    const page = await this.client.request(
      () =>
        specOf('GET', '/workflows/versions', parseWorkflowVersionPage, {
          query: { workflow_id: segment(workflowId, l10n.t('Workflow id')), limit: Math.min(limit, VERSION_PAGE_SIZE), order: 'desc' },
          list: true,
        }),
      signal,
    );
    return page.items;
  }

  async workflowVersion(workflowId: string, versionId: string, signal?: AbortSignal): Promise<WorkflowVersionSummary> {
    return this.client.request(
      () =>
        specOf('GET', `/workflows/versions/${segment(versionId, l10n.t('Workflow version id'))}`, (value) => parseWorkflowVersion(value), {
          query: workflowQuery(workflowId),
        }),
      signal,
    );
  }

  async diffWorkflowVersions(workflowId: string, fromVersionId: string, toVersionId: string, signal?: AbortSignal): Promise<WorkflowVersionDiff> {
    return this.client.request(
      () =>
        specOf('GET', '/workflows/versions/diff', parseWorkflowVersionDiff, {
          query: {
            workflow_id: segment(workflowId, l10n.t('Workflow id')),
            from_workflow_version_id: segment(fromVersionId, l10n.t('Workflow version id')),
            to_workflow_version_id: segment(toVersionId, l10n.t('Workflow version id')),
          },
        }),
      signal,
    );
  }

  /** Snapshots the draft as the live version. */
  async publishWorkflow(workflowId: string, description: string, signal?: AbortSignal): Promise<WorkflowDraftState> {
    return this.client.request(
      () =>
        specOf('POST', `/workflows/${segment(workflowId, l10n.t('Workflow id'))}/publish`, parseWorkflowDraftState, {
          body: description ? { description } : {},
        }),
      signal,
    );
  }
}

/** Why this server offers no block editing, when an error says the routes are not there; undefined for any other error. */
export function blocksUnavailable(error: RetabError): string | undefined {
  if (error.status === 405) {
    return l10n.t('This Retab server does not let blocks be edited through its API (it answered 405 to the blocks routes).');
  }
  if (error.routeMissing) {
    return l10n.t('This Retab server has no blocks routes (it answered 404).');
  }
  return undefined;
}
