/**
 * The systematic-sweep signal. Extraction and membership probing enumerate: the same request with
 * one slot filled by value after value ("classify: item 1", "classify: item 2", …) maps the model's
 * answers over a grid the attacker chose. Masking numbers and quoted spans turns every prompt of a
 * sweep into one template; the number of distinct fillers seen with one template in the window
 * measures the sweep. People rarely send more than a handful of prompts that differ only by a
 * number or a quotation.
 */
import { hashString } from '../../data/poisoning/hash32.js';
import { ramp, type AbuseSettings } from './abuse-config.js';

/** Quoted spans (straight, typographic, guillemets, backticks) and numbers, including 1,000.50 and 3.2.1. */
const SLOT =
  /"[^"\n]{1,200}"|(?<!\w)'[^'\n]{1,200}'(?!\w)|`[^`\n]{1,200}`|“[^”\n]{1,200}”|«[^»\n]{1,200}»|\p{Nd}+(?:[.,:/-]\p{Nd}+)*/gu;

/** A prompt split into its template and what fills its slots. */
export interface PromptTemplate {
  /** Hash of the text with every slot masked. */
  readonly template: number;
  /** Hash of the slot values in order. */
  readonly filler: number;
  /** Number of masked slots. */
  readonly slots: number;
}

/** The template of normalized text (see `abuseText`), or undefined when it has no slot to vary. */
export function promptTemplate(normalized: string): PromptTemplate | undefined {
  const fillers: string[] = [];
  const masked = normalized.replace(SLOT, (match) => {
    fillers.push(match);
    return match.startsWith('"') || match.startsWith("'") || match.startsWith('`') ? '\u0001' : '\u0002';
  });
  if (fillers.length === 0) return undefined;
  return {
    template: hashString(masked, 0x7e3a1f),
    filler: hashString(fillers.join('\u0000'), 0x1f2e3d),
    slots: fillers.length,
  };
}

/** Templates followed per key. */
export const SWEEP_TEMPLATES = 8;
/** Distinct fillers remembered per template (enough to reach any sensible `sweep.high`). */
export const SWEEP_FILLERS = 32;

/**
 * The templates of one key's recent prompts, each with a ring of its distinct fillers and when each
 * was last seen; the least recently used template makes room for a new one. Fixed size.
 */
export class SweepTracker {
  readonly #templates = new Uint32Array(SWEEP_TEMPLATES);
  readonly #used = new Float64Array(SWEEP_TEMPLATES).fill(-Infinity);
  readonly #fillers = new Uint32Array(SWEEP_TEMPLATES * SWEEP_FILLERS);
  readonly #times = new Float64Array(SWEEP_TEMPLATES * SWEEP_FILLERS).fill(-Infinity);
  readonly #next = new Uint8Array(SWEEP_TEMPLATES);

  /** Records the prompt's template; returns the signal (0–1) and the distinct fillers in the window. */
  observe(
    time: number,
    windowMs: number,
    prompt: PromptTemplate | undefined,
    settings: AbuseSettings['sweep'],
  ): { value: number; distinct: number } {
    if (prompt === undefined) return { value: 0, distinct: 0 };
    const slot = this.#slotOf(prompt.template);
    this.#used[slot] = time;
    const base = slot * SWEEP_FILLERS;
    const since = time - windowMs;
    let distinct = 0;
    let found = false;
    for (let i = base; i < base + SWEEP_FILLERS; i++) {
      if (this.#fillers[i] === prompt.filler && this.#times[i]! > -Infinity) {
        this.#times[i] = time;
        found = true;
      }
      if (this.#times[i]! > since) distinct++;
    }
    if (!found) {
      const at = base + this.#next[slot]!;
      if (!(this.#times[at]! > since)) distinct++;
      this.#fillers[at] = prompt.filler;
      this.#times[at] = time;
      this.#next[slot] = (this.#next[slot]! + 1) % SWEEP_FILLERS;
    }
    return { value: ramp(distinct, settings.low, settings.high), distinct };
  }

  #slotOf(template: number): number {
    let oldest = 0;
    for (let i = 0; i < SWEEP_TEMPLATES; i++) {
      if (this.#templates[i] === template && this.#used[i]! > -Infinity) return i;
      if (this.#used[i]! < this.#used[oldest]!) oldest = i;
    }
    this.#templates[oldest] = template;
    this.#used[oldest] = -Infinity;
    this.#times.fill(-Infinity, oldest * SWEEP_FILLERS, (oldest + 1) * SWEEP_FILLERS);
    this.#next[oldest] = 0;
    return oldest;
  }
}
