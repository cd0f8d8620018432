/**
 * The volume signal: requests in the sliding window, against an absolute cap and against the key's
 * own baseline. Extraction needs many queries (tens of thousands to copy a classifier; Tramèr et
 * al. 2016), and a stolen key is usually drained fast, so a key running far above its own habit or
 * above what any person types is the first thing to look at.
 */
import { ramp, type AbuseSettings } from './abuse-config.js';

/** Sub-buckets of the sliding window: the count is exact to one sixth of a window. */
const BUCKETS = 6;
/** Weight of the newest active window in the baseline (an EWMA over about ten windows). */
const ALPHA = 0.2;

/**
 * Requests per window of one key in six rotating buckets, and an EWMA of the counts of past active
 * windows (windows with at least one request: a user who works in bursts is compared with their
 * bursts, not with the quiet hours between them). Fixed size: 6 counters and 4 numbers.
 */
export class VolumeTracker {
  readonly #counts = new Uint32Array(BUCKETS);
  #bucket = -1;
  #window = -1;
  #windowCount = 0;
  #baseline = 0;
  #windows = 0;

  /** Counts a request at `time` (ms) and returns the signal (0–1) and the requests in the window. */
  observe(
    time: number,
    windowMs: number,
    settings: AbuseSettings['volume'],
  ): { value: number; count: number } {
    const bucket = Math.floor(time / (windowMs / BUCKETS));
    if (this.#bucket < 0) this.#bucket = bucket;
    for (let b = this.#bucket + 1; b <= bucket && b <= this.#bucket + BUCKETS; b++)
      this.#counts[b % BUCKETS] = 0;
    if (bucket > this.#bucket) this.#bucket = bucket;
    this.#counts[this.#bucket % BUCKETS]! += 1;

    const window = Math.floor(time / windowMs);
    if (window !== this.#window) {
      if (this.#window >= 0 && this.#windowCount > 0) {
        this.#baseline =
          this.#windows === 0 ? this.#windowCount : ALPHA * this.#windowCount + (1 - ALPHA) * this.#baseline;
        this.#windows++;
      }
      this.#window = window;
      this.#windowCount = 0;
    }
    this.#windowCount++;

    let count = 0;
    for (const c of this.#counts) count += c;
    const reference = Math.max(this.#baseline, settings.minBaseline);
    const value = Math.max(
      ramp(count, settings.cap / 2, settings.cap),
      ramp(count / reference, settings.relativeLow, settings.relativeHigh),
    );
    return { value, count };
  }

  /** The key's baseline: EWMA of requests per active window (0 before the first window ends). */
  get baseline(): number {
    return this.#baseline;
  }
}
