import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { COMMANDS, CONTEXT_KEYS, JOB_PANEL_VIEW_TYPE, VIEWS } from '../../src/ui/shared/names';

interface MenuEntry {
  command: string;
  when?: string;
  group?: string;
}

interface Manifest {
  activationEvents: string[];
  contributes: {
    commands: Array<{ command: string; title?: string; category?: string }>;
    menus: Record<string, MenuEntry[]>;
    keybindings?: Array<{ command: string; when?: string }>;
    views: Record<string, Array<{ id: string }>>;
    viewsContainers: { activitybar: Array<{ id: string }> };
    viewsWelcome: Array<{ view: string; when?: string; contents: string }>;
  };
}

const ROOT = path.join(__dirname, '../../..');
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Manifest;
const contributes = manifest.contributes;
const commandIds: readonly string[] = Object.values(COMMANDS);
const ourKeys: readonly string[] = Object.values(CONTEXT_KEYS);
/** VS Code's own context keys that our `when` clauses may use. */
const BUILT_IN_KEYS = new Set([
  'view',
  'viewItem',
  'activeWebviewPanelId',
  'controllerId',
  'testId',
  'resourceScheme',
  'resourcePath',
  'explorerResourceIsFolder',
  'isWorkspaceTrusted',
  'focusedView',
  'inDebugMode',
  'true',
  'false',
]);
/** The Testing view's menus name our test controller by its id (src/ui/evals/evalsController.ts). */
const EVALS_CONTROLLER_ID = 'retab.evals';

/** Every `when` clause in the manifest, with where it is. */
function whenClauses(): Array<{ where: string; when: string }> {
  const found: Array<{ where: string; when: string }> = [];
  for (const [menu, entries] of Object.entries(contributes.menus)) {
    entries.forEach((entry, index) => entry.when && found.push({ where: `menus.${menu}[${index}] ${entry.command}`, when: entry.when }));
  }
  (contributes.keybindings ?? []).forEach((entry, index) => entry.when && found.push({ where: `keybindings[${index}]`, when: entry.when }));
  contributes.viewsWelcome.forEach((entry, index) => entry.when && found.push({ where: `viewsWelcome[${index}]`, when: entry.when }));
  return found;
}

/** The terms of a `when` clause: `key`, `!key`, `key == value`, `key =~ /regex/`. */
function terms(when: string): Array<{ key: string; operator?: string; value?: string }> {
  return when
    .split(/&&|\|\|/)
    .map((term) =>
      term
        .trim()
        .replace(/^!\s*/, '')
        .replace(/^\(+|\)+$/g, ''),
    )
    .map((term) => {
      const match = /^([\w.]+)\s*(==|!=|=~)\s*(.+)$/.exec(term);
      return match ? { key: match[1], operator: match[2], value: match[3].trim() } : { key: term };
    });
}

describe('package.json against the names module', () => {
  it('declares every command, each with a title and the Retab category, and nothing else', () => {
    assert.deepEqual(contributes.commands.map((entry) => entry.command).sort(), [...commandIds].sort());
    for (const entry of contributes.commands) {
      assert.ok(entry.title && entry.title.trim().length > 0, `${entry.command} has a title`);
      assert.equal(entry.category, 'Retab', `${entry.command} category`);
    }
  });

  it('names only existing commands in menus, keybindings and welcome links', () => {
    for (const [menu, entries] of Object.entries(contributes.menus)) {
      for (const entry of entries) {
        assert.ok(commandIds.includes(entry.command), `menus.${menu} names unknown command ${entry.command}`);
      }
    }
    for (const entry of contributes.keybindings ?? []) {
      assert.ok(commandIds.includes(entry.command), `keybinding names unknown command ${entry.command}`);
    }
    for (const welcome of contributes.viewsWelcome) {
      for (const link of welcome.contents.matchAll(/\(command:(retab\.[\w.]+)/g)) {
        assert.ok(commandIds.includes(link[1]), `welcome view links unknown command ${link[1]}`);
      }
    }
  });

  it('uses only known context keys in when clauses, and compares views and panels with our ids', () => {
    const clauses = whenClauses();
    assert.ok(clauses.length > 10, 'the manifest has when clauses to check');
    for (const { where, when } of clauses) {
      for (const term of terms(when)) {
        assert.ok(BUILT_IN_KEYS.has(term.key) || ourKeys.includes(term.key), `${where}: unknown context key "${term.key}" in "${when}"`);
        if (term.key === 'view' || term.key === 'focusedView') {
          assert.equal(term.value, VIEWS.experiments, `${where}: ${when}`);
        }
        if (term.key === 'controllerId') {
          assert.equal(term.value, EVALS_CONTROLLER_ID, `${where}: ${when}`);
        }
        if (term.key === 'activeWebviewPanelId') {
          assert.equal(term.value, JOB_PANEL_VIEW_TYPE, `${where}: ${when}`);
        }
      }
    }
  });

  it('reaches every menu and panel action from the palette, and binds keys to the repeated ones', () => {
    // Row mechanics only: a row's click, its retry and "more" rows; the palette has Look Up Job for them.
    const rowOnly = new Set<string>([COMMANDS.openJob, COMMANDS.retryNode, COMMANDS.loadMoreWorkflows, COMMANDS.showMoreDocuments]);
    const hidden = contributes.menus.commandPalette.filter((entry) => entry.when === 'false').map((entry) => entry.command);
    assert.deepEqual(
      hidden.filter((command) => !rowOnly.has(command)),
      [],
      'hidden from the palette',
    );
    const inMenus = new Set(
      Object.entries(contributes.menus)
        .filter(([menu]) => menu !== 'commandPalette')
        .flatMap(([, list]) => list.map((entry) => entry.command)),
    );
    for (const command of inMenus) {
      const entry = contributes.menus.commandPalette.find((candidate) => candidate.command === command);
      assert.ok(!entry || !/\bactiveWebviewPanelId\b|\bview\b/.test(entry.when ?? ''), `${command} works from the palette without its menu's place`);
    }
    const bound = new Set((contributes.keybindings ?? []).map((binding) => binding.command));
    for (const command of [COMMANDS.refresh, COMMANDS.lookupJob, COMMANDS.nextDocument, COMMANDS.previousDocument]) {
      assert.ok(bound.has(command), `${command} has a keybinding`);
    }
  });

  it('has a walkthrough whose steps complete by themselves, with pictures in light and dark that ship', () => {
    const raw = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      contributes: { walkthroughs: Array<{ steps: Array<{ id: string; completionEvents?: string[]; media: { image: Record<string, string> } }> }> };
    };
    const shipped = fs.readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8').split('\n');
    const [walkthrough] = raw.contributes.walkthroughs;
    assert.ok(walkthrough.steps.length >= 5);
    for (const step of walkthrough.steps) {
      assert.ok(step.completionEvents?.length, `${step.id} completes by itself`);
      for (const event of step.completionEvents ?? []) {
        const [kind, name] = event.split(':');
        if (kind === 'onContext') {
          assert.ok(ourKeys.includes(name), `${step.id}: ${name} is one of our context keys`);
        } else {
          assert.equal(kind, 'onCommand');
          assert.ok(commandIds.includes(name), `${step.id}: ${name}`);
        }
      }
      const { light, dark } = step.media.image;
      assert.notEqual(light, dark, `${step.id}: a picture per theme`);
      for (const file of Object.values(step.media.image)) {
        assert.ok(fs.existsSync(path.join(ROOT, file)), `${file} exists`);
        assert.ok(shipped.includes(`!${file}`), `${file} is in the package (.vscodeignore)`);
      }
    }
  });

  it('offers "Clear Document Filter" only while a filter is on', () => {
    const entries = Object.entries(contributes.menus).flatMap(([menu, list]) =>
      list.filter((entry) => entry.command === COMMANDS.clearDocumentFilter).map((entry) => ({ menu, entry })),
    );
    assert.ok(
      entries.some(({ menu }) => menu === 'view/title'),
      'in the view title menu',
    );
    assert.ok(
      entries.some(({ menu }) => menu === 'commandPalette'),
      'hidden from the palette when no filter is on',
    );
    for (const { menu, entry } of entries) {
      assert.ok(
        terms(entry.when ?? '').some((term) => term.key === CONTEXT_KEYS.documentFilterActive && term.operator === undefined),
        `menus.${menu}: ${entry.when ?? '(always)'}`,
      );
    }
  });

  it('declares the views and the panel activation under the names the code uses', () => {
    assert.ok(contributes.viewsContainers.activitybar.some((container) => container.id === VIEWS.container));
    assert.ok((contributes.views[VIEWS.container] ?? []).some((view) => view.id === VIEWS.experiments));
    assert.ok(contributes.viewsWelcome.every((welcome) => welcome.view === VIEWS.experiments));
    assert.ok(manifest.activationEvents.includes(`onWebviewPanel:${JOB_PANEL_VIEW_TYPE}`));
  });
});
