import type { SensitiveCategory } from '../types.js';

const STARS = '***';

/** First character plus a fixed `***` (length hidden), or only `***` for parts too short to hint at. */
function hint(part: string): string {
  return part.length >= 3 ? `${part[0] ?? ''}${STARS}` : STARS;
}

/** Masks every letter and digit but the last `keep`, leaving separators (length shown, value not). */
function maskTail(value: string, keep: number): string {
  const alnum = value.replace(/[^\p{L}\p{N}]/gu, '').length;
  if (alnum === 0) return '*'.repeat(value.length);
  // Too few characters to show any without showing too much.
  if (alnum < 3 * keep) keep = 0;
  let seen = 0;
  return value.replace(/[\p{L}\p{N}]/gu, (c) => (++seen > alnum - keep ? c : '*'));
}

function maskEmail(value: string): string {
  const at = value.lastIndexOf('@');
  const labels = value.slice(at + 1).split('.');
  const tld = labels.length > 1 ? labels.pop() : undefined;
  if (at < 1 || tld === undefined) return maskGeneric(value);
  return `${hint(value.slice(0, at))}@${hint(labels.join('.'))}.${tld}`;
}

function maskCard(value: string): string {
  const digits = value.replace(/\D/g, '');
  return `**** **** **** ${digits.slice(-4)}`;
}

function maskIban(value: string): string {
  const compact = value.replace(/\s/g, '').toUpperCase();
  const body = compact.slice(4);
  const masked = `${'*'.repeat(Math.max(0, body.length - 2))}${body.slice(-2)}`;
  return [compact.slice(0, 4), ...(masked.match(/.{1,4}/g) ?? [])].join(' ');
}

function maskIp(value: string): string {
  if (/^[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}$/i.test(value)) return `${value.split(':')[0] ?? ''}:****:…`;
  if (/^\d{1,3}(?:\.\d{1,3}){3}$/.test(value)) return `${value.split('.')[0] ?? ''}.***.***.***`;
  return maskGeneric(value);
}

/** The vendor half (OUI) of a MAC address stays readable; the device half is masked. */
function maskMac(value: string): string {
  const separator = /^[0-9a-f]{2}([:-])(?:[0-9a-f]{2}\1){4}[0-9a-f]{2}$/i.exec(value)?.[1];
  if (separator === undefined) return maskGeneric(value);
  return [...value.split(separator).slice(0, 3), '**', '**', '**'].join(separator);
}

function maskUrlCredentials(value: string): string {
  try {
    const url = new URL(value);
    return `${url.protocol}//${hint(decodeURIComponent(url.username))}:****@${url.host}`;
  } catch {
    return maskSecret(value);
  }
}

function maskWords(value: string): string {
  return value
    .split(/(\s+)/)
    .map((part) =>
      /^\s*$/.test(part) ? part : /^\p{L}/u.test(part) ? hint(part) : '*'.repeat(Math.min(part.length, 4)),
    )
    .join('');
}

/** Secrets: the first four characters (fewer for short values) and the length, as gitleaks shows them. */
function maskSecret(value: string): string {
  const shown = Math.min(4, Math.floor(value.length / 4));
  return `${value.slice(0, shown)}… (${value.length} chars)`;
}

function maskGeneric(value: string): string {
  return value.length >= 8 ? maskTail(value, 2) : '*'.repeat(value.length);
}

/**
 * A masked preview of a sensitive value for findings and reports: enough to recognize which value
 * it is (last digits of a card, the domain of an e-mail), never the full value (`j***@e***.com`,
 * `**** **** **** 1111`, `DE89 **** **** **** **** 00`, secrets as `AKIA… (20 chars)`).
 */
export function maskValue(entity: string, value: string, category?: SensitiveCategory): string {
  if (value.length <= 4) return '*'.repeat(Math.max(value.length, 1));
  const masked = maskByEntity(entity, value, category);
  // Whatever the shape, the preview must not carry the value (a "date" of punctuation only…).
  return masked.includes(value) ? '*'.repeat(value.length) : masked;
}

function maskByEntity(entity: string, value: string, category: SensitiveCategory | undefined): string {
  switch (entity) {
    case 'EMAIL_ADDRESS':
      return maskEmail(value);
    case 'CREDIT_CARD':
      return maskCard(value);
    case 'IBAN_CODE':
      return maskIban(value);
    case 'US_SSN':
    case 'US_ITIN':
      return `***-**-${value.replace(/\D/g, '').slice(-4)}`;
    case 'PHONE_NUMBER':
    case 'UK_NHS':
    case 'UK_NINO':
    case 'US_PASSPORT':
    case 'MEDICAL_RECORD_NUMBER':
      return maskTail(value, 2);
    case 'IP_ADDRESS':
      return maskIp(value);
    case 'MAC_ADDRESS':
      return maskMac(value);
    case 'URL_WITH_CREDENTIALS':
      return maskUrlCredentials(value);
    case 'DATE_OF_BIRTH':
      return value.replace(/[\p{L}\p{N}]/gu, '*');
    case 'PERSON':
    case 'LOCATION':
      return maskWords(value);
    default:
      return category === 'secret' || category === undefined ? maskSecret(value) : maskGeneric(value);
  }
}
