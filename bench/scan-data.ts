/**
 * `npm run bench -- scan-data [--size 200MB] [--seed N] [--keep DIR] [--profile DIR]`: throughput of
 * `bulwark scan data` (walk, sniff, SHA-256, readers, PII and secret recognizers, findings) over a
 * generated corpus of logs, CSV customer orders, JSONL chat transcripts and Markdown, a few percent
 * of whose lines and cells hold e-mails, phone numbers, cards, IBANs, SSNs and credentials. Printed
 * next to the same-run baselines on the same files: a plain streamed read, and a read that decodes
 * UTF-8 and splits lines. Each measurement runs in a fresh child process, so its CPU time and peak
 * RSS are its own. `--keep DIR` writes (or reuses) the corpus in DIR and leaves it; `--profile DIR`
 * writes a V8 CPU profile of the scan there. Prints figures; never asserts them.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync } from 'node:fs';
import { rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { composeIBAN } from 'ibantools';
import { walkPaths } from '../src/cli/walk.js';
import { parseByteSize } from '../src/core/config/byte-size.js';
import type { Finding } from '../src/core/findings.js';
import { runScan } from '../src/core/scan/engine.js';
import { DEFAULT_SCAN_LIMITS } from '../src/core/scan/types.js';
import { defaultRegistry } from '../src/scanners.js';
import { POSITIVE_MAKERS } from '../test/fixtures/secrets/positives.js';
import { seededRandom } from '../test/support/seeded-random.js';

const here = dirname(fileURLToPath(import.meta.url));
const MB = 1e6;
const PHASES = ['read', 'lines', 'scan'] as const;
type Phase = (typeof PHASES)[number];

/** What one child process measured. */
interface Measurement {
  readonly files: number;
  readonly bytes: number;
  readonly wall: number;
  readonly cpu: number;
  readonly maxRssMiB: number;
  readonly lines?: number;
  readonly findings?: number;
  readonly digest?: string;
}

/** Generates (or reuses) the corpus, measures the baselines and the scan in child processes, prints them. */
export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      size: { type: 'string', default: '200MB' },
      seed: { type: 'string', default: '1' },
      keep: { type: 'string' },
      profile: { type: 'string' },
      phase: { type: 'string' },
      dir: { type: 'string' },
    },
  });
  if (values.phase !== undefined) {
    const phase = PHASES.find((p) => p === values.phase);
    if (phase === undefined || values.dir === undefined) throw new Error(`unknown phase ${values.phase}`);
    const result = await measure(phase, values.dir);
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  const size = parseByteSize(values.size);
  const seed = Number(values.seed);
  if (size === undefined || !Number.isInteger(seed)) {
    process.stderr.write('scan-data: --size takes a byte size (200MB, 50MB, 1GB), --seed a whole number\n');
    process.exitCode = 2;
    return;
  }
  const dir =
    values.keep === undefined ? mkdtempSync(join(tmpdir(), 'bw-bench-data-')) : resolve(values.keep);
  const out = (line: string) => process.stdout.write(`${line}\n`);
  try {
    const corpus = join(dir, 'corpus');
    const started = performance.now();
    const reused = ensureCorpus(corpus, size, seed);
    const files = listFiles(corpus);
    const bytes = files.reduce((sum, f) => sum + statSync(f).size, 0);
    const made = reused ? 'reused' : `generated in ${((performance.now() - started) / 1000).toFixed(1)} s`;
    out(`scan data throughput (node ${process.version}, ${cpus().length} cores, warm page cache)`);
    out(`corpus: ${files.length} files, ${(bytes / MB).toFixed(1)} MB, seed ${seed}, ${made}`);
    const results = new Map<Phase, Measurement>();
    for (const phase of PHASES) {
      const profile = phase === 'scan' && values.profile !== undefined ? resolve(values.profile) : undefined;
      results.set(phase, child(phase, corpus, profile));
    }
    const read = results.get('read') as Measurement;
    const lines = results.get('lines') as Measurement;
    const scan = results.get('scan') as Measurement;
    const row = (label: string, m: Measurement) =>
      out(
        `  ${label.padEnd(37)}${rate(m.bytes, m.wall)}  ${rate(m.bytes, m.cpu)}` +
          `  ${m.wall.toFixed(2).padStart(8)} s  ${String(m.maxRssMiB).padStart(5)} MiB`,
      );
    out(`${' '.repeat(37)}wall MB/s   MB/s per core  wall time   peak RSS`);
    row('plain streamed read', read);
    row(`read, UTF-8 decode, split ${lines.lines ?? 0} lines`, lines);
    row('bulwark scan data', scan);
    out(`  findings: ${scan.findings ?? 0} (at most 1000 per file; digest ${scan.digest ?? ''})`);
    out(
      `  per core, scan data runs at ${pct(read.cpu / scan.cpu)} of the plain read's rate and ` +
        `${pct(lines.cpu / scan.cpu)} of the line split's`,
    );
    if (values.profile !== undefined) out(`  CPU profile of the scan written to ${resolve(values.profile)}`);
  } finally {
    if (values.keep === undefined) rmSync(dir, { recursive: true, force: true });
  }
}

const rate = (bytes: number, seconds: number): string => (bytes / MB / seconds).toFixed(1).padStart(9);
const pct = (ratio: number): string => `${(ratio * 100).toFixed(1)}%`;

/** Runs one phase in a fresh process (the bench runner with `--phase`) and reads its result line. */
function child(phase: Phase, corpus: string, profile: string | undefined): Measurement {
  const flags = profile === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', profile];
  const stdout = execFileSync(
    process.execPath,
    [...process.execArgv, ...flags, join(here, 'run.ts'), 'scan-data', '--phase', phase, '--dir', corpus],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 16 * 1024 * 1024 },
  );
  return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Measurement;
}

/** Runs one phase over every file of `corpus` in this process. */
async function measure(phase: Phase, corpus: string): Promise<Measurement> {
  const files = listFiles(corpus);
  const bytes = files.reduce((sum, f) => sum + statSync(f).size, 0);
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  let lines: number | undefined;
  let findings: readonly Finding[] | undefined;
  if (phase === 'read') {
    for (const file of files) await streamFile(file, () => undefined);
  } else if (phase === 'lines') {
    lines = 0;
    for (const file of files) lines += await splitLines(file);
  } else {
    const outcome = await runScan({
      entries: walkPaths([corpus], {
        limits: DEFAULT_SCAN_LIMITS,
        ignore: [],
        followSymlinks: false,
        cwd: corpus,
      }),
      registry: defaultRegistry().only('data'),
      limits: DEFAULT_SCAN_LIMITS,
    });
    findings = outcome.findings;
  }
  const wall = (performance.now() - start) / 1000;
  const cpuUsed = process.cpuUsage(cpuBefore);
  const cpu = (cpuUsed.user + cpuUsed.system) / 1e6;
  const maxRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
  return {
    files: files.length,
    bytes,
    wall,
    cpu,
    maxRssMiB,
    ...(lines === undefined ? {} : { lines }),
    ...(findings === undefined ? {} : { findings: findings.length, digest: digestOf(findings) }),
  };
}

/** A short SHA-256 of the findings (they come in a stable order): equal digests, equal detections. */
function digestOf(findings: readonly Finding[]): string {
  return createHash('sha256').update(JSON.stringify(findings)).digest('hex').slice(0, 16);
}

async function streamFile(path: string, onChunk: (bytes: Buffer) => void): Promise<void> {
  const file = await open(path, 'r');
  const buffer = Buffer.alloc(1024 * 1024);
  try {
    for (;;) {
      const { bytesRead } = await file.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      onChunk(buffer.subarray(0, bytesRead));
    }
  } finally {
    await file.close();
  }
}

/** Decodes a file as streamed UTF-8 and cuts it into lines; returns the non-empty ones. */
async function splitLines(path: string): Promise<number> {
  const decoder = new TextDecoder('utf-8');
  let pending = '';
  let count = 0;
  const cut = (text: string): void => {
    let at = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', at)) {
      if (text.slice(at, end).length > 0) count++;
      at = end + 1;
    }
    pending = text.slice(at);
  };
  await streamFile(path, (bytes) => cut(pending + decoder.decode(bytes, { stream: true })));
  cut(`${pending}${decoder.decode()}\n`);
  return count;
}

function listFiles(root: string): string[] {
  return readdirSync(root, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

// ---------------------------------------------------------------------------------------------------
// The corpus. Deterministic per seed and size; `corpus.json` beside the files tells a kept corpus
// that matches the asked one, which is then reused.

type Random = () => number;
type Kind = 'log' | 'csv' | 'jsonl' | 'md';

/** Share of the bytes per kind. */
const KINDS: readonly (readonly [Kind, number])[] = [
  ['log', 0.3],
  ['csv', 0.3],
  ['jsonl', 0.25],
  ['md', 0.15],
];

function ensureCorpus(corpus: string, size: number, seed: number): boolean {
  const stamp = join(corpus, '..', 'corpus.json');
  const wanted = JSON.stringify({ size, seed, version: 1 });
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted && existsSync(corpus)) return true;
  rmSync(corpus, { recursive: true, force: true });
  mkdirSync(corpus, { recursive: true });
  const random = seededRandom(seed);
  for (const [kind, share] of KINDS) {
    mkdirSync(join(corpus, kind));
    let written = 0;
    for (let n = 0; written < size * share; n++) {
      // Files of 0.5–6 MB, smaller when the whole corpus is small.
      const target = Math.min(size * share - written, (0.5 + random() * 5.5) * Math.min(MB, size / 100));
      written += writeFile(join(corpus, kind, `${kind}-${String(n).padStart(3, '0')}.${kind}`), kind, {
        random,
        target: Math.max(4096, target),
      });
    }
  }
  writeFileSync(stamp, wanted);
  return false;
}

/** Writes one file of `kind` of about `target` bytes in 1 MB pieces; returns its size. */
function writeFile(path: string, kind: Kind, { random, target }: { random: Random; target: number }): number {
  const fd = openSync(path, 'w');
  const g = new RecordMaker(random);
  let size = 0;
  let piece: string[] = [];
  let pieceSize = 0;
  const flush = () => {
    size += writeSync(fd, piece.join(''));
    piece = [];
    pieceSize = 0;
  };
  const header = kind === 'csv' ? `${CSV_COLUMNS.join(',')}\n` : '';
  piece.push(header);
  let record = 0;
  while (size + pieceSize < target) {
    const line = `${g.record(kind, ++record)}\n`;
    piece.push(line);
    pieceSize += line.length;
    if (pieceSize > MB) flush();
  }
  flush();
  closeSync(fd);
  return size;
}

const CSV_COLUMNS = [
  'order_id',
  'created_at',
  'customer_id',
  'sku',
  'quantity',
  'unit_price',
  'currency',
  'status',
  'country',
  'channel',
  'contact',
  'note',
];

const VOCABULARY = (
  'the a an of to and in for on with as by at from that this these it is was be are were has have had ' +
  'will can should would may model data training dataset pipeline request response service server ' +
  'client user team customer order invoice payment shipment delivery account report dashboard query ' +
  'latency error timeout retry cache queue worker batch job schedule release version update deploy ' +
  'config feature metric score label review question answer summary result value table column row ' +
  'file folder upload download export import search filter sort page link email message note week ' +
  'month year today yesterday morning evening quick simple better faster slower larger smaller new ' +
  'old first last next previous every each some many few more less please thanks help need want ' +
  'check confirm cancel refund replace change add remove keep send receive open close start stop'
).split(' ');
const FIRST =
  'James Mary Robert Patricia Olivia Liam Emma Noah Sofia Lucas Mia Hugo Anna Lukas Chloe Mateo'.split(' ');
const LAST =
  'Smith Johnson Garcia Miller Davis Martin Bernard Dubois Müller Schmidt Rossi Silva Novak Kowalski'.split(
    ' ',
  );
const CITIES = 'Berlin London Paris Madrid Lisbon Vienna Dublin Austin Chicago Toronto Seattle Munich'.split(
  ' ',
);
const DOMAINS = ['example.com', 'mail.example.org', 'acme-corp.io', 'customers.example.net'];

/** Makes the records of each kind; a few percent carry a sensitive value. */
class RecordMaker {
  constructor(private readonly random: Random) {}

  int(max: number): number {
    return Math.floor(this.random() * max);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }

  chance(p: number): boolean {
    return this.random() < p;
  }

  words(n: number): string {
    return Array.from({ length: n }, () => this.pick(VOCABULARY)).join(' ');
  }

  sentence(): string {
    const text = this.words(6 + this.int(14));
    return `${text[0]?.toUpperCase() ?? ''}${text.slice(1)}${this.pick(['.', '.', '.', '?', '!'])}`;
  }

  prose(sentences: number, sensitive: number): string {
    return Array.from({ length: sentences }, () =>
      this.chance(sensitive) ? this.sensitiveSentence() : this.sentence(),
    ).join(' ');
  }

  timestamp(): string {
    const pad = (n: number) => String(n).padStart(2, '0');
    return `2024-${pad(1 + this.int(12))}-${pad(1 + this.int(28))}T${pad(this.int(24))}:${pad(this.int(60))}:${pad(this.int(60))}.${String(this.int(1000)).padStart(3, '0')}Z`;
  }

  hex(n: number): string {
    let out = '';
    for (let i = 0; i < n; i++) out += '0123456789abcdef'[this.int(16)];
    return out;
  }

  name(): string {
    return `${this.pick(FIRST)} ${this.pick(LAST)}`;
  }

  email(): string {
    const local = `${this.pick(FIRST)}.${this.pick(LAST)}`.toLowerCase().replace('ü', 'ue');
    return `${local}${this.int(100)}@${this.pick(DOMAINS)}`;
  }

  phone(): string {
    const digits = (n: number) => Array.from({ length: n }, () => this.int(10)).join('');
    return this.pick([
      () => `+44 20 7${digits(3)} ${digits(4)}`,
      () => `+1 415 ${2 + this.int(8)}${digits(2)} ${digits(4)}`,
      () => `+49 30 ${digits(8)}`,
      () => `+33 6 ${digits(2)} ${digits(2)} ${digits(2)} ${digits(2)}`,
    ])();
  }

  card(): string {
    const prefix = this.pick(['4', '51', '52', '55']);
    const digits = [...prefix].map(Number);
    while (digits.length < 15) digits.push(this.int(10));
    let sum = 0;
    for (let i = 0; i < 15; i++) {
      const d = digits[14 - i] as number;
      sum += i % 2 === 0 ? (d * 2 > 9 ? d * 2 - 9 : d * 2) : d;
    }
    digits.push((10 - (sum % 10)) % 10);
    const plain = digits.join('');
    return this.chance(0.5) ? plain : (plain.match(/\d{4}/g) ?? []).join(' ');
  }

  iban(): string {
    const digits = (n: number) => Array.from({ length: n }, () => this.int(10)).join('');
    const de = () => composeIBAN({ countryCode: 'DE', bban: digits(18) });
    const fr = () => composeIBAN({ countryCode: 'FR', bban: `${digits(10)}${digits(11)}${digits(2)}` });
    return (this.chance(0.7) ? de() : fr()) ?? de() ?? '';
  }

  ssn(): string {
    const area = 100 + this.int(565);
    return `${area}-${String(10 + this.int(89))}-${String(1000 + this.int(8999))}`;
  }

  secret(): string {
    const makers = Object.values(POSITIVE_MAKERS);
    for (;;) {
      const placed = this.pick(makers)(this.random);
      if (placed.isMultiline !== true && !placed.text.includes('\n')) return placed.text;
    }
  }

  sensitiveSentence(): string {
    return this.pick([
      () => `You can reach me at ${this.email()} any time.`,
      () => `My phone number is ${this.phone()}, call after six.`,
      () => `The card I used was ${this.card()} and it expires next year.`,
      () => `Please refund it to IBAN ${this.iban()} instead.`,
      () => `Hi, this is ${this.name()} from ${this.pick(CITIES)}.`,
      () => `My SSN is ${this.ssn()} if you need it for the form.`,
      () => `Here is the config line: ${this.secret()}`,
    ])();
  }

  record(kind: Kind, n: number): string {
    switch (kind) {
      case 'log':
        return this.logLine(n);
      case 'csv':
        return this.csvRow(n);
      case 'jsonl':
        return this.chatLine(n);
      case 'md':
        return this.markdownBlock();
    }
  }

  logLine(n: number): string {
    const level = this.pick(['INFO', 'INFO', 'INFO', 'DEBUG', 'WARN', 'ERROR']);
    const ts = this.timestamp();
    if (this.chance(0.01)) return `${ts} ${level} auth login ok user=${this.email()} session=${this.hex(16)}`;
    if (this.chance(0.005)) return `${ts} DEBUG env dump ${this.secret()}`;
    if (this.chance(0.01)) return `${ts} WARN payment declined card=${this.card()} reason=do_not_honor`;
    return this.pick([
      () =>
        `${ts} ${level} [http-worker-${this.int(16)}] ${this.pick(['GET', 'POST', 'PUT'])} /api/v1/${this.pick(VOCABULARY)}s/${this.int(1e6)} ${this.pick([200, 200, 201, 204, 404, 500])} ${this.int(900)}ms req=${this.hex(16)}`,
      () =>
        `${ts} ${level} com.acme.${this.pick(VOCABULARY)}.${this.pick(['Service', 'Worker', 'Client'])} - ${this.words(5 + this.int(10))} attempt=${this.int(5)} id=${n}`,
      () =>
        JSON.stringify({
          ts,
          level: level.toLowerCase(),
          msg: this.words(4 + this.int(8)),
          trace_id: this.hex(32),
          duration_ms: this.int(5000),
          job: `${this.pick(VOCABULARY)}-${this.int(100)}`,
        }),
      () =>
        `${ts} ${level} batch ${n} processed rows=${this.int(1e5)} skipped=${this.int(50)} in ${this.random().toFixed(3)}s`,
    ])();
  }

  csvRow(n: number): string {
    const contact = this.chance(0.03)
      ? this.email()
      : this.chance(0.02)
        ? this.phone()
        : this.pick(['', '', 'n/a', 'via portal']);
    const note = this.chance(0.01)
      ? `card ${this.card()}`
      : this.chance(0.01)
        ? `refund to ${this.iban()}`
        : this.chance(0.005)
          ? this.secret()
          : this.chance(0.4)
            ? this.words(2 + this.int(8))
            : '';
    const cells = [
      `ORD-${String(n).padStart(8, '0')}`,
      this.timestamp(),
      `C${100000 + this.int(900000)}`,
      `SKU-${this.hex(6).toUpperCase()}`,
      String(1 + this.int(5)),
      (this.random() * 200).toFixed(2),
      this.pick(['EUR', 'USD', 'GBP']),
      this.pick(['paid', 'shipped', 'delivered', 'refunded', 'cancelled']),
      this.pick(['DE', 'FR', 'GB', 'US', 'ES', 'IT', 'NL']),
      this.pick(['web', 'app', 'store', 'phone']),
      contact,
      note,
    ];
    return cells.map(csvCell).join(',');
  }

  chatLine(n: number): string {
    const turns = 2 + this.int(5);
    const messages = [{ role: 'system', content: 'You are a helpful support assistant for Acme.' }];
    for (let i = 0; i < turns; i++) {
      const role = i % 2 === 0 ? 'user' : 'assistant';
      messages.push({ role, content: this.prose(1 + this.int(6), role === 'user' ? 0.04 : 0.005) });
    }
    return JSON.stringify({
      id: `conv_${String(n).padStart(7, '0')}`,
      created: this.timestamp(),
      model: this.pick(['gpt-4o-mini', 'llama-3-8b-instruct', 'mistral-7b']),
      messages,
      metadata: {
        tokens: this.int(4000),
        rating: 1 + this.int(5),
        locale: this.pick(['en-US', 'en-GB', 'de-DE']),
      },
    });
  }

  markdownBlock(): string {
    return this.pick([
      () => `## ${this.sentence().slice(0, -1)}\n`,
      () => `${this.prose(2 + this.int(5), 0.01)}\n`,
      () => `${this.prose(2 + this.int(5), 0.01)}\n`,
      () =>
        Array.from({ length: 2 + this.int(4) }, () => `- ${this.words(3 + this.int(8))}`).join('\n') + '\n',
      () =>
        `\`\`\`yaml\n${this.pick(VOCABULARY)}:\n  retries: ${this.int(9)}\n  timeout: ${this.int(60)}s\n` +
        `${this.chance(0.05) ? `  ${this.secret()}\n` : ''}\`\`\`\n`,
      () =>
        `| ${this.words(3).replaceAll(' ', ' | ')} |\n| --- | --- | --- |\n| ${this.int(100)} | ${this.int(100)} | ${this.pick(VOCABULARY)} |\n`,
    ])();
  }
}

function csvCell(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
