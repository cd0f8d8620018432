/**
 * A cheap test that tells when a regular expression cannot match a text, derived once from the
 * pattern source. The engine checks it (a few `includes`, counts computed once per text) before
 * running the expression, so a card-number pattern costs nothing on a log line whose longest number
 * has eight digits, and an e-mail pattern nothing on a line without `@`.
 */
export interface PatternGate {
  /** Substrings every match contains; lower-case when `ignoreCase`. */
  readonly literals: readonly string[];
  /** Compare `literals` with the lower-cased text. */
  readonly ignoreCase: boolean;
  /** The fewest ASCII digits a match holds. */
  readonly minDigits: number;
  /** The fewest digits of one run of digits joined only by {@link RUN_SEPARATORS} a match holds. */
  readonly minRun: number;
  /** Characters (not letters) every match holds at least this many times (`:` five times in a MAC). */
  readonly charCounts: ReadonlyMap<string, number>;
}

/** Characters that may join the digits of one number: `4111 1111`, `460-89-9847`, `(37) 788.063`. */
export const RUN_SEPARATORS = ' .-/()+';

interface Facts {
  literals: string[];
  minDigits: number;
  /** Longest digit run every match holds. */
  minRun: number;
  /** Matches only digits, separators and zero-width assertions; `minDigits` of them form one run. */
  isNumeric: boolean;
  charCounts: Map<string, number>;
}

interface Atom {
  facts: Facts;
  /** Set when the atom is exactly one literal character. */
  char?: string;
  /** Matches no character (a lookaround, an anchor, `\b`). */
  isZeroWidth?: boolean;
}

const facts = (partial: Partial<Facts> = {}): Facts => ({
  literals: [],
  minDigits: 0,
  minRun: 0,
  isNumeric: false,
  charCounts: new Map(),
  ...partial,
});

const isDigit = (c: string): boolean => c >= '0' && c <= '9';
const isSeparator = (c: string): boolean => c.length === 1 && RUN_SEPARATORS.includes(c);

/**
 * Derives the {@link PatternGate} of a JavaScript regular expression (Unicode mode). Conservative:
 * whatever it cannot read contributes nothing, so the gate only ever skips texts the expression
 * cannot match. Under the `i` flag only characters whose case folding stays in ASCII count.
 */
export function derivePatternGate(source: string, flags = ''): PatternGate {
  const ignoreCase = flags.includes('i');
  const parsed = new GateParser(source, ignoreCase).parseAlternation();
  return {
    literals: [...new Set(parsed.literals)].filter((l) => l.length > 0),
    ignoreCase,
    minDigits: parsed.minDigits,
    minRun: parsed.minRun,
    charCounts: parsed.charCounts,
  };
}

function intersectCounts(maps: readonly Map<string, number>[]): Map<string, number> {
  const [first, ...rest] = maps;
  const out = new Map<string, number>();
  for (const [c, n] of first ?? []) {
    const counts = rest.map((m) => m.get(c) ?? 0);
    out.set(c, Math.min(n, ...counts));
  }
  for (const [c, n] of out) if (n === 0) out.delete(c);
  return out;
}

class GateParser {
  private at = 0;

  constructor(
    private readonly source: string,
    private readonly ignoreCase: boolean,
  ) {}

  parseAlternation(): Facts {
    const branches = [this.parseSequence()];
    while (this.source[this.at] === '|') {
      this.at++;
      branches.push(this.parseSequence());
    }
    if (branches.length === 1) return branches[0] ?? facts();
    const [first, ...rest] = branches;
    return facts({
      literals: (first?.literals ?? []).filter((l) => rest.every((b) => b.literals.includes(l))),
      minDigits: Math.min(...branches.map((b) => b.minDigits)),
      minRun: Math.min(...branches.map((b) => b.minRun)),
      isNumeric: branches.every((b) => b.isNumeric),
      charCounts: intersectCounts(branches.map((b) => b.charCounts)),
    });
  }

  private parseSequence(): Facts {
    const out = facts({ isNumeric: true });
    let run = '';
    let segment = 0;
    const flushRun = (): void => {
      if (run !== '') out.literals.push(run);
      run = '';
    };
    const closeSegment = (): void => {
      out.minRun = Math.max(out.minRun, segment);
      segment = 0;
    };
    while (this.at < this.source.length && this.source[this.at] !== '|' && this.source[this.at] !== ')') {
      const atom = this.parseAtom();
      const { min, max } = this.parseQuantifier();
      if (atom.char !== undefined && min === max && min > 0) {
        run += atom.char.repeat(min);
      } else {
        flushRun();
        if (min > 0) out.literals.push(...atom.facts.literals);
      }
      out.minDigits += atom.facts.minDigits * min;
      if (min > 0)
        for (const [c, n] of atom.facts.charCounts)
          out.charCounts.set(c, (out.charCounts.get(c) ?? 0) + n * min);
      if (atom.isZeroWidth) continue;
      if (atom.facts.isNumeric) {
        segment += atom.facts.minDigits * min;
      } else {
        out.isNumeric = false;
        closeSegment();
        if (min > 0) out.minRun = Math.max(out.minRun, atom.facts.minRun);
      }
    }
    flushRun();
    closeSegment();
    return out;
  }

  private parseAtom(): Atom {
    const c = this.source[this.at] ?? '';
    if (c === '(') return this.parseGroup();
    if (c === '[') return this.parseClass();
    if (c === '\\') return this.parseEscape();
    this.at++;
    if (c === '^' || c === '$') return { facts: facts(), isZeroWidth: true };
    if (c === '.') return { facts: facts() };
    return this.literal(c);
  }

  private literal(c: string): Atom {
    const atom = facts({
      minDigits: isDigit(c) ? 1 : 0,
      isNumeric: isDigit(c) || isSeparator(c),
      charCounts: /[\p{L}\p{N}]/u.test(c) ? new Map() : new Map([[c, 1]]),
    });
    if (!this.ignoreCase) return { facts: atom, char: c };
    // Case-insensitive Unicode matching folds `s` with U+017F and `k` with U+212A: not ASCII-safe.
    if (c.charCodeAt(0) > 0x7e || /[sk]/i.test(c)) return { facts: atom };
    return { facts: atom, char: c.toLowerCase() };
  }

  private parseGroup(): Atom {
    this.at++;
    let isLookaround = false;
    if (this.source[this.at] === '?') {
      const next = this.source.slice(this.at + 1, this.at + 3);
      isLookaround = /^(?:[=!]|<[=!])/.test(next);
      if (next[0] === '<' && !isLookaround) this.at = this.source.indexOf('>', this.at) + 1;
      else this.at += isLookaround && next[0] === '<' ? 3 : 2;
    }
    const inner = this.parseAlternation();
    this.at++;
    return isLookaround ? { facts: facts(), isZeroWidth: true } : { facts: inner };
  }

  private parseClass(): Atom {
    const start = this.at;
    this.at++;
    while (this.at < this.source.length && this.source[this.at] !== ']') {
      this.at += this.source[this.at] === '\\' ? 2 : 1;
    }
    this.at++;
    const body = this.source.slice(start + 1, this.at - 1);
    const isDigitClass = /^(?:\d-\d|\d|\\d)+$/.test(body);
    // A class of separators only (`[ .\-]`, `[/.\-]`) keeps a number's digits together.
    const members = body.startsWith('^') ? '' : body.replace(/\\(.)/g, '$1');
    const isSeparatorClass = members !== '' && [...members].every(isSeparator);
    return { facts: facts({ minDigits: isDigitClass ? 1 : 0, isNumeric: isDigitClass || isSeparatorClass }) };
  }

  private parseEscape(): Atom {
    const c = this.source[this.at + 1] ?? '';
    this.at += 2;
    if (c === 'd') return { facts: facts({ minDigits: 1, isNumeric: true }) };
    if (c === 'b' || c === 'B') return { facts: facts(), isZeroWidth: true };
    if (c === 'p' || c === 'P' || (c === 'u' && this.source[this.at] === '{')) {
      if (this.source[this.at] === '{') this.at = this.source.indexOf('}', this.at) + 1;
      return { facts: facts() };
    }
    if (c === 'u') this.at += 4;
    else if (c === 'x') this.at += 2;
    else if (c === 'c') this.at += 1;
    else if (c === 'k') this.at = this.source.indexOf('>', this.at) + 1;
    if (/[A-Za-z0-9]/.test(c)) return { facts: facts() };
    return this.literal(c);
  }

  private parseQuantifier(): { min: number; max: number } {
    const c = this.source[this.at];
    let min = 1;
    let max = 1;
    if (c === '*' || c === '+' || c === '?') {
      this.at++;
      min = c === '+' ? 1 : 0;
      max = c === '?' ? 1 : Infinity;
    } else if (c === '{') {
      const braces = /^\{(\d+)(,(\d*))?\}/.exec(this.source.slice(this.at));
      if (!braces) return { min, max };
      this.at += braces[0].length;
      min = Number(braces[1]);
      max = braces[2] === undefined ? min : braces[3] === '' ? Infinity : Number(braces[3]);
    } else {
      return { min, max };
    }
    if (this.source[this.at] === '?') this.at++;
    return { min, max };
  }
}

/** What the gates count in one text, computed in one pass. */
export interface TextCounts {
  /** ASCII digits. */
  readonly digits: number;
  /** Digits of the longest run joined only by {@link RUN_SEPARATORS}. */
  readonly longestRun: number;
}

/** A run of digits joined by {@link RUN_SEPARATORS}; the regular expression engine finds them faster than a loop. */
const DIGIT_RUN = /\d[\d .\-/()+]*/g;

/** Counts the digits of `text` and the digits of its longest separator-joined run. */
export function countDigits(text: string): TextCounts {
  let digits = 0;
  let longestRun = 0;
  DIGIT_RUN.lastIndex = 0;
  for (let m = DIGIT_RUN.exec(text); m !== null; m = DIGIT_RUN.exec(text)) {
    const run = m[0];
    let count = 0;
    for (let i = 0; i < run.length; i++) {
      const code = run.charCodeAt(i);
      if (code >= 48 && code <= 57) count++;
    }
    digits += count;
    if (count > longestRun) longestRun = count;
  }
  return { digits, longestRun };
}

/** Counts `char` in `text`, stopping once `enough` are seen. */
export function countChar(text: string, char: string, enough: number): number {
  let count = 0;
  for (let at = text.indexOf(char); at !== -1 && count < enough; at = text.indexOf(char, at + 1)) count++;
  return count;
}

/** Whether `gate` lets `text` through (uncached; the engine caches the counts per text). */
export function gateAllows(gate: PatternGate, text: string): boolean {
  const counts = countDigits(text);
  if (counts.digits < gate.minDigits || counts.longestRun < gate.minRun) return false;
  for (const [char, needed] of gate.charCounts) if (countChar(text, char, needed) < needed) return false;
  const haystack = gate.ignoreCase ? text.toLowerCase() : text;
  return gate.literals.every((literal) => haystack.includes(literal));
}
