/**
 * Control T2 acceptance: secrets in Jupyter notebooks (code cells, stream output, execute_result
 * text, error tracebacks with ANSI colours, a PEM key spanning cell lines) are found at the line and
 * column of the raw `.ipynb` JSON, escapes and all; secrets in configuration files (.env, YAML,
 * TOML, INI, Java properties, docker-compose, kubeconfig, AWS credentials) at their exact line and
 * column. Placeholders, digests and certificates in the same files stay silent.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { identifyFile } from '../src/core/scan/sniff.js';
import { bytesSource } from '../src/core/scan/byte-sources.js';
import { identityOf } from '../src/core/scan/file-kinds.js';
import { createDataAnalyzer } from '../src/data/analyzer.js';
import { rawLocationOf, readNotebookUnits } from '../src/data/readers/notebook-units.js';
import { dataUnitBatches } from '../src/data/readers/read-data.js';
import { runCli } from './support/run-cli.js';
import { seededRandom } from './support/seeded-random.js';

type Random = () => number;

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const BASE64 = `${ALNUM}+/`;

const chars = (random: Random, alphabet: string, length: number): string =>
  Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');

function base64url(text: string | Uint8Array): string {
  return Buffer.from(text).toString('base64url');
}

function pemBlock(random: Random, label: string, bytes: number): string[] {
  const body = Buffer.from(Uint8Array.from({ length: bytes }, () => Math.floor(random() * 256))).toString(
    'base64',
  );
  return [`-----BEGIN ${label}-----`, ...(body.match(/.{1,64}/g) ?? []), `-----END ${label}-----`];
}

/** A finding's entity and location, the part these tests pin down. */
interface Located {
  readonly entity: string;
  readonly location: Record<string, unknown>;
}

/** The SARIF region of the one occurrence of `value` in `text` (lines end at LF, CRLF or CR). */
function regionOf(path: string, text: string, value: string, endValue?: string): Located['location'] {
  const at = text.indexOf(value);
  expect(at, `${value} is in ${path}`).toBeGreaterThanOrEqual(0);
  expect(text.indexOf(value, at + 1), `${value} is once in ${path}`).toBe(-1);
  const position = (offset: number): { line: number; column: number } => {
    const lines = text.slice(0, offset).split(/\r\n|\r|\n/);
    return { line: lines.length, column: (lines[lines.length - 1] ?? '').length + 1 };
  };
  const start = position(at);
  const endOffset = endValue === undefined ? at + value.length : text.indexOf(endValue, at) + endValue.length;
  const end = position(endOffset);
  return {
    path,
    line: start.line,
    column: start.column,
    ...(end.line === start.line ? {} : { endLine: end.line }),
    endColumn: end.column,
  };
}

const byPlace = (a: Located, b: Located): number =>
  JSON.stringify([a.location, a.entity]).localeCompare(JSON.stringify([b.location, b.entity]));

/** A notebook as Jupyter writes it (one-space indent, lines as string lists), with seeded secrets. */
function notebookFixture(
  random: Random,
  path: string,
): { raw: string; expected: Located[]; values: string[] } {
  const aws = `AKIA${chars(random, BASE32, 16)}`;
  const github = `ghp_${chars(random, ALNUM, 36)}`;
  const generic = chars(random, ALNUM, 32);
  const slack = `xoxb-${chars(random, '123456789', 11)}-${chars(random, '123456789', 12)}-${chars(random, ALNUM, 24)}`;
  const jwt = [
    base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' })),
    base64url(JSON.stringify({ sub: 'trainer', exp: 1893456000 })),
    base64url(Uint8Array.from({ length: 64 }, () => Math.floor(random() * 256))),
  ].join('.');
  const database = `postgres://admin:${chars(random, ALNUM, 18)}@db.prod.internal:5432/features`;
  const parameter = chars(random, ALNUM, 28);
  const pem = pemBlock(random, 'RSA PRIVATE KEY', 900);
  const image = Buffer.from(Uint8Array.from({ length: 900 }, () => Math.floor(random() * 256))).toString(
    'base64',
  );
  const notebook = {
    cells: [
      { cell_type: 'markdown', metadata: {}, source: ['# Training run\n', 'Data from the café bucket.\n'] },
      {
        cell_type: 'code',
        execution_count: 1,
        metadata: {},
        source: [
          'import os\n',
          `os.environ["AWS_ACCESS_KEY_ID"] = "${aws}"\n`,
          `note = "café\\t→ 🚀"; gh = "${github}"\n`,
          `api_key = "${generic}"`,
        ],
        outputs: [{ output_type: 'stream', name: 'stdout', text: [`connecting as ${slack}\n`, 'done\n'] }],
      },
      {
        cell_type: 'code',
        execution_count: 2,
        metadata: {},
        source: ['KEY = """', ...pem.map((line) => `${line}\n`), '"""\n', 'session.token()'],
        outputs: [
          {
            output_type: 'execute_result',
            execution_count: 2,
            metadata: {},
            data: { 'text/plain': [`'${jwt}'`] },
          },
          {
            output_type: 'display_data',
            metadata: {},
            data: {
              'image/png': image,
              'text/html': [`<img src="data:image/png;base64,${image}"/>`],
              'text/plain': ['<Figure size 640x480 with 1 Axes>'],
            },
          },
        ],
      },
      {
        cell_type: 'code',
        execution_count: 3,
        metadata: {},
        source: ['engine.connect()'],
        outputs: [
          {
            output_type: 'error',
            ename: 'OperationalError',
            evalue: 'could not connect to server',
            traceback: [
              '\u001b[0;31m---------------------------------------------------------------------------\u001b[0m',
              `\u001b[0;31mOperationalError\u001b[0m: connection to ${database} refused`,
            ],
          },
        ],
      },
    ],
    metadata: {
      kernelspec: { name: 'python3', display_name: 'Python 3' },
      papermill: { parameters: { dataset: 's3://bucket/train', api_key: parameter } },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
  // Some writers escape non-ASCII; the locations must still be those of the raw text.
  const raw = `${JSON.stringify(notebook, null, 1).replaceAll('café', 'caf\\u00e9')}\n`;
  const expected: Located[] = [
    { entity: 'AWS_ACCESS_KEY', location: regionOf(path, raw, aws) },
    { entity: 'GITHUB_TOKEN', location: regionOf(path, raw, github) },
    { entity: 'GENERIC_SECRET', location: regionOf(path, raw, generic) },
    { entity: 'SLACK_TOKEN', location: regionOf(path, raw, slack) },
    { entity: 'PRIVATE_KEY', location: regionOf(path, raw, pem[0] ?? '', pem[pem.length - 1]) },
    { entity: 'JWT', location: regionOf(path, raw, jwt) },
    { entity: 'DATABASE_CONNECTION_STRING', location: regionOf(path, raw, database) },
    { entity: 'GENERIC_SECRET', location: regionOf(path, raw, parameter) },
  ];
  const values = [aws, github, generic, slack, jwt, database, parameter, ...pem.slice(1, -1)];
  return { raw, expected, values };
}

interface ConfigFile {
  readonly path: string;
  readonly text: string;
  /** Entity and value of each secret; a table location (`row`, `field`) when the file is JSON. */
  readonly secrets: readonly [entity: string, value: string, table?: { row: number; field: string }][];
}

/** Configuration files with seeded secrets, and placeholders and digests that must stay silent. */
function configFixtures(random: Random): ConfigFile[] {
  const dbPassword = chars(random, ALNUM, 20);
  const stripe = `sk_live_${chars(random, ALNUM, 24)}`;
  const clientSecret = chars(random, ALNUM, 24);
  const slack = `xoxb-${chars(random, '123456789', 11)}-${chars(random, '123456789', 12)}-${chars(random, ALNUM, 24)}`;
  const github = `ghp_${chars(random, ALNUM, 36)}`;
  const iniPassword = chars(random, ALNUM, 20);
  const propsPassword = chars(random, ALNUM, 20);
  const composePassword = chars(random, ALNUM, 20);
  const kubeToken = [
    base64url(JSON.stringify({ alg: 'RS256', kid: '1' })),
    base64url(JSON.stringify({ iss: 'kubernetes/serviceaccount', sub: 'system:serviceaccount:ml:trainer' })),
    base64url(Uint8Array.from({ length: 64 }, () => Math.floor(random() * 256))),
  ].join('.');
  const clientKey = Buffer.from(`${pemBlock(random, 'EC PRIVATE KEY', 121).join('\n')}\n`).toString('base64');
  const caData = Buffer.from(`${pemBlock(random, 'CERTIFICATE', 700).join('\n')}\n`).toString('base64');
  const awsId = `AKIA${chars(random, BASE32, 16)}`;
  const awsSecret = chars(random, BASE64, 40);
  const database = `postgres://app:${dbPassword}@db.internal:5432/app`;
  const digest = chars(random, '0123456789abcdef', 64);
  const clientSecretJson = chars(random, ALNUM, 32);
  const sqlPassword = chars(random, ALNUM, 16);
  const appsettings = {
    Logging: { LogLevel: { Default: 'Information' } },
    ConnectionStrings: { Default: `Server=sql.internal;Database=app;User Id=sa;Password=${sqlPassword};` },
    Authentication: { ClientId: 'a3f1c2d4-5b6e-4f70-8a9b-0c1d2e3f4a5b', ClientSecret: clientSecretJson },
    Features: { TokenLifetimeMinutes: 60, PasswordMinLength: 12 },
  };
  return [
    {
      path: 'appsettings.json',
      text: `${JSON.stringify(appsettings, null, 2)}\n`,
      secrets: [
        [
          'DATABASE_CONNECTION_STRING',
          `Server=sql.internal;Database=app;User Id=sa;Password=${sqlPassword}`,
          { row: 1, field: '$.ConnectionStrings.Default' },
        ],
        ['GENERIC_SECRET', clientSecretJson, { row: 1, field: '$.Authentication.ClientSecret' }],
      ],
    },
    {
      path: '.env',
      text: `# local settings\nDEBUG=true\nDATABASE_URL=${database}\nSTRIPE_SECRET_KEY=${stripe}\nSENTRY_DSN=\${SENTRY_DSN}\n`,
      secrets: [
        ['DATABASE_CONNECTION_STRING', database],
        ['STRIPE_KEY', stripe],
      ],
    },
    {
      path: 'config.yaml',
      text: `service:\r\n  name: api\r\n  auth:\r\n    client_secret: "${clientSecret}"\r\n    password: \${API_PASSWORD}\r\n  slack_token: ${slack}\r\n`,
      secrets: [
        ['GENERIC_SECRET', clientSecret],
        ['SLACK_TOKEN', slack],
      ],
    },
    {
      path: 'settings.toml',
      text: `[server]\nport = 8080\nports = [80, 443]\n\n[github]\ntoken = "${github}"\nrevision = "${digest.slice(0, 40)}"\n`,
      secrets: [['GITHUB_TOKEN', github]],
    },
    {
      path: 'app.ini',
      text: `; database settings\n[database]\nhost = db.internal\npassword = ${iniPassword}\nuser = app\n`,
      secrets: [['GENERIC_SECRET', iniPassword]],
    },
    {
      path: 'application.properties',
      text: `spring.datasource.url=jdbc:postgresql://db:5432/app\nspring.datasource.username=app\nspring.datasource.password=${propsPassword}\nserver.port=8080\n`,
      secrets: [['GENERIC_SECRET', propsPassword]],
    },
    {
      path: 'docker-compose.yml',
      text: `services:\n  db:\n    image: postgres@sha256:${digest}\n    environment:\n      - POSTGRES_PASSWORD=${composePassword}\n    ports:\n      - "5432:5432"\n`,
      secrets: [['GENERIC_SECRET', composePassword]],
    },
    {
      path: 'kubeconfig',
      text: `apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    certificate-authority-data: ${caData}\n    server: https://10.20.30.40:6443\n  name: prod\nusers:\n- name: admin\n  user:\n    token: ${kubeToken}\n    client-key-data: ${clientKey}\n`,
      secrets: [
        ['JWT', kubeToken],
        ['PRIVATE_KEY', clientKey],
      ],
    },
    {
      path: 'credentials',
      text: `[default]\naws_access_key_id = ${awsId}\naws_secret_access_key = ${awsSecret}\nregion = eu-west-1\n`,
      secrets: [
        ['AWS_ACCESS_KEY', awsId],
        ['AWS_SECRET_KEY', awsSecret],
      ],
    },
  ];
}

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe.each([7, 8])('notebooks and configs, seed %i', (seed) => {
  const random = seededRandom(seed);
  const notebook = notebookFixture(random, 'train.ipynb');
  const configs = configFixtures(random);

  it('is laid out as Jupyter writes it: nbformat last, past the 4 KiB sniffing window', () => {
    expect(notebook.raw.indexOf('"nbformat"')).toBeGreaterThan(4096);
  });

  it('reads a notebook as cell lines that map to the raw .ipynb, PEM block whole', async () => {
    const bytes = new TextEncoder().encode(notebook.raw);
    const source = bytesSource(bytes);
    const identity = identifyFile(bytes, bytes.length);
    expect(identity.kind).toBe('notebook');
    const analyzer = createDataAnalyzer();
    const found: Located[] = [];
    for await (const batch of dataUnitBatches(source, { identity })) {
      for (const unit of batch) {
        for (const match of analyzer.analyze(unit.text, unit.kind === 'cell' ? { field: unit.field } : {})) {
          if (match.confidence === 'low') continue;
          const location = rawLocationOf('train.ipynb', unit, match);
          expect(location, `${match.entity} has a raw location`).toBeDefined();
          found.push({ entity: match.entity, location: { ...location } });
        }
      }
    }
    expect(found.sort(byPlace)).toEqual([...notebook.expected].sort(byPlace));
  });

  it('reads a file sniffed as a notebook that is not one as JSON', async () => {
    const units = [];
    const source = bytesSource(new TextEncoder().encode('{"nbformat": 4, "cells": 3, "note": "x"}'));
    for await (const batch of dataUnitBatches(source, { identity: identityOf('notebook') }))
      units.push(...batch);
    expect(units).toContainEqual({ kind: 'cell', text: 'x', row: 1, field: '$.note' });
  });

  it('gives every config file a kind the data scanner reads: text lines, JSON for JSON', () => {
    for (const config of configs) {
      const bytes = new TextEncoder().encode(config.text);
      const identity = identifyFile(bytes, bytes.length);
      const kind = config.path.endsWith('.json') ? 'json' : 'text';
      expect([config.path, identity.kind]).toEqual([config.path, kind]);
    }
  });

  it('reports each config secret at its line and column through the CLI, and nothing else', async () => {
    const expected: Located[] = [];
    const values: string[] = [];
    const files: Record<string, string> = {};
    for (const config of configs) {
      files[config.path] = config.text;
      for (const [entity, value, table] of config.secrets) {
        const location =
          table === undefined ? regionOf(config.path, config.text, value) : { path: config.path, ...table };
        expected.push({ entity, location });
        values.push(value);
      }
    }
    const { found, stdout } = await scanFiles(files);
    expect(found.sort(byPlace)).toEqual(expected.sort(byPlace));
    for (const value of values) expect(stdout.includes(value), `report holds ${value}`).toBe(false);
  });

  it('reports each notebook secret at its raw .ipynb region through the CLI, and nothing else', async () => {
    const { found, stdout } = await scanFiles({ 'train.ipynb': notebook.raw });
    expect(found.sort(byPlace)).toEqual([...notebook.expected].sort(byPlace));
    for (const value of notebook.values) expect(stdout.includes(value), `report holds ${value}`).toBe(false);
  });
});

describe('notebooks the reader does not parse whole', () => {
  it('reads a notebook above the size limit as plain JSON and says why', async () => {
    const raw = JSON.stringify({ cells: [{ cell_type: 'code', source: ['x = 1\n'] }], nbformat: 4 });
    const issues: string[] = [];
    const units = await readNotebookUnits(bytesSource(new TextEncoder().encode(raw)), {
      maxLength: 16,
      onIssue: (issue) => issues.push(issue.message),
    });
    expect(units).toBeUndefined();
    expect(issues).toEqual([expect.stringContaining('larger than 16')]);
  });
});

/** Writes `files` to a fresh folder and scans it through the CLI. */
async function scanFiles(
  files: Readonly<Record<string, string>>,
): Promise<{ found: Located[]; stdout: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-notebooks-'));
  dirs.push(dir);
  for (const [path, text] of Object.entries(files)) writeFileSync(join(dir, path), text);
  const run = await runCli(['scan', 'data', '.', '--format', 'json', '--no-store'], dir);
  expect(run.stderr).toBe('');
  const findings = (
    JSON.parse(run.stdout) as {
      findings: { location: Record<string, unknown>; evidence: { entity: string } }[];
    }
  ).findings;
  return {
    found: findings.map((f) => ({ entity: f.evidence.entity, location: f.location })),
    stdout: run.stdout,
  };
}
