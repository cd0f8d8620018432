import { describeError, isBulwarkError } from '../../core/errors.js';
import { hiddenContent } from '../hidden/hidden-content.js';
import { assertBoundedHtmlNesting } from '../hidden/nesting-limits.js';
import type { HiddenDocumentKind, HiddenSpan } from '../hidden/hidden-types.js';
import type { PromptShield, ShieldVerdict } from '../shield.js';
import { chunkText, type TextChunk } from './chunk-text.js';
import type { ChunkSource, DocumentHit, RawSpan } from './corpus-types.js';
import { placedEvidence } from './evidence-span.js';
import { htmlText } from './html-text.js';
import {
  DISGUISE_TECHNIQUES,
  INVISIBLE_TECHNIQUES,
  judgeHiddenSpan,
  type HiddenJudgement,
} from './hidden-judgement.js';
import { maskedPreview } from './preview.js';
import { contains, isInside, overlaps, rawSource, touches, unionOf } from './raw-spans.js';

/** How documents are checked; the scanner fills it from `scanners.corpus`. */
export interface AnalysisSettings {
  readonly shield: PromptShield;
  /** A chunk is flagged at or above this shield score. */
  readonly threshold: number;
  readonly chunkSize: number;
  readonly overlap: number;
  /** Report hidden text that carries no instructions (BW-PROMPT-004). */
  readonly reportHiddenContent: boolean;
  /** Checked between chunks: an aborted scan stops with the signal's reason. */
  readonly signal?: AbortSignal;
}

/** One document: its raw text, how its hidden content is read, and the text its chunks come from. */
export interface DocumentInput {
  readonly raw: string;
  readonly kind: HiddenDocumentKind;
  /** The text cut into chunks for the shield; default the raw text itself. */
  readonly source?: ChunkSource;
}

/** What the checks found in one document, and what they could not finish. */
export interface DocumentAnalysis {
  readonly hits: DocumentHit[];
  /** One line per check that stopped at a limit (the hidden-content check of a huge page). */
  readonly problems: string[];
}

/**
 * How a whole document is read: HTML through its extracted text, Markdown and text as they are. HTML
 * nested too deeply to parse in bounded time is read as plain text, and `problems` says so.
 */
export function documentInputOf(
  raw: string,
  format: 'html' | 'markdown' | 'text',
  problems: string[],
): DocumentInput {
  if (format !== 'html') return { raw, kind: format };
  try {
    assertBoundedHtmlNesting(raw);
  } catch (error) {
    if (!isBulwarkError(error) || error.code !== 'LIMIT_EXCEEDED') throw error;
    problems.push(`read as plain text: ${describeError(error)}`);
    return { raw, kind: 'text' };
  }
  return { raw, kind: 'html', source: htmlText(raw) };
}

/** Merged spans listed in a hit beyond the first. */
const MAX_MORE_SPANS = 9;
const DECODED_LENGTH = 80;

/**
 * Checks one document before it is indexed (control P4). Every chunk goes through the prompt shield
 * in the document context. A flagged chunk is scanned again with its hidden text blanked out: if it
 * is still flagged, the visible passage is an injection (BW-PROMPT-002, or BW-PROMPT-003 when
 * invisible characters disguise it); if not, hidden text carried it (BW-PROMPT-003). Every hidden
 * span is judged on its own too: instructions are BW-PROMPT-003, the rest is merged per technique
 * into one BW-PROMPT-004 (hidden text) or BW-PROMPT-005 (invisible characters) finding.
 */
export function analyzeDocument(input: DocumentInput, settings: AnalysisSettings): DocumentAnalysis {
  const problems: string[] = [];
  let spans: HiddenSpan[] = [];
  try {
    spans = hiddenContent(input.raw, input.kind, { maxChars: Math.max(input.raw.length, 1) });
  } catch (error) {
    if (!isBulwarkError(error) || error.code !== 'LIMIT_EXCEEDED') throw error;
    problems.push(`hidden-content check skipped: ${describeError(error)}`);
  }
  const judged = spans.map((span) => judgeHiddenSpan(span, settings));
  const source = input.source ?? rawSource(input.raw);
  const chunkHits = scanChunks(source, judged, settings, input.kind === 'markdown');
  const spanHits = hiddenInstructionHits(judged, chunkHits.consumed);
  const high = [...spanHits, ...mergeRepeats(chunkHits.hidden)];
  const isCovered = (span: RawSpan): boolean => high.some((hit) => contains(hit.span, span));
  const injections = mergeRepeats(chunkHits.injections).filter((hit) => !isCovered(hit.span));
  const rest = judged.filter(
    (j) => !j.isInstructions && !chunkHits.consumed.has(j.span) && !isCovered(j.span),
  );
  const merged = mergedHits(rest, settings.reportHiddenContent);
  const hits = [...injections, ...high, ...merged].sort(
    (a, b) => a.span.start - b.span.start || a.span.end - b.span.end,
  );
  return { hits, problems };
}

/** A hit of one chunk and every piece of evidence placed for it, to tell repeats in overlapping chunks. */
interface ChunkHit {
  readonly hit: DocumentHit;
  readonly cues: readonly RawSpan[];
}

/** Chunk-level results: visible injections, injections that hidden text carried, spans they used. */
interface ChunkHits {
  readonly injections: ChunkHit[];
  readonly hidden: ChunkHit[];
  readonly consumed: Set<HiddenSpan>;
}

function scanChunks(
  source: ChunkSource,
  judged: readonly HiddenJudgement[],
  settings: AnalysisSettings,
  isMarkdown: boolean,
): ChunkHits {
  const { shield, threshold } = settings;
  const blanking = judged.filter((j) => !DISGUISE_TECHNIQUES.has(j.span.technique));
  const disguises = judged.filter((j) => DISGUISE_TECHNIQUES.has(j.span.technique));
  const out: ChunkHits = { injections: [], hidden: [], consumed: new Set() };
  const chunks = chunkText(source.text, { size: settings.chunkSize, overlap: settings.overlap, isMarkdown });
  for (const chunk of chunks) {
    settings.signal?.throwIfAborted();
    const text = source.text.slice(chunk.start, chunk.end);
    const verdict = shield.scan(text, 'document');
    if (verdict.score < threshold) continue;
    const chunkSpan = source.toRaw(chunk.start, chunk.end);
    const covering = blanking.filter((j) => overlaps(j.span, chunkSpan));
    const visibleText = covering.length === 0 ? text : blankOut(text, chunk, source, covering);
    const visible = visibleText === text ? verdict : shield.scan(visibleText, 'document');
    if (visible.score >= threshold) {
      const at = locate(visible, visibleText, chunk, source);
      const cues = at.cues.length > 0 ? at.cues : [at.span];
      // Invisible characters inside a cue or right at its edge (a bidi override opening it) disguise it.
      const disguise = disguises.filter((j) => cues.some((cue) => touches(j.span, cue)));
      for (const j of disguise) out.consumed.add(j.span);
      const technique = disguise[0]?.span.technique;
      const kind = technique === undefined ? 'document-injection' : 'hidden-instructions';
      (technique === undefined ? out.injections : out.hidden).push({
        hit: verdictHit(kind, at, visible, technique === undefined ? {} : { technique }),
        cues: at.cues,
      });
      continue;
    }
    // Only the hidden text made the chunk cross the threshold. It carried the injection when the
    // evidence lies in it; otherwise the hidden spans are judged on their own.
    const at = locate(verdict, text, chunk, source);
    const carriers = covering.filter((j) => at.cues.some((cue) => overlaps(j.span, cue)));
    const first = carriers[0];
    // A carrier that reads as instructions on its own is reported from the span, at its location.
    if (first === undefined || carriers.some((j) => j.isInstructions)) continue;
    for (const j of carriers) out.consumed.add(j.span);
    out.hidden.push({
      hit: verdictHit('hidden-instructions', at, verdict, { technique: first.span.technique }),
      cues: at.cues,
    });
  }
  return out;
}

/** Where a flagged chunk's evidence is, as raw spans. */
interface Located {
  /** The deciding evidence, or the whole chunk when no evidence can be placed. */
  readonly span: RawSpan;
  /** Every piece of evidence that could be placed, deciding one first (empty when none). */
  readonly cues: readonly RawSpan[];
  readonly preview: string;
  readonly reason?: string;
}

function locate(verdict: ShieldVerdict, text: string, chunk: TextChunk, source: ChunkSource): Located {
  const placed = placedEvidence(verdict, text);
  const deciding = placed[0];
  const inChunk = deciding ?? { start: 0, end: text.length };
  return {
    span: source.toRaw(chunk.start + inChunk.start, chunk.start + inChunk.end),
    cues: placed.map((cue) => source.toRaw(chunk.start + cue.start, chunk.start + cue.end)),
    preview: maskedPreview(text.slice(inChunk.start, inChunk.end)),
    ...(deciding === undefined ? {} : { reason: deciding.reason }),
  };
}

/** The chunk text with every character whose raw offset lies in a covering hidden span turned into a space. */
function blankOut(
  text: string,
  chunk: TextChunk,
  source: ChunkSource,
  covering: readonly HiddenJudgement[],
): string {
  const ranges = unionOf(covering.map((j) => j.span));
  const chars = text.split('');
  for (let k = 0; k < chars.length; k++) {
    if (isInside(ranges, source.rawAt(chunk.start + k))) chars[k] = ' ';
  }
  return chars.join('');
}

function verdictHit(
  kind: DocumentHit['kind'],
  at: Located,
  verdict: ShieldVerdict,
  extra: Pick<DocumentHit, 'technique'>,
): DocumentHit {
  return {
    kind,
    span: at.span,
    score: verdict.score,
    categories: verdict.categories,
    count: 1,
    more: [],
    preview: at.preview,
    ...extra,
    ...(at.reason === undefined ? {} : { reason: at.reason }),
  };
}

/** Hidden spans that read as instructions on their own, outermost only (nested ones say the same). */
function hiddenInstructionHits(
  judged: readonly HiddenJudgement[],
  consumed: ReadonlySet<HiddenSpan>,
): DocumentHit[] {
  const hits: DocumentHit[] = [];
  for (const j of judged) {
    if (!j.isInstructions || consumed.has(j.span)) continue;
    if (hits.some((hit) => contains(hit.span, j.span))) continue;
    hits.push({
      kind: 'hidden-instructions',
      span: { start: j.span.start, end: j.span.end },
      score: j.score,
      categories: j.categories,
      technique: j.span.technique,
      count: 1,
      more: [],
      preview: maskedPreview(j.span.text),
      ...decodedOf(j.span),
      ...(j.reason === undefined ? {} : { reason: j.reason }),
    });
  }
  return hits;
}

/** One hit per technique for the spans left: invisible characters always, other hidden text if asked. */
function mergedHits(rest: readonly HiddenJudgement[], reportHiddenContent: boolean): DocumentHit[] {
  const groups = new Map<string, HiddenJudgement[]>();
  for (const j of rest) {
    const isInvisible = INVISIBLE_TECHNIQUES.has(j.span.technique);
    if (!isInvisible && !reportHiddenContent) continue;
    const group = groups.get(j.span.technique) ?? [];
    group.push(j);
    groups.set(j.span.technique, group);
  }
  return [...groups].map(([, group]) => {
    const first = (group[0] as HiddenJudgement).span;
    const isInvisible = INVISIBLE_TECHNIQUES.has(first.technique);
    return {
      kind: isInvisible ? 'invisible-characters' : 'hidden-content',
      span: { start: first.start, end: first.end },
      technique: first.technique,
      count: group.length,
      more: group.slice(1, 1 + MAX_MORE_SPANS).map((j) => ({ start: j.span.start, end: j.span.end })),
      preview: isInvisible ? (first.detail ?? '') : maskedPreview(first.text),
      ...decodedOf(first),
    } satisfies DocumentHit;
  });
}

function decodedOf(span: HiddenSpan): Pick<DocumentHit, 'decoded'> {
  return span.technique === 'tag-characters' || span.technique === 'variation-selectors'
    ? { decoded: maskedPreview(span.text, DECODED_LENGTH) }
    : {};
}

/**
 * One hit per passage found by several overlapping chunks: hits whose spans or evidence overlap are
 * the same passage (each chunk may decide on a different cue of it); the highest score stays.
 */
function mergeRepeats(hits: readonly ChunkHit[]): DocumentHit[] {
  const sorted = [...hits].sort((a, b) => a.hit.span.start - b.hit.span.start);
  const kept: ChunkHit[] = [];
  for (const candidate of sorted) {
    const at = kept.findIndex((k) => isSamePassage(k, candidate));
    const same = kept[at];
    if (same === undefined) kept.push(candidate);
    else
      kept[at] = {
        hit: (candidate.hit.score ?? 0) > (same.hit.score ?? 0) ? candidate.hit : same.hit,
        cues: [...same.cues, ...candidate.cues],
      };
  }
  return kept.map((k) => k.hit);
}

function isSamePassage(a: ChunkHit, b: ChunkHit): boolean {
  const left = [a.hit.span, ...a.cues];
  const right = [b.hit.span, ...b.cues];
  return left.some((x) => right.some((y) => overlaps(x, y)));
}
