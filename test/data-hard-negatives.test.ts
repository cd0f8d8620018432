/**
 * Issue 5 acceptance: hard negatives stay silent. Values that look like sensitive data but are not
 * (numbers failing Luhn, IBANs failing mod-97, UUIDs, git SHAs, image digests, version strings,
 * ISBNs, parcel tracking numbers, SSNs in ranges the SSA never issues, timestamps, phone-shaped
 * order numbers, base64 image data, lorem ipsum) are planted, several per kind, in realistic log
 * lines, CSV and JSON; `bulwark scan data` must report nothing at or above medium confidence. Each
 * kind that has a valid twin (the same value made valid) also plants the twin, which must be found:
 * the silence comes from the checks, not from a scanner that sees nothing.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeIBAN } from 'ibantools';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './support/run-cli.js';
import { seededRandom } from './support/seeded-random.js';

type Random = () => number;

const DIGITS = '0123456789';
const HEX = '0123456789abcdef';

const random: Random = seededRandom(2024);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const chars = (alphabet: string, length: number): string =>
  Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
const between = (low: number, high: number): number => low + Math.floor(random() * (high - low + 1));
const pad = (n: number, width: number): string => String(n).padStart(width, '0');
const times = <T>(n: number, make: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => make(i));

/** A log line prefix with a seeded timestamp, level and service. */
function logPrefix(): string {
  const at = new Date(Date.UTC(2024, between(0, 11), between(1, 28), between(0, 23), between(0, 59)));
  return `${at.toISOString()} ${pick(['INFO', 'WARN', 'DEBUG'])} [${pick(['api', 'billing', 'worker', 'gateway'])}]`;
}

function csv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const cell = (value: string): string => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  return `${[header, ...rows].map((row) => row.map(cell).join(',')).join('\n')}\n`;
}

function luhnCheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/** A card number of a real network prefix whose last digit is anything but the Luhn check digit. */
function cardPair(): { bad: string; good: string } {
  const prefix = pick(['4', '51', '55', '2221', '6011']);
  const body = `${prefix}${chars(DIGITS, 15 - prefix.length)}`;
  const check = luhnCheckDigit(body);
  const wrong = (check + between(1, 9)) % 10;
  const group = (digits: string): string => digits.replace(/(\d{4})(?=\d)/g, '$1 ');
  return { bad: group(`${body}${wrong}`), good: group(`${body}${check}`) };
}

/** BBAN layouts of countries whose national rules ibantools checks by format only. */
const BBANS: Readonly<Record<string, () => string>> = {
  DE: () => chars(DIGITS, 18),
  NL: () => `${chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ', 4)}${chars(DIGITS, 10)}`,
  GB: () => `${chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ', 4)}${chars(DIGITS, 14)}`,
  AT: () => chars(DIGITS, 16),
  CH: () => chars(DIGITS, 17),
  IT: () => `${chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ', 1)}${chars(DIGITS, 22)}`,
};

/** An IBAN whose check digits are off by one (fails mod-97) and its valid twin. */
function ibanPair(): { bad: string; good: string } {
  const country = pick(Object.keys(BBANS));
  const bban = (BBANS[country] as () => string)();
  const good = composeIBAN({ countryCode: country, bban });
  if (good === null) throw new Error(`ibantools refused a ${country} BBAN`);
  const checkDigits = (Number(good.slice(2, 4)) % 97) + 1;
  return { bad: `${country}${pad(checkDigits === 1 ? 2 : checkDigits, 2)}${bban}`, good };
}

function uuid(): string {
  // Digit-heavy on purpose: a UUID's last group can be twelve digits that look like a phone number.
  const hex = (n: number): string => chars(random() < 0.5 ? DIGITS : HEX, n);
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${pick(['8', '9', 'a', 'b'])}${hex(3)}-${hex(12)}`;
}

function isbn10(): string {
  const body = chars(DIGITS, 9);
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(body[i]) * (10 - i);
  const check = (11 - (sum % 11)) % 11;
  return `${body[0]}-${body.slice(1, 4)}-${body.slice(4, 9)}-${check === 10 ? 'X' : check}`;
}

function isbn13(): string {
  const body = `978${chars(DIGITS, 9)}`;
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(body[i]) * (i % 2 === 0 ? 1 : 3);
  const digits = `${body}${(10 - (sum % 10)) % 10}`;
  return random() < 0.5
    ? digits
    : `${digits.slice(0, 3)}-${digits.slice(3, 4)}-${digits.slice(4, 7)}-${digits.slice(7, 12)}-${digits.slice(12)}`;
}

/** An SSN-shaped number the SSA never issues (area 000, 666 or 9xx, group 00, serial 0000, specimen). */
function invalidSsn(i: number): string {
  const area = pad(between(1, 665), 3);
  const group = pad(between(1, 99), 2);
  const serial = pad(between(1, 9999), 4);
  switch (i % 6) {
    case 0:
      return `000-${group}-${serial}`;
    case 1:
      return `666-${group}-${serial}`;
    case 2:
      // 9xx with a group outside the ITIN ranges: neither an SSN nor an ITIN.
      return `9${chars(DIGITS, 2)}-${pad(between(10, 49), 2)}-${serial}`;
    case 3:
      return `${area}-00-${serial}`;
    case 4:
      return `${area}-${group}-0000`;
    default:
      return pick(['078-05-1120', '219-09-9999', '457-55-5462']);
  }
}

function base64Image(): { mime: string; data: string } {
  const kind = pick([
    { mime: 'image/png', magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
    { mime: 'image/jpeg', magic: [0xff, 0xd8, 0xff, 0xe0] },
    { mime: 'image/gif', magic: [0x47, 0x49, 0x46, 0x38, 0x39, 0x61] },
  ]);
  const bytes = Uint8Array.from({ length: between(3000, 9000) }, () => Math.floor(random() * 256));
  bytes.set(kind.magic);
  return { mime: kind.mime, data: Buffer.from(bytes).toString('base64') };
}

const LOREM = (
  'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore ' +
  'et dolore magna aliqua ut enim ad minim veniam quis nostrud exercitation ullamco laboris nisi aliquip ' +
  'curabitur pretium tincidunt lacus nulla gravida orci odio nullam varius turpis commodo pharetra eros ' +
  'bibendum nec luctus magna felis sollicitudin mauris integer euismod duis tellus risus vulputate vehicula'
).split(' ');
const title = (word: string): string => `${word[0]?.toUpperCase() ?? ''}${word.slice(1)}`;
const loremWords = (n: number, capitalize: number): string =>
  times(n, () => pick(LOREM))
    .map((w) => (random() < capitalize ? title(w) : w))
    .join(' ');

/** One kind of hard negative: its files (by name) and, when it has one, a file of valid twins. */
interface NegativeKind {
  readonly kind: string;
  readonly files: Readonly<Record<string, string>>;
  /** Valid twins and the entity each must be found as. */
  readonly twins?: { readonly file: string; readonly text: string; readonly entities: readonly string[] };
}

function kinds(): NegativeKind[] {
  const cards = times(6, cardPair);
  const ibans = times(6, ibanPair);
  const uuids = times(8, uuid);
  const shas = times(6, () => chars(HEX, 40));
  const digests = times(5, () => chars(HEX, 64));
  const versions = times(6, () => `${between(1, 20)}.${between(0, 9)}.${between(0, 30)}.${between(1, 250)}`);
  const isbns = times(6, (i) => (i % 2 === 0 ? isbn10() : isbn13()));
  const ups = times(3, () => `1Z${chars('0123456789ABCDEFGHJKLMNPRSTUVWXY', 6)}${chars(DIGITS, 10)}`);
  const usps = times(3, () => `9400${chars(DIGITS, 18)}`);
  const fedex = times(3, () => chars(DIGITS, 12));
  const ssns = times(12, invalidSsn);
  const epochs = times(6, () => 1_500_000_000 + between(0, 250_000_000));
  const orders = times(6, () => `${between(201, 989)}-${between(200, 999)}-${pad(between(0, 9999), 4)}`);
  const images = times(4, base64Image);

  return [
    {
      kind: 'numbers failing Luhn',
      files: {
        'luhn.log': cards
          .map(
            (c) => `${logPrefix()} payment declined: card ${c.bad} failed the check digit, customer notified`,
          )
          .join('\n'),
        'luhn.csv': csv(
          ['order_id', 'card_number', 'amount'],
          cards.map((c, i) => [String(1000 + i), c.bad, `${between(5, 500)}.00`]),
        ),
        'luhn.json': JSON.stringify(cards.map((c) => ({ payment: { card: c.bad, status: 'rejected' } }))),
      },
      twins: {
        file: 'luhn-twins.log',
        text: cards.map((c) => `${logPrefix()} payment accepted: card ${c.good}`).join('\n'),
        entities: cards.map(() => 'CREDIT_CARD'),
      },
    },
    {
      kind: 'IBANs failing mod-97',
      files: {
        'iban.log': ibans.map((p) => `${logPrefix()} transfer rejected, IBAN ${p.bad} invalid`).join('\n'),
        'iban.csv': csv(
          ['beneficiary_iban', 'bank', 'status'],
          ibans.map((p) => [p.bad, 'Bank', 'invalid']),
        ),
        'iban.jsonl': ibans.map((p) => JSON.stringify({ iban: p.bad, transfer: 'rejected' })).join('\n'),
      },
      twins: {
        file: 'iban-twins.log',
        text: ibans.map((p) => `${logPrefix()} transfer booked to IBAN ${p.good}`).join('\n'),
        entities: ibans.map(() => 'IBAN_CODE'),
      },
    },
    {
      kind: 'UUIDs',
      files: {
        'uuid.log': uuids
          .map((u) => `${logPrefix()} request_id=${u} call completed, contact sync ok in ${between(2, 90)}ms`)
          .join('\n'),
        'uuid.csv': csv(
          ['patient_uuid', 'call_id', 'phone_session'],
          times(4, (i) => [uuids[i] ?? '', uuids[i + 4] ?? '', uuid()]),
        ),
        'uuid.json': JSON.stringify({ items: uuids.map((u) => ({ id: u, contact: 'none' })) }),
      },
    },
    {
      kind: 'git SHAs and short SHAs',
      files: {
        'git.log': shas
          .map(
            (sha) =>
              `${logPrefix()} deploy: commit ${sha} (${sha.slice(0, 7)}), HEAD is now at ${sha.slice(0, 12)}`,
          )
          .join('\n'),
        'git.csv': csv(
          ['commit', 'short', 'author_email_hash'],
          shas.map((sha) => [sha, sha.slice(0, 8), chars(HEX, 40)]),
        ),
        'git.json': JSON.stringify(
          shas.map((sha) => ({ sha, abbrev: sha.slice(0, 7), tree: chars(HEX, 40) })),
        ),
      },
    },
    {
      kind: 'image digests',
      files: {
        'digest.log': digests
          .map((d) => `${logPrefix()} pulled registry.internal/ml/trainer@sha256:${d} Digest: sha256:${d}`)
          .join('\n'),
        'digest.csv': csv(
          ['image', 'digest'],
          digests.map((d) => ['trainer', `sha256:${d}`]),
        ),
        'digest.json': JSON.stringify({
          manifests: digests.map((d) => ({ digest: `sha256:${d}`, size: 7023 })),
        }),
      },
    },
    {
      kind: 'version strings',
      files: {
        'version.log': versions
          .map(
            (v, i) =>
              [
                `${logPrefix()} agent version ${v} started on host`,
                `${logPrefix()} firmware: ${v} flashed`,
                `${logPrefix()} client ver. ${v} connected`,
                `${logPrefix()} remote build=${v}`,
                `${logPrefix()} pip install trainer==${v}`,
                `${logPrefix()} agent upgraded to ${v}`,
              ][i % 6],
          )
          .join('\n'),
        'version.csv': csv(
          ['host_name', 'app_version', 'release'],
          versions.map((v) => [`node-${between(1, 9)}`, v, versions[0] ?? v]),
        ),
        'version.json': JSON.stringify(versions.map((v) => ({ client: { version: v, buildNumber: v } }))),
      },
      twins: {
        file: 'version-twins.log',
        text: times(
          3,
          () =>
            `${logPrefix()} connection from ${between(81, 95)}.${between(1, 250)}.${between(1, 250)}.${between(1, 250)} accepted`,
        ).join('\n'),
        entities: ['IP_ADDRESS', 'IP_ADDRESS', 'IP_ADDRESS'],
      },
    },
    {
      kind: 'ISBNs',
      files: {
        'isbn.log': isbns
          .map(
            (isbn) =>
              `${logPrefix()} catalogue: call number QA76.${between(1, 99)} ISBN ${isbn} checked out at the desk`,
          )
          .join('\n'),
        'isbn.csv': csv(
          ['title', 'isbn', 'call_number'],
          isbns.map((isbn) => [loremWords(3, 1), isbn, `QA${between(1, 99)}.${between(1, 99)}`]),
        ),
        'isbn.json': JSON.stringify(isbns.map((isbn) => ({ book: { isbn, phone_renewal: true } }))),
      },
    },
    {
      kind: 'parcel tracking numbers',
      files: {
        'tracking.log': [
          ...ups.map(
            (t) =>
              `${logPrefix()} UPS ${t.replace(/^(.{2})(.{3})(.{3})(.{2})(.{4})(.{4})$/, '$1 $2 $3 $4 $5 $6')} delivered, contact us if missing`,
          ),
          ...usps.map(
            (t) =>
              `${logPrefix()} USPS tracking ${t.replace(/(\d{4})(?=\d)/g, '$1 ')} - call the post office`,
          ),
          ...fedex.map(
            (t) =>
              `${logPrefix()} shipped via FedEx ${t.replace(/(\d{4})(?=\d)/g, '$1 ')}, call if not received`,
          ),
        ].join('\n'),
        'tracking.csv': csv(
          ['carrier', 'tracking_number', 'contact'],
          [
            ...ups.map((t) => ['UPS', t, 'desk']),
            ...usps.map((t) => ['USPS', t, 'desk']),
            ...fedex.map((t) => ['FedEx', t, 'desk']),
          ],
        ),
        'tracking.json': JSON.stringify({
          shipments: [...ups, ...usps, ...fedex].map((t) => ({ tracking: t })),
        }),
      },
    },
    {
      kind: 'SSN-shaped numbers in invalid ranges',
      files: {
        'ssn.log': ssns.map((s) => `${logPrefix()} kyc: SSN ${s} rejected as never issued`).join('\n'),
        'ssn.csv': csv(
          ['name_hash', 'ssn', 'status'],
          ssns.map((s) => [chars(HEX, 16), s, 'invalid']),
        ),
        'ssn.json': JSON.stringify(
          ssns.map((s) => ({ applicant: { ssn: s, social_security_check: 'failed' } })),
        ),
      },
      twins: {
        file: 'ssn-twins.log',
        text: times(
          3,
          () =>
            `${logPrefix()} kyc: SSN ${pad(between(1, 665), 3)}-${pad(between(1, 99), 2)}-${pad(between(1, 9999), 4)} verified`,
        ).join('\n'),
        entities: ['US_SSN', 'US_SSN', 'US_SSN'],
      },
    },
    {
      kind: 'timestamps and epoch milliseconds',
      files: {
        'time.log': epochs
          .map(
            (e) =>
              `${logPrefix()} call ended ts=${e}${pad(between(0, 999), 3)} started=${e} dur_us=${e}${pad(between(0, 999999), 6)} sms queued at ${new Date(e * 1000).toISOString()}`,
          )
          .join('\n'),
        'time.csv': csv(
          ['created_at', 'updated_at_ms', 'call_started'],
          epochs.map((e) => [new Date(e * 1000).toISOString(), `${e}${pad(between(0, 999), 3)}`, String(e)]),
        ),
        'time.json': JSON.stringify(
          epochs.map((e) => ({
            event: 'call',
            timestamp: e * 1000 + between(0, 999),
            ts: new Date(e * 1000).toISOString(),
          })),
        ),
      },
    },
    {
      kind: 'phone-shaped order numbers in log lines',
      files: {
        'orders.log': orders
          .map(
            (o, i) =>
              [
                `${logPrefix()} order #${o} confirmed, customer will call back`,
                `${logPrefix()} contact center: order ${o} shipped`,
                `${logPrefix()} sms sent for invoice no. ${o}`,
                `${logPrefix()} desk ticket ${o} closed after call`,
                `${logPrefix()} callback failed for order_no=${o}`,
                `${logPrefix()} mobile app: confirmation ${o} sent`,
              ][i % 6],
          )
          .join('\n'),
        'orders.csv': csv(
          ['order_number', 'call_id', 'contact_channel'],
          orders.map((o) => [o, orders[0] ?? o, 'phone']),
        ),
        'orders.json': JSON.stringify(orders.map((o) => ({ order: { id: o, channel: 'phone' } }))),
      },
      twins: {
        file: 'orders-twins.log',
        text: orders
          .slice(0, 3)
          .map((o) => `${logPrefix()} customer asked us to call ${o.replace(/^\d{3}/, '(415)')}`)
          .join('\n'),
        entities: ['PHONE_NUMBER', 'PHONE_NUMBER', 'PHONE_NUMBER'],
      },
    },
    {
      kind: 'base64 of image data',
      files: {
        'images.log': images
          .map((img) => `${logPrefix()} avatar upload ok: <img src="data:${img.mime};base64,${img.data}">`)
          .join('\n'),
        'images.csv': csv(
          ['user_ref', 'thumbnail'],
          images.map((img) => [chars(HEX, 8), `data:${img.mime};base64,${img.data}`]),
        ),
        'images.json': JSON.stringify(images.map((img) => ({ mime: img.mime, image_base64: img.data }))),
      },
    },
    {
      kind: 'lorem ipsum (PERSON false positives)',
      files: {
        'lorem.log': times(6, () => `${logPrefix()} template preview: ${title(loremWords(12, 0.5))}.`).join(
          '\n',
        ),
        'lorem.txt': [
          `Dear ${title(pick(LOREM))} ${title(pick(LOREM))},`,
          '',
          `${title(loremWords(14, 0.6))}. ${title(pick(LOREM))} ${title(pick(LOREM))} said ${loremWords(6, 0.3)}.`,
          `Name: ${title(pick(LOREM))} ${title(pick(LOREM))}`,
          `${title(pick(LOREM))} lives in ${title(pick(LOREM))} ${title(pick(LOREM))}.`,
          '',
          'Regards,',
          `${title(pick(LOREM))} ${title(pick(LOREM))}`,
        ].join('\n'),
        'lorem.csv': csv(
          ['headline', 'body'],
          times(4, () => [
            title(loremWords(4, 1)),
            `Dear ${title(pick(LOREM))} ${title(pick(LOREM))}, ${loremWords(10, 0.4)}.`,
          ]),
        ),
        'lorem.json': JSON.stringify(
          times(3, () => ({
            title: loremWords(3, 1),
            author: `by ${title(pick(LOREM))} ${title(pick(LOREM))}`,
          })),
        ),
      },
    },
  ];
}

interface Finding {
  readonly ruleId: string;
  readonly message: string;
  readonly location: { readonly path: string } & Record<string, unknown>;
  readonly evidence?: { readonly entity?: string; readonly confidence?: string };
}

const KINDS = kinds();
let dir = '';
let findings: Finding[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bulwark-negatives-'));
  for (const kind of KINDS) {
    for (const [name, text] of Object.entries(kind.files)) writeFileSync(join(dir, name), text);
    if (kind.twins) writeFileSync(join(dir, kind.twins.file), kind.twins.text);
  }
  const run = await runCli(['scan', 'data', '.', '--format', 'json', '--no-store'], dir);
  expect(run.stderr).toBe('');
  findings = (JSON.parse(run.stdout) as { findings: Finding[] }).findings;
});

afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
  else console.log('DIR', dir);
});

describe('hard negatives stay silent at medium confidence and above', () => {
  it.each(KINDS.map((k) => [k.kind, k] as const))('%s', (_, kind) => {
    const files = new Set(Object.keys(kind.files));
    const noisy = findings
      .filter((f) => files.has(f.location.path))
      .map((f) => `${f.location.path}: ${f.message}`);
    expect(noisy).toEqual([]);
  });

  it.each(KINDS.filter((k) => k.twins).map((k) => [k.kind, k] as const))(
    'the valid twins of %s are found',
    (_, kind) => {
      const twins = kind.twins;
      if (twins === undefined) throw new Error('filtered on twins');
      const found = findings.filter((f) => f.location.path === twins.file);
      expect(found.map((f) => f.evidence?.entity)).toEqual(twins.entities);
      expect(found.map((f) => f.location['line'])).toEqual(twins.entities.map((_, i) => i + 1));
    },
  );
});
