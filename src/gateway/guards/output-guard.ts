/**
 * The gateway's output guards (control G7), streaming-safe: the same scanner guards a whole answer
 * (`check`) and a streamed one (`stream`), so `stream: true` never skips a guard.
 *
 * How the stream stays checked: the answer is analysed at fixed checkpoints (every `step`
 * characters of the answer and at its end), whatever the chunking, on a window holding `lookBehind`
 * characters already released (context words) and everything not yet released. At a checkpoint the
 * scanner releases all but the last `holdBack` characters, and never the start of what may still
 * become a violation: a run of non-space characters still growing (a token, e-mail or URL being
 * written), an unclosed markdown link or HTML tag, a private-key block without its END line. Such a
 * construct is held at most `cap` characters; past that it is released and a `flag` verdict says
 * so. Because the checkpoints depend on the answer alone, any chunking gives exactly the text and
 * verdicts of `check()`. A JSON-schema violation can only be known at the end: `end()` reports it
 * (the text before has been sent; the server ends the stream with an error event).
 */
import { BulwarkError } from '../../core/errors.js';
import { DEFAULT_CONTEXT_WINDOW } from '../../data/recognizers/index.js';
import type { ConfidenceTier } from '../../data/types.js';
import type { Canary } from '../../prompts/canary/canary.js';
import { createCanaryScanner, type CanaryLeak } from '../../prompts/canary/canary-scanner.js';
import { createDataDetector } from './data-detector.js';
import {
  GUARD_MODES,
  type GuardAction,
  type GuardMode,
  type GuardResult,
  type GuardSpan,
} from './guard-types.js';
import { compileJsonSchemaGuard, MAX_JSON_ANSWER_LENGTH, type JsonSchemaGuard } from './json-schema-guard.js';
import { createHtmlDetector, createLinkDetector, type MarkupDetector } from './markup-detectors.js';
import { compareSpans, renderStretch } from './span-render.js';

/** Stream windowing; every field has a default. */
export interface GuardWindowOptions {
  /** Characters between checkpoints (default 128): releases come in pieces of about this size. */
  readonly step?: number;
  /** Characters always held back at a checkpoint (default 64): room for a multi-word value. */
  readonly holdBack?: number;
  /** Longest construct held back whole (default 4096); longer ones are released and flagged. */
  readonly cap?: number;
}

/** Options of {@link createOutputGuard}; an omitted guard is `off`. */
export interface OutputGuardOptions {
  readonly secrets?: GuardMode;
  readonly pii?: GuardMode;
  readonly links?: { readonly mode: GuardMode; readonly allowDomains?: readonly string[] };
  readonly html?: GuardMode;
  /** Canaries planted in the system prompt (src/prompts/canary): a leak always blocks. */
  readonly canaries?: readonly Canary[];
  /** JSON schema the whole answer must satisfy (structured outputs): a violation blocks at the end. */
  readonly jsonSchema?: object;
  /** PII/PHI/financial entities guarded (default: all but PERSON and LOCATION). */
  readonly piiEntities?: readonly string[];
  /** Data matches below this tier are ignored (default `medium`, as `scan data`). */
  readonly minConfidence?: ConfidenceTier;
  readonly window?: GuardWindowOptions;
}

/** A streamed answer under guard: push each delta, send `release`; stop when `blocked`. */
export interface OutputStream {
  /** Takes the next delta; returns the checked text that may be sent now. */
  push(delta: string): StreamStep;
  /** Ends the answer: releases what was held back and runs the end-only checks. */
  end(): StreamStep;
}

/** What one push or the end releases. */
export interface StreamStep {
  readonly release: string;
  readonly verdicts: GuardResult['verdicts'];
  readonly blocked: boolean;
}

/** The output guards of one route: reusable for any number of answers. */
export interface OutputGuard {
  /** Guards a whole answer. */
  check(text: string): GuardResult;
  /** Starts guarding a streamed answer. */
  stream(): OutputStream;
}

const DEFAULT_STEP = 128;
const DEFAULT_HOLD_BACK = 64;
const DEFAULT_CAP = 4096;
const PEM_BEGIN = /-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY-----/g;

interface Compiled {
  readonly detectData: ReturnType<typeof createDataDetector>;
  readonly markup: readonly MarkupDetector[];
  readonly canaries: readonly Canary[];
  readonly jsonSchema: JsonSchemaGuard | undefined;
  readonly step: number;
  readonly holdBack: number;
  readonly cap: number;
  readonly lookBehind: number;
}

/**
 * Builds the output guards of a route from its options; throws `CONFIG_INVALID` for an unknown
 * mode, a bad allowlisted domain, an invalid JSON schema or window sizes that make no sense.
 */
export function createOutputGuard(options: OutputGuardOptions): OutputGuard {
  const compiled = compile(options);
  return {
    check(text) {
      const scanner = new StreamScanner(compiled);
      const first = scanner.push(text);
      if (first.blocked) return { text: first.release, verdicts: first.verdicts, blocked: true };
      const last = scanner.end();
      return {
        text: first.release + last.release,
        verdicts: [...first.verdicts, ...last.verdicts],
        blocked: last.blocked,
      };
    },
    stream: () => new StreamScanner(compiled),
  };
}

function actionOf(mode: GuardMode | undefined, where: string): GuardAction | undefined {
  if (mode === undefined || mode === 'off') return undefined;
  if (!GUARD_MODES.includes(mode))
    throw new BulwarkError('CONFIG_INVALID', `${where}: mode must be one of ${GUARD_MODES.join(', ')}`);
  return mode;
}

function compile(options: OutputGuardOptions): Compiled {
  const step = options.window?.step ?? DEFAULT_STEP;
  const holdBack = options.window?.holdBack ?? DEFAULT_HOLD_BACK;
  const cap = options.window?.cap ?? DEFAULT_CAP;
  if (![step, holdBack, cap].every(Number.isSafeInteger) || step < 1 || holdBack < 0 || cap < step + holdBack)
    throw new BulwarkError(
      'CONFIG_INVALID',
      'guard window: step ≥ 1, holdBack ≥ 0 and cap ≥ step + holdBack',
    );
  const links = actionOf(options.links?.mode, 'links');
  const html = actionOf(options.html, 'html');
  const markup: MarkupDetector[] = [];
  if (links !== undefined) markup.push(createLinkDetector(links, options.links?.allowDomains ?? []));
  if (html !== undefined) markup.push(createHtmlDetector(html));
  return {
    detectData: createDataDetector({
      secrets: actionOf(options.secrets, 'secrets'),
      pii: actionOf(options.pii, 'pii'),
      ...(options.piiEntities === undefined ? {} : { piiEntities: options.piiEntities }),
      ...(options.minConfidence === undefined ? {} : { minConfidence: options.minConfidence }),
    }),
    markup,
    canaries: options.canaries ?? [],
    jsonSchema: options.jsonSchema === undefined ? undefined : compileJsonSchemaGuard(options.jsonSchema),
    step,
    holdBack,
    cap,
    lookBehind: DEFAULT_CONTEXT_WINDOW,
  };
}

/** The incremental scanner behind both `check` and `stream`. */
class StreamScanner implements OutputStream {
  /** The answer from offset `bufStart` on: `lookBehind` released characters and all unreleased ones. */
  private buf = '';
  private bufStart = 0;
  /** Characters of the answer released (or dropped by a rewrite) so far. */
  private released = 0;
  private checkpoint = 0;
  private isBlocked = false;
  private isEnded = false;
  private readonly notedOpen = new Set<number>();
  private readonly canary;
  private all = '';

  constructor(private readonly c: Compiled) {
    this.canary = c.canaries.length === 0 ? undefined : createCanaryScanner(c.canaries);
  }

  push(delta: string): StreamStep {
    if (this.isEnded) throw new BulwarkError('INTERNAL', 'output guard: push after end');
    if (this.isBlocked) return { release: '', verdicts: [], blocked: true };
    this.buf += delta;
    const total = this.bufStart + this.buf.length;
    let release = '';
    const verdicts: GuardResult['verdicts'][number][] = [];
    while (!this.isBlocked && this.checkpoint + this.c.step <= total) {
      this.checkpoint += this.c.step;
      const out = this.decide(this.checkpoint, false);
      release += out.release;
      verdicts.push(...out.verdicts);
    }
    this.trim();
    return { release, verdicts, blocked: this.isBlocked };
  }

  end(): StreamStep {
    if (this.isEnded) throw new BulwarkError('INTERNAL', 'output guard: end called twice');
    this.isEnded = true;
    if (this.isBlocked) return { release: '', verdicts: [], blocked: true };
    this.checkpoint = this.bufStart + this.buf.length;
    const out = this.decide(this.checkpoint, true);
    if (this.isBlocked || this.c.jsonSchema === undefined) return out;
    const verdicts = [...out.verdicts, ...this.c.jsonSchema.check(this.all)];
    this.isBlocked = verdicts.some((v) => v.guard === 'json-schema');
    return { release: out.release, verdicts, blocked: this.isBlocked };
  }

  /** Analyses the window ending at checkpoint `at` and releases what is settled. */
  private decide(at: number, isFinal: boolean): StreamStep {
    const { released: d, bufStart } = this;
    const from = Math.max(bufStart, d - this.c.lookBehind);
    const window = this.buf.slice(from - bufStart, at - bufStart);
    const spans: GuardSpan[] = [];
    if (this.c.detectData !== undefined) spans.push(...this.c.detectData(window, from));
    for (const detector of this.c.markup) spans.push(...detector.detect(window, from));
    if (this.canary !== undefined) {
      const leaks = this.canary.push(this.buf.slice(this.canaryAt() - bufStart, at - bufStart));
      if (isFinal) leaks.push(...this.canary.end());
      spans.push(...leaks.map(canarySpan));
    }
    const pending: GuardSpan[] = [];
    for (const span of spans) {
      if (span.end <= d) continue;
      // Longer than the window: its start went out before it could be recognised.
      pending.push(
        span.start >= d
          ? span
          : {
              ...span,
              start: d,
              keep: undefined,
              message: `${span.message} (partly sent before it was recognised)`,
            },
      );
    }
    pending.sort(compareSpans);
    let until = at;
    const notes: GuardSpan[] = [];
    if (!isFinal) {
      until = Math.max(d, Math.min(at - this.c.holdBack, this.holdFrom(window, from, d, at, notes)));
      for (const span of pending) if (span.start < until) until = Math.max(until, span.end);
    }
    const decided = [...pending.filter((s) => s.start < until), ...notes].sort(compareSpans);
    const out = renderStretch(this.buf.slice(d - bufStart, until - bufStart), d, decided);
    this.released = until;
    if (out.blocked) this.isBlocked = true;
    // Only what fits the schema check's limit is kept; a longer answer fails that check anyway.
    if (this.c.jsonSchema !== undefined && this.all.length <= MAX_JSON_ANSWER_LENGTH) this.all += out.text;
    return { release: out.text, verdicts: out.verdicts, blocked: out.blocked };
  }

  private lastCanaryAt = 0;

  /** Where the canary scanner's next piece starts (it reads every character once, in order). */
  private canaryAt(): number {
    const start = this.lastCanaryAt;
    this.lastCanaryAt = this.checkpoint;
    return start;
  }

  /**
   * The earliest start of a construct still open at `at` that may become a violation, or `at`.
   * One open longer than `cap` is let go, with a note.
   */
  private holdFrom(window: string, from: number, d: number, at: number, notes: GuardSpan[]): number {
    let hold = at;
    const local = d - from;
    let run = window.length;
    while (run > local && !/\s/.test(window[run - 1] ?? ' ')) run--;
    if (at - (from + run) <= this.c.cap) hold = from + run;
    const opens: number[] = [];
    for (const detector of this.c.markup) {
      const open = detector.openFrom(window, local);
      if (open !== undefined) opens.push(from + open);
    }
    for (const m of window.slice(local).matchAll(PEM_BEGIN))
      if (!window.includes('-----END', local + m.index)) opens.push(d + m.index);
    for (const open of opens) {
      if (at - open <= this.c.cap) hold = Math.min(hold, open);
      else if (!this.notedOpen.has(open)) {
        this.notedOpen.add(open);
        notes.push(capNote(open, at));
      }
    }
    return hold;
  }

  /** Keeps `lookBehind` released characters and the unreleased rest. */
  private trim(): void {
    const keepFrom = Math.max(this.bufStart, this.released - this.c.lookBehind);
    if (keepFrom - this.bufStart > 4 * this.c.step) {
      this.buf = this.buf.slice(keepFrom - this.bufStart);
      this.bufStart = keepFrom;
    }
  }
}

function capNote(open: number, at: number): GuardSpan {
  return {
    guard: 'links',
    action: 'flag',
    start: open,
    end: at,
    ruleId: 'gateway.output.window-cap',
    message: 'an unclosed link, tag or key block outgrew the guard window and was released as it stood',
    prefix: '',
  };
}

function canarySpan(leak: CanaryLeak): GuardSpan {
  return {
    guard: 'canary',
    action: 'block',
    start: leak.start,
    end: leak.end,
    ruleId: 'gateway.output.canary-leak',
    message: `${leak.complete ? 'the' : 'part of the'} system-prompt canary leaked (${leak.encoding})`,
    prefix: '',
  };
}
