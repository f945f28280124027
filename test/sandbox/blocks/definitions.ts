/**
 * Edited block definitions by fingerprint (content-addressed: the same config is the same
 * definition in every sandbox of a process), so that runs of an edited block vote as its config
 * says (fields.ts): a field missing from the JSON schema is not extracted, a field whose
 * description lost its hint errs more, and a field whose description says where to look (a hint)
 * stops disagreeing.
 */
type Json = Record<string, unknown>;

const configs = new Map<string, Json>();

export function registerDefinition(definition: string, config: Json): void {
  configs.set(definition, config);
}

/** What an edited definition's JSON schema says of a field path (`vendor.vat_id`, `line_items.1.amount`); undefined for a seeded definition. */
export function editedField(definition: string, path: string): { present: boolean; description: string } | undefined {
  const config = configs.get(definition);
  if (!config) {
    return undefined;
  }
  let node: unknown = config.json_schema;
  for (const part of path.split('.')) {
    if (typeof node !== 'object' || node === null) {
      return { present: false, description: '' };
    }
    const schema = node as Json;
    if (/^\d+$/.test(part) && typeof schema.items === 'object') {
      node = schema.items;
      continue;
    }
    const properties = schema.properties;
    node = typeof properties === 'object' && properties !== null ? (properties as Json)[part] : undefined;
  }
  if (typeof node !== 'object' || node === null) {
    return { present: false, description: '' };
  }
  const description = (node as Json).description;
  return { present: true, description: typeof description === 'string' ? description : '' };
}
