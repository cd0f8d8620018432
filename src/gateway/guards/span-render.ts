/**
 * Applying decided guard spans to a stretch of the answer: verdicts in order, the cut where a
 * blocking span stops the answer, and the redacted text before it.
 */
import type { GuardSpan, GuardVerdict } from './guard-types.js';

/** What one stretch of the answer becomes. */
export interface RenderedStretch {
  readonly text: string;
  readonly verdicts: GuardVerdict[];
  readonly blocked: boolean;
}

/** Orders spans by start, the longer first, then by guard, so every run decides the same way. */
export function compareSpans(a: GuardSpan, b: GuardSpan): number {
  return (
    a.start - b.start ||
    b.end - a.end ||
    (a.guard < b.guard ? -1 : a.guard > b.guard ? 1 : 0) ||
    (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0)
  );
}

/**
 * Renders `source` (the answer's characters from offset `from`) with `spans` (sorted by
 * {@link compareSpans}, all inside it). A `block` span cuts the text before it, or before the
 * rewritten span holding it; `redact` spans are rewritten; `flag` spans are only reported.
 */
export function renderStretch(source: string, from: number, spans: readonly GuardSpan[]): RenderedStretch {
  const blocking = spans.find((s) => s.action === 'block');
  if (blocking === undefined)
    return {
      text: rewrite(source, from, from, from + source.length, spans),
      verdicts: spans.map(verdictOf),
      blocked: false,
    };
  let cut = blocking.start;
  for (const span of spans)
    if (span.action === 'redact' && span.start < cut && span.end > cut) cut = span.start;
  const before = spans.filter((s) => s.end <= cut);
  return {
    text: rewrite(source, from, from, cut, before),
    verdicts: spans.filter((s) => s.start <= blocking.start).map(verdictOf),
    blocked: true,
  };
}

function rewrite(
  source: string,
  offset: number,
  from: number,
  to: number,
  spans: readonly GuardSpan[],
): string {
  let out = '';
  let at = from;
  for (const span of spans) {
    if (span.action !== 'redact' || span.end <= at || span.start >= to) continue;
    // A span overlapping the previous rewrite loses its overlapped part and its kept text.
    const isClipped = span.start < at;
    out += source.slice(at - offset, Math.max(at, span.start) - offset) + span.prefix;
    if (!isClipped && span.keep !== undefined) {
      const [keepStart, keepEnd] = span.keep;
      const inner = spans.filter((s) => s !== span && s.start >= keepStart && s.end <= keepEnd);
      out += rewrite(source, offset, keepStart, keepEnd, inner);
    }
    out += span.suffix ?? '';
    at = Math.min(span.end, to);
  }
  return out + source.slice(at - offset, to - offset);
}

function verdictOf(span: GuardSpan): GuardVerdict {
  return {
    guard: span.guard,
    action: span.action,
    ruleId: span.ruleId,
    ...(span.category === undefined ? {} : { category: span.category }),
    ...(span.entity === undefined ? {} : { entity: span.entity }),
    message: span.message,
    start: span.start,
    end: span.end,
  };
}
