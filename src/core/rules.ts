import { mappingsOfControls, type ControlId, type FrameworkMappings } from './controls.js';
import type { Finding, Location } from './findings.js';
import type { Severity } from './severity.js';

/**
 * A rule of the catalogue: what it catches, why it matters, how to fix it, and its framework
 * mappings (derived from its controls unless given). `docs/rules.md` is generated from these.
 */
export interface Rule {
  /** Stable id, `BW-<AREA>-<NNN>`; never reused for another meaning. */
  readonly id: string;
  /** Short kebab-case name, used as the SARIF rule name. */
  readonly name: string;
  readonly title: string;
  readonly defaultSeverity: Severity;
  readonly controls: readonly ControlId[];
  /** What the rule catches and why it matters. */
  readonly description: string;
  /** How to fix or accept what was found. */
  readonly remediation: string;
  readonly mappings: FrameworkMappings;
}

/** The fields a rule is written with; mappings default to those of its controls. */
export type RuleSpec = Omit<Rule, 'mappings'> & { readonly mappings?: FrameworkMappings };

/** Rule ids as `defineRule` accepts them (`BW-<AREA>-<NNN>`). */
export const RULE_ID_PATTERN = /^BW-[A-Z]+-\d{3}$/;

/** Defines a rule, deriving its framework mappings from its controls when none are given. */
export function defineRule(spec: RuleSpec): Rule {
  if (!RULE_ID_PATTERN.test(spec.id)) throw new Error(`rule id ${spec.id} does not match BW-<AREA>-<NNN>`);
  return { ...spec, mappings: spec.mappings ?? mappingsOfControls(spec.controls) };
}

/** Fields of a finding that vary per occurrence; the rest comes from the rule. */
export interface FindingInput {
  readonly message: string;
  readonly location: Location;
  readonly severity?: Severity;
  readonly evidence?: Finding['evidence'];
}

/** Builds a finding of `rule`, with the rule's default severity and controls. */
export function findingOf(rule: Rule, input: FindingInput): Finding {
  const finding: Finding = {
    ruleId: rule.id,
    severity: input.severity ?? rule.defaultSeverity,
    message: input.message,
    location: input.location,
    controls: rule.controls,
  };
  return input.evidence === undefined ? finding : { ...finding, evidence: input.evidence };
}

/** An index of rules by id that refuses duplicates. */
export class RuleCatalogue {
  readonly #rules = new Map<string, Rule>();

  constructor(rules: Iterable<Rule> = []) {
    for (const rule of rules) this.add(rule);
  }

  /** Adds a rule; two rules with one id are a programming error. */
  add(rule: Rule): void {
    if (this.#rules.has(rule.id)) throw new Error(`duplicate rule id ${rule.id}`);
    this.#rules.set(rule.id, rule);
  }

  get(id: string): Rule | undefined {
    return this.#rules.get(id);
  }

  /** All rules sorted by id. */
  list(): Rule[] {
    return [...this.#rules.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
}
