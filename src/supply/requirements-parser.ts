import { parsePep508, type Pep508Requirement } from './pep508.js';

/** A piece of a requirements file with its offsets in the raw text (`end` exclusive). */
export interface RawSpan {
  readonly start: number;
  readonly end: number;
}

/** A `--hash=algorithm:digest` option of a requirement. */
export interface RequirementHash extends RawSpan {
  readonly algorithm: string;
  readonly digest: string;
}

/** One entry of a requirements file. */
export type RequirementsEntry =
  | {
      readonly kind: 'requirement';
      /** The requirement text (joined across continuation lines). */
      readonly text: string;
      readonly span: RawSpan;
      /** The parsed PEP 508 form; absent for bare URLs and paths. */
      readonly requirement?: Pep508Requirement & { readonly offsets: (at: number) => number };
      /** A bare URL or path requirement (`git+https://…`, `./pkg`, `https://…/x.whl`). */
      readonly location?: string;
      readonly editable: boolean;
      readonly hashes: readonly RequirementHash[];
    }
  | {
      readonly kind: 'option';
      /** The long option name, e.g. `--index-url`. */
      readonly option: string;
      readonly value?: string;
      readonly span: RawSpan;
      readonly valueSpan?: RawSpan;
    }
  | { readonly kind: 'invalid'; readonly message: string; readonly span: RawSpan };

/** Options that take a value, by every spelling pip accepts in requirement files. */
const VALUE_OPTIONS: Readonly<Record<string, string>> = {
  '-r': '--requirement',
  '--requirement': '--requirement',
  '-c': '--constraint',
  '--constraint': '--constraint',
  '-e': '--editable',
  '--editable': '--editable',
  '-i': '--index-url',
  '--index-url': '--index-url',
  '--extra-index-url': '--extra-index-url',
  '-f': '--find-links',
  '--find-links': '--find-links',
  '--trusted-host': '--trusted-host',
  '--no-binary': '--no-binary',
  '--only-binary': '--only-binary',
  '--use-feature': '--use-feature',
  '--hash': '--hash',
  '--config-settings': '--config-settings',
  '--global-option': '--global-option',
  '--install-option': '--install-option',
};

/** A logical line: continuation lines joined, with the raw offset of every character. */
interface LogicalLine {
  readonly text: string;
  readonly offsets: readonly number[];
}

interface Token {
  readonly text: string;
  /** Index in the logical line. */
  readonly start: number;
  readonly end: number;
}

const COMMENT_LINE = /(^|\s)#/;
const URL_OR_PATH = /^(?:[a-z][a-z0-9+.-]*:\/\/|(?:git|hg|svn|bzr)\+|file:|\.{1,2}(?:[/\\]|$)|[/\\~])/i;
const ARCHIVE = /\.(?:whl|zip|tar\.gz|tgz|tar\.bz2|tar\.xz|tar)$/i;

/**
 * Parses a pip requirements (or constraints) file the way pip reads it: backslash continuations are
 * joined first (a line holding a comment does not continue), then `#` comments are dropped, then each
 * line is an option (`-r`, `-i`, `--extra-index-url`, `--trusted-host`, `-e`…) or a requirement
 * followed by its options (`--hash`). Never throws: a malformed line becomes an `invalid` entry.
 * Included files are listed, never followed.
 */
export function parseRequirements(text: string): RequirementsEntry[] {
  const entries: RequirementsEntry[] = [];
  for (const line of logicalLines(text)) {
    const uncommented = stripComment(line.text);
    const tokens = tokenize(uncommented);
    const first = tokens[0];
    if (first === undefined) continue;
    if (first.text.startsWith('-')) parseOptionLine(line, tokens, entries);
    else parseRequirementLine(line, tokens, entries);
  }
  return entries;
}

function parseOptionLine(line: LogicalLine, tokens: readonly Token[], entries: RequirementsEntry[]): void {
  const option = readOption(line, tokens, 0);
  if (option === undefined) return;
  if (option.option === '--editable') {
    if (option.value === undefined || option.valueSpan === undefined) {
      entries.push({ kind: 'invalid', message: '-e needs a path or URL', span: option.span });
      return;
    }
    const valueStart = option.valueStart;
    const rest = tokens.slice(option.next);
    const hashes = readHashes(line, rest);
    entries.push(
      requirementEntry(line, option.value, valueStart, valueStart + option.value.length, true, hashes),
    );
    return;
  }
  entries.push({
    kind: 'option',
    option: option.option,
    ...(option.value === undefined ? {} : { value: option.value }),
    span: option.span,
    ...(option.valueSpan === undefined ? {} : { valueSpan: option.valueSpan }),
  });
  // Further options on the same line (`-i URL --trusted-host host` is not allowed by pip, but cheap to read).
  let index = option.next;
  while (index < tokens.length) {
    const more = readOption(line, tokens, index);
    if (more === undefined) break;
    entries.push({
      kind: 'option',
      option: more.option,
      ...(more.value === undefined ? {} : { value: more.value }),
      span: more.span,
      ...(more.valueSpan === undefined ? {} : { valueSpan: more.valueSpan }),
    });
    index = more.next;
  }
}

function parseRequirementLine(
  line: LogicalLine,
  tokens: readonly Token[],
  entries: RequirementsEntry[],
): void {
  let split = tokens.findIndex((token) => token.text.startsWith('-'));
  if (split < 0) split = tokens.length;
  const firstArg = tokens[0];
  const lastArg = tokens[split - 1];
  if (firstArg === undefined || lastArg === undefined) return;
  const requirementText = line.text.slice(firstArg.start, lastArg.end);
  const hashes = readHashes(line, tokens.slice(split));
  entries.push(requirementEntry(line, requirementText, firstArg.start, lastArg.end, false, hashes));
}

function requirementEntry(
  line: LogicalLine,
  text: string,
  start: number,
  end: number,
  editable: boolean,
  hashes: RequirementHash[],
): RequirementsEntry {
  const span = rawSpan(line, start, end);
  const looksLikeLocation = URL_OR_PATH.test(text) || (ARCHIVE.test(text) && !/\s/.test(text));
  const parsed = looksLikeLocation ? undefined : parsePep508(text);
  if (parsed?.ok === true) {
    const offsets = (at: number): number => rawOffset(line, start + at);
    return {
      kind: 'requirement',
      text,
      span,
      requirement: { ...parsed.requirement, offsets },
      editable,
      hashes,
    };
  }
  if (looksLikeLocation || (editable && !/\s/.test(text))) {
    return { kind: 'requirement', text, span, location: text, editable, hashes };
  }
  const problem = parsed ?? { message: 'malformed requirement', offset: 0 };
  const at = Math.min(start + problem.offset, end - 1);
  return {
    kind: 'invalid',
    message: `${problem.message} in "${truncate(text)}"`,
    span: rawSpan(line, Math.max(start, at), end),
  };
}

interface ReadOption {
  readonly option: string;
  readonly value?: string;
  readonly valueStart: number;
  readonly span: RawSpan;
  readonly valueSpan?: RawSpan;
  /** Index of the token after the option and its value. */
  readonly next: number;
}

/** Reads the option at `tokens[index]` in its `--opt=value`, `--opt value`, `-ovalue` and `-o value` forms. */
function readOption(line: LogicalLine, tokens: readonly Token[], index: number): ReadOption | undefined {
  const token = tokens[index];
  if (token === undefined || !token.text.startsWith('-')) return undefined;
  let name = token.text;
  let inline: { text: string; start: number } | undefined;
  if (token.text.startsWith('--')) {
    const equals = token.text.indexOf('=');
    if (equals > 0) {
      name = token.text.slice(0, equals);
      inline = { text: token.text.slice(equals + 1), start: token.start + equals + 1 };
    }
  } else if (token.text.length > 2) {
    name = token.text.slice(0, 2);
    inline = { text: token.text.slice(2), start: token.start + 2 };
  }
  const canonical = VALUE_OPTIONS[name];
  if (canonical === undefined) {
    return {
      option: name,
      valueStart: token.end,
      span: rawSpan(line, token.start, token.end),
      next: index + 1,
    };
  }
  const separate = inline === undefined || inline.text === '' ? tokens[index + 1] : undefined;
  const value =
    inline !== undefined && inline.text !== ''
      ? inline
      : separate
        ? { text: separate.text, start: separate.start }
        : undefined;
  if (value === undefined) {
    return {
      option: canonical,
      valueStart: token.end,
      span: rawSpan(line, token.start, token.end),
      next: index + 1,
    };
  }
  const valueEnd = value.start + value.text.length;
  return {
    option: canonical,
    value: value.text,
    valueStart: value.start,
    span: rawSpan(line, token.start, valueEnd),
    valueSpan: rawSpan(line, value.start, valueEnd),
    next: index + (separate ? 2 : 1),
  };
}

function readHashes(line: LogicalLine, tokens: readonly Token[]): RequirementHash[] {
  const hashes: RequirementHash[] = [];
  let index = 0;
  while (index < tokens.length) {
    const option = readOption(line, tokens, index);
    if (option === undefined) {
      index++;
      continue;
    }
    if (option.option === '--hash' && option.value !== undefined && option.valueSpan !== undefined) {
      const colon = option.value.indexOf(':');
      const algorithm = colon > 0 ? option.value.slice(0, colon).toLowerCase() : '';
      hashes.push({
        algorithm,
        digest: colon > 0 ? option.value.slice(colon + 1) : option.value,
        ...option.span,
      });
    }
    index = option.next;
  }
  return hashes;
}

/** Joins backslash continuations as pip does; the result maps every character back to the raw text. */
function logicalLines(text: string): LogicalLine[] {
  const lines: LogicalLine[] = [];
  let pendingText = '';
  let pendingOffsets: number[] = [];
  let start = 0;
  while (start <= text.length) {
    let end = start;
    while (end < text.length && text[end] !== '\n' && text[end] !== '\r') end++;
    const physical = text.slice(start, end);
    const continues = physical.endsWith('\\') && !COMMENT_LINE.test(physical);
    let kept = physical;
    if (continues) kept = physical.replace(/\\+$/, '');
    else if (COMMENT_LINE.test(physical) && pendingText !== '') kept = ` ${physical}`;
    const shift = kept.length > physical.length ? -1 : 0;
    for (let i = 0; i < kept.length; i++) pendingOffsets.push(start + Math.max(0, i + shift));
    pendingText += kept;
    if (!continues) {
      lines.push({ text: pendingText, offsets: pendingOffsets });
      pendingText = '';
      pendingOffsets = [];
    }
    if (end >= text.length) break;
    start = end + (text[end] === '\r' && text[end + 1] === '\n' ? 2 : 1);
  }
  if (pendingText !== '') lines.push({ text: pendingText, offsets: pendingOffsets });
  return lines;
}

function stripComment(text: string): string {
  const match = COMMENT_LINE.exec(text);
  return match === null ? text : text.slice(0, match.index);
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /\S+/g;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    tokens.push({ text: match[0], start: match.index, end: match.index + match[0].length });
  }
  return tokens;
}

function rawOffset(line: LogicalLine, at: number): number {
  const clamped = Math.max(0, Math.min(at, line.offsets.length - 1));
  return line.offsets[clamped] ?? 0;
}

function rawSpan(line: LogicalLine, start: number, end: number): RawSpan {
  const from = rawOffset(line, start);
  const to = end > start ? rawOffset(line, end - 1) + 1 : from;
  return { start: from, end: Math.max(to, from) };
}

function truncate(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
