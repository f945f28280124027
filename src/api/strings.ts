/** Without a regex: `/\/+$/` backtracks quadratically on a long run of slashes. */
export function trimTrailingSlashes(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 0x2f) {
    end--;
  }
  return text.slice(0, end);
}
