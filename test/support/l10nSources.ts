/**
 * What the localisation tests read in the sources: the messages handed to the translators, the
 * modules a webview bundles, and the string literals that look like prose.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

export const SRC = path.resolve(__dirname, '../../../src');

export function sourceFiles(dir: string = SRC): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(full) : entry.name.endsWith('.ts') ? [full] : [];
  });
}

export function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
}

/** The literal messages of an argument: a literal, or each side of a conditional; undefined when computed. */
function literals(node: ts.Expression): string[] | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
    return [node.text];
  }
  if (ts.isParenthesizedExpression(node)) {
    return literals(node.expression);
  }
  if (ts.isConditionalExpression(node)) {
    const both = [literals(node.whenTrue), literals(node.whenFalse)];
    return both[0] && both[1] ? [...both[0], ...both[1]] : undefined;
  }
  return undefined;
}

export interface Message {
  text: string;
  where: string;
}

/** Every message handed to a translator whose call matches `callee` (the first argument's literals). */
export function messagesIn(files: readonly string[], callee: RegExp): { messages: Message[]; computed: string[] } {
  const messages: Message[] = [];
  const computed: string[] = [];
  for (const file of files) {
    const source = parse(file);
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && callee.test(node.expression.getText(source)) && node.arguments.length > 0) {
        const where = `${path.relative(SRC, file)}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}`;
        const found = literals(node.arguments[0]);
        if (found) {
          messages.push(...found.map((text) => ({ text, where })));
        } else {
          computed.push(where);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return { messages, computed };
}

/** The modules an entry point loads at run time (relative imports, type-only ones left out), itself included. */
export function importClosure(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) {
      return;
    }
    seen.add(file);
    const source = parse(file);
    for (const statement of source.statements) {
      if (!ts.isImportDeclaration(statement) || statement.importClause?.isTypeOnly || !ts.isStringLiteral(statement.moduleSpecifier)) {
        continue;
      }
      const specifier = statement.moduleSpecifier.text;
      const bindings = statement.importClause?.namedBindings;
      const onlyTypes = bindings && ts.isNamedImports(bindings) && bindings.elements.length > 0 && bindings.elements.every((element) => element.isTypeOnly);
      if (specifier.startsWith('.') && !onlyTypes) {
        visit(path.resolve(path.dirname(file), `${specifier}.ts`));
      }
    }
  };
  visit(entry);
  return [...seen];
}

/** Where the webviews' scripts start (esbuild.js bundles each on its own). */
export const WEBVIEW_ENTRIES = ['webview/panel.ts', 'webview/runsTable.ts'].map((entry) => path.join(SRC, entry));

/** The messages a webview page asks its host to translate: its own `t(…)`, and `l10n.t(…)` of the shared modules it bundles. */
export function webviewMessages(): { messages: Message[]; computed: string[] } {
  const files = [...new Set(WEBVIEW_ENTRIES.flatMap(importClosure))];
  const own = messagesIn(
    files.filter((file) => file.includes(`${path.sep}webview${path.sep}`)),
    /^t$/,
  );
  const shared = messagesIn(
    files.filter((file) => !file.includes(`${path.sep}webview${path.sep}`)),
    /(^|\.)l10n\.t$/,
  );
  return { messages: [...own.messages, ...shared.messages], computed: [...own.computed, ...shared.computed] };
}

const WORD = 'A-Za-zÀ-ÖØ-öø-ÿ';
const TWO_WORDS = new RegExp(`[${WORD}]{2,}[,.:;!?'’…)\\]"”*]*\\s+[(\\["“‘'*]*[${WORD}]{2,}`);
const ONE_CAPITALISED_WORD = /^[A-Z][a-z]{2,}[.…:]?$/;

/**
 * Whether a literal (its placeholders as `{0}`) reads as words for a person: two words, a
 * capitalised word alone ("Refresh"), or words around values ("score {0}"). Paths, ids, CSS,
 * settings and command names do not.
 */
export function looksLikeProse(given: string): boolean {
  // Theme icons ($(edit)) are not words, but what follows them may be.
  const text = given.replace(/\$\([\w~-]+\)/g, ' ');
  const stripped = text.replace(/\{\d+\}/g, ' ').trim();
  if (!/[A-Za-z]{2,}/.test(stripped) || /=>|^\.|^#|^--|^[a-z][\w-]*\/|^https?:|^\$\(|^[a-z_]+(\.[a-z_]+)+$|^\//.test(stripped)) {
    return false;
  }
  if (/\{\d+\}/.test(text) && /\s/.test(text.trim()) && /[A-Za-z]{3,}/.test(text.replace(/\{\d+\}/g, ''))) {
    return true;
  }
  return TWO_WORDS.test(stripped) || ONE_CAPITALISED_WORD.test(stripped);
}

/** Calls whose string arguments are never shown as such: logs, bugs, patterns, ids, DOM and storage plumbing. */
const PLUMBING_CALLEE =
  /(^|\.)(log|logger|console|channel|output)\.(info|warn|error|debug|trace|appendLine|append)$|^(say|onLog|warn|require|reportInternal|logRequest)$|(^|\.)(say|onLog|logRequest|log)$|RegExp$|\.(test|match|matchAll|replace|replaceAll|split|startsWith|endsWith|includes|indexOf|get|has|delete|querySelector|querySelectorAll|getAttribute|closest|createElement|getElementById|postMessage|addEventListener|toggle|add|remove|update|store|fire)$|executeCommand$|setContext$|getConfiguration$|registerCommand$|Uri\.(parse|file|joinPath|from)$|createTestItem$|createTestController$|createStatusBarItem$|createOutputChannel$|ThemeIcon$|ThemeColor$|createWebviewPanel$|registerWebviewPanelSerializer$|TestTag$|^(Error|TypeError|RangeError|SyntaxError)$/;
/** Object keys whose values are identifiers, not words. */
const PLUMBING_KEYS = new Set([
  'command',
  'id',
  'kind',
  'contextValue',
  'language',
  'languageId',
  'scheme',
  'viewType',
  'icon',
  'codicon',
  'type',
  'method',
  'path',
  'role',
  'className',
  'class',
  'key',
  'mode',
  'state',
  'group',
  'when',
  'authority',
  'query',
  'fragment',
  'pattern',
]);
const TRANSLATORS = /(^|\.)l10n\.t$|^tHtml$|^t$/;

export interface Unlocalised {
  where: string;
  text: string;
}

/**
 * A `// l10n-exempt: why` comment on the literal's line or the line before it, or before the
 * statement or property that holds it, says the text is not for translation (a CSP, a header).
 */
function exempted(source: ts.SourceFile, node: ts.Node): boolean {
  const lines = source.text.split('\n');
  const marked = (at: ts.Node): boolean => {
    const line = source.getLineAndCharacterOfPosition(at.getStart(source)).line;
    return [lines[line], lines[line - 1]].some((text) => text !== undefined && text.includes('l10n-exempt:'));
  };
  for (let at: ts.Node | undefined = node; at && !ts.isSourceFile(at); at = at.parent) {
    if (marked(at)) {
      return true;
    }
    if (ts.isStatement(at) || ts.isClassElement(at)) {
      return false;
    }
  }
  return false;
}

/** Why a literal is not shown as it is (an argument of a translator, a log line, a key…); undefined when it would be shown. */
function plumbing(node: ts.Node, source: ts.SourceFile): boolean {
  let child: ts.Node = node;
  for (let parent = node.parent; parent; child = parent, parent = parent.parent) {
    if (ts.isImportDeclaration(parent) || ts.isExportDeclaration(parent) || ts.isLiteralTypeNode(parent) || ts.isExternalModuleReference(parent)) {
      return true;
    }
    if ((ts.isCaseClause(parent) && parent.expression === child) || (ts.isElementAccessExpression(parent) && parent.argumentExpression === child)) {
      return true;
    }
    if (ts.isPropertyAssignment(parent) && (parent.name === child || PLUMBING_KEYS.has(parent.name.getText(source).replace(/['"]/g, '')))) {
      return true;
    }
    if ((ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.arguments?.some((argument) => argument === child)) {
      const callee = parent.expression.getText(source);
      if (TRANSLATORS.test(callee) || PLUMBING_CALLEE.test(callee) || (callee === 'element' && parent.arguments[1] === child)) {
        return true;
      }
    }
    if (ts.isBlock(parent) || ts.isSourceFile(parent)) {
      return false;
    }
  }
  return false;
}

/** Text nodes and word-bearing attributes of an `html` template that are not translated. */
function untranslatedMarkup(template: ts.TemplateLiteral): string[] {
  const parts = ts.isNoSubstitutionTemplateLiteral(template)
    ? [template.text]
    : [template.head.text, ...template.templateSpans.map((span) => span.literal.text)];
  const flat = parts.join('{0}');
  const found: string[] = [];
  for (const match of flat.matchAll(/>([^<]*)</g)) {
    const text = match[1].replace(/&[a-z]+;/g, ' ').trim();
    if (text && looksLikeProse(text)) {
      found.push(text);
    }
  }
  for (const match of flat.matchAll(/\b(?:title|aria-label|placeholder|alt)="([^"]*)"/g)) {
    if (looksLikeProse(match[1])) {
      found.push(match[1]);
    }
  }
  const leading = /^([^<]*)</.exec(flat)?.[1]?.trim();
  if (leading && looksLikeProse(leading) && !/="/.test(leading)) {
    found.push(leading);
  }
  return found;
}

/** Every literal in the sources that would reach a person without going through a translator. */
export function unlocalisedStrings(files: readonly string[]): Unlocalised[] {
  const found: Unlocalised[] = [];
  for (const file of files) {
    const source = parse(file);
    const at = (node: ts.Node): string => `${path.relative(SRC, file)}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}`;
    const visit = (node: ts.Node): void => {
      if (ts.isTaggedTemplateExpression(node) && node.tag.getText(source) === 'html') {
        if (!exempted(source, node)) {
          found.push(...untranslatedMarkup(node.template).map((text) => ({ where: at(node), text })));
        }
        if (!ts.isNoSubstitutionTemplateLiteral(node.template)) {
          node.template.templateSpans.forEach((span) => visit(span.expression));
        }
        return;
      }
      let text: string | undefined;
      if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
        text = node.text;
      } else if (ts.isTemplateExpression(node)) {
        text = node.head.text + node.templateSpans.map((span, index) => `{${index}}${span.literal.text}`).join('');
      }
      if (text !== undefined && looksLikeProse(text) && !plumbing(node, source) && !exempted(source, node)) {
        found.push({ where: at(node), text });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}
