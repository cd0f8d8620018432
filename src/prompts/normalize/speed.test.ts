import { describe, expect, it } from 'vitest';
import { normalizePrompt } from './index.js';

// A micro-benchmark, printed and never asserted (timings on a shared runner are noise): the cost
// of normalizing an ordinary 1 KB prompt, beside two same-run baselines, a NFKC pass and a
// single-pattern regex scan of the same text.

const ENGLISH = `Hi team, thanks for the quick turnaround on the quarterly report. I went through the draft
this morning and have a few comments before we send it to the board on Thursday. First, the revenue
table on page three still shows the preliminary figures from March; please replace them with the
audited numbers that finance shared yesterday. Second, the section on customer churn reads a little
defensive. I would rather state plainly that churn rose two points, explain the pricing change that
caused it, and describe what we are doing about it. Third, can someone double-check the chart
colours? The two shades of blue are hard to tell apart when printed. Finally, let's move the
appendix on hiring plans to a separate document, since it is still under discussion with HR. If
anything here is unclear, ping me on chat or drop by my desk after lunch. I will be around until six
and can review a second draft tonight if needed. Thanks again for all the hard work on this one!`;

const CODE = `import { readFile } from 'node:fs/promises';

/** Loads the settings file and merges it over the defaults. */
export async function loadSettings(path: string, defaults: Settings): Promise<Settings> {
  let raw: string;
  try {
    raw = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return defaults;
    throw error;
  }
  const parsed = JSON.parse(raw) as Partial<Settings>;
  const theme = parsed.theme ?? defaults.theme;
  const colour = /^#[0-9a-f]{6}$/i.test(parsed.accent ?? '') ? parsed.accent : '#1e90ff';
  return { ...defaults, ...parsed, theme, accent: colour, retries: Math.max(0, parsed.retries ?? 3) };
}

export function describeSettings(settings: Settings): string {
  const lines = Object.entries(settings).map(([key, value]) => \`\${key.padEnd(12)} \${String(value)}\`);
  return lines.join('\\n');
}
`;

const RUSSIAN = `Добрый день, коллеги! Спасибо за быструю подготовку квартального отчёта. Я просмотрел черновик
сегодня утром, и у меня есть несколько замечаний до того, как мы отправим его совету директоров в
четверг. Во-первых, в таблице выручки на третьей странице всё ещё указаны предварительные цифры за
март; пожалуйста, замените их проверенными данными, которые финансовый отдел прислал вчера.
Во-вторых, раздел об оттоке клиентов звучит немного оправдательно. Лучше прямо сказать, что отток
вырос на два пункта, и объяснить причину.`;

function microsecondsPer(run: () => unknown, iterations: number): number {
  for (let i = 0; i < iterations / 10; i++) run();
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) run();
  return Number(process.hrtime.bigint() - start) / 1000 / iterations;
}

describe('normalizePrompt speed (printed, not asserted)', () => {
  for (const [name, sample] of Object.entries({ English: ENGLISH, code: CODE, Russian: RUSSIAN })) {
    it(`${name}: an ordinary 1 KB prompt yields no variant; prints its cost`, () => {
      // Flat, as a JSON body parses into, not the sliced string `slice` would give.
      const text = JSON.parse(
        JSON.stringify(sample.repeat(Math.ceil(1024 / sample.length)).slice(0, 1024)),
      ) as string;
      expect(normalizePrompt(text).variants).toHaveLength(1);
      const cost = microsecondsPer(() => normalizePrompt(text), 4000);
      const nfkc = microsecondsPer(() => text.normalize('NFKC'), 4000);
      const regex = microsecondsPer(() => /ignore\s+(?:all\s+)?previous\s+instructions/i.test(text), 4000);
      console.log(
        `normalizePrompt ${name} 1 KB: ${cost.toFixed(1)} µs (${Math.round(1e6 / cost)} prompts/s); ` +
          `baselines: NFKC ${nfkc.toFixed(1)} µs, one regex scan ${regex.toFixed(1)} µs`,
      );
    });
  }
});
