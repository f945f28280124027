/**
 * The sandbox's files and sources routes against what the SDK of commit 73028233 (2026-05-23,
 * the commit that added them) reads: clients/node/src/api/files/files.ts (File, FileLink) and
 * clients/node/src/api/extractions/extractions.ts (`sources()`, whose `sources` the SDK types
 * loosely: the leaf shape `{value, source: {content, anchor} | null}` and the page anchors come
 * from the public docs page core-concepts/Sources). Servers of the nested generations predate them.
 */
import * as assert from 'node:assert/strict';
import { API_GENERATIONS, isFlat } from '../sandbox/generations';
import { Sandbox, startSandbox } from '../sandbox/server';
import { Schema, anyValue, datetime, int, literal, nullable, num, object, opt, recordOf, str, tagged, validate } from './support/schema';

const FILE: Schema = object('File', {
  object: literal('file'),
  id: str,
  filename: str,
  mime_type: opt(str),
  created_at: opt(datetime),
  updated_at: opt(datetime),
  page_count: opt(nullable(int)),
});

const FILE_LINK: Schema = object('FileLink', {
  download_url: str,
  expires_in: str,
  filename: str,
  mime_data: opt(anyValue),
});

const EXTRACTION_SOURCES: Schema = object('ExtractionSources', {
  object: literal('extraction.sources'),
  extraction_id: str,
  document_type: literal('pdf', 'image', 'csv', 'xlsx', 'docx', 'txt'),
  file: object('FileRef', { id: str, filename: str, mime_type: opt(str) }),
  extraction: anyValue,
  sources: recordOf(anyValue),
});

const BOX = { page: int, left: num, top: num, width: num, height: num };
const ANCHOR: Schema = tagged('SourceAnchor', 'type', {
  pdf_bbox: object('PdfBbox', { type: literal('pdf_bbox'), ...BOX }),
  image_bbox: object('ImageBbox', { type: literal('image_bbox'), ...BOX }),
});
const SOURCE: Schema = object('Source', { content: str, anchor: ANCHOR });

function conforms(schema: Schema, value: unknown, what: string): void {
  assert.deepEqual(validate(schema, value).slice(0, 10), [], `${what} does not match ${schema.name}`);
}

type Json = Record<string, unknown>;

/** Every `{value, source}` leaf of a sources tree, with its path. */
function leaves(node: unknown, path = ''): Array<[string, Json]> {
  if (typeof node !== 'object' || node === null) {
    return [];
  }
  const record = node as Json;
  if ('value' in record && 'source' in record) {
    return [[path, record]];
  }
  return Object.entries(record).flatMap(([key, child]) => leaves(child, path ? `${path}.${key}` : key));
}

describe('Retab sandbox: files and sources, as the SDK of 73028233 reads them', function () {
  this.timeout(30_000);
  for (const api of API_GENERATIONS) {
    describe(api, () => {
      let sandbox: Sandbox;
      before(async () => {
        sandbox = await startSandbox({ api });
      });
      after(async () => {
        await sandbox.close();
      });
      const get = async (route: string): Promise<{ status: number; json: Json }> => {
        const response = await fetch(`${sandbox.url}${route}`, { headers: sandbox.authHeaders() });
        return { status: response.status, json: (await response.json()) as Json };
      };

      if (!isFlat(api)) {
        it('has no files or sources routes (they came with G2)', async () => {
          for (const route of ['/files/file_c9abfbaf0d9d', '/files/file_c9abfbaf0d9d/download-link', '/extractions/ext_x/sources']) {
            assert.equal((await get(route)).status, 404, route);
          }
        });
        return;
      }

      it('serves each document’s file record, a signed link on another origin, and the bytes it names', async () => {
        const results = (await get('/workflows/experiments/results?run_id=exprun_inv_6&limit=100')).json.data as Json[];
        let checked = 0;
        for (const result of results.slice(0, 12)) {
          const document = ((result.handle_inputs as Json)['input-document-0'] as Json).document as Json;
          const id = String(document.id);
          if (result.document_id === 'expdoc_inv_008' || result.document_id === 'expdoc_inv_009') {
            continue; // the big fixtures have a test of their own in the extension's suites
          }
          const record = await get(`/files/${id}`);
          conforms(FILE, record.json, `GET /files/${id}`);
          assert.equal(record.json.filename, document.filename);
          const link = await get(`/files/${id}/download-link`);
          conforms(FILE_LINK, link.json, `GET /files/${id}/download-link`);
          const url = new URL(String(link.json.download_url));
          assert.notEqual(url.origin, sandbox.origin, 'another origin');
          const bytes = await fetch(url);
          assert.equal(bytes.status, 200);
          const body = Buffer.from(await bytes.arrayBuffer());
          if (record.json.mime_type === 'application/pdf') {
            assert.equal(body.subarray(0, 5).toString('latin1'), '%PDF-');
          } else if (String(record.json.mime_type).startsWith('image/')) {
            assert.equal(body.subarray(1, 4).toString('latin1'), 'PNG');
          }
          checked++;
        }
        assert.ok(checked >= 10);
        // A link that was tampered with, or that expired, is refused as a bucket refuses it.
        const link = String((await get('/files/file_c9abfbaf0d9d/download-link')).json.download_url);
        assert.equal((await fetch(link.replace(/\.([A-Za-z0-9_-]{32})\//, '.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/'))).status, 403);
        assert.ok(sandbox.downloads().every((request) => !request.carriedKey));
      });

      it('gives every value of an extraction its source: a box on a page, or none', async () => {
        const results = (await get('/workflows/experiments/results?run_id=exprun_inv_6&limit=100')).json.data as Json[];
        const completed = results.filter(
          (result) => (result.lifecycle as Json).status === 'completed' && (result.artifact as Json | null)?.operation === 'extraction',
        );
        assert.ok(completed.length > 20);
        for (const result of completed.slice(0, 10)) {
          const id = String((result.artifact as Json).id);
          const sources = await get(`/extractions/${id}/sources`);
          conforms(EXTRACTION_SOURCES, sources.json, `GET /extractions/${id}/sources`);
          const all = leaves(sources.json.sources);
          assert.ok(all.length >= 11, `${all.length} values`);
          for (const [path, leaf] of all) {
            if (leaf.source !== null) {
              conforms(SOURCE, leaf.source, `${id} ${path}`);
              const anchor = (leaf.source as Json).anchor as Json;
              for (const key of ['left', 'top', 'width', 'height']) {
                assert.ok(Number(anchor[key]) >= 0 && Number(anchor[key]) <= 1, `${path}.${key}`);
              }
              assert.ok(Number(anchor.left) + Number(anchor.width) <= 1.0001 && Number(anchor.top) + Number(anchor.height) <= 1.0001, path);
            }
          }
        }
        assert.equal((await get('/extractions/ext_nope/sources')).status, 404);
      });

      it('answers 404 for sources when started with --no-sources', async () => {
        const without = await startSandbox({ api, sources: false });
        try {
          const response = await fetch(`${without.url}/extractions/ext_x/sources`, { headers: without.authHeaders() });
          assert.equal(response.status, 404);
        } finally {
          await without.close();
        }
      });
    });
  }
});
