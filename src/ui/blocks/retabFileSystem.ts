import { l10n } from '../../l10n';
import * as vscode from 'vscode';
import { BundleError, splitConfig } from '../../analysis/blockBundle';
import { WorkflowBlock } from '../../api/blocks/blockModels';
import { RetabError, toRetabError } from '../../api/errors';
import { BlockDraft } from '../../data/blocks/blockDraft';
import { BlockRepository } from '../../data/blocks/blockRepository';
import { RetabDocumentProvider } from '../documents/retabDocuments';
import { BlockAddress, BlockFileAddress, blockFileUri, blockKey, isBlocksFolder, parseBlockUri, parseChangesUri, parseVersionUri } from './blockUris';
import { changesMarkdown } from './blockVersions';

/** After a save, how long before the server's canonical text is offered to the editor (ms). */
const CANONICAL_DELAY_MS = 100;

/** A stat this soon after the last read of the block uses it (opening reads once; a save's stat + write read once). */
const FRESH_MS = 1_000;

export interface BlockSaveHooks {
  /** The block changed on the server since the editor opened it: write anyway? (modal) */
  confirmOverwrite(address: BlockAddress, file: string): Promise<boolean>;
  /** The server refused a save: its reason, where it points. */
  refused(address: BlockAddress, file: string, error: RetabError | BundleError): void;
  /** A save or restore went through: the server's block after it, and the file written (none for a restore). */
  saved(address: BlockAddress, block: WorkflowBlock, file?: string): void;
  /** The connection in use (its id and name): a block is saved only with the one it was opened with. */
  connection(): { id: string; name: string };
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * The `retab:` file system. Block definitions (`/blocks/…`) are files a person edits and saves:
 * read from the server's draft once per opening, saved with the CLI's conflict rule (the server's
 * config against the one the editor opened from; a change shows VS Code's own save conflict),
 * written with `PATCH {config, config_mode: "replace"}`, and replaced by the server's canonical
 * answer. Every other `retab:` document (artifacts, jobs, errors, fields) is served read-only as
 * before.
 */
export class RetabFileSystem implements vscode.FileSystemProvider {
  private readonly changes = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changes.event;
  private readonly drafts = new Map<string, BlockDraft>();
  private readonly loading = new Map<string, Promise<BlockDraft>>();
  private readonly pending = new Set<NodeJS.Timeout>();
  /** Which connection each open block was read with: ids are only unique within one account. */
  private readonly openedWith = new Map<string, { id: string; name: string }>();

  constructor(
    private readonly blocks: BlockRepository,
    private readonly documents: RetabDocumentProvider,
    private readonly hooks: BlockSaveHooks,
  ) {}

  dispose(): void {
    for (const timer of this.pending) {
      clearTimeout(timer);
    }
    this.changes.dispose();
  }

  /** The draft of an open block, if it is open. */
  draftOf(address: BlockAddress): BlockDraft | undefined {
    return this.drafts.get(blockKey(address));
  }

  /** A block just read by a command that opens it: its files are served from this read (opening costs one request). */
  adopt(address: BlockAddress, block: WorkflowBlock): void {
    const key = blockKey(address);
    const known = this.drafts.get(key);
    // Opened by a command: with the connection in use now, whatever an earlier opening used.
    this.openedWith.set(key, this.hooks.connection());
    if (known) {
      known.observe(block, performance.now());
    } else {
      this.drafts.set(key, new BlockDraft(block, performance.now()));
    }
  }

  /** Forgets every block read (Refresh, another key or server): the next opening reads again. */
  forget(): void {
    this.drafts.clear();
    this.loading.clear();
  }

  watch(): vscode.Disposable {
    // Changes come from saves and restores made here (fired then); the server is not polled.
    return new vscode.Disposable(() => undefined);
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    if (isBlocksFolder(uri)) {
      return { type: vscode.FileType.Directory, ctime: 0, mtime: 0, size: 0 };
    }
    const version = parseVersionUri(uri);
    if (version) {
      if (version.file === undefined) {
        return { type: vscode.FileType.Directory, ctime: 0, mtime: 0, size: 0, permissions: vscode.FilePermission.Readonly };
      }
      const text = await this.versionText(version.versionId, version.blockType, version.file, uri);
      return { type: vscode.FileType.File, ctime: 0, mtime: 0, size: encoder.encode(text).length, permissions: vscode.FilePermission.Readonly };
    }
    const address = parseBlockUri(uri);
    if (!address) {
      return { type: vscode.FileType.File, ctime: 0, mtime: 0, size: 0, permissions: vscode.FilePermission.Readonly };
    }
    const draft = await this.draft(address, { refresh: true });
    if (address.file === undefined) {
      return { type: vscode.FileType.Directory, ctime: 0, mtime: draft.mtime, size: 0 };
    }
    const text = draft.servedFiles().texts.get(address.file);
    if (text === undefined) {
      throw vscode.FileSystemError.FileNotFound(uri);
    }
    const size = encoder.encode(text).length;
    // VS Code sees a save conflict only when both mtime and size moved (its etag is the two): a
    // block changed on the server in another file, or to a text of the same length, still counts.
    const baselineText = draft.files.texts.get(address.file);
    const sameSize = baselineText !== undefined && encoder.encode(baselineText).length === size;
    return { type: vscode.FileType.File, ctime: 0, mtime: draft.mtime, size: draft.remoteChanged && sameSize ? size + 1 : size };
  }

  async readDirectory(uri: vscode.Uri): Promise<[string, vscode.FileType][]> {
    const address = parseBlockUri(uri);
    if (!address || address.file !== undefined) {
      throw vscode.FileSystemError.FileNotADirectory(uri);
    }
    const draft = await this.draft(address, { refresh: false });
    return draft.servedFiles().files.map((file) => [file.path, vscode.FileType.File]);
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const changes = parseChangesUri(uri);
    if (changes) {
      return encoder.encode(await changesMarkdown(this.blocks, changes.fromVersionId, changes.toVersionId));
    }
    const version = parseVersionUri(uri);
    if (version?.file !== undefined) {
      return encoder.encode(await this.versionText(version.versionId, version.blockType, version.file, uri));
    }
    const address = parseBlockUri(uri);
    if (!address) {
      const source = new vscode.CancellationTokenSource();
      try {
        return encoder.encode(await this.documents.provideTextDocumentContent(uri, source.token));
      } finally {
        source.dispose();
      }
    }
    if (address.file === undefined) {
      throw vscode.FileSystemError.FileIsADirectory(uri);
    }
    const draft = await this.draft(address, { refresh: false });
    const text = draft.servedFiles().texts.get(address.file);
    if (text === undefined) {
      throw vscode.FileSystemError.FileNotFound(uri);
    }
    return encoder.encode(text);
  }

  async writeFile(uri: vscode.Uri, content: Uint8Array): Promise<void> {
    const address = parseBlockUri(uri);
    if (!address || address.file === undefined) {
      throw vscode.FileSystemError.NoPermissions(uri);
    }
    const file = address.file;
    const openedWith = this.openedWith.get(blockKey(address));
    if (openedWith && openedWith.id !== this.hooks.connection().id) {
      // Another account's block of the same id must never receive this text.
      throw vscode.FileSystemError.NoPermissions(
        l10n.t('Not saved: this block was opened with the connection “{0}”. Switch back to it to save; your text stays in the editor.', openedWith.name),
      );
    }
    // A save always reads the server first (the CLI's rule), unless the stat VS Code made just before did.
    const draft = await this.draft(address, { refresh: true });
    let config;
    try {
      config = draft.configWith(file, decoder.decode(content));
    } catch (caught) {
      if (caught instanceof BundleError) {
        this.hooks.refused(address, caught.file, caught);
        throw vscode.FileSystemError.Unavailable(l10n.t('Not saved: {0}', caught.message));
      }
      throw caught;
    }
    if (draft.remoteChanged && !(await this.hooks.confirmOverwrite(address, file))) {
      throw vscode.FileSystemError.Unavailable(l10n.t('Not saved: the block changed on the server since you opened it.'));
    }
    let block: WorkflowBlock;
    try {
      block = await this.blocks.replaceConfig(address.blockId, address.workflowId, config);
    } catch (caught) {
      const error = toRetabError(caught);
      this.hooks.refused(address, file, error);
      throw vscode.FileSystemError.Unavailable(l10n.t('Not saved: {0}', error.message));
    }
    this.accept(address, draft, block, file);
    const canonical = draft.files.texts.get(file);
    if (canonical !== undefined && canonical !== decoder.decode(content)) {
      // VS Code records the file's stat right after this write returns, so a change said now would
      // look like no change: the editor takes the server's canonical text on a change said after it.
      const later = setTimeout(() => {
        this.pending.delete(later);
        draft.mtime += 1;
        this.changes.fire([{ type: vscode.FileChangeType.Changed, uri }]);
      }, CANONICAL_DELAY_MS);
      this.pending.add(later);
    }
  }

  /** The server's block after a save or restore made elsewhere here: the files follow it. */
  replaced(address: BlockAddress, block: WorkflowBlock): void {
    const draft = this.drafts.get(blockKey(address));
    if (draft) {
      this.accept(address, draft, block);
    }
  }

  private accept(address: BlockAddress, draft: BlockDraft, block: WorkflowBlock, file?: string): void {
    const before = new Set(draft.files.texts.keys());
    draft.saved(block, performance.now());
    const after = new Set(draft.files.texts.keys());
    const events: vscode.FileChangeEvent[] = [];
    for (const path of after) {
      events.push({ type: before.has(path) ? vscode.FileChangeType.Changed : vscode.FileChangeType.Created, uri: blockFileUri(address, path) });
    }
    for (const path of before) {
      if (!after.has(path)) {
        events.push({ type: vscode.FileChangeType.Deleted, uri: blockFileUri(address, path) });
      }
    }
    this.changes.fire(events);
    this.hooks.saved(address, block, file);
  }

  /** A file of a block version (immutable: read once). */
  private async versionText(versionId: string, blockType: string, file: string, uri: vscode.Uri): Promise<string> {
    let version;
    try {
      version = await this.blocks.getVersion(versionId);
    } catch (caught) {
      const error = toRetabError(caught);
      throw error.kind === 'not_found'
        ? vscode.FileSystemError.FileNotFound(uri)
        : vscode.FileSystemError.Unavailable(l10n.t('Retab: could not read block version {0}: {1}', versionId, error.message));
    }
    const text = splitConfig(version.type || blockType, version.config).texts.get(file);
    if (text === undefined) {
      throw vscode.FileSystemError.FileNotFound(uri);
    }
    return text;
  }

  createDirectory(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  delete(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  rename(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  /** The block's draft: read once per opening; read again when `refresh` and the last read is not fresh. */
  private async draft(address: BlockFileAddress, options: { refresh: boolean }): Promise<BlockDraft> {
    const key = blockKey(address);
    const known = this.drafts.get(key);
    if (known && (!options.refresh || performance.now() - known.fetchedAt < FRESH_MS)) {
      return known;
    }
    const pending = this.loading.get(key);
    if (pending) {
      return pending;
    }
    const load = (async (): Promise<BlockDraft> => {
      try {
        const block = await this.blocks.getBlock(address.blockId, address.workflowId);
        const current = this.drafts.get(key);
        if (current) {
          current.observe(block, performance.now());
          return current;
        }
        const draft = new BlockDraft(block, performance.now());
        this.drafts.set(key, draft);
        if (!this.openedWith.has(key)) {
          this.openedWith.set(key, this.hooks.connection());
        }
        return draft;
      } catch (caught) {
        const error = toRetabError(caught);
        if (error.kind === 'not_found' && !known) {
          throw vscode.FileSystemError.FileNotFound(l10n.t('Retab: {0}', error.message));
        }
        if (known) {
          // Offline or failing: the editor keeps working on what it opened; the save will say.
          return known;
        }
        throw vscode.FileSystemError.Unavailable(l10n.t('Retab: could not read block {0}: {1}', address.blockId, error.message));
      } finally {
        this.loading.delete(key);
      }
    })();
    this.loading.set(key, load);
    return load;
  }
}
