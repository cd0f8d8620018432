/**
 * `gateway.abuse` in bulwark.yaml (control G9): the thresholds of the per-key abuse and
 * model-extraction monitor. Defaults were tuned on seed 1 of `npm run eval -- abuse` and checked on
 * seed 2 (docs/gateway.md, "Abuse and extraction detection").
 */
import { z } from 'zod';

const positive = z.number().positive();
const share = z.number().min(0).max(1);

/** The settings of the abuse monitor, every one with a default. */
export const abuseSettingsSchema = z
  .strictObject({
    enabled: z.boolean().default(true).meta({ description: 'Score every key and throttle abusive ones.' }),
    threshold: z
      .number()
      .gt(0)
      .max(1)
      .default(0.8)
      .meta({ description: 'Score (0–1) at or above which a key is throttled.' }),
    windowSeconds: z
      .int()
      .min(10)
      .max(3600)
      .default(60)
      .meta({ description: 'Sliding window of the signals.' }),
    cooldownSeconds: z
      .int()
      .min(1)
      .default(300)
      .meta({ description: 'First throttle of a key; each repeat within strikeSeconds doubles it.' }),
    maxCooldownSeconds: z.int().min(1).default(3600).meta({ description: 'Longest throttle.' }),
    strikeSeconds: z
      .int()
      .min(1)
      .default(3600)
      .meta({ description: 'A throttle this long after the previous one no longer doubles the cooldown.' }),
    idleSeconds: z
      .int()
      .min(60)
      .default(3600)
      .meta({ description: 'A key idle this long is forgotten (its baselines start again).' }),
    maxKeys: z
      .int()
      .min(1)
      .default(20_000)
      .meta({ description: 'Keys tracked at once (about 6 KB each); the least recently seen go first.' }),
    weights: z
      .strictObject({
        volume: share.default(1),
        sweep: share.default(0.95),
        probe: share.default(0.9),
        shape: share.default(0.85),
      })
      .prefault({})
      .meta({ description: 'Weight of each signal in the noisy-OR score.' }),
    volume: z
      .strictObject({
        cap: positive.default(120).meta({ description: 'Requests per window that score 1 for any key.' }),
        minBaseline: positive.default(8).meta({
          description: 'Floor of the key baseline, so a new or quiet key is not flagged for a few requests.',
        }),
        relativeLow: positive
          .default(4)
          .meta({ description: 'Ratio to the baseline where the signal starts.' }),
        relativeHigh: positive.default(10).meta({ description: 'Ratio to the baseline where it reaches 1.' }),
      })
      .prefault({}),
    sweep: z
      .strictObject({
        low: positive
          .default(5)
          .meta({ description: 'Distinct fillers of one template in a window where it starts.' }),
        high: positive.default(12).meta({ description: 'Distinct fillers where it reaches 1.' }),
      })
      .prefault({}),
    probe: z
      .strictObject({
        similarity: share
          .default(0.7)
          .meta({ description: 'Estimated Jaccard similarity of near duplicates.' }),
        minPrompts: z
          .int()
          .min(2)
          .max(32)
          .default(6)
          .meta({ description: 'Prompts in the window before it scores.' }),
        low: share
          .default(0.35)
          .meta({ description: 'Share of prompts with a near duplicate where it starts.' }),
        high: share.default(0.75).meta({ description: 'Share where it reaches 1.' }),
      })
      .prefault({}),
    shape: z
      .strictObject({
        z: positive
          .default(6)
          .meta({ description: 'Robust z-score of length or entropy that makes a prompt unusual.' }),
        minHistory: z
          .int()
          .min(4)
          .max(64)
          .default(16)
          .meta({ description: 'Prompts before a key is its own reference.' }),
        low: z
          .int()
          .min(0)
          .max(8)
          .default(2)
          .meta({ description: 'Unusual prompts among the last 8 where it starts.' }),
        high: z
          .int()
          .min(1)
          .max(8)
          .default(6)
          .meta({ description: 'Unusual prompts among the last 8 where it reaches 1.' }),
      })
      .prefault({}),
  })
  .meta({ description: 'Per-key abuse and model-extraction detection with throttling (G9).' });

/** Parsed `gateway.abuse`. */
export type AbuseSettings = z.output<typeof abuseSettingsSchema>;
/** `gateway.abuse` as written (every field optional). */
export type AbuseSettingsInput = z.input<typeof abuseSettingsSchema>;

/** Linear ramp from 0 at `low` to 1 at `high`, clamped: how every signal turns a measure into 0–1. */
export function ramp(value: number, low: number, high: number): number {
  if (!(value > low)) return 0;
  if (high <= low || value >= high) return 1;
  return (value - low) / (high - low);
}
