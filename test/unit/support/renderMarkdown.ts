/**
 * Renders Markdown as a CommonMark renderer with bare-URL autolinks would (VS Code's renders
 * GFM), so tests can check what a hover or tooltip really shows: which links, images and code
 * spans it holds. markdown-it comes with @vscode/vsce, a dev dependency.
 */
interface MarkdownIt {
  render(source: string): string;
}
type MarkdownItConstructor = new (options: { html: boolean; linkify: boolean }) => MarkdownIt;

// markdown-it ships no type declarations here (it comes with @vscode/vsce): required and typed by hand.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const MarkdownItClass = require('markdown-it') as MarkdownItConstructor;
const renderer = new MarkdownItClass({ html: false, linkify: true });

export interface RenderedMarkdown {
  html: string;
  /** Every link target, decoded as the browser would see it. */
  links: string[];
  images: number;
  /** The text of every inline code span. */
  codeSpans: string[];
  /** What the reader sees, tags removed and entities decoded. */
  text: string;
}

export function renderMarkdown(source: string): RenderedMarkdown {
  const html = renderer.render(source);
  return {
    html,
    links: [...html.matchAll(/<a href="([^"]*)"/g)].map((match) => decodeEntities(match[1])),
    images: (html.match(/<img\b/g) ?? []).length,
    codeSpans: [...html.matchAll(/<code>([^<]*)<\/code>/g)].map((match) => decodeEntities(match[1])),
    text: decodeEntities(html.replace(/<[^>]*>/g, '')),
  };
}

function decodeEntities(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}
