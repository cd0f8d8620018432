/**
 * Compiles {@link PhraseSpec} lists once into a fast matcher. The heads of all specs go into two
 * tries (word heads and heads that may start anywhere: CJK, punctuation, attached particles); the
 * scan walks the word trie only at word starts and the other only at characters that can start one
 * of its heads, both found through 64 KB code-unit tables. Only the specs owning a head found there
 * run, as sticky regexes anchored at that position. A prompt with no cue costs a table lookup per
 * character and a short trie walk per word. (One regex made of all heads was tried first: V8 gives
 * up optimizing alternations of a few thousand branches and it ran at ~50 ms per KB.)
 */
import { BulwarkError } from '../../core/errors.js';
import { foldCase } from './fold-case.js';
import type { PhraseSpec } from './phrase-spec.js';

/** One place a spec matched: a UTF-16 span of the scanned text. */
export interface PhraseHit {
  readonly spec: PhraseSpec;
  readonly start: number;
  readonly end: number;
}

/** The compiled form of a phrase list. */
export interface PhraseMatcher {
  readonly specs: readonly PhraseSpec[];
  /** Every cue in `text`, by start; at most `maxPerSpec` hits of one spec are kept (default 4). */
  scan(text: string, maxPerSpec?: number): PhraseHit[];
}

interface CompiledSpec {
  readonly spec: PhraseSpec;
  readonly index: number;
  readonly regex: RegExp;
}

/** A trie while it is built; {@link flattenTrie} turns it into typed arrays for the scan. */
interface TrieNode {
  next: Map<number, TrieNode> | undefined;
  specs: CompiledSpec[] | undefined;
}

/**
 * A trie in typed arrays: the root is a dense table by code unit, other nodes keep their children
 * (sorted by code unit) in one shared array, so a step is a short scan of a Uint16Array rather than
 * a Map lookup. Node 0 is "none".
 */
interface FlatTrie {
  readonly root: Int32Array;
  readonly childStart: Int32Array;
  readonly childEnd: Int32Array;
  readonly childCode: Uint16Array;
  readonly childNode: Int32Array;
  readonly specs: readonly (readonly CompiledSpec[] | undefined)[];
}

const SPACE = 0x20;
const MACRO = /(?<!\\)\{(gap|cjk)(\d+)\}|(?<!\\)\{end\}/g;
const MAX_MACRO_SPAN = 12;
/** Scripts written without spaces between words: heads in them match anywhere. */
const UNSPACED_SCRIPT = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u;
const LETTER_OR_DIGIT = /^[\p{L}\p{N}]/u;

let tables: { word: Uint8Array; space: Uint8Array } | undefined;

/** Per BMP code unit: is it part of a word (letter, digit, mark, _), is it whitespace. Built once. */
function codeUnitTables(): { word: Uint8Array; space: Uint8Array } {
  if (tables !== undefined) return tables;
  const word = new Uint8Array(0x10000);
  const space = new Uint8Array(0x10000);
  const isWord = /[\p{L}\p{N}\p{M}_]/u;
  const isSpace = /\s/;
  for (let c = 0; c < 0x10000; c++) {
    if (c >= 0xd800 && c < 0xe000) continue;
    const ch = String.fromCharCode(c);
    if (isWord.test(ch)) word[c] = 1;
    else if (isSpace.test(ch)) space[c] = 1;
  }
  tables = { word, space };
  return tables;
}

/** Compiles `specs` (validated: unique ids, weights in 0–1, lower-case NFKC heads, valid regexes). */
export function compilePhrases(specs: readonly PhraseSpec[]): PhraseMatcher {
  const ids = new Set<string>();
  const compiled = specs.map((spec, index) => compileSpec(spec, index, ids));
  const wordRoot: TrieNode = { next: undefined, specs: undefined };
  const freeRoot: TrieNode = { next: undefined, specs: undefined };
  for (const c of compiled) {
    for (const head of new Set(c.spec.heads.map(foldCase))) {
      const isWordHead = LETTER_OR_DIGIT.test(head) && !UNSPACED_SCRIPT.test(head);
      addHead(isWordHead && c.spec.isBounded !== false ? wordRoot : freeRoot, head, c);
    }
  }
  const wordTrie = flattenTrie(wordRoot);
  const freeTrie = flattenTrie(freeRoot);
  const { word, space } = codeUnitTables();
  return {
    specs,
    scan(text: string, maxPerSpec = 4): PhraseHit[] {
      const folded = foldCase(text);
      const hits: PhraseHit[] = [];
      const counts = new Uint16Array(compiled.length);
      const tried: CompiledSpec[] = [];
      const visit = (trie: FlatTrie, at: number): void => {
        let node = 0;
        for (let j = at; j < folded.length; j++) {
          let code = folded.charCodeAt(j);
          if (space[code] === 1) {
            code = SPACE;
            while (j + 1 < folded.length && space[folded.charCodeAt(j + 1)] === 1) j++;
          }
          node = node === 0 ? (trie.root[code] ?? 0) : childOf(trie, node, code);
          if (node === 0) return;
          const owners = trie.specs[node];
          if (owners === undefined) continue;
          for (const c of owners) {
            if (tried.includes(c) || (counts[c.index] ?? 0) >= maxPerSpec) continue;
            tried.push(c);
            c.regex.lastIndex = at;
            const found = c.regex.exec(c.spec.isCaseSensitive === true ? text : folded);
            if (found === null) continue;
            counts[c.index] = (counts[c.index] ?? 0) + 1;
            hits.push({ spec: c.spec, start: at, end: at + found[0].length });
          }
        }
      };
      let isPrevWord = false;
      for (let i = 0; i < folded.length; i++) {
        const code = folded.charCodeAt(i);
        const isWord = word[code] === 1;
        if (isWord && !isPrevWord && wordTrie.root[code] !== 0) visit(wordTrie, i);
        if (freeTrie.root[code] !== 0) visit(freeTrie, i);
        if (tried.length > 0) tried.length = 0;
        isPrevWord = isWord;
      }
      return hits;
    },
  };
}

function childOf(trie: FlatTrie, node: number, code: number): number {
  const end = trie.childEnd[node] ?? 0;
  for (let k = trie.childStart[node] ?? 0; k < end; k++) {
    const c = trie.childCode[k] ?? 0;
    if (c === code) return trie.childNode[k] ?? 0;
    if (c > code) return 0;
  }
  return 0;
}

function flattenTrie(root: TrieNode): FlatTrie {
  const nodes: TrieNode[] = [root];
  const ids = new Map<TrieNode, number>([[root, 0]]);
  for (let i = 0; i < nodes.length; i++) {
    for (const child of nodes[i]?.next?.values() ?? []) {
      ids.set(child, nodes.length);
      nodes.push(child);
    }
  }
  const edges = nodes.reduce((n, node) => n + (node.next?.size ?? 0), 0);
  const trie = {
    root: new Int32Array(0x10000),
    childStart: new Int32Array(nodes.length),
    childEnd: new Int32Array(nodes.length),
    childCode: new Uint16Array(edges),
    childNode: new Int32Array(edges),
    specs: nodes.map((n) => n.specs),
  };
  let k = 0;
  nodes.forEach((node, id) => {
    trie.childStart[id] = k;
    for (const [code, child] of [...(node.next ?? [])].sort((a, b) => a[0] - b[0])) {
      const childId = ids.get(child) ?? 0;
      if (id === 0) trie.root[code] = childId;
      trie.childCode[k] = code;
      trie.childNode[k++] = childId;
    }
    trie.childEnd[id] = k;
  });
  return trie;
}

function addHead(root: TrieNode, head: string, spec: CompiledSpec): void {
  let node = root;
  for (let i = 0; i < head.length; i++) {
    const code = head.charCodeAt(i);
    node.next ??= new Map();
    let child = node.next.get(code);
    if (child === undefined) {
      child = { next: undefined, specs: undefined };
      node.next.set(code, child);
    }
    node = child;
  }
  (node.specs ??= []).push(spec);
}

function compileSpec(spec: PhraseSpec, index: number, ids: Set<string>): CompiledSpec {
  const fail = (why: string): never => {
    throw new BulwarkError('CONFIG_INVALID', `phrase ${spec.id || '(no id)'}: ${why}`);
  };
  if (spec.id.trim() === '') fail('an id is required');
  if (ids.has(spec.id)) fail('duplicate id');
  ids.add(spec.id);
  for (const w of [spec.weight, spec.documentWeight ?? spec.weight]) {
    if (!Number.isFinite(w) || w < 0 || w > 1) fail(`weight ${w} is not between 0 and 1`);
  }
  if (spec.heads.length === 0) fail('at least one head is required');
  for (const head of spec.heads) {
    const canonical = head.normalize('NFKC').replace(/\s+/g, ' ').trim();
    const expected = spec.isCaseSensitive === true ? canonical : foldCase(canonical);
    if (head !== expected || head === '') fail(`head "${head}" must be trimmed, NFKC and lower case`);
  }
  const heads = [...spec.heads].sort((a, b) => b.length - a.length).map(literalSource);
  const before = spec.before === undefined ? '' : `(?<=${spec.before})`;
  const source = `${before}(?:${heads.join('|')})(?:${expandMacros((spec.tail ?? '').normalize('NFKC'), fail)})`;
  let regex: RegExp;
  try {
    regex = new RegExp(source, 'uy');
  } catch (e) {
    return fail(`invalid pattern: ${e instanceof Error ? e.message : String(e)}`);
  }
  return { spec, index, regex };
}

function expandMacros(tail: string, fail: (why: string) => never): string {
  return tail.replace(MACRO, (_all, kind: string | undefined, n: string | undefined) => {
    if (kind === undefined) return '(?![\\p{L}\\p{N}])';
    const count = Number(n);
    if (count < 1 || count > MAX_MACRO_SPAN) fail(`macro {${kind}${n}} must span 1–${MAX_MACRO_SPAN}`);
    return kind === 'gap'
      ? `(?:\\s+(?:[^\\s.,!?;:。！？]|[.,](?=[^\\s.,]))+){0,${count}}?\\s+`
      : `[^。！？.!?\\n]{0,${count}}?`;
  });
}

/** A head as regex source: escaped, each space standing for a run of whitespace. */
function literalSource(head: string): string {
  return head.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&').replace(/ /g, '\\s+');
}
