import { describe, expect, it } from 'vitest';
import { CHARSETS, randomString, seededRandom } from '../../../test/fixtures/secrets/random.js';
import { GITLEAKS_RULES } from './gitleaks-rules.generated.js';
import { notebookUnits } from './notebook.js';
import { createSecretAnalyzer } from './secret-analyzer.js';

const MB = 1 << 20;
const analyzer = createSecretAnalyzer();
const random = seededRandom(0xf022);

function repeat(unit: string, length: number): string {
  return unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
}

const allKeywords = [...new Set(GITLEAKS_RULES.flatMap((r) => r.keywords))].join('= ');

/** Inputs shaped to make backtracking regexes slow: runs, repeated prefixes, headers without ends. */
const HOSTILE: Readonly<Record<string, (length: number) => string>> = {
  'random printable bytes': (n) => randomString(random, `${CHARSETS.printable} \n"'\\`, n),
  'one long run': (n) => `password=${'a'.repeat(n - 9)}`,
  'BEGIN headers without END': (n) => repeat('-----BEGIN RSA PRIVATE KEY-----\nMIIE', n),
  'curl commands on one line': (n) => repeat('curl -H ', n),
  'every gitleaks keyword, assigned': (n) => repeat(`${allKeywords}= `, n),
  'JWT-looking fragments': (n) => repeat('eyJhbGciOiJIUzI1NiJ9.eyJ', n),
  'URIs without a host': (n) => repeat('postgres://user:', n),
};

function timed(text: string): number {
  const started = performance.now();
  analyzer.analyze(text);
  return performance.now() - started;
}

describe('the secret analyzer on hostile input', () => {
  for (const [name, make] of Object.entries(HOSTILE)) {
    it(`${name}: never throws, time grows about linearly up to 1 MB`, () => {
      const quarter = timed(make(MB / 4));
      const full = timed(make(MB));
      // Four times the input may cost at most eight times the time (plus noise): quadratic would be 16.
      expect(full, `${name}: ${quarter.toFixed(0)} ms → ${full.toFixed(0)} ms`).toBeLessThan(
        8 * quarter + 500,
      );
      expect(full).toBeLessThan(30_000);
    }, 120_000);
  }

  it('notebookUnits rejects or reads hostile JSON without throwing anything but a BulwarkError', () => {
    for (const text of [
      `{"cells": [{"source": "${'\\u0041'.repeat(MB / 6)}"}]}`,
      `{"cells": [{"source": ["${'\\"'.repeat(MB / 2)}"]}]}`,
      '{"cells": ['.repeat(1),
      randomString(random, `${CHARSETS.printable}{}[]":,`, MB / 4),
    ]) {
      try {
        const units = notebookUnits(text);
        for (const unit of units) analyzer.analyze(unit.text, { field: unit.field });
      } catch (error) {
        expect((error as Error).name).toBe('BulwarkError');
      }
    }
  }, 60_000);
});
