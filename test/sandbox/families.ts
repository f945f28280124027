import { Rng, intBetween, pick } from './prng';

/**
 * Kinds of business documents a workflow processes. A family decides what its documents are
 * called and what their artifacts hold, so that an invoice workflow shows invoice-like file
 * names and invoice fields rather than lorem ipsum.
 */
export type FamilyName =
  | 'invoice'
  | 'bank_statement'
  | 'purchase_order'
  | 'receipt'
  | 'claim'
  | 'identity'
  | 'bill_of_lading'
  | 'customs'
  | 'referral'
  | 'lease'
  | 'payslip'
  | 'delivery_note'
  | 'generic';

export type FieldKind = 'id' | 'date' | 'money' | 'currency' | 'party' | 'iban' | 'text' | 'count' | 'code';

export interface Family {
  /** The extraction schema's class name, as it appears in validation errors. */
  schema: string;
  /** Templates: `{n}` a number, `{yyyy}`/`{mm}` a date, `{party}` a company or person. */
  filenames: readonly string[];
  parties: readonly string[];
  fields: Readonly<Record<string, FieldKind>>;
  categories: readonly string[];
  splitLabels: readonly string[];
  partitionKey: string;
}

const COMPANIES = ['ACME', 'Globex', 'Initech', 'Umbrella', 'Stark', 'Wayne', 'Hooli', 'Soylent', 'Vandelay', 'Tyrell'];
const PEOPLE = ['J. Martin', 'A. Dubois', 'K. Tanaka', 'M. Müller', 'S. García', 'L. Rossi', 'O. Nowak', 'E. Johansson'];

export const FAMILIES: Readonly<Record<FamilyName, Family>> = {
  invoice: {
    schema: 'InvoiceSchema',
    filenames: ['invoice_{yyyy}-{mm}_{party}-{n}.pdf', 'INV-{n}.pdf', 'Rechnung_{n}.pdf', 'facture_{party}_{n}.pdf', 'scan_{n}.png', 'invoice {n} (1).PDF'],
    parties: COMPANIES,
    fields: {
      invoice_number: 'id',
      issue_date: 'date',
      due_date: 'date',
      vendor_name: 'party',
      vendor_vat_id: 'code',
      total_amount: 'money',
      tax_amount: 'money',
      currency: 'currency',
      line_item_count: 'count',
    },
    categories: ['supplier_invoice', 'credit_note', 'proforma', 'receipt'],
    splitLabels: ['invoice', 'terms_and_conditions', 'remittance_slip'],
    partitionKey: 'invoice_number',
  },
  bank_statement: {
    schema: 'BankStatementSchema',
    filenames: ['statement_{party}_{yyyy}-{mm}.pdf', 'Kontoauszug_{mm}_{yyyy}.pdf', 'relevé_{mm}-{yyyy}.pdf', 'estado_de_cuenta_{n}.pdf'],
    parties: ['BNP Paribas', 'Deutsche Bank', 'Santander', 'ING', 'Barclays', 'Revolut'],
    fields: {
      account_holder: 'party',
      iban: 'iban',
      period_start: 'date',
      period_end: 'date',
      opening_balance: 'money',
      closing_balance: 'money',
      currency: 'currency',
      transaction_count: 'count',
    },
    categories: ['current_account', 'savings_account', 'credit_card'],
    splitLabels: ['account_summary', 'transactions', 'fees'],
    partitionKey: 'iban',
  },
  purchase_order: {
    schema: 'PurchaseOrderSchema',
    filenames: ['PO-{n}.pdf', 'purchase_order_{party}_{n}.pdf', 'Bestellung_{n}.pdf'],
    parties: COMPANIES,
    fields: { po_number: 'id', order_date: 'date', buyer: 'party', supplier: 'party', total_amount: 'money', currency: 'currency', line_count: 'count' },
    categories: ['purchase_order', 'invoice', 'order_confirmation'],
    splitLabels: ['purchase_order', 'annex'],
    partitionKey: 'po_number',
  },
  receipt: {
    schema: 'ReceiptSchema',
    filenames: ['IMG_{n}.jpg', 'receipt_{yyyy}{mm}_{n}.jpeg', 'ticket_de_caisse_{n}.png', 'Beleg {n}.pdf'],
    parties: ['Starbucks', 'Uber', 'SNCF', 'Hilton', 'Lufthansa', 'Monoprix'],
    fields: { merchant: 'party', purchase_date: 'date', total_amount: 'money', tax_amount: 'money', currency: 'currency' },
    categories: ['travel', 'meals', 'lodging', 'office_supplies', 'other'],
    splitLabels: ['receipt'],
    partitionKey: 'merchant',
  },
  claim: {
    schema: 'ClaimSchema',
    filenames: ['claim_{n}_packet.pdf', 'FNOL-{yyyy}-{n}.pdf', 'sinistre_{n}.pdf', 'photos_{n}.pdf'],
    parties: PEOPLE,
    fields: { claim_number: 'id', policy_number: 'code', incident_date: 'date', claimant: 'party', estimated_amount: 'money', currency: 'currency' },
    categories: ['claim_form', 'police_report', 'repair_estimate', 'photo'],
    splitLabels: ['claim_form', 'police_report', 'repair_estimate', 'photos'],
    partitionKey: 'claim_number',
  },
  identity: {
    schema: 'IdentityDocumentSchema',
    filenames: ['passport_{n}.jpg', 'id_card_front_{n}.png', 'Personalausweis_{n}.pdf', 'permis_{n}.jpg'],
    parties: PEOPLE,
    fields: { document_number: 'code', full_name: 'party', date_of_birth: 'date', expiry_date: 'date', nationality: 'code' },
    categories: ['passport', 'national_id', 'driving_licence', 'residence_permit'],
    splitLabels: ['front', 'back'],
    partitionKey: 'document_number',
  },
  bill_of_lading: {
    schema: 'BillOfLadingSchema',
    filenames: ['BL_{party}_{n}.pdf', 'bill_of_lading_{n}.pdf', 'MBL-{n}.pdf'],
    parties: ['Maersk', 'MSC', 'CMA CGM', 'Hapag-Lloyd', 'COSCO'],
    fields: { bl_number: 'id', carrier: 'party', port_of_loading: 'code', port_of_discharge: 'code', container_count: 'count', gross_weight_kg: 'count' },
    categories: ['master_bl', 'house_bl', 'sea_waybill'],
    splitLabels: ['bill_of_lading', 'packing_list', 'certificate_of_origin'],
    partitionKey: 'container_number',
  },
  customs: {
    schema: 'CustomsDeclarationSchema',
    filenames: ['DAE_{n}.pdf', 'customs_declaration_{yyyy}-{n}.pdf', 'Zollanmeldung_{n}.pdf'],
    parties: COMPANIES,
    fields: { declaration_number: 'id', exporter: 'party', hs_code: 'code', customs_value: 'money', currency: 'currency', line_count: 'count' },
    categories: ['export', 'import', 'transit'],
    splitLabels: ['declaration', 'invoice', 'packing_list'],
    partitionKey: 'hs_code',
  },
  referral: {
    schema: 'ReferralSchema',
    filenames: ['referral_{n}.pdf', 'lettre_adressage_{n}.pdf', 'Überweisung {party}.pdf', 'fax_{yyyy}{mm}_{n}.tiff'],
    parties: PEOPLE,
    fields: { patient_name: 'party', date_of_birth: 'date', referring_physician: 'party', specialty: 'code', urgency: 'text' },
    categories: ['urgent', 'routine', 'incomplete'],
    splitLabels: ['cover_letter', 'referral', 'lab_results'],
    partitionKey: 'patient_name',
  },
  lease: {
    schema: 'LeaseSchema',
    filenames: ['lease_{party}_{yyyy}.pdf', 'bail_commercial_{n}.pdf', 'Mietvertrag_{n}.pdf', 'amendment_{n}.docx'],
    parties: COMPANIES,
    fields: {
      landlord: 'party',
      tenant: 'party',
      start_date: 'date',
      end_date: 'date',
      monthly_rent: 'money',
      currency: 'currency',
      notice_period_months: 'count',
    },
    categories: ['lease', 'amendment', 'termination_notice'],
    splitLabels: ['lease', 'amendment', 'schedule'],
    partitionKey: 'premises',
  },
  payslip: {
    schema: 'PayslipSchema',
    filenames: ['payslip_{yyyy}-{mm}_{n}.pdf', 'bulletin_de_paie_{mm}_{yyyy}.pdf', 'Gehaltsabrechnung_{mm}-{yyyy}.pdf'],
    parties: PEOPLE,
    fields: { employee: 'party', employer: 'party', pay_period: 'date', gross_pay: 'money', net_pay: 'money', currency: 'currency' },
    categories: ['payslip', 'bonus_statement', 'annual_summary'],
    splitLabels: ['payslip'],
    partitionKey: 'employee',
  },
  delivery_note: {
    schema: 'DeliveryNoteSchema',
    filenames: ['delivery_note_{n}.pdf', 'Lieferschein_{n}.pdf', 'bon_de_livraison_{n}.pdf', 'archive_scan_{n}.tif'],
    parties: COMPANIES,
    fields: { delivery_number: 'id', delivery_date: 'date', shipper: 'party', recipient: 'party', package_count: 'count' },
    categories: ['delivery_note', 'return_note'],
    splitLabels: ['delivery_note', 'signature_page'],
    partitionKey: 'delivery_number',
  },
  generic: {
    schema: 'DocumentSchema',
    filenames: ['document_{n}.pdf', 'upload_{yyyy}{mm}_{n}.pdf'],
    parties: COMPANIES,
    fields: { title: 'text', date: 'date', party: 'party' },
    categories: ['document', 'other'],
    splitLabels: ['document'],
    partitionKey: 'title',
  },
};

export function filenameFor(family: Family, rng: Rng): string {
  const template = pick(rng, family.filenames);
  return template
    .replace('{n}', String(intBetween(rng, 10, 99_999)).padStart(5, '0'))
    .replace('{yyyy}', String(intBetween(rng, 2024, 2026)))
    .replace('{mm}', String(intBetween(rng, 1, 12)).padStart(2, '0'))
    .replace('{party}', pick(rng, family.parties).replace(/\s+/g, '-'));
}

const CURRENCIES = ['EUR', 'USD', 'GBP', 'CHF', 'JPY'];

export function fieldValue(kind: FieldKind, family: Family, rng: Rng): string | number {
  switch (kind) {
    case 'id':
      return `${pick(rng, ['INV', 'PO', 'DN', 'CL', 'BL', 'D'])}-${intBetween(rng, 2024, 2026)}-${String(intBetween(rng, 1, 99_999)).padStart(5, '0')}`;
    case 'date':
      return `${intBetween(rng, 2024, 2026)}-${String(intBetween(rng, 1, 12)).padStart(2, '0')}-${String(intBetween(rng, 1, 28)).padStart(2, '0')}`;
    case 'money':
      return Math.round(rng() * 25_000_00) / 100;
    case 'currency':
      return pick(rng, CURRENCIES);
    case 'party':
      return pick(rng, family.parties);
    case 'iban':
      return `FR76 3000 ${intBetween(rng, 1000, 9999)} ${intBetween(rng, 1000, 9999)} ${intBetween(rng, 1000, 9999)} ${intBetween(rng, 100, 999)}`;
    case 'count':
      return intBetween(rng, 1, 40);
    case 'code':
      return `${String.fromCharCode(65 + intBetween(rng, 0, 25))}${String.fromCharCode(65 + intBetween(rng, 0, 25))}${intBetween(rng, 100_000, 999_999)}`;
    case 'text':
      return pick(rng, ['as agreed', 'see annex 2', 'standard terms', 'urgent — call before delivery']);
  }
}
