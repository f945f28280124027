import { WorkflowSeed } from './data';
import { ApiGeneration } from './generations';
import { ApiResponse, Params, Route, RouteContext, invalid, json, notFound } from './respond';
import { SandboxStore } from './store';
import { ArtifactOperation, iso } from './wire';

/** Routes every generation serves alike (workflows, artifact records), with per-generation shapes. */

const ARTIFACT_COLLECTIONS: Readonly<Record<string, ArtifactOperation>> = {
  extractions: 'extraction',
  classifications: 'classification',
  splits: 'split',
  parses: 'parse',
  edits: 'edit',
  partitions: 'partition',
};

export const COMMON_ROUTES: readonly Route[] = [
  { method: 'GET', pattern: ['workflows'], handle: ({ store, api, request }) => listWorkflows(store, api, request.query) },
  {
    method: 'GET',
    pattern: ['workflows', ':workflow'],
    handle: (context) => withWorkflow(context, (workflow) => json(200, workflowJson(context.api, workflow))),
  },
  ...Object.entries(ARTIFACT_COLLECTIONS).map(([collection, operation]): Route => ({
    method: 'GET',
    pattern: [collection, ':id'],
    handle: ({ store, api, params }) => {
      const record = store.artifact(api, operation, params.id);
      return record ? json(200, record) : notFound(`${operation[0].toUpperCase()}${operation.slice(1)} ${params.id} not found`);
    },
  })),
];

export function withWorkflow(context: RouteContext, then: (workflow: WorkflowSeed) => ApiResponse, params: Params = context.params): ApiResponse {
  const workflow = context.store.catalog.workflowById.get(params.workflow);
  return workflow ? then(workflow) : notFound(`Workflow ${params.workflow} not found`);
}

/**
 * G1: `published.snapshot_id`; from G1p on `published.version_id` (SDK 72e410ea,
 * types/workflows/model.py); G3 adds `project_id` (null on a legacy workflow) and the release note.
 */
export function workflowJson(api: ApiGeneration, workflow: WorkflowSeed): Record<string, unknown> {
  const published = workflow.published;
  return {
    id: workflow.id,
    name: workflow.name,
    description: workflow.description,
    ...(api === 'g3' ? { project_id: workflow.projectId } : {}),
    created_at: iso(workflow.createdAt),
    updated_at: iso(workflow.updatedAt),
    published:
      published === null
        ? null
        : api === 'g1'
          ? { snapshot_id: published.snapshotId, published_at: iso(published.publishedAt) }
          : api === 'g3'
            ? { version_id: published.versionId, published_at: iso(published.publishedAt), description: '' }
            : { version_id: published.versionId, published_at: iso(published.publishedAt) },
  };
}

const SORT_KEYS = ['created_at', 'updated_at', 'name'] as const;
type SortKey = (typeof SORT_KEYS)[number];

/** Cursor paging: a cursor is the id of the workflow the page starts after (or ends before), as the SDK's ListMetadata describes. */
function listWorkflows(store: SandboxStore, api: ApiGeneration, query: URLSearchParams): ApiResponse {
  const limitText = query.get('limit') || '10';
  const limit = Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    return invalid(`limit must be an integer from 1 to 100, not "${limitText}"`);
  }
  const order = query.get('order') || 'desc';
  if (order !== 'asc' && order !== 'desc') {
    return invalid(`order must be "asc" or "desc", not "${order}"`);
  }
  const sortBy = query.get('sort_by') || 'created_at';
  if (!(SORT_KEYS as readonly string[]).includes(sortBy)) {
    return invalid(`sort_by must be one of ${SORT_KEYS.join(', ')}, not "${sortBy}"`);
  }
  const after = query.get('after') || undefined;
  const before = query.get('before') || undefined;
  if (after && before) {
    return invalid('pass either after or before, not both');
  }
  const sorted = sortWorkflows(store.catalog.workflows, sortBy as SortKey, order);
  let start = 0;
  let end = limit;
  const cursor = after ?? before;
  if (cursor !== undefined) {
    const position = sorted.findIndex((workflow) => workflow.id === cursor);
    if (position < 0) {
      return json(400, { detail: { code: 'invalid_cursor', message: `Unknown cursor "${cursor}"` } });
    }
    if (after) {
      start = position + 1;
      end = start + limit;
    } else {
      end = position;
      start = Math.max(0, end - limit);
    }
  }
  const page = sorted.slice(start, end);
  return json(200, {
    data: page.map((workflow) => workflowJson(api, workflow)),
    list_metadata: {
      before: start > 0 && page.length > 0 ? page[0].id : null,
      after: end < sorted.length && page.length > 0 ? page[page.length - 1].id : null,
    },
  });
}

function sortWorkflows(workflows: readonly WorkflowSeed[], sortBy: SortKey, order: 'asc' | 'desc'): WorkflowSeed[] {
  const key = (workflow: WorkflowSeed): number | string =>
    sortBy === 'name' ? workflow.name.toLowerCase() : sortBy === 'updated_at' ? workflow.updatedAt : workflow.createdAt;
  const sorted = [...workflows].sort((a, b) => {
    const left = key(a);
    const right = key(b);
    return left < right ? -1 : left > right ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
  return order === 'desc' ? sorted.reverse() : sorted;
}
