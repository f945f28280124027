/**
 * The sandbox's seeded catalogue: workflows, experiments, documents and the runs made of them.
 * Everything is derived from fixed keys, so every start serves the same data.
 *
 * Fixed ids. Unit, extension-host and UI tests, the benchmark and the demo address these
 * directly, so they must not change:
 *
 * - `wf_invoices` "Invoice extraction" (the newest workflow: first on the first page)
 *   - `exp_invoices_v2` extract, 40 documents `expdoc_inv_001`..`expdoc_inv_040`, 6 runs
 *     `exprun_inv_1`..`exprun_inv_6` (oldest to newest):
 *       1 completed, older definition, 36 documents, metrics stale
 *       2 error (an upstream outage failed most jobs), 36 documents
 *       3 cancelled part-way
 *       4 completed with several errors
 *       5 completed, retry of run 4 (`retry_failed_only`): documents that had not failed are `skipped`
 *       6 completed with exactly 3 errors (`expdoc_inv_007`, `expdoc_inv_019`, `expdoc_inv_033`), current definition
 *     `expdoc_inv_001` is "invoice_q1.pdf" (the seed page's document, with the document as its only input) and never
 *     fails: completed wherever it ran, skipped in the retry run 5;
 *     `expdoc_inv_007` failed in run 6 with a multi-line error (a traceback);
 *     `expdoc_inv_002`..`004` have non-ASCII names ("facture_été_№42.pdf", "請求書_2026.pdf", "Überweisung Ä.pdf").
 *   - `exp_invoices_v1` extract, stale definition and drifted schema; `exp_invoices_vendor` classifier, draft (never run:
 *     its content is placeholder jobs).
 * - `wf_hostile` / `exp_hostile` / run `exprun_hostile_1` / document `expdoc_hostile_1`, whose file name is
 *   `<img src=x onerror="window.__pwned=1">.pdf` and whose error carries `<script>window.__pwned=1</script>` and
 *   markup: XSS tests check that nothing sets `window.__pwned`. Its other documents carry Markdown command links,
 *   bidirectional-override characters and line breaks in their names.
 * - `wf_big` / `exp_big` / run `exprun_big_1`: 5,000 documents `expdoc_big_0001`..`expdoc_big_5000`, completed with
 *   some errors: the large-list and performance fixture. `exp_huge` / run `exprun_huge_1`: 50,000 documents
 *   `expdoc_huge_00001`..`expdoc_huge_50000`, built on its first request (not warmed: it would cost every process).
 * - Artifacts: `prs_invoice_q1` (a parse) and `edt_invoice_q1` (an edit) always exist; any `prs_X` or `edt_X` also
 *   exists when `ext_X` does.
 *
 * Field-level metrics (`view=by_document|by_target|votes`, see fields.ts; the constants below pin them):
 * - `exp_invoices_v2` documents have 11–15 field paths: `invoice.number`, `invoice.issue_date`, `invoice.due_date`,
 *   `invoice.total`, `invoice.currency`, `vendor.name`, `vendor.vat_id`, `vendor.address.city`, `notes`, then
 *   `line_items.N.description` / `line_items.N.amount` for 1–3 rows; `line_items` itself is a `votes` target (one row
 *   a line item). `expdoc_inv_001` has 2 line items, `expdoc_inv_007` 3.
 * - `expdoc_inv_001` in `exprun_inv_6` (5 voters): `invoice.total` has one differing vote (score 0.8),
 *   `invoice.issue_date` two `null` votes (0.6), `line_items.1` was missed by voter 3 (present 4 of 5).
 * - `vendor.name` of `expdoc_inv_001`: in `exprun_inv_4` three of five voters read the wrong vendor, so the consensus
 *   is wrong (score 0.6); `exprun_inv_5` skipped the document and shows run 4's answer; `exprun_inv_6` has the right one
 *   (score 1): its consensus and score changed between runs 5 and 6.
 * - `notes` of `expdoc_inv_007` is a value of more than 10,000 characters in every run; in `exprun_inv_6` (where the
 *   document failed, so its scores are null) one voter's copy is cut off. `exprun_inv_5` has it with scores.
 * - Classifier with confusion: workflow "Receipts & expenses", experiment `exp_LVkQmjSpd3wL` ("Expense category"), runs
 *   `exprun_Q5CpnU9oN00BGN` then `exprun_EPeBPC3oQPdHSr`; targets are categories (`travel`, `meals`, …). Split:
 *   "Lease agreements" `exp_c9c9aOsV0uBk`, runs `exprun_Npx143lAlHxb9E`, `exprun_A09om5kamBu5MJ`, `exprun_hiidvXOofMAk29`;
 *   targets are subdocuments (`lease`, `amendment`, `schedule`), values page lists.
 * - `exprun_big_1` (`wf_big`): 50 paths in every document (`delivery_number`, …, `items.9.weight_kg`).
 *
 * The other workflows use opaque ids derived from their names; between them they cover every block kind, experiment
 * status, run status, job status, consensus count, staleness and schema drift.
 */
import { FAMILIES, FamilyName, filenameFor } from './families';
import { hex16, intBetween, opaqueId, rngFor } from './prng';
import { BlockKind, Consensus, RunStatus, SchemaDrift } from './wire';

/** A planned vote per voter (repeated when a run has more voters): the true value, the wrong one, or nothing. */
export type VoteFixture = ReadonlyArray<'truth' | 'wrong' | null>;

/** Votes tests rely on, keyed `runId documentId path`; the run is the one whose result the document shows. */
export const FIELD_VOTE_FIXTURES: Readonly<Record<string, VoteFixture>> = {
  'exprun_inv_4 expdoc_inv_001 vendor.name': ['wrong', 'truth', 'wrong', 'truth', 'wrong'],
  'exprun_inv_6 expdoc_inv_001 vendor.name': ['truth'],
  'exprun_inv_6 expdoc_inv_001 invoice.total': ['truth', 'truth', 'truth', 'wrong', 'truth'],
  'exprun_inv_6 expdoc_inv_001 invoice.issue_date': ['truth', null, 'truth', null, 'truth'],
  'exprun_inv_6 expdoc_inv_007 notes': ['truth', 'truth', 'wrong', 'truth', 'truth'],
};

/** Which voters produced a list row, keyed `runId documentId list.row`. */
export const ROW_PRESENCE_FIXTURES: Readonly<Record<string, readonly boolean[]>> = {
  'exprun_inv_6 expdoc_inv_001 line_items.1': [true, true, false, true, true],
};

/** List rows of some documents, whatever the dice say. */
export const FIELD_ROW_COUNTS: Readonly<Record<string, number>> = { expdoc_inv_001: 2, expdoc_inv_007: 3 };

/** Fields whose true value is longer than 10,000 characters. */
export const LONG_VALUE_FIXTURES: ReadonlyArray<{ documentId: string; path: string }> = [{ documentId: 'expdoc_inv_007', path: 'notes' }];

/** An input handle besides the document itself, before a generation decides how to spell it. */
export type ExtraInput =
  { kind: 'file'; filename: string } | { kind: 'json'; data: Record<string, string | number | boolean> } | { kind: 'text'; text: string };

export interface DocumentSeed {
  id: string;
  filename: string;
  /** The document has a fixed name tests rely on: it keeps the seed page's `{type: 'file', filename}` shape in the nested generations. */
  fixture: boolean;
  /** Inputs besides the document itself, on some documents of some experiments. */
  extraHandles: Readonly<Record<string, ExtraInput>> | null;
}

export type MetricsState = 'ok' | 'none' | 'stale';

export interface RunSeed {
  id: string;
  /** The status the seeded snapshot shows; the job timeline is built to produce it. */
  status: RunStatus;
  nConsensus: Consensus;
  createdAt: number;
  definition: string;
  /** The first `documentCount` documents of the experiment took part (documents were added over time). */
  documentCount: number;
  parentRunId: string | null;
  retryFailedOnly: boolean;
  jobId: string;
  errorRate: number;
  /** Documents that fail in this run whatever the dice say: fixtures tests rely on. */
  errorDocumentIds: readonly string[];
  /** For running, cancelled and error runs: the share of documents done when the snapshot was taken or things went wrong. */
  progress: number;
  metrics: MetricsState;
}

export interface ExperimentSeed {
  id: string;
  workflowId: string;
  blockId: string;
  name: string;
  blockKind: BlockKind;
  /** What a `for_each` block produces per document. */
  forEachOperation: 'partition' | 'extraction';
  family: FamilyName;
  nConsensus: Consensus;
  createdAt: number;
  schemaDrift: SchemaDrift;
  /** The definition an experiment would run now; differs from its last run's when the experiment is stale. */
  currentDefinition: string;
  /** The flat generations grade drift more finely: a `drifted` experiment may be only `partial` there. */
  flatSchemaDrift: SchemaDrift | 'partial';
  documents: readonly DocumentSeed[];
  /** Oldest first. */
  runs: readonly RunSeed[];
  hostile: boolean;
  /** How fields change with the definition (empty for most experiments). */
  tuning: readonly FieldTuning[];
  /** Each definition fingerprint's version number. */
  definitionVersions: ReadonlyMap<string, number>;
}

export interface WorkflowSeed {
  id: string;
  name: string;
  description: string;
  family: FamilyName;
  createdAt: number;
  updatedAt: number;
  /** The published version: `published.snapshot_id` in G1, `published.version_id` from G1p on. */
  published: { snapshotId: string; versionId: string; publishedAt: number } | null;
  /** G3's `project_id`; null on a legacy workflow that predates projects. */
  projectId: string | null;
}

export interface Catalog {
  /** Newest first. */
  workflows: readonly WorkflowSeed[];
  workflowById: ReadonlyMap<string, WorkflowSeed>;
  experimentById: ReadonlyMap<string, ExperimentSeed>;
  /** Newest first. */
  experimentsByWorkflow: ReadonlyMap<string, readonly ExperimentSeed[]>;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface RunSpec {
  status: RunStatus;
  id?: string;
  at?: string;
  n?: Consensus;
  definitionVersion?: number;
  documentCount?: number;
  errorRate?: number;
  errorDocumentIds?: readonly string[];
  progress?: number;
  metrics?: MetricsState;
  retryOfPrevious?: boolean;
}

interface ExperimentSpec {
  key: string;
  id?: string;
  name: string;
  kind: BlockKind;
  forEach?: 'partition' | 'extraction';
  documents: number;
  n: Consensus;
  runs: readonly RunSpec[];
  stale?: boolean;
  drift?: SchemaDrift;
  /** In the flat generations the drift is only `partial`. */
  partialDrift?: boolean;
  documentId?: (index: number) => string;
  filenames?: Readonly<Record<number, string>>;
  extraHandles?: 'second_file' | 'json_hint' | 'text_instruction';
  hostile?: boolean;
  /** Another experiment of the workflow whose block this one runs too (its id). */
  sameBlockAs?: string;
  /** How fields change with the block's definition (the Runs table's fixture). */
  tuning?: readonly FieldTuning[];
}

/**
 * A field's change with a definition version: it `appears` (is extracted at all) from that
 * version on, or its voters err much more (`worse`) or as usual again (`better`) from it on.
 */
export interface FieldTuning {
  path: string;
  fromVersion: number;
  change: 'appears' | 'worse' | 'better';
}

interface WorkflowSpec {
  id?: string;
  name: string;
  description: string;
  family: FamilyName;
  published: boolean;
  experiments: readonly ExperimentSpec[];
}

const HOSTILE_FILENAMES: Readonly<Record<number, string>> = {
  0: '<img src=x onerror="window.__pwned=1">.pdf',
  1: '[Open settings](command:retab.clearApiKey) $(alert) **bold** <b>x</b>.pdf',
  2: 'invoice\u202Efdp.exe',
  3: 'two\nlines\tand a tab.pdf',
  4: `${'very_long_name_'.repeat(16)}📄.pdf`,
};

/** Newest first; order matters because it is the default listing order. */
const WORKFLOWS: readonly WorkflowSpec[] = [
  {
    id: 'wf_invoices',
    name: 'Invoice extraction',
    description: 'Header fields, totals and line items from supplier invoices (PDF and scans) for accounts payable.',
    family: 'invoice',
    published: true,
    experiments: [
      {
        key: 'invoices-v2',
        id: 'exp_invoices_v2',
        name: 'Invoice fields v2',
        kind: 'extract',
        documents: 40,
        n: 5,
        documentId: (index) => `expdoc_inv_${String(index + 1).padStart(3, '0')}`,
        filenames: { 0: 'invoice_q1.pdf', 1: 'facture_été_№42.pdf', 2: '請求書_2026.pdf', 3: 'Überweisung Ä.pdf', 11: 'INV 0193 (copy).PDF' },
        extraHandles: 'second_file',
        runs: [
          {
            id: 'exprun_inv_1',
            status: 'completed',
            at: '2026-04-08T09:12:00Z',
            n: 3,
            definitionVersion: 1,
            documentCount: 36,
            errorRate: 0.12,
            metrics: 'stale',
          },
          { id: 'exprun_inv_2', status: 'error', at: '2026-04-14T16:40:00Z', n: 3, definitionVersion: 2, documentCount: 36, progress: 0.3 },
          { id: 'exprun_inv_3', documentCount: 40, status: 'cancelled', at: '2026-04-20T10:05:00Z', n: 5, definitionVersion: 2, progress: 0.45 },
          { id: 'exprun_inv_4', documentCount: 40, status: 'completed', at: '2026-04-24T14:30:00Z', n: 5, definitionVersion: 3, errorRate: 0.15 },
          {
            id: 'exprun_inv_5',
            documentCount: 40,
            status: 'completed',
            at: '2026-04-24T17:02:00Z',
            n: 5,
            definitionVersion: 3,
            errorRate: 0.2,
            retryOfPrevious: true,
          },
          {
            id: 'exprun_inv_6',
            documentCount: 40,
            status: 'completed',
            at: '2026-05-02T11:00:00Z',
            n: 5,
            definitionVersion: 4,
            errorRate: 0,
            errorDocumentIds: ['expdoc_inv_007', 'expdoc_inv_019', 'expdoc_inv_033'],
          },
        ],
      },
      {
        key: 'invoices-v1',
        id: 'exp_invoices_v1',
        name: 'Invoice fields v1 (baseline)',
        kind: 'extract',
        documents: 12,
        n: 3,
        stale: true,
        drift: 'drifted',
        runs: [
          { status: 'completed', errorRate: 0.1 },
          { status: 'completed', errorRate: 0.05 },
        ],
      },
      { key: 'invoices-vendor', id: 'exp_invoices_vendor', name: 'Vendor classifier', kind: 'classifier', documents: 8, n: 3, runs: [] },
      {
        key: 'invoices-tuning',
        id: 'exp_invoices_tuning',
        name: 'Invoice fields – tuning',
        kind: 'extract',
        documents: 24,
        n: 5,
        // Twelve runs over three definitions: `invoice.due_date` is extracted from version 2 on
        // (run 4), `vendor.vat_id` gets worse with version 3 (run 8) and stays so.
        tuning: [
          { path: 'invoice.due_date', fromVersion: 2, change: 'appears' },
          { path: 'vendor.vat_id', fromVersion: 3, change: 'worse' },
        ],
        runs: [
          { status: 'completed', definitionVersion: 1, at: '2026-03-02T09:00:00Z', errorRate: 0.04, metrics: 'ok' },
          { status: 'completed', definitionVersion: 1, at: '2026-03-05T09:00:00Z', errorRate: 0.04, metrics: 'ok' },
          { status: 'completed', definitionVersion: 1, at: '2026-03-09T09:00:00Z', errorRate: 0.04, metrics: 'none' },
          { status: 'completed', definitionVersion: 2, at: '2026-03-12T09:00:00Z', errorRate: 0.04, metrics: 'ok' },
          { status: 'completed', definitionVersion: 2, at: '2026-03-16T09:00:00Z', errorRate: 0.04, metrics: 'ok' },
          { status: 'completed', definitionVersion: 2, at: '2026-03-19T09:00:00Z', errorRate: 0.04, metrics: 'ok' },
          { status: 'completed', definitionVersion: 2, at: '2026-03-23T09:00:00Z', errorRate: 0.04, metrics: 'ok' },
          { status: 'completed', definitionVersion: 3, at: '2026-03-26T09:00:00Z', errorRate: 0.04, metrics: 'ok' },
          { status: 'completed', definitionVersion: 3, at: '2026-03-30T09:00:00Z', errorRate: 0.04, metrics: 'ok' },
          { status: 'completed', definitionVersion: 3, at: '2026-04-02T09:00:00Z', errorRate: 0.04, metrics: 'stale' },
          { status: 'completed', definitionVersion: 3, at: '2026-04-06T09:00:00Z', errorRate: 0.04, metrics: 'ok' },
          { status: 'completed', definitionVersion: 3, at: '2026-04-09T09:00:00Z', errorRate: 0.04, metrics: 'ok' },
        ],
      },
    ],
  },
  {
    name: 'Bank statements',
    description: 'Account holder, IBAN, statement period, balances and every transaction from monthly statements.',
    family: 'bank_statement',
    published: true,
    experiments: [
      {
        key: 'bank-fields',
        name: 'Statement header + transactions',
        kind: 'extract',
        documents: 24,
        n: 5,
        runs: [{ status: 'completed' }, { status: 'completed' }, { status: 'running', progress: 0.4 }],
      },
      {
        key: 'bank-split',
        name: 'Split multi-account PDFs',
        kind: 'split',
        documents: 10,
        n: 3,
        runs: [{ status: 'completed' }, { status: 'error', progress: 0.2 }],
      },
    ],
  },
  {
    id: 'wf_hostile',
    name: 'Hostile inputs',
    description: 'Escaping fixtures: names and errors carry markup such as <script>window.__pwned=1</script> and [links](command:retab.clearApiKey).',
    family: 'generic',
    published: false,
    experiments: [
      {
        key: 'hostile',
        id: 'exp_hostile',
        name: 'Hostile <b>fixtures</b> & "quotes" <img src=x onerror="window.__pwned=1">',
        kind: 'extract',
        documents: 5,
        n: 3,
        hostile: true,
        documentId: (index) => `expdoc_hostile_${index + 1}`,
        filenames: HOSTILE_FILENAMES,
        runs: [{ id: 'exprun_hostile_1', status: 'completed', errorRate: 0, errorDocumentIds: ['expdoc_hostile_1', 'expdoc_hostile_5'] }],
      },
    ],
  },
  {
    name: 'Purchase orders',
    description: 'PO number, parties and order lines, matched against invoices downstream.',
    family: 'purchase_order',
    published: true,
    experiments: [
      {
        key: 'po-lines',
        name: 'PO lines',
        kind: 'extract',
        documents: 18,
        n: 3,
        drift: 'drifted',
        runs: [{ status: 'completed' }, { status: 'cancelled', progress: 0.5 }],
      },
      { key: 'po-routing', name: 'PO vs invoice routing', kind: 'classifier', documents: 15, n: 7, runs: [{ status: 'pending' }] },
    ],
  },
  {
    id: 'wf_big',
    name: 'Delivery notes archive',
    description: 'Archive of scanned delivery notes: the year (5,000 documents) and ten years (50,000).',
    family: 'delivery_note',
    published: false,
    experiments: [
      {
        key: 'big',
        id: 'exp_big',
        name: 'Delivery notes – full archive',
        kind: 'extract',
        documents: 5000,
        n: 3,
        documentId: (index) => `expdoc_big_${String(index + 1).padStart(4, '0')}`,
        filenames: { 0: 'Lieferschein_Übersee_0001.pdf', 1: 'bon_de_livraison_été.pdf', 2: '納品書_0003.pdf' },
        runs: [{ id: 'exprun_big_1', status: 'completed', errorRate: 0.024 }],
      },
      {
        key: 'huge',
        id: 'exp_huge',
        name: 'Delivery notes – ten years',
        kind: 'extract',
        documents: 50_000,
        n: 3,
        documentId: (index) => `expdoc_huge_${String(index + 1).padStart(5, '0')}`,
        sameBlockAs: 'exp_big',
        runs: [{ id: 'exprun_huge_1', status: 'completed', errorRate: 0.01 }],
      },
    ],
  },
  {
    name: 'Receipts & expenses',
    description: 'Merchant, date, totals and VAT from photographed receipts for expense reports.',
    family: 'receipt',
    published: true,
    experiments: [
      {
        key: 'receipt-totals',
        name: 'Receipt totals',
        kind: 'extract',
        documents: 30,
        n: 3,
        stale: true,
        runs: [{ status: 'completed' }, { status: 'completed' }, { status: 'completed' }],
      },
      { key: 'receipt-category', name: 'Expense category', kind: 'classifier', documents: 20, n: 5, runs: [{ status: 'completed' }, { status: 'completed' }] },
    ],
  },
  {
    name: 'Insurance claims (FNOL)',
    description: 'First notice of loss packets: split into forms, reports and estimates, then extract each.',
    family: 'claim',
    published: false,
    experiments: [
      { key: 'claim-split', name: 'Claim packet splitter', kind: 'split', documents: 12, n: 5, runs: [{ status: 'completed' }] },
      {
        key: 'claim-each',
        name: 'Per-document claim fields (for each)',
        kind: 'for_each',
        forEach: 'extraction',
        documents: 12,
        n: 3,
        extraHandles: 'text_instruction',
        runs: [{ status: 'error', progress: 0.25 }, { status: 'completed' }],
      },
    ],
  },
  {
    name: 'KYC identity documents',
    description: 'Document type, MRZ and holder details from passports, ID cards and driving licences.',
    family: 'identity',
    published: true,
    experiments: [
      { key: 'kyc-type', name: 'ID document type', kind: 'classifier', documents: 16, n: 5, runs: [] },
      { key: 'kyc-mrz', name: 'Passport MRZ fields', kind: 'extract', documents: 16, n: 7, runs: [{ status: 'completed' }, { status: 'completed' }] },
    ],
  },
  {
    name: 'Bills of lading',
    description: 'Carrier, ports and containers from ocean bills of lading.',
    family: 'bill_of_lading',
    published: false,
    experiments: [
      {
        key: 'bl-containers',
        name: 'Containers per B/L (for each)',
        kind: 'for_each',
        forEach: 'partition',
        documents: 14,
        n: 3,
        extraHandles: 'json_hint',
        runs: [{ status: 'completed' }, { status: 'running', progress: 0.6 }],
      },
    ],
  },
  {
    name: 'Customs declarations',
    description: 'HS codes, customs values and parties from export declarations.',
    family: 'customs',
    published: true,
    experiments: [
      {
        key: 'customs-hs',
        name: 'HS codes',
        kind: 'extract',
        documents: 22,
        n: 5,
        drift: 'drifted',
        partialDrift: true,
        runs: [{ status: 'cancelled', progress: 0.3 }, { status: 'completed' }],
      },
    ],
  },
  {
    name: 'Medical referrals',
    description: 'Triage of faxed referral letters and extraction of patient and referrer details.',
    family: 'referral',
    published: false,
    experiments: [
      { key: 'referral-triage', name: 'Referral triage', kind: 'classifier', documents: 10, n: 3, runs: [{ status: 'completed' }] },
      { key: 'referral-fields', name: 'Referral fields', kind: 'extract', documents: 10, n: 3, runs: [] },
    ],
  },
  {
    name: 'Lease agreements',
    description: 'Parties, dates, rent and notice periods from commercial leases and their amendments.',
    family: 'lease',
    published: true,
    experiments: [
      { key: 'lease-terms', name: 'Lease key terms', kind: 'extract', documents: 8, n: 7, runs: [{ status: 'error', progress: 0.25 }] },
      {
        key: 'lease-split',
        name: 'Split lease + amendments',
        kind: 'split',
        documents: 8,
        n: 3,
        runs: [{ status: 'completed' }, { status: 'completed' }, { status: 'completed' }],
      },
    ],
  },
  {
    name: 'Payslips',
    description: 'Employer, employee, period, gross and net pay for income verification.',
    family: 'payslip',
    published: false,
    experiments: [
      {
        key: 'payslip-fields',
        name: 'Payslip fields',
        kind: 'extract',
        documents: 26,
        n: 5,
        stale: true,
        runs: [{ status: 'completed' }, { status: 'completed' }],
      },
    ],
  },
  {
    name: 'Untitled Workflow',
    description: '',
    family: 'generic',
    published: false,
    experiments: [{ key: 'untitled', name: 'Untitled experiment', kind: 'extract', documents: 3, n: 3, runs: [] }],
  },
];

const NEWEST_WORKFLOW = Date.parse('2026-03-20T08:30:00Z');

export function definitionFingerprint(experimentId: string, version: number): string {
  return hex16(`${experimentId}:definition:${version}`);
}

export function documentsFingerprint(documents: readonly DocumentSeed[]): string {
  return hex16(documents.map((document) => document.id).join(','));
}

export function buildCatalog(): Catalog {
  const workflows: WorkflowSeed[] = [];
  const experimentById = new Map<string, ExperimentSeed>();
  const experimentsByWorkflow = new Map<string, ExperimentSeed[]>();
  WORKFLOWS.forEach((spec, index) => {
    const id = spec.id ?? opaqueId('wf', spec.name, 12);
    const rng = rngFor('workflow', id);
    const createdAt = NEWEST_WORKFLOW - index * (4 * DAY + 7 * HOUR) - intBetween(rng, 0, 50) * 60_000;
    const experiments = spec.experiments.map((experimentSpec, experimentIndex) =>
      buildExperiment(experimentSpec, id, spec.family, createdAt + (experimentIndex + 1) * 9 * HOUR),
    );
    const lastActivity = Math.max(createdAt + 2 * HOUR, ...experiments.flatMap((experiment) => experiment.runs.map((run) => run.createdAt)));
    workflows.push({
      id,
      name: spec.name,
      description: spec.description,
      family: spec.family,
      createdAt,
      updatedAt: lastActivity,
      published: spec.published ? { snapshotId: opaqueId('wfsnap', id), versionId: opaqueId('wfver', id), publishedAt: lastActivity + 3 * HOUR } : null,
      projectId: spec.name === 'Untitled Workflow' ? null : `proj_${hex16(`project/${spec.family === 'generic' ? 'sandbox' : 'operations'}`).slice(0, 12)}`,
    });
    experiments.reverse();
    experimentsByWorkflow.set(id, experiments);
    for (const experiment of experiments) {
      experimentById.set(experiment.id, experiment);
    }
  });
  return { workflows, workflowById: new Map(workflows.map((workflow) => [workflow.id, workflow])), experimentById, experimentsByWorkflow };
}

function buildExperiment(spec: ExperimentSpec, workflowId: string, familyName: FamilyName, createdAt: number): ExperimentSeed {
  const id = spec.id ?? opaqueId('exp', `${workflowId}/${spec.key}`, 12);
  const documents = buildDocuments(spec, id, familyName);
  const runs: RunSeed[] = [];
  let at = createdAt + 20 * HOUR;
  let version = 1;
  spec.runs.forEach((runSpec, index) => {
    const rng = rngFor('run-spec', id, index);
    at = runSpec.at ? Date.parse(runSpec.at) : at + intBetween(rng, 1, 6) * DAY + intBetween(rng, 0, 8) * HOUR + intBetween(rng, 0, 59) * 60_000;
    if (runSpec.definitionVersion !== undefined) {
      version = runSpec.definitionVersion;
    } else if (index > 0 && rng() < 0.6) {
      version++;
    }
    const previous = runs[runs.length - 1];
    const isLast = index === spec.runs.length - 1;
    // Documents are only ever added to an experiment, so a later run never has fewer.
    const fewer = isLast || rng() < 0.7 ? documents.length : Math.max(1, documents.length - intBetween(rng, 1, 4));
    const documentCount = runSpec.documentCount ?? Math.max(fewer, previous?.documentCount ?? 0);
    const defaultMetrics: MetricsState = rng() < 0.12 ? 'none' : rng() < 0.12 ? 'stale' : 'ok';
    runs.push({
      id: runSpec.id ?? opaqueId('exprun', `${id}/${index}`),
      status: runSpec.status,
      nConsensus: runSpec.n ?? (isLast ? spec.n : ([3, 5, 7] as const)[intBetween(rng, 0, 2)]),
      createdAt: at,
      definition: definitionFingerprint(id, version),
      documentCount,
      parentRunId: runSpec.retryOfPrevious && previous ? previous.id : null,
      retryFailedOnly: runSpec.retryOfPrevious === true,
      jobId: `job_${hex16(`${id}/${index}/job`)}`,
      errorRate: runSpec.errorRate ?? Math.round(rng() * 12) / 100,
      errorDocumentIds: runSpec.errorDocumentIds ?? [],
      progress: runSpec.progress ?? 1,
      metrics: runSpec.metrics ?? (isLast ? 'ok' : defaultMetrics),
    });
  });
  const currentVersion = spec.stale && runs.length > 0 ? version + 1 : version;
  return {
    id,
    workflowId,
    blockId: `blk_${hex16(`${spec.sameBlockAs ?? id}/block`).slice(0, 10)}`,
    name: spec.name,
    blockKind: spec.kind,
    forEachOperation: spec.forEach ?? 'extraction',
    family: familyName,
    nConsensus: spec.n,
    createdAt,
    schemaDrift: spec.drift ?? (runs.length === 0 ? 'unknown' : 'none'),
    flatSchemaDrift: spec.partialDrift ? 'partial' : (spec.drift ?? (runs.length === 0 ? 'unknown' : 'none')),
    currentDefinition: definitionFingerprint(id, currentVersion),
    documents,
    runs,
    hostile: spec.hostile === true,
    tuning: spec.tuning ?? [],
    definitionVersions: new Map(Array.from({ length: currentVersion + 1 }, (_, value) => [definitionFingerprint(id, value), value] as const)),
  };
}

function buildDocuments(spec: ExperimentSpec, experimentId: string, familyName: FamilyName): DocumentSeed[] {
  const family = FAMILIES[familyName];
  const seen = new Set<string>();
  const documents: DocumentSeed[] = [];
  for (let index = 0; index < spec.documents; index++) {
    const rng = rngFor('document', experimentId, index);
    let filename = spec.filenames?.[index] ?? filenameFor(family, rng);
    while (seen.has(filename)) {
      filename = filename.replace(/(\.[A-Za-z]+)?$/, (extension) => `_${index}${extension}`);
    }
    seen.add(filename);
    documents.push({
      id: spec.documentId?.(index) ?? opaqueId('expdoc', `${experimentId}/${index}`),
      filename,
      fixture: spec.filenames?.[index] !== undefined,
      // Fixture documents keep the seed page's shape: the document is their only input.
      extraHandles: spec.filenames?.[index] === undefined ? extraHandles(spec, familyName, rng) : null,
    });
  }
  return documents;
}

function extraHandles(spec: ExperimentSpec, familyName: FamilyName, rng: () => number): Record<string, ExtraInput> | null {
  switch (spec.extraHandles) {
    case 'second_file':
      return rng() < 0.25 ? { 'input-document-1': { kind: 'file', filename: filenameFor(FAMILIES.purchase_order, rng) } } : null;
    case 'json_hint':
      return { 'input-json-0': { kind: 'json', data: { carrier_hint: FAMILIES[familyName].parties[intBetween(rng, 0, 4)], strict: rng() < 0.5 } } };
    case 'text_instruction':
      return { 'input-text-0': { kind: 'text', text: 'Extract each sub-document separately; ignore cover pages.' } };
    case undefined:
      return null;
  }
}
