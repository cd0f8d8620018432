import { BulwarkError } from '../../core/errors.js';
import {
  HIDDEN_TECHNIQUES,
  WorkBudget,
  type HiddenContentOptions,
  type HiddenDocumentKind,
  type HiddenSpan,
  type InvisibleReference,
  type RawHiddenSpan,
} from './hidden-types.js';
import { findHiddenHtml } from './html-hidden.js';
import { findInvisibleCharacters } from './invisible-unicode.js';
import { findHiddenMarkdown } from './markdown-hidden.js';
import { createRegionLocator } from '../../core/source-regions.js';

export {
  HIDDEN_TECHNIQUES,
  type HiddenContentOptions,
  type HiddenDocumentKind,
  type HiddenSpan,
  type HiddenTechnique,
} from './hidden-types.js';

/** Default for {@link HiddenContentOptions.maxChars}. */
export const DEFAULT_MAX_CHARS = 1_000_000;
/** Default for {@link HiddenContentOptions.maxNodes}. */
export const DEFAULT_MAX_NODES = 1_000_000;

const KINDS: readonly HiddenDocumentKind[] = ['html', 'markdown', 'text'];
const TECHNIQUE_ORDER = new Map(HIDDEN_TECHNIQUES.map((technique, i) => [technique, i]));

/**
 * Finds the text of a document that a human reader would not see but a model or an embedder would
 * (control P4, before documents enter a vector store): CSS and attribute hiding, comments,
 * `<noscript>`/`<template>`, `alt`/`title`/`<meta>` text in HTML; alt text, titles, definition
 * titles and raw HTML in Markdown; invisible Unicode in any kind. Each span carries its technique
 * and exact SARIF location in `doc`. Whether a span matters is decided later, with the injection
 * detectors: a hidden navigation menu is reported too. Never throws on malformed markup; throws
 * `LIMIT_EXCEEDED` past the work bounds and `INPUT_INVALID` for a kind it does not read.
 */
export function hiddenContent(
  doc: string,
  kind: HiddenDocumentKind,
  options: HiddenContentOptions = {},
): HiddenSpan[] {
  if (typeof doc !== 'string') throw new BulwarkError('INPUT_INVALID', 'the document must be a string');
  if (!KINDS.includes(kind))
    throw new BulwarkError(
      'INPUT_INVALID',
      `unknown document kind "${String(kind)}": use html, markdown or text`,
    );
  const maxChars = options.maxChars ?? DEFAULT_MAX_CHARS;
  if (doc.length > maxChars)
    throw new BulwarkError(
      'LIMIT_EXCEEDED',
      `document is ${doc.length} characters, over the ${maxChars} checked for hidden content; split it or raise maxChars`,
    );
  const budget = new WorkBudget(
    options.maxNodes ?? DEFAULT_MAX_NODES,
    options.maxTextChars ?? doc.length * 8 + 65_536,
  );
  let found: { spans: RawHiddenSpan[]; references: InvisibleReference[] } = { spans: [], references: [] };
  switch (kind) {
    case 'html':
      found = findHiddenHtml(doc, budget);
      break;
    case 'markdown':
      found = findHiddenMarkdown(doc, budget);
      break;
    case 'text':
      break;
  }
  const spans = [...found.spans, ...findInvisibleCharacters(doc, found.references)];
  spans.sort(
    (a, b) =>
      a.start - b.start ||
      b.end - a.end ||
      (TECHNIQUE_ORDER.get(a.technique) ?? 0) - (TECHNIQUE_ORDER.get(b.technique) ?? 0),
  );
  const locate = createRegionLocator(doc);
  return spans.map((span) => ({
    text: span.text,
    technique: span.technique,
    ...locate(span.start, span.end),
    start: span.start,
    end: span.end,
    ...(span.detail === undefined ? {} : { detail: span.detail }),
  }));
}
