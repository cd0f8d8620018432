import { parse, parseFragment, type DefaultTreeAdapterTypes } from 'parse5';
import { parseDeclarations } from './css-declarations.js';
import { applyStyle, ROOT_RENDER_STATE, type HidingFinding, type RenderState } from './css-hiding.js';
import { ElementChain, type MatchSteps } from './css-selectors.js';
import { buildStyleIndex, cascadeStyle, type DeclaredStyle, type StyleIndex } from './css-stylesheet.js';
import type { InvisibleReference, RawHiddenSpan, WorkBudget } from './hidden-types.js';
import { attributeTechnique, attributeValueRange } from './html-attributes.js';
import { collectInvisibleReferences } from './invisible-unicode.js';
import { assertBoundedHtmlNesting } from './nesting-limits.js';
import { TEXT_FLAGS, TextRuns } from './text-runs.js';

type Node = DefaultTreeAdapterTypes.Node;
type Element = DefaultTreeAdapterTypes.Element;

/** Hidden spans found in an HTML document, and the character references that decode to invisible characters. */
export interface HtmlFindings {
  readonly spans: RawHiddenSpan[];
  readonly references: InvisibleReference[];
}

/** Elements whose text is code or raw text, never reading matter (and never entity-decoded). */
const RAW_TEXT = new Set(['script', 'style', 'xmp', 'iframe', 'noembed', 'noframes', 'plaintext']);
/** Elements that break words apart when text is extracted. */
const BLOCKS = new Set(
  (
    'address article aside blockquote body br caption dd details dialog div dl dt fieldset figcaption ' +
    'figure footer form h1 h2 h3 h4 h5 h6 head header hr html legend li main menu nav noscript ol ' +
    'option p pre section summary table tbody td template tfoot th thead title tr ul'
  ).split(' '),
);
const INHERITED_MASK: Partial<Record<HidingFinding['technique'], number>> = {
  'visibility-hidden': TEXT_FLAGS.visibility,
  'tiny-font': TEXT_FLAGS.tinyFont,
  'colour-matches-background': TEXT_FLAGS.colour,
};
const NO_STYLE: DeclaredStyle = new Map();
const WHITESPACE = /[\t\n\f\r ]+/gu;

interface Frame {
  readonly element: Element;
  readonly tag: string;
  readonly parent: Frame | undefined;
  readonly state: RenderState;
  readonly reports: ReadonlyArray<{ finding: HidingFinding; firstText: number; mask: number }>;
  readonly isRawText: boolean;
  /** The furthest raw offset reached by the element or anything in it (elements closed at EOF have no end tag). */
  end: number;
}

type Step = { readonly enter: Node; readonly parent: Frame | undefined } | { readonly exit: Frame };

/**
 * Finds hidden text in an HTML document parsed as a browser with scripts on parses it (parse5,
 * WHATWG HTML): CSS hiding from `style` attributes and `<style>` rules with simple selectors, the
 * `hidden` and `aria-hidden` attributes, comments, `<noscript>` (its raw content re-parsed as markup)
 * and `<template>` content, `alt`/`title` attributes and `<meta content>`. Offsets are into `doc`;
 * malformed markup is parsed as browsers recover from it, never thrown on.
 */
export function findHiddenHtml(doc: string, budget: WorkBudget): HtmlFindings {
  assertBoundedHtmlNesting(doc);
  const document = parse(doc, { sourceCodeLocationInfo: true });
  const steps: MatchSteps = { count: 0, limit: budget.selectorSteps };
  const scan = new HtmlScan(doc, budget, steps, 0, document.childNodes);
  scan.run();
  return { spans: scan.spans, references: scan.references };
}

/** One walk over a parsed tree whose offsets start at `base` in `doc`. */
class HtmlScan {
  readonly spans: RawHiddenSpan[] = [];
  readonly references: InvisibleReference[] = [];
  readonly #doc: string;
  readonly #budget: WorkBudget;
  readonly #base: number;
  readonly #roots: readonly Node[];
  readonly #index: StyleIndex;
  readonly #hasRules: boolean;
  readonly #runs = new TextRuns();
  readonly #chain = new ElementChain();
  readonly #steps: MatchSteps;

  constructor(doc: string, budget: WorkBudget, steps: MatchSteps, base: number, roots: readonly Node[]) {
    this.#doc = doc;
    this.#budget = budget;
    this.#base = base;
    this.#roots = roots;
    this.#steps = steps;
    this.#index = buildStyleIndex(collectStyleSheets(roots, budget));
    const index = this.#index;
    this.#hasRules = index.universal.length + index.byTag.size + index.byClass.size + index.byId.size > 0;
  }

  /** Walks the tree depth-first without recursion, so deep nesting cannot overflow the stack. */
  run(): void {
    const stack: Step[] = [...this.#roots].reverse().map((enter) => ({ enter, parent: undefined }));
    for (let step = stack.pop(); step !== undefined; step = stack.pop()) {
      if ('exit' in step) {
        this.#exit(step.exit);
        continue;
      }
      const { enter: node, parent } = step;
      const location = node.sourceCodeLocation ?? undefined;
      const start = location === undefined ? -1 : this.#offset(location.startOffset);
      const end = location === undefined ? -1 : this.#offset(location.endOffset);
      if (parent !== undefined) parent.end = Math.max(parent.end, end);
      if ('value' in node) this.#text(node.value, parent, start, end);
      else if ('data' in node) {
        const text = node.data.trim();
        if (text !== '' && start >= 0)
          this.spans.push({ technique: 'html-comment', start, end, text, detail: 'HTML comment' });
      } else if ('tagName' in node) {
        const frame = this.#enter(node, parent, end);
        stack.push({ exit: frame });
        const children = 'content' in node ? node.content.childNodes : node.childNodes;
        for (let i = children.length - 1; i >= 0; i--)
          stack.push({ enter: children[i] as Node, parent: frame });
      }
    }
  }

  /** A parser offset as an offset of the document (parse5 can overshoot by one at the end of input). */
  #offset(parserOffset: number): number {
    return Math.min(this.#base + parserOffset, this.#doc.length);
  }

  /** All the text of the tree, as a reader-model would extract it. */
  text(): string {
    return this.#runs.gather(0, this.#runs.length, 0, this.#budget).text;
  }

  #text(value: string, parent: Frame | undefined, start: number, end: number): void {
    if (parent?.isRawText === true) return;
    const flags = textFlags(parent?.state ?? ROOT_RENDER_STATE);
    if (parent?.tag === 'noscript' && start >= 0) {
      // With scripts on, <noscript> holds raw text: read it as the markup a script-less reader sees.
      const fragment = parseFragment(this.#doc.slice(start, end), {
        sourceCodeLocationInfo: true,
        scriptingEnabled: false,
      });
      const inner = new HtmlScan(this.#doc, this.#budget, this.#steps, start, fragment.childNodes);
      inner.run();
      this.spans.push(...inner.spans);
      this.references.push(...inner.references);
      this.#runs.add(inner.text(), flags, start, end);
      return;
    }
    if (start >= 0) collectInvisibleReferences(this.#doc, start, end, this.references);
    this.#runs.add(value, flags, start, end);
  }

  #enter(element: Element, parent: Frame | undefined, end: number): Frame {
    const tag = element.tagName.toLowerCase();
    const attrs = new Map(element.attrs.map((a) => [a.name, a.value]));
    const classes = (attrs.get('class') ?? '').split(WHITESPACE).filter(Boolean);
    this.#chain.push({ tag, id: attrs.get('id'), classes });
    const { state, findings } = this.#style(tag, attrs, parent?.state ?? ROOT_RENDER_STATE);
    if (attrs.has('hidden')) findings.push({ technique: 'hidden-attribute', detail: 'hidden attribute' });
    if (attrs.get('aria-hidden')?.trim().toLowerCase() === 'true')
      findings.push({ technique: 'aria-hidden', detail: 'aria-hidden="true"' });
    if (tag === 'noscript' || tag === 'template')
      findings.push({ technique: tag, detail: `<${tag}> content` });
    for (const attr of element.attrs) this.#attribute(element, tag, attr.name, attr.value);
    if (BLOCKS.has(tag)) this.#runs.markBreak();
    const firstText = this.#runs.length;
    const reports = findings.map((finding) => ({
      finding,
      firstText,
      mask: INHERITED_MASK[finding.technique] ?? 0,
    }));
    const isRawText = RAW_TEXT.has(tag) || parent?.isRawText === true;
    return { element, tag, parent, end, state, reports, isRawText };
  }

  #style(
    tag: string,
    attrs: ReadonlyMap<string, string>,
    parent: RenderState,
  ): { state: RenderState; findings: HidingFinding[] } {
    const inline = attrs.has('style') ? parseDeclarations(attrs.get('style') ?? '') : [];
    const style =
      this.#hasRules || inline.length > 0
        ? cascadeStyle(this.#index, this.#chain, inline, this.#steps)
        : NO_STYLE;
    const color = tag === 'font' ? attrs.get('color')?.trim().toLowerCase() : undefined;
    const background = attrs.get('bgcolor')?.trim().toLowerCase();
    if (style.size === 0 && color === undefined && background === undefined)
      return { state: parent, findings: [] };
    const hints = {
      ...(color === undefined ? {} : { color }),
      ...(background === undefined ? {} : { background }),
    };
    return applyStyle(style, hints, parent);
  }

  #attribute(element: Element, tag: string, name: string, value: string): void {
    const range = attributeValueRange(this.#doc, element, name, this.#base);
    if (range === undefined) return;
    collectInvisibleReferences(this.#doc, range.start, range.end, this.references);
    const technique = attributeTechnique(tag, name);
    const text = value.replace(WHITESPACE, ' ').trim();
    if (technique !== undefined && text !== '')
      this.spans.push({ technique, ...range, text, detail: `${name} attribute of <${tag}>` });
  }

  #exit(frame: Frame): void {
    this.#chain.pop();
    if (BLOCKS.has(frame.tag)) this.#runs.markBreak();
    if (frame.parent !== undefined) frame.parent.end = Math.max(frame.parent.end, frame.end);
    const location = frame.element.sourceCodeLocation;
    for (const report of frame.reports) {
      const gathered = this.#runs.gather(report.firstText, this.#runs.length, report.mask, this.#budget);
      const start =
        location === undefined || location === null ? gathered.start : this.#offset(location.startOffset);
      const end = location === undefined || location === null ? gathered.end : frame.end;
      if (gathered.text === '' || start < 0) continue;
      const { technique, detail } = report.finding;
      this.spans.push({ technique, start, end, text: gathered.text, detail });
    }
  }
}

function textFlags(state: RenderState): number {
  return (
    (state.isVisibilityHidden ? TEXT_FLAGS.visibility : 0) |
    (state.isFontTiny ? TEXT_FLAGS.tinyFont : 0) |
    (state.isColourHidden ? TEXT_FLAGS.colour : 0)
  );
}

/** The text of every `<style>` element outside templates, in document order; counts every node. */
function collectStyleSheets(roots: readonly Node[], budget: WorkBudget): string[] {
  const sheets: string[] = [];
  const stack: Array<[Node, boolean]> = [...roots].reverse().map((node) => [node, false]);
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const [node, isInert] = item;
    budget.spendNodes();
    if (!isInert && 'tagName' in node && node.tagName === 'style')
      sheets.push(node.childNodes.map((child) => ('value' in child ? child.value : '')).join(''));
    const children =
      'content' in node ? node.content.childNodes : 'childNodes' in node ? node.childNodes : [];
    const isChildInert = isInert || 'content' in node;
    for (let i = children.length - 1; i >= 0; i--) stack.push([children[i] as Node, isChildInert]);
  }
  return sheets;
}
