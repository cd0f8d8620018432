import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AUTHORED_ATTACKS,
  AUTHORED_BENIGN_DOCUMENT,
  AUTHORED_BENIGN_USER,
  AUTHORED_LANGUAGES,
  type AuthoredLanguage,
  type AuthoredText,
} from './authored-examples.js';
import { buildEvaluationData } from './evaluation-data.js';

const DATA = '/work/shared/data/prompts';
/** Two texts this close in character 5-grams count as the same text. */
const MAX_JACCARD = 0.5;
const ALL: readonly AuthoredText[] = [
  ...AUTHORED_BENIGN_USER,
  ...AUTHORED_BENIGN_DOCUMENT,
  ...AUTHORED_ATTACKS,
];

const normalize = (text: string): string => text.toLowerCase().replace(/\s+/g, ' ').trim();

/** Hashed character 5-grams of the normalized text (a collision can only raise the similarity). */
function grams(text: string): Set<number> {
  const s = normalize(text);
  const out = new Set<number>();
  const last = Math.max(0, s.length - 5);
  for (let i = 0; i <= last; i++) {
    let h = 0x811c9dc5;
    for (let k = i; k < Math.min(i + 5, s.length); k++) h = Math.imul(h ^ s.charCodeAt(k), 0x01000193);
    out.add(h >>> 0);
  }
  return out;
}

function jaccard(a: Set<number>, b: Set<number>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const g of small) if (large.has(g)) shared++;
  return shared / (a.size + b.size - shared);
}

/**
 * Finds, for every indexed text, its highest similarity to the probe texts reaching `threshold`,
 * by prefix filtering: J(a, b) >= t needs |a ∩ b| >= ceil(t |b|), so a shares a gram with the
 * |b| - ceil(t |b|) + 1 grams of b that are rarest among the indexed texts.
 */
function similarityIndex(indexed: readonly string[], threshold: number) {
  const sets = indexed.map(grams);
  const postings = new Map<number, number[]>();
  sets.forEach((set, id) => {
    for (const g of set) {
      const list = postings.get(g);
      if (list) list.push(id);
      else postings.set(g, [id]);
    }
  });
  const best = sets.map(() => ({ score: 0, probe: -1 }));
  const probe = (text: string, probeId: number, skip?: (id: number) => boolean): void => {
    const b = grams(text);
    const prefix = b.size - Math.ceil(threshold * b.size) + 1;
    const known: number[] = [];
    for (const g of b) if (postings.has(g)) known.push(g);
    const unknown = b.size - known.length;
    if (unknown >= prefix) return;
    known.sort((x, y) => (postings.get(x)?.length ?? 0) - (postings.get(y)?.length ?? 0) || x - y);
    const candidates = new Set<number>();
    for (const g of known.slice(0, prefix - unknown))
      for (const id of postings.get(g) ?? []) candidates.add(id);
    for (const id of candidates) {
      const a = sets[id];
      const entry = best[id];
      if (!a || !entry || skip?.(id)) continue;
      if (a.size < threshold * b.size || b.size < threshold * a.size) continue;
      const score = jaccard(a, b);
      if (score > entry.score) best[id] = { score, probe: probeId };
    }
  };
  return { probe, best };
}

const share = (list: readonly AuthoredText[], lang: AuthoredLanguage): number =>
  list.filter((t) => t.lang === lang).length;

const functionWords = (list: string): RegExp => new RegExp(`(?<!\\p{L})(${list})(?!\\p{L})`, 'iu');

/** A script or a few function words every text in the language contains. */
const LANGUAGE_MARKS: Readonly<Record<AuthoredLanguage, RegExp>> = {
  en: functionWords('the|a|an|to|of|and|is|are|you|your|my|in|on|for|with|it|this|what|how|do|i'),
  de: functionWords('der|die|das|und|ist|ich|nicht|mit|sie|ein|eine|den|dem|zu|für|bitte|du|wie|auf|es'),
  fr: functionWords('le|la|les|et|est|je|une|un|des|pour|vous|de|du|pas|que|ne|tu|au'),
  es: functionWords('el|la|los|las|y|es|que|de|una|un|para|por|con|mi|tu|se|no|del'),
  it: functionWords('il|la|le|gli|e|è|che|di|una|un|per|con|mi|non|del|della|ti|sono'),
  pt: functionWords('o|a|os|as|e|é|que|de|uma|um|para|com|meu|minha|não|do|da|você'),
  nl: functionWords('de|het|een|en|is|ik|niet|van|voor|met|je|jij|u|op|dat|wat'),
  pl: functionWords('i|w|na|nie|się|jest|to|z|do|że|jak|mi|mój|moje|proszę|czy'),
  ru: /\p{Script=Cyrillic}/u,
  tr: functionWords(
    've|bir|bu|için|ile|ne|mi|da|de|bana|sana|benim|lütfen|gibi|olan|nasıl|sonra|önce|içinde|her|dahil|olarak|kadar',
  ),
  ar: /\p{Script=Arabic}/u,
  hi: /\p{Script=Devanagari}/u,
  bn: /\p{Script=Bengali}/u,
  zh: /\p{Script=Han}/u,
  ja: /[\p{Script=Hiragana}\p{Script=Katakana}]/u,
  ko: /\p{Script=Hangul}/u,
  vi: /[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/i,
  id: functionWords('dan|yang|di|ini|itu|untuk|dengan|saya|tidak|ke|dari|apa|ada|tolong|bisa|kamu|anda'),
  th: /\p{Script=Thai}/u,
  tl: functionWords('ang|ng|sa|mga|ko|mo|ako|ka|na|ay|para|hindi|ba|po|ito|niyo|kayo'),
};

const words = (text: string): number => text.split(/\s+/).filter(Boolean).length;

describe('the 5-gram similarity check', () => {
  it('finds a lightly edited copy and passes a different text', () => {
    const original = 'Please summarise the attached quarterly report in five bullet points for the board.';
    const index = similarityIndex(
      [original, 'A completely different sentence about growing tomatoes.'],
      MAX_JACCARD,
    );
    index.probe('Please summarise the attached quarterly report in four bullet points for the board!', 0);
    expect(index.best[0]?.score).toBeGreaterThan(0.7);
    expect(index.best[1]?.score).toBe(0);
    const unrelated = similarityIndex([original], MAX_JACCARD);
    unrelated.probe('Write a haiku about a lighthouse keeper in winter.', 0);
    expect(unrelated.best[0]?.score).toBe(0);
  });
});

describe('authored training texts', () => {
  it('have the stated sizes and shares of non-English text', () => {
    expect(AUTHORED_BENIGN_USER.length).toBeGreaterThanOrEqual(420);
    expect(AUTHORED_BENIGN_USER.length).toBeLessThanOrEqual(500);
    expect(AUTHORED_BENIGN_DOCUMENT.length).toBeGreaterThanOrEqual(140);
    expect(AUTHORED_BENIGN_DOCUMENT.length).toBeLessThanOrEqual(180);
    expect(AUTHORED_ATTACKS.length).toBeGreaterThanOrEqual(280);
    expect(AUTHORED_ATTACKS.length).toBeLessThanOrEqual(340);
    const nonEnglish = (list: readonly AuthoredText[]) => 1 - share(list, 'en') / list.length;
    expect(nonEnglish(AUTHORED_BENIGN_USER)).toBeGreaterThanOrEqual(0.25);
    expect(nonEnglish(AUTHORED_BENIGN_DOCUMENT)).toBeGreaterThanOrEqual(0.25);
    expect(nonEnglish(AUTHORED_ATTACKS)).toBeGreaterThanOrEqual(0.6);
  });

  it('spread over every language', () => {
    for (const lang of AUTHORED_LANGUAGES) {
      expect(share(AUTHORED_BENIGN_USER, lang), `benign user ${lang}`).toBeGreaterThanOrEqual(6);
      expect(share(AUTHORED_BENIGN_DOCUMENT, lang), `benign document ${lang}`).toBeGreaterThanOrEqual(2);
      expect(share(AUTHORED_ATTACKS, lang), `attacks ${lang}`).toBeGreaterThanOrEqual(8);
    }
  });

  it('are written in the language they are tagged with', () => {
    const wrong = ALL.filter((t) => !LANGUAGE_MARKS[t.lang].test(t.text)).map((t) => `${t.lang}: ${t.text}`);
    expect(wrong).toEqual([]);
    const japanese = ALL.filter((t) => t.lang === 'zh' && LANGUAGE_MARKS.ja.test(t.text));
    expect(japanese.map((t) => t.text)).toEqual([]);
  });

  it('cover both contexts, with attacks in documents in most languages', () => {
    const documents = AUTHORED_ATTACKS.filter((a) => a.context === 'document');
    expect(documents.length).toBeGreaterThanOrEqual(80);
    expect(AUTHORED_ATTACKS.length - documents.length).toBeGreaterThanOrEqual(150);
    for (const lang of AUTHORED_LANGUAGES) expect(share(documents, lang), lang).toBeGreaterThanOrEqual(3);
  });

  it('range from a few words to long briefs', () => {
    const latin = AUTHORED_BENIGN_USER.filter(
      (t) => !/[\p{Script=Han}\p{Script=Thai}\p{Script=Hiragana}]/u.test(t.text),
    );
    expect(latin.filter((t) => words(t.text) <= 12).length).toBeGreaterThanOrEqual(60);
    expect(latin.filter((t) => words(t.text) >= 80).length).toBeGreaterThanOrEqual(20);
    expect(ALL.every((t) => t.text.trim() === t.text && t.text.length >= 12)).toBe(true);
  });

  it('hold no duplicates or near duplicates', () => {
    const seen = new Set<string>();
    const duplicates = ALL.map((t) => normalize(t.text)).filter((t) => seen.has(t) || !seen.add(t));
    expect(duplicates).toEqual([]);
    const index = similarityIndex(
      ALL.map((t) => t.text),
      MAX_JACCARD,
    );
    ALL.forEach((t, id) => index.probe(t.text, id, (other) => other <= id));
    const close = index.best.flatMap((b, id) =>
      b.score >= MAX_JACCARD
        ? [`${b.score.toFixed(2)} ${ALL[b.probe]?.text.slice(0, 60)} ~ ${ALL[id]?.text.slice(0, 60)}`]
        : [],
    );
    expect(close).toEqual([]);
  });
});

describe.skipIf(!existsSync(join(DATA, 'README.md')))('authored texts against the held-out test sets', () => {
  it('are never within a 5-gram Jaccard similarity of 0.5 of a test text', () => {
    const data = buildEvaluationData((path) => readFileSync(join(DATA, path)));
    const sets = [...data.attacks, ...data.benign, ...data.other];
    const index = similarityIndex(
      ALL.map((t) => t.text),
      MAX_JACCARD,
    );
    const names: string[] = [];
    const probed = new Set<string>();
    for (const set of sets)
      for (const text of set.texts) {
        if (probed.has(text)) continue;
        probed.add(text);
        names.push(set.name);
        index.probe(text, names.length - 1);
      }
    expect(probed.size).toBeGreaterThan(30_000);
    const close = index.best.flatMap((b, id) =>
      b.score >= MAX_JACCARD
        ? [`${b.score.toFixed(2)} [${names[b.probe]}] ${ALL[id]?.lang}: ${ALL[id]?.text}`]
        : [],
    );
    expect(close).toEqual([]);
  }, 120_000);
});
