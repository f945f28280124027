import { FLAT_ROUTES } from './flat';
import { ApiGeneration } from './generations';
import { NESTED_ROUTES } from './nested';
import { PageError } from './paging';
import { ApiRequest, ApiResponse, Params, Route, json, notFound } from './respond';
import { SandboxStore } from './store';
import { SandboxFiles } from './files/sandboxFiles';
import { SandboxEvals } from './evals/sandboxEvals';
import { SandboxBlocks } from './blocks/sandboxBlocks';

export type { ApiRequest, ApiResponse } from './respond';
export { json } from './respond';

/**
 * The `/v1` surface of the Retab API in one generation: request in, status and serialised JSON
 * out. No HTTP here. A path no route of the generation has is a route-level 404
 * (`{"detail": "Not Found"}`); a known path with another method is a 405.
 */

const ROUTES: Readonly<Record<ApiGeneration, readonly Route[]>> = {
  g1: NESTED_ROUTES.g1,
  g1p: NESTED_ROUTES.g1p,
  g2: FLAT_ROUTES,
  g3: FLAT_ROUTES,
};

export function handleApi(
  store: SandboxStore,
  files: SandboxFiles,
  evals: SandboxEvals,
  blocks: SandboxBlocks,
  api: ApiGeneration,
  request: ApiRequest,
): ApiResponse {
  let pathMatched = false;
  for (const route of ROUTES[api]) {
    const params = match(route.pattern, request.segments);
    if (!params) {
      continue;
    }
    pathMatched = true;
    if (route.method === request.method) {
      try {
        return route.handle({ store, files, evals, blocks, api, params, request });
      } catch (caught) {
        if (caught instanceof PageError) {
          return json(caught.status, { detail: caught.detail });
        }
        throw caught;
      }
    }
  }
  return pathMatched ? json(405, { detail: 'Method Not Allowed' }) : notFound('Not Found');
}

function match(pattern: readonly string[], segments: readonly string[]): Params | undefined {
  if (pattern.length !== segments.length) {
    return undefined;
  }
  const params: Record<string, string> = {};
  for (let index = 0; index < pattern.length; index++) {
    const part = pattern[index];
    if (part.startsWith(':')) {
      params[part.slice(1)] = segments[index];
    } else if (part !== segments[index]) {
      return undefined;
    }
  }
  return params;
}
