import markdownIt from 'markdown-it';
import type { MarkdownIt, StateBlock, StateInline, Token } from 'markdown-it';

/** Where something sits in the text of an inline token (or, for definitions, in the normalized source). */
export interface MarkdownRecord {
  readonly kind: 'alt' | 'title' | 'html' | 'entity';
  readonly start: number;
  readonly end: number;
  readonly text: string;
  /** For titles: the element carrying it. */
  readonly owner?: 'link' | 'image';
}

/** A parsed document: markdown-it's tokens, what was recorded per inline token, and definition titles. */
export interface ParsedMarkdown {
  readonly tokens: readonly Token[];
  readonly inlineRecords: ReadonlyMap<Token, readonly MarkdownRecord[]>;
  /** Reference definition titles, in offsets of markdown-it's normalized source (CRLF → LF). */
  readonly definitionTitles: ReadonlyArray<{ start: number; end: number; text: string }>;
  /** markdown-it's block nesting limit: content inside a container at that depth is dropped. */
  readonly maxNesting: number;
}

type TitleResult = ReturnType<MarkdownIt['helpers']['parseLinkTitle']>;
type InlineRule = (state: StateInline, silent: boolean) => boolean;
type BlockRule = (state: StateBlock, startLine: number, endLine: number, silent: boolean) => boolean;

/** What one link, image or definition rule saw of its own label and title (nested rules get their own). */
interface Probe {
  labelEnd?: number;
  titleStart?: number;
  title?: TitleResult;
}

/** The state of the one parse under way (parsing is synchronous, so one at a time). */
interface Run {
  records: MarkdownRecord[];
  readonly inlineRecords: Map<Token, MarkdownRecord[]>;
  readonly definitionTitles: Array<{ start: number; end: number; text: string }>;
  readonly probes: Probe[];
  /** Offset of the inline source being parsed within the top-level inline token's text. */
  readonly offsets: number[];
  pendingOffset: number | undefined;
}

let current: Run | undefined;
let parser: MarkdownIt | undefined;

/**
 * Parses Markdown with markdown-it (CommonMark, linear time on hostile input, raw HTML on, tables off
 * so table rows stay paragraphs) instrumented to record where image labels, link and image titles,
 * inline HTML and character references sit, which markdown-it's tokens do not say.
 */
export function parseMarkdown(doc: string): ParsedMarkdown {
  const md = instrumentedParser();
  const run: Run = {
    records: [],
    inlineRecords: new Map(),
    definitionTitles: [],
    probes: [],
    offsets: [],
    pendingOffset: undefined,
  };
  current = run;
  try {
    const tokens = md.parse(doc, {});
    return {
      tokens,
      inlineRecords: run.inlineRecords,
      definitionTitles: run.definitionTitles,
      maxNesting: md.options.maxNesting ?? 100,
    };
  } finally {
    current = undefined;
  }
}

function instrumentedParser(): MarkdownIt {
  if (parser !== undefined) return parser;
  const md = markdownIt('default', { html: true, linkify: false, typographer: false });
  md.disable('table');
  const { parseLinkTitle, parseLinkLabel } = md.helpers;
  md.helpers.parseLinkTitle = (str, start, max, previous) => {
    const result = parseLinkTitle(str, start, max, previous);
    const probe = current?.probes[current.probes.length - 1];
    if (
      probe !== undefined &&
      (previous === undefined ? probe.title === undefined : probe.title !== undefined)
    ) {
      if (previous === undefined) probe.titleStart = start;
      probe.title = result;
    }
    return result;
  };
  md.helpers.parseLinkLabel = (state, start, disableNested) => {
    const end = parseLinkLabel(state, start, disableNested);
    const probe = current?.probes[current.probes.length - 1];
    if (probe !== undefined && probe.labelEnd === undefined) probe.labelEnd = end;
    return end;
  };
  const parseInline = md.inline.parse.bind(md.inline);
  md.inline.parse = (str, instance, env, out) => {
    const run = current;
    if (run === undefined) return parseInline(str, instance, env, out);
    run.offsets.push(run.pendingOffset ?? run.offsets[run.offsets.length - 1] ?? 0);
    run.pendingOffset = undefined;
    try {
      parseInline(str, instance, env, out);
    } finally {
      run.offsets.pop();
    }
  };
  md.core.ruler.at('inline', (state) => {
    for (const token of state.tokens) {
      if (token.type !== 'inline' || current === undefined) continue;
      current.records = [];
      current.pendingOffset = 0;
      state.md.inline.parse(token.content, state.md, state.env, token.children ?? (token.children = []));
      current.inlineRecords.set(token, current.records);
    }
  });
  wrapInline(md, 'image', recordImage);
  wrapInline(md, 'link', recordLink);
  wrapInline(md, 'html_inline', (state, silent, rule) => recordRange(state, silent, rule, 'html'));
  wrapInline(md, 'entity', (state, silent, rule) => recordRange(state, silent, rule, 'entity'));
  wrapBlock(md, 'reference', recordDefinition);
  parser = md;
  return md;
}

function wrapInline(
  md: MarkdownIt,
  name: string,
  wrapper: (state: StateInline, silent: boolean, rule: InlineRule) => boolean,
): void {
  const rule = md.inline.ruler.__rules__.find((r) => r.name === name)?.fn;
  if (rule !== undefined) md.inline.ruler.at(name, (state, silent) => wrapper(state, silent, rule));
}

function wrapBlock(
  md: MarkdownIt,
  name: string,
  wrapper: (
    state: StateBlock,
    startLine: number,
    endLine: number,
    silent: boolean,
    rule: BlockRule,
  ) => boolean,
): void {
  const entry = md.block.ruler.__rules__.find((r) => r.name === name);
  if (entry === undefined) return;
  const rule = entry.fn;
  md.block.ruler.at(name, (state, start, end, silent) => wrapper(state, start, end, silent, rule), {
    alt: [...entry.alt],
  });
}

/** Runs `rule` with a fresh probe, so the helpers it calls report to it and not to an enclosing rule. */
function probing(run: () => boolean): { ok: boolean; probe: Probe } {
  const probe: Probe = {};
  current?.probes.push(probe);
  try {
    return { ok: run(), probe };
  } finally {
    current?.probes.pop();
  }
}

function offset(): number {
  return current?.offsets[current.offsets.length - 1] ?? 0;
}

function record(entry: MarkdownRecord): void {
  current?.records.push(entry);
}

function recordImage(state: StateInline, silent: boolean, rule: InlineRule): boolean {
  const start = state.pos;
  const base = offset();
  if (!silent && current !== undefined) current.pendingOffset = base + start + 2;
  const { ok, probe } = probing(() => rule(state, silent));
  if (current !== undefined) current.pendingOffset = undefined;
  if (!ok || silent) return ok;
  const image = state.tokens[state.tokens.length - 1];
  if (image?.type !== 'image') return ok;
  if (probe.labelEnd !== undefined && probe.labelEnd > start + 2) {
    const text = plainText(image.children ?? []);
    record({ kind: 'alt', start: base + start + 2, end: base + probe.labelEnd, text });
  }
  recordTitle(image, probe, base, 'image');
  return ok;
}

/** The alt text of an image's children, as CommonMark renders it: text, escapes, entities and code, no markup. */
function plainText(tokens: readonly Token[]): string {
  let text = '';
  for (const token of tokens) {
    if (token.type === 'text' || token.type === 'text_special' || token.type === 'code_inline')
      text += token.content;
    else if (token.type === 'image') text += plainText(token.children ?? []);
    else if (token.type === 'softbreak' || token.type === 'hardbreak') text += '\n';
  }
  return text;
}

function recordLink(state: StateInline, silent: boolean, rule: InlineRule): boolean {
  const before = state.tokens.length;
  const base = offset();
  const { ok, probe } = probing(() => rule(state, silent));
  if (!ok || silent) return ok;
  const open = state.tokens.slice(before).find((t) => t.type === 'link_open');
  if (open !== undefined) recordTitle(open, probe, base, 'link');
  return ok;
}

function recordTitle(token: Token, probe: Probe, base: number, owner: 'link' | 'image'): void {
  const title = token.attrGet('title');
  if (typeof title !== 'string' || title === '' || probe.title?.ok !== true || probe.titleStart === undefined)
    return;
  record({
    kind: 'title',
    start: base + probe.titleStart + 1,
    end: base + probe.title.pos - 1,
    text: title,
    owner,
  });
}

function recordRange(
  state: StateInline,
  silent: boolean,
  rule: InlineRule,
  kind: 'html' | 'entity',
): boolean {
  const start = state.pos;
  const ok = rule(state, silent);
  if (ok && !silent)
    record({
      kind,
      start: offset() + start,
      end: offset() + state.pos,
      text: state.src.slice(start, state.pos),
    });
  return ok;
}

function recordDefinition(
  state: StateBlock,
  startLine: number,
  endLine: number,
  silent: boolean,
  rule: BlockRule,
): boolean {
  const { ok, probe } = probing(() => rule(state, startLine, endLine, silent));
  const title = probe.title;
  if (!ok || silent || title?.ok !== true || probe.titleStart === undefined || title.str === '') return ok;
  // The rule drops a title followed by anything but spaces on its line; so do we.
  let after = title.pos;
  while (state.src[after] === ' ' || state.src[after] === '\t') after++;
  const isWhole = after >= state.src.length || state.src[after] === '\n';
  const isSeparated = /[\s]/u.test(state.src[probe.titleStart - 1] ?? '');
  if (isWhole && isSeparated)
    current?.definitionTitles.push({ start: probe.titleStart + 1, end: title.pos - 1, text: title.str });
  return ok;
}
