import { l10n } from '../../l10n';
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
    throw new RetabError('invalid_id', l10n.t('Input "{0}" must be a Retab id{1}.', name, prefix ? l10n.t(' starting with "{0}_"', prefix) : ''));
  }
  return value;
}

export function requiredIdField(input: ToolInput, name: string, prefix?: string): string {
  const value = optionalIdField(input, name, prefix);
  if (value === undefined) {
    throw new RetabError('invalid_id', l10n.t('Input "{0}" is required.', name));
  }
  return value;
}

export function asInput(value: unknown): ToolInput {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new RetabError('invalid_id', l10n.t('The tool input must be an object.'));
  }
  return value as ToolInput;
}
