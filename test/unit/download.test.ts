import * as assert from 'node:assert/strict';
import { RetabError } from '../../src/api/errors';
import { downloadFile, downloadUrlProblem } from '../../src/api/files/download';
import { LocalServer, startLocalServer } from './support/localServer';

/** Downloads from a signed URL: another origin, so the key never goes, the scheme never changes, the size is capped. */
describe('file downloads', () => {
  let server: LocalServer | undefined;

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function serve(handler: Parameters<typeof startLocalServer>[0]): Promise<string> {
    server = await startLocalServer(handler);
    return server.url.replace(/\/v1$/, '');
  }

  describe('which URLs are downloaded from', () => {
    it('takes https anywhere and http on this machine only', () => {
      assert.equal(downloadUrlProblem('https://storage.example.com/b/o?X-Goog-Signature=1'), undefined);
      for (const local of ['http://127.0.0.1:9/f', 'http://localhost/f', 'http://[::1]:8/f']) {
        assert.equal(downloadUrlProblem(local), undefined, local);
      }
      assert.match(downloadUrlProblem('http://storage.example.com/f') ?? '', /http, not https/);
      assert.match(downloadUrlProblem('http://127.0.0.1.example.com/f') ?? '', /not https/);
      assert.match(downloadUrlProblem('file:///etc/passwd') ?? '', /file, not https/);
      assert.match(downloadUrlProblem('javascript:alert(1)') ?? '', /not https/);
      assert.match(downloadUrlProblem('data:application/pdf;base64,JVBE') ?? '', /not https/);
      assert.match(downloadUrlProblem('https://user:pass@storage.example.com/f') ?? '', /credentials/);
      assert.match(downloadUrlProblem('not a url') ?? '', /not a URL/);
    });

    it('refuses a redirect to another scheme', () => {
      assert.match(downloadUrlProblem('http://127.0.0.1/f', new URL('https://storage.example.com/f')) ?? '', /redirected from https to http/);
      assert.match(downloadUrlProblem('https://storage.example.com/f', new URL('http://127.0.0.1/f')) ?? '', /redirected from http to https/);
      assert.equal(downloadUrlProblem('https://b.example.com/f', new URL('https://a.example.com/f')), undefined);
    });
  });

  it('sends no key and no header of its own beyond Accept and User-Agent', async () => {
    const base = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/pdf', 'content-length': '4' });
      response.end('%PDF');
    });
    const downloaded = await downloadFile(`${base}/file.pdf`);
    assert.equal(Buffer.from(downloaded.bytes).toString('latin1'), '%PDF');
    assert.equal(downloaded.contentType, 'application/pdf');
    const headers = server?.requests[0].headers ?? {};
    assert.equal(headers.authorization, undefined);
    assert.equal(headers['api-key'], undefined);
    assert.equal(headers.cookie, undefined);
    assert.equal(headers['accept-encoding'], undefined, 'no compressed body to inflate past the cap');
  });

  it('follows a redirect on the same scheme, at most three', async () => {
    let hops = 0;
    const base = await serve((request, response) => {
      if (request.url === '/final') {
        response.writeHead(200, { 'content-length': '2' });
        response.end('ok');
        return;
      }
      hops++;
      response.writeHead(302, { location: request.url === '/loop' ? '/loop' : '/final' });
      response.end();
    });
    assert.equal(Buffer.from((await downloadFile(`${base}/start`)).bytes).toString(), 'ok');
    hops = 0;
    await assert.rejects(downloadFile(`${base}/loop`), (error: RetabError) => error.kind === 'redirect');
    assert.equal(hops, 4, 'the first request and three redirects');
  });

  it('stops at the size cap: before reading when the length is declared, while reading when it is not', async () => {
    let declared = true;
    const base = await serve((_request, response) => {
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      if (declared) {
        response.writeHead(200, { 'content-length': String(10 * chunk.length) });
      } else {
        response.writeHead(200);
      }
      let sent = 0;
      const pump = (): void => {
        while (sent < 10) {
          sent++;
          if (!response.write(chunk)) {
            response.once('drain', pump);
            return;
          }
        }
        response.end();
      };
      response.on('error', () => undefined);
      pump();
    });
    await assert.rejects(
      downloadFile(`${base}/big`, { maxBytes: 200_000 }),
      (error: RetabError) => error.kind === 'too_large' && /1 MB, more than/.test(error.message),
    );
    declared = false;
    await assert.rejects(
      downloadFile(`${base}/big`, { maxBytes: 200_000 }),
      (error: RetabError) => error.kind === 'too_large' && /larger than/.test(error.message),
    );
  });

  it('says an expired link is refused, and a body cut short is cut short', async () => {
    const base = await serve((request, response) => {
      if (request.url === '/expired') {
        response.writeHead(403);
        response.end('<Error><Code>ExpiredToken</Code></Error>');
        return;
      }
      response.writeHead(200, { 'content-length': '1000' });
      response.end('short');
    });
    await assert.rejects(downloadFile(`${base}/expired`), (error: RetabError) => error.kind === 'auth' && /may have expired/.test(error.message));
    await assert.rejects(downloadFile(`${base}/short`), (error: RetabError) => error.kind === 'network' && /cut off/.test(error.message));
  });

  it('is cancelled by its signal', async () => {
    const base = await serve(() => undefined); // never answers
    const controller = new AbortController();
    const download = downloadFile(`${base}/slow`, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(download, (error: RetabError) => error.kind === 'cancelled');
  });
});
