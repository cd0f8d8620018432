/** Longest regular expression a policy condition may hold, in characters. */
export const MAX_PATTERN_LENGTH = 256;

/** Longest string a pattern is ever run against; longer values do not match (and say so). */
export const MAX_MATCH_INPUT_LENGTH = 1024;

/** The result of {@link compileSafeRegex}: the compiled expression, or one sentence on why not. */
export type SafeRegexResult =
  { readonly ok: true; readonly regex: RegExp } | { readonly ok: false; readonly problem: string };

interface GroupFrame {
  /** A quantifier or an alternation somewhere inside: what makes a repeated group backtrack. */
  hasChoice: boolean;
}

/**
 * Compiles a policy's regular expression (Unicode mode, no flags the author can set) after refusing
 * the shapes that make a backtracking engine take exponential time on a crafted input: a group that
 * holds a quantifier or an alternation and is itself repeated without bound (`(a+)+`, `(a|b)*`), and
 * backreferences. Together with {@link MAX_MATCH_INPUT_LENGTH} this keeps a `matches` condition
 * bounded on attestations written by someone else (CWE-1333).
 */
export function compileSafeRegex(pattern: string): SafeRegexResult {
  if (pattern.length > MAX_PATTERN_LENGTH) {
    return { ok: false, problem: `the pattern is longer than ${MAX_PATTERN_LENGTH} characters` };
  }
  let regex: RegExp;
  try {
    regex = new RegExp(pattern, 'u');
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message.replace(/^Invalid regular expression: /, '') : '';
    return { ok: false, problem: `the pattern is not a valid regular expression (${detail})` };
  }
  const problem = backtrackingHazard(pattern);
  return problem === undefined ? { ok: true, regex } : { ok: false, problem };
}

/** Runs a safe regex on a value, refusing inputs above {@link MAX_MATCH_INPUT_LENGTH}. */
export function testSafeRegex(regex: RegExp, input: string): boolean | 'too-long' {
  if (input.length > MAX_MATCH_INPUT_LENGTH) return 'too-long';
  return regex.test(input);
}

function backtrackingHazard(pattern: string): string | undefined {
  const frames: GroupFrame[] = [{ hasChoice: false }];
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i];
    const top = frames[frames.length - 1] ?? { hasChoice: false };
    if (c === '\\') {
      const next = pattern[i + 1] ?? '';
      if (/[1-9]/.test(next) || next === 'k') {
        return 'backreferences are not allowed: they make matching time unbounded';
      }
      i += 2;
    } else if (c === '[') {
      i = skipClass(pattern, i);
    } else if (c === '(') {
      frames.push({ hasChoice: false });
      // `(?:`, `(?=`, `(?<name>` and the like: the `?` is not a quantifier.
      i += pattern[i + 1] === '?' ? 2 : 1;
    } else if (c === ')') {
      const group = frames.pop() ?? { hasChoice: false };
      const parent = frames[frames.length - 1] ?? top;
      const quantifier = readQuantifier(pattern, i + 1);
      if (quantifier !== undefined && quantifier.unbounded && group.hasChoice) {
        return `"${pattern.slice(0, i + 1 + quantifier.length)}" repeats a group that holds a quantifier or "|" without bound: write it without the nested repetition`;
      }
      parent.hasChoice ||= group.hasChoice || quantifier !== undefined;
      i += 1 + (quantifier?.length ?? 0);
    } else if (c === '|') {
      top.hasChoice = true;
      i += 1;
    } else {
      const quantifier = readQuantifier(pattern, i);
      if (quantifier !== undefined) {
        top.hasChoice = true;
        i += quantifier.length;
      } else {
        i += 1;
      }
    }
  }
  return undefined;
}

/** Reads a quantifier (`*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}`, each maybe lazy) starting at `at`. */
function readQuantifier(pattern: string, at: number): { length: number; unbounded: boolean } | undefined {
  const c = pattern[at];
  let length: number;
  let unbounded: boolean;
  if (c === '*' || c === '+' || c === '?') {
    length = 1;
    unbounded = c !== '?';
  } else if (c === '{') {
    const braces = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(at));
    if (!braces) return undefined;
    length = braces[0].length;
    unbounded = braces[2] !== undefined && braces[3] === '';
  } else {
    return undefined;
  }
  if (pattern[at + length] === '?') length += 1;
  return { length, unbounded };
}

function skipClass(pattern: string, start: number): number {
  let i = start + 1;
  while (i < pattern.length && pattern[i] !== ']') i += pattern[i] === '\\' ? 2 : 1;
  return i + 1;
}
