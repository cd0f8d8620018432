import { hashWords } from './hash32.js';

/** Word tokens: letters/marks/digits (with inner apostrophes), or one other non-space character. */
const TOKEN = /[\p{L}\p{M}\p{N}]+(?:['’][\p{L}\p{M}\p{N}]+)*|[^\s\p{L}\p{M}\p{N}]/gu;

/** Splits NFKC-normalized, lower-cased text into word and symbol tokens. */
export function tokenize(text: string): string[] {
  return text.normalize('NFKC').toLowerCase().match(TOKEN) ?? [];
}

/**
 * Labelled token sequences in flat arrays (token ids, row offsets, label ids), so the n-gram counts
 * can be taken in several passes over hash partitions without reading the data again: about four
 * bytes per token plus the vocabulary.
 */
export class TokenStore {
  /** Token text by id. */
  readonly words: string[] = [];
  /** Label text by label id. */
  readonly labels: string[] = [];
  readonly #vocabulary = new Map<string, number>();
  readonly #labelIds = new Map<string, number>();
  #tokens = new Uint32Array(4096);
  #tokenCount = 0;
  #offsets: number[] = [0];
  /** Data row number of each stored row. */
  readonly rowNumbers: number[] = [];
  /** Label id of each stored row. */
  readonly rowLabels: number[] = [];
  readonly #maxTokensPerRow: number;

  constructor(maxTokensPerRow: number) {
    this.#maxTokensPerRow = maxTokensPerRow;
  }

  /** Number of rows stored. */
  get rowCount(): number {
    return this.rowNumbers.length;
  }

  /** Number of tokens stored. */
  get tokenCount(): number {
    return this.#tokenCount;
  }

  /** Stores the first `maxTokensPerRow` tokens of `text` with its label. */
  add(row: number, text: string, label: string): void {
    const tokens = tokenize(text);
    const count = Math.min(tokens.length, this.#maxTokensPerRow);
    if (this.#tokenCount + count > this.#tokens.length) {
      const next = new Uint32Array(Math.max(this.#tokenCount + count, this.#tokens.length * 2));
      next.set(this.#tokens);
      this.#tokens = next;
    }
    for (let i = 0; i < count; i++) this.#tokens[this.#tokenCount++] = this.#idOf(tokens[i] ?? '');
    this.#offsets.push(this.#tokenCount);
    this.rowNumbers.push(row);
    let labelId = this.#labelIds.get(label);
    if (labelId === undefined) {
      labelId = this.labels.length;
      this.#labelIds.set(label, labelId);
      this.labels.push(label);
    }
    this.rowLabels.push(labelId);
  }

  /** The token ids of stored row `index` (a view, not a copy). */
  tokensOf(index: number): Uint32Array {
    return this.#tokens.subarray(this.#offsets[index] ?? 0, this.#offsets[index + 1] ?? 0);
  }

  /** The words of an n-gram starting at `position` of row `index`. */
  phraseAt(index: number, position: number, length: number): string {
    const tokens = this.tokensOf(index);
    const words: string[] = [];
    for (let i = position; i < position + length; i++) words.push(this.words[tokens[i] ?? 0] ?? '');
    return words.join(' ');
  }

  #idOf(word: string): number {
    let id = this.#vocabulary.get(word);
    if (id === undefined) {
      id = this.words.length;
      this.#vocabulary.set(word, id);
      this.words.push(word);
    }
    return id;
  }
}

/** The 32-bit partition hash of the n-gram of `length` tokens at `position`. */
export function ngramHash(tokens: Uint32Array, position: number, length: number): number {
  return hashWords(tokens, position, length, 0x9747b28c + length);
}

/**
 * A 53-bit key of the n-gram: its partition hash and 21 bits of a second hash, so distinct n-grams
 * of a million-row set collide with negligible probability (about n² / 2⁵⁴).
 */
export function ngramKey(tokens: Uint32Array, position: number, length: number, first: number): number {
  return first * 2097152 + (hashWords(tokens, position, length, 0x1b873593 + length) >>> 11);
}
