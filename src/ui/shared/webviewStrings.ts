import { l10n, displayLocale } from '../../l10n';
import { WEBVIEW_MESSAGES, WebviewStrings } from '../../protocol/webviewStrings';

/** Placeholders handed to the translator as themselves, so the page fills them in. */
const PLACEHOLDERS = ['{0}', '{1}', '{2}', '{3}', '{4}', '{5}'];

/**
 * The page's strings, translated here (the page cannot reach VS Code's translator), as JSON for
 * the `data-l10n` attribute of its body: data, not a script, and escaped as any attribute value.
 */
export function webviewStringsJson(): string {
  const data: WebviewStrings = {
    locale: displayLocale(),
    strings: Object.fromEntries(WEBVIEW_MESSAGES.map((message) => [message, l10n.t(message, ...PLACEHOLDERS)])),
  };
  return JSON.stringify(data);
}
