/**
 * Every string a person reads goes through `l10n.t`: English source text with `{0}`-style
 * placeholders, the key of `l10n/bundle.l10n.<language>.json`. This module knows nothing of VS Code
 * (the API, data and analysis layers and the pure renderers use it, and unit tests run it in plain
 * Node, in English); the extension hands it VS Code's translator when it activates.
 * Call it when a string is shown, never in a module-level constant: the translator is set in
 * `activate`, after every module was loaded.
 */
export type Translate = (message: string, args: ReadonlyArray<string | number | boolean>) => string;

let translate: Translate | undefined;
let locale = 'en';

export const l10n = {
  t(message: string, ...args: Array<string | number | boolean>): string {
    return translate ? translate(message, args) : formatMessage(message, args);
  },
};

/** Set by the extension when it activates (VS Code's `l10n.t`), and its display language. */
export function useTranslator(translator: Translate | undefined, language = 'en'): void {
  translate = translator;
  locale = language;
}

/** VS Code's display language ("en", "fr", "pt-br"): numbers, dates and durations follow it. */
export function displayLocale(): string {
  return locale;
}

/** `{0}`, `{1}`… replaced by the arguments, as VS Code's own `l10n.t` does. */
export function formatMessage(message: string, args: ReadonlyArray<string | number | boolean>): string {
  return message.replace(/\{(\d+)\}/g, (match, index: string) => {
    const value = args[Number(index)];
    return value === undefined ? match : String(value);
  });
}
