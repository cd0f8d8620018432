/**
 * `npm run eval:models`: generates the model corpus (test/fixtures/models), scans it with the model
 * scanner and prints detection and false-positive figures per family, as reported in
 * docs/model-scanning.md. Nothing in the corpus is ever loaded.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCorpus, isCorrect, scanCorpus } from '../test/support/model-corpus.js';

const dir = mkdtempSync(join(tmpdir(), 'bw-eval-models-'));
try {
  const results = await scanCorpus(dir, generateCorpus(dir));
  const out = (line: string) => process.stdout.write(`${line}\n`);
  for (const expect of ['malicious', 'malformed', 'benign'] as const) {
    const group = results.filter((r) => r.expect === expect);
    const ok = group.filter(isCorrect).length;
    const what =
      expect === 'benign'
        ? 'with no finding at medium or above'
        : `found at ${expect === 'malicious' ? 'high' : 'medium'} or above`;
    out(`${expect}: ${ok}/${group.length} ${what}`);
    const families = new Map<string, { n: number; ok: number }>();
    for (const r of group) {
      const f = families.get(r.family) ?? { n: 0, ok: 0 };
      f.n++;
      if (isCorrect(r)) f.ok++;
      families.set(r.family, f);
    }
    for (const [family, f] of [...families].sort()) out(`  ${family.padEnd(32)} ${f.ok}/${f.n}`);
    for (const r of group.filter((x) => !isCorrect(x))) {
      out(
        `  MISS ${r.file}: ${r.findings.map((f) => `${f.severity} ${f.ruleId}`).join(', ') || 'no finding'}`,
      );
    }
  }
  const benign = results.filter((r) => r.expect === 'benign');
  const lowNoise = benign.reduce((n, r) => n + r.findings.length, 0);
  out(`benign findings below medium (info/low): ${lowNoise}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
