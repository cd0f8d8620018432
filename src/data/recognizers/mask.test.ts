import { describe, expect, it } from 'vitest';
import { maskValue } from './mask.js';

describe('maskValue', () => {
  it.each([
    ['EMAIL_ADDRESS', 'jane.doe@example.com', 'j***@e***.com'],
    ['EMAIL_ADDRESS', 'jo@ex.io', '***@***.io'],
    ['CREDIT_CARD', '4111 1111 1111 1111', '**** **** **** 1111'],
    ['CREDIT_CARD', '378282246310005', '**** **** **** 0005'],
    ['IBAN_CODE', 'DE89 3704 0044 0532 0130 00', 'DE89 **** **** **** **** 00'],
    ['US_SSN', '536-22-8726', '***-**-8726'],
    ['PHONE_NUMBER', '+41 (0)44 668 18 00', '+** (*)** *** ** 00'],
    ['IP_ADDRESS', '81.2.69.160', '81.***.***.***'],
    ['IP_ADDRESS', '2001:db8::1', '2001:****:…'],
    ['MAC_ADDRESS', '3c:22:fb:9a:41:0e', '3c:22:fb:**:**:**'],
    [
      'URL_WITH_CREDENTIALS',
      'postgres://app:Xk9v2pQz@db.internal:5432',
      'postgres://a***:****@db.internal:5432',
    ],
    ['URL_WITH_CREDENTIALS', 'redis://default:pw123456@cache', 'redis://d***:****@cache'],
    ['DATE_OF_BIRTH', '14/03/1987', '**/**/****'],
    ['PERSON', 'Ada Lovelace', 'A*** L***'],
    ['LOCATION', '90 Whitchurch Road', '** W*** R***'],
    ['AWS_ACCESS_KEY', 'AKIAIOSFODNN7EXAMPLE', 'AKIA… (20 chars)'],
    ['UK_NHS', '943 476 5919', '*** *** **19'],
    ['ANY', 'abc', '***'],
  ])('%s %s → %s', (entity, value, masked) => {
    expect(maskValue(entity, value)).toBe(masked);
  });

  it('masks unknown non-secret entities keeping only the last two characters', () => {
    expect(maskValue('EMPLOYEE_ID', 'EMP-004211', 'pii')).toBe('***-****11');
    expect(maskValue('EMPLOYEE_ID', 'E-42', 'pii')).toBe('****');
  });

  it('never returns the value itself or a string containing it', () => {
    const entities = [
      'EMAIL_ADDRESS',
      'CREDIT_CARD',
      'IBAN_CODE',
      'US_SSN',
      'PHONE_NUMBER',
      'IP_ADDRESS',
      'MAC_ADDRESS',
      'URL_WITH_CREDENTIALS',
      'DATE_OF_BIRTH',
      'PERSON',
      'LOCATION',
      'SECRET',
      'UK_NINO',
    ];
    let seed = 3;
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const alphabet = 'ab1@.:-/ 9Z';
    for (let i = 0; i < 2000; i++) {
      const value = Array.from(
        { length: 1 + Math.floor(random() * 30) },
        () => alphabet[Math.floor(random() * alphabet.length)],
      ).join('');
      const entity = entities[i % entities.length] ?? 'SECRET';
      const masked = maskValue(entity, value);
      expect(masked.includes(value), `${entity} ${value} → ${masked}`).toBe(false);
    }
  });
});
