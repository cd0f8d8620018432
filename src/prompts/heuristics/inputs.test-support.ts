/**
 * Test inputs for the heuristic detector without the normalizer: the text as the `normalized`
 * variant (NFKC), plus any hand-made decoded variants.
 */
import type { NormalizedInput, TextVariant } from '../types.js';

/** A NormalizedInput of `original` (NFKC) followed by `decoded` variants. */
export function plainInput(original: string, decoded: readonly TextVariant[] = []): NormalizedInput {
  const normalized = original.normalize('NFKC');
  return {
    original,
    normalized,
    variants: [{ kind: 'normalized', text: normalized }, ...decoded],
    signals: [],
  };
}
