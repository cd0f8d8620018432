import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, type CliRun } from './support/run-cli.js';

const EMAILS = ['jane.doe@acme-corp.io', 'max.mustermann@example.de', 'li.wei@example.cn'];
const CSV = `id,email,note\n${EMAILS.map((e, i) => `${i},${e},note ${i}`).join('\n')}\n`;

interface Shown {
  label?: { label: string; source: string };
  effectiveLabel?: string;
  declassified: boolean;
}

describe('redaction labels and lineage (controls D2, D3, D8)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bw-redact-lineage-'));
    writeFileSync(join(dir, 'people.csv'), CSV);
    expect((await run('keys', 'generate-encryption-key', '-o', 'data.key')).code).toBe(0);
    expect((await run('data', 'label', 'people.csv')).code).toBe(0);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const run = (...args: string[]): Promise<CliRun> => runCli(args, dir);
  const show = async (path: string): Promise<Shown> => {
    const shown = await run('lineage', 'show', path, '--format', 'json');
    expect(shown.stderr).toBe('');
    return (JSON.parse(shown.stdout) as { dataset: Shown }).dataset;
  };

  it('a full redaction declassifies its copy, a partial one inherits, an unredaction restores', async () => {
    expect((await show('people.csv')).label).toMatchObject({ label: 'confidential', source: 'scan' });

    expect(
      (await run('redact', 'people.csv', '-o', 'clean.csv', '--operator', 'encrypt', '-k', 'data.key')).code,
    ).toBe(0);
    const clean = await show('clean.csv');
    expect(clean.label).toMatchObject({ label: 'internal', source: 'redaction' });
    expect(clean).toMatchObject({ effectiveLabel: 'internal', declassified: true });

    // Only phone numbers redacted: the e-mails are still in the copy, which keeps the input's label.
    expect((await run('redact', 'people.csv', '-o', 'partial.csv', '--entities', 'PHONE_NUMBER')).code).toBe(
      0,
    );
    expect((await show('partial.csv')).effectiveLabel).toBe('confidential');

    expect((await run('unredact', 'clean.csv', '-o', 'restored.csv', '-k', 'data.key')).code).toBe(0);
    expect((await show('restored.csv')).effectiveLabel).toBe('confidential');

    const exported = await run('lineage', 'export');
    const jobs = exported.stdout
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { job: { name: string } }).job.name);
    expect(jobs.sort()).toEqual(['redact', 'redact', 'unredact']);
    for (const email of EMAILS) expect(exported.stdout).not.toContain(email);
  });
});
