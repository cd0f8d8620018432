/**
 * The near-duplicate probing signal. Boundary probing and jailbreak search send the same prompt
 * again and again with small edits (a word swapped, a character perturbed, a suffix tried) to find
 * where the model's answer flips; a person rephrases now and then, but rarely most of their
 * prompts. Each prompt gets a MinHash signature (the poisoning checks' `MinHasher`: 64 slots over
 * character 5-shingles, punctuation dropped); the share of the key's prompts in the window that
 * nearly repeat an earlier one of its last 32 is the signal.
 */
import { MinHasher } from '../../data/poisoning/minhash.js';
import { ramp, type AbuseSettings } from './abuse-config.js';

/** Signature slots: a Jaccard estimate with a standard error of about 0.06 near 0.6. */
export const PROBE_SLOTS = 64;
/** Recent prompts each new one is compared with. */
export const PROBE_RING = 32;

/** Runs of punctuation and symbols, dropped before shingling so re-punctuated copies still match. */
const PUNCTUATION = /[\p{P}\p{S}]+/gu;

/** One signature function for all keys (its parameters are fixed, so signatures compare across calls). */
export function createProbeHasher(): MinHasher {
  return new MinHasher({ permutations: PROBE_SLOTS, bands: 16 });
}

/**
 * The low 8 bits of each slot of the last 32 signatures of one key ("b-bit minwise hashing", as the
 * poisoning index stores them: 2 KB a key), with when each prompt came and whether it had a near
 * duplicate among those before it.
 */
export class ProbeTracker {
  readonly #signatures = new Uint8Array(PROBE_RING * PROBE_SLOTS);
  readonly #times = new Float64Array(PROBE_RING).fill(-Infinity);
  readonly #repeats = new Uint8Array(PROBE_RING);
  #next = 0;

  /** Adds the prompt's signature; returns the signal (0–1), the prompts in the window and the share repeated. */
  observe(
    time: number,
    windowMs: number,
    normalized: string,
    hasher: MinHasher,
    settings: AbuseSettings['probe'],
  ): { value: number; prompts: number; share: number } {
    const since = time - windowMs;
    const text = normalized.replace(PUNCTUATION, ' ').replace(/ {2,}/g, ' ').trim();
    const signature = hasher.signature(text.length > 0 ? text : normalized);
    if (signature !== undefined) {
      let repeat = 0;
      for (let r = 0; r < PROBE_RING && repeat === 0; r++) {
        if (!(this.#times[r]! > since)) continue;
        if (similarity(this.#signatures, r, signature) >= settings.similarity) repeat = 1;
      }
      const at = this.#next;
      for (let i = 0; i < PROBE_SLOTS; i++) this.#signatures[at * PROBE_SLOTS + i] = signature[i]! & 0xff;
      this.#times[at] = time;
      this.#repeats[at] = repeat;
      this.#next = (at + 1) % PROBE_RING;
    }
    let prompts = 0;
    let repeats = 0;
    for (let r = 0; r < PROBE_RING; r++) {
      if (!(this.#times[r]! > since)) continue;
      prompts++;
      repeats += this.#repeats[r]!;
    }
    const share = prompts === 0 ? 0 : repeats / prompts;
    const value = prompts < settings.minPrompts ? 0 : ramp(share, settings.low, settings.high);
    return { value, prompts, share };
  }
}

/** Estimated Jaccard similarity of stored row `row` and `signature`, corrected for 8-bit chance agreement. */
function similarity(rows: Uint8Array, row: number, signature: Uint32Array): number {
  let equal = 0;
  const offset = row * PROBE_SLOTS;
  for (let i = 0; i < PROBE_SLOTS; i++) if (rows[offset + i] === (signature[i]! & 0xff)) equal++;
  const chance = 1 / 256;
  return Math.max(0, (equal / PROBE_SLOTS - chance) / (1 - chance));
}
