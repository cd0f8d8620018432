import { DANGER_CATEGORIES, DENY_EXCEPTIONS, DENY_LIST, type DangerCategory } from './pickle-denylist.js';
import {
  DANGEROUS_ATTRIBUTE_GROUPS,
  MODULE_ALIASES,
  OBJECT_GRAPH_ATTRIBUTES,
  REEXPORTING_PACKAGES,
  REFERENCE_ONLY_PATHS,
  SIX_MOVES_RENAMES,
} from './pickle-policy-chains.js';

/** Why a global is dangerous: its category and one sentence for the user. */
export interface Danger {
  readonly category: DangerCategory;
  readonly reason: string;
}

interface DenyRule {
  readonly path: string;
  readonly category: DangerCategory;
  readonly reason: string;
  /** Matches only away from the start of a path (reaching the module, not importing from it). */
  readonly referenceOnly: boolean;
}

function words(texts: string | readonly string[]): string[] {
  return (typeof texts === 'string' ? [texts] : texts).flatMap((t) => t.split(/\s+/)).filter((w) => w !== '');
}

function buildRules(): Map<string, DenyRule> {
  const rules = new Map<string, DenyRule>();
  for (const category of DANGER_CATEGORIES) {
    for (const [reason, paths] of DENY_LIST[category]) {
      for (const path of words(paths)) rules.set(path, { path, category, reason, referenceOnly: false });
    }
  }
  for (const [path, group] of Object.entries(REFERENCE_ONLY_PATHS)) {
    rules.set(path, { path, category: group.category, reason: group.reason, referenceOnly: true });
  }
  return rules;
}

const RULES = buildRules();
const MAX_RULE_DEPTH = Math.max(...[...RULES.keys()].map((p) => p.split('.').length));
const ALIASES = new Set(words(MODULE_ALIASES));
const EXCEPTIONS = new Map(Object.entries(DENY_EXCEPTIONS).map(([path, next]) => [path, new Set(next)]));
const OBJECT_GRAPH = new Set(words(OBJECT_GRAPH_ATTRIBUTES));
const ATTRIBUTES = new Map(
  DANGEROUS_ATTRIBUTE_GROUPS.flatMap((g) => words(g.names).map((n) => [n, g] as const)),
);
const REEXPORTS = Object.entries(REEXPORTING_PACKAGES)
  .map(([prefix, target]) => ({ prefix: prefix.split('.'), target }))
  .sort((a, b) => b.prefix.length - a.prefix.length);
const SIX_RENAMES = new Map(Object.entries(SIX_MOVES_RENAMES));

/** Paths quoted in reasons are cut here, so a megabyte-long name does not become a megabyte message. */
const MAX_SHOWN = 160;

function shown(path: string): string {
  return path.length <= MAX_SHOWN ? `\`${path}\`` : `\`${path.slice(0, MAX_SHOWN)}…\``;
}

function isDunder(segment: string): boolean {
  return segment.length > 4 && segment.startsWith('__') && segment.endsWith('__');
}

/** The longest rule that `segs` starts with (how Python imports it), skipping harmless children. */
function naturalRule(segs: readonly string[]): DenyRule | undefined {
  let found: DenyRule | undefined;
  let key = '';
  for (let j = 1; j <= Math.min(segs.length, MAX_RULE_DEPTH); j++) {
    key = j === 1 ? (segs[0] ?? '') : `${key}.${segs[j - 1] ?? ''}`;
    const rule = RULES.get(key);
    if (rule === undefined || rule.referenceOnly) continue;
    if (EXCEPTIONS.get(key)?.has(segs[j] ?? '')) continue;
    found = rule;
  }
  return found;
}

/**
 * The first rule reached through the name's attribute chain: an alias in any name (`torch` +
 * `os`), any rule in a dotted name (`torch` + `serialization.os.system`). Module paths are not walked
 * here: Python imports them as real submodules (`numpy.random._pickle` is not `_pickle`).
 */
function chainRule(segs: readonly string[], nameStart: number, dotted: boolean): DenyRule | undefined {
  for (let i = Math.max(1, nameStart); i < segs.length; i++) {
    let found: DenyRule | undefined;
    let key = '';
    for (let j = i + 1; j <= Math.min(segs.length, i + MAX_RULE_DEPTH); j++) {
      key = j === i + 1 ? (segs[i] ?? '') : `${key}.${segs[j - 1] ?? ''}`;
      const rule = RULES.get(key);
      if (rule === undefined) continue;
      const counts = dotted || (j === i + 1 && ALIASES.has(key));
      if (!counts || EXCEPTIONS.get(key)?.has(segs[j] ?? '')) continue;
      found = rule;
    }
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The path as the module it re-exports (`six.moves.urllib.request` → `urllib.request`), if it is one. */
function reexportedPath(segs: readonly string[]): string[] | undefined {
  for (const { prefix, target } of REEXPORTS) {
    if (segs.length <= prefix.length || prefix.some((p, i) => segs[i] !== p)) continue;
    const rest = segs.slice(prefix.length);
    if (target !== '') return [...target.split('.'), ...rest];
    const [first = '', ...tail] = rest;
    return [...(SIX_RENAMES.get(first) ?? first).split('.'), ...tail];
  }
  return undefined;
}

function describeNatural(full: string, rule: DenyRule): string {
  return full === rule.path
    ? `${shown(full)} ${rule.reason}.`
    : `${shown(full)} belongs to ${shown(rule.path)}, which ${rule.reason}.`;
}

/**
 * Explains why importing `name` from `module` (names as Python 3 will import them; dotted names are
 * getattr chains) is dangerous, or returns undefined when no deny rule applies. Checks, in order: the
 * path itself and its parents, its re-exported form, attributes that open the object graph, dangerous
 * modules reached through the chain, and dangerous attribute names inside a dotted name. Work is linear
 * in the length of the strings, whatever they hold.
 */
export function findDanger(module: string, name: string): Danger | undefined {
  const modSegs = module.split('.');
  const nameSegs = name.split('.');
  const segs = [...modSegs, ...nameSegs];
  const full = `${module}.${name}`;
  const nameStart = modSegs.length;
  const dotted = nameSegs.length > 1;

  const natural = naturalRule(segs);
  if (natural !== undefined) return { category: natural.category, reason: describeNatural(full, natural) };

  const reexported = reexportedPath(segs);
  const viaReexport = reexported === undefined ? undefined : naturalRule(reexported);
  if (reexported !== undefined && viaReexport !== undefined) {
    return {
      category: viaReexport.category,
      reason: `${shown(full)} re-exports ${shown(reexported.join('.'))}; ${describeNatural(reexported.join('.'), viaReexport)}`,
    };
  }

  for (let k = nameStart; k < segs.length; k++) {
    const segment = segs[k] ?? '';
    if (OBJECT_GRAPH.has(segment)) {
      return {
        category: 'attribute-access',
        reason: `${shown(full)} walks the object graph through ${shown(segment)}, the usual route from a harmless object to any module or function.`,
      };
    }
    if (dotted && isDunder(segment)) {
      return {
        category: 'attribute-access',
        reason: `${shown(full)} reads the special attribute ${shown(segment)} through a dotted name, which ordinary pickles never do.`,
      };
    }
  }

  const chained = chainRule(segs, nameStart, dotted);
  if (chained !== undefined) {
    return {
      category: chained.category,
      reason: `${shown(full)} passes through ${shown(chained.path)}, which ${chained.reason}.`,
    };
  }

  if (!dotted) return undefined;
  for (let k = nameStart; k < segs.length; k++) {
    const segment = segs[k] ?? '';
    const group = ATTRIBUTES.get(segment);
    if (group !== undefined) {
      return {
        category: group.category,
        reason: `${shown(full)} reaches the attribute ${shown(segment)}, which ${group.reason}.`,
      };
    }
  }
  return undefined;
}

/** How many deny paths each category has, for the documentation. */
export function denylistStats(): Readonly<Record<DangerCategory, number>> {
  const counts = Object.fromEntries(DANGER_CATEGORIES.map((c) => [c, 0])) as Record<DangerCategory, number>;
  for (const rule of RULES.values()) counts[rule.category]++;
  return counts;
}
