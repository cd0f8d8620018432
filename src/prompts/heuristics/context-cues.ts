/**
 * Context that lowers a cue's weight: an attack phrase quoted or mentioned in a text about prompt
 * injection ("what does 'ignore previous instructions' do?"), and chat-template markers inside code
 * spans or chat-format documentation (a README showing `<|im_start|>`). These are the hard negatives
 * a bag of phrases gets wrong; the dampening is partial, so a real attack wrapped in quotes still
 * counts.
 */

/** A text's cue context, computed lazily once per scanned variant. */
export interface TextContextCues {
  /** Weight multiplier (0–1) for a cue spanning `start`–`end` of the folded text. */
  dampening(start: number, end: number, isTemplateCue: boolean): number;
}

/** Words that make a text a discussion of attacks rather than an attack (folded, any language). */
const META_TOPIC =
  /prompt[\s-]?injection|injection\s+attack|jailbreak(?:s|ing)?\b|red[\s-]?team|adversarial\s+prompt|\battack(?:s|er|ers)?\b|\bdefen[cs]e\b|\bdefend\b|\bdetect(?:s|ed|ion|or|ing)?\b|\bclassifier\b|\bguardrail|\bblocklist|\bdenylist|\bdataset\b|\bbenchmark\b|\bsecurity\b|\bexample\s+(?:of|prompt)|malicious\s+(?:prompt|input)|inyecci[oó]n\s+de\s+prompt|injection\s+de\s+prompt|prompt-injektion|промпт-инъекц|提示注入|プロンプトインジェクション|프롬프트\s*인젝션/u;
/** A mention rather than a use: the cue follows "such as", "the phrase", "e.g.", "means", … */
const MENTION_CUES = [
  'such as',
  'like',
  'e.g.',
  'i.e.',
  'for example',
  'for instance',
  'called',
  'the phrase',
  'the phrases',
  'the word',
  'the words',
  'the string',
  'the sentence',
  'the command',
  'inputs like',
  'prompts like',
  'phrases like',
  'say',
  'says',
  'saying',
  'said',
  'type',
  'typed',
  'means',
  'mean',
  'meaning of',
  'what does',
  'what is',
  'quote',
  'zum beispiel',
  'par exemple',
  'por ejemplo',
  'per esempio',
  'например',
  '例如',
  '例えば',
];
const QUOTES = new Set(['"', "'", '“', '”', '«', '»', '‘', '’', '`', '„', '「', '」', '『', '』']);
/** Chat-format documentation: the text talks about templates, tokens and formats. */
const TEMPLATE_DOCS =
  /\b(?:chat\s+templates?|prompt\s+(?:format|template)s?|chat\s+format|chatml|special\s+tokens?|tokens?|tokeni[sz]er|tags?|delimiters?|markers?|apply_chat_template|jinja|fine-?tun\w*|formatting|the\s+format|model\s+card)\b/u;
const WORD_CHAR = /[\p{L}\p{N}_]/u;
const CODE_SPAN = /```[\s\S]*?(?:```|$)|~~~[\s\S]*?(?:~~~|$)|`[^`\n]+`/g;

/** Builds the cue context of `folded` (the lower-cased variant text). */
export function contextCues(folded: string): TextContextCues {
  let isMeta: boolean | undefined;
  let isTemplateDocs: boolean | undefined;
  let codeRanges: readonly (readonly [number, number])[] | undefined;
  return {
    dampening(start: number, end: number, isTemplateCue: boolean): number {
      const lineStart = folded.lastIndexOf('\n', start - 1) + 1;
      const before = folded.slice(Math.max(lineStart, start - 40), start).trimEnd();
      const last = before.at(-1);
      const isQuoted = last !== undefined && QUOTES.has(last) && isClosedLater(folded, end);
      const isMention = endsWithCue(isQuoted || last === ':' ? before.slice(0, -1).trimEnd() : before);
      let factor = 1;
      if (isMention || isQuoted) {
        isMeta ??= META_TOPIC.test(folded);
        if (isMeta) factor *= 0.3;
        else if (isMention) factor *= 0.6;
      }
      if (isTemplateCue) {
        codeRanges ??= findCodeRanges(folded);
        if (codeRanges.some(([s, e]) => start >= s && end <= e)) factor *= 0.3;
        isTemplateDocs ??= TEMPLATE_DOCS.test(folded);
        if (isTemplateDocs) factor *= 0.4;
      }
      return factor;
    },
  };
}

function isClosedLater(text: string, end: number): boolean {
  const lineEnd = text.indexOf('\n', end);
  const stop = Math.min(lineEnd === -1 ? text.length : lineEnd, end + 300);
  for (let i = end; i < stop; i++) if (QUOTES.has(text.charAt(i))) return true;
  return false;
}

/** `before` ends with a mention cue that starts a word. */
function endsWithCue(before: string): boolean {
  for (const cue of MENTION_CUES) {
    if (!before.endsWith(cue)) continue;
    const prev = before.charAt(before.length - cue.length - 1);
    if (prev === '' || !WORD_CHAR.test(prev)) return true;
  }
  return false;
}

function findCodeRanges(text: string): [number, number][] {
  const ranges: [number, number][] = [];
  for (const m of text.matchAll(CODE_SPAN)) ranges.push([m.index, m.index + m[0].length]);
  return ranges;
}
