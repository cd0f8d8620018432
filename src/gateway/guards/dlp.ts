/**
 * Input-side DLP with reversible placeholders (control G6): sensitive values in a prompt are replaced
 * by placeholders such as `⟦EMAIL_ADDRESS_1⟧` before it goes upstream, and put back in the answer
 * where the route allows. The brackets (U+27E6/U+27E7) are rare in text and kept intact by models
 * as one unit. The mapping is an in-process object that refuses to serialise: it never leaves here.
 */
import { BulwarkError } from '../../core/errors.js';
import { createDataAnalyzer } from '../../data/analyzer.js';
import type { ConfidenceTier } from '../../data/types.js';
import { DEFAULT_OUTPUT_PII_EXCLUDED } from './data-detector.js';

/** Options of {@link createDlp}. */
export interface DlpOptions {
  /** Entities replaced (default: every entity of the data analyzer but PERSON and LOCATION). */
  readonly entities?: readonly string[];
  /** Whether `restore` puts the original values back (otherwise placeholders stay). */
  readonly allowRestore: boolean;
  /** Matches below this tier are left alone (default `medium`, as `scan data`). */
  readonly minConfidence?: ConfidenceTier;
}

/** Placeholder ↔ value pairs of one request; deliberately not serialisable. */
export class DlpMapping {
  readonly #values = new Map<string, string>();
  readonly #placeholders = new Map<string, string>();
  readonly #counters = new Map<string, number>();

  /** The placeholder of `value` (the same value always gets the same one). */
  placeholderOf(entity: string, value: string): string {
    const known = this.#placeholders.get(`${entity}\u0000${value}`);
    if (known !== undefined) return known;
    const n = (this.#counters.get(entity) ?? 0) + 1;
    this.#counters.set(entity, n);
    const placeholder = `⟦${entity}_${n}⟧`;
    this.#placeholders.set(`${entity}\u0000${value}`, placeholder);
    this.#values.set(placeholder, value);
    return placeholder;
  }

  /** The original value of a placeholder of this mapping. */
  valueOf(placeholder: string): string | undefined {
    return this.#values.get(placeholder);
  }

  /** How many placeholders were made. */
  get size(): number {
    return this.#values.size;
  }

  /** Refuses serialisation: the values must not reach a log, an event or the upstream model. */
  toJSON(): never {
    throw new BulwarkError('INTERNAL', 'a DLP mapping never leaves the process');
  }
}

/** What `protect` returns. */
export interface ProtectedText {
  readonly text: string;
  readonly mapping: DlpMapping;
  /** Entity and span (in the original text) of every replaced value, for events. */
  readonly replaced: readonly { readonly entity: string; readonly start: number; readonly end: number }[];
}

/** Streaming restorer: placeholders split across deltas are restored whole. */
export interface DlpRestorer {
  push(delta: string): string;
  end(): string;
}

/** Input-side DLP of one route. */
export interface Dlp {
  /** Replaces sensitive values by placeholders; pass `mapping` to share one across a conversation. */
  protect(text: string, mapping?: DlpMapping): ProtectedText;
  /** Puts original values back (when the route allows restoring). */
  restore(text: string, mapping: DlpMapping): string;
  /** A restorer for a streamed answer. */
  restorer(mapping: DlpMapping): DlpRestorer;
}

const PLACEHOLDER = /⟦[A-Z][A-Z0-9_]{0,80}_\d{1,9}⟧/g;
/** Longest placeholder: `⟦` + entity (≤ 81) + `_` + 9 digits + `⟧`. */
const MAX_PLACEHOLDER_LENGTH = 93;
const TIER_RANK: Readonly<Record<ConfidenceTier, number>> = { low: 0, medium: 1, high: 2 };

/** Builds the DLP of a route on the data stage's analyzer (the one `scan data` uses). */
export function createDlp(options: DlpOptions): Dlp {
  const analyzer = createDataAnalyzer();
  const known = new Set(analyzer.entities);
  for (const entity of options.entities ?? [])
    if (!known.has(entity))
      throw new BulwarkError('CONFIG_INVALID', `dlp.entities: unknown entity ${entity}`);
  const wanted = new Set(
    options.entities ?? analyzer.entities.filter((e) => !DEFAULT_OUTPUT_PII_EXCLUDED.includes(e)),
  );
  const minRank = TIER_RANK[options.minConfidence ?? 'medium'];
  const restore = (text: string, mapping: DlpMapping): string =>
    options.allowRestore ? text.replace(PLACEHOLDER, (p) => mapping.valueOf(p) ?? p) : text;
  return {
    protect(text, mapping = new DlpMapping()) {
      let out = '';
      let at = 0;
      const replaced: { entity: string; start: number; end: number }[] = [];
      for (const match of analyzer.analyze(text)) {
        if (!wanted.has(match.entity) || TIER_RANK[match.confidence] < minRank) continue;
        out +=
          text.slice(at, match.start) +
          mapping.placeholderOf(match.entity, text.slice(match.start, match.end));
        at = match.end;
        replaced.push({ entity: match.entity, start: match.start, end: match.end });
      }
      return { text: out + text.slice(at), mapping, replaced };
    },
    restore,
    restorer(mapping) {
      let held = '';
      return {
        push(delta) {
          held += delta;
          // Hold back from an unclosed `⟦` that may still become a placeholder.
          const open = held.lastIndexOf('⟦');
          const cut =
            open !== -1 && !held.includes('⟧', open) && held.length - open < MAX_PLACEHOLDER_LENGTH
              ? open
              : held.length;
          const out = restore(held.slice(0, cut), mapping);
          held = held.slice(cut);
          return out;
        },
        end() {
          const out = restore(held, mapping);
          held = '';
          return out;
        },
      };
    },
  };
}
