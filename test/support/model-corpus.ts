import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { walkPaths } from '../../src/cli/walk.js';
import type { Finding } from '../../src/core/findings.js';
import { runScan } from '../../src/core/scan/engine.js';
import { DEFAULT_SCAN_LIMITS } from '../../src/core/scan/types.js';
import { isAtOrAbove, type Severity } from '../../src/core/severity.js';
import { defaultRegistry } from '../../src/scanners.js';

const here = dirname(fileURLToPath(import.meta.url));

/** The generator of the model corpus (python3 standard library; it writes bytes and loads nothing). */
export const CORPUS_GENERATOR = join(here, '..', 'fixtures', 'models', 'generate.py');

/** One sample of the corpus manifest. */
export interface CorpusSample {
  readonly file: string;
  readonly expect: 'malicious' | 'malformed' | 'benign';
  readonly family: string;
  readonly technique?: string;
}

/** What the model scanner reported for one sample. */
export interface SampleResult extends CorpusSample {
  /** Highest severity among the model scanner's own findings (not the framework's name checks). */
  readonly top: Severity | undefined;
  /** Highest severity among every finding on the file. */
  readonly topAny: Severity | undefined;
  readonly findings: readonly Finding[];
}

/** Writes the corpus into `dir` and returns its manifest. */
export function generateCorpus(dir: string): CorpusSample[] {
  execFileSync('python3', [CORPUS_GENERATOR, dir], { stdio: ['ignore', 'ignore', 'inherit'] });
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
    samples: CorpusSample[];
  };
  return manifest.samples;
}

const MODEL_RULE = /^BW-(PICKLE|ARCHIVE|MODEL)-/;

/** Scans the corpus with the model scanner through the scan engine and groups findings by sample. */
export async function scanCorpus(dir: string, samples: readonly CorpusSample[]): Promise<SampleResult[]> {
  const outcome = await runScan({
    entries: walkPaths([dir], { limits: DEFAULT_SCAN_LIMITS, cwd: dir, ignoreFiles: false }),
    registry: defaultRegistry().only('model'),
    limits: DEFAULT_SCAN_LIMITS,
  });
  const byFile = new Map<string, Finding[]>();
  for (const finding of outcome.findings) {
    const file = relative(dir, join(dir, finding.location.path)).split(sep).join('/');
    byFile.set(file, [...(byFile.get(file) ?? []), finding]);
  }
  return samples.map((sample) => {
    const findings = byFile.get(sample.file) ?? [];
    return {
      ...sample,
      findings,
      top: highest(findings.filter((f) => MODEL_RULE.test(f.ruleId))),
      topAny: highest(findings),
    };
  });
}

function highest(findings: readonly Finding[]): Severity | undefined {
  let top: Severity | undefined;
  for (const f of findings) if (top === undefined || isAtOrAbove(f.severity, top)) top = f.severity;
  return top;
}

/** Whether a sample was handled as the acceptance criteria demand. */
export function isCorrect(result: SampleResult): boolean {
  switch (result.expect) {
    case 'malicious':
      return result.top !== undefined && isAtOrAbove(result.top, 'high');
    case 'malformed':
      return result.top !== undefined && isAtOrAbove(result.top, 'medium');
    case 'benign':
      return result.topAny === undefined || !isAtOrAbove(result.topAny, 'medium');
  }
}
