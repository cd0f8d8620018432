import { describe, expect, it } from 'vitest';
import { abuseSettingsSchema, ramp } from './abuse-config.js';
import { createProbeHasher, ProbeTracker } from './probe-signal.js';
import { abuseText, CLIP_CHARS } from './prompt-text.js';
import { promptShape, ShapeReservoir, ShapeTracker } from './shape-signal.js';
import { promptTemplate, SweepTracker, SWEEP_TEMPLATES } from './sweep-signal.js';
import { VolumeTracker } from './volume-signal.js';
import { perturb, randomTokens, seededRandom } from './abuse-traffic.test-support.js';
import { AUTHORED_BENIGN_USER } from '../../prompts/classifier/authored-examples.js';

const settings = abuseSettingsSchema.parse({});
const WINDOW = 60_000;
const ENGLISH = AUTHORED_BENIGN_USER.filter((t) => t.lang === 'en').map((t) => t.text);

describe('ramp', () => {
  it('is 0 at or below low, 1 at or above high, linear between', () => {
    expect(ramp(2, 2, 6)).toBe(0);
    expect(ramp(4, 2, 6)).toBe(0.5);
    expect(ramp(9, 2, 6)).toBe(1);
  });
});

describe('volume signal', () => {
  it('stays 0 at a person’s pace and reaches 1 at the absolute cap', () => {
    const person = new VolumeTracker();
    let value = 0;
    for (let t = 0; t < 30 * WINDOW; t += 20_000) value = person.observe(t, WINDOW, settings.volume).value;
    expect(value).toBe(0);
    const bot = new VolumeTracker();
    let last = { value: 0, count: 0 };
    for (let i = 0; i < 130; i++) last = bot.observe(i * 400, WINDOW, settings.volume);
    expect(last.count).toBeGreaterThanOrEqual(settings.volume.cap);
    expect(last.value).toBe(1);
  });

  it('compares a key with its own baseline and forgets requests older than the window', () => {
    const tracker = new VolumeTracker();
    for (let t = 0; t < 20 * WINDOW; t += 6_000) tracker.observe(t, WINDOW, settings.volume);
    expect(tracker.baseline).toBeCloseTo(10, 0);
    let burst = { value: 0, count: 0 };
    for (let i = 0; i < 80; i++) burst = tracker.observe(20 * WINDOW + i * 500, WINDOW, settings.volume);
    expect(burst.value).toBeGreaterThan(0.6);
    expect(tracker.observe(40 * WINDOW, WINDOW, settings.volume).count).toBe(1);
  });
});

describe('sweep signal', () => {
  it('masks numbers and quoted spans into one template with different fillers', () => {
    const a = promptTemplate(abuseText('Classify: item 17 "red shoe"'))!;
    const b = promptTemplate(abuseText('classify:  item 18 "blue hat"'))!;
    expect(a.template).toBe(b.template);
    expect(a.filler).not.toBe(b.filler);
    expect(a.slots).toBe(2);
    expect(
      promptTemplate(abuseText("What's a good substitute for buttermilk? I don't know")),
    ).toBeUndefined();
  });

  it('counts distinct fillers of a template in the window, not repeats', () => {
    const tracker = new SweepTracker();
    let result = { value: 0, distinct: 0 };
    for (let i = 0; i < 20; i++)
      result = tracker.observe(
        i * 1000,
        WINDOW,
        promptTemplate(abuseText('rate review 7 please')),
        settings.sweep,
      );
    expect(result).toEqual({ value: 0, distinct: 1 });
    for (let i = 0; i < 12; i++)
      result = tracker.observe(
        30_000 + i * 1000,
        WINDOW,
        promptTemplate(abuseText(`label record #${i}`)),
        settings.sweep,
      );
    expect(result.distinct).toBe(12);
    expect(result.value).toBe(1);
    const later = tracker.observe(
      200_000,
      WINDOW,
      promptTemplate(abuseText('label record #99')),
      settings.sweep,
    );
    expect(later.distinct).toBe(1);
  });

  it('keeps at most a fixed number of templates', () => {
    const tracker = new SweepTracker();
    for (let i = 0; i < 100; i++)
      tracker.observe(i, WINDOW, promptTemplate(abuseText(`template ${'x'.repeat(i)} 1`)), settings.sweep);
    // The first template was evicted, so its sweep starts over.
    const again = tracker.observe(101, WINDOW, promptTemplate(abuseText('template  2')), settings.sweep);
    expect(again.distinct).toBe(1);
    expect(SWEEP_TEMPLATES).toBeLessThanOrEqual(8);
  });
});

describe('near-duplicate probing signal', () => {
  const hasher = createProbeHasher();

  it('fires on perturbed copies of one prompt and not on varied prompts', () => {
    const random = seededRandom(7);
    const probing = new ProbeTracker();
    let result = { value: 0, prompts: 0, share: 0 };
    for (let i = 0; i < 12; i++)
      result = probing.observe(
        i * 2000,
        WINDOW,
        abuseText(perturb(ENGLISH[6]!, random)),
        hasher,
        settings.probe,
      );
    expect(result.share).toBeGreaterThan(0.75);
    expect(result.value).toBe(1);

    const varied = new ProbeTracker();
    for (let i = 0; i < 12; i++)
      result = varied.observe(i * 2000, WINDOW, abuseText(ENGLISH[i]!), hasher, settings.probe);
    expect(result.share).toBe(0);
    expect(result.value).toBe(0);
  });

  it('needs minPrompts in the window before it scores', () => {
    const tracker = new ProbeTracker();
    let result = { value: 0, prompts: 0, share: 0 };
    for (let i = 0; i < settings.probe.minPrompts - 1; i++)
      result = tracker.observe(i, WINDOW, abuseText('the same prompt'), hasher, settings.probe);
    expect(result.share).toBeGreaterThan(0.7);
    expect(result.value).toBe(0);
  });
});

describe('shape signal', () => {
  it('measures length and character entropy', () => {
    expect(promptShape(4, 'aaaa').entropy).toBe(0);
    expect(promptShape(4, 'abcd').entropy).toBe(2);
    expect(promptShape(0, '').logLength).toBe(0);
  });

  it('flags a key that turns to random tokens and not its ordinary prompts', () => {
    const random = seededRandom(3);
    const population = new ShapeReservoir(512);
    const tracker = new ShapeTracker();
    let result = { value: 0, z: 0 };
    for (let i = 0; i < 40; i++) {
      const text = ENGLISH[i % 30]!;
      const shape = promptShape(text.length, abuseText(text));
      result = tracker.observe(shape, population, random, settings.shape);
      population.add(shape, random());
    }
    expect(result.value).toBe(0);
    for (let i = 0; i < 8; i++) {
      const text = randomTokens(random);
      result = tracker.observe(promptShape(text.length, abuseText(text)), population, random, settings.shape);
    }
    expect(result.z).toBeGreaterThan(settings.shape.z);
    expect(result.value).toBe(1);
  });

  it('keeps a bounded sample', () => {
    const reservoir = new ShapeReservoir(16);
    const random = seededRandom(1);
    for (let i = 0; i < 1000; i++) reservoir.add({ logLength: i, entropy: 1 }, random());
    expect(reservoir.seen).toBe(1000);
    expect(reservoir.capacity).toBe(16);
    expect(reservoir.z({ logLength: 500, entropy: 1 })).toBeLessThan(2);
  });
});

describe('prompt text', () => {
  it('clips long prompts to both ends', () => {
    const text = `${'a'.repeat(CLIP_CHARS)}${'b'.repeat(10 * CLIP_CHARS)}${'c'.repeat(CLIP_CHARS)}`;
    const clipped = abuseText(text);
    expect(clipped.length).toBe(2 * CLIP_CHARS + 1);
    expect(clipped.startsWith('a')).toBe(true);
    expect(clipped.endsWith('c')).toBe(true);
  });
});
