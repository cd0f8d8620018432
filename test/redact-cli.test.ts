import { createHash } from 'node:crypto';
import { existsSync, linkSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { redactReportSchema, unredactReportSchema } from '../src/data/redact/redact-schema.js';
import { openStore } from '../src/store/open-store.js';
import { runCli, type CliRun } from './support/run-cli.js';

const EMAIL = 'jane.doe@acme-corp.io';
const PHONE = '+1 415-555-2671';
const CSV = `id,name,email,phone,note\n1,Jane Doe,${EMAIL},${PHONE},"a, b"\n2,x,"${EMAIL}",n/a,"line\nbreak"\n3,y,none,none,plain\n`;
const sha256 = (bytes: Buffer): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

describe('bulwark redact / unredact', () => {
  let dir: string;
  let keyText: string;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bw-redact-'));
    writeFileSync(join(dir, 'people.csv'), CSV);
    expect((await run('keys', 'generate-encryption-key', '-o', 'data.key')).code).toBe(0);
    keyText = readFileSync(join(dir, 'data.key'), 'utf8').trim();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const run = (...args: string[]): Promise<CliRun> => runCli(args, dir);
  const at = (...parts: string[]): string => join(dir, ...parts);
  const listing = (): string[] =>
    readdirSync(dir)
      .filter((name) => name !== '.bulwark')
      .sort();

  it('describes both verbs in --help', async () => {
    expect((await run('--help')).stdout).toMatch(
      /redact \[options\] <input>[\s\S]*unredact \[options\] <input>/,
    );
    for (const verb of ['redact', 'unredact']) {
      const help = await run(verb, '--help');
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`Usage: bulwark ${verb} \\[options\\] <input>`));
      expect(help.stdout).toContain('--key <file>');
      expect(help.stdout).toContain('Exit codes:');
    }
  });

  it('masks by default, writes the same format and prints a summary without values', async () => {
    const result = await run('redact', 'people.csv', '-o', 'masked.csv');
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(
      /^redacted people\.csv -> masked\.csv \(csv, mask\): 6 value\(s\) in 6 of 15 cell\(s\)\n/,
    );
    expect(result.stdout).toMatch(/ {2}EMAIL_ADDRESS +2\n/);
    const masked = readFileSync(at('masked.csv'), 'utf8');
    expect(masked).not.toContain(EMAIL);
    expect(masked).not.toContain(PHONE);
    expect(masked).toContain('"a, b"');
    expect(masked).toContain('"line\nbreak"');
    for (const text of [result.stdout, masked]) expect(text).not.toContain('jane.doe');
  });

  it('round-trips with encrypt and unredact, reports JSON per the schema and logs both', async () => {
    const sealed = await run(
      'redact',
      'people.csv',
      '-o',
      'sealed.csv',
      '--operator',
      'encrypt',
      '-k',
      'data.key',
      '--format',
      'json',
    );
    expect(sealed.code).toBe(0);
    const report = redactReportSchema.parse(JSON.parse(sealed.stdout));
    expect(report).toMatchObject({
      format: 'csv',
      operator: 'encrypt',
      replacements: 6,
      byEntity: { EMAIL_ADDRESS: 2, PERSON: 3, PHONE_NUMBER: 1 },
      input: { digest: sha256(Buffer.from(CSV)) },
    });
    expect(report.keyId).toMatch(/^local:[0-9a-f]{16}$/);
    expect(readFileSync(at('sealed.csv'), 'utf8')).toMatch(/<EMAIL_ADDRESS#enc1:/);

    const restored = await run(
      'unredact',
      'sealed.csv',
      '-o',
      'restored.csv',
      '--key',
      'data.key',
      '--format',
      'json',
    );
    expect(restored.code).toBe(0);
    const back = unredactReportSchema.parse(JSON.parse(restored.stdout));
    expect(back).toMatchObject({
      tokens: 6,
      keyId: report.keyId,
      output: { digest: sha256(Buffer.from(CSV)) },
    });
    expect(readFileSync(at('restored.csv'), 'utf8')).toBe(CSV);

    const log = await run('audit', 'export');
    const events = log.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { kind: string; data: Record<string, unknown> })
      .filter((entry) => entry.data['event'] === 'redaction');
    expect(events.map((entry) => [entry.kind, entry.data['action'], entry.data['outcome']])).toEqual([
      ['event', 'redact', 'ok'],
      ['event', 'unredact', 'ok'],
    ]);
    expect(events[0]?.data).toMatchObject({
      operator: 'encrypt',
      replacements: 6,
      input: { digest: report.input.digest },
    });
    expect(log.stdout).not.toContain(EMAIL);
    expect(log.stdout).not.toContain(keyText);
    expect((await run('audit', 'verify')).code).toBe(0);

    const store = await openStore({ home: at('.bulwark') });
    try {
      // Both files are datasets by manifest (one file each), linked by a lineage run.
      const datasets = await store.listArtifacts({ kind: 'dataset' });
      const fileDigests = datasets.map((a) => {
        const manifest = a.metadata['manifest'] as { files: { sha256: string }[] };
        return `sha256:${manifest.files[0]?.sha256 ?? ''}`;
      });
      expect(fileDigests).toEqual(expect.arrayContaining([report.input.digest, report.output.digest]));
      const [run] = await store.listLineageEvents({ limit: 1 });
      expect(run?.jobName).toBe('unredact');
      const redactRuns = (await store.listLineageEvents()).filter((e) => e.jobName === 'redact');
      expect(redactRuns).toHaveLength(1);
      expect(redactRuns[0]?.datasets.map((d) => d.direction).sort()).toEqual(['input', 'output']);
    } finally {
      await store.close();
    }
  });

  it('round-trips Parquet, and takes the key from an environment variable', async () => {
    const rows = { email: [EMAIL, null, 'none'], card: [4111111111111111n, 7n, null], age: [30, null, 32] };
    writeFileSync(
      at('people.parquet'),
      new Uint8Array(
        parquetWriteBuffer({
          columnData: [
            { name: 'email', data: rows.email, type: 'STRING' },
            { name: 'card', data: rows.card, type: 'INT64' },
            { name: 'age', data: rows.age, type: 'INT32' },
          ],
        }),
      ),
    );
    const env = { REDACT_KEY: keyText };
    const sealed = await runCli(
      [
        'redact',
        'people.parquet',
        '-o',
        'sealed.parquet',
        '--operator',
        'encrypt',
        '--key-env',
        'REDACT_KEY',
      ],
      dir,
      env,
    );
    expect(sealed.code).toBe(0);
    expect(sealed.stdout).toContain('became string columns to hold replacements');
    const restored = await runCli(
      ['unredact', 'sealed.parquet', '-o', 'restored.parquet', '--key-env', 'REDACT_KEY'],
      dir,
      env,
    );
    expect(restored.code).toBe(0);
    const read = (name: string): Promise<Record<string, unknown>[]> =>
      parquetReadObjects({ file: new Uint8Array(readFileSync(at(name))).buffer });
    expect(await read('restored.parquet')).toEqual(await read('people.parquet'));
    expect(
      JSON.stringify(await read('sealed.parquet'), (_k, v: unknown) =>
        typeof v === 'bigint' ? String(v) : v,
      ),
    ).not.toContain(EMAIL);
  });

  it('fails with one line, exit 1 and no output on a wrong key or a changed token', async () => {
    expect(
      (await run('redact', 'people.csv', '-o', 'sealed.csv', '--operator', 'encrypt', '-k', 'data.key')).code,
    ).toBe(0);
    expect((await run('keys', 'generate-encryption-key', '-o', 'other.key')).code).toBe(0);
    const before = listing();
    const wrong = await run('unredact', 'sealed.csv', '-o', 'restored.csv', '-k', 'other.key');
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(
      /^bulwark: unredact failed: the \w+ token at line 2 does not authenticate with key local:[0-9a-f]{16}: wrong key.*; nothing was written\n$/,
    );
    expect(listing()).toEqual(before);

    const text = readFileSync(at('sealed.csv'), 'utf8');
    writeFileSync(
      at('tampered.csv'),
      text.replace(
        /(<PHONE_NUMBER#enc1:[a-z2-7]{5})([a-z2-7])/,
        (_a, head: string, c: string) => head + (c === 'a' ? 'b' : 'a'),
      ),
    );
    const changed = await run('unredact', 'tampered.csv', '-o', 'restored.csv', '-k', 'data.key');
    expect(changed.code).toBe(1);
    expect(changed.stderr).toMatch(/PHONE_NUMBER token at line 2 .*the token was changed/);
    expect(existsSync(at('restored.csv'))).toBe(false);
    const log = await run('audit', 'export');
    expect(log.stdout).toContain('"outcome":"failed"');
  });

  it('never writes over the input, and over an existing output only with --force', async () => {
    const same = await run('redact', 'people.csv', '-o', './people.csv');
    expect(same).toMatchObject({
      code: 2,
      stderr: 'bulwark: the output ./people.csv is the input: name another file\n',
    });
    linkSync(at('people.csv'), at('alias.csv'));
    expect((await run('redact', 'people.csv', '-o', 'alias.csv', '--force')).code).toBe(2);
    expect(readFileSync(at('people.csv'), 'utf8')).toBe(CSV);

    writeFileSync(at('out.csv'), 'keep me');
    const exists = await run('redact', 'people.csv', '-o', 'out.csv');
    expect(exists).toMatchObject({ code: 2, stderr: 'bulwark: out.csv exists: use --force to replace it\n' });
    expect(readFileSync(at('out.csv'), 'utf8')).toBe('keep me');
    expect((await run('redact', 'people.csv', '-o', 'out.csv', '--force')).code).toBe(0);
    expect(readFileSync(at('out.csv'), 'utf8')).not.toContain(EMAIL);
  });

  it('hashes with a key or a salt file, deterministically, and needs one', async () => {
    const none = await run('redact', 'people.csv', '-o', 'h.csv', '--operator', 'hash');
    expect(none).toMatchObject({ code: 2 });
    expect(none.stderr).toMatch(/^bulwark: a key is needed: --key FILE or --key-env VAR/);
    writeFileSync(at('salt.bin'), 'sixteen or more secret bytes');
    expect(
      (await run('redact', 'people.csv', '-o', 'h1.csv', '--operator', 'hash', '--salt-file', 'salt.bin'))
        .code,
    ).toBe(0);
    expect(
      (await run('redact', 'people.csv', '-o', 'h2.csv', '--operator', 'hash', '--salt-file', 'salt.bin'))
        .code,
    ).toBe(0);
    const first = readFileSync(at('h1.csv'), 'utf8');
    expect(first).toBe(readFileSync(at('h2.csv'), 'utf8'));
    const tokens = first.match(/<EMAIL_ADDRESS#hmac:[a-z2-7]{24}>/g) ?? [];
    expect(tokens).toHaveLength(2);
    expect(tokens[0]).toBe(tokens[1]);
    const salted = await run(
      'redact',
      'people.csv',
      '-o',
      'e.csv',
      '--operator',
      'encrypt',
      '--salt-file',
      'salt.bin',
    );
    expect(salted.stderr).toMatch(/encrypt operator needs a key/);
  });

  it('takes entities, per-entity operators, a replacement and the config recognizers', async () => {
    writeFileSync(
      at('bulwark.yaml'),
      [
        'scanners:',
        '  data:',
        '    recognizers:',
        '      - id: acme.employee-id',
        '        entity: EMPLOYEE_ID',
        '        category: pii',
        '        patterns:',
        '          - name: emp',
        "            regex: 'EMP-\\d{6}'",
        '            score: 0.9',
        '',
      ].join('\n'),
    );
    writeFileSync(at('notes.txt'), `EMP-123456 mailed ${EMAIL} from ${PHONE}\n`);
    const result = await run(
      'redact',
      'notes.txt',
      '-o',
      'out.txt',
      '--operator',
      'replace',
      '--replacement',
      '[{entity}]',
      '--entities',
      'EMPLOYEE_ID,EMAIL_ADDRESS',
      '--entity-operator',
      'EMAIL_ADDRESS=mask',
    );
    expect(result.code).toBe(0);
    expect(readFileSync(at('out.txt'), 'utf8')).toBe(`[EMPLOYEE_ID] mailed j***@a***.io from ${PHONE}\n`);

    const unknown = await run('redact', 'notes.txt', '-o', 'x.txt', '--entities', 'EMAIL');
    expect(unknown).toMatchObject({
      code: 2,
      stderr: 'bulwark: --entities: unknown entity type EMAIL (did you mean EMAIL_ADDRESS?)\n',
    });
    const badOperator = await run(
      'redact',
      'notes.txt',
      '-o',
      'x.txt',
      '--entity-operator',
      'EMAIL_ADDRESS=shred',
    );
    expect(badOperator.code).toBe(2);
    expect(badOperator.stderr).toMatch(/expected ENTITY=OPERATOR/);
  });

  it('reports a JSON syntax error as one line and leaves no output', async () => {
    writeFileSync(at('broken.json'), '[{"email": "jane.doe@acme-corp.io"}, {"x" 1}]');
    const before = listing();
    const result = await run('redact', 'broken.json', '-o', 'out.json', '--input-format', 'json');
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr).toMatch(
      /^bulwark: not valid JSON: unexpected 1 at line 1, column 43; redact it as text with --input-format text\n$/,
    );
    expect(listing()).toEqual(before);
    const asText = await run('redact', 'broken.json', '-o', 'out.json', '--input-format', 'text');
    expect(asText.code).toBe(0);
    expect(readFileSync(at('out.json'), 'utf8')).not.toContain(EMAIL);
  });
});
