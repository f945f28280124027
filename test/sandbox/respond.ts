import { ApiGeneration } from './generations';
import { SandboxStore } from './store';
import type { SandboxFiles } from './files/sandboxFiles';
import type { SandboxEvals } from './evals/sandboxEvals';
import type { SandboxBlocks } from './blocks/sandboxBlocks';

/** What route handlers receive and return: request in, status and serialised JSON out. No HTTP here. */

export interface ApiResponse {
  status: number;
  body: string;
}

export interface ApiRequest {
  method: string;
  /** Path segments after `/v1`, already percent-decoded. */
  segments: readonly string[];
  query: URLSearchParams;
  body: string;
}

export type Params = Readonly<Record<string, string>>;

export interface RouteContext {
  store: SandboxStore;
  files: SandboxFiles;
  evals: SandboxEvals;
  blocks: SandboxBlocks;
  api: ApiGeneration;
  params: Params;
  request: ApiRequest;
}

export interface Route {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  pattern: readonly string[];
  handle(context: RouteContext): ApiResponse;
}

export function json(status: number, value: unknown): ApiResponse {
  return { status, body: JSON.stringify(value) };
}

export function notFound(detail: string): ApiResponse {
  return json(404, { detail });
}

export function invalid(detail: string): ApiResponse {
  return json(422, { detail });
}

export function conflict(code: string, message: string, status = 409): ApiResponse {
  return json(status, { detail: { code, message } });
}

/** The request body as a JSON object (empty when there is none), or why it is not one. */
export function bodyObject(body: string): Record<string, unknown> | string {
  let value: unknown = {};
  if (body.trim() !== '') {
    try {
      value = JSON.parse(body);
    } catch {
      return 'the request body is not valid JSON';
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return 'the request body must be a JSON object';
  }
  return value as Record<string, unknown>;
}
