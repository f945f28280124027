import { pageOf, pageQuery } from '../paging';
import { ApiResponse, Route, RouteContext, bodyObject, invalid, json, notFound } from '../respond';
import { SandboxBlock } from './sandboxBlocks';

/**
 * `/workflows/blocks…`, block versions, validate-config, and the workflow's publish and versions
 * (SDK 61d9c44e: Node workflows/blocks, workflows.ts; retab-blocks facts §1, §5, §7). With the
 * blocks mode set to `404` or `405` every route answers so, as a server without them did.
 */
function enabled(context: RouteContext, then: () => ApiResponse): ApiResponse {
  switch (context.blocks.mode) {
    case '404':
      return notFound('Not Found');
    case '405':
      return json(405, { detail: 'Method Not Allowed' });
    default:
      return then();
  }
}

/** The server's 422 for a config it refuses: the structured `detail` the facts describe. */
function refused(status: number, message: string): ApiResponse {
  return json(status, { detail: { code: 'invalid_config', message, details: { error: message } } });
}

function blockOf(context: RouteContext): SandboxBlock | ApiResponse {
  const block = context.blocks.block(context.params.blockId);
  const workflowId = context.request.query.get('workflow_id');
  if (!block || (workflowId && block.workflowId !== workflowId)) {
    return notFound('Block not found');
  }
  return block;
}

const isResponse = (value: unknown): value is ApiResponse => typeof value === 'object' && value !== null && 'status' in value && 'body' in value;

const VERSION_PAGE = { defaultLimit: 50, maxLimit: 100 } as const;

export const BLOCK_ROUTES: readonly Route[] = [
  {
    method: 'GET',
    pattern: ['workflows', 'blocks', 'versions', 'diff'],
    handle: (context) =>
      enabled(context, () => {
        const from = context.blocks.version(context.request.query.get('from_block_version_id') ?? '');
        const to = context.blocks.version(context.request.query.get('to_block_version_id') ?? '');
        if (!from || !to) {
          return notFound('Block version not found');
        }
        return json(200, { from_block_version_id: from.id, to_block_version_id: to.id, block_id: to.blockId, changes: context.blocks.diff(from, to) });
      }),
  },
  {
    method: 'GET',
    pattern: ['workflows', 'blocks', 'versions'],
    handle: (context) =>
      enabled(context, () => {
        const query = context.request.query;
        const workflowId = query.get('workflow_id');
        if (!workflowId) {
          return invalid('workflow_id is required');
        }
        const versions = context.blocks.versionsOf(workflowId, query.get('block_id') || undefined, query.get('workflow_version_id') || undefined);
        if (!versions) {
          return notFound('Workflow not found');
        }
        const paging = pageQuery(query, { ...VERSION_PAGE, defaultOrder: 'desc' });
        const ordered = paging.order === 'desc' ? versions : [...versions].reverse();
        const page = pageOf(
          ordered,
          (version) => version.id,
          `block-versions ${workflowId} ${query.get('block_id') ?? ''} ${query.get('workflow_version_id') ?? ''} ${paging.order}`,
          paging,
        );
        return json(200, { data: page.data.map((version) => context.blocks.versionJson(version)), list_metadata: page.list_metadata });
      }),
  },
  {
    method: 'GET',
    pattern: ['workflows', 'blocks', 'versions', ':versionId'],
    handle: (context) =>
      enabled(context, () => {
        const version = context.blocks.version(context.params.versionId);
        return version ? json(200, context.blocks.versionJson(version)) : notFound('Block version not found');
      }),
  },
  {
    method: 'POST',
    pattern: ['workflows', 'blocks', 'versions', ':versionId', 'restore'],
    handle: (context) =>
      enabled(context, () => {
        const version = context.blocks.version(context.params.versionId);
        const block = version ? context.blocks.restore(version) : undefined;
        return block ? json(200, context.blocks.blockJson(block)) : notFound('Block version not found');
      }),
  },
  {
    method: 'GET',
    pattern: ['workflows', 'blocks'],
    handle: (context) =>
      enabled(context, () => {
        const workflowId = context.request.query.get('workflow_id');
        if (!workflowId) {
          return invalid('workflow_id is required');
        }
        const blocks = context.blocks.blocksOf(workflowId);
        if (!blocks) {
          return notFound('Workflow not found');
        }
        const paging = pageQuery(context.request.query, { defaultLimit: 100, maxLimit: 200, defaultOrder: 'desc' });
        const ordered = paging.order === 'desc' ? blocks : [...blocks].reverse();
        const page = pageOf(ordered, (block) => block.id, `blocks ${workflowId} ${paging.order}`, paging);
        return json(200, { data: page.data.map((block) => context.blocks.blockJson(block)), list_metadata: page.list_metadata });
      }),
  },
  {
    method: 'GET',
    pattern: ['workflows', 'blocks', ':blockId'],
    handle: (context) =>
      enabled(context, () => {
        const block = blockOf(context);
        return isResponse(block) ? block : json(200, context.blocks.blockJson(block));
      }),
  },
  {
    method: 'PATCH',
    pattern: ['workflows', 'blocks', ':blockId'],
    handle: (context) =>
      enabled(context, () => {
        const block = blockOf(context);
        if (isResponse(block)) {
          return block;
        }
        const body = bodyObject(context.request.body);
        if (typeof body === 'string') {
          return invalid(body);
        }
        if ('type' in body) {
          return refused(422, 'type cannot be changed');
        }
        if (!('config' in body)) {
          return 'config_mode' in body
            ? refused(422, "config_mode is only meaningful when 'config' is also provided")
            : json(200, context.blocks.blockJson(block));
        }
        // The spec's default when the mode is left out (older docs said replace: clients always send it).
        const mode = typeof body.config_mode === 'string' ? body.config_mode : 'merge';
        const outcome = context.blocks.patchConfig(block, body.config, mode);
        return 'message' in outcome ? refused(outcome.status, outcome.message) : json(200, context.blocks.blockJson(outcome));
      }),
  },
  {
    method: 'POST',
    pattern: ['workflows', 'blocks', ':blockId', 'validate-config'],
    handle: (context) =>
      enabled(context, () => {
        const block = blockOf(context);
        if (isResponse(block)) {
          return block;
        }
        const body = bodyObject(context.request.body);
        if (typeof body === 'string') {
          return invalid(body);
        }
        const mode = typeof body.config_mode === 'string' ? body.config_mode : 'replace';
        const outcome = context.blocks.check(block, body.config, mode);
        return 'message' in outcome
          ? refused(outcome.status, outcome.message)
          : json(200, { ok: true, workflow_id: block.workflowId, block_id: block.id, block_type: block.type, config_hash: outcome.hash });
      }),
  },
  {
    method: 'POST',
    pattern: ['workflows', ':workflowId', 'publish'],
    handle: (context) =>
      enabled(context, () => {
        const body = bodyObject(context.request.body || '{}');
        const description = typeof body === 'object' && typeof body.description === 'string' ? body.description : '';
        const version = context.blocks.publish(context.params.workflowId, description);
        const workflow = context.store.catalog.workflowById.get(context.params.workflowId);
        if (!version || !workflow) {
          return notFound('Workflow not found');
        }
        return json(200, {
          id: workflow.id,
          name: workflow.name,
          description: workflow.description,
          published: { version_id: version.id, published_at: new Date(version.createdAt).toISOString() },
          updated_at: new Date(version.createdAt).toISOString(),
        });
      }),
  },
  {
    method: 'GET',
    pattern: ['workflows', 'versions', 'diff'],
    handle: (context) =>
      enabled(context, () => {
        const from = context.blocks.workflowVersion(context.request.query.get('from_workflow_version_id') ?? '');
        const to = context.blocks.workflowVersion(context.request.query.get('to_workflow_version_id') ?? '');
        if (!from || !to) {
          return notFound('Workflow version not found');
        }
        const blockOfVersion = (id: string): string | undefined => context.blocks.version(id)?.blockId;
        const fromBlocks = new Map(from.blockVersionIds.map((id) => [blockOfVersion(id), id]));
        const toBlocks = new Map(to.blockVersionIds.map((id) => [blockOfVersion(id), id]));
        const ids = (map: Map<string | undefined, string>): string[] => [...map.keys()].filter((id): id is string => id !== undefined);
        return json(200, {
          added_block_ids: ids(toBlocks).filter((id) => !fromBlocks.has(id)),
          removed_block_ids: ids(fromBlocks).filter((id) => !toBlocks.has(id)),
          changed_block_ids: ids(toBlocks).filter((id) => fromBlocks.has(id) && fromBlocks.get(id) !== toBlocks.get(id)),
          added_edge_ids: [],
          removed_edge_ids: [],
          changed_edge_ids: [],
        });
      }),
  },
  {
    method: 'GET',
    pattern: ['workflows', 'versions'],
    handle: (context) =>
      enabled(context, () => {
        const workflowId = context.request.query.get('workflow_id');
        const versions = workflowId ? context.blocks.workflowVersionsOf(workflowId) : undefined;
        if (!versions) {
          return workflowId ? notFound('Workflow not found') : invalid('workflow_id is required');
        }
        const paging = pageQuery(context.request.query, { ...VERSION_PAGE, defaultOrder: 'desc' });
        const ordered = paging.order === 'desc' ? versions : [...versions].reverse();
        const page = pageOf(ordered, (version) => version.id, `workflow-versions ${workflowId} ${paging.order}`, paging);
        return json(200, { data: page.data.map((version) => context.blocks.workflowVersionJson(version)), list_metadata: page.list_metadata });
      }),
  },
  {
    method: 'GET',
    pattern: ['workflows', 'versions', ':versionId'],
    handle: (context) =>
      enabled(context, () => {
        const version = context.blocks.workflowVersion(context.params.versionId);
        return version ? json(200, context.blocks.workflowVersionJson(version)) : notFound('Workflow version not found');
      }),
  },
];
