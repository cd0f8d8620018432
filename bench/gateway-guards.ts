/**
 * `npm run bench -- gateway-guards [--count N]`: microseconds per 1 KB answer of the gateway's output
 * guards (secrets, PII, links, HTML in redact mode), whole (`check`) and streamed in 8-character
 * deltas (`stream`), next to a plain string scan of the same answers (`indexOf` of a few markers,
 * the least any output filter does) measured in the same run. Answers are generated
 * deterministically from ordinary sentences; one in eight carries an e-mail address and a link.
 */
import { parseArgs } from 'node:util';
import { seededRandom } from '../src/core/seeded-random.js';
import { createOutputGuard } from '../src/gateway/guards/index.js';

const SENTENCES = [
  'The function returns a list of users sorted by the date they signed up. ',
  'Compound interest adds the interest of each period to the principal. ',
  'See [the guide](https://docs.example.com/guide) for the full set of options. ',
  'In 2023 the team shipped 14 releases and closed 312 issues. ',
  '```ts\nconst total = items.reduce((a, b) => a + b, 0);\n```\n',
  'The meeting moved to Thursday because the tests were failing. ',
];
const SPICE = 'Write to jane.doe@acme-corp.com or open ![x](https://evil.example/?q=1). ';

function answers(count: number): string[] {
  const random = seededRandom(0x5eed);
  return Array.from({ length: count }, (_, i) => {
    let text = i % 8 === 0 ? SPICE : '';
    while (text.length < 1024) text += SENTENCES[Math.floor(random() * SENTENCES.length)];
    return text.slice(0, 1024);
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function time(texts: readonly string[], run: (text: string) => unknown): number {
  const each: number[] = [];
  for (const text of texts) {
    const start = process.hrtime.bigint();
    run(text);
    each.push(Number(process.hrtime.bigint() - start) / 1000);
  }
  return median(each);
}

/** Runs the benchmark. */
export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { count: { type: 'string', default: '400' } } });
  const texts = answers(Number(values.count));
  const guard = createOutputGuard({
    secrets: 'redact',
    pii: 'redact',
    links: { mode: 'redact', allowDomains: ['docs.example.com'] },
    html: 'redact',
  });
  const baseline = (text: string) => ['<', '](', '@', 'ghp_'].map((m) => text.indexOf(m));
  const streamed = (text: string) => {
    const s = guard.stream();
    for (let at = 0; at < text.length; at += 8) s.push(text.slice(at, at + 8));
    return s.end();
  };
  // Warm-up: compile regular expressions and let the JIT settle.
  for (const text of texts.slice(0, 50)) {
    guard.check(text);
    streamed(text);
    baseline(text);
  }
  const base = time(texts, baseline);
  const whole = time(texts, (text) => guard.check(text));
  const stream = time(texts, streamed);
  process.stdout.write(
    `gateway output guards, median µs per 1 KB answer (${texts.length} answers)\n` +
      `  check()            ${whole.toFixed(1)}\n` +
      `  stream() 8-char    ${stream.toFixed(1)}\n` +
      `  baseline indexOf   ${base.toFixed(1)}\n`,
  );
  await Promise.resolve();
}
