import { useTranslator } from '../l10n';
import { WebviewMessage, WebviewStrings } from '../protocol/webviewStrings';

/**
 * The page's strings in the display language: the host put them in its body's `data-l10n` (it
 * alone can reach VS Code's translator); absent or unreadable, the English source is shown.
 */
let loaded: WebviewStrings | undefined;

function strings(): WebviewStrings {
  if (!loaded) {
    loaded = { locale: 'en', strings: {} };
    try {
      const parsed: unknown = JSON.parse(document.body.dataset.l10n ?? 'null');
      if (parsed && typeof parsed === 'object' && 'strings' in parsed && 'locale' in parsed) {
        loaded = parsed as WebviewStrings;
      }
    } catch {
      // English, then: the page still works.
    }
  }
  return loaded;
}

/** A message of the page, `{0}`-style placeholders filled with the arguments. */
export function t(message: WebviewMessage, ...args: Array<string | number>): string {
  return translate(message, args);
}

function translate(message: string, args: ReadonlyArray<string | number | boolean>): string {
  const table: Partial<Record<string, string>> = strings().strings;
  const template = table[message];
  return (typeof template === 'string' ? template : message).replace(/\{(\d+)\}/g, (match, index: string) => {
    const value = args[Number(index)];
    return value === undefined ? match : String(value);
  });
}

/**
 * The shared modules a page bundles (format.ts, the runs table's words) translate through
 * src/l10n.ts: in a page it reads the host's table too, and formats for the page's language.
 */
export function installPageTranslator(): void {
  useTranslator(translate, pageLocale());
}

/** VS Code's display language, for numbers and dates the page formats itself. */
export function pageLocale(): string {
  return strings().locale;
}
