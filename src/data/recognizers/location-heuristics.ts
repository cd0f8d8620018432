import { phraseMatcher, type CapitalRun } from './capital-runs.js';
import type { Proposal } from './person-heuristics.js';
import { proposeStreets } from './street-heuristics.js';
import {
  CAPITALIZED_STOPWORDS,
  countryFirstWords,
  countryNames,
  isLoremIpsum,
  MAX_COUNTRY_WORDS,
} from './place-names.js';

/** Phrases after which any capitalized run names a place. */
const isStronglyCued = phraseMatcher<true>(
  [
    'live in',
    'lives in',
    'lived in',
    'living in',
    'based in',
    'located in',
    'headquartered in',
    'moved to',
    'moved here from',
    'travelling to',
    'traveling to',
    'travelled to',
    'traveled to',
    'flew to',
    'born in',
    'visit',
    'visiting',
    'originally from',
    'corner of',
    'arrived at',
  ].map((cue) => [cue, true] as const),
);
/** `Southern Tunisia`, `North Korea` is already a name: the direction counts as a cue. */
const DIRECTIONS = new Set(
  'north south east west northern southern eastern western central upper lower greater'.split(' '),
);
const POSTCODE_AFTER = /[ \t]+[A-Z]{0,2}-?\d{3,6}(?=[ \t]*(?:\n|$|[.,]))/uy;

/** A country at the end of an address line takes the postcode after it (`Sweden 99178`). */
function withPostcode(text: string, end: number): number {
  POSTCODE_AFTER.lastIndex = end;
  return POSTCODE_AFTER.exec(text) === null ? end : POSTCODE_AFTER.lastIndex;
}

/** Words after which an upper-case run (`in KURZENKIRCHEN`) or a country names a place. */
const PLACE_WORDS = new Set(['in', 'from', 'to', 'at', 'near', 'across', 'visit', 'visiting']);
const UPPER_WORD = /^[\p{Lu}\p{M}]{4,}$/u;
/** Upper-case words that are formats, log levels and protocols, not towns. */
const UPPER_STOPWORDS = new Set(
  (
    'JSON HTML HTTP HTTPS YAML ASCII NULL TRUE FALSE NONE TODO NOTE WARN WARNING INFO DEBUG ERROR FATAL ' +
    'TRACE POST PATCH DELETE SELECT FROM WHERE LINUX README LICENSE UUID TEXT DATA USER ADMIN'
  ).split(' '),
);

/**
 * `address:` or `address is` and then the rest of the line, or the next line when the label ends one.
 * The label is a whole word: `EMAIL_ADDRESS:`, `ip_address:` or `relationship to` are not it.
 */
const ADDRESS_LABEL =
  /(?<![\p{L}\p{N}_])(?:address(?:es)?(?: of [^\n]{1,40}?)?(?:\s*:|\s+is\b)|(?:lives (?:at|on)|located at|ship to|deliver(?:ed)? to|send (?:it |them )?to)\b)[ \t]*\n?[ \t]*\n?[ \t]*/giu;

/** Country names inside a run; a locative word, a comma or a line start before them raises the score. */
function countries(text: string, run: CapitalRun, out: Proposal[]): void {
  const names = countryNames();
  const firsts = countryFirstWords();
  const { tokens } = run;
  for (let i = 0; i < tokens.length; i++) {
    if (!firsts.has((tokens[i]?.text ?? '').toLowerCase())) continue;
    for (let n = Math.min(MAX_COUNTRY_WORDS, tokens.length - i); n >= 1; n--) {
      const start = tokens[i]?.start ?? 0;
      const end = (tokens[i + n - 1]?.end ?? 0) - (/[.,]$/.test(tokens[i + n - 1]?.text ?? '') ? 1 : 0);
      if (!names.has(text.slice(start, end).toLowerCase())) continue;
      const previous = (
        i > 0 ? (tokens[i - 1]?.text ?? '') : (run.before[run.before.length - 1] ?? '')
      ).toLowerCase();
      const isCued =
        (i === 0 && run.isLineStart) ||
        PLACE_WORDS.has(previous) ||
        DIRECTIONS.has(previous) ||
        previous.endsWith(',');
      out.push({ start, end: withPostcode(text, end), score: isCued ? 0.65 : 0.45 });
      i += n - 1;
      break;
    }
  }
}

/** A run after a locative cue: any run after a strong cue, upper-case runs after `in`, `from`… */
function cuedPlace(run: CapitalRun, out: Proposal[]): void {
  const words = run.tokens.map((t) => t.text.replace(/[.,]$/, ''));
  if (CAPITALIZED_STOPWORDS.has((words[0] ?? '').toLowerCase()) || isLoremIpsum(words)) return;
  const end = run.tokens[run.tokens.length - 1]?.end ?? run.end;
  if (run.isLineStart) return;
  if (isStronglyCued(run.before)) {
    out.push({ start: run.start, end, score: 0.55 });
    return;
  }
  const isUpper = words.every((w) => UPPER_WORD.test(w.replace(/['’-]/g, '')) && !UPPER_STOPWORDS.has(w));
  if (isUpper && PLACE_WORDS.has(run.before[run.before.length - 1] ?? '')) {
    out.push({ start: run.start, end, score: 0.6 });
  }
}

function addressLabels(text: string, out: Proposal[]): void {
  ADDRESS_LABEL.lastIndex = 0;
  for (let m = ADDRESS_LABEL.exec(text); m !== null; m = ADDRESS_LABEL.exec(text)) {
    const newline = text.indexOf('\n', m.index + m[0].length);
    const rest = text.slice(m.index + m[0].length, newline === -1 ? undefined : newline);
    // A value cut by a redaction token (`Address: <LOCATION>, 12 Main St`) starts after its comma.
    const line = rest.replace(/^[\s,;]+/u, '');
    const at = newline === -1 ? text.length - line.length : newline - line.length;
    const value = line.replace(/[\s.,;!?]+$/u, '').slice(0, 120);
    if (/\d/.test(value) && /\p{L}/u.test(value)) out.push({ start: at, end: at + value.length, score: 0.6 });
  }
}

/**
 * LOCATION by layout and context, not by a model: street addresses (number-first, suffix and
 * prefix styles), apartment, unit and military box lines, country names, places after locative cues
 * (`lives in`, `based in`, upper-case after `in`/`from`) and the value after an `address:` label.
 * Touching pieces of one address are merged.
 */
export function proposeLocations(text: string, runs: readonly CapitalRun[]): Proposal[] {
  const out: Proposal[] = [];
  const hasDigit = /\d/.test(text);
  if (hasDigit) addressLabels(text, out);
  for (const run of runs) {
    if (hasDigit) proposeStreets(text, run, out);
    countries(text, run, out);
    cuedPlace(run, out);
  }
  return mergeTouching(
    text,
    out.map((p) => (/\d/.test(text.slice(p.start, p.end)) ? extendAddress(text, p) : p)),
  );
}

const ADDRESS_LINE = /^[\p{Lu}\d,][^:@/?!"\n]{0,49}$/u;
const NUMBER_FIRST = /(?<![\w.])\d{1,6},?[ \t]+$/u;

function isAddressLine(line: string): boolean {
  const trimmed = line.trim();
  return ADDRESS_LINE.test(trimmed) && trimmed.split(/\s+/).length <= 6;
}

/**
 * An address is a block: the number before a street (`20789 Allika 46`), the rest of its line and
 * the short lines after it (unit, town, region, country and postcode, one blank line allowed).
 */
function extendAddress(text: string, p: Proposal): Proposal {
  const lead = NUMBER_FIRST.exec(text.slice(Math.max(0, p.start - 10), p.start));
  const start = p.start - (lead?.[0].length ?? 0);
  let end = p.end;
  let lineEnd = text.indexOf('\n', end);
  const rest = text.slice(end, lineEnd === -1 ? undefined : lineEnd);
  if (rest.trim() !== '' && isAddressLine(rest)) end += rest.trimEnd().length;
  for (let lines = 0; lineEnd !== -1 && lines < 5; lines++) {
    let next = lineEnd + 1;
    let nextEnd = text.indexOf('\n', next);
    let line = text.slice(next, nextEnd === -1 ? undefined : nextEnd);
    if (line.trim() === '' && nextEnd !== -1) {
      next = nextEnd + 1;
      nextEnd = text.indexOf('\n', next);
      line = text.slice(next, nextEnd === -1 ? undefined : nextEnd);
    }
    if (line.trim() === '' || !isAddressLine(line)) break;
    end = next + line.trimEnd().replace(/[.,]$/, '').length;
    lineEnd = nextEnd;
  }
  return { start, end, score: p.score };
}

/** Merges proposals that overlap or are separated only by spaces, commas and line breaks. */
function mergeTouching(text: string, proposals: Proposal[]): Proposal[] {
  const sorted = proposals.filter((p) => p.end > p.start).sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Proposal[] = [];
  for (const p of sorted) {
    const last = merged[merged.length - 1];
    if (
      last !== undefined &&
      p.start - last.end <= 4 &&
      (p.start <= last.end || /^[\s,]*$/.test(text.slice(last.end, p.start)))
    ) {
      merged[merged.length - 1] = {
        start: last.start,
        end: Math.max(last.end, p.end),
        score: Math.max(last.score, p.score),
      };
    } else {
      merged.push(p);
    }
  }
  return merged;
}
