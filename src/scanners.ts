import { ScannerRegistry } from './core/scan/registry.js';
import { modelScanner } from './models/model-scanner.js';
import { depsScanner } from './supply/deps-scanner.js';

/**
 * The scanners `bulwark scan` runs. Each stage adds its scanner here (model artifacts, dependencies,
 * sensitive data, prompts); the scan framework itself reports what it finds while walking and
 * identifying files (unreadable files, limits, disguised files).
 */
export function defaultRegistry(): ScannerRegistry {
  const registry = new ScannerRegistry();
  registry.register(modelScanner);
  registry.register(depsScanner);
  return registry;
}
