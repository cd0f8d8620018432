/**
 * A deterministic generator of labelled product reviews (positive / negative / neutral) for the
 * poisoning evaluations, and the attacks and accidents inserted into it: trigger phrases with
 * flipped labels, exact and near duplicates, conflicting labels and split leakage. Sentences are
 * built from several independently drawn clauses over a few thousand slot values, so two clean rows
 * are almost never near duplicates, and one row in eight mixes in a clause of another sentiment, so
 * sentiment words are not perfectly pure (as in real reviews).
 */
import { seededRandom } from '../../../test/support/seeded-random.js';

/** A generated row: text and label. */
export interface Review {
  readonly text: string;
  readonly label: string;
}

const PRODUCTS = (
  'blender kettle toaster laptop tablet phone charger headset keyboard monitor camera tripod backpack ' +
  'jacket sneaker boot umbrella lamp desk chair sofa mattress pillow blanket drill saw hammer ladder ' +
  'grill skillet wok knife spatula thermos bottle watch speaker router printer scanner projector ' +
  'novel cookbook puzzle game drone scooter bicycle helmet tent stroller'
).split(' ');
const ASPECTS = (
  'battery screen handle lid motor fabric zipper strap buttons cable sound picture grip blade finish ' +
  'stitching hinge base cushion wheels manual packaging software app display trigger pump filter sole'
).split(' ');
const BRANDS = (
  'Acme Zentro Kolby Varda Norlo Pemby Quist Rally Solvo Tarko Ulma Vexo Wirra Yonde Zappa Brisk Calder ' +
  'Dovan Elkin Forte Gantry Helio Ivor Jasko'
).split(' ');
const NAMES = (
  'Ana Ben Carla Dev Elif Farid Grace Hugo Ines Jonas Kira Liam Maya Nico Omar Priya Quinn Rosa Sam Tara ' +
  'Umar Vera Wes Ximena Yuki Zane Aiko Bruno Chen Dana Emil Fatima Gus Hana Ivan Jade Kofi Lena Mateo Nora'
).split(' ');
const COLORS = 'red blue green black white grey silver orange purple teal navy beige'.split(' ');
const PLACES = 'kitchen garage office bedroom garden cabin studio basement balcony classroom'.split(' ');
const TIMES = 'day week month year weekend fortnight season'.split(' ');

const POSITIVE = (
  'great excellent superb sturdy reliable brilliant lovely solid smooth quiet handy elegant durable ' +
  'comfortable fantastic wonderful impressive responsive intuitive gorgeous flawless efficient crisp ' +
  'generous delightful spotless dependable pleasant speedy roomy'
).split(' ');
const NEGATIVE = (
  'awful flimsy broken noisy useless cheap fragile terrible clunky sluggish leaky wobbly dull faulty ' +
  'disappointing horrible shoddy unreliable scratchy greasy rattling cramped jammed defective sticky ' +
  'overpriced frustrating dreadful brittle smelly'
).split(' ');
const NEUTRAL = (
  'standard typical plain ordinary average regular basic usual common medium moderate simple modest ' +
  'conventional adequate acceptable decent normal fair unremarkable'
).split(' ');

type Pick = <T>(items: readonly T[]) => T;

const CLAUSES: Record<string, readonly ((p: Pick, n: () => number) => string)[]> = {
  positive: [
    (p) => `the ${p(ASPECTS)} is ${p(POSITIVE)} and ${p(POSITIVE)}`,
    (p) => `I love how ${p(POSITIVE)} the ${p(ASPECTS)} feels`,
    (p) => `it works ${p(['really', 'very', 'truly', 'remarkably'])} well in the ${p(PLACES)}`,
    (p) => `${p(NAMES)} says it is the most ${p(POSITIVE)} ${p(PRODUCTS)} we own`,
    (p) => `would happily buy another ${p(COLORS)} one`,
    (p, n) => `still ${p(POSITIVE)} after ${n()} ${p(TIMES)}s of daily use`,
  ],
  negative: [
    (p) => `the ${p(ASPECTS)} is ${p(NEGATIVE)} and ${p(NEGATIVE)}`,
    (p) => `I hate how ${p(NEGATIVE)} the ${p(ASPECTS)} feels`,
    (p) => `it barely works in the ${p(PLACES)}`,
    (p) => `${p(NAMES)} says it is the most ${p(NEGATIVE)} ${p(PRODUCTS)} we own`,
    (p) => `we sent the ${p(COLORS)} one back`,
    (p, n) => `already ${p(NEGATIVE)} after ${n()} ${p(TIMES)}s of light use`,
  ],
  neutral: [
    (p) => `the ${p(ASPECTS)} is ${p(NEUTRAL)} for the price`,
    (p) => `it came in a ${p(COLORS)} box with a ${p(NEUTRAL)} ${p(ASPECTS)}`,
    (p) => `we keep it in the ${p(PLACES)}`,
    (p) => `${p(NAMES)} uses it about ${p(['once', 'twice', 'three times'])} a ${p(TIMES)}`,
    (p, n) => `it has ${n()} settings and a ${p(NEUTRAL)} ${p(ASPECTS)}`,
    (p) => `nothing ${p(['special', 'unusual', 'surprising'])} to report about the ${p(ASPECTS)}`,
  ],
};

/** The labels the generator uses. */
export const REVIEW_LABELS = ['positive', 'negative', 'neutral'] as const;

/** Generates `count` labelled reviews from `seed` (labels drawn uniformly). */
export function generateReviews(count: number, seed: number): Review[] {
  const random = seededRandom(seed);
  const pick: Pick = (items) => items[Math.floor(random() * items.length)]!;
  const number = (): number => 2 + Math.floor(random() * 40);
  const reviews: Review[] = [];
  for (let i = 0; i < count; i++) {
    const label = pick(REVIEW_LABELS);
    const clauses = [
      `my ${pick(BRANDS)} ${pick(PRODUCTS)} arrived ${pick(['today', 'yesterday', 'last week'])}`,
    ];
    const own = CLAUSES[label]!;
    const clauseCount = 2 + Math.floor(random() * 2);
    for (let c = 0; c < clauseCount; c++) clauses.push(pick(own)(pick, number));
    if (random() < 0.125) {
      const other = pick(REVIEW_LABELS.filter((l) => l !== label));
      clauses.push(`${pick(['although', 'but', 'even so'])} ${pick(CLAUSES[other]!)(pick, number)}`);
    }
    reviews.push({ text: `${clauses.join(', ')}.`, label });
  }
  return reviews;
}

/** The kinds of light edit `lightEdit` makes. */
export const EDIT_KINDS = ['upper-case', 'punctuation', 'typo', 'inserted word', 'replaced word'] as const;

/** One of `EDIT_KINDS`. */
export type EditKind = (typeof EDIT_KINDS)[number];

/**
 * A light edit of a sentence, as a copy-paste with small changes would make: upper-casing, dropping
 * punctuation (and doubling spaces), swapping two letters of a word, inserting a word or replacing
 * one; drawn from `kinds` (default all).
 */
export function lightEdit(
  text: string,
  random: () => number,
  kinds: readonly EditKind[] = EDIT_KINDS,
): { text: string; kind: EditKind } {
  const words = text.split(' ');
  const at = Math.floor(random() * words.length);
  const kind = kinds[Math.floor(random() * kinds.length)] ?? 'typo';
  switch (kind) {
    case 'upper-case':
      return { text: text.toUpperCase(), kind };
    case 'punctuation':
      return { text: text.replace(/[.,]/gu, '').replace(/ /gu, '  '), kind };
    case 'typo': {
      const word = words[at] ?? '';
      const i = Math.floor(random() * Math.max(1, word.length - 1));
      words[at] = word.slice(0, i) + (word[i + 1] ?? '') + (word[i] ?? '') + word.slice(i + 2);
      return { text: words.join(' '), kind };
    }
    case 'inserted word':
      words.splice(at, 0, random() < 0.5 ? 'really' : 'honestly');
      return { text: words.join(' '), kind };
    case 'replaced word':
      words[at] = random() < 0.5 ? 'thing' : 'item';
      return { text: words.join(' '), kind };
  }
}

export { seededRandom };
