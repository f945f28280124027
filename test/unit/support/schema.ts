/**
 * A tiny structural validator for the sandbox's contract tests: just enough to write down what an
 * SDK type (zod or pydantic) requires of a JSON value. Objects accept unknown keys, as both SDKs
 * do (`passthrough` / `extra="ignore"`); a field is required unless wrapped in `opt` (the SDK has a
 * default or makes it optional) and is non-null unless wrapped in `nullable`.
 */

export interface Schema {
  readonly name: string;
  /** Pushes one message per problem found at `path`. */
  check: (value: unknown, path: string, issues: string[]) => void;
}

interface FieldSchema extends Schema {
  readonly optional?: true;
}

const make = (name: string, check: Schema['check']): Schema => ({ name, check });

const typeOf = (value: unknown): string => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);

export const str: Schema = make('string', (value, path, issues) => {
  if (typeof value !== 'string') {
    issues.push(`${path}: expected a string, got ${typeOf(value)}`);
  }
});

export const num: Schema = make('number', (value, path, issues) => {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    issues.push(`${path}: expected a number, got ${typeOf(value)}`);
  }
});

/** Python `int`: a whole number. */
export const int: Schema = make('integer', (value, path, issues) => {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    issues.push(`${path}: expected an integer, got ${JSON.stringify(value)}`);
  }
});

export const bool: Schema = make('boolean', (value, path, issues) => {
  if (typeof value !== 'boolean') {
    issues.push(`${path}: expected a boolean, got ${typeOf(value)}`);
  }
});

export const anyValue: Schema = make('any', () => undefined);

/** Python `datetime.datetime` from JSON: an ISO 8601 string, with or without a zone (a zone-less one is UTC). */
export const datetime: Schema = make('datetime', (value, path, issues) => {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(value) || Number.isNaN(Date.parse(value))) {
    issues.push(`${path}: expected an ISO 8601 date-time, got ${JSON.stringify(value)}`);
  }
});

export function literal(...values: ReadonlyArray<string | number | boolean>): Schema {
  return make(values.map((value) => JSON.stringify(value)).join(' | '), (value, path, issues) => {
    if (!values.includes(value as string | number | boolean)) {
      issues.push(`${path}: expected one of ${values.map((candidate) => JSON.stringify(candidate)).join(', ')}, got ${JSON.stringify(value)}`);
    }
  });
}

export function nullable(inner: Schema): Schema {
  return make(`${inner.name} | null`, (value, path, issues) => {
    if (value !== null) {
      inner.check(value, path, issues);
    }
  });
}

/** The key may be absent (the SDK fills a default or leaves it undefined). */
export function opt(inner: Schema): FieldSchema {
  return { ...make(`${inner.name}?`, inner.check), optional: true };
}

export function arrayOf(item: Schema): Schema {
  return make(`${item.name}[]`, (value, path, issues) => {
    if (!Array.isArray(value)) {
      issues.push(`${path}: expected an array, got ${typeOf(value)}`);
      return;
    }
    value.forEach((entry, index) => item.check(entry, `${path}[${index}]`, issues));
  });
}

export function recordOf(entry: Schema): Schema {
  return make(`Record<string, ${entry.name}>`, (value, path, issues) => {
    if (typeOf(value) !== 'object') {
      issues.push(`${path}: expected an object, got ${typeOf(value)}`);
      return;
    }
    for (const [key, field] of Object.entries(value as Record<string, unknown>)) {
      entry.check(field, `${path}.${key}`, issues);
    }
  });
}

export function object(name: string, shape: Readonly<Record<string, FieldSchema>>): Schema {
  return make(name, (value, path, issues) => {
    if (typeOf(value) !== 'object') {
      issues.push(`${path}: expected ${name} (an object), got ${typeOf(value)}`);
      return;
    }
    const record = value as Record<string, unknown>;
    for (const [key, field] of Object.entries(shape)) {
      if (!(key in record)) {
        if (!field.optional) {
          issues.push(`${path}.${key}: required by ${name} but missing`);
        }
        continue;
      }
      field.check(record[key], `${path}.${key}`, issues);
    }
  });
}

/** A union told apart by one key's value (zod `discriminatedUnion`, pydantic `discriminator=`). */
export function tagged(name: string, key: string, variants: Readonly<Record<string, Schema>>): Schema {
  return make(name, (value, path, issues) => {
    if (typeOf(value) !== 'object') {
      issues.push(`${path}: expected ${name} (an object), got ${typeOf(value)}`);
      return;
    }
    const tag = (value as Record<string, unknown>)[key];
    const variant = typeof tag === 'string' ? variants[tag] : undefined;
    if (!variant) {
      issues.push(`${path}.${key}: ${name} has no variant ${JSON.stringify(tag)} (known: ${Object.keys(variants).join(', ')})`);
      return;
    }
    variant.check(value, path, issues);
  });
}

/** A plain union: the value must satisfy at least one member. */
export function anyOf(name: string, ...members: Schema[]): Schema {
  return make(name, (value, path, issues) => {
    const attempts = members.map((member) => {
      const found: string[] = [];
      member.check(value, path, found);
      return found;
    });
    if (attempts.every((found) => found.length > 0)) {
      const closest = attempts.reduce((best, found) => (found.length < best.length ? found : best));
      issues.push(`${path}: matches no member of ${name}; closest (${members[attempts.indexOf(closest)].name}): ${closest.join('; ')}`);
    }
  });
}

/** Every problem with `value`, or none. */
export function validate(schema: Schema, value: unknown, path = '$'): string[] {
  const issues: string[] = [];
  schema.check(value, path, issues);
  return issues;
}
