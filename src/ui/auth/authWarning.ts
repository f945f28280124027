/**
 * A rejected key makes every request fail; the user needs to hear it once, with the fix, not in
 * a popup per request. Said again only after the key has changed.
 */
export class AuthWarning {
  private shown = false;

  constructor(private readonly notify: () => void) {}

  show(): void {
    if (!this.shown) {
      this.shown = true;
      this.notify();
    }
  }

  reset(): void {
    this.shown = false;
  }
}
