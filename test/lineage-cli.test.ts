import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lineageJsonSchemas, LINEAGE_SHOW_SCHEMA_FILE } from '../src/lineage/lineage-schema.js';
import { openStore } from '../src/store/open-store.js';
import { runCli, type CliRun } from './support/run-cli.js';

const RUN_A = '0190f0e4-aaaa-7000-8000-00000000000a';

describe('bulwark lineage', () => {
  let dir: string;
  const folders: string[] = [];
  afterAll(() => {
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bulwark-lineage-'));
    folders.push(dir);
    mkdirSync(join(dir, 'raw'));
    writeFileSync(join(dir, 'raw', 'people.csv'), 'name,ssn\nAda,078-05-1120\n');
    writeFileSync(join(dir, 'raw', 'notes.txt'), 'nothing to see\n');
    writeFileSync(join(dir, 'clean.csv'), 'name\nAda\n');
    writeFileSync(join(dir, 'features.csv'), 'f1\n0.5\n');
    writeFileSync(join(dir, 'clean.py'), 'print("clean")\n');
  });

  const cli = async (args: string[], exitCode = 0, env: Record<string, string> = {}): Promise<CliRun> => {
    const run = await runCli(args, dir, env);
    expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(exitCode);
    return run;
  };

  /** Labels the raw folder restricted, as a scan would, straight in the store. */
  async function labelRaw(): Promise<string> {
    const manifest = JSON.parse((await cli(['data', 'manifest', 'raw', '--format', 'json'])).stdout) as {
      rootDigest: string;
    };
    const store = await openStore({ home: join(dir, '.bulwark') });
    try {
      await store.putDatasetLabels({
        digest: manifest.rootDigest,
        label: 'restricted',
        source: 'scan',
        sourceId: 'scan-1',
      });
    } finally {
      await store.close();
    }
    return manifest.rootDigest;
  }

  async function recordChain(): Promise<{
    clean: Record<string, unknown>;
    features: Record<string, unknown>;
  }> {
    const clean = JSON.parse(
      (
        await cli([
          'lineage',
          'record',
          '--job',
          'clean',
          '--input',
          'raw',
          '--output',
          'clean.csv',
          '--code',
          'clean.py',
          '--run-id',
          RUN_A,
          '--format',
          'json',
        ])
      ).stdout,
    ) as Record<string, unknown>;
    await cli([
      'lineage',
      'record',
      '--job',
      'featurize',
      '--namespace',
      'ml',
      '--input',
      'clean.csv',
      '--input',
      's3://features-bucket:ref/lookup.parquet',
      '--output',
      'features.csv',
      '--output-event',
      'featurize.json',
    ]);
    const features = JSON.parse(readFileSync(join(dir, 'featurize.json'), 'utf8')) as Record<string, unknown>;
    return { clean, features };
  }

  it('records a chain, shows where the label comes from, and exports the events byte for byte', async () => {
    const raw = await labelRaw();
    const { clean, features } = await recordChain();
    const cleanOutput = (
      clean['outputs'] as { name: string; facets: Record<string, Record<string, unknown>> }[]
    )[0];
    expect(cleanOutput?.name).toBe(join(dir, 'clean.csv'));
    expect(cleanOutput?.facets['bulwark_sensitivity']).toMatchObject({
      label: 'restricted',
      source: 'lineage',
    });
    const code = createHash('sha256').update('print("clean")\n').digest('hex');
    expect((clean['job'] as { facets: Record<string, unknown> }).facets['sourceCodeLocation']).toMatchObject({
      version: `sha256:${code}`,
    });
    expect(
      (clean['inputs'] as { facets: Record<string, Record<string, unknown>> }[])[0]?.facets['bulwark_digest'],
    ).toMatchObject({ rootDigest: raw, fileCount: 2 });

    const show = await cli(['lineage', 'show', 'features.csv', '--format', 'json']);
    const parsed = JSON.parse(show.stdout) as {
      dataset: { effectiveLabel: string; label: { source: string } };
      origin: unknown;
    };
    const ajv = new Ajv2020({ strict: true, allErrors: true });
    addFormats.default(ajv);
    const validate = ajv.compile(lineageJsonSchemas()[LINEAGE_SHOW_SCHEMA_FILE] as object);
    expect(validate(parsed), JSON.stringify(validate.errors)).toBe(true);
    expect(parsed.dataset).toMatchObject({ effectiveLabel: 'restricted', label: { source: 'lineage' } });
    expect(parsed.origin).toEqual({
      namespace: 'file',
      name: join(dir, 'raw'),
      digest: raw,
      label: 'restricted',
      source: 'scan',
      via: ['bulwark/clean', 'ml/featurize'],
    });
    const table = (await cli(['lineage', 'show', `file:${join(dir, 'features.csv')}`])).stdout;
    expect(table).toContain(
      `origin     restricted from file:${join(dir, 'raw')} (scan) via bulwark/clean -> ml/featurize`,
    );
    expect(table).toContain('s3://features-bucket:ref/lookup.parquet  no digest  unlabelled');

    const exported = (await cli(['lineage', 'export'])).stdout;
    const lines = exported.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0] ?? '')).toEqual(clean);
    expect(JSON.parse(lines[1] ?? '')).toEqual(features);
    expect((await cli(['lineage', 'export', '--run-id', RUN_A])).stdout).toBe(`${lines[0]}\n`);
    expect((await cli(['lineage', 'export', '--dataset', 'features.csv'])).stdout).toBe(`${lines[1]}\n`);
    expect((await cli(['lineage', 'export', '--dataset', raw])).stdout).toBe(`${lines[0]}\n`);
    expect((await cli(['lineage', 'export', '--since', '2999-01-01T00:00:00Z'])).stdout).toBe('');

    // Every record is in the audit log, which still verifies.
    const audit = (await cli(['audit', 'export'])).stdout;
    expect(audit.match(/"action":"lineage-record"/g)).toHaveLength(2);
    await cli(['audit', 'verify']);
  });

  it('ingests its export into a fresh home with the same events, byte for byte, and the labels they claim', async () => {
    await labelRaw();
    await recordChain();
    await cli(['lineage', 'export', '--output', 'events.jsonl']);
    const original = readFileSync(join(dir, 'events.jsonl'), 'utf8');
    const fresh = { BULWARK_HOME: join(dir, 'fresh-home') };
    const ingested = await cli(['lineage', 'ingest', 'events.jsonl'], 0, fresh);
    expect(ingested.stdout).toMatch(
      /^ingested 2 event\(s\) from events\.jsonl: 2 new, 0 already stored; 2 label\(s\) raised/,
    );
    expect((await cli(['lineage', 'export'], 0, fresh)).stdout).toBe(original);
    const again = await cli(['lineage', 'ingest', 'events.jsonl', '--format', 'json'], 0, fresh);
    expect((JSON.parse(again.stdout) as { created: boolean }[]).map((e) => e.created)).toEqual([
      false,
      false,
    ]);
    const show = JSON.parse(
      (await cli(['lineage', 'show', `file:${join(dir, 'features.csv')}`, '--format', 'json'], 0, fresh))
        .stdout,
    ) as {
      dataset: { effectiveLabel: string };
    };
    expect(show.dataset.effectiveLabel).toBe('restricted');
  });

  it('keeps a foreign event with a time offset and unknown facets exactly as received', async () => {
    const event = JSON.stringify({
      eventType: 'START',
      eventTime: '2025-03-04T05:06:07.123456+05:30',
      run: {
        runId: '9b2f3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d',
        facets: { custom_x: { _producer: 'https://x.example', _schemaURL: 'https://x.example/s', n: 1.5 } },
      },
      job: { namespace: 'airflow', name: 'dag.task' },
      inputs: [{ namespace: 'postgres://db:5432', name: 'shop.public.orders' }],
      outputs: [],
      producer: 'https://github.com/apache/airflow',
      schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
    });
    writeFileSync(join(dir, 'one.json'), `${event}\n`);
    await cli(['lineage', 'ingest', 'one.json']);
    const orders = ['lineage', 'export', '--dataset', 'postgres://db:5432:shop.public.orders'];
    expect((await cli(orders)).stdout).toBe(`${event}\n`);
    // 05:06+05:30 is 23:36Z the day before: an event at 00:00Z sorts after it, whatever the text says.
    const later = event
      .replace('2025-03-04T05:06:07.123456+05:30', '2025-03-04T00:00:00Z')
      .replace('9b2f3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d', '9b2f3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8e');
    writeFileSync(join(dir, 'later.json'), JSON.stringify(JSON.parse(later), null, 2));
    await cli(['lineage', 'ingest', 'later.json']);
    expect((await cli(orders)).stdout).toBe(`${event}\n${later}\n`);
    expect((await cli([...orders, '--since', '2025-03-03T23:50:00Z'])).stdout).toBe(`${later}\n`);
  });

  it('names the bad line of an ingest, keeps the events before it and nothing after', async () => {
    await recordChain();
    const [first, second] = (await cli(['lineage', 'export'])).stdout.trimEnd().split('\n');
    const broken = JSON.parse(second ?? '') as { job: Record<string, unknown> };
    delete broken.job['name'];
    const fresh = { BULWARK_HOME: join(dir, 'fresh-home') };
    writeFileSync(join(dir, 'bad.jsonl'), `${first}\n\n${JSON.stringify(broken)}\n${second}\n`);
    const run = await cli(['lineage', 'ingest', 'bad.jsonl'], 2, fresh);
    expect(run.stderr).toBe(
      'bulwark: bad.jsonl line 3: job.name: is required; the 1 event(s) before it were stored, nothing from it or after it\n',
    );
    expect((await cli(['lineage', 'export'], 0, fresh)).stdout).toBe(`${first}\n`);
    expect(
      (await cli(['audit', 'export'], 0, fresh)).stdout.match(/"action":"lineage-ingest"/g),
    ).toHaveLength(1);

    writeFileSync(join(dir, 'garbage.jsonl'), '{"eventTime":\n');
    expect((await cli(['lineage', 'ingest', 'garbage.jsonl'], 2)).stderr).toMatch(
      /^bulwark: garbage\.jsonl line 1: not valid JSON: .*; nothing was stored/,
    );
    expect((await cli(['lineage', 'ingest', 'missing.jsonl'], 2)).stderr).toMatch(
      /^bulwark: events file not found: /,
    );
  });

  it('refuses bad arguments with one line', async () => {
    expect((await cli(['lineage', 'record', '--job', 'j'], 2)).stderr).toBe(
      'bulwark: give at least one --input or --output dataset\n',
    );
    expect((await cli(['lineage', 'record', '--job', 'j', '--input', 'nope'], 2)).stderr).toMatch(
      /dataset not found: nope \(give an existing path or NAMESPACE:NAME\)/,
    );
    expect(
      (await cli(['lineage', 'record', '--job', 'j', '--input', 'raw', '--run-id', 'r1'], 2)).stderr,
    ).toMatch(/--run-id must be a UUID/);
    expect((await cli(['lineage', 'show', 'db:unknown.table'], 2)).stderr).toBe(
      'bulwark: no label or lineage event recorded for db:unknown.table\n',
    );
    expect((await cli(['lineage', 'export', '--since', 'yesterday'], 2)).stderr).toMatch(
      /--since must be an ISO 8601 time/,
    );
    expect((await cli(['lineage', 'export', '--url', 'ftp://x'], 2)).stderr).toMatch(
      /--url must be http or https/,
    );
  });

  describe('export to an OpenLineage HTTP endpoint', () => {
    let server: Server;
    let url: string;
    const received: { method?: string; path?: string; auth?: string; type?: string; body: string }[] = [];
    let failAfter = Infinity;
    afterEach(async () => {
      await new Promise<void>((done) => server.close(() => done()));
      received.length = 0;
      failAfter = Infinity;
    });
    beforeEach(async () => {
      server = createServer((request: IncomingMessage, response) => {
        let body = '';
        request.on('data', (c: Buffer) => (body += c.toString()));
        request.on('end', () => {
          received.push({
            method: request.method,
            path: request.url,
            auth: request.headers.authorization,
            type: request.headers['content-type'],
            body,
          });
          const refuse = received.length > failAfter;
          response.writeHead(refuse ? 400 : 201, { 'content-type': 'application/json' });
          response.end(refuse ? '{"code":400,"message":"job.name must not be null"}' : '');
        });
      });
      await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });

    it('POSTs each event, oldest first, to /api/v1/lineage with the bearer token', async () => {
      await recordChain();
      const lines = (await cli(['lineage', 'export'])).stdout.trimEnd().split('\n');
      const run = await cli(['lineage', 'export', '--url', `${url}/`, '--api-key-env', 'LINEAGE_TOKEN'], 0, {
        LINEAGE_TOKEN: 's3cret',
      });
      expect(run.stdout).toBe(`sent 2 event(s) to ${url}/api/v1/lineage\n`);
      expect(received).toEqual(
        lines.map((body) => ({
          method: 'POST',
          path: '/api/v1/lineage',
          auth: 'Bearer s3cret',
          type: 'application/json',
          body,
        })),
      );
    });

    it('stops at the first refused event and says how many were sent', async () => {
      await recordChain();
      failAfter = 1;
      const run = await cli(['lineage', 'export', '--url', `${url}/api/v1/lineage`], 2);
      expect(run.stderr).toBe(
        `bulwark: ${url}/api/v1/lineage refused event 2 of 2 (run ${(JSON.parse(readFileSync(join(dir, 'featurize.json'), 'utf8')) as { run: { runId: string } }).run.runId}): HTTP 400 {"code":400,"message":"job.name must not be null"}; 1 sent\n`,
      );
      expect(received.map((r) => r.auth)).toEqual([undefined, undefined]);
    });

    it('says when the endpoint cannot be reached', async () => {
      await recordChain();
      await new Promise<void>((done) => server.close(() => done()));
      server = createServer();
      server.listen(0, '127.0.0.1');
      const run = await cli(['lineage', 'export', '--url', url], 2);
      expect(run.stderr).toMatch(
        /^bulwark: cannot send event 1 of 2 \(run .*\) to .*: ECONNREFUSED; 0 sent\n$/,
      );
    });
  });
});
