import { BulwarkError } from '../../core/errors.js';

/**
 * Most elements an HTML document may leave open at once. Browsers' tree building (and parse5's) is
 * quadratic in the depth of open elements, so a megabyte of `<div>` or `<a><b>` would take seconds;
 * real pages keep a few dozen open.
 */
export const MAX_OPEN_ELEMENTS = 10_000;
/** Most Markdown images nested in one another's alt text: each level re-parses the label inside it. */
export const MAX_IMAGE_NESTING = 32;

/** Elements that never hold content or whose end tag may be left out: they do not deepen the tree. */
const NOT_DEEPENING = new Set(
  (
    'area base basefont bgsound br col embed frame hr img input keygen link meta param source track wbr ' +
    'p li dt dd tr td th option optgroup thead tbody tfoot colgroup caption rb rt rtc rp html head body'
  ).split(' '),
);
/** Comments and raw-text elements are skipped whole; then start and end tags are counted. */
const TOKENS =
  /<!--[\s\S]*?(?:-->|$)|<(script|style|textarea|title|xmp|iframe|noembed|noframes|plaintext)\b[\s\S]*?(?:<\/\1\s*>|$)|<(\/?)([a-zA-Z][\w:-]*)[^<>]*?(\/?)>/giu;

/**
 * Throws `LIMIT_EXCEEDED` when an HTML document would leave more than {@link MAX_OPEN_ELEMENTS}
 * elements open, estimated in one linear pass before the (quadratic in that depth) parse.
 */
export function assertBoundedHtmlNesting(doc: string): void {
  let open = 0;
  for (const match of doc.matchAll(TOKENS)) {
    const name = match[3]?.toLowerCase();
    if (name === undefined || NOT_DEEPENING.has(name) || match[4] === '/') continue;
    if (match[2] === '/') open = Math.max(0, open - 1);
    else if (++open > MAX_OPEN_ELEMENTS)
      throw new BulwarkError(
        'LIMIT_EXCEEDED',
        `document leaves more than ${MAX_OPEN_ELEMENTS} HTML elements open at once; it cannot be checked in bounded time`,
      );
  }
}

/**
 * Throws `LIMIT_EXCEEDED` when Markdown nests images in image labels more than
 * {@link MAX_IMAGE_NESTING} deep within one paragraph (a blank line resets the count).
 */
export function assertBoundedImageNesting(doc: string): void {
  const brackets: boolean[] = [];
  let images = 0;
  for (let i = 0; i < doc.length; i++) {
    const c = doc[i];
    if (c === '\\') i++;
    else if (c === '[') {
      const isImage = doc[i - 1] === '!';
      brackets.push(isImage);
      if (isImage && ++images > MAX_IMAGE_NESTING)
        throw new BulwarkError(
          'LIMIT_EXCEEDED',
          `Markdown nests images more than ${MAX_IMAGE_NESTING} deep; it cannot be checked in bounded time`,
        );
    } else if (c === ']') {
      if (brackets.pop() === true) images--;
    } else if (c === '\n' && /^[ \t]*(?:\r?\n|$)/u.test(doc.slice(i + 1, i + 64))) {
      brackets.length = 0;
      images = 0;
    }
  }
}
