import { DocumentSeed, ExperimentSeed, FIELD_ROW_COUNTS, FIELD_VOTE_FIXTURES, LONG_VALUE_FIXTURES, ROW_PRESENCE_FIXTURES, VoteFixture } from './data';
import { FAMILIES, Family, FamilyName, FieldKind, fieldValue } from './families';
import { documentScore } from './jobs';
import { Rng, hash32, intBetween, mulberry32, pick, rngFor } from './prng';
import { editedField } from './blocks/definitions';
import { HINT_PATTERN, VAGUE_DESCRIPTION } from './blocks/blockConfigs';

/**
 * What the field-level metrics views (`by_document`, `by_target`, `votes`) are computed from:
 * every voter's answer for every target of every document of a run, derived from fixed keys.
 *
 * - Extract and for_each blocks: targets are field paths (`invoice.total`, `vendor.address.city`,
 *   `line_items.1.amount`). A field has a true value per experiment and document; each of the
 *   run's `n_consensus` voters returns it, a plausible wrong value, or nothing (`null`), more often
 *   wrong on a hard document; the consensus is the most common answer and the field's score the
 *   share of voters that gave it. List rows (`line_items.N`) may be missing for some voters.
 * - Classifier and split blocks: targets are labels (categories, subdocuments). Every voter gives
 *   each page a label (a classifier's document is one page); the consensus is the most common
 *   label per page, and the confusion between consensus and votes is what `diag`/`flows` report.
 *
 * Voters are drawn from the definition and run that produced a document's result (a document a
 * retry run skipped keeps the parent run's), so the same field differs between runs. A document
 * whose job failed keeps what its voters returned but has no score.
 */

export interface FieldSource {
  definition: string;
  runId: string;
  /** Voters. */
  n: number;
}

/** One document of a run, as the views see it. */
export interface DocumentState {
  document: DocumentSeed;
  source: FieldSource;
  /** Its job failed: values exist, scores do not. */
  failed: boolean;
}

type ValueKind = FieldKind | 'city' | 'country' | 'line' | 'note' | 'sku';

interface FieldSchema {
  header: ReadonlyArray<readonly [path: string, kind: ValueKind, nullRate?: number]>;
  list: { name: string; min: number; max: number; item: ReadonlyArray<readonly [key: string, kind: ValueKind]> } | null;
}

export interface TargetDef {
  path: string;
  kind: ValueKind;
  nullRate: number;
  /** For a list row's field: the list and row it belongs to. */
  row: { list: string; index: number } | null;
}

const ITEMS = {
  name: 'items',
  min: 1,
  max: 3,
  item: [
    ['description', 'line'],
    ['amount', 'money'],
  ],
} as const;

/** Families with a richer schema than their flat `fields`; the others get those plus an `items` list. */
const SCHEMAS: Partial<Record<FamilyName, FieldSchema>> = {
  // 9 header paths + 1–3 line items of 2 fields: 11–15 paths a document.
  invoice: {
    header: [
      ['invoice.number', 'id'],
      ['invoice.issue_date', 'date'],
      ['invoice.due_date', 'date', 0.2],
      ['invoice.total', 'money'],
      ['invoice.currency', 'currency'],
      ['vendor.name', 'party'],
      ['vendor.vat_id', 'code', 0.1],
      ['vendor.address.city', 'city'],
      ['notes', 'note', 0.3],
    ],
    list: {
      name: 'line_items',
      min: 1,
      max: 3,
      item: [
        ['description', 'line'],
        ['amount', 'money'],
      ],
    },
  },
  // The 5,000-document archive: 10 header paths + 10 rows of 4 fields = 50 paths in every document.
  delivery_note: {
    header: [
      ['delivery_number', 'id'],
      ['delivery_date', 'date'],
      ['shipper.name', 'party'],
      ['shipper.address.city', 'city'],
      ['shipper.address.country', 'country'],
      ['recipient.name', 'party'],
      ['recipient.address.city', 'city'],
      ['recipient.address.country', 'country'],
      ['package_count', 'count'],
      ['notes', 'note', 0.4],
    ],
    list: {
      name: 'items',
      min: 10,
      max: 10,
      item: [
        ['sku', 'sku'],
        ['description', 'line'],
        ['quantity', 'count'],
        ['weight_kg', 'count'],
      ],
    },
  },
};

const HOSTILE_VALUE = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1"> [x](command:retab.clearApiKey)';
/** A path of the hostile experiment that carries markup itself. */
export const HOSTILE_PATH = 'remarks.<img src=x onerror="window.__pwned=1">';

const schemas = new WeakMap<ExperimentSeed, FieldSchema>();

function schemaOf(experiment: ExperimentSeed): FieldSchema {
  let schema = schemas.get(experiment);
  if (!schema) {
    schema = SCHEMAS[experiment.family] ?? genericSchema(experiment);
    schemas.set(experiment, schema);
  }
  return schema;
}

function genericSchema(experiment: ExperimentSeed): FieldSchema {
  const header: Array<readonly [string, ValueKind, number?]> = Object.entries(FAMILIES[experiment.family].fields).map(([name, kind]) => [name, kind] as const);
  if (experiment.hostile) {
    header.push([HOSTILE_PATH, 'note']);
  }
  return { header, list: ITEMS };
}

/** Target lists by experiment and row count: documents with as many list rows share one. */
const targetLists = new WeakMap<ExperimentSeed, Map<number, readonly TargetDef[]>>();

/** A document's field paths, the same in every run: header fields, then each list row's fields. */
export function documentTargets(experiment: ExperimentSeed, document: DocumentSeed): readonly TargetDef[] {
  const schema = schemaOf(experiment);
  const list = schema.list;
  const rows = !list
    ? 0
    : (FIELD_ROW_COUNTS[document.id] ?? (list.min === list.max ? list.min : intBetween(rngFor('rows', experiment.id, document.id), list.min, list.max)));
  let byRows = targetLists.get(experiment);
  if (!byRows) {
    byRows = new Map();
    targetLists.set(experiment, byRows);
  }
  const cached = byRows.get(rows);
  if (cached) {
    return cached;
  }
  const targets: TargetDef[] = schema.header.map(([path, kind, nullRate]) => ({ path, kind, nullRate: nullRate ?? 0, row: null }));
  if (schema.list) {
    const { name, item } = schema.list;
    for (let index = 0; index < rows; index++) {
      for (const [key, kind] of item) {
        targets.push({ path: `${name}.${index}.${key}`, kind, nullRate: 0, row: { list: name, index } });
      }
    }
  }
  byRows.set(rows, targets);
  return targets;
}

const targetMaps = new WeakMap<readonly TargetDef[], ReadonlyMap<string, TargetDef>>();

/** A document's target by path. */
export function documentTarget(experiment: ExperimentSeed, document: DocumentSeed, path: string): TargetDef | undefined {
  const targets = documentTargets(experiment, document);
  let map = targetMaps.get(targets);
  if (!map) {
    map = new Map(targets.map((target) => [target.path, target]));
    targetMaps.set(targets, map);
  }
  return map.get(path);
}

/** An experiment's extraction fields: header paths (`vendor.address.city`) and its list, if any (the block's JSON schema is made of them). */
export function schemaFieldsOf(experiment: ExperimentSeed): { header: string[]; list: { name: string; keys: string[] } | null } {
  const schema = schemaOf(experiment);
  return {
    header: schema.header.map(([path]) => path),
    list: schema.list ? { name: schema.list.name, keys: schema.list.item.map(([key]) => key) } : null,
  };
}

/** The list names of an experiment's schema (`line_items`): `votes` accepts them as targets, one row per list row. */
export function listNames(experiment: ExperimentSeed): string[] {
  const list = schemaOf(experiment).list;
  return list ? [list.name] : [];
}

// ---------------------------------------------------------------------------------------------
// Values

const CITIES = ['Lyon', 'Hamburg', 'Osaka', 'Porto', 'Gdańsk', 'Zürich', 'São Paulo', 'Rotterdam'];
const COUNTRIES = ['FR', 'DE', 'JP', 'PT', 'PL', 'CH', 'BR', 'NL'];
const LINES = [
  'Consulting services, March',
  'Annual licence renewal',
  'Pallet of A4 paper (80 g/m²)',
  'Freight & handling',
  'Spare parts kit — model 7',
  'On-site support (2 days)',
];
const NOTES = [
  'Payment within 30 days.',
  'Reverse charge: VAT due by the recipient.',
  'Please quote the invoice number with your payment.',
  'Delivered to loading dock B.',
];

let longNote: string | undefined;

/** A > 10,000-character value: the terms printed on the back of a scanned invoice. */
export function longValue(): string {
  if (longNote === undefined) {
    const paragraphs: string[] = [];
    for (let index = 1; paragraphs.join('\n\n').length < 12_000; index++) {
      paragraphs.push(
        `§${index}. ${pick(rngFor('long', index), ['Delivery', 'Payment', 'Retention of title', 'Warranty', 'Liability', 'Jurisdiction'])}: ` +
          'the supplier delivers the goods described overleaf under these general terms and conditions, which prevail over any terms of the buyer ' +
          'unless agreed otherwise in writing; invoices are payable without deduction within thirty days of the invoice date, and late payments ' +
          `bear interest at ${intBetween(rngFor('long-rate', index), 3, 9)} points above the base rate.`,
      );
    }
    longNote = paragraphs.join('\n\n');
  }
  return longNote;
}

function valueOf(kind: ValueKind, family: Family, rng: Rng): string | number {
  switch (kind) {
    case 'city':
      return pick(rng, CITIES);
    case 'country':
      return pick(rng, COUNTRIES);
    case 'line':
      return pick(rng, LINES);
    case 'note':
      return pick(rng, NOTES);
    case 'sku':
      return `SKU-${intBetween(rng, 10_000, 99_999)}`;
    default:
      return fieldValue(kind, family, rng);
  }
}

/** A target's true value (not null), drawn after its null roll from the field's own generator. */
function truthValue(experiment: ExperimentSeed, target: TargetDef, rng: Rng): unknown {
  if (experiment.hostile && target.kind !== 'count' && target.kind !== 'money') {
    return HOSTILE_VALUE;
  }
  return valueOf(target.kind, FAMILIES[experiment.family], rng);
}

/**
 * Two plausible wrong answers, different from the truth and from each other: a misread digit, a
 * swapped day and month, the wrong party, a cut-off text; for a field that has no value, made-up ones.
 */
function wrongValues(truth: unknown, target: TargetDef, family: Family, rng: Rng): [unknown, unknown] {
  const distinct = (candidate: unknown, taken: readonly unknown[]): unknown => {
    let value = candidate;
    for (let attempt = 0; taken.some((other) => sameValue(other, value)); attempt++) {
      value = typeof value === 'number' ? value + 1 : attempt < 4 ? valueOf(target.kind, family, rng) : `${String(value)} (${attempt})`;
    }
    return value;
  };
  let primary: unknown;
  let secondary: unknown;
  if (truth === null) {
    primary = valueOf(target.kind, family, rng);
    secondary = valueOf(target.kind, family, rng);
  } else if (typeof truth === 'number') {
    primary = target.kind === 'money' ? Math.round(truth * (rng() < 0.5 ? 10 : 0.1) * 100) / 100 : truth + 1;
    secondary = target.kind === 'money' ? Math.round(truth * 1.01 * 100) / 100 : Math.max(0, truth - 1);
  } else {
    // Strings and booleans: the fixtures' truths are never objects.
    // eslint-disable-next-line @typescript-eslint/no-base-to-string
    const text = String(truth);
    if (text.length > 1000) {
      primary = `${text.slice(0, Math.floor(text.length * 0.7))}…`;
      secondary = text.slice(0, 500);
    } else if (target.kind === 'date') {
      const [year, month, day] = text.split('-');
      primary = `${year}-${day}-${month}`;
      secondary = `${year}-${month}-${String((Number(day) % 28) + 1).padStart(2, '0')}`;
    } else {
      primary = valueOf(target.kind, family, rng);
      secondary = valueOf(target.kind, family, rng);
    }
  }
  primary = distinct(primary, [truth]);
  return [primary, distinct(secondary, [truth, primary])];
}

// ---------------------------------------------------------------------------------------------
// Votes

export interface FieldCell {
  /** The consensus. */
  value: unknown;
  votes: unknown[];
  /** Share of voters that agree with the consensus; null when the document has no result. */
  score: number | null;
  /** Voters that produced the row this field is in (every voter, outside lists). */
  present: number;
  total: number;
  /** Per voter, for a list row's field: whether it produced the row. */
  presence: readonly boolean[] | null;
}

const round3 = (value: number): number => Math.round(value * 1000) / 1000;

const sameValue = (a: unknown, b: unknown): boolean =>
  a === b || (typeof a === 'object' && typeof b === 'object' && a !== null && b !== null && JSON.stringify(a) === JSON.stringify(b));

/** The most common answer; a tie goes to a value over `null`, then to the first given. */
export function consensusOf(votes: readonly unknown[]): unknown {
  let best: unknown = null;
  let bestCount = 0;
  for (const vote of votes) {
    let count = 0;
    for (const other of votes) {
      count += sameValue(vote, other) ? 1 : 0;
    }
    if (count > bestCount || (count === bestCount && best === null && vote !== null)) {
      best = vote;
      bestCount = count;
    }
  }
  return best;
}

/** What a voter answered, before values are spelled out: the truth, one of two wrong values, or nothing. */
const TRUTH = 0;
const WRONG = 1;
const OTHER_WRONG = 2;
const NOTHING = 3;

const FIXTURE_CODES: Readonly<Record<string, number>> = { truth: TRUTH, wrong: WRONG, null: NOTHING };

/** Fixtures by `runId documentId`, then path. */
const FIXTURES_BY_DOCUMENT = new Map<string, Map<string, VoteFixture>>();
for (const [key, fixture] of Object.entries(FIELD_VOTE_FIXTURES)) {
  const [runId, documentId, path] = key.split(' ');
  const prefix = `${runId} ${documentId}`;
  FIXTURES_BY_DOCUMENT.set(prefix, (FIXTURES_BY_DOCUMENT.get(prefix) ?? new Map<string, VoteFixture>()).set(path, fixture));
}

/** The FNV state after `parts` and a separator: `mulberry32(hash32(path, prefix))` is `rngFor(...parts, path)`. */
const prefixHash = (...parts: string[]): number => hash32(`${parts.join('\u0000')}\u0000`);

/** How well the document's voters do: its score in the run that produced its result. */
/** How much more voters err on a field that got worse with an edit of the block. */
const WORSE_BY = 0.35;

/**
 * A field in one definition of the block, as the experiment's tuning says (data.ts): whether it
 * is extracted at all, and how much more its voters err.
 */
export function tuningOf(experiment: ExperimentSeed, definition: string, path: string): { present: boolean; extraWrongRate: number; hinted?: boolean } {
  const edited = editedField(definition, path);
  if (edited) {
    // An edited block (blocks/sandboxBlocks.ts): its JSON schema decides.
    return { present: edited.present, extraWrongRate: edited.description === VAGUE_DESCRIPTION ? WORSE_BY : 0, hinted: HINT_PATTERN.test(edited.description) };
  }
  if (experiment.tuning.length === 0) {
    return { present: true, extraWrongRate: 0 };
  }
  const version = experiment.definitionVersions.get(definition) ?? 0;
  let present = true;
  let extraWrongRate = 0;
  for (const tuning of [...experiment.tuning].sort((a, b) => a.fromVersion - b.fromVersion)) {
    if (tuning.path !== path) {
      continue;
    }
    if (tuning.change === 'appears') {
      present = version >= tuning.fromVersion;
    } else if (version >= tuning.fromVersion) {
      extraWrongRate = tuning.change === 'worse' ? WORSE_BY : 0;
    }
  }
  return { present, extraWrongRate };
}

function qualityOf(experiment: ExperimentSeed, state: DocumentState): number {
  return documentScore(experiment, state.source.definition, state.source.runId, state.document.id);
}

/**
 * One document's voters in one run. Scores come from the symbolic votes alone (the index of a
 * 5,000-document run never spells a value out); `cell` spells them out for the views.
 */
/** Documents with planned row presence, by `runId documentId`. */
const PRESENCE_DOCUMENTS = new Set(Object.keys(ROW_PRESENCE_FIXTURES).map((key) => key.split(' ').slice(0, 2).join(' ')));

/**
 * One document's voters in one run. Scores come from the symbolic votes alone (the index of a
 * 5,000-document run never spells a value out); `cell` spells them out for the views.
 */
export class CellMaker {
  private readonly presence = new Map<string, boolean[]>();
  private readonly fixtures: Map<string, VoteFixture> | undefined;
  private readonly longPaths: ReadonlySet<string>;
  private readonly truthPrefix: number;
  private readonly votesPrefix: number;
  private readonly difficultyPrefix: number;
  private readonly rowPrefix: number;
  private readonly codes: Uint8Array;
  /** What the last `vote` found. */
  private consensus = NOTHING;
  private agreeing = 0;
  private truthIsNull = false;
  readonly quality: number;

  constructor(
    readonly experiment: ExperimentSeed,
    readonly state: DocumentState,
  ) {
    const { document, source } = state;
    this.quality = qualityOf(experiment, state);
    this.fixtures = FIXTURES_BY_DOCUMENT.get(`${source.runId} ${document.id}`);
    this.longPaths = new Set(LONG_VALUE_FIXTURES.filter((fixture) => fixture.documentId === document.id).map((fixture) => fixture.path));
    this.truthPrefix = prefixHash('truth', experiment.id, document.id);
    this.votesPrefix = prefixHash('votes', source.definition, source.runId, document.id);
    this.difficultyPrefix = prefixHash('difficulty', experiment.id, document.id);
    this.rowPrefix = prefixHash('row', source.definition, source.runId, document.id);
    this.codes = new Uint8Array(source.n);
  }

  private rowPresence(row: { list: string; index: number } | null): boolean[] | null {
    if (!row) {
      return null;
    }
    const key = `${row.list}.${row.index}`;
    let presence = this.presence.get(key);
    if (!presence) {
      const { source, document } = this.state;
      const fixture = PRESENCE_DOCUMENTS.has(`${source.runId} ${document.id}`) ? ROW_PRESENCE_FIXTURES[`${source.runId} ${document.id} ${key}`] : undefined;
      const rng = mulberry32(hash32(key, this.rowPrefix));
      presence = [];
      for (let voter = 0; voter < source.n; voter++) {
        presence.push(fixture ? fixture[voter % fixture.length] : row.index === 0 || rng() >= 0.08);
      }
      this.presence.set(key, presence);
    }
    return presence;
  }

  /** Fills `codes` with every voter's answer and sets `consensus`, `agreeing` and `truthIsNull`; returns the truth's generator. */
  private vote(target: TargetDef): Rng {
    const { codes } = this;
    const n = this.state.source.n;
    const truthRng = mulberry32(hash32(target.path, this.truthPrefix));
    const isNull = !this.longPaths.has(target.path) && target.nullRate > 0 && truthRng() < target.nullRate;
    const rng = mulberry32(hash32(target.path, this.votesPrefix));
    const difficulty = mulberry32(hash32(target.path, this.difficultyPrefix))() ** 2;
    const tuning = tuningOf(this.experiment, this.state.source.definition, target.path);
    // A description that says where to look makes every voter find the value.
    const wrongRate = tuning.hinted ? 0 : Math.min(0.7, (1 - this.quality) * (0.4 + 1.6 * difficulty) + (isNull ? 0.05 : 0) + tuning.extraWrongRate);
    const missingRate = isNull || tuning.hinted ? 0 : 0.03 + 0.08 * difficulty;
    const presence = this.rowPresence(target.row);
    const fixture = this.fixtures?.get(target.path);
    for (let voter = 0; voter < n; voter++) {
      const roll = rng();
      let code: number;
      if (presence && !presence[voter]) {
        code = NOTHING;
      } else if (fixture) {
        code = FIXTURE_CODES[String(fixture[voter % fixture.length])];
      } else if (roll < wrongRate) {
        code = rng() < 0.75 ? WRONG : OTHER_WRONG;
      } else {
        code = roll < wrongRate + missingRate ? NOTHING : TRUTH;
      }
      // With no true value, answering nothing is answering the truth.
      codes[voter] = isNull && code === NOTHING ? TRUTH : code;
    }
    // The most common answer; a tie goes to a value over nothing, then to the first given.
    const nothing = isNull ? TRUTH : NOTHING;
    let consensus = NOTHING;
    let agreeing = 0;
    for (let voter = 0; voter < n; voter++) {
      const code = codes[voter];
      let count = 0;
      for (let other = 0; other < n; other++) {
        count += codes[other] === code ? 1 : 0;
      }
      if (count > agreeing || (count === agreeing && consensus === nothing && code !== nothing)) {
        consensus = code;
        agreeing = count;
      }
    }
    this.consensus = consensus;
    this.agreeing = agreeing;
    this.truthIsNull = isNull;
    return truthRng;
  }

  /** The field's score alone: what the run-level index needs. */
  score(target: TargetDef): number | null {
    if (this.state.failed) {
      return null;
    }
    this.vote(target);
    return round3(this.agreeing / this.state.source.n);
  }

  cell(target: TargetDef): FieldCell {
    const { experiment, state, codes } = this;
    const n = state.source.n;
    const truthRng = this.vote(target);
    const truth = this.longPaths.has(target.path) ? longValue() : this.truthIsNull ? null : truthValue(experiment, target, truthRng);
    const needsWrong = codes.some((code) => code === WRONG || code === OTHER_WRONG);
    const [wrong, otherWrong] = needsWrong ? wrongValues(truth, target, FAMILIES[experiment.family], truthRng) : [null, null];
    const spell = (code: number): unknown => (code === TRUTH ? truth : code === WRONG ? wrong : code === OTHER_WRONG ? otherWrong : null);
    const presence = this.rowPresence(target.row);
    return {
      value: spell(this.consensus),
      votes: Array.from(codes, spell),
      score: state.failed ? null : round3(this.agreeing / n),
      present: presence ? presence.filter(Boolean).length : n,
      total: n,
      presence,
    };
  }
}

/**
 * A field's true value in a document: what its file shows (files/layout.ts draws it), the same in
 * every run. Read from the same generator `CellMaker` uses, so the truth voters agree on is this.
 */
export function truthOf(experiment: ExperimentSeed, document: DocumentSeed, target: TargetDef): unknown {
  if (LONG_VALUE_FIXTURES.some((fixture) => fixture.documentId === document.id && fixture.path === target.path)) {
    return longValue();
  }
  const truthRng = mulberry32(hash32(target.path, prefixHash('truth', experiment.id, document.id)));
  const isNull = target.nullRate > 0 && truthRng() < target.nullRate;
  return isNull ? null : truthValue(experiment, target, truthRng);
}

// ---------------------------------------------------------------------------------------------
// Labels: classifier and split blocks

export function labelsOf(experiment: ExperimentSeed): readonly string[] {
  const family = FAMILIES[experiment.family];
  return experiment.blockKind === 'classifier' ? family.categories : family.splitLabels;
}

export function isLabelled(experiment: ExperimentSeed): boolean {
  return experiment.blockKind === 'classifier' || experiment.blockKind === 'split';
}

/** Every voter's label for every page, and the consensus per page. */
export interface LabelVotes {
  /** voter → page → label. */
  votes: string[][];
  consensus: string[];
  failed: boolean;
  n: number;
}

export function labelVotes(experiment: ExperimentSeed, state: DocumentState): LabelVotes {
  const labels = labelsOf(experiment);
  const { document, source } = state;
  const shape = rngFor('pages', experiment.id, document.id);
  const classifier = experiment.blockKind === 'classifier';
  const pages = classifier ? 1 : intBetween(shape, 2, 8);
  const truth: string[] = [];
  if (classifier) {
    truth.push(pick(shape, labels));
  } else {
    for (let part = 0; truth.length < pages; part++) {
      const length = intBetween(shape, 1, Math.max(1, Math.ceil(pages / 2)));
      for (let page = 0; page < length && truth.length < pages; page++) {
        truth.push(labels[part % labels.length]);
      }
    }
  }
  const quality = qualityOf(experiment, state);
  const rng = rngFor('label-votes', source.definition, source.runId, document.id);
  const other = (label: string): string =>
    labels.length < 2 ? label : labels[(labels.indexOf(label) + (rng() < 0.7 ? 1 : labels.length - 1)) % labels.length];
  const votes: string[][] = Array.from({ length: source.n }, () => []);
  for (let page = 0; page < pages; page++) {
    if (classifier) {
      // A classifier's document scores 1 when the consensus is right and 0 when it is not: the votes say the same.
      const wrongLabel = other(truth[0]);
      const half = Math.floor(source.n / 2);
      const wrong = quality >= 1 ? Math.floor(rng() ** 2 * (half + 1)) : half + 1 + Math.floor(rng() * (source.n - half));
      const order = Array.from({ length: source.n }, (_, voter) => voter);
      for (let index = order.length - 1; index > 0; index--) {
        const swap = Math.floor(rng() * (index + 1));
        [order[index], order[swap]] = [order[swap], order[index]];
      }
      order.forEach((voter, rank) => votes[voter].push(rank < wrong ? wrongLabel : truth[0]));
    } else {
      const wrongRate = Math.min(0.45, Math.max(0.02, (1 - quality) * 1.5));
      for (let voter = 0; voter < source.n; voter++) {
        votes[voter].push(rng() < wrongRate ? other(truth[page]) : truth[page]);
      }
    }
  }
  const consensus = Array.from({ length: pages }, (_, page) => consensusOf(votes.map((voter) => voter[page])) as string);
  return { votes, consensus, failed: state.failed, n: source.n };
}

export interface LabelTarget {
  label: string;
  /** Pages whose consensus or any vote is this label (1-based). */
  pages: number[];
  value: unknown;
  score: number | null;
}

/** The labels a document involves, in the block's label order, with their agreement and consensus value. */
export function labelTargets(experiment: ExperimentSeed, votes: LabelVotes): LabelTarget[] {
  const classifier = experiment.blockKind === 'classifier';
  return labelsOf(experiment).flatMap((label) => {
    const pages = votes.consensus.flatMap((consensus, page) => (consensus === label || votes.votes.some((voter) => voter[page] === label) ? [page + 1] : []));
    if (pages.length === 0) {
      return [];
    }
    let agreement = 0;
    for (const page of pages) {
      const inLabel = votes.consensus[page - 1] === label;
      agreement += votes.votes.filter((voter) => (voter[page - 1] === label) === inLabel).length / votes.n;
    }
    const consensusPages = pages.filter((page) => votes.consensus[page - 1] === label);
    return [
      {
        label,
        pages,
        value: classifier ? (consensusPages.length > 0 ? label : null) : consensusPages,
        score: votes.failed ? null : round3(agreement / pages.length),
      },
    ];
  });
}

/** Counts of (consensus label → voted label) over (page, voter) pairs. */
export class ConfusionCounts {
  private readonly counts = new Map<string, Map<string, number>>();

  add(votes: LabelVotes): void {
    votes.consensus.forEach((consensus, page) => {
      let row = this.counts.get(consensus);
      if (!row) {
        row = new Map();
        this.counts.set(consensus, row);
      }
      for (const voter of votes.votes) {
        row.set(voter[page], (row.get(voter[page]) ?? 0) + 1);
      }
    });
  }

  /** `diag`: per consensus label, the share of votes that agree; `flows`: the share that went to another label. */
  confusion(order: readonly string[]): { diag: Record<string, number>; flows: Array<{ source: string; target: string; score: number }> } {
    const diag: Record<string, number> = {};
    const flows: Array<{ source: string; target: string; score: number }> = [];
    for (const source of order) {
      const row = this.counts.get(source);
      if (!row) {
        continue;
      }
      const total = [...row.values()].reduce((sum, count) => sum + count, 0);
      diag[source] = round3((row.get(source) ?? 0) / total);
      for (const target of order) {
        const count = row.get(target) ?? 0;
        if (target !== source && count > 0) {
          flows.push({ source, target, score: round3(count / total) });
        }
      }
    }
    return { diag, flows };
  }
}
