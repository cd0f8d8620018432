import type { TextContext, TextMatch } from '../types.js';
import { capitalRuns } from './capital-runs.js';
import { confidenceOf } from './confidence.js';
import { fieldWords } from './context.js';
import type { EntityTagger } from './entity-tagger.js';
import { proposeLocations } from './location-heuristics.js';
import { proposePersons, type Proposal } from './person-heuristics.js';

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

/** A whole table cell that the column name says is a person or a place (as Macie and Presidio do). */
function tagCell(text: string, field: string): TextMatch | undefined {
  const words = fieldWords(field);
  const start = text.length - text.trimStart().length;
  const value = text.trim();
  if (value === '' || value.length > 200) return undefined;
  const span = { start, end: start + value.length, score: FIELD_SCORE };
  if (isPersonField(words) && value.length <= 60 && PERSON_VALUE.test(value)) return toMatch('PERSON', span);
  // Place names are capitalized; `us-east-1` in a `region` column or `active` in `state` are not places.
  if (LOCATION_FIELD.test(words) && /\p{Lu}/u.test(value)) return toMatch('LOCATION', span);
  return undefined;
}

/**
 * The built-in {@link EntityTagger}: PERSON and LOCATION from context heuristics (honorifics, cue
 * phrases, address layouts, country names, column names), not from a language model. It is fast and
 * explainable and misses names in running prose without a cue; docs/data-scanning.md gives its
 * measured precision and recall. A model-backed tagger can replace it through the same interface.
 */
export function createHeuristicTagger(): EntityTagger {
  return {
    entities: ['PERSON', 'LOCATION'],
    tag(text: string, ctx: TextContext = {}): TextMatch[] {
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
    },
  };
}
