import { BulwarkError } from '../../core/errors.js';
import { JsonRewriter, JsonSyntaxError, MAX_JSON_TOKEN_LENGTH } from './json-rewriter.js';
import { applyEdits, type Redactor } from './redactor.js';
import type { TextInput, TextOutput } from './text-io.js';

/**
 * Rewrites a JSON document as it streams (a top-level array of records never has to fit in memory).
 * A syntax error stops the rewrite: the caller discards the output, and the message says how to
 * redact the file as text instead.
 */
export async function redactJsonDocument(
  input: TextInput,
  out: TextOutput,
  redactor: Redactor,
): Promise<void> {
  const rewriter = new JsonRewriter(redactor, input.codec, { lines: false });
  await out.writeBytes(input.bom);
  try {
    for await (const piece of input.pieces) await out.write(rewriter.feed(piece));
    await out.write(rewriter.end());
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    throw new BulwarkError(
      'INPUT_INVALID',
      `not valid JSON: ${error.message}; redact it as text with --input-format text`,
      { cause: error },
    );
  }
  await out.finish();
  await out.writeBytes(input.trailing());
}

/**
 * Rewrites a JSON Lines file line by line. A line that is not valid JSON (the data reader reports and
 * skips it) is redacted as plain text, so nothing in it slips through; blank lines and every line
 * ending stay as they were.
 */
export async function redactJsonLines(input: TextInput, out: TextOutput, redactor: Redactor): Promise<void> {
  await out.writeBytes(input.bom);
  let held = '';
  let line = 1;
  const rewriteLine = (text: string): string => {
    if (text.trim() === '') return text;
    const mark = redactor.mark();
    try {
      const rewriter = new JsonRewriter(redactor, input.codec, { lines: true, line });
      return rewriter.feed(text) + rewriter.end();
    } catch (error) {
      if (!(error instanceof JsonSyntaxError)) throw error;
      redactor.restore(mark);
      return rewriteAsText(text, redactor, input, line);
    }
  };
  for await (const piece of input.pieces) {
    held += piece;
    const parts: string[] = [];
    let at = 0;
    for (let lf = held.indexOf('\n'); lf !== -1; lf = held.indexOf('\n', at)) {
      parts.push(rewriteLine(held.slice(at, lf)), '\n');
      line++;
      at = lf + 1;
    }
    held = held.slice(at);
    if (held.length > MAX_JSON_TOKEN_LENGTH) {
      throw new BulwarkError(
        'LIMIT_EXCEEDED',
        `line ${line} is longer than ${MAX_JSON_TOKEN_LENGTH} characters`,
      );
    }
    await out.write(parts.join(''));
  }
  await out.write(rewriteLine(held));
  await out.finish();
  await out.writeBytes(input.trailing());
}

function rewriteAsText(text: string, redactor: Redactor, input: TextInput, line: number): string {
  redactor.countMalformed();
  redactor.checkRaw(text, () => `line ${line}`);
  const matches = redactor.find(text);
  redactor.countUnit(matches.length > 0);
  const edits = matches.map((match) => {
    const value = text.slice(match.start, match.end);
    return {
      start: match.start,
      end: match.end,
      text: redactor.replace({ match, value, rawBytes: () => input.codec.encode(value), form: 'span' }),
    };
  });
  return applyEdits(text, edits);
}
