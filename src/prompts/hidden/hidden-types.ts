import { BulwarkError } from '../../core/errors.js';

/**
 * How a span of a document was hidden from a human reader while staying in the text a model or an
 * embedder sees (control P4: indirect prompt injection through documents bound for a vector store).
 */
export const HIDDEN_TECHNIQUES = [
  /** CSS `display: none`. */
  'display-none',
  /** CSS `visibility: hidden` or `collapse` (children may turn visible again). */
  'visibility-hidden',
  /** CSS `opacity` (or `filter: opacity()`) below 0.1, multiplied down the tree. */
  'opacity-zero',
  /** Computed font size of 2px or less (`font-size: 0`, `1px`, `font: 0/0 a`). */
  'tiny-font',
  /** Text colour equal or near-equal to the background it sits on, or transparent text. */
  'colour-matches-background',
  /** Large negative `left`/`top`/`right`, margins, `text-indent` or `translate()`. */
  'off-screen',
  /** `clip`, `clip-path`, a box of 1px or less with hidden overflow, or `scale(0)`. */
  'clipped',
  /** The HTML `hidden` attribute. */
  'hidden-attribute',
  /** `aria-hidden="true"`: removed from the accessibility tree (screen readers skip it). */
  'aria-hidden',
  /** An HTML comment, in HTML or in Markdown. */
  'html-comment',
  /** `<noscript>` content: never shown by a browser running scripts. */
  'noscript',
  /** `<template>` content: inert, never rendered. */
  'template',
  /** An `alt` attribute, or the alt text of a Markdown image. */
  'alt-text',
  /** A `title` attribute (a tooltip), or the title of a Markdown link or image. */
  'title-text',
  /** The title of a Markdown reference definition (`[x]: url "title"`, `[//]: # (comment)`). */
  'definition-title',
  /** The `content` of a `<meta>` element. */
  'meta-content',
  /** Zero-width characters (U+200B–U+200D, U+2060, U+FEFF past the start). */
  'zero-width',
  /** Bidirectional embedding, override and isolate controls (Trojan Source). */
  'bidi-control',
  /** Unicode tag characters (U+E0000–U+E007F), decoded to the ASCII they smuggle. */
  'tag-characters',
  /** Runs of variation selectors, decoded as the bytes they smuggle (one selector per byte). */
  'variation-selectors',
] as const;

/** One of {@link HIDDEN_TECHNIQUES}. */
export type HiddenTechnique = (typeof HIDDEN_TECHNIQUES)[number];

/** The kinds of document {@link hiddenContent} reads. */
export type HiddenDocumentKind = 'html' | 'markdown' | 'text';

/**
 * A span of hidden text and where it sits in the raw document. Lines and columns are 1-based and
 * counted in UTF-16 code units, lines end at CR, LF or CRLF, and `endColumn` is exclusive: the
 * `region` of a SARIF result. `start` and `end` are the same span as 0-based UTF-16 offsets.
 */
export interface HiddenSpan {
  /** The hidden text as a reader-model would get it (entities decoded, HTML whitespace collapsed). */
  readonly text: string;
  readonly technique: HiddenTechnique;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly start: number;
  readonly end: number;
  /** Why the span counts as hidden (the CSS declaration and where it came from, the code points). */
  readonly detail?: string;
}

/** Bounds on the work done for one document; going past one throws `LIMIT_EXCEEDED`. */
export interface HiddenContentOptions {
  /** Longest document accepted, in UTF-16 code units (default 1,000,000). */
  readonly maxChars?: number;
  /** Most HTML nodes or Markdown tokens walked (default 1,000,000). */
  readonly maxNodes?: number;
  /** Most characters gathered into span texts over the document (default 8 × its length + 64 KiB). */
  readonly maxTextChars?: number;
}

/** A hidden span before its offsets are turned into lines and columns. */
export interface RawHiddenSpan {
  readonly technique: HiddenTechnique;
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly detail?: string;
}

/** A character reference (`&#x200B;`, `&zwj;`) whose decoded value is an invisible character. */
export interface InvisibleReference {
  readonly start: number;
  readonly end: number;
  readonly value: string;
}

/** Counts nodes and gathered text against the limits, throwing `LIMIT_EXCEEDED` past them. */
export class WorkBudget {
  #nodes = 0;
  #text = 0;
  readonly #maxNodes: number;
  readonly #maxText: number;

  constructor(maxNodes: number, maxText: number) {
    this.#maxNodes = maxNodes;
    this.#maxText = maxText;
  }

  /** Selector-matching steps allowed over the document: 8 per node of the node limit. */
  get selectorSteps(): number {
    return this.#maxNodes * 8;
  }

  /** Counts `count` nodes or tokens walked. */
  spendNodes(count = 1): void {
    this.#nodes += count;
    if (this.#nodes > this.#maxNodes)
      throw new BulwarkError(
        'LIMIT_EXCEEDED',
        `document has more than ${this.#maxNodes} nodes; split it or raise maxNodes`,
      );
  }

  /** Counts `count` characters (or text pieces) gathered into span texts. */
  spendText(count: number): void {
    this.#text += count;
    if (this.#text > this.#maxText)
      throw new BulwarkError(
        'LIMIT_EXCEEDED',
        `hidden text gathered from the document passed ${this.#maxText} characters; raise maxTextChars`,
      );
  }
}
