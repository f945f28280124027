import { Route, json, notFound } from '../respond';

/**
 * `GET /files/{id}`, `/files/{id}/download-link` and `/extractions/{id}/sources`, from the SDK
 * commit that added them (73028233, 2026-05-23: files/files.ts, extractions/extractions.ts). They
 * came with the flat generations; the nested ones (G1, G1p) answer 404 for them, as servers of
 * that time did. `--no-sources` makes the sources route answer 404 too.
 */
export const FILE_ROUTES: readonly Route[] = [
  {
    method: 'GET',
    pattern: ['files', ':file'],
    handle: ({ files, params }) => {
      const file = files.file(params.file);
      return file ? json(200, files.record(file)) : notFound(`File ${params.file} not found`);
    },
  },
  {
    method: 'GET',
    pattern: ['files', ':file', 'download-link'],
    handle: ({ files, params, store }) => {
      const file = files.file(params.file);
      return file ? json(200, files.link(file, store.now())) : notFound(`File ${params.file} not found`);
    },
  },
  {
    method: 'GET',
    pattern: ['extractions', ':id', 'sources'],
    handle: ({ files, params, store }) => {
      if (!files.sourcesEnabled) {
        return notFound('Not Found');
      }
      const source = store.extractionSource(params.id);
      const body = source && files.sources(params.id, source);
      return body ? json(200, body) : notFound(`Extraction ${params.id} not found`);
    },
  },
];
