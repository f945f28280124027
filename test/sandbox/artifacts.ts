import { FAMILIES, Family, fieldValue } from './families';
import { RunRecord } from './jobs';
import { Rng, intBetween, pick, rngFor } from './prng';
import { ArtifactOperation, iso } from './wire';

/**
 * The backing records that jobs' artifacts point at (`/extractions/{id}` and friends). They
 * are plausible open JSON, not a faithful copy of Retab's schemas: the extension shows them
 * as read-only documents and does not interpret them.
 */

export interface ArtifactSource {
  record: RunRecord;
  /** The document's index in the run. */
  index: number;
  jobId: string;
  /** When the job that produced it finished. */
  completedAt: number;
}

const HOSTILE_VALUE = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1"> [x](command:retab.clearApiKey)';

const MODELS = ['retab-large', 'gpt-4.1', 'gpt-4.1-mini', 'claude-sonnet-4', 'gemini-2.5-pro'];

function mimeType(filename: string): string {
  const extension = /\.([A-Za-z]+)$/.exec(filename)?.[1]?.toLowerCase() ?? '';
  const types: Record<string, string> = {
    pdf: 'application/pdf',
    png: 'image/png',
    jpg: 'image/jpeg',
    jpeg: 'image/jpeg',
    tif: 'image/tiff',
    tiff: 'image/tiff',
    docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  };
  return types[extension] ?? 'application/octet-stream';
}

export function artifactRecord(operation: ArtifactOperation, id: string, source: ArtifactSource): Record<string, unknown> {
  const { record, index } = source;
  const experiment = record.experiment;
  const document = record.documents[index];
  const family = FAMILIES[experiment.family];
  const rng = rngFor('artifact', id);
  const pages = intBetween(rng, 1, 12);
  const common = {
    id,
    object: operation,
    created_at: iso(source.completedAt),
    file: { id: `file_${id.slice(4, 16)}`, filename: document.filename, mime_type: mimeType(document.filename), page_count: pages },
    model: pick(rng, MODELS),
    workflow_id: experiment.workflowId,
    experiment_id: experiment.id,
    run_id: record.id,
    document_id: document.id,
    job_id: source.jobId,
  };
  switch (operation) {
    case 'extraction':
      return { ...common, n_consensus: record.nConsensus, ...extraction(family, rng, experiment.hostile), usage: usage(rng, pages, record.nConsensus) };
    case 'classification': {
      const category = pick(rng, family.categories);
      const confidence = Math.round((0.55 + rng() * 0.45) * 1000) / 1000;
      return {
        ...common,
        n_consensus: record.nConsensus,
        classification: { category, reasoning: `Layout and keywords match a ${category.replace(/_/g, ' ')}.` },
        categories: family.categories,
        likelihoods: Object.fromEntries(family.categories.map((name) => [name, name === category ? confidence : Math.round(rng() * (1 - confidence) * 1000) / 1000])),
        usage: usage(rng, pages, record.nConsensus),
      };
    }
    case 'split':
      return { ...common, splits: pageRanges(rng, pages, family.splitLabels).map(([name, range]) => ({ name, pages: range })), usage: usage(rng, pages, 1) };
    case 'partition':
      return {
        ...common,
        key: family.partitionKey,
        partitions: pageRanges(rng, pages, ['a', 'b', 'c', 'd']).map(([, range], part) => ({ key: `${family.partitionKey}-${part + 1}-${intBetween(rng, 1000, 9999)}`, pages: range })),
        usage: usage(rng, pages, 1),
      };
    case 'parse':
      return {
        ...common,
        object: 'parse',
        pages: Array.from({ length: Math.min(pages, 3) }, (_, page) => ({ page: page + 1, text: `${family.schema.replace('Schema', '')} — page ${page + 1}\n${pick(rng, family.parties)}` })),
        text_length: intBetween(rng, 800, 24_000),
        usage: usage(rng, pages, 1),
      };
    case 'edit':
      return {
        ...common,
        object: 'edit',
        instructions: 'Fill in the highlighted form fields from the extracted values.',
        filled_fields: Object.keys(family.fields).slice(0, 4).map((name) => ({ name, value: fieldValue(family.fields[name], family, rng) })),
        output_file: { filename: document.filename.replace(/(\.[A-Za-z]+)?$/, '_filled$1') },
      };
  }
}

function extraction(family: Family, rng: Rng, hostile: boolean): Record<string, unknown> {
  const output: Record<string, string | number> = {};
  const likelihoods: Record<string, number> = {};
  for (const [name, kind] of Object.entries(family.fields)) {
    output[name] = hostile && kind !== 'count' ? HOSTILE_VALUE : fieldValue(kind, family, rng);
    likelihoods[name] = Math.round((0.6 + rng() * 0.4) * 1000) / 1000;
  }
  return { output, likelihoods };
}

/** Consecutive page ranges covering 1..pages, labelled in turn. */
function pageRanges(rng: Rng, pages: number, labels: readonly string[]): Array<[string, number[]]> {
  const ranges: Array<[string, number[]]> = [];
  let page = 1;
  let part = 0;
  while (page <= pages) {
    const length = intBetween(rng, 1, Math.max(1, Math.ceil(pages / 2)));
    const range = Array.from({ length: Math.min(length, pages - page + 1) }, (_, offset) => page + offset);
    ranges.push([labels[part % labels.length], range]);
    page += range.length;
    part++;
  }
  return ranges;
}

function usage(rng: Rng, pages: number, calls: number): Record<string, number> {
  const promptTokens = pages * intBetween(rng, 900, 2400) * calls;
  return { page_count: pages, prompt_tokens: promptTokens, completion_tokens: intBetween(rng, 150, 900) * calls, credits: Math.round(pages * calls * 10) / 10 };
}
