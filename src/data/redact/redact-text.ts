import {
  ANALYSIS_OVERLAP,
  ANALYSIS_WINDOW,
  applyEdits,
  safeCut,
  type RawEdit,
  type Redactor,
} from './redactor.js';
import type { TextInput, TextOutput } from './text-io.js';

/** Longest PEM block gathered across lines (PRIVATE_KEY matches need the whole block). */
const MAX_BLOCK_LENGTH = 64 * 1024;
const MAX_BLOCK_LINES = 1000;
const PEM_BEGIN = /-----BEGIN[ A-Z0-9_-]{0,40}PRIVATE KEY(?: BLOCK)?-----/;
const PEM_END = /-----END[ A-Z0-9_-]{0,40}PRIVATE KEY(?: BLOCK)?-----/;

interface Line {
  readonly text: string;
  eol: string;
  readonly number: number;
}

/**
 * Rewrites a text, Markdown or log file line by line, as `scan data` reads it: each line is analysed
 * on its own and only the sensitive spans change; line breaks (LF, CRLF, CR), the byte-order mark and
 * every other byte are written back as they were. A PEM private-key block is analysed whole, so the
 * key body goes with its header. A line longer than the analysis window is handled in overlapping
 * windows, so memory stays bounded whatever the file.
 */
export async function redactText(input: TextInput, out: TextOutput, redactor: Redactor): Promise<void> {
  const rewriter = new TextRewriter(input, out, redactor);
  await out.writeBytes(input.bom);
  for await (const piece of input.pieces) await rewriter.feed(piece);
  await rewriter.end();
  await out.writeBytes(input.trailing());
}

class TextRewriter {
  #pending = '';
  #line = 1;
  #afterCr = false;
  #isLong = false;
  #longChanged = false;
  #block: Line[] = [];
  #blockLength = 0;

  constructor(
    private readonly input: TextInput,
    private readonly out: TextOutput,
    private readonly redactor: Redactor,
  ) {}

  async feed(text: string): Promise<void> {
    let at = 0;
    if (this.#afterCr && text.charCodeAt(0) === 0x0a) {
      // The LF of a CRLF cut by the chunk boundary: the line already ended at the CR.
      const last = this.#block[this.#block.length - 1];
      if (last === undefined) await this.out.write('\n');
      else last.eol += '\n';
      at = 1;
    }
    this.#afterCr = false;
    while (at < text.length) {
      const lf = text.indexOf('\n', at);
      const cr = text.indexOf('\r', at);
      const lineBreak = lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr);
      if (lineBreak === -1) {
        this.#pending += text.slice(at);
        await this.#cutLongLine();
        return;
      }
      let eolEnd = lineBreak + 1;
      if (text.charCodeAt(lineBreak) === 0x0d) {
        if (eolEnd < text.length) {
          if (text.charCodeAt(eolEnd) === 0x0a) eolEnd++;
        } else {
          this.#afterCr = true;
        }
      }
      this.#pending += text.slice(at, lineBreak);
      await this.#endLine(text.slice(lineBreak, eolEnd));
      at = eolEnd;
    }
  }

  async end(): Promise<void> {
    if (this.#pending.length > 0 || this.#isLong) await this.#endLine('');
    await this.#flushBlock(false);
    await this.out.finish();
  }

  async #endLine(eol: string): Promise<void> {
    const line: Line = { text: this.#pending, eol, number: this.#line++ };
    this.#pending = '';
    if (this.#isLong) {
      const changed = this.#longChanged;
      this.#isLong = false;
      this.#longChanged = false;
      await this.#writeUnit(line.text, eol, 1, changed, line.number);
      return;
    }
    if (this.#block.length > 0) {
      this.#block.push(line);
      this.#blockLength += line.text.length + eol.length;
      if (PEM_END.test(line.text)) return this.#flushBlock(true);
      if (this.#blockLength > MAX_BLOCK_LENGTH || this.#block.length > MAX_BLOCK_LINES) {
        return this.#flushBlock(false);
      }
      return;
    }
    if (PEM_BEGIN.test(line.text) && !PEM_END.test(line.text)) {
      this.#block = [line];
      this.#blockLength = line.text.length + eol.length;
      return;
    }
    await this.#writeUnit(line.text, eol, line.text.length > 0 ? 1 : 0, false, line.number);
  }

  /** Writes gathered lines: as one unit when the block closed, else line by line. */
  async #flushBlock(isWhole: boolean): Promise<void> {
    const block = this.#block;
    this.#block = [];
    this.#blockLength = 0;
    if (block.length === 0) return;
    if (isWhole) {
      const last = block[block.length - 1] as Line;
      const text = block.map((line, i) => line.text + (i < block.length - 1 ? line.eol : '')).join('');
      await this.#writeUnit(text, last.eol, block.length, false, (block[0] as Line).number);
      return;
    }
    for (const line of block) {
      await this.#writeUnit(line.text, line.eol, line.text.length > 0 ? 1 : 0, false, line.number);
    }
  }

  async #writeUnit(
    text: string,
    eol: string,
    units: number,
    changedBefore: boolean,
    line: number,
  ): Promise<void> {
    this.redactor.checkRaw(text, () => `line ${line}`);
    const edits = this.#edits(text, this.redactor.find(text));
    for (let i = 0; i < units; i++) this.redactor.countUnit(changedBefore || edits.length > 0);
    await this.out.write(applyEdits(text, edits) + eol);
  }

  /** Writes the start of a line too long to hold, keeping the tail a value may continue into. */
  async #cutLongLine(): Promise<void> {
    while (this.#pending.length > ANALYSIS_WINDOW + ANALYSIS_OVERLAP) {
      // Lines gathered for a PEM block go first: a long line is no part of one.
      if (this.#block.length > 0) await this.#flushBlock(false);
      this.#isLong = true;
      const text = this.#pending;
      const end = safeCut(text, ANALYSIS_WINDOW);
      const owned = safeCut(text, end - ANALYSIS_OVERLAP);
      const window = text.slice(0, end);
      this.redactor.checkRaw(window, () => `line ${this.#line}`);
      const matches = this.redactor.find(window).filter((m) => m.start < owned);
      const cut = Math.max(owned, matches.length === 0 ? 0 : (matches[matches.length - 1]?.end ?? 0));
      const edits = this.#edits(text, matches);
      if (edits.length > 0) this.#longChanged = true;
      await this.out.write(applyEdits(text.slice(0, cut), edits));
      this.#pending = text.slice(cut);
    }
  }

  #edits(text: string, matches: ReturnType<Redactor['find']>): RawEdit[] {
    return matches.map((match) => {
      const value = text.slice(match.start, match.end);
      return {
        start: match.start,
        end: match.end,
        text: this.redactor.replace({
          match,
          value,
          rawBytes: () => this.input.codec.encode(value),
          form: 'span',
        }),
      };
    });
  }
}
