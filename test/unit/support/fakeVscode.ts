/**
 * Just enough of the `vscode` module for unit tests of UI code in plain Node: hovers, links,
 * tree items and the look-up command. Importing this file installs it; import it before any
 * module that imports 'vscode'.
 */
import Module from 'node:module';

/** VS Code's EventEmitter: what the tree provider and the panel fire their changes with. */
export class EventEmitter<T> {
  private readonly listeners = new Set<(value: T) => void>();
  readonly event = (listener: (value: T) => void): { dispose(): void } => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };
  fire(value: T): void {
    for (const listener of [...this.listeners]) {
      listener(value);
    }
  }
  dispose(): void {
    this.listeners.clear();
  }
}

export class Position {
  constructor(
    readonly line: number,
    readonly character: number,
  ) {}
}

export class Range {
  readonly start: Position;
  readonly end: Position;
  constructor(start: Position | number, end: Position | number, endLine?: number, endCharacter?: number) {
    if (typeof start === 'number' && typeof end === 'number') {
      this.start = new Position(start, end);
      this.end = new Position(endLine ?? start, endCharacter ?? end);
    } else {
      this.start = start as Position;
      this.end = end as Position;
    }
  }
}

/** Only appendMarkdown: server text must go through the ../markdown helpers, never appendText. */
export class MarkdownString {
  isTrusted: boolean | { enabledCommands: readonly string[] } | undefined;
  constructor(
    public value = '',
    readonly supportThemeIcons = false,
  ) {}
  appendMarkdown(value: string): this {
    this.value += value;
    return this;
  }
  appendText(): this {
    throw new Error('appendText is not used: escape with the ../markdown helpers');
  }
  appendCodeblock(): this {
    throw new Error('appendCodeblock is not used: build blocks with codeBlock()');
  }
}

export class Hover {
  constructor(
    readonly contents: MarkdownString,
    readonly range?: Range,
  ) {}
}

export class Uri {
  private constructor(readonly value: string) {}
  static parse(value: string): Uri {
    return new Uri(value);
  }
  toString(): string {
    return this.value;
  }
}

export class DocumentLink {
  tooltip: string | undefined;
  constructor(
    readonly range: Range,
    readonly target?: Uri,
  ) {}
}

export class ThemeColor {
  constructor(readonly id: string) {}
}

export class ThemeIcon {
  constructor(
    readonly id: string,
    readonly color?: ThemeColor,
  ) {}
}

export const TreeItemCollapsibleState = { None: 0, Collapsed: 1, Expanded: 2 } as const;

export class TreeItem {
  id: string | undefined;
  description: string | undefined;
  tooltip: string | MarkdownString | undefined;
  contextValue: string | undefined;
  iconPath: ThemeIcon | undefined;
  command: unknown;
  constructor(
    public label: string,
    readonly collapsibleState: number,
  ) {}
}

export class FileSystemError extends Error {}

export const ProgressLocation = { SourceControl: 1, Window: 10, Notification: 15 } as const;

export interface FakeToken {
  isCancellationRequested: boolean;
  onCancellationRequested(listener: () => void): { dispose(): void };
}

/** A token that can be cancelled from the test. */
export function cancellationToken(): FakeToken & { cancel(): void } {
  const listeners = new Set<() => void>();
  return {
    isCancellationRequested: false,
    onCancellationRequested(listener) {
      listeners.add(listener);
      return { dispose: () => listeners.delete(listener) };
    },
    cancel() {
      this.isCancellationRequested = true;
      for (const listener of listeners) {
        listener();
      }
    },
  };
}

type ProgressTask<T> = (progress: { report(value: unknown): void }, token: FakeToken) => Promise<T>;

/** The window's answers, set by each test. */
export const window = {
  activeTextEditor: undefined as unknown,
  messages: [] as string[],
  progressTitles: [] as string[],
  /** The token handed to progress tasks: cancel it to press the notification's Cancel button. */
  progressToken: cancellationToken(),
  quickPickAnswer: async (items: unknown): Promise<unknown> => {
    await items;
    return undefined;
  },
  async showQuickPick(items: unknown): Promise<unknown> {
    return this.quickPickAnswer(items);
  },
  async showInputBox(): Promise<string | undefined> {
    return undefined;
  },
  async showWarningMessage(message: string): Promise<undefined> {
    this.messages.push(message);
    return undefined;
  },
  async showErrorMessage(message: string): Promise<undefined> {
    this.messages.push(message);
    return undefined;
  },
  async showInformationMessage(message: string): Promise<undefined> {
    this.messages.push(message);
    return undefined;
  },
  async withProgress<T>(options: { title?: string }, task: ProgressTask<T>): Promise<T> {
    this.progressTitles.push(options.title ?? '');
    return task({ report: () => undefined }, this.progressToken);
  },
};

/** A text document over a string: line starts are indexed once, as VS Code does. */
export function textDocument(text: string): {
  getText(range?: Range): string;
  lineAt(line: number): { text: string };
  offsetAt(position: Position): number;
  positionAt(offset: number): Position;
  lineCount: number;
} {
  const lineStarts = [0];
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) {
    lineStarts.push(index + 1);
  }
  const lineEnd = (line: number): number => (line + 1 < lineStarts.length ? lineStarts[line + 1] - 1 : text.length);
  const offsetAt = (position: Position): number => {
    const line = Math.min(Math.max(position.line, 0), lineStarts.length - 1);
    return Math.min(lineStarts[line] + Math.max(position.character, 0), lineEnd(line));
  };
  const positionAt = (offset: number): Position => {
    const clamped = Math.min(Math.max(offset, 0), text.length);
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if (lineStarts[middle] <= clamped) {
        low = middle;
      } else {
        high = middle - 1;
      }
    }
    return new Position(low, clamped - lineStarts[low]);
  };
  return {
    lineCount: lineStarts.length,
    getText: (range) => (range ? text.slice(offsetAt(range.start), offsetAt(range.end)) : text),
    lineAt: (line) => ({ text: text.slice(lineStarts[line], lineEnd(line)) }),
    offsetAt,
    positionAt,
  };
}

const fake = {
  Position,
  Range,
  MarkdownString,
  Hover,
  Uri,
  DocumentLink,
  ThemeColor,
  ThemeIcon,
  TreeItem,
  TreeItemCollapsibleState,
  FileSystemError,
  ProgressLocation,
  EventEmitter,
  window,
};

interface ModuleLoader {
  _load(request: string, parent: unknown, isMain: boolean): unknown;
}

const loader = Module as unknown as ModuleLoader;
const originalLoad = loader._load.bind(loader);
loader._load = (request, parent, isMain) => (request === 'vscode' ? fake : originalLoad(request, parent, isMain));
