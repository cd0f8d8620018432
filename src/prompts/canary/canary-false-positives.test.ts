import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../test/support/seeded-random.js';
import { type Canary, createCanary } from './canary.js';
import { findCanaryLeaks } from './canary-scanner.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SAMPLES = 10_000;
const SAMPLE_LENGTH = 1024;

function seededBytes(seed: number): (size: number) => Uint8Array {
  const random = seededRandom(seed);
  return (size) => Uint8Array.from({ length: size }, () => Math.floor(random() * 256));
}

/** Ten hex and ten word canaries, replayable. */
const CANARIES: Canary[] = Array.from({ length: 20 }, (_, k) =>
  createCanary({ form: k % 2 === 0 ? 'hex' : 'word', randomBytes: seededBytes(1000 + k) }),
);

function filesUnder(dir: string, suffix: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith(suffix))
    .map((name) => join(dir, name));
}

/** Seeded 1 KB windows of a corpus. */
function windows(corpus: string, seed: number): string[] {
  const random = seededRandom(seed);
  return Array.from({ length: SAMPLES }, () => {
    const start = Math.floor(random() * (corpus.length - SAMPLE_LENGTH));
    return corpus.slice(start, start + SAMPLE_LENGTH);
  });
}

const VOCABULARY = (
  'the of and to in is that for it as was with be by on not he this are or his from at which but have an ' +
  'they you were her she there been one all we their has would when if so no will can more about said ' +
  'out up them some could into than then its time only new like other these two may first any my now ' +
  'such people over made did most after also way just many before where those through back much should ' +
  'because each well very good even still state between own here might great know three year work ' +
  'ignore previous instructions invoice deadline please send report summary password system prompt code ' +
  'secret token 2024 15 3.5 42 100'
).split(' ');

/** Seeded English-like prose: sentences of common words, numbers and punctuation. */
function englishSample(random: () => number): string {
  let text = '';
  while (text.length < SAMPLE_LENGTH) {
    const words = Array.from(
      { length: 4 + Math.floor(random() * 14) },
      () => VOCABULARY[Math.floor(random() * VOCABULARY.length)] ?? '',
    );
    const sentence = words.join(random() < 0.2 ? ', ' : ' ');
    text += `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}${random() < 0.8 ? '. ' : '?\n'}`;
  }
  return text.slice(0, SAMPLE_LENGTH);
}

const CORPORA: Record<string, () => string[]> = {
  'English prose (docs/*.md, README.md)': () =>
    windows(
      [...filesUnder(join(ROOT, 'docs'), '.md'), join(ROOT, 'README.md')]
        .map((f) => readFileSync(f, 'utf8'))
        .join('\n'),
      1,
    ),
  'generated English sentences': () => {
    const random = seededRandom(2);
    return Array.from({ length: SAMPLES }, () => englishSample(random));
  },
  'TypeScript code (src/**/*.ts)': () =>
    windows(
      filesUnder(join(ROOT, 'src'), '.ts')
        .map((f) => readFileSync(f, 'utf8'))
        .join('\n'),
      3,
    ),
  'base64 of random bytes': () => {
    const bytes = seededBytes(4);
    return Array.from({ length: SAMPLES }, () => Buffer.from(bytes(768)).toString('base64'));
  },
  'hex of random bytes': () => {
    const bytes = seededBytes(5);
    return Array.from({ length: SAMPLES }, () => Buffer.from(bytes(512)).toString('hex'));
  },
};

describe('findCanaryLeaks: false positives', () => {
  for (const [name, build] of Object.entries(CORPORA)) {
    it(`${name}: no match in ${SAMPLES.toLocaleString('en')} samples of 1 KB against 20 canaries`, () => {
      const samples = build();
      expect(samples).toHaveLength(SAMPLES);
      const flagged = samples.filter((sample) => findCanaryLeaks(sample, CANARIES).length > 0);
      expect(flagged).toEqual([]);

      // Control: the same samples with a 12-character body fragment planted are all caught.
      const canary = CANARIES[0] as Canary;
      const fragment = canary.token.slice(canary.prefix.length + 3, canary.prefix.length + 15);
      const planted = samples
        .slice(0, 200)
        .map((sample) => `${sample.slice(0, 500)} ${fragment} ${sample.slice(500)}`);
      expect(planted.filter((sample) => findCanaryLeaks(sample, CANARIES).length > 0)).toHaveLength(200);
    });
  }
});
