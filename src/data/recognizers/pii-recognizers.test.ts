import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileRecognizers } from './engine.js';
import { PII_RECOGNIZERS } from './pii-recognizers.js';
import { VALIDATOR_NAMES } from './validators.js';

const analyzer = compileRecognizers(PII_RECOGNIZERS);

/** A document assembled from text and planted values, remembering where each value landed. */
function plant(parts: readonly (string | readonly [entity: string, value: string])[]): {
  text: string;
  expected: { entity: string; start: number; end: number }[];
} {
  let text = '';
  const expected: { entity: string; start: number; end: number }[] = [];
  for (const part of parts) {
    if (typeof part === 'string') {
      text += part;
    } else {
      expected.push({ entity: part[0], start: text.length, end: text.length + part[1].length });
      text += part[1];
    }
  }
  return { text, expected };
}

function found(text: string, field?: string): { entity: string; start: number; end: number }[] {
  return analyzer
    .analyze(text, field === undefined ? {} : { field })
    .map(({ entity, start, end }) => ({ entity, start, end }));
}

describe('PII recognizers: positives at exact offsets', () => {
  it.each([
    ['EMAIL_ADDRESS', ['Write to ', ['EMAIL_ADDRESS', 'jane.doe+tag@acme-corp.co.uk'], ' today.']],
    ['PHONE_NUMBER (international)', ['Reach us on ', ['PHONE_NUMBER', '+44 20 7946 0958'], '.']],
    ['PHONE_NUMBER (national, context)', ['Call me at ', ['PHONE_NUMBER', '(415) 555-2671'], ' after six']],
    ['PHONE_NUMBER (German)', ['Telefon: ', ['PHONE_NUMBER', '030 1234 5678']]],
    ['CREDIT_CARD (grouped)', ['Visa ', ['CREDIT_CARD', '4111 1111 1111 1111'], ' exp 12/29']],
    ['CREDIT_CARD (solid)', ['card=', ['CREDIT_CARD', '5500005555555559']]],
    ['IBAN_CODE (grouped)', ['IBAN: ', ['IBAN_CODE', 'DE89 3704 0044 0532 0130 00'], '.']],
    ['IBAN_CODE (solid)', ['pay to ', ['IBAN_CODE', 'GB82WEST12345698765432']]],
    ['US_SSN', ['SSN ', ['US_SSN', '536-22-8726'], ' on file']],
    ['US_ITIN', ['ITIN: ', ['US_ITIN', '912-72-3456']]],
    ['US_PASSPORT', ['passport number ', ['US_PASSPORT', 'C03005988']]],
    ['UK_NHS', ['NHS number ', ['UK_NHS', '943 476 5919']]],
    ['UK_NINO', ['National Insurance number ', ['UK_NINO', 'AB 12 34 56 C']]],
    ['IP_ADDRESS (v4)', ['client ', ['IP_ADDRESS', '81.2.69.160'], ' connected.']],
    ['IP_ADDRESS (v6)', ['from ', ['IP_ADDRESS', '2001:db8:85a3::8a2e:370:7334'], ' port 22']],
    ['MAC_ADDRESS', ['hwaddr ', ['MAC_ADDRESS', '3c:22:fb:9a:41:0e']]],
    [
      'URL_WITH_CREDENTIALS',
      ['DATABASE_URL=', ['URL_WITH_CREDENTIALS', 'postgres://app:Xk9v2pQz@db.internal:5432'], '/prod'],
    ],
    ['DATE_OF_BIRTH', ['Date of birth: ', ['DATE_OF_BIRTH', '14/03/1987']]],
    ['DATE_OF_BIRTH (words)', ['She was born on ', ['DATE_OF_BIRTH', 'March 14, 1987'], '.']],
    ['MEDICAL_RECORD_NUMBER', ['MRN: ', ['MEDICAL_RECORD_NUMBER', '00418267'], ' admitted']],
  ] as const)('%s', (_name, parts) => {
    const { text, expected } = plant(parts);
    expect(found(text)).toEqual(expected);
  });

  it('finds several entities in one line, each at its own offsets', () => {
    const { text, expected } = plant([
      'user ',
      ['EMAIL_ADDRESS', 'ops@bulwark.dev'],
      ' from ',
      ['IP_ADDRESS', '203.113.7.9'],
      ' paid with card ',
      ['CREDIT_CARD', '4012-8888-8888-1881'],
      ', phone ',
      ['PHONE_NUMBER', '+1 212-555-0147'],
    ]);
    expect(found(text)).toEqual(expected);
  });

  it('counts the column name as context for a table cell', () => {
    expect(found('030 1234 5678', 'phone_number')).toEqual([{ entity: 'PHONE_NUMBER', start: 0, end: 13 }]);
    expect(found('030 1234 5678', 'amount')).toEqual([]);
    expect(found('1987-03-14', '$.patient.dateOfBirth')).toEqual([
      { entity: 'DATE_OF_BIRTH', start: 0, end: 10 },
    ]);
  });

  it('raises the confidence with context', () => {
    const [bare] = analyzer.analyze('536-22-8726');
    const [withContext] = analyzer.analyze('my SSN is 536-22-8726');
    expect(bare?.confidence).toBe('low');
    expect(withContext?.confidence).toBe('high');
    expect(withContext?.contextWord).toBe('ssn');
  });
});

describe('PII recognizers: hard negatives stay silent', () => {
  it.each([
    ['a card number failing Luhn', 'card 4111 1111 1111 1112'],
    ['a card-shaped ISBN', 'ISBN 978-3-16-148410-0 and 978-0-306-40615-7'],
    ['a solid ISBN-13', 'isbn:9780306406157'],
    ['an IBAN failing mod-97', 'IBAN DE89 3704 0044 0532 0130 01'],
    ['an IBAN with a wrong length', 'IBAN GB82WEST1234569876543'],
    ['a UUID', 'request 123e4567-e89b-12d3-a456-426614174000 done'],
    ['a git SHA', 'commit 9fceb02d0ae598e95dc970b74767f19372d61af8'],
    ['an image digest', 'image@sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'],
    ['a version string', 'version 1.2.3.4 released'],
    ['a version field', 'build=10.0.19041.1'],
    ['an OID', 'oid 1.3.6.1.4.1.311.21.8'],
    ['a UPS tracking number', 'tracking 1Z999AA10123456784'],
    ['a USPS tracking number', 'tracking 9400 1000 0000 0000 0000 00'],
    ['a FedEx tracking number', 'tracking number 123456789012'],
    ['an SSN with area 000', 'SSN 000-12-3456'],
    ['an SSN with area 666', 'SSN 666-12-3456'],
    ['an SSN with area 9xx', 'SSN 923-12-3456'],
    ['an SSN with group 00', 'SSN 123-00-4567'],
    ['an SSN with serial 0000', 'SSN 123-45-0000'],
    ['the Woolworth specimen SSN', 'SSN 078-05-1120'],
    ['an ITIN with a group never issued', 'ITIN 912-93-4567'],
    ['an NHS number failing mod-11', 'NHS number 943 476 5918'],
    ['a NINO with a forbidden prefix', 'National Insurance GB 12 34 56 A'],
    ['a timestamp', '2024-05-18T12:34:56.789Z INFO worker started'],
    ['a log line with ids and durations', 'GET /api/v1/items/28491 200 1530ms bytes=1048576 pid=4417'],
    ['a loopback and a netmask', 'bind 127.0.0.1 mask 255.255.255.0 any 0.0.0.0'],
    ['a documentation IP', 'see 192.0.2.10 in RFC 5737'],
    ['a time', 'at 12:30:45 sharp'],
    [
      'a certificate fingerprint',
      'SHA1 Fingerprint=AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD',
    ],
    ['an SSH git remote', 'git@github.com:acme/widgets.git'],
    ['a URL with a placeholder password', 'postgres://user:${DB_PASSWORD}@db:5432/app'],
    ['a documentation URL with a placeholder password', 'https://user:password@example.com/path'],
    ['a national number without context', 'Order 030 1234 5678 shipped'],
    ['a date without birth context', 'Invoice dated 14/03/1987'],
    ['a record number without context', 'Ticket 00418267 closed'],
    ['a passport-shaped number without context', 'Reference C03005988'],
    ['a large number with thousands separators', 'revenue 1.234.567 EUR'],
    ['npm package spec', 'install left-pad@1.3.0'],
  ])('%s', (_name, text) => {
    expect(found(text)).toEqual([]);
  });
});

describe('docs/data-scanning.md', () => {
  it('lists every built-in recognizer and validator', () => {
    const doc = readFileSync(new URL('../../../docs/data-scanning.md', import.meta.url), 'utf8');
    for (const spec of PII_RECOGNIZERS) expect(doc, spec.id).toContain(`\`${spec.id}\``);
    for (const name of VALIDATOR_NAMES) expect(doc, name).toContain(`\`${name}\``);
  });
});
