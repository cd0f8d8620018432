import { HEURISTIC_DETECTOR_ID } from '../heuristics/index.js';
import type { HiddenSpan, HiddenTechnique } from '../hidden/hidden-types.js';
import type { PromptShield, ShieldVerdict } from '../shield.js';
import type { ShieldCategory } from '../types.js';
import { chunkText } from './chunk-text.js';

/** Techniques that disguise visible text (split words, reorder it) rather than hide text of their own. */
export const DISGUISE_TECHNIQUES: ReadonlySet<HiddenTechnique> = new Set(['zero-width', 'bidi-control']);

/** Techniques of invisible characters: reported as BW-PROMPT-005 when they carry no instructions. */
export const INVISIBLE_TECHNIQUES: ReadonlySet<HiddenTechnique> = new Set([
  'zero-width',
  'bidi-control',
  'tag-characters',
  'variation-selectors',
]);

/** What the shield says about the text of one hidden span. */
export interface HiddenJudgement {
  readonly span: HiddenSpan;
  /** The highest chunk score of the span's text. */
  readonly score: number;
  readonly categories: readonly ShieldCategory[];
  /** The shield flags the text, or its heuristic detector found an instruction cue in it. */
  readonly isInstructions: boolean;
  /** The first heuristic cue (or the classifier's note) behind the judgement. */
  readonly reason?: string;
}

/** What {@link judgeHiddenSpan} needs: the shield, its threshold and the chunk sizes. */
export interface JudgeSettings {
  readonly shield: PromptShield;
  readonly threshold: number;
  readonly chunkSize: number;
  readonly overlap: number;
}

/**
 * Scans the text of a hidden span with the shield (in chunks when it is long) and tells whether it
 * reads as instructions. Hidden text is held to a lower bar than visible text: a reviewer cannot see
 * it, so one instruction cue of the heuristic detector is enough even below the threshold.
 */
export function judgeHiddenSpan(span: HiddenSpan, settings: JudgeSettings): HiddenJudgement {
  let best: ShieldVerdict | undefined;
  let isInstructions = false;
  let reason: string | undefined;
  const pieces =
    span.text.length <= settings.chunkSize
      ? [span.text]
      : chunkText(span.text, { size: settings.chunkSize, overlap: settings.overlap }).map((c) =>
          span.text.slice(c.start, c.end),
        );
  for (const piece of pieces) {
    if (piece.trim() === '') continue;
    const verdict = settings.shield.scan(piece, 'document');
    if (best === undefined || verdict.score > best.score) best = verdict;
    const cue = heuristicCue(verdict);
    if (verdict.score >= settings.threshold || cue !== undefined) {
      isInstructions = true;
      reason ??= cue ?? firstNote(verdict);
    }
  }
  return {
    span,
    score: best?.score ?? 0,
    categories: best?.categories ?? [],
    isInstructions,
    ...(reason === undefined ? {} : { reason }),
  };
}

/** The note of the heuristic detector's strongest cue, when it found one. */
export function heuristicCue(verdict: ShieldVerdict): string | undefined {
  const heuristics = verdict.detectors.find((d) => d.detector === HEURISTIC_DETECTOR_ID);
  const first = heuristics === undefined || heuristics.score <= 0 ? undefined : heuristics.evidence[0];
  return first === undefined ? undefined : `${HEURISTIC_DETECTOR_ID}: ${first.note}`;
}

function firstNote(verdict: ShieldVerdict): string | undefined {
  for (const result of verdict.detectors) {
    const first = result.evidence[0];
    if (first !== undefined) return `${result.detector}: ${first.note}`;
  }
  return undefined;
}
