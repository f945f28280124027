import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { WEBVIEW_MESSAGES } from '../../src/protocol/webviewStrings';
import { displayLocale, formatMessage, l10n, useTranslator } from '../../src/l10n';
import { formatDuration, formatScore, formatTimestamp, plural } from '../../src/format';
import { tHtml } from '../../src/ui/shared/html';
import { SRC, messagesIn, sourceFiles, unlocalisedStrings, webviewMessages } from '../support/l10nSources';

const ROOT = path.resolve(SRC, '..');
const readJson = (file: string): Record<string, unknown> => JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8')) as Record<string, unknown>;
/** Where a message may be computed: the translators themselves, and the list the pages ask for. */
const TRANSLATOR_FILES = ['extension.ts', 'ui/shared/html.ts', 'ui/shared/webviewStrings.ts', 'webview/strings.ts'];
/** Log lines (read in English, like every log) and the pages' list of messages itself. */
const NOT_SHOWN = ['api/detection.ts', 'ui/log/', 'protocol/webviewStrings.ts'];

function hostMessages(): ReturnType<typeof messagesIn> {
  return messagesIn(
    sourceFiles().filter((file) => !file.includes(`${path.sep}webview${path.sep}`)),
    /(^|\.)l10n\.t$|^tHtml$/,
  );
}

const placeholders = (text: string): string[] => [...new Set(text.match(/\{\d+\}/g) ?? [])].sort();

/**
 * Everything a person reads goes through localisation, and French has all of it: the sources are
 * read for prose literals that reach no translator, the French bundle and package.nls.fr.json for
 * missing keys, and the pages' list of messages for what their scripts ask.
 */
describe('Localisation', () => {
  afterEach(() => useTranslator(undefined));

  it('shows no string without going through l10n.t, tHtml or a page’s t (exemptions say why, in place)', () => {
    const files = sourceFiles().filter((file) => !NOT_SHOWN.some((part) => path.relative(SRC, file).startsWith(part)));
    const found = unlocalisedStrings(files);
    assert.deepEqual(
      found.map(({ where, text }) => `${where} ${JSON.stringify(text)}`),
      [],
      'wrap these in l10n.t(…) (tHtml in html`…`), or mark them // l10n-exempt: why',
    );
  });

  it('translates only literal messages, so every one can be looked up', () => {
    const computed = [...hostMessages().computed, ...webviewMessages().computed].filter(
      (where) => !TRANSLATOR_FILES.some((file) => where.startsWith(`${file}:`)),
    );
    assert.deepEqual(computed, []);
  });

  it('lists exactly the messages the pages’ scripts ask their host for', () => {
    const asked = [...new Set(webviewMessages().messages.map((message) => message.text))].sort();
    assert.deepEqual([...WEBVIEW_MESSAGES].sort(), asked);
  });

  it('has a French translation of every message, with the same placeholders, and nothing stale', () => {
    const french = readJson('l10n/bundle.l10n.fr.json');
    const messages = new Set([...hostMessages().messages, ...webviewMessages().messages].map((message) => message.text));
    const missing = [...messages].filter((message) => typeof french[message] !== 'string' || french[message] === '');
    assert.deepEqual(missing, [], 'missing from l10n/bundle.l10n.fr.json');
    for (const message of messages) {
      assert.deepEqual(placeholders(String(french[message])), placeholders(message), `placeholders of ${JSON.stringify(message)}`);
    }
    assert.deepEqual(
      Object.keys(french).filter((key) => !messages.has(key)),
      [],
      'in the French bundle but no longer in the sources',
    );
  });

  it('puts every string of package.json in package.nls.json, all of them translated in package.nls.fr.json', () => {
    const manifest = fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8');
    const english = readJson('package.nls.json');
    const french = readJson('package.nls.fr.json');
    const keys = [...manifest.matchAll(/"%([^%"]+)%"/g)].map((match) => match[1]);
    assert.ok(keys.length > 80);
    for (const key of keys) {
      assert.equal(typeof english[key], 'string', `${key} in package.nls.json`);
    }
    assert.deepEqual(Object.keys(french).sort(), Object.keys(english).sort(), 'package.nls.fr.json has the same keys');
    for (const [key, value] of Object.entries(english)) {
      assert.ok(typeof french[key] === 'string' && french[key] !== '', key);
      // Links to commands stay links to the same commands.
      assert.deepEqual(String(french[key]).match(/\(command:[^)]+\)/g) ?? [], String(value).match(/\(command:[^)]+\)/g) ?? [], key);
    }
    const raw = JSON.parse(manifest) as {
      contributes: { commands: Array<{ title: string }>; walkthroughs: Array<{ steps: Array<{ title: string; description: string }> }> };
    };
    for (const command of raw.contributes.commands) {
      assert.match(command.title, /^%.+%$/, 'every command title is localised');
    }
    for (const step of raw.contributes.walkthroughs[0].steps) {
      assert.match(step.title + step.description, /^%.+%%.+%$/, 'every walkthrough step is localised');
    }
  });

  it('formats numbers, dates and durations in the display language', () => {
    const french = readJson('l10n/bundle.l10n.fr.json') as Record<string, string>;
    // As VS Code's own l10n.t does: the bundle's text, placeholders without an argument kept.
    useTranslator((message, args) => formatMessage(french[message] ?? message, args), 'fr');
    assert.equal(displayLocale(), 'fr');
    assert.equal(formatScore(0.981).replace(/\s/g, ' '), '98,1 %');
    assert.equal(formatDuration(1700), '1,7 s');
    assert.equal(plural(5000, l10n.t('{0} document'), l10n.t('{0} documents')).replace(/\s/g, ' '), '5 000 documents');
    assert.match(formatTimestamp('2026-05-02T11:00:00Z'), /2 mai 2026.*11:00:00 UTC/);
    assert.equal(tHtml('Votes for').value, 'Votes pour');
    useTranslator(undefined);
    assert.equal(formatScore(0.981), '98.1%');
    assert.equal(formatTimestamp('2026-05-02T11:00:00Z'), '2026-05-02 11:00:00 UTC');
  });

  it('escapes a translation for the page, and keeps markup passed as an argument', () => {
    useTranslator((message, args) => formatMessage(message === 'Score {0}' ? '<b>Note</b> {0}' : message, args));
    assert.equal(tHtml('Score {0}', '<i>x</i>').value, '&lt;b&gt;Note&lt;/b&gt; &lt;i&gt;x&lt;/i&gt;');
  });
});
