import { showInvisibles } from '../../format';
import { l10n } from '../../l10n';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Every server string goes through this before it reaches the webview. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => ESCAPES[char]);
}

/** Tagged template that escapes every interpolated value unless it is already `SafeHtml`. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type HtmlValue = SafeHtml | string | number | null | undefined | HtmlValue[];

function render(value: HtmlValue): string {
  if (value === null || value === undefined) {
    return '';
  }
  if (value instanceof SafeHtml) {
    return value.value;
  }
  if (Array.isArray(value)) {
    return value.map(render).join('');
  }
  // Bidi and zero-width characters in server text are shown, not obeyed (see showInvisibles).
  return escapeHtml(showInvisibles(String(value)));
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0];
  values.forEach((value, index) => {
    out += render(value) + strings[index + 1];
  });
  return new SafeHtml(out);
}

/**
 * Translated text for a page: the message (`{0}`-style placeholders) is translated, escaped, and
 * each placeholder replaced by its value as `html` renders it (strings escaped, `SafeHtml` kept).
 * The arguments are not handed to the translator, so no server text is ever read as markup.
 */
export function tHtml(message: string, ...args: HtmlValue[]): SafeHtml {
  // Private-use characters mark where each argument goes: no translation or escaping produces them.
  const marks = args.map((_, index) => `\uE000${index}\uE001`);
  const translated = escapeHtml(l10n.t(message, ...marks));
  return new SafeHtml(translated.replace(/\uE000(\d+)\uE001/g, (_, index: string) => render(args[Number(index)])));
}
