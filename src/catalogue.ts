import { RuleCatalogue, type Rule } from './core/rules.js';
import { PROMPT_RULES } from './prompts/prompt-rules.js';
import { defaultRegistry } from './scanners.js';

/**
 * Rules reported by verbs that are not file scanners: `bulwark scan prompt` scores prompts, not files,
 * and reports the prompt shield's rules.
 */
const VERB_RULES: readonly Rule[] = PROMPT_RULES;

/**
 * Every rule Bulwark can report, from every stage: the source of `bulwark rules`, SARIF's
 * `tool.driver.rules` and `docs/rules.md`. Scanners declare their rules; the framework's own come
 * with the registry; verbs that scan something other than files add theirs here.
 */
export function allRules(): Rule[] {
  const rules = new Map<string, Rule>();
  for (const rule of [...defaultRegistry().rules(), ...VERB_RULES]) rules.set(rule.id, rule);
  return new RuleCatalogue(rules.values()).list();
}
