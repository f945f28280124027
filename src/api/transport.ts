/**
 * The slice of `fetch` the client needs. Both node-fetch and the global fetch fit it, and tests
 * pass either one pointed at a real local server.
 */
export interface FetchResponse {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
}

export interface FetchInit {
  method: string;
  headers: Record<string, string>;
  body?: string;
  signal: AbortSignal;
}

export type FetchLike = (url: string, init: FetchInit) => Promise<FetchResponse>;

/** node-fetch is loaded on the first request, not at activation: it is most of the bundle. */
export const nodeFetch: FetchLike = async (url, init) => {
  const { default: fetchImpl } = await import('node-fetch');
  return fetchImpl(url, init as Parameters<typeof fetchImpl>[1]);
};
