import type { FileIdentity } from '../../core/scan/types.js';

/** How the corpus scanner reads a document. */
export const CORPUS_FORMATS = ['html', 'markdown', 'text', 'json', 'jsonl'] as const;

/** One of {@link CORPUS_FORMATS}. */
export type CorpusFormat = (typeof CORPUS_FORMATS)[number];

/**
 * Sniffed kinds the corpus scanner reads. Markdown and HTML are text to the sniffer, and a README
 * with an `import` line in a code block sniffs as Python, a short page as CSV: the format is then
 * told by {@link corpusFormatOf}.
 */
export const CORPUS_KINDS: ReadonlySet<string> = new Set(['text', 'json', 'jsonl', 'csv', 'tsv', 'python']);

const HTML_EXTENSIONS = new Set(['html', 'htm', 'xhtml', 'shtml']);
const MARKDOWN_EXTENSIONS = new Set(['md', 'markdown', 'mdown', 'mkd', 'mkdn', 'mdx']);
const TEXT_EXTENSIONS = new Set(['txt', 'text', 'log']);
const JSON_LINES_EXTENSIONS = new Set(['jsonl', 'ndjson']);
/** An HTML document's start: a doctype, `<html>`, `<head>` or `<body>`, after an optional comment. */
const HTML_START = /^\s*(?:<!--[\s\S]*?-->\s*)*<(?:!doctype\s+html|html|head|body)[\s>]/iu;
/** Markup that only HTML has, near the start of a document without a doctype. */
const HTML_ELEMENTS = /<(?:p|div|span|a|h[1-6]|ul|ol|li|table|section|article|br)(?:\s[^<>]*)?>/giu;

/**
 * How to read a document: by its extension when it names a document format (`.html`, `.md`, `.txt`,
 * `.jsonl`), JSON or JSON Lines when the content sniffed as such, HTML when an extension-less file
 * starts like an HTML document (`head` is the start of its decoded text), otherwise plain text.
 * The extension decides between formats a renderer would apply, which content alone cannot tell.
 */
export function corpusFormatOf(path: string, identity: FileIdentity, head: string): CorpusFormat {
  const extension = extensionOf(path);
  if (HTML_EXTENSIONS.has(extension)) return 'html';
  if (MARKDOWN_EXTENSIONS.has(extension)) return 'markdown';
  if (TEXT_EXTENSIONS.has(extension)) return 'text';
  if (JSON_LINES_EXTENSIONS.has(extension)) return 'jsonl';
  if (identity.kind === 'jsonl') return 'jsonl';
  if (identity.kind === 'json') return 'json';
  return looksLikeHtml(head) ? 'html' : 'text';
}

/** Tells whether the start of a document is HTML: a document start, or several HTML elements. */
export function looksLikeHtml(head: string): boolean {
  if (HTML_START.test(head)) return true;
  const start = head.trimStart();
  if (!start.startsWith('<')) return false;
  return (start.slice(0, 4096).match(HTML_ELEMENTS)?.length ?? 0) >= 2;
}

/** Whether a format is read through the JSON readers (streamed) rather than whole. */
export function isJsonFormat(format: CorpusFormat): format is 'json' | 'jsonl' {
  return format === 'json' || format === 'jsonl';
}

function extensionOf(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? '' : name.slice(dot + 1).toLowerCase();
}
