/** One compound selector (`div.note#main`): a tag or `*`, ids and classes. */
export interface CompoundSelector {
  readonly tag?: string;
  readonly ids: readonly string[];
  readonly classes: readonly string[];
}

/** Compounds joined by descendant (` `) or child (`>`) combinators, read right to left when matching. */
export interface ComplexSelector {
  readonly text: string;
  readonly compounds: readonly CompoundSelector[];
  /** `combinators[i]` joins `compounds[i]` and `compounds[i + 1]`. */
  readonly combinators: readonly (' ' | '>')[];
  /** Ids × 10,000 + classes × 100 + tags (Selectors 4 §16, within the bounds used here). */
  readonly specificity: number;
  /** Whether a child combinator occurs (descendant-only selectors match greedily). */
  readonly hasChildCombinator: boolean;
  /** The tags, ids and classes some ancestor must carry: checked first, as browsers' ancestor filters do. */
  readonly ancestorKeys: readonly string[];
}

/** What selectors look at in an element. */
export interface ElementFacts {
  readonly tag: string;
  readonly id: string | undefined;
  readonly classes: readonly string[];
}

/** Counts selector-matching steps so hostile selectors over a deep tree stay bounded. */
export interface MatchSteps {
  count: number;
  /** Steps allowed over the whole document; the cascade gives up with `LIMIT_EXCEEDED` past it. */
  readonly limit: number;
}

const MAX_COMPOUNDS = 16;
const MAX_STEPS_PER_MATCH = 1024;
const NAME = '-?[_a-zA-Z\\u00A0-\\uFFFF][\\w\\u00A0-\\uFFFF-]*';
const COMPOUND = new RegExp(`^(\\*|[a-zA-Z][a-zA-Z0-9-]*)?((?:[.#]${NAME})*)$`, 'u');
const PART = new RegExp(`[.#]${NAME}`, 'gu');

/**
 * Parses a selector made of type, universal, class and id selectors joined by descendant or child
 * combinators: the simple selectors the hidden-text check resolves. Anything else (attributes,
 * pseudo-classes, sibling combinators, escapes) is `undefined`, and its rule is not applied.
 */
export function parseSelector(text: string): ComplexSelector | undefined {
  const tokens = text
    .trim()
    .replace(/\s*>\s*/gu, ' > ')
    .split(/\s+/u);
  const compounds: CompoundSelector[] = [];
  const combinators: Array<' ' | '>'> = [];
  let pending: ' ' | '>' | undefined;
  for (const token of tokens) {
    if (token === '>') {
      if (compounds.length === 0 || pending === '>') return undefined;
      pending = '>';
      continue;
    }
    const compound = parseCompound(token);
    if (compound === undefined) return undefined;
    if (compounds.length > 0) combinators.push(pending ?? ' ');
    compounds.push(compound);
    pending = undefined;
  }
  if (pending !== undefined || compounds.length === 0 || compounds.length > MAX_COMPOUNDS) return undefined;
  let ids = 0;
  let classes = 0;
  let tags = 0;
  for (const compound of compounds) {
    ids += compound.ids.length;
    classes += compound.classes.length;
    if (compound.tag !== undefined && compound.tag !== '*') tags++;
  }
  return {
    text: text.trim(),
    compounds,
    combinators,
    specificity: ids * 10_000 + classes * 100 + tags,
    hasChildCombinator: combinators.includes('>'),
    ancestorKeys: [...new Set(compounds.slice(0, -1).flatMap(compoundKeys))],
  };
}

/**
 * Whether `selector` matches the last element of `chain` (the path from the root). Descendant-only
 * selectors match greedily (the nearest matching ancestor is always a right choice); with child
 * combinators every ancestor is tried, giving up (no match) after a bounded number of steps.
 */
export function matchesSelector(selector: ComplexSelector, path: ElementChain, steps: MatchSteps): boolean {
  const chain = path.elements;
  const last = selector.compounds.length - 1;
  const rightmost = selector.compounds[last];
  const element = chain[chain.length - 1];
  steps.count++;
  if (rightmost === undefined || element === undefined || !matchesCompound(rightmost, element)) return false;
  if (last === 0) return true;
  steps.count += selector.ancestorKeys.length;
  if (!path.hasAncestorKeys(selector.ancestorKeys)) return false;
  if (!selector.hasChildCombinator) {
    let at = chain.length - 2;
    for (let compound = last - 1; compound >= 0; compound--) {
      const wanted = selector.compounds[compound] as CompoundSelector;
      for (; at >= 0; at--) {
        steps.count++;
        if (matchesCompound(wanted, chain[at] as ElementFacts)) break;
      }
      if (at < 0) return false;
      at--;
    }
    return true;
  }
  return matchFrom(selector, last, chain, chain.length - 1, steps, steps.count + MAX_STEPS_PER_MATCH);
}

function matchFrom(
  selector: ComplexSelector,
  compound: number,
  chain: readonly ElementFacts[],
  element: number,
  steps: MatchSteps,
  limit: number,
): boolean {
  steps.count++;
  const facts = chain[element];
  const wanted = selector.compounds[compound];
  if (facts === undefined || wanted === undefined || !matchesCompound(wanted, facts)) return false;
  if (compound === 0) return true;
  if (selector.combinators[compound - 1] === '>')
    return matchFrom(selector, compound - 1, chain, element - 1, steps, limit);
  for (let ancestor = element - 1; ancestor >= 0 && steps.count < limit; ancestor--) {
    if (matchFrom(selector, compound - 1, chain, ancestor, steps, limit)) return true;
  }
  return false;
}

/**
 * The path from the root to the current element, counting the tags, ids and classes on it so a
 * selector whose ancestors cannot be there is rejected without walking the path.
 */
export class ElementChain {
  readonly elements: ElementFacts[] = [];
  readonly #own: Array<ReadonlySet<string>> = [];
  readonly #keys = new Map<string, number>();

  /** Enters an element. */
  push(facts: ElementFacts): void {
    const own = new Set([`t:${facts.tag}`, ...facts.classes.map((name) => `.${name}`)]);
    if (facts.id !== undefined) own.add(`#${facts.id}`);
    this.elements.push(facts);
    this.#own.push(own);
    for (const key of own) this.#keys.set(key, (this.#keys.get(key) ?? 0) + 1);
  }

  /** Leaves the current element. */
  pop(): void {
    this.elements.pop();
    for (const key of this.#own.pop() ?? []) this.#keys.set(key, (this.#keys.get(key) ?? 1) - 1);
  }

  /** Whether every key is carried by some element above the current one. */
  hasAncestorKeys(keys: readonly string[]): boolean {
    const own = this.#own[this.#own.length - 1];
    for (const key of keys)
      if ((this.#keys.get(key) ?? 0) - (own?.has(key) === true ? 1 : 0) <= 0) return false;
    return true;
  }
}

function compoundKeys(compound: CompoundSelector): string[] {
  const keys = [...compound.ids.map((id) => `#${id}`), ...compound.classes.map((name) => `.${name}`)];
  if (compound.tag !== undefined && compound.tag !== '*') keys.push(`t:${compound.tag}`);
  return keys;
}

function parseCompound(token: string): CompoundSelector | undefined {
  const match = COMPOUND.exec(token);
  if (match === null || token === '') return undefined;
  const ids: string[] = [];
  const classes: string[] = [];
  for (const part of (match[2] ?? '').matchAll(PART)) {
    (part[0].startsWith('#') ? ids : classes).push(part[0].slice(1));
  }
  const tag = match[1]?.toLowerCase();
  return tag === undefined ? { ids, classes } : { tag, ids, classes };
}

function matchesCompound(compound: CompoundSelector, facts: ElementFacts): boolean {
  if (compound.tag !== undefined && compound.tag !== '*' && compound.tag !== facts.tag) return false;
  for (const id of compound.ids) if (facts.id !== id) return false;
  for (const name of compound.classes) if (!facts.classes.includes(name)) return false;
  return true;
}
