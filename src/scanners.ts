import { ScannerRegistry } from './core/scan/registry.js';

/**
 * The scanners `bulwark scan` runs. Each stage adds its scanner here (model artifacts, dependencies,
 * sensitive data, prompts); the scan framework itself reports what it finds while walking and
 * identifying files (unreadable files, limits, disguised files).
 */
export function defaultRegistry(): ScannerRegistry {
  return new ScannerRegistry();
}
