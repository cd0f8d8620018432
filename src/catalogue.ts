import { SCAN_RULES } from './core/scan/rules.js';
import type { Rule } from './core/rules.js';

/**
 * Every rule Bulwark can report, from every stage: the source of `bulwark rules`, SARIF's
 * `tool.driver.rules` and `docs/rules.md`.
 */
export function allRules(): Rule[] {
  return [...SCAN_RULES];
}
