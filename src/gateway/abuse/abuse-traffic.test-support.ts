/**
 * Seeded synthetic gateway traffic for the abuse evaluation and tests: benign keys (people in
 * sessions drawn from the authored benign prompts, with occasional rephrasings, retries and a few
 * numbered follow-ups; some steady integrations) and attacker keys of four kinds. Half the attackers
 * attack from their first request (a fresh key), half after an hour of ordinary use (a stolen key).
 */
import { AUTHORED_BENIGN_USER } from '../../prompts/classifier/authored-examples.js';

/** The attacks generated. */
export const ATTACK_KINDS = ['sweep', 'probe', 'burst', 'random'] as const;
/** One attack kind. */
export type AttackKind = (typeof ATTACK_KINDS)[number];

/** One request of the synthetic traffic. */
export interface TrafficRequest {
  readonly keyId: string;
  readonly time: number;
  readonly promptText: string;
}

/** A key of the synthetic traffic and what it is. */
export interface TrafficKey {
  readonly keyId: string;
  readonly kind: 'benign' | AttackKind;
  /** When its attack starts (ms), for attackers. */
  readonly attackStart?: number;
}

/** Options of {@link generateTraffic}. */
export interface TrafficOptions {
  readonly seed: number;
  /** Benign people (default 200). */
  readonly benignKeys?: number;
  /** Benign steady integrations (default 10). */
  readonly integrations?: number;
  /** Attackers per kind (default 20). */
  readonly attackersPerKind?: number;
  /** Length of the traffic (default 3 hours). */
  readonly hours?: number;
}

/** Deterministic uniform [0, 1) generator (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const POOL = AUTHORED_BENIGN_USER.map((t) => t.text);
const MINUTE = 60_000;

/** Generates the traffic, sorted by time, and the keys with their truth. */
export function generateTraffic(options: TrafficOptions): { requests: TrafficRequest[]; keys: TrafficKey[] } {
  const random = seededRandom(options.seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const between = (low: number, high: number): number => low + random() * (high - low);
  const exponential = (mean: number): number => -Math.log(1 - random()) * mean;
  const end = (options.hours ?? 3) * 60 * MINUTE;
  const requests: TrafficRequest[] = [];
  const keys: TrafficKey[] = [];

  const person = (keyId: string, from: number, until: number): void => {
    let t = from + exponential(20 * MINUTE);
    while (t < until) {
      const prompts = 1 + Math.floor(random() * 12);
      let last = pick(POOL);
      for (let i = 0; i < prompts && t < until; i++) {
        const roll = random();
        let text: string;
        if (i > 0 && roll < 0.1) text = rephrase(last, random);
        else if (i > 0 && roll < 0.13) text = last;
        else if (i > 0 && roll < 0.16)
          text = `${last}\nNow do the same for item ${2 + Math.floor(random() * 3)}.`;
        else text = pick(POOL);
        requests.push({ keyId, time: t, promptText: text });
        last = text;
        t += between(8_000, 150_000);
      }
      t += exponential(25 * MINUTE);
    }
  };

  for (let k = 0; k < (options.benignKeys ?? 200); k++) {
    const keyId = `benign-${k}`;
    keys.push({ keyId, kind: 'benign' });
    person(keyId, 0, end);
  }
  for (let k = 0; k < (options.integrations ?? 10); k++) {
    // A steady back-end integration: 5–20 varied requests a minute, all day.
    const keyId = `integration-${k}`;
    keys.push({ keyId, kind: 'benign' });
    const perMinute = between(5, 20);
    for (let t = exponential(MINUTE); t < end; t += exponential(MINUTE / perMinute))
      requests.push({ keyId, time: t, promptText: pick(POOL) });
  }

  for (const kind of ATTACK_KINDS) {
    for (let k = 0; k < (options.attackersPerKind ?? 20); k++) {
      const keyId = `${kind}-${k}`;
      const stolen = k % 2 === 1;
      const start = stolen ? 60 * MINUTE + random() * 30 * MINUTE : random() * 60 * MINUTE;
      if (stolen) person(keyId, 0, start);
      keys.push({ keyId, kind, attackStart: start });
      attack(kind, keyId, start, Math.min(end, start + 30 * MINUTE), random, requests);
    }
  }
  requests.sort((a, b) => a.time - b.time);
  return { requests, keys };
}

const SWEEP_TEMPLATES = [
  (n: number) => `Classify the following item as spam or not spam. Answer with one word. Item ${n}`,
  (n: number) => `What label would you give to customer record #${n}? Reply with the label only.`,
  (n: number) =>
    `Translate the word "${WORDS[n % WORDS.length]}${n >= WORDS.length ? n : ''}" into German and give only the translation.`,
  (n: number) => `Rate the sentiment of review ${n} from our export on a scale of 1 to 5.`,
];
const WORDS = POOL.flatMap((t) => t.split(/\s+/)).filter((w) => /^\p{L}{4,}$/u.test(w));

function attack(
  kind: AttackKind,
  keyId: string,
  start: number,
  end: number,
  random: () => number,
  out: TrafficRequest[],
): void {
  const exponential = (mean: number): number => -Math.log(1 - random()) * mean;
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  switch (kind) {
    case 'sweep': {
      const template = pick(SWEEP_TEMPLATES);
      const perMinute = 4 + random() * 16;
      let n = Math.floor(random() * 1000);
      for (let t = start; t < end; t += exponential(MINUTE / perMinute))
        out.push({ keyId, time: t, promptText: template(n++) });
      return;
    }
    case 'probe': {
      const base = pick(POOL);
      const perMinute = 3 + random() * 12;
      for (let t = start; t < end; t += exponential(MINUTE / perMinute))
        out.push({ keyId, time: t, promptText: perturb(base, random) });
      return;
    }
    case 'burst': {
      const perMinute = 150 + random() * 250;
      const stop = Math.min(end, start + (1 + random() * 2) * MINUTE);
      for (let t = start; t < stop; t += exponential(MINUTE / perMinute))
        out.push({ keyId, time: t, promptText: pick(POOL) });
      return;
    }
    case 'random': {
      const perMinute = 2 + random() * 8;
      for (let t = start; t < end; t += exponential(MINUTE / perMinute))
        out.push({ keyId, time: t, promptText: randomTokens(random) });
      return;
    }
  }
}

/** Sub-word pieces of the benign pool, digits and symbols: a stand-in for a tokenizer's vocabulary. */
const VOCABULARY = [
  ...new Set(POOL.flatMap((t) => t.split(/\s+/)).flatMap((w) => [w.slice(0, 3), w.slice(3, 6), w.slice(-2)])),
  ...'0123456789!#$%&()*+-/:;<=>?@[]^_{}|~'.split(''),
].filter((piece) => piece.length > 0);

/** A prompt of 20–200 tokens drawn uniformly from the vocabulary, as random-query extraction sends. */
export function randomTokens(random: () => number): string {
  const count = 20 + Math.floor(random() * 180);
  const pieces: string[] = [];
  for (let i = 0; i < count; i++) pieces.push(VOCABULARY[Math.floor(random() * VOCABULARY.length)]!);
  return pieces.join(random() < 0.5 ? ' ' : '');
}

/** A benign rephrasing: a clause added or a sentence dropped. */
function rephrase(text: string, random: () => number): string {
  const sentences = text.split(/(?<=[.?!])\s+/);
  if (sentences.length > 1 && random() < 0.5) return sentences.slice(0, -1).join(' ');
  return `${text} ${random() < 0.5 ? 'Please keep it short.' : 'Could you explain a bit more?'}`;
}

/** A probing perturbation: one or two words swapped or dropped, a character changed, or a suffix tried. */
export function perturb(text: string, random: () => number): string {
  const words = text.split(' ');
  const edits = 1 + Math.floor(random() * 2);
  for (let e = 0; e < edits; e++) {
    const i = Math.floor(random() * words.length);
    const roll = random();
    if (roll < 0.3 && words.length > 3) words.splice(i, 1);
    else if (roll < 0.6) {
      const w = words[i]!;
      const c = Math.floor(random() * Math.max(1, w.length));
      words[i] = w.slice(0, c) + String.fromCharCode(97 + Math.floor(random() * 26)) + w.slice(c + 1);
    } else if (roll < 0.8 && i + 1 < words.length) [words[i], words[i + 1]] = [words[i + 1]!, words[i]!];
    else words.push(['now', 'exactly', 'please', 'step by step', 'ok?'][Math.floor(random() * 5)]!);
  }
  return words.join(' ');
}
