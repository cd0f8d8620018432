import type { HiddenTechnique } from '../hidden/hidden-types.js';
import type { ShieldCategory } from '../types.js';

/**
 * The text a document's chunks are cut from, and where each of its characters sits in the raw
 * document: the raw text itself for text and Markdown, the extracted text for HTML.
 */
export interface ChunkSource {
  readonly text: string;
  /** The raw offset of character `index` of `text`. */
  rawAt(index: number): number;
  /** The raw span `[start, end)` covering characters `[start, end)` of `text`. */
  toRaw(start: number, end: number): RawSpan;
}

/** A span of the raw document as 0-based UTF-16 offsets, `end` exclusive. */
export interface RawSpan {
  readonly start: number;
  readonly end: number;
}

/** What a document check found, before it becomes a finding of one of the prompt rules. */
export const HIT_KINDS = [
  /** A visible passage reads as instructions to the model (BW-PROMPT-002). */
  'document-injection',
  /** Hidden text, or text disguised by invisible characters, reads as instructions (BW-PROMPT-003). */
  'hidden-instructions',
  /** Hidden text that does not read as instructions, merged per technique (BW-PROMPT-004). */
  'hidden-content',
  /** Invisible characters that do not carry instructions, merged per technique (BW-PROMPT-005). */
  'invisible-characters',
] as const;

/** One of {@link HIT_KINDS}. */
export type HitKind = (typeof HIT_KINDS)[number];

/** One result of the document checks, located by raw offsets of the document it was found in. */
export interface DocumentHit {
  readonly kind: HitKind;
  /** Where it is; for merged hits, the first span. */
  readonly span: RawSpan;
  /** The shield's score of the deciding text (injections and hidden instructions). */
  readonly score?: number;
  readonly categories?: readonly ShieldCategory[];
  /** How the text was hidden or disguised (hidden and invisible hits). */
  readonly technique?: HiddenTechnique;
  /** Spans merged into this hit (hidden content, invisible characters); 1 otherwise. */
  readonly count: number;
  /** The further merged spans, the first few only. */
  readonly more: readonly RawSpan[];
  /** A short masked preview of the text (never the whole payload). */
  readonly preview: string;
  /** What tag characters or variation selectors decode to, shortened. */
  readonly decoded?: string;
  /** The detector evidence that decided, as the detector notes it. */
  readonly reason?: string;
}
