/**
 * Control G9: per-key abuse and model-extraction detection. Every admitted request is observed;
 * four signals (volume, systematic sweeps, near-duplicate probing, unusual prompt shape) are scored
 * 0–1 over a sliding window and combined by a weighted noisy-OR, score = 1 − Π(1 − wᵢ·vᵢ), so one
 * strong signal or several moderate ones reach the threshold. At the threshold the key is refused
 * for a cooldown that doubles on each repeat. Memory is fixed per key (about 6 KB) and keys idle for
 * `idleSeconds` or beyond `maxKeys` are forgotten; each observation costs O(prompt length) plus a
 * fixed amount of work, measured in the evaluation.
 */
import { BulwarkError } from '../../core/errors.js';
import type { GatewayEvent } from '../audit-sink.js';
import { abuseSettingsSchema, type AbuseSettings, type AbuseSettingsInput } from './abuse-config.js';
import { createProbeHasher, ProbeTracker } from './probe-signal.js';
import { abuseText } from './prompt-text.js';
import { promptShape, ShapeReservoir, ShapeTracker } from './shape-signal.js';
import { promptTemplate, SweepTracker } from './sweep-signal.js';
import { VolumeTracker } from './volume-signal.js';

/** The signals, in the order they are reported. */
export const ABUSE_SIGNALS = ['volume', 'sweep', 'probe', 'shape'] as const;
/** Name of a signal. */
export type AbuseSignalName = (typeof ABUSE_SIGNALS)[number];

/** One admitted request, as the monitor sees it. */
export interface AbuseRequest {
  /** When the request came, in milliseconds (any monotonic or epoch clock, the same for every call). */
  readonly time: number;
  /** The user-visible prompt text (e.g. the user messages joined). */
  readonly promptText: string;
  /** Prompt tokens, if known (reported in events). */
  readonly promptTokens?: number;
  /** The route's model name (reported in events). */
  readonly model?: string;
}

/** One signal's contribution to a score. */
export interface AbuseSignal {
  readonly name: AbuseSignalName;
  /** 0 (nothing unusual) to 1 (as strong as it gets). */
  readonly value: number;
  readonly weight: number;
}

/** What one observation concluded. */
export interface AbuseObservation {
  /** Weighted noisy-OR of the signals, 0–1. */
  readonly score: number;
  readonly signals: readonly AbuseSignal[];
  /** True when the score reached the threshold: the key is now throttled. */
  readonly throttle: boolean;
  /** For the audit log: when the key was throttled, or a signal reached 0.5 for the first time in an episode. */
  readonly event?: GatewayEvent;
}

/** A throttled key's wait. */
export interface AbuseThrottle {
  readonly retryAfterSeconds: number;
}

/** The monitor the gateway keeps for its lifetime (one per process; state is per instance). */
export interface AbuseMonitor {
  /** The settings in force, defaults filled in. */
  readonly settings: AbuseSettings;
  /** Scores an admitted request of `keyId` and throttles the key when the score reaches the threshold. */
  observe(keyId: string, request: AbuseRequest): AbuseObservation;
  /** The wait of a throttled key at `now` (ms), or undefined when it may send. */
  isThrottled(keyId: string, now: number): AbuseThrottle | undefined;
  /** Keys currently tracked. */
  readonly size: number;
}

/** Level at which a signal counts as fired (one event per episode; it re-arms when the signal falls to 0). */
const FIRE_LEVEL = 0.5;
/** Shapes kept for the population reference of new keys. */
const POPULATION_RESERVOIR = 512;
/** Idle keys checked for eviction per observation: enough to keep up with arrivals. */
const EVICT_PER_CALL = 2;

interface KeyState {
  lastSeen: number;
  readonly volume: VolumeTracker;
  readonly sweep: SweepTracker;
  readonly probe: ProbeTracker;
  readonly shape: ShapeTracker;
  /** Bit i set while signal i is fired. */
  fired: number;
}

interface ThrottleState {
  until: number;
  strikes: number;
  lastThrottle: number;
}

/** Creates a monitor; invalid settings throw a BulwarkError (`CONFIG_INVALID`). */
export function createAbuseMonitor(options: AbuseSettingsInput = {}): AbuseMonitor {
  const parsed = abuseSettingsSchema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BulwarkError(
      'CONFIG_INVALID',
      `gateway.abuse${issue?.path.length ? `.${issue.path.join('.')}` : ''}: ${issue?.message ?? 'invalid'}`,
    );
  }
  const settings = parsed.data;
  if (settings.idleSeconds < settings.windowSeconds)
    throw new BulwarkError('CONFIG_INVALID', 'gateway.abuse.idleSeconds must be at least windowSeconds');
  const windowMs = settings.windowSeconds * 1000;
  const hasher = createProbeHasher();
  const population = new ShapeReservoir(POPULATION_RESERVOIR);
  const keys = new Map<string, KeyState>();
  const throttles = new Map<string, ThrottleState>();
  let seed = 0x2545f491;
  const random = (): number => {
    // xorshift32: reproducible runs; the reservoirs need uniformity, not secrecy.
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 0x1_0000_0000;
  };

  const evictIdle = (now: number): void => {
    let checked = 0;
    for (const [key, state] of keys) {
      if (checked++ >= EVICT_PER_CALL) break;
      if (keys.size > settings.maxKeys || now - state.lastSeen > settings.idleSeconds * 1000)
        keys.delete(key);
      else break;
    }
    for (const [key, throttle] of throttles) {
      if (checked++ >= 2 * EVICT_PER_CALL) break;
      const forgotten = now - throttle.lastThrottle > settings.strikeSeconds * 1000 && now >= throttle.until;
      if (forgotten || throttles.size > settings.maxKeys) throttles.delete(key);
      else break;
    }
  };

  const stateOf = (keyId: string, now: number): KeyState => {
    let state = keys.get(keyId);
    if (state === undefined) {
      state = {
        lastSeen: now,
        volume: new VolumeTracker(),
        sweep: new SweepTracker(),
        probe: new ProbeTracker(),
        shape: new ShapeTracker(),
        fired: 0,
      };
    } else {
      // Re-inserting keeps the map in least-recently-seen order, which eviction walks from the front.
      keys.delete(keyId);
    }
    state.lastSeen = now;
    keys.set(keyId, state);
    return state;
  };

  const throttle = (keyId: string, now: number): number => {
    const previous = throttles.get(keyId);
    const repeat = previous !== undefined && now - previous.lastThrottle <= settings.strikeSeconds * 1000;
    const strikes = repeat ? previous.strikes + 1 : 1;
    const seconds = Math.min(settings.cooldownSeconds * 2 ** (strikes - 1), settings.maxCooldownSeconds);
    throttles.delete(keyId);
    throttles.set(keyId, { until: now + seconds * 1000, strikes, lastThrottle: now });
    return seconds;
  };

  const isThrottled = (keyId: string, now: number): AbuseThrottle | undefined => {
    if (!settings.enabled) return undefined;
    const state = throttles.get(keyId);
    if (state === undefined || now >= state.until) return undefined;
    return { retryAfterSeconds: Math.max(1, Math.ceil((state.until - now) / 1000)) };
  };

  return {
    settings,
    get size() {
      return keys.size;
    },
    isThrottled,
    observe(keyId, request) {
      if (!settings.enabled) return { score: 0, signals: [], throttle: false };
      const { time } = request;
      evictIdle(time);
      const state = stateOf(keyId, time);
      const text = abuseText(request.promptText);
      const shape = promptShape(request.promptText.length, text);
      const values: Record<AbuseSignalName, number> = {
        volume: state.volume.observe(time, windowMs, settings.volume).value,
        sweep: state.sweep.observe(time, windowMs, promptTemplate(text), settings.sweep).value,
        probe: state.probe.observe(time, windowMs, text, hasher, settings.probe).value,
        shape: state.shape.observe(shape, population, random, settings.shape).value,
      };
      population.add(shape, random());
      let keep = 1;
      let newlyFired = false;
      const signals = ABUSE_SIGNALS.map((name, i): AbuseSignal => {
        const value = round(values[name]);
        const weight = settings.weights[name];
        keep *= 1 - weight * value;
        const bit = 1 << i;
        if (value >= FIRE_LEVEL && (state.fired & bit) === 0) {
          state.fired |= bit;
          newlyFired = true;
        } else if (value === 0) state.fired &= ~bit;
        return { name, value, weight };
      });
      const score = round(1 - keep);
      const throttled = score >= settings.threshold && isThrottled(keyId, time) === undefined;
      if (!throttled && !newlyFired) return { score, signals, throttle: score >= settings.threshold };
      const cooldown = throttled ? throttle(keyId, time) : undefined;
      const event: GatewayEvent = {
        type: 'gateway.abuse',
        principal: keyId,
        model: request.model,
        action: throttled ? 'throttle' : 'flag',
        score,
        threshold: settings.threshold,
        signals: signals
          .filter((s) => s.value > 0)
          .map((s) => ({ name: s.name, value: s.value, weight: s.weight })),
        promptTokens: request.promptTokens,
        cooldownSeconds: cooldown,
      };
      return { score, signals, throttle: score >= settings.threshold, event };
    },
  };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
