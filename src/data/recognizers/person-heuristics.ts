import { phraseMatcher, type CapitalRun } from './capital-runs.js';
import { CAPITALIZED_STOPWORDS, countryNames, isLoremIpsum, ORGANISATION_WORDS } from './place-names.js';

/** A span a heuristic proposes, with its score. */
export interface Proposal {
  readonly start: number;
  readonly end: number;
  readonly score: number;
}

const TOKEN = String.raw`\p{Lu}[\p{L}\p{M}'’\-]*`;
const INITIAL = String.raw`\p{Lu}(?:\.|(?![\p{L}\p{M}'’\-.]))`;
const PARTICLE = String.raw`(?:van|von|de|da|del|der|den|di|du|dos|das|le|la|bin|al|ten|ter)`;
/** A name starting exactly at `lastIndex`: one to four capitalized tokens, initials and particles inside. */
const NAME_AT = new RegExp(
  String.raw`${TOKEN}(?:[ \t]+(?:${PARTICLE}[ \t]+){0,2}(?:${INITIAL}|${TOKEN})){0,3}`,
  'uy',
);

const HONORIFICS = new Set(
  'mr mrs ms miss mx dr prof sir dame madam mister herr frau mme mlle sr sra srta'.split(' '),
);

/** Words before a run that make it a name, with the score they give. */
const cueScore = phraseMatcher<number>([
  ...[
    'my name is',
    'name is',
    'name:',
    'name?',
    'named',
    'call me',
    'calls me',
    'signed',
    'regards',
    'sincerely',
    'attn:',
    'attn',
    'patient:',
    'contact:',
    'mein name ist',
    'ich heiße',
    "je m'appelle",
    'me llamo',
    'mi nombre es',
  ].map((cue) => [cue, 0.75] as const),
  ...[
    "i'm",
    'i am',
    'this is',
    'name',
    'dear',
    'hi',
    'hello',
    'hey',
    'thanks',
    'thank you',
    'je suis',
    'soy',
    'said',
    'asked',
    'told',
    'replied',
  ].map((cue) => [cue, 0.6] as const),
]);

/** People named by their role right before the name (`tennis player Hülya Bouwmeester`, `my brother John`). */
const ROLE_NOUNS = new Set(
  (
    'player singer songwriter actor actress writer author director president ceo cfo cto founder manager ' +
    'commenter doctor nurse patient officer agent professor senator minister colleague friend brother ' +
    'sister mother father son daughter wife husband partner boss coach teacher student lawyer attorney ' +
    'judge chef artist journalist reporter editor inspector detective sergeant captain guardian'
  ).split(' '),
);

/** Verbs right after a run that make it the name of a person doing them. */
const VERB_AFTER =
  /[ \t]+(?:lives|lived|works|worked|was born|is from|was from|said|says|wrote|spent|had given|listed (?:his|her))(?![\p{L}])/uy;

const SPEAKER_LINE = new RegExp(String.raw`^[ \t]*(${TOKEN})[ \t]*:[ \t]+\S`, 'gmu');

function clean(word: string): string {
  return word.replace(/^["'(“‘]+|[,!"')”’]+$/gu, '');
}

function isPlausibleName(name: string): boolean {
  const tokens = name.toLowerCase().split(/[ \t]+/);
  const first = (tokens[0] ?? '').replace(/\.$/, '');
  if (CAPITALIZED_STOPWORDS.has(first) || HONORIFICS.has(first)) return false;
  if (tokens.some((t) => ORGANISATION_WORDS.has(t)) || isLoremIpsum(tokens)) return false;
  return !countryNames().has(tokens.join(' '));
}

/** Reads the name starting at `at` (trailing initials dropped), or undefined. */
function nameAt(text: string, at: number): { start: number; end: number; tokens: number } | undefined {
  NAME_AT.lastIndex = at;
  const m = NAME_AT.exec(text);
  if (!m) return undefined;
  const name = m[0].replace(/['’]s$/u, '').replace(/(?:[ \t]+\p{Lu}\.?)+$/u, '');
  if (!isPlausibleName(name)) return undefined;
  return { start: at, end: at + name.length, tokens: name.split(/[ \t]+/).length };
}

/** How strongly the words around a run say it is a person, and where the name starts. */
function cueOf(text: string, run: CapitalRun): { at: number; score: number; minTokens: number } | undefined {
  const first = run.tokens[0];
  const second = run.tokens[1];
  const before = run.before.map(clean);
  const previous = (before[before.length - 1] ?? '').replace(/\.$/, '');
  if (
    first !== undefined &&
    second !== undefined &&
    HONORIFICS.has(first.text.replace(/\.$/, '').toLowerCase())
  ) {
    return { at: second.start, score: 0.8, minTokens: 1 };
  }
  const score = cueScore(before);
  // Only the strong cues (`Name:`, `Regards,`) reach across a line break to a name on the next line.
  if (score !== undefined && (score >= 0.75 || !run.isLineStart))
    return { at: run.start, score, minTokens: 1 };
  if (!run.isLineStart) {
    if (HONORIFICS.has(previous)) return { at: run.start, score: 0.8, minTokens: 1 };
    if (ROLE_NOUNS.has(previous)) return { at: run.start, score: 0.6, minTokens: 1 };
    if (previous === 'by') return { at: run.start, score: 0.5, minTokens: 2 };
  }
  VERB_AFTER.lastIndex = run.end;
  if (run.tokens.length <= 3 && VERB_AFTER.test(text)) return { at: run.start, score: 0.6, minTokens: 1 };
  // `Alice Goldberg's Cautionary Tales`: a two- or three-word possessive is usually a person.
  const last = run.tokens[run.tokens.length - 1]?.text ?? '';
  if (run.tokens.length >= 2 && run.tokens.length <= 3 && /['’]s$/u.test(last))
    return { at: run.start, score: 0.5, minTokens: 2 };
  return undefined;
}

/** The first line of a block (a signature, a letterhead, a CV) that is nothing but a name. */
function nameLine(text: string, out: Proposal[]): void {
  const newline = text.indexOf('\n');
  if (newline === -1 || newline > 60) return;
  const line = text.slice(0, newline);
  const lead = line.length - line.trimStart().length;
  const name = nameAt(text, lead);
  if (name && name.end - lead === line.trim().length && name.tokens >= 2) out.push({ ...name, score: 0.6 });
}

/** Chat transcripts: two or more lines opening with `Name: …` name their speakers. */
function speakers(text: string, out: Proposal[]): void {
  const found: Proposal[] = [];
  SPEAKER_LINE.lastIndex = 0;
  for (let m = SPEAKER_LINE.exec(text); m !== null; m = SPEAKER_LINE.exec(text)) {
    const token = m[1] ?? '';
    if (!isPlausibleName(token)) continue;
    const start = m.index + m[0].indexOf(token);
    found.push({ start, end: start + token.length, score: 0.6 });
  }
  if (found.length >= 2) out.push(...found);
}

/**
 * PERSON by context, not by a model: a name after an honorific (`Dr. Kyle Kuefer`, `ms. Marcela`),
 * after a cue (`my name is …`, `Name: …`, `Dear …`, `said …`), after a role (`tennis player …`),
 * before a verb of a person (`… lives on`), alone on the first line of a block, or as a speaker in a
 * chat transcript. Names in running prose without such a cue are missed by design.
 */
export function proposePersons(text: string, runs: readonly CapitalRun[]): Proposal[] {
  const out: Proposal[] = [];
  for (const run of runs) {
    const cue = cueOf(text, run);
    if (cue === undefined) continue;
    const name = nameAt(text, cue.at);
    if (name && name.tokens >= cue.minTokens)
      out.push({ start: name.start, end: name.end, score: cue.score });
  }
  nameLine(text, out);
  if (text.includes(':') && text.includes('\n')) speakers(text, out);
  return out;
}
