import { describe, expect, it } from 'vitest';
import { isPlausibleDate } from './dates.js';
import {
  isPlausibleRecordNumber,
  isPlausibleUsPassport,
  isValidUkNhs,
  isValidUkNino,
  isValidUsItin,
  isValidUsSsn,
} from './id-checks.js';
import { isInsideIdentifier, VALIDATORS, type ValidatorContext } from './validators.js';

function at(text: string, value: string, field?: string): ValidatorContext {
  const start = text.indexOf(value);
  return { text, start, end: start + value.length, ...(field === undefined ? {} : { field }) };
}

function check(name: string, value: string, text = value, field?: string) {
  const validator = VALIDATORS[name];
  if (validator === undefined) throw new Error(`no validator ${name}`);
  return validator(value, at(text, value, field));
}

describe('issuer rule checks', () => {
  it.each(['536-22-8726', '001-01-0001', '899 99 9999', '772345678'])('accepts the SSN %s', (ssn) => {
    expect(isValidUsSsn(ssn)).toBe(true);
  });

  it.each([
    '000-12-3456',
    '666-12-3456',
    '900-12-3456',
    '999-99-9999',
    '123-00-4567',
    '123-45-0000',
    '078-05-1120',
    '111-11-1111',
    '12-345-678',
  ])('refuses the SSN %s', (ssn) => expect(isValidUsSsn(ssn)).toBe(false));

  it.each([
    ['900-50-1234', true],
    ['912-65-1234', true],
    ['912-70-1234', true],
    ['912-88-1234', true],
    ['912-92-1234', true],
    ['912-94-1234', true],
    ['912-99-1234', true],
    ['912-49-1234', false],
    ['912-66-1234', false],
    ['912-89-1234', false],
    ['912-93-1234', false],
    ['812-70-1234', false],
    ['912-70-0000', false],
  ])('ITIN %s valid: %s', (itin, expected) => expect(isValidUsItin(itin)).toBe(expected));

  it('checks the NHS modulus-11 digit', () => {
    expect(isValidUkNhs('943 476 5919')).toBe(true);
    expect(isValidUkNhs('9434765919')).toBe(true);
    expect(isValidUkNhs('943 476 5918')).toBe(false);
    expect(isValidUkNhs('0000000000')).toBe(false);
    // Weighted sum gives a check digit of 10: never issued.
    expect(isValidUkNhs('1000000010')).toBe(false);
  });

  it.each([
    ['AB123456C', true],
    ['ab 12 34 56 d', true],
    ['QQ123456C', false],
    ['DA123456C', false],
    ['AO123456C', false],
    ['GB123456A', false],
    ['NK123456A', false],
    ['AB123456E', false],
    ['AB000000A', false],
  ])('NINO %s valid: %s', (nino, expected) => expect(isValidUkNino(nino)).toBe(expected));

  it('checks US passport shapes and placeholders', () => {
    expect(isPlausibleUsPassport('C03005988')).toBe(true);
    expect(isPlausibleUsPassport('340020013')).toBe(true);
    expect(isPlausibleUsPassport('123456789')).toBe(false);
    expect(isPlausibleUsPassport('000000000')).toBe(false);
    expect(isPlausibleUsPassport('AB1234567')).toBe(false);
  });

  it('checks record numbers for placeholders', () => {
    expect(isPlausibleRecordNumber('00418267')).toBe(true);
    expect(isPlausibleRecordNumber('MR-77310')).toBe(true);
    expect(isPlausibleRecordNumber('1234567')).toBe(false);
    expect(isPlausibleRecordNumber('9999999')).toBe(false);
    expect(isPlausibleRecordNumber('1234')).toBe(false);
  });

  it.each([
    ['1987-03-14', true],
    ['14/03/1987', true],
    ['3/14/1987', true],
    ['29.02.2000', true],
    ['29.02.1900', false],
    ['31/04/1987', false],
    ['14/13/1987', false],
    ['13/13/1987', false],
    ['12 March 1987', true],
    ['March 12, 1987', true],
    ['Sept 3rd 1990', true],
    ['12 Smarch 1987', false],
    ['1850-01-01', false],
  ])('date %s plausible: %s', (date, expected) => expect(isPlausibleDate(date)).toBe(expected));
});

describe('library-backed validators', () => {
  it('card numbers: Luhn, network prefix, grouping', () => {
    expect(check('credit-card', '4111 1111 1111 1111')).toEqual({ valid: true, score: 0.75 });
    expect(check('credit-card', '4111 1111 1111 1112')).toEqual({ valid: false });
    expect(check('credit-card', '4111-1111 1111-1111')).toEqual({ valid: false });
    expect(check('credit-card', '978-3-16-148410-0')).toEqual({ valid: false });
    // Luhn-valid but no network prefix: kept only with context (below the default threshold).
    expect(check('credit-card', '060426070011')).toEqual({ valid: true, score: 0.3 });
    expect(check('luhn', '79927398713')).toEqual({ valid: true });
  });

  it('IBAN: ibantools mod-97 and country length, any case', () => {
    expect(check('iban', 'DE89 3704 0044 0532 0130 00').valid).toBe(true);
    expect(check('iban', 'gb82west12345698765432').valid).toBe(true);
    expect(check('iban', 'DE89 3704 0044 0532 0130 01').valid).toBe(false);
    expect(check('iban', 'XX89370400440532013000').valid).toBe(false);
  });

  it('phone: libphonenumber-js for international numbers, shape checks for national ones', () => {
    expect(check('phone', '+41 44 668 18 00')).toEqual({ valid: true, score: 0.75 });
    expect(check('phone', '0041 44 668 18 00')).toEqual({ valid: true, score: 0.75 });
    expect(check('phone', '+1 23')).toEqual({ valid: false });
    expect(check('phone', '(415) 555-2671')).toEqual({ valid: true, score: 0.4 });
    expect(check('phone', '4155552671')).toEqual({ valid: true, score: 0.2 });
    expect(check('phone', '1000000001')).toEqual({ valid: true, score: 0.1 });
    expect(check('phone', '2024-05-18')).toEqual({ valid: false });
    expect(check('phone', '10.20.30.40')).toEqual({ valid: false });
    expect(check('phone', '5555555')).toEqual({ valid: false });
  });

  it('e-mail: validator.isEmail, example domains low, SSH users and URL passwords out', () => {
    expect(check('email', 'jane@acme.io')).toEqual({ valid: true, score: 0.9 });
    expect(check('email', 'jane@example.com')).toEqual({ valid: true, score: 0.5 });
    expect(check('email', 'git@github.com').valid).toBe(false);
    expect(check('email', 'jane@acme').valid).toBe(false);
    expect(check('email', 'pw@db.acme.io', 'mysql://root:pw@db.acme.io').valid).toBe(false);
  });

  it('IP: a version label or field makes an IPv4 shape a version', () => {
    expect(check('ip', '81.2.69.160')).toEqual({ valid: true, score: 0.65 });
    expect(check('ip', '10.1.2.3')).toEqual({ valid: true, score: 0.5 });
    expect(check('ip', '1.2.3.4', 'version: 1.2.3.4').valid).toBe(false);
    expect(check('ip', '1.2.3.4', 'v 1.2.3.4').valid).toBe(false);
    expect(check('ip', '1.2.3.4', '1.2.3.4', 'app_version').valid).toBe(false);
    expect(check('ip', '127.0.0.1').valid).toBe(false);
    expect(check('ip', '2001:db8::1').valid).toBe(true);
    expect(check('ip', '::1').valid).toBe(false);
    expect(check('ip', '12:30:45').valid).toBe(false);
  });

  it('MAC, URL credentials', () => {
    expect(check('mac', '3c:22:fb:9a:41:0e').valid).toBe(true);
    expect(check('mac', 'ff:ff:ff:ff:ff:ff').valid).toBe(false);
    expect(check('url-credentials', 'redis://default:s3cr3tPass@cache:6379').valid).toBe(true);
    expect(check('url-credentials', 'https://user:****@host').valid).toBe(false);
    expect(check('url-credentials', 'https://user:<password>@host').valid).toBe(false);
  });

  it('tells when a number is a piece of a longer identifier', () => {
    const text = 'id 123e4567-e89b-12d3-a456-426614174000';
    expect(isInsideIdentifier(at(text, '426614174000'))).toBe(true);
    expect(isInsideIdentifier(at('call 426614174000 now', '426614174000'))).toBe(false);
  });
});
