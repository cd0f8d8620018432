import type { TokenStore } from './token-store.js';

/**
 * A multinomial naive Bayes model of the labels over unigram counts, used only to ask whether the
 * rest of a row's text supports its label. A dirty-label backdoor pairs a trigger with a flipped
 * label, so the words around the trigger keep pointing at the original class; a word that is simply
 * typical of its class does not disagree with its rows' labels.
 */
export class LabelAgreement {
  readonly #store: TokenStore;
  readonly #counts: Uint32Array;
  readonly #totals: Float64Array;
  readonly #logPriors: Float64Array;
  readonly #labelCount: number;
  readonly #vocabularySize: number;

  constructor(store: TokenStore) {
    this.#store = store;
    this.#labelCount = store.labels.length;
    this.#vocabularySize = store.words.length;
    this.#counts = new Uint32Array(this.#vocabularySize * this.#labelCount);
    this.#totals = new Float64Array(this.#labelCount);
    const rows = new Float64Array(this.#labelCount);
    for (let index = 0; index < store.rowCount; index++) {
      const label = store.rowLabels[index] ?? 0;
      rows[label]!++;
      for (const token of store.tokensOf(index)) {
        this.#counts[token * this.#labelCount + label]!++;
        this.#totals[label]!++;
      }
    }
    this.#logPriors = rows.map((n) => Math.log((n + 1) / (store.rowCount + this.#labelCount)));
  }

  /** Model size in bytes when built for `store`; callers skip the check when it would be too large. */
  static bytesFor(store: TokenStore): number {
    return store.words.length * store.labels.length * 4;
  }

  /**
   * Tells whether the text of row `index`, without the tokens in `ignore` and with the row itself
   * left out of the counts, is best explained by a label other than the row's own.
   */
  disagrees(index: number, ignore: ReadonlySet<number>): boolean {
    const own = this.#store.rowLabels[index] ?? 0;
    const tokens = this.#store.tokensOf(index);
    const kept = tokens.filter((token) => !ignore.has(token));
    const scores = new Float64Array(this.#logPriors);
    const ownTotal = this.#totals[own]! - tokens.length;
    for (let label = 0; label < this.#labelCount; label++) {
      const total = (label === own ? ownTotal : this.#totals[label]!) + this.#vocabularySize;
      let score = scores[label]!;
      for (const token of kept) {
        let count = this.#counts[token * this.#labelCount + label]!;
        // Leave the row out: its own tokens must not vote for its own label.
        if (label === own) count -= occurrences(tokens, token);
        score += Math.log((count + 1) / total);
      }
      scores[label] = score;
    }
    let best = own;
    for (let label = 0; label < this.#labelCount; label++) if (scores[label]! > scores[best]!) best = label;
    return best !== own;
  }

  /** Share of `indices` whose label disagrees with their text (see `disagrees`). */
  disagreement(indices: readonly number[], ignore: ReadonlySet<number> = new Set()): number {
    if (indices.length === 0) return 0;
    let count = 0;
    for (const index of indices) if (this.disagrees(index, ignore)) count++;
    return count / indices.length;
  }
}

function occurrences(tokens: Uint32Array, token: number): number {
  let n = 0;
  for (const t of tokens) if (t === token) n++;
  return n;
}
