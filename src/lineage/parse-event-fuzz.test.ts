import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../test/support/seeded-random.js';
import { isBulwarkError } from '../core/errors.js';
import { parseRunEvent, splitEventDocument } from './parse-event.js';

const VALID = {
  eventType: 'COMPLETE',
  eventTime: '2025-03-04T05:06:07.123+02:00',
  run: { runId: '01956b1c-7c1d-7a8e-9f00-3c2b1a000001', facets: {} },
  job: { namespace: 'airflow', name: 'etl.clean' },
  inputs: [{ namespace: 'file', name: '/data/raw', facets: {} }],
  outputs: [{ namespace: 'file', name: '/data/clean', facets: {} }],
  producer: 'https://example.com/producer',
  schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
};

const ODD_VALUES: readonly unknown[] = [
  null,
  0,
  -1,
  1e308,
  '',
  ' ',
  '\u0000',
  '\uD800',
  'x'.repeat(10_000),
  [],
  {},
  [[[]]],
  { __proto__: { polluted: true } },
  true,
  '2025-13-45T99:99:99Z',
  'not-a-uuid',
];

/** Replaces one value somewhere in the event (a path chosen at random) with an odd value. */
function mutate(value: unknown, random: () => number, depth = 0): unknown {
  if (depth > 0 && random() < 0.3) return ODD_VALUES[Math.floor(random() * ODD_VALUES.length)];
  if (Array.isArray(value)) {
    if (value.length === 0) return value;
    const copy = [...(value as unknown[])];
    const at = Math.floor(random() * copy.length);
    copy[at] = mutate(copy[at], random, depth + 1);
    return copy;
  }
  if (value !== null && typeof value === 'object') {
    const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    const keys = Object.keys(copy);
    if (keys.length === 0) return copy;
    const key = keys[Math.floor(random() * keys.length)] as string;
    if (random() < 0.15) delete copy[key];
    else copy[key] = mutate(copy[key], random, depth + 1);
    return copy;
  }
  return ODD_VALUES[Math.floor(random() * ODD_VALUES.length)];
}

describe('lineage ingest parser: fuzz', () => {
  it('accepts or refuses each mutated event with a BulwarkError, never anything else', () => {
    const random = seededRandom(0x11eea9e);
    let accepted = 0;
    let refused = 0;
    for (let i = 0; i < 3000; i++) {
      const candidate = mutate(VALID, random);
      try {
        const parsed = parseRunEvent(candidate);
        expect(parsed.datasets.every((d) => typeof d.name === 'string' && d.name !== '')).toBe(true);
        accepted++;
      } catch (error) {
        if (!isBulwarkError(error)) throw error;
        expect(error.message.split('\n')).toHaveLength(1);
        refused++;
      }
    }
    // Both outcomes occur: the mutations reach the validated fields and the free-form ones.
    expect(accepted).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(100);
  });

  it('splits random bytes and truncated documents into chunks or one clear error', () => {
    const random = seededRandom(7);
    const text = JSON.stringify(VALID);
    for (let i = 0; i < 2000; i++) {
      const cut = text.slice(0, Math.floor(random() * text.length));
      const noise = Array.from({ length: Math.floor(random() * 40) }, () =>
        String.fromCharCode(Math.floor(random() * 0x3000)),
      ).join('');
      const documents = [cut, `[${cut}`, `${text}\n${cut}`, noise, `${text}\n${noise}\n${text}`];
      for (const document of documents) {
        try {
          for (const chunk of splitEventDocument(document)) {
            if (chunk.value.ok) {
              try {
                parseRunEvent(chunk.value.json);
              } catch (error) {
                if (!isBulwarkError(error)) throw error;
              }
            } else expect(chunk.value.error.length).toBeGreaterThan(0);
          }
        } catch (error) {
          if (!isBulwarkError(error)) throw error;
        }
      }
    }
  });
});
