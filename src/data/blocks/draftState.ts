/**
 * Which workflows' drafts differ from their published version because of an edit made here (a
 * save or restore through the extension), until they are published from here. The server says
 * nothing cheaper about it (comparing every block with the live version is what Publish does);
 * the workflow row reads this to say "draft differs from published".
 */
export class DraftState {
  private readonly edited = new Set<string>();
  private readonly listeners = new Set<() => void>();

  differs(workflowId: string): boolean {
    return this.edited.has(workflowId);
  }

  markEdited(workflowId: string): void {
    if (!this.edited.has(workflowId)) {
      this.edited.add(workflowId);
      this.fire();
    }
  }

  markPublished(workflowId: string): void {
    if (this.edited.delete(workflowId)) {
      this.fire();
    }
  }

  /** Another key or server: nothing known any more. */
  clear(): void {
    this.edited.clear();
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private fire(): void {
    for (const listener of this.listeners) {
      listener();
    }
  }
}
