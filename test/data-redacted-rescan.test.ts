/**
 * Control D3 acceptance: a copy written by `bulwark redact` (replace, hash, encrypt, or a
 * `--replacement` template with `{entity}`) scans clean. Its tokens (`<LOCATION>`,
 * `<PERSON#hmac:…>`, `<EMAIL_ADDRESS#enc1:…>`, `[LOCATION]`, `PERSON_REDACTED`) sit in columns and
 * fields named `address`, `city` and `location` and after `Name:` and `Address:` labels, where the
 * PERSON/LOCATION heuristics used to read them as a name or a place.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDataAnalyzer, entityCategories } from '../src/data/analyzer.js';
import { createHeuristicTagger } from '../src/data/recognizers/index.js';
import {
  encryptedToken,
  hashedToken,
  redactKeysFromKey,
  replacedToken,
} from '../src/data/redact/redact-tokens.js';
import { runCli } from './support/run-cli.js';

const PEOPLE = [
  {
    name: 'Jane Doe',
    address: '1668 Glyn Street',
    city: 'San Francisco',
    location: 'Paris, France',
    email: 'jane.doe@acme-corp.io',
    phone: '+1 415-555-2671',
  },
  {
    name: 'John Smith',
    address: '90 Whitchurch Road',
    city: 'Cardiff',
    location: 'Berlin, Germany',
    email: 'john.smith@example.org',
    phone: '+44 20 7946 0958',
  },
  {
    name: 'Marie Curie',
    address: 'Rue de Rivoli 12',
    city: 'Paris',
    location: 'Lyon',
    email: 'marie@curie.fr',
    phone: '+33 1 42 68 53 00',
  },
] as const;
const COLUMNS = ['name', 'address', 'city', 'location', 'email', 'phone'] as const;

const API_KEY = 'kX9vQ2mZ7rT4wY8pL3nB6cF1hJ5dG0sA';

const INPUTS: Readonly<Record<string, string>> = {
  'people.csv': [
    COLUMNS.join(','),
    ...PEOPLE.map((p) => COLUMNS.map((c) => (p[c].includes(',') ? `"${p[c]}"` : p[c])).join(',')),
  ]
    .map((line) => `${line}\n`)
    .join(''),
  'people.jsonl': PEOPLE.map(
    (p, i) => `${JSON.stringify(i === 0 ? { ...p, service: { api_key: API_KEY } } : p)}\n`,
  ).join(''),
  'notes.txt': PEOPLE.map((p) =>
    [
      `Name: ${p.name}`,
      `Address: ${p.address}, ${p.city}`,
      `City: ${p.city}`,
      `Location: ${p.location}`,
      `Email address: ${p.email}`,
      `EMAIL_ADDRESS: ${p.email}`,
      `Phone: ${p.phone}`,
      '',
    ].join('\n'),
  ).join('\n'),
};

/** How each copy is written: the operator and its extra options. */
const VARIANTS: Readonly<Record<string, readonly string[]>> = {
  replace: ['--operator', 'replace'],
  hash: ['--operator', 'hash', '-k', 'data.key'],
  encrypt: ['--operator', 'encrypt', '-k', 'data.key'],
  bracketed: ['--operator', 'replace', '--replacement', '[{entity}]'],
  suffixed: ['--operator', 'replace', '--replacement', '{entity}_REDACTED'],
};

interface ScanFinding {
  readonly severity: string;
  readonly location: { readonly path: string };
  readonly evidence: { readonly entity: string };
}

let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bw-redacted-rescan-'));
  mkdirSync(join(dir, 'in'));
  mkdirSync(join(dir, 'out'));
  for (const [name, text] of Object.entries(INPUTS)) writeFileSync(join(dir, 'in', name), text);
  expect((await runCli(['keys', 'generate-encryption-key', '-o', 'data.key'], dir)).code).toBe(0);
  for (const [variant, options] of Object.entries(VARIANTS)) {
    for (const name of Object.keys(INPUTS)) {
      const run = await runCli(
        ['redact', join('in', name), '-o', join('out', `${variant}-${name}`), ...options],
        dir,
      );
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
    }
  }
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function scan(folder: string): Promise<ScanFinding[]> {
  const run = await runCli(['scan', 'data', folder, '--format', 'json', '--no-store'], dir);
  expect(run.stderr).toBe('');
  return (JSON.parse(run.stdout) as { findings: ScanFinding[] }).findings;
}

const AT_LEAST_MEDIUM = new Set(['critical', 'high', 'medium']);

describe('re-scanning what bulwark redact wrote', () => {
  it('starts from inputs where every file has findings at medium or above', async () => {
    const findings = (await scan('in')).filter((f) => AT_LEAST_MEDIUM.has(f.severity));
    const entities = new Set(findings.map((f) => f.evidence.entity));
    for (const entity of ['PERSON', 'LOCATION', 'EMAIL_ADDRESS', 'PHONE_NUMBER', 'GENERIC_SECRET'])
      expect(entities.has(entity), entity).toBe(true);
    expect(new Set(findings.map((f) => f.location.path.replace(/^in\//, '')))).toEqual(
      new Set(Object.keys(INPUTS)),
    );
  });

  it('wrote tokens in place of the values', () => {
    for (const variant of Object.keys(VARIANTS)) {
      for (const name of Object.keys(INPUTS)) {
        const text = readFileSync(join(dir, 'out', `${variant}-${name}`), 'utf8');
        for (const value of [...PEOPLE.flatMap((p) => [p.address, p.phone]), API_KEY])
          expect(text.includes(value), `${variant}-${name} holds ${value}`).toBe(false);
        expect(text).toMatch(variant === 'suffixed' ? /LOCATION_REDACTED/ : /LOCATION[\]>#]/);
      }
    }
  });

  it('finds nothing at medium or above in any redacted copy', async () => {
    const findings = (await scan('out')).filter((f) => AT_LEAST_MEDIUM.has(f.severity));
    expect(findings.map((f) => `${f.location.path} ${f.evidence.entity}`)).toEqual([]);
    const gate = await runCli(['scan', 'data', 'out', '--no-store', '--fail-on', 'medium'], dir);
    expect(gate.code).toBe(0);
  });

  it('changes nothing when a replaced or hashed copy is redacted again', async () => {
    // (An encrypted copy is refused on purpose: unredact it first.)
    for (const name of Object.keys(INPUTS)) {
      for (const variant of ['replace', 'hash', 'bracketed', 'suffixed']) {
        const copy = join('out', `${variant}-${name}`);
        const again = join('out', `again-${variant}-${name}`);
        const run = await runCli(['redact', copy, '-o', again, ...(VARIANTS[variant] ?? [])], dir);
        expect(run.stderr).toBe('');
        expect(run.code).toBe(0);
        expect(readFileSync(join(dir, again), 'utf8')).toBe(readFileSync(join(dir, copy), 'utf8'));
        rmSync(join(dir, again));
      }
    }
  });
});

describe('the data analyzer on redaction tokens', () => {
  const analyzer = createDataAnalyzer();
  const keys = redactKeysFromKey(new Uint8Array(32).fill(7));
  const bytes = new TextEncoder().encode('Jane Doe, 1668 Glyn Street');
  const tokensOf = (entity: string): string[] => [
    replacedToken(entity),
    replacedToken(entity, '[{entity}]'),
    replacedToken(entity, '{entity}_REDACTED'),
    replacedToken(entity, 'REDACTED_{entity}'),
    hashedToken(keys, entity, 'Jane Doe'),
    encryptedToken(keys, entity, 'span', bytes),
  ];
  const FIELDS = ['name', 'address', 'city', 'location', 'email', 'phone', 'api_key', 'password', 'note'];

  it('reports no entity inside a token of any entity, in any column or after any label', () => {
    const hits: string[] = [];
    for (const entity of entityCategories().keys()) {
      for (const token of tokensOf(entity)) {
        const cases: [string, string | undefined][] = [
          ...FIELDS.map((field): [string, string] => [token, field]),
          [`Name: ${token}\nAddress: ${token}\nEMAIL_ADDRESS: ${token}\nLocation: ${token}`, undefined],
          [`My name is ${token} and I live in ${token}.`, undefined],
          [`password = ${token}`, undefined],
          [`{"api_key": "${token}", "address": "${token}"}`, undefined],
        ];
        for (const [text, field] of cases) {
          for (const match of analyzer.analyze(text, field === undefined ? {} : { field })) {
            hits.push(
              `${match.entity} in ${JSON.stringify(text.slice(match.start, match.end))} (${field ?? 'text'})`,
            );
          }
        }
      }
    }
    expect(hits).toEqual([]);
  });

  it('still finds what was left around a token', () => {
    const found = (text: string, field?: string): string[] =>
      analyzer
        .analyze(text, field === undefined ? {} : { field })
        .map((m) => `${m.entity}:${text.slice(m.start, m.end)}`);
    expect(found('Address: <LOCATION>, 1668 Glyn Street')).toContain('LOCATION:1668 Glyn Street');
    expect(found('Dear <PERSON>, call me on +1 415-555-2671')).toContain('PHONE_NUMBER:+1 415-555-2671');
    expect(found('Paris', 'city')).toEqual(['LOCATION:Paris']);
    expect(found('NEW_YORK', 'city')).toEqual(['LOCATION:NEW_YORK']);
    // An XML-like tag that names no entity is text like any other.
    expect(found('<CITY>', 'city')).toEqual(['LOCATION:<CITY>']);
  });
});

describe('the address label', () => {
  const tagger = createHeuristicTagger();
  const places = (text: string): string[] =>
    tagger
      .tag(text)
      .filter((m) => m.entity === 'LOCATION')
      .map((m) => text.slice(m.start, m.end));

  it('is a whole word', () => {
    expect(places('EMAIL_ADDRESS: user42x')).toEqual([]);
    expect(places('ip_address: host7b')).toEqual([]);
    expect(places('the relationship to unit7 matters')).toEqual([]);
    expect(places('Address: flat 7b')).toEqual(['flat 7b']);
    expect(places('Email address: flat 7b')).toEqual(['flat 7b']);
    expect(places('please ship to Hangar 7')).toEqual(['Hangar 7']);
  });
});
