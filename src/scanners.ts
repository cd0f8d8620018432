import type { z } from 'zod';
import { ScannerRegistry } from './core/scan/registry.js';
import { createDataScanner } from './data/data-scanner.js';
import { modelScanner } from './models/model-scanner.js';
import { createCorpusScanner } from './prompts/corpus/corpus-scanner.js';
import { depsScanner } from './supply/deps-scanner.js';
import { vectorScanner } from './vectors/vector-scanner.js';

/** One data scanner per process: its compiled recognizers are reused across scans. */
const dataScanner = createDataScanner();
/** The corpus scanner loads the prompt shield on its first scan, once per process. */
const corpusScanner = createCorpusScanner();

/**
 * The scanners `bulwark scan` runs. Each stage adds its scanner here (model artifacts, dependencies,
 * sensitive data, prompts); the scan framework itself reports what it finds while walking and
 * identifying files (unreadable files, limits, disguised files).
 */
export function defaultRegistry(): ScannerRegistry {
  const registry = new ScannerRegistry();
  registry.register(modelScanner);
  registry.register(depsScanner);
  registry.register(dataScanner);
  registry.register(corpusScanner);
  registry.register(vectorScanner);
  return registry;
}

/** Each registered scanner's `bulwark.yaml` option schema, by scanner id (for config loading and docs). */
export function scannerOptionSchemas(): { [scannerId: string]: z.ZodType } {
  return Object.fromEntries(
    defaultRegistry()
      .list()
      .flatMap((s) => (s.optionsSchema ? [[s.id, s.optionsSchema]] : [])),
  );
}
