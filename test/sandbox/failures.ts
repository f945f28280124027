import { Rng, hex16, intBetween, pick } from './prng';
import { BlockKind } from './wire';

/**
 * Error messages of failed jobs. A few root causes, each with variants whose first lines differ
 * only in ids, numbers, paths and quoted values: the extension groups failures by the first
 * line with those folded, so the variants must fold to the same signature and the causes must not.
 */
export type FailureCause = 'timeout' | 'validation' | 'pdf' | 'rate_limit' | 'consensus' | 'too_large' | 'outage';

export interface FailureContext {
  runId: string;
  documentId: string;
  jobId: string;
  nConsensus: number;
  schema: string;
  blockKind: BlockKind;
}

const CAUSE_WEIGHTS: ReadonlyArray<[FailureCause, number]> = [
  ['timeout', 5],
  ['validation', 4],
  ['pdf', 3],
  ['rate_limit', 2],
  ['consensus', 2],
  ['too_large', 1],
];

export function pickCause(rng: Rng): FailureCause {
  const total = CAUSE_WEIGHTS.reduce((sum, [, weight]) => sum + weight, 0);
  let roll = rng() * total;
  for (const [cause, weight] of CAUSE_WEIGHTS) {
    roll -= weight;
    if (roll < 0) {
      return cause;
    }
  }
  return 'timeout';
}

const MODULE_BY_KIND: Readonly<Record<BlockKind, string>> = {
  extract: 'extract',
  classifier: 'classify',
  split: 'split',
  for_each: 'for_each',
};

function requestId(rng: Rng): string {
  return `req_${hex16(String(rng())).slice(0, 12)}`;
}

function frames(context: FailureContext, rng: Rng, tail: readonly string[]): string {
  const module = MODULE_BY_KIND[context.blockKind];
  return [
    'Traceback (most recent call last):',
    `  File "/app/retab/workflows/executor.py", line ${intBetween(rng, 380, 460)}, in run_block`,
    '    result = await block.execute(inputs, context=ctx)',
    `  File "/app/retab/blocks/${module}.py", line ${intBetween(rng, 120, 260)}, in execute`,
    `    response = await self._call_model(messages, n_consensus=${context.nConsensus})`,
    ...tail,
  ].join('\n');
}

function contextLine(context: FailureContext): string {
  return `job=${context.jobId} run=${context.runId} document=${context.documentId}`;
}

/** The first line alone, or with a traceback below it when `multiline`. */
export function failureMessage(cause: FailureCause, context: FailureContext, rng: Rng, multiline: boolean): string {
  const [headline, detail] = describe(cause, context, rng);
  return multiline ? `${headline}\n\n${detail}\n\n${contextLine(context)}` : headline;
}

function describe(cause: FailureCause, context: FailureContext, rng: Rng): [string, string] {
  switch (cause) {
    case 'timeout': {
      const ms = pick(rng, [60_000, 90_000, 120_000]);
      const headline = `TimeoutError: model call timed out after ${ms} ms (attempt ${intBetween(rng, 2, 3)} of 3, request ${requestId(rng)})`;
      return [
        headline,
        frames(context, rng, [
          `  File "/app/retab/llm/gateway.py", line ${intBetween(rng, 60, 99)}, in complete`,
          `    async with asyncio.timeout(${ms / 1000}):`,
          '  File "/usr/local/lib/python3.12/asyncio/timeouts.py", line 115, in __aexit__',
          '    raise TimeoutError from exc_val',
          `retab.errors.TimeoutError: model call timed out after ${ms} ms`,
        ]),
      ];
    }
    case 'validation': {
      // Always plural: "1 validation error" would fold to a signature of its own.
      const count = intBetween(rng, 2, 5);
      const field = pick(rng, ['total_amount', 'issue_date', 'line_items.2.unit_price', 'currency', 'due_date']);
      const headline = `ValidationError: ${count} validation errors for ${context.schema} at "${field}"`;
      const value = pick(rng, ["'12,50 €'", "'31/02/2026'", "'N/A'", "''"]);
      return [
        headline,
        [
          headline,
          field,
          `  Input should be a valid ${field.includes('date') ? 'date' : 'number'}, unable to parse string [type=${field.includes('date') ? 'date_from_datetime_parsing' : 'float_parsing'}, input_value=${value}, input_type=str]`,
          '    For further information visit https://errors.pydantic.dev/2.7/v/float_parsing',
        ].join('\n'),
      ];
    }
    case 'pdf': {
      const page = intBetween(rng, 1, 40);
      const headline = `PDFSyntaxError: could not read page ${page} of /data/uploads/${context.documentId}/source.pdf: xref table not found`;
      return [
        headline,
        frames(context, rng, [
          `  File "/app/retab/documents/rasterize.py", line ${intBetween(rng, 30, 90)}, in render_page`,
          `    image = pdf[${page - 1}].render(scale=2.0)`,
          '  File "/usr/local/lib/python3.12/site-packages/pypdfium2/_helpers/page.py", line 402, in render',
          '    raise PdfiumError("Failed to load page.")',
          'pypdfium2._helpers.misc.PdfiumError: Failed to load page.',
        ]),
      ];
    }
    case 'rate_limit': {
      const seconds = intBetween(rng, 5, 60);
      const headline = `RateLimitError: 429 Too Many Requests from model gateway, retry after ${seconds} s (request ${requestId(rng)})`;
      return [
        headline,
        frames(context, rng, [
          `  File "/app/retab/llm/gateway.py", line ${intBetween(rng, 100, 140)}, in complete`,
          '    response.raise_for_status()',
          `httpx.HTTPStatusError: Client error '429 Too Many Requests' for url 'https://gateway.internal/v1/chat/completions'`,
          'For more information check: https://developer.mozilla.org/en-US/docs/Web/HTTP/Status/429',
        ]),
      ];
    }
    case 'consensus': {
      const votes = context.nConsensus;
      const agreeing = Math.max(1, Math.floor(votes / 2));
      const field = pick(rng, ['total_amount', 'vendor_name', 'category', 'pages']);
      const headline = `ConsensusError: no majority for field "${field}": ${agreeing} of ${votes} votes agree`;
      const ballots = Array.from(
        { length: votes },
        (_, index) => `  vote ${index + 1}: ${JSON.stringify(pick(rng, ['1 234,00', '1234.00', '1.234,00', null, 'ACME SAS', 'ACME']))}`,
      );
      return [headline, ['Votes:', ...ballots, 'Raise n_consensus or tighten the field description.'].join('\n')];
    }
    case 'too_large': {
      const pages = intBetween(rng, 301, 900);
      const headline = `DocumentTooLargeError: document has ${pages} pages; the limit is 300`;
      return [
        headline,
        `The document ${context.documentId} was rejected before any model call.\nSplit it first (a split block) or raise the page limit of the workflow.`,
      ];
    }
    case 'outage': {
      const retries = intBetween(rng, 3, 5);
      const headline = `UpstreamUnavailable: model gateway returned 503 Service Unavailable after ${retries} retries (region "eu-west-1", request ${requestId(rng)})`;
      return [
        headline,
        frames(context, rng, [
          `  File "/app/retab/llm/gateway.py", line ${intBetween(rng, 140, 180)}, in complete`,
          '    raise UpstreamUnavailable(status=503, retries=retries)',
          'retab.errors.UpstreamUnavailable: model gateway returned 503 Service Unavailable',
          '',
          'The above exception was the direct cause of the following exception:',
          '',
          'retab.workflows.errors.RunAborted: run aborted after too many consecutive upstream failures',
        ]),
      ];
    }
  }
}

/** Errors of the hostile experiment: markup that must be shown as text, never run. */
export function hostileFailure(context: FailureContext, variant: number): string {
  if (variant === 0) {
    return [
      '<script>window.__pwned=1</script> Extraction failed for <img src=x onerror="window.__pwned=1">.pdf',
      '',
      'Traceback (most recent call last):',
      '  File "/app/retab/blocks/extract.py", line 188, in execute',
      '    raise ValueError("<b>bold</b> & <i>markup</i> </pre></code></textarea>")',
      'ValueError: <iframe src="javascript:window.__pwned=1"></iframe> &amp; &lt;already escaped&gt; ${{7*7}} {{constructor}}',
      '',
      contextLine(context),
    ].join('\n');
  }
  return [
    '</textarea></pre><svg onload="window.__pwned=1"></svg> [click me](command:retab.clearApiKey) $(alert)',
    '',
    '<a href="javascript:window.__pwned=1">details</a> <style>body{display:none}</style>',
    '\u202Eeman elif desrever\u202C and a zero\u200Bwidth space',
    contextLine(context),
  ].join('\n');
}
