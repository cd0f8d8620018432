import type { TextContext, TextMatch } from '../types.js';
import { capitalRuns } from './capital-runs.js';
import { confidenceOf } from './confidence.js';
import { fieldWords } from './context.js';
import type { EntityTagger } from './entity-tagger.js';
import { proposeLocations } from './location-heuristics.js';
import { proposePersons, type Proposal } from './person-heuristics.js';
import { PII_RECOGNIZERS } from './pii-recognizers.js';

/** Recognizer ids of the heuristic tagger's matches. */
export const HEURISTIC_PERSON_ID = 'pii.person-heuristic';
/** See {@link HEURISTIC_PERSON_ID}. */
export const HEURISTIC_LOCATION_ID = 'pii.location-heuristic';

const MIN_SCORE = 0.5;
const FIELD_SCORE = 0.85;

/** Column names (as words) whose cells hold a person's name. */
const PERSON_FIELD =
  /(?:^|\s)(?:firstname|lastname|fullname|surname|fname|lname|vorname|nachname|prénom|nom|nombre|apellidos?)$/;
/** Words that may qualify `name` in a person column (`first name`, `patient name`); others (`file name`) may not. */
const PERSON_NAME_QUALIFIERS = new Set(
  'first last full given family middle maiden legal birth patient customer client contact employee person sur'.split(
    ' ',
  ),
);

function isPersonField(words: string): boolean {
  if (PERSON_FIELD.test(words)) return true;
  const parts = words.split(' ');
  if (parts[parts.length - 1] !== 'name') return false;
  const qualifier = parts[parts.length - 2];
  return qualifier === undefined || PERSON_NAME_QUALIFIERS.has(qualifier);
}

/** Column names whose cells hold a place. */
const LOCATION_FIELD =
  /(?:^|\s)(?:address(?:\s?line\s?\d)?|street|city|town|country|state|province|region|county|location|place of birth|birthplace|adresse|straße|strasse|stadt|ort|ville|pays|ciudad|país|pais|dirección|direccion|calle)$/;

const PERSON_VALUE = /^[\p{L}\p{M}][\p{L}\p{M}'’.-]*(?:[ \t]+[\p{L}\p{M}][\p{L}\p{M}'’.-]*){0,4}$/u;

function toMatch(entity: 'PERSON' | 'LOCATION', p: Proposal): TextMatch {
  return {
    recognizer: entity === 'PERSON' ? HEURISTIC_PERSON_ID : HEURISTIC_LOCATION_ID,
    entity,
    category: 'pii',
    start: p.start,
    end: p.end,
    score: p.score,
    confidence: confidenceOf(p.score),
  };
}

/** An upper-case identifier (`PERSON`, `EMAIL_ADDRESS_REDACTED`), bounded by anything but a word character. */
const IDENTIFIER = /(?<![\p{L}\p{N}_])[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*(?![\p{L}\p{N}_])/gu;

/** The rest of a redaction token after its entity name (src/data/redact/redact-tokens.ts). */
const TOKEN_REST = /(?:#(?:hmac|enc1):[a-z2-7]{1,64}(?:\.[a-z2-7]{1,16})*)?>/y;

/**
 * Spans of the redaction tokens and of the words that name an entity type: `<LOCATION>`,
 * `<PERSON#hmac:…>`, `<PERSON#enc1:…>`, `[EMAIL_ADDRESS]` or `PERSON_REDACTED` are what
 * `bulwark redact` and its `{entity}` templates write in place of a value, so they are never a name
 * or a place themselves. A word counts when a run of its `_`-separated parts is an entity name; a
 * hashed or encrypted token counts whatever entity it names.
 */
function entityNameSpans(text: string, names: ReadonlySet<string>): { start: number; end: number }[] {
  const spans: { start: number; end: number }[] = [];
  IDENTIFIER.lastIndex = 0;
  for (let m = IDENTIFIER.exec(text); m !== null; m = IDENTIFIER.exec(text)) {
    const end = m.index + m[0].length;
    TOKEN_REST.lastIndex = end;
    const token = text[m.index - 1] === '<' && TOKEN_REST.test(text);
    if (token && (text[end] === '#' || names.has(m[0]))) {
      spans.push({ start: m.index - 1, end: TOKEN_REST.lastIndex });
    } else if (namesEntity(m[0], names)) {
      spans.push({ start: m.index, end });
    }
  }
  return spans;
}

function namesEntity(word: string, names: ReadonlySet<string>): boolean {
  if (names.has(word)) return true;
  if (!word.includes('_')) return false;
  const parts = word.split('_');
  for (let from = 0; from < parts.length; from++) {
    for (let to = from + 1; to <= parts.length; to++) {
      if (names.has(parts.slice(from, to).join('_'))) return true;
    }
  }
  return false;
}

/** A whole table cell that the column name says is a person or a place (as Macie and Presidio do). */
function tagCell(text: string, field: string): TextMatch | undefined {
  const kind = fieldKind(field);
  if (kind === 'other') return undefined;
  const start = text.length - text.trimStart().length;
  const value = text.trim();
  if (value === '' || value.length > 200) return undefined;
  const span = { start, end: start + value.length, score: FIELD_SCORE };
  if (kind !== 'location' && value.length <= 60 && PERSON_VALUE.test(value)) return toMatch('PERSON', span);
  // Place names are capitalized; `us-east-1` in a `region` column or `active` in `state` are not places.
  if (kind !== 'person' && /\p{Lu}/u.test(value)) return toMatch('LOCATION', span);
  return undefined;
}

/** Column names seen, and what their cells hold; a table has few columns and millions of cells. */
const FIELD_KINDS = new Map<string, 'person' | 'location' | 'person-or-location' | 'other'>();
const MAX_FIELD_KINDS = 4096;

function fieldKind(field: string): 'person' | 'location' | 'person-or-location' | 'other' {
  let kind = FIELD_KINDS.get(field);
  if (kind === undefined) {
    const words = fieldWords(field);
    const person = isPersonField(words);
    const location = LOCATION_FIELD.test(words);
    kind = person && location ? 'person-or-location' : person ? 'person' : location ? 'location' : 'other';
    if (FIELD_KINDS.size >= MAX_FIELD_KINDS) FIELD_KINDS.clear();
    FIELD_KINDS.set(field, kind);
  }
  return kind;
}

/** Options of {@link createHeuristicTagger}. */
export interface HeuristicTaggerOptions {
  /**
   * Entity names besides PERSON, LOCATION and the built-in PII ones (the secret pack's, the user's)
   * that redaction may write in place of a value, and so are never a name or a place.
   */
  readonly entityNames?: Iterable<string>;
}

/**
 * The built-in {@link EntityTagger}: PERSON and LOCATION from context heuristics (honorifics, cue
 * phrases, address layouts, country names, column names), not from a language model. It is fast and
 * explainable and misses names in running prose without a cue; docs/data-scanning.md gives its
 * measured precision and recall. A model-backed tagger can replace it through the same interface.
 * Redaction tokens and entity names (`<LOCATION>`, `PERSON_REDACTED`) are never tagged, so a
 * redacted copy scans clean.
 */
export function createHeuristicTagger(options: HeuristicTaggerOptions = {}): EntityTagger {
  const names = new Set([
    'PERSON',
    'LOCATION',
    ...PII_RECOGNIZERS.map((spec) => spec.entity),
    ...(options.entityNames ?? []),
  ]);
  const tag = (text: string, ctx: TextContext): TextMatch[] => {
    if (ctx.field !== undefined) {
      const cell = tagCell(text, ctx.field);
      if (cell) return [cell];
    }
    // Both heuristics key on capital letters; text without one has neither.
    if (!/\p{Lu}/u.test(text)) return [];
    const runs = capitalRuns(text);
    return [
      ...proposePersons(text, runs)
        .filter((p) => p.score >= MIN_SCORE)
        .map((p) => toMatch('PERSON', p)),
      ...proposeLocations(text, runs)
        .filter((p) => p.score >= MIN_SCORE)
        .map((p) => toMatch('LOCATION', p)),
    ];
  };
  return {
    entities: ['PERSON', 'LOCATION'],
    tag(text: string, ctx: TextContext = {}): TextMatch[] {
      const found = tag(text, ctx);
      if (found.length === 0) return found;
      const spans = entityNameSpans(text, names);
      if (spans.length === 0) return found;
      // Read again with those words blanked out, so what is left around them is still found.
      let masked = text;
      for (const { start, end } of spans) {
        masked = masked.slice(0, start) + ' '.repeat(end - start) + masked.slice(end);
      }
      return tag(masked, ctx);
    },
  };
}
