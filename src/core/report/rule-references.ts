import { ATLAS_TECHNIQUES, findControl, OWASP_LLM_2025 } from '../controls.js';
import type { Rule } from '../rules.js';

/** An identifier with its human name, e.g. `LLM03` "Supply Chain". */
export interface NamedReference {
  readonly id: string;
  readonly name: string;
}

/** A rule's controls and framework mappings, each with its name, for docs and SARIF help. */
export interface RuleReferences {
  readonly controls: readonly NamedReference[];
  readonly owaspLlm: readonly NamedReference[];
  readonly atlas: readonly NamedReference[];
  /** NIST AI RMF subcategories have no short names in the catalogue; the id is the name. */
  readonly nistAiRmf: readonly NamedReference[];
}

/** Resolves the names of a rule's controls, OWASP LLM risks and ATLAS techniques. */
export function ruleReferences(rule: Rule): RuleReferences {
  return {
    controls: rule.controls.map((id) => ({ id, name: findControl(id)?.title ?? id })),
    owaspLlm: rule.mappings.owaspLlm.map((id) => ({ id, name: OWASP_LLM_2025[id] })),
    atlas: rule.mappings.atlas.map((id) => ({ id, name: ATLAS_TECHNIQUES[id] })),
    nistAiRmf: rule.mappings.nistAiRmf.map((id) => ({ id, name: id })),
  };
}

/** Every id a rule is tagged with: controls, then OWASP, ATLAS and NIST ids, without repeats. */
export function ruleTags(rule: Rule): string[] {
  return [
    ...new Set<string>([
      ...rule.controls,
      ...rule.mappings.owaspLlm,
      ...rule.mappings.atlas,
      ...rule.mappings.nistAiRmf,
    ]),
  ];
}
