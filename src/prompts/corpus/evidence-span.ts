import { spanToInput } from '../normalize/edit-log.js';
import { foldText } from '../normalize/fold.js';
import { normalizePrompt } from '../normalize/index.js';
import { stripInvisible } from '../normalize/invisible.js';
import { collapseWhitespace } from '../normalize/whitespace.js';
import { HEURISTIC_DETECTOR_ID } from '../heuristics/index.js';
import type { ShieldVerdict } from '../shield.js';
import type { DetectorEvidence, DetectorResult, NormalizedInput } from '../types.js';
import type { RawSpan } from './corpus-types.js';

/** The span of a scanned text that decided a verdict, and the detector's note about it. */
export interface DecidingSpan extends RawSpan {
  readonly reason: string;
}

/** Normalization of one text, and how offsets of its `normalized` form map back to the text. */
interface NormalizedView {
  readonly input: NormalizedInput;
  /** Undefined when the map cannot be trusted (see {@link viewOf}). */
  readonly toText: ((start: number, end: number) => RawSpan) | undefined;
}

/**
 * Where in `text` the verdict's deciding evidence lies: the strongest heuristic cue, else the
 * classifier's window, that carries a span, mapped from the variant it was found in back to `text`
 * (through normalization for `normalized`; the encoded run for a decoded variant). Undefined when no
 * evidence can be placed, so the caller reports the whole chunk.
 */
export function decidingSpan(verdict: ShieldVerdict, text: string): DecidingSpan | undefined {
  return placedEvidence(verdict, text, 1)[0];
}

/** Every piece of the verdict's evidence that can be placed in `text` (up to `limit`), deciding one first. */
export function placedEvidence(verdict: ShieldVerdict, text: string, limit = Infinity): DecidingSpan[] {
  let view: NormalizedView | undefined;
  const lazyView = (): NormalizedView => (view ??= viewOf(text));
  const placed: DecidingSpan[] = [];
  for (const result of byPriority(verdict.detectors)) {
    for (const evidence of result.evidence) {
      if (placed.length >= limit) return placed;
      const span = spanOf(evidence, text, lazyView);
      if (span !== undefined) placed.push({ ...span, reason: `${result.detector}: ${evidence.note}` });
    }
  }
  return placed;
}

/** Heuristics first (their cues are phrases), then the classifier and any other detector. */
function byPriority(results: readonly DetectorResult[]): DetectorResult[] {
  return [...results].sort(
    (a, b) => Number(b.detector === HEURISTIC_DETECTOR_ID) - Number(a.detector === HEURISTIC_DETECTOR_ID),
  );
}

function spanOf(evidence: DetectorEvidence, text: string, view: () => NormalizedView): RawSpan | undefined {
  const { start, end } = evidence;
  if (start === undefined || end === undefined || end <= start) return undefined;
  switch (evidence.variant) {
    case 'original':
      return trimmed(text, Math.max(0, start), Math.min(text.length, end));
    case 'normalized': {
      const { input, toText } = view();
      // Text smuggled in tag characters is a further `normalized` variant: the span may be its own.
      const isAmbiguous = input.variants.some((v) => v.kind === 'normalized' && v.start !== undefined);
      if (toText === undefined || isAmbiguous || end > input.normalized.length) return undefined;
      const span = toText(start, end);
      return trimmed(text, span.start, span.end);
    }
    case 'base64':
    case 'hex':
    case 'url':
    case 'rot13':
    case 'leetspeak':
    case 'reversed':
    case 'spaced': {
      const decoded = view().input.variants.filter((v) => v.kind === evidence.variant);
      const only = decoded.length === 1 ? decoded[0] : undefined;
      if (only?.start === undefined || only.end === undefined) return undefined;
      return trimmed(text, only.start, only.end);
    }
  }
}

/**
 * Normalizes `text` as the shield does, and redoes the offset-logging passes of normalization
 * (invisible characters, NFKC and confusables, whitespace) to map `normalized` offsets back. The map
 * is used only when it reproduces the shield's normalized text exactly.
 */
function viewOf(text: string): NormalizedView {
  const input = normalizePrompt(text);
  const stripped = stripInvisible(text);
  const folded = foldText(stripped.text);
  const collapsed = collapseWhitespace(folded.text);
  if (collapsed.text !== input.normalized) return { input, toText: undefined };
  const logs = [stripped.log, ...folded.logs, collapsed.log];
  return { input, toText: (start, end) => spanToInput(logs, start, end) };
}

/** `[start, end)` without surrounding whitespace; undefined when nothing is left. */
function trimmed(text: string, start: number, end: number): RawSpan | undefined {
  let from = Math.max(0, start);
  let to = Math.min(text.length, end);
  while (from < to && /\s/u.test(text[from] ?? '')) from++;
  while (to > from && /\s/u.test(text[to - 1] ?? '')) to--;
  return to > from ? { start: from, end: to } : undefined;
}
