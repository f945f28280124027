import { DocumentSeed, ExtraInput } from './data';
import { ApiGeneration, isFlat } from './generations';
import { hash32, hex16, intBetween, rngFor } from './prng';
import { FileDocumentRef, HandleInput } from './wire';

/**
 * How each generation spells a document's input handles. The nested generations mix the seed
 * page's `{type: 'file', filename}` with the SDKs' `{type: 'file', document: {…}}` (fixture
 * documents keep the seed's shape, about half of the others use the document reference), so a
 * client must read both; the flat generations only use the document reference.
 */

const MIME_TYPES: Readonly<Record<string, string>> = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

export function mimeTypeOf(filename: string): string {
  const extension = /\.([A-Za-z]+)$/.exec(filename)?.[1]?.toLowerCase() ?? '';
  return MIME_TYPES[extension] ?? 'application/octet-stream';
}

/** The id of the uploaded file behind a document (or behind one of its extra file handles). */
export function fileIdOf(key: string): string {
  return `file_${hex16(`file/${key}`).slice(0, 12)}`;
}

/** `{id, filename, mime_type}`; G2's materialized document also carries `original_id`, `gcs_uri` and `size_bytes`. */
export function fileRef(api: ApiGeneration, id: string, filename: string): FileDocumentRef {
  const ref: FileDocumentRef = { id, filename, mime_type: mimeTypeOf(filename) };
  if (api === 'g2') {
    ref.original_id = id;
    ref.gcs_uri = `gs://retab-sandbox-uploads/${id}`;
    ref.size_bytes = intBetween(rngFor('size', id), 40_000, 4_000_000);
  }
  return ref;
}

/** In the nested generations: whether this document's file is named by a document reference rather than a bare filename. */
export function usesDocumentRef(document: DocumentSeed): boolean {
  return !document.fixture && hash32(document.id) % 2 === 1;
}

export function handleInputs(document: DocumentSeed, api: ApiGeneration): Record<string, HandleInput> {
  const flat = isFlat(api);
  const inputs: Record<string, HandleInput> = {
    'input-document-0':
      flat || usesDocumentRef(document)
        ? { type: 'file', document: fileRef(api, fileIdOf(document.id), document.filename) }
        : { type: 'file', filename: document.filename },
  };
  for (const [key, input] of Object.entries(document.extraHandles ?? {})) {
    inputs[key] = extraInput(api, flat, `${document.id}/${key}`, input);
  }
  return inputs;
}

function extraInput(api: ApiGeneration, flat: boolean, key: string, input: ExtraInput): HandleInput {
  switch (input.kind) {
    case 'file':
      return { type: 'file', document: fileRef(api, fileIdOf(key), input.filename) };
    case 'json':
      return { type: 'json', data: input.data };
    case 'text':
      // The flat generations' handle inputs are JSON or files only: text travels as a JSON string.
      return flat ? { type: 'json', data: input.text } : { type: 'text', text: input.text };
  }
}
