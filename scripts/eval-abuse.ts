/**
 * `npm run eval -- abuse [--tune-seed S] [--seed S] [--hours H]` (or `npx tsx scripts/eval-abuse.ts
 * …`): the abuse and model-extraction evaluation reported in docs/gateway.md. Generates seeded
 * gateway traffic (benign people drawing from the authored benign prompts in sessions, steady
 * integrations, and attacker keys that sweep a template, probe with near duplicates, burst, or send
 * random tokens; half of them after an hour of ordinary use) and replays it through the abuse
 * monitor the way the gateway does: a throttled key is refused, every admitted request is observed.
 * The threshold, the shape z-score and the near-duplicate similarity are tuned on the tuning seed
 * (default 1) for the best mean recall with at most 1% of benign keys throttled; the figures that
 * count are those of the held-out seed (default 2).
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { AbuseSettingsInput } from '../src/gateway/abuse/abuse-config.js';
import { createAbuseMonitor } from '../src/gateway/abuse/abuse-monitor.js';
import {
  ATTACK_KINDS,
  generateTraffic,
  type AttackKind,
  type TrafficKey,
  type TrafficRequest,
} from '../src/gateway/abuse/abuse-traffic.test-support.js';

/** What one replay measured. */
interface Figures {
  readonly byKind: Record<
    AttackKind,
    { keys: number; detected: number; seconds: number[]; requests: number[] }
  >;
  readonly benignKeys: number;
  readonly benignThrottled: number;
  /** Stolen keys throttled during their ordinary use, before the attack. */
  readonly early: number;
  readonly benignRequests: number;
  readonly benignRefused: number;
  readonly observeMicros: number[];
  readonly requests: number;
}

function replay(
  traffic: { requests: TrafficRequest[]; keys: TrafficKey[] },
  settings: AbuseSettingsInput,
): Figures {
  const monitor = createAbuseMonitor(settings);
  const truth = new Map(traffic.keys.map((k) => [k.keyId, k]));
  const firstThrottle = new Map<string, number>();
  const sentInAttack = new Map<string, number>();
  const requestsAtDetection = new Map<string, number>();
  const observeMicros: number[] = [];
  let benignRequests = 0;
  let benignRefused = 0;
  for (const request of traffic.requests) {
    const key = truth.get(request.keyId)!;
    const attacking = key.attackStart !== undefined && request.time >= key.attackStart;
    if (key.kind === 'benign') benignRequests++;
    if (attacking) sentInAttack.set(key.keyId, (sentInAttack.get(key.keyId) ?? 0) + 1);
    if (monitor.isThrottled(request.keyId, request.time) !== undefined) {
      if (key.kind === 'benign') benignRefused++;
      continue;
    }
    const started = performance.now();
    const result = monitor.observe(request.keyId, { time: request.time, promptText: request.promptText });
    observeMicros.push((performance.now() - started) * 1000);
    if (result.throttle && !firstThrottle.has(request.keyId)) {
      firstThrottle.set(request.keyId, request.time);
      requestsAtDetection.set(request.keyId, sentInAttack.get(request.keyId) ?? 0);
    }
  }
  const byKind = Object.fromEntries(
    ATTACK_KINDS.map((kind) => [
      kind,
      { keys: 0, detected: 0, seconds: [] as number[], requests: [] as number[] },
    ]),
  ) as Figures['byKind'];
  let benignKeys = 0;
  let benignThrottled = 0;
  let early = 0;
  for (const key of traffic.keys) {
    const at = firstThrottle.get(key.keyId);
    if (key.kind === 'benign') {
      benignKeys++;
      if (at !== undefined) benignThrottled++;
      continue;
    }
    const figures = byKind[key.kind];
    figures.keys++;
    if (at === undefined) continue;
    if (at < key.attackStart!) {
      early++;
      continue;
    }
    figures.detected++;
    figures.seconds.push((at - key.attackStart!) / 1000);
    figures.requests.push(requestsAtDetection.get(key.keyId) ?? 0);
  }
  return {
    byKind,
    benignKeys,
    benignThrottled,
    early,
    benignRequests,
    benignRefused,
    observeMicros,
    requests: traffic.requests.length,
  };
}

const median = (values: readonly number[]): number => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
};
const quantile = (values: readonly number[], q: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
};
const meanRecall = (f: Figures): number =>
  ATTACK_KINDS.reduce((sum, kind) => sum + f.byKind[kind].detected / f.byKind[kind].keys, 0) /
  ATTACK_KINDS.length;
const falseRate = (f: Figures): number => (f.benignThrottled + f.early) / (f.benignKeys + f.early);
const precision = (f: Figures): number => {
  const detected = ATTACK_KINDS.reduce((sum, kind) => sum + f.byKind[kind].detected, 0);
  return detected / Math.max(1, detected + f.benignThrottled + f.early);
};

const out = (line = ''): void => void process.stdout.write(`${line}\n`);
const percent = (x: number): string => `${(x * 100).toFixed(1)}%`;

/** Tunes on one seed, reports the held-out seed; returns the exit code. */
export function runAbuseEvaluation(argv: readonly string[]): number {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      'tune-seed': { type: 'string', default: '1' },
      seed: { type: 'string', default: '2' },
      hours: { type: 'string', default: '3' },
    },
  });
  const hours = Number(values.hours);
  const tuneSeed = Number(values['tune-seed']);
  const seed = Number(values.seed);
  if (!(hours >= 1 && hours <= 48) || !Number.isInteger(tuneSeed) || !Number.isInteger(seed)) {
    process.stderr.write('eval abuse: --hours must be 1–48 and the seeds integers\n');
    return 2;
  }
  const tuning = generateTraffic({ seed: tuneSeed, hours });
  let best: { settings: AbuseSettingsInput; figures: Figures } | undefined;
  for (const threshold of [0.7, 0.8, 0.9])
    for (const z of [4, 5, 6])
      for (const similarity of [0.5, 0.7]) {
        const settings: AbuseSettingsInput = { threshold, shape: { z }, probe: { similarity } };
        const figures = replay(tuning, settings);
        if (falseRate(figures) > 0.01) continue;
        // Best recall; among equals the fewest benign throttles, then the later (stricter) setting.
        const better =
          best === undefined ||
          meanRecall(figures) > meanRecall(best.figures) + 1e-9 ||
          (Math.abs(meanRecall(figures) - meanRecall(best.figures)) < 1e-9 &&
            falseRate(figures) <= falseRate(best.figures));
        if (better) best = { settings, figures };
      }
  if (best === undefined) {
    out('no setting kept benign false throttles at or below 1% on the tuning seed');
    return 1;
  }
  out(
    `Tuned on seed ${tuneSeed}: ${JSON.stringify(best.settings)} (mean recall ${percent(meanRecall(best.figures))})`,
  );
  const test = generateTraffic({ seed, hours });
  const f = replay(test, best.settings);
  out(`Held-out seed ${seed}: ${f.requests} requests over ${hours} h, ${f.benignKeys} benign keys`);
  out('  attack   keys  detected  recall   median time to detection  median requests before');
  for (const kind of ATTACK_KINDS) {
    const k = f.byKind[kind];
    out(
      `  ${kind.padEnd(7)} ${String(k.keys).padStart(5)} ${String(k.detected).padStart(9)}  ${percent(k.detected / k.keys).padStart(6)}` +
        `   ${`${median(k.seconds).toFixed(0)} s`.padStart(24)}  ${String(median(k.requests)).padStart(22)}`,
    );
  }
  out(`  precision (attacker keys among throttled keys): ${percent(precision(f))}`);
  out(
    `  benign keys throttled: ${f.benignThrottled}/${f.benignKeys} (${percent(f.benignThrottled / f.benignKeys)}); ` +
      `stolen keys throttled before their attack: ${f.early}; benign requests refused: ${percent(f.benignRefused / f.benignRequests)}`,
  );
  out(
    `  observe cost: median ${median(f.observeMicros).toFixed(1)} µs, p99 ${quantile(f.observeMicros, 0.99).toFixed(1)} µs`,
  );
  return 0;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = runAbuseEvaluation(process.argv.slice(2));
}
