/**
 * The fonts the UI tests render with, from npm packages (devDependencies), so that screenshots look
 * the same on every machine and file names in Japanese, Cyrillic or accented Latin never show as
 * empty boxes, whatever fonts the system has (a machine with only Node and npm has none).
 *
 * - dejavu-fonts-ttf: DejaVu Sans, Serif and Sans Mono (Latin with accents, Cyrillic, Greek, №…).
 * - @expo-google-fonts/noto-sans-jp: Noto Sans JP, regular and bold (kana and kanji: 請求書, 納品書;
 *   it also has Latin and Cyrillic). Not in it: Korean, and simplified-only hanzi such as 发.
 *
 * The browser gets them through fontconfig: FONTCONFIG_FILE points at a config, written into
 * `.vscode-test/fonts/`, that lists only these folders (the system's fonts are left out on purpose)
 * and makes the generic families (sans-serif, serif, monospace, system-ui) DejaVu then Noto Sans JP.
 * Debian's Chromium (system fontconfig) and the npm headless shell (its own fontconfig) both honour it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '../../..');

/** Font folders inside node_modules, each with the package that brings it. */
const FONT_DIRS: { pkg: string; dir: string }[] = [
  { pkg: 'dejavu-fonts-ttf', dir: 'ttf' },
  { pkg: '@expo-google-fonts/noto-sans-jp', dir: '400Regular' },
  { pkg: '@expo-google-fonts/noto-sans-jp', dir: '700Bold' },
];

const SANS = ['DejaVu Sans', 'Noto Sans JP'];
const SERIF = ['DejaVu Serif', 'Noto Sans JP'];
const MONO = ['DejaVu Sans Mono', 'Noto Sans JP'];

export function fontsDir(): string {
  return path.join(REPO_ROOT, '.vscode-test', 'fonts');
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function alias(family: string, prefer: string[]): string {
  return `  <alias binding="same"><family>${family}</family><prefer>${prefer.map((f) => `<family>${f}</family>`).join('')}</prefer></alias>`;
}

/**
 * Writes the fontconfig file (when it changed) and returns its path. Throws when a font package is
 * missing from node_modules.
 */
export function writeFontConfig(): string {
  const dirs = FONT_DIRS.map(({ pkg, dir }) => {
    const folder = path.join(REPO_ROOT, 'node_modules', pkg, dir);
    if (!fs.existsSync(folder)) {
      throw new Error(`the font folder ${folder} is missing: run \`npm ci\` (the fonts come from the devDependency ${pkg})`);
    }
    return folder;
  });
  const out = fontsDir();
  const config = [
    '<?xml version="1.0"?>',
    '<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">',
    '<!-- Written by test/runners/fonts.ts: the fonts the UI tests render with, from npm packages only. -->',
    '<fontconfig>',
    ...dirs.map((dir) => `  <dir>${escapeXml(dir)}</dir>`),
    `  <cachedir>${escapeXml(path.join(out, 'cache'))}</cachedir>`,
    // A family that is none of these (system-ui, Ubuntu, Segoe UI…) falls back to sans-serif, as the
    // system's 49-sansserif.conf would do.
    '  <match target="pattern">',
    '    <test qual="all" name="family" compare="not_eq"><string>sans-serif</string></test>',
    '    <test qual="all" name="family" compare="not_eq"><string>serif</string></test>',
    '    <test qual="all" name="family" compare="not_eq"><string>monospace</string></test>',
    '    <edit name="family" mode="append_last"><string>sans-serif</string></edit>',
    '  </match>',
    alias('system-ui', SANS),
    alias('sans-serif', SANS),
    alias('serif', SERIF),
    alias('monospace', MONO),
    '</fontconfig>',
    '',
  ].join('\n');
  const file = path.join(out, 'fonts.conf');
  fs.mkdirSync(out, { recursive: true });
  let current: string | undefined;
  try {
    current = fs.readFileSync(file, 'utf8');
  } catch {
    // not written yet
  }
  if (current !== config) {
    fs.writeFileSync(file, config);
  }
  return file;
}

/** The environment that makes a browser use these fonts and only these. */
export function fontEnv(): Record<string, string> {
  return { FONTCONFIG_FILE: writeFontConfig() };
}
