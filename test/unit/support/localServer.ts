import * as http from 'node:http';
import { AddressInfo, Socket } from 'node:net';

export type Handler = (request: http.IncomingMessage, response: http.ServerResponse, body: string) => void;

export interface LocalServer {
  url: string;
  requests: Array<{ method: string; url: string; headers: http.IncomingHttpHeaders }>;
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 with a per-test handler: the client is tested over the wire. */
export async function startLocalServer(handler: Handler): Promise<LocalServer> {
  const requests: LocalServer['requests'] = [];
  const sockets = new Set<Socket>();
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      requests.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers });
      handler(request, response, body);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) {
          socket.destroy();
        }
        server.close(() => resolve());
      }),
  };
}

export function sendJson(response: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', 'x-request-id': 'req_test_1', ...headers });
  response.end(JSON.stringify(body));
}
