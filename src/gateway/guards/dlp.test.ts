import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../core/seeded-random.js';
import { createDlp } from './dlp.js';

const PROMPT =
  'Email jane.doe@acme-corp.com and copy jane.doe@acme-corp.com; the card is 4111 1111 1111 1111.';

describe('createDlp', () => {
  it('replaces values by stable placeholders and restores them', () => {
    const dlp = createDlp({ allowRestore: true });
    const { text, mapping, replaced } = dlp.protect(PROMPT);
    expect(text).toBe('Email ⟦EMAIL_ADDRESS_1⟧ and copy ⟦EMAIL_ADDRESS_1⟧; the card is ⟦CREDIT_CARD_1⟧.');
    expect(replaced.map((r) => r.entity)).toEqual(['EMAIL_ADDRESS', 'EMAIL_ADDRESS', 'CREDIT_CARD']);
    expect(dlp.restore(text, mapping)).toBe(PROMPT);
    expect(dlp.restore('unknown ⟦EMAIL_ADDRESS_9⟧ stays', mapping)).toBe('unknown ⟦EMAIL_ADDRESS_9⟧ stays');
  });

  it('keeps placeholders when restoring is not allowed, and never serialises the mapping', () => {
    const dlp = createDlp({ allowRestore: false, entities: ['EMAIL_ADDRESS'] });
    const { text, mapping } = dlp.protect(PROMPT);
    expect(text).toContain('4111 1111 1111 1111');
    expect(dlp.restore(text, mapping)).toBe(text);
    expect(() => JSON.stringify({ mapping })).toThrow(/never leaves the process/);
  });

  it('restores placeholders split across deltas (property)', () => {
    const dlp = createDlp({ allowRestore: true });
    const { text, mapping } = dlp.protect(PROMPT);
    const answer = `Sure. ${text} Also ⟦ not a placeholder and ⟦EMAIL_ADDRESS_1⟧.`;
    const expected = dlp.restore(answer, mapping);
    const random = seededRandom(11);
    for (let round = 0; round < 50; round++) {
      const restorer = dlp.restorer(mapping);
      let out = '';
      for (let at = 0; at < answer.length;) {
        const size = 1 + Math.floor(random() * 6);
        out += restorer.push(answer.slice(at, at + size));
        at += size;
      }
      expect(out + restorer.end()).toBe(expected);
    }
  });

  it('rejects an unknown entity', () => {
    expect(() => createDlp({ allowRestore: true, entities: ['NOPE'] })).toThrow(/unknown entity NOPE/);
  });
});
