/**
 * Issue 5 acceptance: one value of every entity the data scanner knows is planted at a known place in
 * seeded documents (text with CRLF, tabs, non-ASCII and astral characters before the value; Markdown;
 * CSV with a quoted multi-line cell; JSON; JSON Lines; Parquet), `bulwark scan data` runs through the
 * CLI, and each finding must name the entity at exactly the planted region (SARIF: 1-based lines,
 * UTF-16 columns, endColumn exclusive; row and field for tables), with no other finding, and the
 * report must never hold a planted value.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { composeIBAN, friendlyFormatIBAN } from 'ibantools';
import { getExampleNumber, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import examples from 'libphonenumber-js/mobile/examples';
import { afterAll, describe, expect, it } from 'vitest';
import { bytesSource } from '../src/core/scan/byte-sources.js';
import { createDataAnalyzer } from '../src/data/analyzer.js';
import { dataUnitBatches, isOwnedMatch } from '../src/data/readers/read-data.js';
import { runCli } from './support/run-cli.js';
import { seededRandom } from './support/seeded-random.js';

type Random = () => number;

const DIGITS = '0123456789';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const HEX = '0123456789abcdef';

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const chars = (random: Random, alphabet: string, length: number): string =>
  Array.from({ length }, () => pick(random, [...alphabet])).join('');
const between = (random: Random, low: number, high: number): number =>
  low + Math.floor(random() * (high - low + 1));
const pad = (n: number, width: number): string => String(n).padStart(width, '0');

function luhnCheckDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

function visa(random: Random): string {
  const body = `4${chars(random, DIGITS, 14)}`;
  return `${body}${luhnCheckDigit(body)}`.replace(/(\d{4})(?=\d)/g, '$1 ');
}

function iban(random: Random): string {
  const electronic = composeIBAN({ countryCode: 'DE', bban: chars(random, DIGITS, 18) });
  if (electronic === null) throw new Error('ibantools refused a German BBAN');
  return electronic;
}

function ssn(random: Random): string {
  let area = between(random, 1, 899);
  if (area === 666) area = 667;
  return `${pad(area, 3)}-${pad(between(random, 1, 99), 2)}-${pad(between(random, 1, 9999), 4)}`;
}

function itin(random: Random): string {
  return `9${chars(random, DIGITS, 2)}-${between(random, 70, 88)}-${pad(between(random, 1, 9999), 4)}`;
}

function nhs(random: Random): string {
  for (;;) {
    const body = chars(random, DIGITS, 9);
    let sum = 0;
    for (let i = 0; i < 9; i++) sum += Number(body[i]) * (10 - i);
    const check = 11 - (sum % 11);
    if (check === 10) continue;
    const digits = `${body}${check === 11 ? 0 : check}`;
    return `${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}`;
  }
}

function nino(random: Random): string {
  const first = pick(random, [...'ABCEHJKLMPRSTWXYZ']);
  const second = pick(random, [...'ABCEHJLMPRSWXY']);
  const d = chars(random, DIGITS, 6);
  return `${first}${second} ${d.slice(0, 2)} ${d.slice(2, 4)} ${d.slice(4)} ${pick(random, [...'ABCD'])}`;
}

function phone(random: Random, country: CountryCode): string {
  const example = getExampleNumber(country, examples);
  if (example === undefined) throw new Error(`no example number for ${country}`);
  const national = String(example.nationalNumber);
  for (let attempt = 0; attempt < 50; attempt++) {
    const candidate = `${national.slice(0, -4)}${chars(random, DIGITS, 4)}`;
    const parsed = parsePhoneNumberFromString(`+${example.countryCallingCode}${candidate}`);
    if (parsed?.isValid()) return parsed.formatInternational();
  }
  return example.formatInternational();
}

function ipv4(random: Random): string {
  return `${pick(random, [23, 45, 81, 91, 151, 185, 212])}.${between(random, 1, 254)}.${between(random, 1, 254)}.${between(random, 1, 254)}`;
}

function ipv6(random: Random): string {
  const groups = Array.from({ length: 6 }, () => chars(random, HEX, 4).replace(/^0+(?=.)/, ''));
  return `2a02:${groups.join(':')}:${between(random, 1, 0xfff).toString(16)}`;
}

function mac(random: Random): string {
  return Array.from({ length: 6 }, (_, i) => (i === 0 ? '3c' : chars(random, HEX, 2))).join(':');
}

function base64url(bytes: Uint8Array | string): string {
  return Buffer.from(bytes).toString('base64url');
}

function randomBytes(random: Random, length: number): Uint8Array {
  return Uint8Array.from({ length }, () => Math.floor(random() * 256));
}

function jwt(random: Random): string {
  const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = base64url(JSON.stringify({ sub: chars(random, DIGITS, 8), name: 'svc', iat: 1714564800 }));
  return `${header}.${payload}.${base64url(randomBytes(random, 32))}`;
}

/** A PEM private-key block of seeded random bytes (the scanner reads its shape and entropy, not its maths). */
function pemLines(random: Random): string[] {
  const body = Buffer.from(randomBytes(random, 600)).toString('base64');
  const lines = body.match(/.{1,64}/g) ?? [];
  return ['-----BEGIN RSA PRIVATE KEY-----', ...lines, '-----END RSA PRIVATE KEY-----'];
}

const FIRST_NAMES = ['Alice', 'Marta', 'Jonas', 'Priya', 'Tomasz', 'Chiara', 'Kwame', 'Ingrid'];
const LAST_NAMES = ['Johnson', 'Okafor', 'Lindqvist', 'Ramirez', 'Novak', 'Fischer', 'Tanaka', 'Moreau'];
const COUNTRIES = ['Germany', 'Portugal', 'Canada', 'Japan', 'Kenya', 'Norway'];
/** What may stand before a value on its line: tabs, accents, CJK and astral-plane characters. */
const NOISE = ['\t', 'é ', '中文 ', '😀 ', '𝔘𝔫𝔦 ', 'naïve\t', 'Ωμέγα ', '🇩🇪 ', ''];

/** A planted value: the text before it on its line (context included), the value and what follows. */
interface Plant {
  readonly entity: string;
  readonly before: string;
  readonly value: string;
  readonly after: string;
}

/** One planted value of every entity, with the context words its recognizer wants. */
function linePlants(random: Random): Plant[] {
  const person = `${pick(random, FIRST_NAMES)} ${pick(random, LAST_NAMES)}`;
  const dob = `${between(random, 1950, 1999)}-${pad(between(random, 1, 12), 2)}-${pad(between(random, 1, 28), 2)}`;
  return [
    {
      entity: 'EMAIL_ADDRESS',
      before: 'reply to ',
      value: `${pick(random, FIRST_NAMES).toLowerCase()}.${chars(random, DIGITS, 3)}@mail-${chars(random, 'abcdefgh', 5)}.org`,
      after: ' today',
    },
    { entity: 'PHONE_NUMBER', before: 'mobile: ', value: phone(random, 'GB'), after: '' },
    { entity: 'PHONE_NUMBER', before: 'Telefon ', value: phone(random, 'DE'), after: ' (Büro)' },
    { entity: 'PHONE_NUMBER', before: 'call ', value: phone(random, 'US'), after: ' after 6pm' },
    { entity: 'PHONE_NUMBER', before: 'tel: ', value: phone(random, 'JP'), after: '' },
    { entity: 'PHONE_NUMBER', before: 'WhatsApp ', value: phone(random, 'BR'), after: ' ok' },
    { entity: 'CREDIT_CARD', before: 'card number ', value: visa(random), after: ' exp 09/29' },
    { entity: 'IBAN_CODE', before: 'IBAN: ', value: friendlyFormatIBAN(iban(random)) ?? '', after: '' },
    { entity: 'US_SSN', before: 'SSN ', value: ssn(random), after: ' on file' },
    { entity: 'US_ITIN', before: 'ITIN: ', value: itin(random), after: '' },
    {
      entity: 'US_PASSPORT',
      before: 'passport number ',
      value: `${pick(random, [...'ACEHKLMNPRTWXZ'])}${chars(random, '123456789', 8)}`,
      after: '',
    },
    { entity: 'UK_NHS', before: 'NHS number ', value: nhs(random), after: '' },
    { entity: 'UK_NINO', before: 'national insurance ', value: nino(random), after: '' },
    { entity: 'IP_ADDRESS', before: 'client ip=', value: ipv4(random), after: ' port=443' },
    { entity: 'IP_ADDRESS', before: 'remote addr ', value: ipv6(random), after: ' closed' },
    { entity: 'MAC_ADDRESS', before: 'wlan0 hwaddr ', value: mac(random), after: '' },
    {
      entity: 'URL_WITH_CREDENTIALS',
      before: 'mirror ',
      value: `https://deploy:${chars(random, ALNUM, 14)}@mirror-${between(random, 1, 9)}.corp.net`,
      after: '/pypi/simple',
    },
    { entity: 'DATE_OF_BIRTH', before: 'date of birth: ', value: dob, after: '' },
    {
      entity: 'MEDICAL_RECORD_NUMBER',
      before: 'MRN: ',
      value: chars(random, '123456789', 8),
      after: ' (ward 4)',
    },
    { entity: 'PERSON', before: 'Dear Dr. ', value: person, after: ', your results are ready.' },
    { entity: 'LOCATION', before: 'She moved to ', value: pick(random, COUNTRIES), after: ' last spring.' },
    { entity: 'AWS_ACCESS_KEY', before: 'key id ', value: `AKIA${chars(random, BASE32, 16)}`, after: '' },
    { entity: 'GITHUB_TOKEN', before: 'export GH=', value: `ghp_${chars(random, ALNUM, 36)}`, after: '' },
    {
      entity: 'SLACK_TOKEN',
      before: 'slack bot ',
      value: `xoxb-${chars(random, '123456789', 11)}-${chars(random, '123456789', 12)}-${chars(random, ALNUM, 24)}`,
      after: '',
    },
    { entity: 'JWT', before: 'Authorization: Bearer ', value: jwt(random), after: '' },
    {
      entity: 'DATABASE_CONNECTION_STRING',
      before: 'DATABASE_URL="',
      value: `postgres://svc_app:${chars(random, ALNUM, 16)}@db-${between(random, 1, 9)}.internal:5432/orders`,
      after: '"',
    },
    { entity: 'GENERIC_SECRET', before: 'api_key = "', value: chars(random, ALNUM, 32), after: '"' },
  ];
}

/** A finding's entity and location, the part this test pins down. */
interface Located {
  readonly entity: string;
  readonly location: Record<string, unknown>;
}

/** A line document: the planted lines in seeded order, with noise lines between, and their expected findings. */
function lineDocument(
  random: Random,
  path: string,
  plants: readonly Plant[],
  options: { readonly lineBreak: () => string; readonly prefix: () => string },
): { text: string; expected: Located[]; values: string[] } {
  const order = plants.map((plant) => ({ plant, key: random() })).sort((a, b) => a.key - b.key);
  let text = '';
  let line = 1;
  const expected: Located[] = [];
  const pem = pemLines(random);
  const pemAt = Math.floor(random() * order.length);
  order.forEach(({ plant }, index) => {
    if (index === pemAt) {
      const lead = `${options.prefix()}key: `;
      expected.push({
        entity: 'PRIVATE_KEY',
        location: {
          path,
          line,
          column: lead.length + 1,
          endLine: line + pem.length - 1,
          endColumn: (pem[pem.length - 1] ?? '').length + 1,
        },
      });
      text += `${lead}${pem.join(options.lineBreak())}${options.lineBreak()}`;
      line += pem.length;
    }
    if (random() < 0.4) {
      text += `${options.prefix()}nothing to see on this line${options.lineBreak()}`;
      line++;
    }
    const lead = `${options.prefix()}${plant.before}`;
    expected.push({
      entity: plant.entity,
      location: { path, line, column: lead.length + 1, endColumn: lead.length + plant.value.length + 1 },
    });
    text += `${lead}${plant.value}${plant.after}${options.lineBreak()}`;
    line++;
  });
  return { text, expected, values: pem.slice(1, -1) };
}

/** Markdown: the same plants as list items, a table row, a quote, inline code and a fenced block. */
function markdownDocument(
  random: Random,
  path: string,
  plants: readonly Plant[],
): { text: string; expected: Located[] } {
  const shapes = [
    (p: Plant) => ({ lead: `- ${p.before}`, tail: `${p.after}` }),
    (p: Plant) => ({ lead: `| ${pick(random, ['a', 'b'])} | ${p.before}`, tail: `${p.after} |` }),
    (p: Plant) => ({ lead: `> ${p.before}`, tail: `${p.after}` }),
    (p: Plant) => ({ lead: `1. **${p.before.trim()}** `, tail: `${p.after}` }),
  ];
  const lines = ['# Support notes', '', 'Collected from the ticket export.', ''];
  const expected: Located[] = [];
  for (const plant of plants) {
    // Tokens and keys sit in code: inline for prefixed tokens, fenced for assignments.
    const isAssignment = plant.before.endsWith('"') || plant.before.endsWith('=');
    if (isAssignment) {
      lines.push('```sh');
      expected.push({
        entity: plant.entity,
        location: {
          path,
          line: lines.length + 1,
          column: plant.before.length + 1,
          endColumn: plant.before.length + plant.value.length + 1,
        },
      });
      lines.push(`${plant.before}${plant.value}${plant.after}`, '```');
      continue;
    }
    // Prose cues (`Dear Dr.`, `moved to`) are not bold labels.
    const isProse = plant.entity === 'PERSON' || plant.entity === 'LOCATION';
    const shape = pick(random, isProse ? shapes.slice(0, 3) : shapes);
    const { lead, tail } = shape(plant);
    const column = lead.length + 1;
    expected.push({
      entity: plant.entity,
      location: { path, line: lines.length + 1, column, endColumn: column + plant.value.length },
    });
    lines.push(`${lead}${plant.value}${tail}`);
  }
  return { text: `${lines.join('\n')}\n`, expected };
}

/** A CSV with a header, values in typed columns and one value on the second line of a quoted cell. */
function csvDocument(random: Random, path: string): { text: string; expected: Located[]; values: string[] } {
  const header = ['id', 'full_name', 'email', 'phone', 'iban', 'card_number', 'notes'];
  const rows: string[][] = [];
  const expected: Located[] = [];
  const values: string[] = [];
  for (let row = 1; row <= 4; row++) {
    const name = `${pick(random, FIRST_NAMES)} ${pick(random, LAST_NAMES)}`;
    const email = `${name.split(' ')[0]?.toLowerCase()}.${chars(random, DIGITS, 2)}@mail-${chars(random, 'abcdefgh', 5)}.org`;
    const tel = phone(random, pick(random, ['FR', 'IN', 'US', 'GB'] as const));
    const account = iban(random);
    const card = visa(random).replace(/ /g, '');
    const secret = row === 3 ? `AKIA${chars(random, BASE32, 16)}` : '';
    const ssnValue = row === 2 ? ssn(random) : '';
    const notes =
      row === 2
        ? `"Called back twice.\r\nSSN ${ssnValue}, verified"`
        : row === 3
          ? `"rotated key ${secret} yesterday"`
          : 'no notes';
    rows.push([String(row), name, email, tel, account, card, notes]);
    values.push(
      name,
      email,
      tel,
      account,
      card,
      ...(secret ? [secret] : []),
      ...(ssnValue ? [ssnValue] : []),
    );
    expected.push(
      { entity: 'PERSON', location: { path, row, field: 'full_name' } },
      { entity: 'EMAIL_ADDRESS', location: { path, row, field: 'email' } },
      { entity: 'PHONE_NUMBER', location: { path, row, field: 'phone' } },
      { entity: 'IBAN_CODE', location: { path, row, field: 'iban' } },
      { entity: 'CREDIT_CARD', location: { path, row, field: 'card_number' } },
    );
    if (row === 2) expected.push({ entity: 'US_SSN', location: { path, row, field: 'notes' } });
    if (row === 3) expected.push({ entity: 'AWS_ACCESS_KEY', location: { path, row, field: 'notes' } });
  }
  const text = [header, ...rows].map((cells) => cells.join(',')).join('\r\n');
  return { text: `${text}\r\n`, expected, values };
}

/** JSON (an array of nested records) and JSON Lines with the same records. */
function jsonRecords(random: Random): { records: object[]; fields: [number, string, string, string][] } {
  const records: object[] = [];
  const fields: [number, string, string, string][] = [];
  for (let row = 1; row <= 3; row++) {
    const email = `${pick(random, FIRST_NAMES).toLowerCase()}@mail-${chars(random, 'abcdefgh', 5)}.org`;
    const ip = ipv4(random);
    const token = `ghp_${chars(random, ALNUM, 36)}`;
    const dob = `${between(random, 1950, 1999)}-0${between(random, 1, 9)}-1${between(random, 0, 9)}`;
    records.push({
      id: row,
      user: { email, dateOfBirth: dob, lastLogin: { ip } },
      comments: ['fine', `token ${token} pasted by mistake`],
    });
    fields.push(
      [row, '$.user.email', 'EMAIL_ADDRESS', email],
      [row, '$.user.dateOfBirth', 'DATE_OF_BIRTH', dob],
      [row, '$.user.lastLogin.ip', 'IP_ADDRESS', ip],
      [row, '$.comments[1]', 'GITHUB_TOKEN', token],
    );
  }
  return { records, fields };
}

function parquetDocument(random: Random): { bytes: Uint8Array; fields: [number, string, string, string][] } {
  const emails: string[] = [];
  const ssns: string[] = [];
  const cards: string[] = [];
  const fields: [number, string, string, string][] = [];
  for (let row = 1; row <= 3; row++) {
    emails.push(`${pick(random, FIRST_NAMES).toLowerCase()}.${row}@mail-${chars(random, 'abcdefgh', 5)}.org`);
    ssns.push(ssn(random));
    cards.push(visa(random));
    fields.push(
      [row, 'email', 'EMAIL_ADDRESS', emails[row - 1] ?? ''],
      [row, 'ssn', 'US_SSN', ssns[row - 1] ?? ''],
      [row, 'card', 'CREDIT_CARD', cards[row - 1] ?? ''],
    );
  }
  const bytes = parquetWriteBuffer({
    columnData: [
      { name: 'email', data: emails, type: 'STRING' },
      { name: 'ssn', data: ssns, type: 'STRING' },
      { name: 'card', data: cards, type: 'STRING' },
    ],
  });
  return { bytes: new Uint8Array(bytes), fields };
}

interface Finding {
  readonly ruleId: string;
  readonly message: string;
  readonly location: Record<string, unknown>;
  readonly evidence: { readonly entity: string; readonly confidence: string; readonly masked: string };
}

const byPlace = (a: Located, b: Located): number =>
  JSON.stringify([a.location, a.entity]).localeCompare(JSON.stringify([b.location, b.entity]));

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe.each([1, 2, 3])('planted values, seed %i', (seed) => {
  const random = seededRandom(seed);
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-locations-'));
  dirs.push(dir);
  const expected = new Map<string, Located[]>();
  const planted: string[] = [];

  const plants = linePlants(random);
  planted.push(...plants.map((p) => p.value));
  const text = lineDocument(random, 'notes.txt', plants, {
    lineBreak: () => (random() < 0.8 ? '\r\n' : '\n'),
    prefix: () => pick(random, NOISE) + pick(random, NOISE),
  });
  writeFileSync(join(dir, 'notes.txt'), text.text);
  planted.push(...text.values);
  expected.set('notes.txt', text.expected);

  const markdownPlants = linePlants(random);
  planted.push(...markdownPlants.map((p) => p.value));
  const markdown = markdownDocument(random, 'README.md', markdownPlants);
  writeFileSync(join(dir, 'README.md'), markdown.text);
  expected.set('README.md', markdown.expected);

  const csv = csvDocument(random, 'people.csv');
  planted.push(...csv.values);
  writeFileSync(join(dir, 'people.csv'), csv.text);
  expected.set('people.csv', csv.expected);

  const json = jsonRecords(random);
  writeFileSync(join(dir, 'records.json'), JSON.stringify(json.records, null, 2));
  writeFileSync(join(dir, 'records.jsonl'), json.records.map((r) => JSON.stringify(r)).join('\n'));
  for (const path of ['records.json', 'records.jsonl']) {
    expected.set(
      path,
      json.fields.map(([row, field, entity]) => ({ entity, location: { path, row, field } })),
    );
  }
  planted.push(...json.fields.map(([, , , value]) => value));

  const parquet = parquetDocument(random);
  writeFileSync(join(dir, 'table.parquet'), parquet.bytes);
  expected.set(
    'table.parquet',
    parquet.fields.map(([row, field, entity]) => ({
      entity,
      location: { path: 'table.parquet', row, field },
    })),
  );
  planted.push(...parquet.fields.map(([, , , value]) => value));

  let findings: Finding[] = [];
  let stdout = '';

  it('scans the folder through the CLI', async () => {
    const run = await runCli(['scan', 'data', '.', '--format', 'json', '--no-store'], dir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    stdout = run.stdout;
    findings = (JSON.parse(run.stdout) as { findings: Finding[] }).findings;
    expect(findings.length).toBeGreaterThan(0);
  });

  it.each([...expected.keys()])('reports exactly the planted values of %s, each at its region', (path) => {
    const got = findings
      .filter((f) => f.location['path'] === path)
      .map((f) => ({ entity: f.evidence.entity, location: f.location }));
    expect(got.sort(byPlace)).toEqual([...(expected.get(path) ?? [])].sort(byPlace));
  });

  it('never writes a planted value into the report', () => {
    expect(stdout).not.toBe('');
    for (const value of planted) {
      expect(stdout.includes(value), `report holds ${value}`).toBe(false);
      if (value.length >= 12)
        expect(stdout.includes(value.slice(4, -4)), `report holds ${value}`).toBe(false);
    }
  });
});

describe('PEM private keys spanning lines', () => {
  const random = seededRandom(99);
  const first = pemLines(random);
  const second = pemLines(random).map((line) => line.replace('RSA ', 'EC '));
  const encrypted = pemLines(random);
  encrypted.splice(1, 0, 'Proc-Type: 4,ENCRYPTED', 'DEK-Info: AES-128-CBC,3F17F5316E2BAC89', '');
  const unterminated = pemLines(random).slice(0, -1);
  const files: Readonly<Record<string, string>> = {
    // Starts with BEGIN, so the framework sniffs it as `pem`; two keys, one blank line between.
    'keys.pem': `${first.join('\n')}\n\n${second.join('\n')}\n`,
    'encrypted.txt': `# deploy key\r\n${encrypted.join('\r\n')}\r\n`,
    'unterminated.txt': `key material follows\n${unterminated.join('\n')}\n`,
    'placeholder.md': '```\n-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----\n```\n',
  };
  const last = (lines: readonly string[]): number => (lines[lines.length - 1] ?? '').length + 1;
  const expected: Located[] = [
    {
      entity: 'PRIVATE_KEY',
      location: { path: 'keys.pem', line: 1, column: 1, endLine: first.length, endColumn: last(first) },
    },
    {
      entity: 'PRIVATE_KEY',
      location: {
        path: 'keys.pem',
        line: first.length + 2,
        column: 1,
        endLine: first.length + 1 + second.length,
        endColumn: last(second),
      },
    },
    {
      entity: 'PRIVATE_KEY',
      location: {
        path: 'encrypted.txt',
        line: 2,
        column: 1,
        endLine: encrypted.length + 1,
        endColumn: last(encrypted),
      },
    },
    // No END line: the BEGIN line alone is reported, once.
    {
      entity: 'PRIVATE_KEY',
      location: {
        path: 'unterminated.txt',
        line: 2,
        column: 1,
        endColumn: (unterminated[0] ?? '').length + 1,
      },
    },
  ];

  it('reports each block once, from its BEGIN line to its END line; a placeholder block not at all', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bulwark-pem-'));
    dirs.push(dir);
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    const run = await runCli(['scan', 'data', '.', '--format', 'json', '--no-store'], dir);
    expect(run.stderr).toBe('');
    const got = (JSON.parse(run.stdout) as { findings: Finding[] }).findings.map((f) => ({
      entity: f.evidence.entity,
      location: f.location,
    }));
    expect(got.sort(byPlace)).toEqual([...expected].sort(byPlace));
    for (const line of [...first, ...second, ...encrypted].filter((l) => l.length === 64)) {
      expect(run.stdout.includes(line)).toBe(false);
    }
  });
});

describe('lines longer than one unit', () => {
  const random = seededRandom(5);
  const token = `ghp_${chars(random, ALNUM, 36)}`;
  // The reader cuts lines at 64 Ki code units into pieces that share 4 Ki; the token sits in the shared part.
  const lead = `${'😀 '.repeat(20_600)}token `;
  const text = `${lead}${token} ${'x '.repeat(5_000)}\n`;
  const expected = {
    path: 'long.log',
    line: 1,
    column: lead.length + 1,
    endColumn: lead.length + token.length + 1,
  };

  it('hand a value in the overlap of two pieces to one of them', async () => {
    const analyzer = createDataAnalyzer();
    let seen = 0;
    let owned = 0;
    for await (const batch of dataUnitBatches(bytesSource(new TextEncoder().encode(text)))) {
      for (const unit of batch) {
        for (const match of analyzer.analyze(unit.text)) {
          if (match.entity !== 'GITHUB_TOKEN') continue;
          seen++;
          if (isOwnedMatch(unit, match.start)) owned++;
        }
      }
    }
    expect([seen, owned]).toEqual([2, 1]);
  });

  it('report such a value once through the CLI, at its column', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bulwark-long-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'long.log'), text);
    const run = await runCli(['scan', 'data', '.', '--format', 'json', '--no-store'], dir);
    const found = (JSON.parse(run.stdout) as { findings: Finding[] }).findings.map((f) => ({
      entity: f.evidence.entity,
      location: f.location,
    }));
    expect(found).toEqual([{ entity: 'GITHUB_TOKEN', location: expected }]);
  });
});
