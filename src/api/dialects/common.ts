/**
 * Wire shapes every generation shares, and the reading rules they have in common: a file's name
 * under `filename` or `document.filename`, absent lists empty, metrics told apart by `kind`.
 */
import { l10n } from '../../l10n';
import { RetabError } from '../errors';
import { assertSafeId, isSafeId } from '../ids';
import {
  ArtifactRef,
  BLOCK_KINDS,
  BlockKind,
  DocumentMetric,
  EXPERIMENT_STATUSES,
  Experiment,
  HandleInput,
  RunFieldScore,
  RunFieldScores,
  RunMetrics,
  SCHEMA_DRIFTS,
  Workflow,
  WorkflowPage,
} from '../models';
import {
  JsonObject,
  array,
  booleanOr,
  countOr0,
  enumOr,
  firstKey,
  invalid,
  isObject,
  object,
  optionalId,
  optionalNumber,
  optionalObject,
  optionalString,
  optionalTimestamp,
  requiredId,
  requiredString,
} from '../validate';
import { Dialect, Page } from './dialect';
import { parseExtractionSources, parseFileLink, parseFileRecord } from '../files/fileWire';

/** Encodes an id for a URL path after checking it, so no id can change the path. */
export function segment(value: string, label: string): string {
  return encodeURIComponent(assertSafeId(value, label));
}

/** Operation → collection of its backing records. A Map: server strings never reach `Object.prototype`. */
export const ARTIFACT_COLLECTIONS: ReadonlyMap<string, string> = new Map([
  ['extraction', 'extractions'],
  ['classification', 'classifications'],
  ['split', 'splits'],
  ['parse', 'parses'],
  ['edit', 'edits'],
  ['partition', 'partitions'],
]);

export function artifactCollection(operation: string): string {
  const collection = ARTIFACT_COLLECTIONS.get(operation);
  if (!collection) {
    throw new RetabError('invalid_id', l10n.t('Artifacts of operation "{0}" cannot be opened on this server.', operation.slice(0, 60)));
  }
  return collection;
}

export function blockKind(raw: JsonObject, path: string): BlockKind {
  return enumOr(raw, firstKey(raw, ['block_type', 'block_kind']), path, BLOCK_KINDS, 'unknown');
}

export function parseWorkflow(value: unknown, path = 'workflow'): Workflow {
  const raw = object(value, path);
  const published = optionalObject(raw, 'published', path);
  const publishedPath = `${path}.published`;
  return {
    id: requiredId(raw, 'id', path),
    name: optionalString(raw, 'name', path) ?? l10n.t('Untitled Workflow'),
    description: optionalString(raw, 'description', path),
    createdAt: optionalTimestamp(raw, 'created_at', path),
    updatedAt: optionalTimestamp(raw, 'updated_at', path),
    published: published && {
      versionId: optionalString(published, firstKey(published, ['version_id', 'snapshot_id']), publishedPath),
      publishedAt: optionalTimestamp(published, 'published_at', publishedPath),
    },
  };
}

/** The experiment fields every generation sends; the flat ones add freshness (flatWire.ts). */
export function parseExperimentCore(raw: JsonObject, path: string): Omit<Experiment, 'freshness'> {
  return {
    id: requiredId(raw, 'id', path),
    workflowId: requiredId(raw, 'workflow_id', path),
    blockId: optionalString(raw, 'block_id', path),
    name: optionalString(raw, 'name', path) ?? l10n.t('Untitled experiment'),
    blockKind: blockKind(raw, path),
    nConsensus: optionalNumber(raw, 'n_consensus', path),
    documentCount: countOr0(raw, 'document_count', path),
    status: enumOr(raw, 'status', path, EXPERIMENT_STATUSES, 'draft'),
    score: optionalNumber(raw, 'score', path),
    lastRunId: optionalId(raw, 'last_run_id', path),
    isStale: booleanOr(raw, 'is_stale', path, false),
    schemaDrift: enumOr(raw, 'schema_drift', path, SCHEMA_DRIFTS, 'unknown'),
    schemaDriftDetail: optionalString(raw, 'schema_drift_detail', path),
    createdAt: optionalTimestamp(raw, 'created_at', path),
    updatedAt: optionalTimestamp(raw, 'updated_at', path),
  };
}

/** Workflows are read the same way in every generation. */
export function workflowRoutes(): Pick<Dialect, 'listWorkflows' | 'getWorkflow'> {
  return {
    listWorkflows: (cursor, limit) => ({
      method: 'GET',
      path: '/workflows',
      query: { limit, after: cursor, order: 'desc' },
      list: true,
      parse: parseWorkflowPage,
    }),
    getWorkflow: (workflowId) => ({
      method: 'GET',
      path: `/workflows/${segment(workflowId, l10n.t('Workflow id'))}`,
      parse: (value) => parseWorkflow(value, 'response'),
    }),
  };
}

/**
 * Files and sources: the same routes in every generation that has them (the SDKs gained them on
 * 2026-05-23, 73028233). Older servers answer 404, which the views say plainly; `optional` keeps
 * that 404 from being read as a sign of another generation.
 */
export function fileRoutes(): Pick<Dialect, 'file' | 'fileDownloadLink' | 'extractionSources'> {
  return {
    file: (fileId) => ({ method: 'GET', path: `/files/${segment(fileId, l10n.t('File id'))}`, optional: true, parse: parseFileRecord }),
    fileDownloadLink: (fileId) => ({
      method: 'GET',
      path: `/files/${segment(fileId, l10n.t('File id'))}/download-link`,
      optional: true,
      parse: parseFileLink,
    }),
    extractionSources: (extractionId) => ({
      method: 'GET',
      path: `/extractions/${segment(extractionId, l10n.t('Extraction id'))}/sources`,
      optional: true,
      size: 'large',
      parse: parseExtractionSources,
    }),
  };
}

/** `{data, list_metadata}`; `data` absent is an empty page (the SDKs default it). */
export function parsePage<T>(value: unknown, parseItem: (item: unknown, path: string) => T): Page<T> {
  const raw = object(value, 'response');
  const data = raw.data === undefined || raw.data === null ? [] : array(raw.data, 'response.data');
  const meta = optionalObject(raw, 'list_metadata', 'response');
  return {
    items: data.map((item, index) => parseItem(item, `response.data[${index}]`)),
    nextCursor: meta ? optionalString(meta, 'after', 'response.list_metadata') : null,
    shape: 'page',
  };
}

export function parseWorkflowPage(value: unknown): WorkflowPage {
  const page = parsePage(value, parseWorkflow);
  const meta = optionalObject(object(value, 'response'), 'list_metadata', 'response');
  return {
    workflows: page.items,
    nextCursor: page.nextCursor,
    previousCursor: meta ? optionalString(meta, 'before', 'response.list_metadata') : null,
  };
}

/**
 * A file input names its file as `{type: "file", filename}` (the docs) or
 * `{type: "file", document: {id, filename, mime_type}}` (the SDKs and the flat generation).
 */
export function parseHandleInputs(raw: JsonObject, path: string): HandleInput[] {
  const inputs = optionalObject(raw, 'handle_inputs', path);
  if (!inputs) {
    return [];
  }
  return Object.entries(inputs).map(([handle, value]) => {
    if (!isObject(value)) {
      return { handle, type: null, filename: null, fileId: null, mimeType: null, value };
    }
    const inputPath = `${path}.handle_inputs.${handle}`;
    const document = isObject(value.document) ? value.document : null;
    const documentPath = `${inputPath}.document`;
    const filename = optionalString(value, 'filename', inputPath) ?? (document ? optionalString(document, 'filename', documentPath) : null);
    return {
      handle,
      type: optionalString(value, 'type', inputPath),
      filename,
      // An id that is not a safe id is not one we could put in a path: the file is then unnamed, the job still reads.
      fileId: document && typeof document.id === 'string' && isSafeId(document.id) ? document.id : null,
      mimeType: (document ? optionalString(document, 'mime_type', documentPath) : null) ?? optionalString(value, 'mime_type', inputPath),
      value,
    };
  });
}

export function parseArtifactRef(raw: JsonObject, path: string): ArtifactRef | null {
  const artifact = optionalObject(raw, 'artifact', path);
  if (!artifact) {
    return null;
  }
  return {
    operation: requiredString(artifact, 'operation', `${path}.artifact`),
    id: requiredId(artifact, 'id', `${path}.artifact`),
  };
}

export function parseArtifactRecord(value: unknown): JsonObject {
  if (!isObject(value)) {
    throw invalid('response', l10n.t('an object'), value);
  }
  return value;
}

/**
 * The metrics envelope. `kind` (or the older `error`) tells a summary from "no metrics" and
 * "stale metrics": those are answers, not failures, and never shown as errors.
 */
export function parseRunMetrics(value: unknown): RunMetrics {
  const raw = object(value, 'response');
  const kind = optionalString(raw, 'kind', 'response');
  // Without `kind` (the seed's generation), an `error` and no documents is the envelope.
  const problem = kind ?? (raw.documents === undefined ? optionalString(raw, 'error', 'response') : null);
  if (problem !== null && problem !== 'summary') {
    return { kind: 'unavailable', reason: problem, message: optionalString(raw, 'message', 'response') };
  }
  const documentsValue = raw.documents === undefined || raw.documents === null ? [] : array(raw.documents, 'response.documents');
  const documents = documentsValue.map((item, index): DocumentMetric => {
    const path = `response.documents[${index}]`;
    const doc = object(item, path);
    return {
      id: requiredId(doc, 'id', path),
      filename: optionalString(doc, 'filename', path),
      score: optionalNumber(doc, 'score', path),
      priorScore: optionalNumber(doc, 'prior_score', path),
    };
  });
  const kindOfBlock = blockKind(raw, 'response');
  const aggregate = optionalObject(raw, 'aggregate', 'response');
  return {
    kind: 'summary',
    experimentId: optionalId(raw, 'experiment_id', 'response'),
    runId: optionalId(raw, 'run_id', 'response'),
    blockKind: kindOfBlock,
    score: optionalNumber(raw, 'score', 'response'),
    priorScore: optionalNumber(raw, 'prior_score', 'response'),
    priorRunId: optionalId(raw, 'prior_run_id', 'response'),
    documents,
    fields: aggregate && parseRunFieldScores(aggregate, kindOfBlock),
    aggregate,
  };
}

/**
 * The most fields a run's summary keeps (the worst ones): a schema has tens of paths, a hostile or
 * broken server could list millions, and each becomes a tree row.
 */
export const MAX_RUN_FIELDS = 2_000;
/** A path is sent back to the server as `target_path`; longer ones are not a schema's. */
const MAX_FIELD_PATH_LENGTH = 1_000;

/** `response.aggregate.likelihoods["invoice.total"]`, with a hostile path shortened for the message. */
function entryPath(key: string, path: string): string {
  const shown = path.length > 80 ? `${path.slice(0, 79)}…` : path;
  return `response.aggregate.${key}[${JSON.stringify(shown)}]`;
}

/**
 * Run-level scores per field from the summary's `aggregate`: `likelihoods` (extract, for_each) or
 * the labels' `diag` (classifier, split), whichever the block's kind reads first and the server
 * sent. A score must be a number (null: not scored); a wrong one fails the summary with its path
 * named, as every other wrong field does.
 */
export function parseRunFieldScores(aggregate: JsonObject, kind: BlockKind): RunFieldScores | null {
  const labelled = kind === 'classifier' || kind === 'split';
  const key = firstKey(aggregate, labelled ? ['diag', 'likelihoods'] : ['likelihoods', 'diag']);
  const source = optionalObject(aggregate, key, 'response.aggregate');
  if (!source) {
    return null;
  }
  // Own enumerable keys of parsed JSON: `__proto__` is an ordinary key here, never a prototype.
  const entries = Object.entries(source);
  const scores = entries.map(([path, value]): RunFieldScore => {
    if (path === '' || path.length > MAX_FIELD_PATH_LENGTH) {
      throw invalid(entryPath(key, path), l10n.t('a field path of 1 to {0} characters', MAX_FIELD_PATH_LENGTH), path);
    }
    if (value !== null && (typeof value !== 'number' || !Number.isFinite(value))) {
      throw invalid(entryPath(key, path), l10n.t('a number or null'), value);
    }
    return { path, score: value };
  });
  const worstFirst = scores
    .map((score, order) => ({ score, order }))
    .sort((a, b) => (a.score.score ?? Infinity) - (b.score.score ?? Infinity) || a.order - b.order)
    .map((entry) => entry.score);
  return { kind: key === 'diag' ? 'label' : 'path', scores: worstFirst.slice(0, MAX_RUN_FIELDS), total: entries.length };
}
