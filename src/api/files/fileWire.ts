/**
 * Reading the files and sources routes' JSON into fileModels.ts, every field checked and the
 * failing one named. The sources tree mirrors the extraction's output; it is walked with bounds
 * on depth and leaves, since a server could send anything.
 */
import { l10n } from '../../l10n';
import { RetabError } from '../errors';
import { JsonObject, invalid, isObject, object, optionalNumber, optionalString, requiredId, requiredString } from '../validate';
import { ExtractionSources, FieldSource, FileLink, FileRecord, PageBox } from './fileModels';

export function parseFileRecord(value: unknown): FileRecord {
  const raw = object(value, 'response');
  const pageCount = optionalNumber(raw, 'page_count', 'response');
  return {
    id: requiredId(raw, 'id', 'response'),
    filename: optionalString(raw, 'filename', 'response') ?? '',
    mimeType: optionalString(raw, 'mime_type', 'response'),
    pageCount: pageCount !== null && Number.isSafeInteger(pageCount) && pageCount >= 0 ? pageCount : null,
  };
}

export function parseFileLink(value: unknown): FileLink {
  const raw = object(value, 'response');
  const expires = raw.expires_in;
  return {
    downloadUrl: requiredString(raw, 'download_url', 'response'),
    filename: optionalString(raw, 'filename', 'response'),
    // The SDKs type it as a string; a number is read as seconds rather than refused.
    expiresIn: typeof expires === 'number' ? String(expires) : optionalString(raw, 'expires_in', 'response'),
  };
}

/** Far deeper than any schema; a deeper tree is not an extraction's. */
const MAX_DEPTH = 32;
/** Far more values than any document has. */
const MAX_LEAVES = 20_000;
const PAGE_BOX_KINDS = ['pdf_bbox', 'image_bbox'] as const;

export function parseExtractionSources(value: unknown): ExtractionSources {
  const raw = object(value, 'response');
  const file = isObject(raw.file) ? raw.file : null;
  const fields = new Map<string, FieldSource>();
  const tree = raw.sources;
  if (tree !== undefined && tree !== null) {
    if (typeof tree !== 'object') {
      throw invalid('response.sources', l10n.t('an object'), tree);
    }
    walk(tree, '', 0, fields);
  }
  return {
    extractionId: optionalString(raw, 'extraction_id', 'response') ?? '',
    fileId: file ? optionalString(file, 'id', 'response.file') : null,
    documentType: optionalString(raw, 'document_type', 'response'),
    fields,
  };
}

/** A leaf is `{value, source}` (source null or an object); anything else is a branch. */
function isLeaf(node: JsonObject): boolean {
  return 'value' in node && 'source' in node && (node.source === null || isObject(node.source));
}

function walk(node: unknown, path: string, depth: number, into: Map<string, FieldSource>): void {
  if (depth > MAX_DEPTH) {
    throw new RetabError('invalid_response', l10n.t('Unexpected response: response.sources is nested deeper than {0} levels', MAX_DEPTH), {
      field: 'response.sources',
    });
  }
  const entries: Array<[string, unknown]> = Array.isArray(node) ? node.map((item, index) => [String(index), item]) : isObject(node) ? Object.entries(node) : [];
  for (const [key, child] of entries) {
    const childPath = path ? `${path}.${key}` : key;
    if (isObject(child) && isLeaf(child)) {
      if (into.size >= MAX_LEAVES) {
        return;
      }
      into.set(childPath, parseLeaf(child, `response.sources.${childPath}`));
    } else if (typeof child === 'object' && child !== null) {
      walk(child, childPath, depth + 1, into);
    }
  }
}

function parseLeaf(leaf: JsonObject, path: string): FieldSource {
  const source = isObject(leaf.source) ? leaf.source : null;
  if (!source) {
    return { value: leaf.value, content: null, box: null, otherAnchor: null, hasSource: false };
  }
  const anchor = isObject(source.anchor) ? source.anchor : null;
  const content = typeof source.content === 'string' ? source.content : null;
  const kind = anchor ? (optionalString(anchor, typeof anchor.type === 'string' ? 'type' : 'kind', `${path}.source.anchor`) ?? '') : '';
  const box = anchor && (PAGE_BOX_KINDS as readonly string[]).includes(kind) ? parseBox(anchor, kind as PageBox['kind'], `${path}.source.anchor`) : null;
  return { value: leaf.value, content, box, otherAnchor: anchor && !box ? kind.slice(0, 40) || 'unknown' : null, hasSource: true };
}

function parseBox(anchor: JsonObject, kind: PageBox['kind'], path: string): PageBox {
  const unit = (key: string): number => {
    const value = optionalNumber(anchor, key, path);
    if (value === null || value < 0 || value > 1) {
      throw invalid(`${path}.${key}`, l10n.t('a number from 0 to 1'), anchor[key]);
    }
    return value;
  };
  const page = optionalNumber(anchor, 'page', path) ?? 1;
  if (!Number.isSafeInteger(page) || page < 1) {
    throw invalid(`${path}.page`, l10n.t('a page number from 1'), anchor.page);
  }
  return { kind, page, left: unit('left'), top: unit('top'), width: unit('width'), height: unit('height') };
}
