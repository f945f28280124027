import { RetabError } from '../../api/errors';
import { isSafeId } from '../../api/ids';

/**
 * Tool inputs come from a language model: each field is checked like user input, and a wrong
 * one is named in the error the model reads back.
 */
export type ToolInput = Record<string, unknown>;

export function optionalIdField(input: ToolInput, name: string, prefix?: string): string | undefined {
  const value = input[name];
  if (value === undefined || value === null || value === '') {
    return undefined;
  }
  if (typeof value !== 'string' || !isSafeId(value) || (prefix !== undefined && !value.startsWith(`${prefix}_`))) {
    throw new RetabError('invalid_id', `Input "${name}" must be a Retab id${prefix ? ` starting with "${prefix}_"` : ''}.`);
  }
  return value;
}

export function requiredIdField(input: ToolInput, name: string, prefix?: string): string {
  const value = optionalIdField(input, name, prefix);
  if (value === undefined) {
    throw new RetabError('invalid_id', `Input "${name}" is required.`);
  }
  return value;
}

export function asInput(value: unknown): ToolInput {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new RetabError('invalid_id', 'The tool input must be an object.');
  }
  return value as ToolInput;
}
