import { BundleFiles, assembleConfig, splitConfig } from '../../analysis/blockBundle';
import { bundleConfigHash } from '../../analysis/goJson';
import { WorkflowBlock } from '../../api/blocks/blockModels';
import { JsonObject } from '../../api/validate';

/**
 * One block opened for editing: the config the editor opened from (the baseline, as the CLI's
 * bundle keeps it), its files, and the server's block as last read. The conflict rule is the
 * CLI's: the server changed the block since the baseline when its config's bundle hash differs
 * (not its `updated_at`, which any PATCH bumps, even a move).
 */
export class BlockDraft {
  /** The server's block as last read. */
  remote: WorkflowBlock;
  /** The config the editor holds as saved: what it opened from, or what the last save returned. */
  baseline: JsonObject | null;
  baselineHash: string;
  /** Files of the baseline (what readFile serves while there is no conflict). */
  files: BundleFiles;
  /** Changes when what the files say changes: VS Code's save conflict compares it. */
  mtime: number;
  /** When the server was last asked (ms, performance clock). */
  fetchedAt: number;

  constructor(block: WorkflowBlock, now: number) {
    this.remote = block;
    this.baseline = block.config;
    this.baselineHash = bundleConfigHash(block.config ?? {});
    this.files = splitConfig(block.type, block.config);
    this.mtime = Date.now();
    this.fetchedAt = now;
  }

  get type(): string {
    return this.remote.type;
  }

  /** The server's config is no longer the one the editor opened from. */
  get remoteChanged(): boolean {
    return bundleConfigHash(this.remote.config ?? {}) !== this.baselineHash;
  }

  /** A fresh read of the server's block; says whether it now conflicts (and moves mtime when it starts to). */
  observe(block: WorkflowBlock, now: number): boolean {
    const wasChanged = this.remoteChanged;
    this.remote = block;
    this.fetchedAt = now;
    const changed = this.remoteChanged;
    if (changed && !wasChanged) {
      this.mtime = Date.now();
    }
    return changed;
  }

  /** What a file holds on the server now (the Compare side of a conflict). */
  remoteFiles(): BundleFiles {
    return splitConfig(this.remote.type, this.remote.config);
  }

  /** The files as served: the server's when it changed (VS Code then shows its save conflict), else the baseline's. */
  servedFiles(): BundleFiles {
    return this.remoteChanged ? this.remoteFiles() : this.files;
  }

  /** The config these files make once `path` holds `text` (the other files as saved). Throws BundleError. */
  configWith(path: string, text: string): JsonObject {
    const texts = new Map(this.files.texts);
    texts.set(path, text);
    return assembleConfig(this.type, texts);
  }

  /** The config a set of texts makes (open editors' unsaved texts over the saved ones). Throws BundleError. */
  configFrom(overrides: ReadonlyMap<string, string>): JsonObject {
    const texts = new Map(this.files.texts);
    for (const [path, text] of overrides) {
      texts.set(path, text);
    }
    return assembleConfig(this.type, texts);
  }

  /** The server took a save (or a restore): its canonical answer becomes the baseline. */
  saved(block: WorkflowBlock, now: number): void {
    this.remote = block;
    this.baseline = block.config;
    this.baselineHash = bundleConfigHash(block.config ?? {});
    this.files = splitConfig(block.type, block.config);
    this.mtime = Math.max(Date.now(), this.mtime + 1);
    this.fetchedAt = now;
  }
}
