/** Characters of a preview at most, before the ellipsis. */
export const PREVIEW_LENGTH = 48;

const URL_PATTERN = /\b([a-z][a-z0-9+.-]{1,15}):\/\/(\S*)/giu;
const EMAIL = /([^\s@]+)@([^\s@]+\.[^\s@]+)/gu;

/**
 * A short, masked preview of text found in a document, for finding messages: invisible characters
 * dropped, whitespace collapsed, URLs and e-mail addresses defanged (`hxxp[:]//evil[.]example`), markup
 * brackets replaced, and cut to {@link PREVIEW_LENGTH} characters at a word boundary. Enough for a
 * reviewer to recognise the passage; never the whole payload, and not live instructions or links
 * if the report itself ends up in front of a model or a browser.
 */
export function maskedPreview(text: string, length = PREVIEW_LENGTH): string {
  const clean = withoutInvisible(text).replace(/\s+/gu, ' ').trim();
  const cut = clean.length <= length ? clean : `${shorten(clean, length)}…`;
  return cut
    .replace(
      URL_PATTERN,
      (_, scheme: string, rest: string) => `${scheme.replace(/t/giu, 'x')}[:]//${defangDots(rest)}`,
    )
    .replace(EMAIL, (_, user: string, domain: string) => `${user}[at]${defangDots(domain)}`)
    .replace(/</gu, '‹')
    .replace(/>/gu, '›')
    .replace(/`/gu, "'");
}

/** `text` without control, format and invisible characters: a preview must not smuggle what it describes. */
function withoutInvisible(text: string): string {
  let out = '';
  for (const char of text) if (!isInvisible(char.codePointAt(0) ?? 0)) out += char;
  return out;
}

function isInvisible(cp: number): boolean {
  return (
    (cp < 0x20 && cp !== 0x09 && cp !== 0x0a && cp !== 0x0d) ||
    (cp >= 0x7f && cp <= 0x9f) ||
    cp === 0xad ||
    cp === 0x61c ||
    cp === 0x180e ||
    (cp >= 0x200b && cp <= 0x200f) ||
    (cp >= 0x202a && cp <= 0x202e) ||
    (cp >= 0x2060 && cp <= 0x206f) ||
    (cp >= 0xfe00 && cp <= 0xfe0f) ||
    cp === 0xfeff ||
    (cp >= 0xe0000 && cp <= 0xe007f) ||
    (cp >= 0xe0100 && cp <= 0xe01ef)
  );
}

function defangDots(text: string): string {
  return text.replace(/\./gu, '[.]');
}

/** The first `length` characters, cut back to the last space when there is one in the second half. */
function shorten(text: string, length: number): string {
  let end = length;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  const space = text.lastIndexOf(' ', end);
  return (space > length / 2 ? text.slice(0, space) : text.slice(0, end)).trimEnd();
}
