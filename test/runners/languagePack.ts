/**
 * A display language for the UI tests. Microsoft's language packs come from the marketplace, which
 * this machine cannot reach. test/fixtures/french-language-pack holds a French pack with no
 * translations of VS Code's own strings; registering it in the user data's languagepacks.json (what
 * VS Code writes when a pack is installed) and starting with `--locale fr` makes the workbench run
 * in French as far as extensions can tell — `vscode.env.language`, their package.nls.fr.json and
 * l10n bundles — while VS Code's own menus stay English.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '../../..');
const PACKS: Record<string, { folder: string; label: string }> = {
  fr: { folder: path.join(REPO_ROOT, 'test', 'fixtures', 'french-language-pack'), label: 'français' },
};

/** Registers the language's pack in the user data folder; fails loudly when there is none. */
export function registerLanguagePack(locale: string, userDataDir: string): void {
  const pack = PACKS[locale];
  if (!pack) {
    throw new Error(`no language pack fixture for "${locale}" (have: ${Object.keys(PACKS).join(', ')})`);
  }
  const manifest = JSON.parse(fs.readFileSync(path.join(pack.folder, 'package.json'), 'utf8')) as { publisher: string; name: string; version: string };
  const translations = path.join(pack.folder, 'translations', 'main.i18n.json');
  if (!fs.existsSync(translations)) {
    throw new Error(`${translations} is missing`);
  }
  fs.mkdirSync(userDataDir, { recursive: true });
  const entry = {
    hash: `${manifest.name}-${manifest.version}`.replace(/[^\w-]/g, ''),
    extensions: [{ extensionIdentifier: { id: `${manifest.publisher}.${manifest.name}` }, version: manifest.version }],
    translations: { vscode: translations },
    label: pack.label,
  };
  fs.writeFileSync(path.join(userDataDir, 'languagepacks.json'), JSON.stringify({ [locale]: entry }));
}
