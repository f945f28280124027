import { FAMILIES, Family, fieldValue } from './families';
import { ApiGeneration } from './generations';
import { fileIdOf, mimeTypeOf } from './inputs';
import { RunRecord } from './jobs';
import { Rng, intBetween, pick, rngFor } from './prng';
import { ArtifactOperation, iso } from './wire';

/**
 * The backing records that jobs' artifacts point at (`/extractions/{id}` and friends, and from G2
 * on `/workflows/artifacts/{id}`). The extension shows them as read-only documents; their fields
 * follow the SDK types of each generation so that a client validating them accepts them.
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

/** `%PDF-1.4` and a line break: enough of a file for a `data:` URL. */
const FILLED_PDF_URL = 'data:application/pdf;base64,JVBERi0xLjQK';

/**
 * The record behind an artifact, with the fields the SDK of `api`'s era requires
 * (types/{extractions,classifications,splits,parses,edits,partitions}.py): `file` is a
 * `{id, filename, mime_type}` reference, `usage` has `credits`, G3 records say `status: 'completed'`
 * (the SDK's default is `pending`). `workflow_id`, `experiment_id`, `run_id`, `document_id` and
 * `job_id` are the sandbox's own, for tests.
 */
export function artifactRecord(operation: ArtifactOperation, id: string, source: ArtifactSource, api: ApiGeneration): Record<string, unknown> {
  const { record, index } = source;
  const experiment = record.experiment;
  const document = record.documents[index];
  const family = FAMILIES[experiment.family];
  const rng = rngFor('artifact', id);
  const pages = intBetween(rng, 1, 12);
  const createdAt = iso(source.completedAt);
  const common: Record<string, unknown> = {
    id,
    object: operation,
    file: { id: fileIdOf(document.id), filename: document.filename, mime_type: mimeTypeOf(document.filename) },
    model: pick(rng, MODELS),
    ...(api === 'g3' ? { status: 'completed', error: null } : {}),
    created_at: createdAt,
    ...(api === 'g1' || api === 'g1p' ? { updated_at: createdAt } : {}),
    workflow_id: experiment.workflowId,
    experiment_id: experiment.id,
    run_id: record.id,
    document_id: document.id,
    job_id: source.jobId,
  };
  const n = record.nConsensus;
  switch (operation) {
    case 'extraction': {
      const { output, likelihoods, schema } = extraction(family, rng, experiment.hostile);
      return {
        ...common,
        json_schema: schema,
        n_consensus: n,
        ...(api === 'g3' ? {} : { image_resolution_dpi: 192 }),
        instructions: null,
        output,
        consensus: { choices: Array.from({ length: n }, () => output), likelihoods },
        metadata: {},
        usage: usage(rng, pages, n),
      };
    }
    case 'classification': {
      const category = pick(rng, family.categories);
      const confidence = Math.round((0.55 + rng() * 0.45) * 1000) / 1000;
      const decision = { reasoning: `Layout and keywords match a ${category.replace(/_/g, ' ')}.`, category };
      return {
        ...common,
        categories: family.categories.map((name) => ({ name, description: `A ${name.replace(/_/g, ' ')}.` })),
        n_consensus: n,
        instructions: null,
        output: decision,
        // G1 and G1p name the agreement `likelihood`; the SDK renamed it `likelihoods` (still one number) by G2.
        consensus: { choices: Array.from({ length: n }, () => decision), [api === 'g1' || api === 'g1p' ? 'likelihood' : 'likelihoods']: confidence },
        usage: usage(rng, pages, n),
      };
    }
    case 'split': {
      const output = pageRanges(rng, pages, family.splitLabels).map(([name, range]) => ({ name, pages: range }));
      return {
        ...common,
        subdocuments: family.splitLabels.map((name) => ({ name, description: `The ${name.replace(/_/g, ' ')} pages.`, allow_multiple_instances: false })),
        n_consensus: n,
        instructions: null,
        output,
        consensus: { choices: [output], likelihoods: output.map((part) => ({ name: 0.9, pages: part.pages.map(() => 0.95) })) },
        usage: usage(rng, pages, 1),
      };
    }
    case 'partition': {
      const output = pageRanges(rng, pages, ['a', 'b', 'c', 'd']).map(([, range], part) => ({
        key: `${family.partitionKey}-${part + 1}-${intBetween(rng, 1000, 9999)}`,
        pages: range,
      }));
      return {
        ...common,
        key: family.partitionKey,
        instructions: `One chunk per ${family.partitionKey.replace(/_/g, ' ')}.`,
        n_consensus: n,
        ...(api === 'g1' || api === 'g1p' ? {} : { allow_overlap: true }),
        output,
        consensus: { choices: [output], likelihoods: output.map((chunk) => ({ key: 0.9, pages: chunk.pages.map(() => 0.95) })) },
        usage: usage(rng, pages, 1),
      };
    }
    case 'parse': {
      const texts = Array.from({ length: pages }, (_, page) => `${family.schema.replace('Schema', '')} — page ${page + 1}\n${pick(rng, family.parties)}`);
      return {
        ...common,
        table_parsing_format: 'markdown',
        ...(api === 'g3' ? {} : { image_resolution_dpi: 192 }),
        instructions: null,
        output: { pages: texts, text: texts.join('\n\n') },
        usage: usage(rng, pages, 1),
      };
    }
    case 'edit': {
      const filledName = document.filename.replace(/(\.[A-Za-z]+)?$/, '_filled$1');
      const result = {
        form_data: Object.keys(family.fields)
          .slice(0, 4)
          .map((key, row) => ({
            bbox: { left: 0.1, top: Math.round((0.15 + row * 0.08) * 100) / 100, width: 0.4, height: 0.04, page: 1 },
            description: key.replace(/_/g, ' '),
            type: 'text',
            key,
            value: String(fieldValue(family.fields[key], family, rng)),
          })),
        filled_document: { filename: filledName, url: FILLED_PDF_URL },
      };
      // G1 and G1p call the result `data` and require `usage`; from G2 on it is `output`.
      return {
        ...common,
        instructions: 'Fill in the highlighted form fields from the extracted values.',
        config: { color: '#000080' },
        template_id: null,
        ...(api === 'g1' || api === 'g1p' ? { data: result } : { output: result }),
        ...(api === 'g3' ? { filled_document_ref: { id: fileIdOf(`${id}/filled`), filename: filledName, mime_type: 'application/pdf' } } : {}),
        usage: usage(rng, 1, 1),
      };
    }
  }
}

function extraction(
  family: Family,
  rng: Rng,
  hostile: boolean,
): { output: Record<string, string | number>; likelihoods: Record<string, number>; schema: Record<string, unknown> } {
  const output: Record<string, string | number> = {};
  const likelihoods: Record<string, number> = {};
  const properties: Record<string, unknown> = {};
  for (const [name, kind] of Object.entries(family.fields)) {
    output[name] = hostile && kind !== 'count' ? HOSTILE_VALUE : fieldValue(kind, family, rng);
    likelihoods[name] = Math.round((0.6 + rng() * 0.4) * 1000) / 1000;
    properties[name] = { type: kind === 'count' ? 'integer' : kind === 'money' ? 'number' : 'string' };
  }
  return { output, likelihoods, schema: { title: family.schema, type: 'object', properties, required: Object.keys(properties) } };
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

/** `credits` is the one field the SDK's RetabUsage requires. */
function usage(rng: Rng, pages: number, calls: number): Record<string, number> {
  const promptTokens = pages * intBetween(rng, 900, 2400) * calls;
  return { page_count: pages, prompt_tokens: promptTokens, completion_tokens: intBetween(rng, 150, 900) * calls, credits: Math.round(pages * calls * 10) / 10 };
}
