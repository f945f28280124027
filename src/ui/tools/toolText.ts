import { l10n } from '../../l10n';
import { jsonText } from '../shared/jsonText';
import { showInvisibles } from '../../format';

/** Compact text a model reads: one fact per line, values clipped, nothing that could carry the key. */
export class ToolText {
  private readonly lines: string[] = [];

  line(text: string): this {
    this.lines.push(text);
    return this;
  }

  toString(): string {
    return this.lines.join('\n');
  }
}

const MAX_VALUE_LENGTH = 300;

/** A server value on one line, clipped: models read long values poorly and they cost context. */
export function valueText(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : jsonText(value, { maxLength: MAX_VALUE_LENGTH * 2 }).replace(/\s*\n\s*/g, ' ');
  const visible = showInvisibles(text);
  return visible.length > MAX_VALUE_LENGTH ? l10n.t('{0}… ({1} characters)', visible.slice(0, MAX_VALUE_LENGTH), visible.length) : visible;
}

export function scoreText(score: number | null): string {
  return score === null ? l10n.t('no score') : `${(score * 100).toFixed(1)}%`;
}

export function changeText(score: number | null, prior: number | null): string {
  if (score === null || prior === null) {
    return '';
  }
  const delta = (score - prior) * 100;
  return Math.abs(delta) < 0.05 ? ' (unchanged)' : l10n.t(' ({0}{1} pts vs prior run)', delta > 0 ? '+' : '', delta.toFixed(1));
}

export function oneLine(text: string, max = 300): string {
  const flat = showInvisibles(text).replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
