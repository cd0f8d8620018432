import { EditLog } from './edit-log.js';

// Whitespace collapsed: a run holding a line break becomes one "\n" (so line-anchored patterns such
// as "### System:" still see line starts), any other run one space; the ends are trimmed. A single
// pass that copies nothing when nothing changes.

/** Tells whether a UTF-16 code is whitespace: JavaScript's `\s` plus NEL (U+0085). */
export function isSpace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  if (code < 0x85) return false;
  return (
    code === 0x85 ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

// Some run would change: two whitespace characters, one other than a space or "\n", or an end.
// Used on ASCII text only: on other text this regex costs more than the scan it would spare.
const NON_ASCII = /[\u0080-\uffff]/;
const NEEDS_COLLAPSE = /[\s\x85]{2}|[^\S \n]|\x85|^[\s\x85]|[\s\x85]$/;

const isLineBreak = (code: number): boolean =>
  (code >= 0x0a && code <= 0x0d) || code === 0x85 || code === 0x2028 || code === 0x2029;

/** Collapses whitespace in `text`, logging each change. */
export function collapseWhitespace(text: string): { text: string; log: EditLog } {
  const log = new EditLog();
  if (!NON_ASCII.test(text) && !NEEDS_COLLAPSE.test(text)) return { text, log };
  const n = text.length;
  let out = '';
  let copied = 0;
  let i = 0;
  while (i < n) {
    const code = text.charCodeAt(i);
    if ((code > 0x20 && code < 0x85) || !isSpace(code)) {
      i++;
      continue;
    }
    let j = i + 1;
    let hasBreak = isLineBreak(code);
    for (; j < n; j++) {
      const next = text.charCodeAt(j);
      if (!isSpace(next)) break;
      if (isLineBreak(next)) hasBreak = true;
    }
    const replacement = i === 0 || j === n ? '' : hasBreak ? '\n' : ' ';
    if (j - i !== 1 || text[i] !== replacement) {
      out += text.slice(copied, i) + replacement;
      log.record(i, j, replacement.length);
      copied = j;
    }
    i = j;
  }
  return { text: copied === 0 ? text : out + text.slice(copied), log };
}
