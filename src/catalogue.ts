import type { Rule } from './core/rules.js';
import { defaultRegistry } from './scanners.js';

/**
 * Every rule Bulwark can report, from every stage: the source of `bulwark rules`, SARIF's
 * `tool.driver.rules` and `docs/rules.md`. Scanners declare their rules; the framework's own come
 * with the registry.
 */
export function allRules(): Rule[] {
  return defaultRegistry().rules();
}
