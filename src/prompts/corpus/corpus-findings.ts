import type { Finding, JsonValue, Location } from '../../core/findings.js';
import { findingOf, type Rule } from '../../core/rules.js';
import {
  DOCUMENT_INJECTION,
  HIDDEN_CONTENT,
  HIDDEN_INSTRUCTIONS,
  INVISIBLE_CHARACTERS,
} from '../prompt-rules.js';
import type { DocumentHit, HitKind, RawSpan } from './corpus-types.js';

/** The rule of each kind of hit. */
export const HIT_RULES: Readonly<Record<HitKind, Rule>> = {
  'document-injection': DOCUMENT_INJECTION,
  'hidden-instructions': HIDDEN_INSTRUCTIONS,
  'hidden-content': HIDDEN_CONTENT,
  'invisible-characters': INVISIBLE_CHARACTERS,
};

/** Turns a span of the document into a finding location (path, region; row and field for JSON). */
export type SpanLocator = (span: RawSpan) => Location;

/**
 * The finding of one document hit: its rule, a one-line message with a masked preview (never the
 * passage itself), the location of the deciding span, and the shield's score, categories and
 * reason, the hiding technique, and for merged hits their count and further locations as evidence.
 */
export function findingOfHit(hit: DocumentHit, locate: SpanLocator, threshold: number): Finding {
  const location = locate(hit.span);
  const evidence: Record<string, JsonValue> = {};
  if (hit.score !== undefined) {
    evidence['score'] = round(hit.score);
    evidence['threshold'] = round(threshold);
  }
  if (hit.categories !== undefined) evidence['categories'] = [...hit.categories];
  if (hit.technique !== undefined) evidence['technique'] = hit.technique;
  if (hit.count > 1) evidence['count'] = hit.count;
  evidence['preview'] = hit.preview;
  if (hit.decoded !== undefined) evidence['decoded'] = hit.decoded;
  if (hit.reason !== undefined) evidence['reason'] = hit.reason;
  if (hit.more.length > 0) evidence['moreLocations'] = hit.more.map((span) => regionOf(locate(span)));
  return findingOf(HIT_RULES[hit.kind], { message: messageOf(hit, threshold), location, evidence });
}

function messageOf(hit: DocumentHit, threshold: number): string {
  const score = hit.score === undefined ? '' : `score ${hit.score.toFixed(2)}`;
  const categories =
    hit.categories !== undefined && hit.categories.length > 0 ? `; ${hit.categories.join(', ')}` : '';
  switch (hit.kind) {
    case 'document-injection':
      return `passage reads as instructions to the model (${score} ≥ ${threshold.toFixed(2)}${categories}): "${hit.preview}"`;
    case 'hidden-instructions':
      return `hidden text (${hit.technique ?? 'hidden'}) reads as instructions to the model (${score}${categories}): "${hit.preview}"`;
    case 'hidden-content': {
      const spans = hit.count === 1 ? 'a span' : `${hit.count} spans`;
      return `${spans} of hidden text (${hit.technique ?? 'hidden'}) that a reader does not see but a model reads, none reading as instructions; first: "${hit.preview}"`;
    }
    case 'invisible-characters': {
      const runs = hit.count === 1 ? 'a run' : `${hit.count} runs`;
      const what = hit.decoded === undefined ? hit.preview : `decoding to "${hit.decoded}"`;
      return `${runs} of invisible characters (${hit.technique ?? 'invisible'}): ${what}`;
    }
  }
}

function regionOf(location: Location): JsonValue {
  const region: Record<string, JsonValue> = {};
  for (const key of ['line', 'column', 'endLine', 'endColumn', 'row', 'field'] as const) {
    const value = location[key];
    if (value !== undefined) region[key] = value;
  }
  return region;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
