/**
 * `bulwark scan corpus DIR` (control P4, issue 6): documents bound for a vector store, checked through
 * the CLI with the shipped prompt shield. A clean corpus of every format gives nothing above low;
 * BIPIA-style poisoned documents, every hiding technique, a payload cut by a chunk boundary and one
 * field of one JSON Lines row are each found at their exact place; input that cannot be read is
 * reported, never thrown.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Finding } from '../src/core/findings.js';
import { expectedRegion, regionOf } from '../src/prompts/hidden/hidden.test-support.js';
import { HIDDEN_TECHNIQUES } from '../src/prompts/hidden/hidden-types.js';
import { HIDING_DOCUMENTS, PAYLOAD } from '../src/prompts/corpus/corpus.test-support.js';
import {
  composePoisoned,
  readBipiaAttacks,
  readBipiaContexts,
  recordingReader,
} from '../src/prompts/classifier/prompt-datasets.js';
import { runCli } from './support/run-cli.js';
import { seededRandom } from './support/seeded-random.js';

const BIPIA = '/work/shared/data/prompts';
const CUE = 'Ignore all previous instructions';

const README = `# tidepool

![build status](https://ci.example.org/tidepool/badge.svg)

Tide predictions from harmonic constituents, for Node.js 20 and later. tidepool reads the
constituent tables that national hydrographic offices publish and computes high and low water
times for any station and date range.

## Install

\`\`\`sh
npm install tidepool
\`\`\`

## Usage

\`\`\`js
import { loadStation, predict } from 'tidepool';

const station = await loadStation('stations/brest.json');
for (const tide of predict(station, { from: '2024-06-01', days: 3 })) {
  console.log(tide.kind, tide.time.toISOString(), tide.height.toFixed(2));
}
\`\`\`

Heights are in metres above chart datum. Times are UTC; format them in the station's zone for
display.

## Options

| option  | default | meaning                                   |
| ------- | ------- | ----------------------------------------- |
| \`days\`  | 1       | how many days to predict                  |
| \`step\`  | 60      | sampling step in seconds for the extremes |
| \`datum\` | \`chart\` | \`chart\` or \`mean-sea-level\`              |

## Accuracy

Predictions match the published tables within five minutes and three centimetres for the
stations in \`test/stations\`. Weather (surge, pressure) is not modelled.

## Contributing

Open an issue before a large change. Run \`npm test\` before sending a pull request.

## Licence

MIT
`;

const ESSAY = `The lighthouse at Cape Reinga

The light at Cape Reinga was moved to the headland in 1941 from nearby Motuopao Island, where
the original tower had stood since 1879. The new tower is ten metres tall and was built of
concrete; the lantern and the lens came from the old station.

For decades three keepers lived with their families in cottages below the tower. Supplies came
by sea until the road was finished, and the children were taught by correspondence. The keepers
wound the clockwork that turned the lens every few hours through the night.

The light was automated in 1987 and is now monitored from Wellington. Visitors walk the sealed
path from the car park in about twenty minutes, past panels that explain why the headland
matters to Maori as the place where the spirits of the dead depart.
`;

const SHOP_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Acme Garden Supplies - Spring planting</title>
<style>.menu { display: none } .banner { color: #2a6 }</style>
</head>
<body>
<nav class="menu"><ul>
<li><a href="/">Home</a></li><li><a href="/shop">Shop</a></li><li><a href="/tips">Gardening tips</a></li>
<li><a href="/about">About us</a></li><li><a href="/contact">Contact</a></li>
</ul></nav>
<main>
<h1 class="banner">Spring planting guide</h1>
<p>Spring is the best time to plant most perennials. Wait until the soil has warmed and the last
frost has passed, then dig a hole twice as wide as the root ball and set the plant at the depth it
grew in its pot.</p>
<img src="tulips.jpg" alt="A bed of red tulips in April">
<p>Water new plants deeply once a week during their first season. A layer of bark mulch keeps the
roots cool and the weeds down; keep it a hand's width away from the stems.</p>
<h2>Opening hours</h2>
<p>The shop is open from 9 to 5, Tuesday to Sunday. Deliveries within the county are free for
orders over fifty pounds.</p>
</main>
</body>
</html>
`;

const ABOUT_PAGE = `<!DOCTYPE html>
<html><body>
<h1>About Acme Garden Supplies</h1>
<p>We are a family nursery founded in 1962 on the edge of the village. Everything we sell is grown
on our own beds or by three growers within twenty miles.</p>
<p>Our team of six gardeners is happy to help you choose plants for your soil and your light.</p>
</body></html>
`;

const FAQ = [
  {
    question: 'How long does delivery take?',
    answer: 'Orders placed before noon leave the nursery the next working day and arrive within two days.',
  },
  {
    question: 'Can I return a plant?',
    answer: 'If a plant fails within its first year, bring it back with the receipt and we replace it.',
  },
  {
    question: 'Do you sell peat-free compost?',
    answer: 'Yes: all our compost is peat-free, made from bark, green waste and coir.',
  },
];

const ARTICLES = [
  {
    title: 'Pruning roses',
    body: 'Prune bush roses in late winter, cutting each stem back to an outward-facing bud about a third of the way down. Remove dead and crossing wood first.',
  },
  {
    title: 'Lawn care in autumn',
    body: 'Rake out the thatch in September, spike compacted areas with a fork and sow seed on bare patches while the soil is still warm.',
  },
];

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bulwark-corpus-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function write(path: string, content: string | Uint8Array): void {
  const full = join(dir, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, content);
}

async function scanJson(...extra: string[]): Promise<{ code: number; findings: Finding[]; stderr: string }> {
  const run = await runCli(['scan', 'corpus', '.', '--format', 'json', '--no-store', ...extra], dir);
  expect(run.stderr).toBe('');
  return {
    code: run.code,
    findings: (JSON.parse(run.stdout) as { findings: Finding[] }).findings,
    stderr: run.stderr,
  };
}

describe('bulwark scan corpus', () => {
  it('finds nothing above low in a clean corpus of every format', async () => {
    write('docs/README.md', README);
    write('blog/lighthouse.txt', ESSAY);
    write('site/index.html', SHOP_PAGE);
    write('site/about', ABOUT_PAGE);
    write('data/faq.jsonl', `${FAQ.map((row) => JSON.stringify(row)).join('\n')}\n`);
    write('data/articles.json', JSON.stringify(ARTICLES, null, 2));
    const { code, findings } = await scanJson();
    expect(code).toBe(0);
    expect(findings.filter((f) => f.severity !== 'low')).toEqual([]);
    const low = findings.map((f) => [f.location.path, f.ruleId, f.evidence?.['technique']]);
    expect(low).toEqual(
      expect.arrayContaining([
        ['site/index.html', 'BW-PROMPT-004', 'display-none'],
        ['site/index.html', 'BW-PROMPT-004', 'alt-text'],
      ]),
    );
    const nav = findings.find((f) => f.evidence?.['technique'] === 'display-none');
    expect(nav?.location).toMatchObject({
      path: 'site/index.html',
      line: regionOf(SHOP_PAGE, '<nav class="menu">').line,
    });
  });

  it('does not run in a plain `bulwark scan`', async () => {
    write('mail.txt', `Hello,\n${PAYLOAD}\n`);
    const run = await runCli(['scan', '.', '--format', 'json', '--no-store'], dir);
    const findings = (JSON.parse(run.stdout) as { findings: Finding[] }).findings;
    expect(findings.filter((f) => f.ruleId.startsWith('BW-PROMPT-'))).toEqual([]);
  });

  describe.skipIf(!existsSync(join(BIPIA, 'bipia', 'email', 'train.jsonl')))(
    'BIPIA training documents',
    () => {
      const reader = recordingReader((path) => readFileSync(join(BIPIA, path)));
      const attack = readBipiaAttacks(reader, 'text', 'train').find(
        (a) => a.category === 'Malware Distribution',
      );

      for (const [task, extension, index] of [
        ['email', 'txt', 0],
        ['table', 'md', 3],
      ] as const) {
        it(`finds the instruction planted in a ${task} at its line, and nothing in the clean ${task}`, async () => {
          const context = readBipiaContexts(reader, task, 'train')[index] as string;
          const poisoned = composePoisoned(context, attack?.text ?? '', 'middle');
          write(`inbox/clean.${extension}`, context);
          write(`inbox/poisoned.${extension}`, poisoned.text);
          const { code, findings } = await scanJson();
          const high = findings.filter((f) => f.severity === 'high');
          expect(high.map((f) => [f.location.path, f.ruleId])).toEqual([
            [`inbox/poisoned.${extension}`, 'BW-PROMPT-002'],
          ]);
          expect(code).toBe(1);
          const planted = expectedRegion(poisoned.text, ...poisoned.span);
          const found = high[0]?.location;
          expect(found?.line).toBeGreaterThanOrEqual(planted.line);
          expect(found?.endLine ?? found?.line).toBeLessThanOrEqual(planted.endLine);
        });
      }
    },
  );

  it('finds instructions hidden by every technique, at their place, in SARIF', async () => {
    for (const technique of HIDDEN_TECHNIQUES) {
      const { path, doc } = HIDING_DOCUMENTS[technique];
      write(`${technique}/${path}`, doc);
    }
    const run = await runCli(['scan', 'corpus', '.', '--format', 'sarif', '--no-store'], dir);
    expect(run.code).toBe(1);
    const sarif = JSON.parse(run.stdout) as {
      runs: Array<{
        results: Array<{
          ruleId: string;
          level: string;
          locations: Array<{
            physicalLocation: { artifactLocation: { uri: string }; region?: Record<string, number> };
          }>;
          properties: { evidence?: { technique?: string } };
        }>;
      }>;
    };
    const results = sarif.runs[0]?.results ?? [];
    for (const technique of HIDDEN_TECHNIQUES) {
      const { path, doc, fragment } = HIDING_DOCUMENTS[technique];
      const mine = results.filter(
        (r) => r.locations[0]?.physicalLocation.artifactLocation.uri === `${technique}/${path}`,
      );
      expect(
        mine.filter((r) => r.level === 'error').map((r) => [r.ruleId, r.properties.evidence?.technique]),
      ).toEqual([['BW-PROMPT-003', technique]]);
      const region = mine.find((r) => r.ruleId === 'BW-PROMPT-003')?.locations[0]?.physicalLocation.region;
      const expected = regionOf(doc, fragment);
      expect(region?.['startLine']).toBe(expected.line);
      expect(region?.['startColumn']).toBeGreaterThanOrEqual(expected.column);
      expect(region?.['endColumn']).toBeLessThanOrEqual(expected.endColumn);
    }
  });

  it('finds a payload cut by a chunk boundary, with the chunk sizes from bulwark.yaml', async () => {
    const words = ['harbour', 'ferry', 'timetable', 'winter', 'crossing', 'island', 'weather'];
    const filler = (n: number): string =>
      Array.from({ length: n }, (_, i) => words[i % words.length]).join(' ');
    const doc = `${filler(45)} ${PAYLOAD} ${filler(120)}`;
    write('bulwark.yaml', 'scanners:\n  corpus:\n    chunkSize: 300\n    overlap: 120\n');
    write('notes/ferry.txt', doc);
    const { findings } = await scanJson();
    expect(findings.map((f) => f.ruleId)).toEqual(['BW-PROMPT-002']);
    expect(findings[0]?.location).toEqual({ path: 'notes/ferry.txt', ...regionOf(doc, CUE) });
  });

  it('reports the row, field and region of a payload in one field of row 37 of a JSON Lines file', async () => {
    const rows = Array.from({ length: 60 }, (_, i) => {
      const faq = FAQ[i % FAQ.length] as { question: string; answer: string };
      return JSON.stringify({
        id: `faq-${i + 1}`,
        question: faq.question,
        answer: i === 36 ? `${faq.answer} ${PAYLOAD}` : faq.answer,
      });
    });
    write('data/faq.jsonl', `${rows.join('\n')}\n`);
    const { findings } = await scanJson();
    expect(findings).toHaveLength(1);
    const column = (rows[36] as string).indexOf(CUE) + 1;
    expect(findings[0]).toMatchObject({
      ruleId: 'BW-PROMPT-002',
      location: {
        path: 'data/faq.jsonl',
        line: 37,
        column,
        endColumn: column + CUE.length,
        row: 37,
        field: '$.answer',
      },
    });
  });

  it('reports huge, binary and corrupt input instead of failing', async () => {
    write('bulwark.yaml', 'scanners:\n  corpus:\n    maxDocumentBytes: 64KiB\n');
    write('big/book.txt', `${ESSAY}\n`.repeat(120));
    const random = seededRandom(3);
    write(
      'bin/blob.dat',
      Uint8Array.from({ length: 5000 }, () => Math.floor(random() * 256)),
    );
    write('bad/rows.jsonl', `{"id": 1, "lang": "en"}\n{"text": "unterminated\n{"text": "${PAYLOAD}"}\n`);
    write('bad/page.html', `<html><body>${'<div>'.repeat(12_000)}<p>deep</p>`);
    write(
      'bad/utf8.txt',
      Uint8Array.from([...new TextEncoder().encode(ESSAY.slice(0, 300)), 0xc3, 0x28, 0xff, 0x0a]),
    );
    const { code, findings } = await scanJson();
    expect(code).toBe(1);
    const byPath = findings.map((f) => [f.location.path, f.ruleId]).sort();
    expect(byPath).toEqual([
      ['bad/page.html', 'BW-FILE-007'],
      ['bad/rows.jsonl', 'BW-FILE-007'],
      ['bad/rows.jsonl', 'BW-PROMPT-002'],
      ['big/book.txt', 'BW-FILE-002'],
    ]);
  });

  it('refuses invalid corpus options with one line pointing at bulwark.yaml', async () => {
    write('bulwark.yaml', 'scanners:\n  corpus:\n    chunkSize: 10\n');
    write('a.txt', 'hello');
    const run = await runCli(['scan', 'corpus', '.', '--no-store'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^bulwark: bulwark\.yaml:3:\d+: scanners\.corpus\.chunkSize: /);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });
});
