import type { WorkBudget } from './hidden-types.js';

/** Bits telling which inherited techniques still hide a text node (0 means "any text counts"). */
export const TEXT_FLAGS = { visibility: 1, tinyFont: 2, colour: 4 } as const;

/** Text gathered for one hidden element, and the raw span its text nodes cover (-1 when none). */
export interface GatheredText {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

const HTML_WHITESPACE = /[\t\n\f\r ]+/gu;

/**
 * The document's text nodes in order, with the inherited techniques hiding each and whether a block
 * boundary comes before it, so the text of any hidden subtree is a range of them: each hidden
 * element costs the length of its own text, never a re-walk of its subtree.
 */
export class TextRuns {
  readonly #values: string[] = [];
  readonly #flags: number[] = [];
  readonly #breaks: boolean[] = [];
  readonly #starts: number[] = [];
  readonly #ends: number[] = [];
  readonly #prefix: number[] = [0];
  #pendingBreak = false;

  /** How many text nodes were added: the start of a range. */
  get length(): number {
    return this.#values.length;
  }

  /** Records a text node, its hiding flags and its raw offsets (-1 when the parser gave none). */
  add(value: string, flags: number, start: number, end: number): void {
    this.#values.push(value);
    this.#flags.push(flags);
    this.#breaks.push(this.#pendingBreak);
    this.#starts.push(start);
    this.#ends.push(end);
    this.#prefix.push((this.#prefix[this.#prefix.length - 1] ?? 0) + value.length);
    this.#pendingBreak = false;
  }

  /** Notes a block boundary (a block element opened or closed, a `<br>`): words do not join across it. */
  markBreak(): void {
    this.#pendingBreak = true;
  }

  /**
   * The text of nodes `first` (inclusive) to `last` (exclusive) whose flags meet `mask` (all of them
   * when 0), whitespace collapsed as HTML renders it; the cost is charged to `budget`.
   */
  gather(first: number, last: number, mask: number, budget: WorkBudget): GatheredText {
    budget.spendText(last - first + (this.#prefix[last] ?? 0) - (this.#prefix[first] ?? 0));
    const parts: string[] = [];
    let start = -1;
    let end = -1;
    for (let i = first; i < last; i++) {
      if (mask !== 0 && ((this.#flags[i] ?? 0) & mask) === 0) continue;
      if (parts.length > 0 && this.#breaks[i] === true) parts.push(' ');
      parts.push(this.#values[i] ?? '');
      const from = this.#starts[i] ?? -1;
      const to = this.#ends[i] ?? -1;
      if (from >= 0 && (start < 0 || from < start)) start = from;
      if (to > end) end = to;
    }
    return { text: parts.join('').replace(HTML_WHITESPACE, ' ').trim(), start, end };
  }
}
