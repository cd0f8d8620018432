/**
 * Content sniffing as the data and dependency scanners see it (controls D1, D7, R4, T2): a Jupyter
 * notebook far larger than the 4 KiB sniffing window, whose `nbformat` key Jupyter writes last, is
 * still a notebook, so `scan deps` checks its cells for `trust_remote_code=True` and `scan data`
 * locates its secrets in the raw `.ipynb`; a Latin-1 Java properties file is text, not binary, so
 * its secret is found at the right column.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesSource } from '../src/core/scan/byte-sources.js';
import { identifySource, SNIFF_HEAD_BYTES } from '../src/core/scan/sniff.js';
import { runCli } from './support/run-cli.js';
import { seededRandom } from './support/seeded-random.js';

const random = seededRandom(5);
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const chars = (alphabet: string, length: number): string =>
  Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');

const AWS_ID = `AKIA${chars(BASE32, 16)}`;
const AWS_SECRET = chars(`${ALNUM}/+`, 40);

/** A notebook as Jupyter writes it (sorted keys, one-space indent), of about `size` bytes. */
function notebookText(size: number): string {
  const filler = Array.from({ length: Math.ceil(size / 200) }, (_, i) => ({
    cell_type: 'markdown',
    id: `note-${i}`,
    metadata: {},
    source: [`Step ${i}: ${'the loss goes down as the epochs go by. '.repeat(4)}\n`],
  }));
  const code = {
    cell_type: 'code',
    execution_count: 1,
    id: 'load',
    metadata: {},
    outputs: [],
    source: [
      'from transformers import AutoModel\n',
      `os.environ["AWS_ACCESS_KEY_ID"] = "${AWS_ID}"\n`,
      'model = AutoModel.from_pretrained("acme/encoder", trust_remote_code=True)\n',
    ],
  };
  const notebook = {
    cells: [...filler, code],
    metadata: { kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' } },
    nbformat: 4,
    nbformat_minor: 5,
  };
  return `${JSON.stringify(notebook, null, 1)}\n`;
}

/** The 1-based line and column of the one occurrence of `value` in `text`. */
function positionOf(text: string, value: string): { line: number; column: number } {
  const at = text.indexOf(value);
  expect(at).toBeGreaterThanOrEqual(0);
  expect(text.indexOf(value, at + 1)).toBe(-1);
  const lines = text.slice(0, at).split('\n');
  return { line: lines.length, column: (lines[lines.length - 1] ?? '').length + 1 };
}

interface ScanFinding {
  readonly ruleId: string;
  readonly location: { readonly path: string; readonly line?: number; readonly column?: number };
  readonly evidence?: { readonly entity?: string };
}

let dir: string;
const notebook = notebookText(50 * 1024);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'bw-data-sniffing-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function scan(
  verb: 'data' | 'deps',
  files: Readonly<Record<string, Uint8Array>>,
): Promise<ScanFinding[]> {
  const folder = mkdtempSync(join(dir, `${verb}-`));
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(folder, name), bytes);
  const run = await runCli(['scan', verb, '.', '--format', 'json', '--no-store'], folder);
  expect(run.stderr).toBe('');
  return (JSON.parse(run.stdout) as { findings: ScanFinding[] }).findings;
}

describe('a 50 KiB Jupyter notebook', () => {
  const bytes = new TextEncoder().encode(notebook);

  it('is laid out as Jupyter writes it and identified as a notebook', async () => {
    expect(bytes.length).toBeGreaterThan(50 * 1024);
    expect(notebook.indexOf('"nbformat"')).toBeGreaterThan(SNIFF_HEAD_BYTES);
    expect((await identifySource(bytesSource(bytes))).kind).toBe('notebook');
  });

  it('has its trust_remote_code=True found by scan deps', async () => {
    const findings = await scan('deps', { 'train.ipynb': bytes });
    const trust = findings.filter((f) => f.ruleId === 'BW-DEP-012');
    expect(trust).toHaveLength(1);
    expect(trust[0]?.location).toMatchObject({ path: 'train.ipynb', line: 3 });
  });

  it('has its secret found by scan data at the raw .ipynb line and column', async () => {
    const findings = await scan('data', { 'train.ipynb': bytes });
    const aws = findings.filter((f) => f.evidence?.entity === 'AWS_ACCESS_KEY');
    expect(aws.map((f) => f.location)).toEqual([
      {
        path: 'train.ipynb',
        ...positionOf(notebook, AWS_ID),
        endColumn: positionOf(notebook, AWS_ID).column + 20,
      },
    ]);
  });
});

describe('a Java properties file in ISO-8859-1', () => {
  const text = [
    '# Caf\u00e9 cr\u00e8me: configuration du d\u00e9p\u00f4t',
    'greeting=D\u00e9j\u00e0 vu',
    `aws_access_key_id=${AWS_ID}`,
    `cl\u00e9.aws_secret_access_key=${AWS_SECRET}`,
    '',
  ].join('\n');
  const bytes = Uint8Array.from(text, (c) => c.charCodeAt(0));

  it('is text, not binary', async () => {
    expect(bytes.some((b) => b >= 0x80)).toBe(true);
    expect(await identifySource(bytesSource(bytes))).toMatchObject({ kind: 'text', detail: '8-bit' });
  });

  it('has its secret found at the right line and column', async () => {
    const findings = await scan('data', { 'app.properties': bytes });
    const secret = findings.filter((f) => f.evidence?.entity === 'AWS_SECRET_KEY');
    const at = positionOf(text, AWS_SECRET);
    expect(secret.map((f) => f.location)).toEqual([
      { path: 'app.properties', line: 4, column: at.column, endColumn: at.column + 40 },
    ]);
    expect(at.column).toBe('cl\u00e9.aws_secret_access_key='.length + 1);
  });
});
