import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../test/support/seeded-random.js';
import { normalizePrompt } from './index.js';

// Benign inputs that look encoded to a naive decoder: none may yield a variant, and in particular
// none that reads like an instruction.
const INSTRUCTION_LIKE = /\b(?:ignore|disregard|instructions?|system prompt|reveal|password|you are now)\b/i;

function pngDataUrl(seed: number, bytes: number): string {
  const random = seededRandom(seed);
  const header = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52];
  const body = Array.from({ length: bytes }, () => Math.floor(random() * 256));
  return `data:image/png;base64,${Buffer.from([...header, ...body]).toString('base64')}`;
}

const BENIGN: Record<string, string> = {
  'CSS with hex colours': `.button { color: #ff0033; background: #0a0b0c; border: 1px solid #DEADBE; }
.link:hover { color: #333; text-decoration: underline; }`,
  'code with hashes and ids': `const sha256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
const id = "3fa85f64-5717-4562-b3fc-2c963f66afa6"; // uuid
const mask = 0xdeadbeef; const arch = "x86_64"; const tag = "v1.2.3-beta.4";
assert.equal(md5(buf), "d41d8cd98f00b204e9800998ecf8427e");`,
  'a Git SHA in prose':
    'The fix landed in commit 9fceb02d0ae598e95dc970b74767f19372d61af8 on main; see also 1a2b3c4d.',
  'an image as a data URL': `<img alt="logo" src="${pngDataUrl(7, 600)}">`,
  'a JSON web token': `Authorization: Bearer ${Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url')}.${Buffer.from('{"sub":"1234567890","iat":1516239022}').toString('base64url')}.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c`,
  'URLs with %20': `See https://example.com/search?q=hello%20world&lang=en and
https://files.example.org/My%20Documents/annual%20report%202023.pdf for details.`,
  'network addresses':
    'Host 2001:0db8:85a3:0000:0000:8a2e:0370:7334, MAC 00:1a:2b:3c:4d:5e, time 10:30:00 22 21:37:18.',
  'numbers and units':
    'Run 4x100m relay in 38.5s at 1920x1080, 3rd place, 2nd heat; ISO 8601: 2024-01-15T10:30:00Z.',
  'an ordinary imperative':
    'Ignore the previous invoice, it was sent by mistake. Please use the new one attached.',
  'a security question':
    'How do prompt injection attacks work, and how can I protect my chatbot against them?',
  'German prose':
    'Der schnelle braune Fuchs springt über den faulen Hund, und die Katze schläft auf dem Sofa.',
  'French prose':
    'Je voudrais réserver une table pour deux personnes ce soir, s’il vous plaît, près de la fenêtre.',
  'Russian prose': 'Пожалуйста, помоги мне написать письмо коллеге о переносе встречи на следующую неделю.',
  'Greek prose': 'Καλημέρα σας, θα ήθελα να κλείσω ένα τραπέζι για δύο άτομα απόψε στις εννέα.',
  'Chinese prose': '请帮我写一封电子邮件，告诉同事会议推迟到下周。我们需要讨论项目的进度和预算。',
  'Arabic prose': 'مرحبا، أريد حجز طاولة لشخصين الليلة من فضلك، بالقرب من النافذة إذا أمكن.',
  'Japanese romaji': 'gyakutai kara no dasshutsu wataridori ni natta ni-nin, a song title.',
  'a Markdown table': `| Name | Team | Year |\n|---|---|---|\n| Natalya Ivanova | Russia | 2009 |\n| Pekka Koskela | Finland | 2010 |`,
};

describe('normalizePrompt on benign text', () => {
  for (const [name, text] of Object.entries(BENIGN)) {
    it(`${name}: no decoded variant`, () => {
      const input = normalizePrompt(text);
      expect(input.variants.slice(1).map((v) => `${v.kind}: ${v.text}`)).toEqual([]);
      expect(input.signals.filter((s) => s.kind !== 'mixed-script')).toEqual([]);
    });
  }

  it('stays quiet on all of it at once, and never decodes text that reads like an instruction', () => {
    const input = normalizePrompt(Object.values(BENIGN).join('\n\n'));
    expect(input.variants).toHaveLength(1);
    for (const variant of input.variants.slice(1)) expect(variant.text).not.toMatch(INSTRUCTION_LIKE);
  });

  // Digits inside words (numeronyms, chess notation, layer names) may be read as leetspeak: one
  // harmless variant, never an explosion of them.
  it('keeps the variant count small on noisy technical text', () => {
    const noisy = [
      'Conv1d, Conv3d, BatchNorm1d and MaxPool3d layers; L1Loss; ReLU6; k8s, a11y and i18n.',
      'After 1. e4 c5 2. Nf3 the FEN is rnbqkbnr/pp1ppppp/8/2p5/4P3/5N2/PPPP1PPP/RNBQKB1R b KQkq - 1 2.',
      'Call me at 555-0100 or mail feedback@calendly.com, hello@mercury.com, info@w3c.org.',
      'x = a + b + c + d + e + f; y = u - v - w - x - y - z;',
      pngDataUrl(11, 3000),
      Array.from(
        { length: 30 },
        (_, i) => `${(i * 2654435761).toString(16).padStart(8, '0')}${'0'.repeat(32)}`,
      ).join(' '),
    ].join('\n');
    const input = normalizePrompt(noisy);
    expect(input.variants.length).toBeLessThanOrEqual(3);
    for (const variant of input.variants.slice(1)) expect(variant.text).not.toMatch(INSTRUCTION_LIKE);
  });
});
