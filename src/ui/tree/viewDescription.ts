type Part = 'connection' | 'arrangement';

/**
 * The Experiments view's description (beside its title) says two things: which connection is in
 * use and how documents are arranged. Each owner sets its own part; neither overwrites the other.
 */
export class ViewDescription {
  private readonly parts: Record<Part, string> = { connection: '', arrangement: '' };

  constructor(private readonly view: { description?: string }) {}

  set(part: Part, text: string | undefined): void {
    this.parts[part] = text ?? '';
    const joined = [this.parts.connection, this.parts.arrangement].filter(Boolean).join(' · ');
    this.view.description = joined || undefined;
  }
}
