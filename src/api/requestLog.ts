/** What the client reports about each HTTP attempt; never carries the key or headers. */
export interface RequestRecord {
  method: string;
  path: string;
  status: number | null;
  durationMs: number;
  requestId: string | null;
  attempt: number;
  outcome: 'ok' | 'error' | 'retry';
  message?: string;
}

export type RequestListener = (record: RequestRecord) => void;
