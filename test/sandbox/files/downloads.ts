/**
 * The sandbox's second origin: where download links point, as a storage bucket's signed URLs do on
 * a real server. It takes no API key and logs whether one came (it never should), so tests see the
 * key stay with the API's origin. `GET /download/{token}/{name}` serves the file a valid, unexpired
 * token names; anything else is a 403 or 404, as a bucket answers.
 */
import * as http from 'node:http';
import { AddressInfo, Socket } from 'node:net';
import { SandboxFiles } from './sandboxFiles';

export interface DownloadRequest {
  path: string;
  status: number;
  /** An `Authorization` or `Api-Key` header came with the download: the key left its origin. */
  carriedKey: boolean;
  time: string;
}

export interface DownloadServer {
  origin: string;
  requests(): DownloadRequest[];
  clearLog(): void;
  close(): Promise<void>;
}

const MAX_LOGGED = 2_000;

export async function startDownloadServer(files: SandboxFiles, host: string, now: () => number): Promise<DownloadServer> {
  const log: DownloadRequest[] = [];
  const sockets = new Set<Socket>();
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://sandbox');
    const carriedKey = request.headers.authorization !== undefined || request.headers['api-key'] !== undefined;
    const entry: DownloadRequest = { path: url.pathname, status: 0, carriedKey, time: new Date().toISOString() };
    log.push(entry);
    if (log.length > MAX_LOGGED) {
      log.shift();
    }
    const send = (status: number, body: string): void => {
      entry.status = status;
      response.writeHead(status, { 'content-type': 'application/xml' });
      response.end(body);
    };
    const match = /^\/download\/([^/]+)\/[^/]*$/.exec(url.pathname);
    if (request.method !== 'GET' || !match) {
      send(404, '<Error><Code>NoSuchKey</Code></Error>');
      return;
    }
    const file = files.verify(match[1], now());
    if (file === 'expired') {
      send(403, '<Error><Code>ExpiredToken</Code></Error>');
      return;
    }
    if (!file) {
      send(403, '<Error><Code>SignatureDoesNotMatch</Code></Error>');
      return;
    }
    entry.status = 200;
    const streamed = files.streamed(file);
    if (streamed) {
      response.writeHead(200, { 'content-type': file.mimeType, 'content-length': String(streamed.size) });
      const chunks = streamed.chunks();
      const pump = (): void => {
        for (;;) {
          const next = chunks.next();
          if (next.done) {
            response.end();
            return;
          }
          if (!response.write(next.value)) {
            response.once('drain', pump);
            return;
          }
        }
      };
      response.on('close', () => chunks.return(undefined));
      pump();
      return;
    }
    const bytes = files.bytes(file);
    response.writeHead(200, { 'content-type': file.mimeType, 'content-length': String(bytes.length) });
    response.end(bytes);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    requests: () => [...log],
    clearLog: () => {
      log.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) {
          socket.destroy();
        }
        server.close(() => resolve());
      }),
  };
}
