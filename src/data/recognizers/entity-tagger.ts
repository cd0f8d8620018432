import type { TextContext, TextMatch } from '../types.js';

/**
 * The named-entity seam: something that finds entities a pattern cannot (people, places) in one
 * piece of text. The built-in one is a context heuristic (`createHeuristicTagger`); a model-backed
 * tagger (spaCy, GLiNER, a hosted NER service behind an edge adapter) implements the same two
 * members and is handed to `compileRecognizers({ taggers })`. Its matches go through the same
 * overlap resolution as the pattern recognizers'.
 */
export interface EntityTagger {
  /** Entities the tagger may report (`PERSON`, `LOCATION`…). */
  readonly entities: readonly string[];
  /** Finds entities in `text`; offsets in UTF-16 code units, end exclusive; never throws on any input. */
  tag(text: string, ctx?: TextContext): readonly TextMatch[];
}
