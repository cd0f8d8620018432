import { BulwarkError } from '../../core/errors.js';
import { parseDeclarations, splitTopLevel, stripComments, type CssDeclaration } from './css-declarations.js';
import {
  matchesSelector,
  parseSelector,
  type ComplexSelector,
  type ElementChain,
  type MatchSteps,
} from './css-selectors.js';

/** A rule of a `<style>` sheet, one selector of its list, keeping only declarations that can hide. */
export interface StyleRule {
  readonly selector: ComplexSelector;
  /** `rule "<selector>"`, for evidence. */
  readonly source: string;
  readonly declarations: readonly CssDeclaration[];
  readonly order: number;
}

/** Rules bucketed by the most specific part of their rightmost compound, as browsers do. */
export interface StyleIndex {
  readonly byId: ReadonlyMap<string, readonly StyleRule[]>;
  readonly byClass: ReadonlyMap<string, readonly StyleRule[]>;
  readonly byTag: ReadonlyMap<string, readonly StyleRule[]>;
  readonly universal: readonly StyleRule[];
}

/** The winning value of one property for one element, and where it was written. */
export interface DeclaredValue {
  readonly value: string;
  /** `style attribute`, or the selector of the `<style>` rule. */
  readonly source: string;
}

/** The cascaded hiding properties of one element. */
export type DeclaredStyle = ReadonlyMap<string, DeclaredValue>;

const MAX_AT_RULE_DEPTH = 4;
/** `@media` queries that hold on an ordinary screen; rules under any other query are not applied. */
const SCREEN_MEDIA = /^(?:only\s+)?(?:all|screen)$/u;

/**
 * Indexes the rules of the document's `<style>` sheets (in document order). Rules inside
 * `@media all|screen`, `@supports` and `@layer` blocks count; other at-rules and nested rules are
 * skipped, as are selectors beyond {@link parseSelector}.
 */
export function buildStyleIndex(sheets: readonly string[]): StyleIndex {
  const byId = new Map<string, StyleRule[]>();
  const byClass = new Map<string, StyleRule[]>();
  const byTag = new Map<string, StyleRule[]>();
  const universal: StyleRule[] = [];
  let order = 0;
  const add = (selector: ComplexSelector, declarations: readonly CssDeclaration[]): void => {
    const rule = { selector, source: `rule "${selector.text}"`, declarations, order: order++ };
    const key = selector.compounds[selector.compounds.length - 1];
    const bucket = (map: Map<string, StyleRule[]>, name: string): void => {
      const list = map.get(name);
      if (list === undefined) map.set(name, [rule]);
      else list.push(rule);
    };
    if (key?.ids[0] !== undefined) bucket(byId, key.ids[0]);
    else if (key?.classes[0] !== undefined) bucket(byClass, key.classes[0]);
    else if (key?.tag !== undefined && key.tag !== '*') bucket(byTag, key.tag);
    else universal.push(rule);
  };
  const readBlock = (css: string, depth: number): void => {
    for (const { prelude, block } of topLevelBlocks(css)) {
      if (block === undefined) continue;
      if (prelude.startsWith('@')) {
        if (depth < MAX_AT_RULE_DEPTH && isAppliedAtRule(prelude)) readBlock(block, depth + 1);
        continue;
      }
      const declarations = parseDeclarations(withoutNestedBlocks(block));
      if (declarations.length === 0) continue;
      for (const text of splitTopLevel(prelude, ',')) {
        const selector = parseSelector(text);
        if (selector !== undefined) add(selector, declarations);
      }
    }
  };
  for (const sheet of sheets) readBlock(stripComments(sheet).replace(/<!--|-->/gu, ' '), 0);
  return { byId, byClass, byTag, universal };
}

/**
 * Cascades the hiding properties of the last element of `chain`: `!important` first, then the
 * `style` attribute over sheet rules, then specificity, then order (CSS Cascade 4 §6.1, one origin).
 */
export function cascadeStyle(
  index: StyleIndex,
  chain: ElementChain,
  inline: readonly CssDeclaration[],
  steps: MatchSteps,
): DeclaredStyle {
  const facts = chain.elements[chain.elements.length - 1];
  const ranks = new Map<string, number>();
  const winners = new Map<string, DeclaredValue>();
  const offer = (declaration: CssDeclaration, rank: number, source: string): void => {
    const current = ranks.get(declaration.property);
    if (current !== undefined && rank < current) return;
    ranks.set(declaration.property, rank);
    winners.set(declaration.property, { value: declaration.value, source });
  };
  if (facts !== undefined) {
    const buckets = [
      facts.id === undefined ? undefined : index.byId.get(facts.id),
      ...[...new Set(facts.classes)].map((name) => index.byClass.get(name)),
      index.byTag.get(facts.tag),
      index.universal,
    ];
    // Each rule sits in one bucket and each bucket is visited once, so no rule is offered twice.
    for (const bucket of buckets) {
      for (const rule of bucket ?? []) {
        const isMatch = matchesSelector(rule.selector, chain, steps);
        if (steps.count > steps.limit)
          throw new BulwarkError(
            'LIMIT_EXCEEDED',
            `matching <style> rules against the document took more than ${steps.limit} steps`,
          );
        if (!isMatch) continue;
        steps.count += rule.declarations.length;
        for (const declaration of rule.declarations)
          offer(
            declaration,
            rank(declaration.important, false, rule.selector.specificity, rule.order),
            rule.source,
          );
      }
    }
  }
  inline.forEach((declaration, i) =>
    offer(declaration, rank(declaration.important, true, 0, i), 'style attribute'),
  );
  return winners;
}

/** Cascade precedence as one number: importance, then the style attribute, then specificity, then order. */
function rank(isImportant: boolean, isInline: boolean, specificity: number, order: number): number {
  const flags = (isImportant ? 2 ** 50 : 0) + (isInline ? 2 ** 49 : 0);
  return flags + Math.min(specificity, 0xffffff) * 2 ** 24 + Math.min(order, 0xffffff);
}

function isAppliedAtRule(prelude: string): boolean {
  const lower = prelude.toLowerCase().replace(/\s+/gu, ' ').trim();
  if (lower.startsWith('@supports') || lower.startsWith('@layer')) return true;
  return lower.startsWith('@media ') && SCREEN_MEDIA.test(lower.slice(7).trim());
}

/** The top-level `prelude { block }` and `prelude;` parts of a sheet, braces matched outside strings. */
function* topLevelBlocks(css: string): Generator<{ prelude: string; block: string | undefined }> {
  let from = 0;
  let depth = 0;
  let quote = '';
  let blockStart = 0;
  let prelude = '';
  for (let i = 0; i < css.length; i++) {
    const c = css[i];
    if (quote !== '') {
      if (c === '\\') i++;
      else if (c === quote || c === '\n') quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '{') {
      if (depth === 0) {
        prelude = css.slice(from, i).trim();
        blockStart = i + 1;
      }
      depth++;
    } else if (c === '}') {
      if (depth === 0) from = i + 1;
      else if (--depth === 0) {
        yield { prelude, block: css.slice(blockStart, i) };
        from = i + 1;
      }
    } else if (c === ';' && depth === 0) {
      yield { prelude: css.slice(from, i).trim(), block: undefined };
      from = i + 1;
    }
  }
  if (depth > 0) yield { prelude, block: css.slice(blockStart) };
}

/** A rule block without the nested rules CSS Nesting allows (they are not resolved here). */
function withoutNestedBlocks(block: string): string {
  if (!block.includes('{')) return block;
  let out = '';
  let depth = 0;
  let from = 0;
  for (let i = 0; i < block.length; i++) {
    const c = block[i];
    if (c === '{') {
      if (depth === 0) out += `${block.slice(from, Math.max(block.lastIndexOf(';', i) + 1, from))};`;
      depth++;
    } else if (c === '}' && depth > 0 && --depth === 0) from = i + 1;
  }
  return out + (depth === 0 ? block.slice(from) : '');
}
