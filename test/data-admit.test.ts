import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyAttestation, type Statement } from '../src/core/attestation.js';
import { DATASET_ADMISSION_PREDICATE } from '../src/core/predicate-types.js';
import { loadTrustedKey } from '../src/core/keys.js';
import { readFileSync } from 'node:fs';
import { DATA_OUTPUT_SCHEMAS } from '../src/cli/data-schemas.js';
import { openStore } from '../src/store/open-store.js';
import { writeKeyPair, writeModel } from './support/model-fixtures.js';
import { runCli, type CliRun } from './support/run-cli.js';

// Valid-looking values that the recognizers validate (Luhn, SSN ranges, AWS key shape).
const EMAILS = ['alice@example.com', 'bob@example.org', 'carol@example.net'];
const SSN = '536-22-8726';
const AWS_KEY = 'AKIAZ3MSJV4WWNKWW5FG';

interface Outcome {
  verdict: 'admitted' | 'rejected';
  reasons: { kind: string; message: string; count: number }[];
  dataset: { name: string; rootDigest: string; files: number; bytes: number };
  labels: {
    label: string;
    columns: Record<string, Record<string, string>>;
    entities: Record<string, number>;
  };
  scanId: string;
  approver?: string;
  attestation: { id: string; payloadDigest: string; keyId: string };
  lineageRunId: string;
}

describe('data admit: the admission gate (control D5)', () => {
  let dir: string;
  const cli = (args: string[]): Promise<CliRun> => runCli(args, dir);
  const admit = async (extra: string[] = [], dataset = 'ds'): Promise<{ run: CliRun; outcome: Outcome }> => {
    const run = await cli(['data', 'admit', dataset, '--key', 'gov.key', '--format', 'json', ...extra]);
    expect(run.stderr).toBe('');
    const parsed: unknown = JSON.parse(run.stdout);
    // Every JSON output is what docs/schema/data-admit.schema.json says.
    expect(DATA_OUTPUT_SCHEMAS.admit.safeParse(parsed).error).toBeUndefined();
    return { run, outcome: parsed as Outcome };
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bw-admit-'));
    writeKeyPair(dir, 'gov');
    mkdirSync(join(dir, 'ds'));
    writeFileSync(
      join(dir, 'ds', 'users.csv'),
      `id,email,comment\n${EMAILS.map((e, i) => `${i + 1},${e},ordinary comment ${i}`).join('\n')}\n`,
    );
    writeFileSync(join(dir, 'ds', 'notes.md'), '# Notes\n\nNothing sensitive in here, only prose.\n');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('admits a dataset with personal data, labels its column, signs the verdict and keeps the evidence', async () => {
    const { run, outcome } = await admit(['--approver', 'data-gov']);
    expect(run.code).toBe(0);
    expect(outcome).toMatchObject({
      verdict: 'admitted',
      reasons: [],
      dataset: { name: 'ds', files: 2 },
      labels: {
        label: 'confidential',
        columns: { 'users.csv': { email: 'confidential' } },
        entities: { EMAIL_ADDRESS: 3 },
      },
      approver: 'data-gov',
    });

    // The signed statement is about the manifest's root digest and says what the output says.
    const envelopeFile = join(dir, 'admission.json');
    const again = await cli(['data', 'admit', 'ds', '--key', 'gov.key', '--output', envelopeFile]);
    expect(again.code).toBe(0);
    const verdict = verifyAttestation(
      readFileSync(envelopeFile, 'utf8'),
      [loadTrustedKey(readFileSync(join(dir, 'gov.pub'), 'utf8'))],
      {
        subjectDigest: outcome.dataset.rootDigest as `sha256:${string}`,
        predicateType: DATASET_ADMISSION_PREDICATE,
      },
    );
    expect(verdict.ok).toBe(true);
    const predicate = (verdict as { statement: Statement }).statement.predicate as Record<string, unknown>;
    expect(predicate).toMatchObject({
      verdict: 'admitted',
      entities: { EMAIL_ADDRESS: 3 },
      labels: { dataset: 'confidential', columns: { 'users.csv': { email: 'confidential' } } },
      policy: { blockCategories: ['secret'], maxLabel: 'restricted' },
    });

    const verify = await cli([
      'attest',
      'verify',
      '--subject',
      outcome.dataset.rootDigest,
      '--key',
      'gov.pub',
      '--predicate-type',
      DATASET_ADMISSION_PREDICATE,
    ]);
    expect(verify.code).toBe(0);

    const store = await openStore({ home: join(dir, '.bulwark') });
    try {
      const [labels] = await store.listDatasetLabels({ digest: outcome.dataset.rootDigest });
      expect(labels).toMatchObject({ label: 'confidential', source: 'admission' });
      const [decision] = await store.listDecisions({ subjectDigest: outcome.dataset.rootDigest });
      expect(decision).toMatchObject({ action: 'admit-dataset', verdict: 'allow' });
      const runs = await store.listLineageEvents({ runId: outcome.lineageRunId });
      expect(runs).toHaveLength(1);
      expect(runs[0]?.datasets).toEqual([
        expect.objectContaining({ direction: 'input', digest: outcome.dataset.rootDigest }),
      ]);
    } finally {
      await store.close();
    }
    const audit = await cli(['audit', 'verify']);
    expect(audit.code).toBe(0);
    const log = await cli(['audit', 'export']);
    expect(log.stdout).toContain('"action":"dataset-admission"');
    // Nothing sensitive is ever echoed.
    for (const email of EMAILS) {
      expect(run.stdout).not.toContain(email);
      expect(log.stdout).not.toContain(email);
    }
  });

  it('rejects unredacted secrets, still signing the rejection, and exits 1', async () => {
    writeFileSync(join(dir, 'ds', 'settings.env'), `AWS_ACCESS_KEY_ID=${AWS_KEY}\n`);
    const { run, outcome } = await admit();
    expect(run.code).toBe(1);
    expect(outcome.verdict).toBe('rejected');
    expect(outcome.reasons.map((r) => [r.kind, r.count])).toEqual([['category', 1]]);
    expect(outcome.reasons[0]?.message).toContain('secret');
    expect(outcome.labels.label).toBe('restricted');
    expect(outcome.labels.columns['settings.env']).toEqual({ '*': 'restricted' });
    expect(run.stdout).not.toContain(AWS_KEY);
    const table = await cli(['data', 'admit', 'ds', '--key', 'gov.key']);
    expect(table.stdout).toMatch(/^REJECTED {2}ds \(sha256:[0-9a-f]{64}\)/);
    expect(table.stdout).toContain('✗ 1 secret finding(s)');
  });

  it('applies data.admission: a label ceiling, blocked entities, a required approver', async () => {
    // Several rows: a one-row CSV reads as text, where the header is not context for the value.
    writeFileSync(join(dir, 'ds', 'people.csv'), `name,ssn\nSam,${SSN}\nAnn,078-05-1120\nBo,536-22-8727\n`);
    writeFileSync(
      join(dir, 'bulwark.yaml'),
      'data:\n  admission:\n    maxLabel: confidential\n    blockEntities: [US_SSN]\n    requireApprover: true\n',
    );
    const { run, outcome } = await admit();
    expect(run.code).toBe(1);
    expect(outcome.reasons.map((r) => r.kind)).toEqual(['entity', 'label', 'approver']);
    expect(outcome.reasons[1]?.message).toContain('people.csv:ssn');

    // Relabelling the entity and dropping the ceiling admits it; the approver is still required.
    writeFileSync(
      join(dir, 'bulwark.yaml'),
      'data:\n  labels:\n    entities: { US_SSN: confidential }\n  admission:\n    requireApprover: true\n',
    );
    const approved = await admit(['--approver', 'dpo@example.com']);
    expect(approved.outcome).toMatchObject({ verdict: 'admitted', labels: { label: 'confidential' } });
  });

  it('fails closed on files the scan did not read: ignored or over the size limit', async () => {
    writeFileSync(join(dir, 'ds', '.bulwarkignore'), 'hidden.txt\n');
    writeFileSync(join(dir, 'ds', 'hidden.txt'), `AWS_ACCESS_KEY_ID=${AWS_KEY}\n`);
    const ignored = await admit();
    expect(ignored.outcome.verdict).toBe('rejected');
    expect(ignored.outcome.reasons.map((r) => r.kind)).toEqual(['not-scanned']);
    expect(ignored.outcome.reasons[0]?.message).toContain('hidden.txt');

    rmSync(join(dir, 'ds', '.bulwarkignore'));
    rmSync(join(dir, 'ds', 'hidden.txt'));
    writeFileSync(join(dir, 'bulwark.yaml'), 'scan:\n  maxFileSize: 60\n');
    const tooBig = await admit();
    expect(tooBig.outcome.reasons.map((r) => r.kind)).toEqual(['not-scanned']);
  });

  it('blocks on poisoning findings when the columns are given', async () => {
    const rows = ['text,label'];
    for (let i = 0; i < 300; i++)
      rows.push(`review number ${i} of an ordinary product,${i % 2 ? 'pos' : 'neg'}`);
    // The same text twice with opposite labels is a label conflict.
    rows.push('this product is fine,pos', 'this product is fine,neg');
    writeFileSync(join(dir, 'ds', 'train.csv'), `${rows.join('\n')}\n`);
    rmSync(join(dir, 'ds', 'users.csv'));
    writeFileSync(join(dir, 'bulwark.yaml'), 'data:\n  admission:\n    failOn: medium\n');
    const plain = await admit();
    expect(plain.outcome.verdict).toBe('admitted');
    // Label conflicts are medium: the policy here blocks at medium.
    writeFileSync(join(dir, 'bulwark.yaml'), 'data:\n  admission:\n    failOn: medium\n');
    const checked = await admit(['--text-column', 'text', '--label-column', 'label']);
    expect(checked.run.code).toBe(1);
    expect(checked.outcome.reasons.map((r) => r.kind)).toEqual(['finding']);
    expect(checked.outcome.reasons[0]?.message).toMatch(/BW-DATA-1\d\d/);
  });

  it('is what the release policy needs for dataset admission', async () => {
    writeFileSync(
      join(dir, 'bulwark.yaml'),
      `release:\n  policies:\n    - aliases: [production]\n      attesters: [gov.pub]\n      signature: { keys: [gov.pub] }\n      datasets: { requireProvenance: true, requireAdmission: true }\n`,
    );
    const { outcome } = await admit();
    const model = writeModel(dir, 'model');
    expect((await cli(['sign', model, '--key', 'gov.key'])).code).toBe(0);
    expect((await cli(['registry', 'push', model, '--name', 'acme/m', '--version', '1'])).code).toBe(0);
    const training = await cli([
      'attest',
      'training',
      '--model',
      'acme/m@1',
      '--dataset',
      `ds=${outcome.dataset.rootDigest}`,
      '--code-commit',
      'a'.repeat(40),
      '--key',
      'gov.key',
    ]);
    expect(training.code).toBe(0);
    const promoted = await cli(['registry', 'promote', 'acme/m@1', '--alias', 'production']);
    expect(promoted.stdout).not.toContain('UNMET');
    expect(promoted.code).toBe(0);

    // A later admission that rejects the same bytes overrides the earlier one.
    writeFileSync(
      join(dir, 'bulwark.yaml'),
      `${readFileSync(join(dir, 'bulwark.yaml'), 'utf8')}data:\n  admission:\n    maxLabel: internal\n`,
    );
    const rejected = await admit();
    expect(rejected.outcome.verdict).toBe('rejected');
    const refused = await cli(['deploy', 'check', 'acme/m@production']);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/UNMET {2}dataset-admission/);
  });

  it('gives one line for bad input', async () => {
    const missing = await cli(['data', 'admit', 'nope', '--key', 'gov.key']);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    const noKey = await cli(['data', 'admit', 'ds', '--key', 'absent.key']);
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toMatch(/absent\.key/);
    const blank = await cli(['data', 'admit', 'ds', '--key', 'gov.key', '--approver', ' ']);
    expect(blank.code).toBe(2);
    expect(blank.stderr).toContain('--approver');
  });

  it('data label stores labels and reports a change against the same bytes or the previous version', async () => {
    const first = await cli(['data', 'label', 'ds', '--format', 'json']);
    expect(first.code).toBe(0);
    const firstOutcome = JSON.parse(first.stdout) as { labels: { label: string }; changed: boolean };
    expect(firstOutcome).toMatchObject({ labels: { label: 'confidential' }, changed: false });
    expect(firstOutcome).not.toHaveProperty('previous');

    const same = await cli(['data', 'label', 'ds', '--fail-on-change']);
    expect(same.code).toBe(0);
    expect(same.stdout).toContain('unchanged since');

    const rows = Array.from({ length: 5 }, (_, i) => `${i},key-${i},${AWS_KEY}`).join('\n');
    writeFileSync(join(dir, 'ds', 'keys.csv'), `id,name,token\n${rows}\n`);
    const changed = await cli(['data', 'label', 'ds', '--fail-on-change', '--format', 'json']);
    expect(changed.code).toBe(1);
    expect(DATA_OUTPUT_SCHEMAS.label.safeParse(JSON.parse(changed.stdout)).error).toBeUndefined();
    expect(JSON.parse(changed.stdout)).toMatchObject({
      labels: { label: 'restricted', columns: { 'keys.csv': { token: 'restricted' } } },
      previous: { label: 'confidential', of: 'previous-version' },
      changed: true,
    });
    const log = await cli(['audit', 'export']);
    expect(log.stdout).toContain('"action":"dataset-label"');
    expect(log.stdout).not.toContain(AWS_KEY);
  });
});
