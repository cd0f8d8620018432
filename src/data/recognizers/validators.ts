import { electronicFormatIBAN, isValidIBAN } from 'ibantools';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import validator from 'validator';
import type { ValidatorResult } from '../types.js';
import {
  isPlausibleRecordNumber,
  isPlausibleUsPassport,
  isValidUkNhs,
  isValidUkNino,
  isValidUsItin,
  isValidUsSsn,
} from './id-checks.js';
import { fieldWords } from './context.js';
import { isPlausibleDate } from './dates.js';

/** Where a candidate sits, for validators that look at its surroundings (a version label, a UUID). */
export interface ValidatorContext {
  /** The whole text the candidate was found in. */
  readonly text: string;
  /** Offsets of the candidate in `text` (UTF-16 code units, end exclusive). */
  readonly start: number;
  readonly end: number;
  /** Column name or JSON path of a table cell. */
  readonly field?: string;
}

/** A named check of a candidate value; see {@link ValidatorResult}. */
export type Validator = (value: string, ctx: ValidatorContext) => ValidatorResult;

const INVALID: ValidatorResult = { valid: false };
const valid = (score?: number): ValidatorResult =>
  score === undefined ? { valid: true } : { valid: true, score };

/**
 * Tells whether the candidate is a piece of a longer identifier (a UUID, a git or image digest, a
 * tracking number): the run of word characters and dashes around it holds a letter it does not.
 */
export function isInsideIdentifier(ctx: ValidatorContext): boolean {
  let from = ctx.start;
  let to = ctx.end;
  while (from > 0 && /[\w-]/.test(ctx.text[from - 1] ?? '')) from--;
  while (to < ctx.text.length && /[\w-]/.test(ctx.text[to] ?? '')) to++;
  if (from === ctx.start && to === ctx.end) return false;
  return /[A-Za-z]/.test(ctx.text.slice(from, ctx.start) + ctx.text.slice(ctx.end, to));
}

function digitsOf(value: string): string {
  return value.replace(/\D/g, '');
}

/** Card numbers are written solid or in the networks' groupings (4-4-4-4, 4-6-5, 4-6-4, 4-4-4-4-3). */
function hasCardGrouping(value: string): boolean {
  const groups = value.split(/[ -]/);
  if (groups.length === 1) return true;
  if (new Set(value.replace(/\d/g, '')).size > 1) return false;
  const shape = groups.map((g) => g.length).join('-');
  return /^(?:4-4-4-4|4-4-4-4-[1-3]|4-4-4-[1-3]|4-6-5|4-6-4)$/.test(shape);
}

/**
 * MasterCard numbers: 16 digits from 51–55 or 2221–2720. validator.js's own pattern lacks a group
 * around its alternation (`^5[1-5][0-9]{2}|(…)[0-9]{12}$`), so it takes any Luhn number starting
 * with 51–55 (a 12-digit FedEx tracking number) as a MasterCard; this is the pattern it means.
 */
const MASTERCARD = /^(?:5[1-5]\d{2}|222[1-9]|22[3-9]\d|2[3-6]\d{2}|27[01]\d|2720)\d{12}$/;
const OTHER_NETWORKS = ['amex', 'dinersclub', 'discover', 'jcb', 'unionpay', 'visa'] as const;

/** Tells whether Luhn-valid digits have a card network's prefix and length. */
function isNetworkCardNumber(digits: string): boolean {
  return (
    MASTERCARD.test(digits) || OTHER_NETWORKS.some((provider) => validator.isCreditCard(digits, { provider }))
  );
}

function validateCreditCard(value: string, ctx: ValidatorContext): ValidatorResult {
  const digits = digitsOf(value);
  if (!hasCardGrouping(value) || isInsideIdentifier(ctx) || !validator.isLuhnNumber(digits)) {
    return INVALID;
  }
  if (/^(\d)\1+$/.test(digits)) return INVALID;
  // A known network prefix and length is a card; a bare Luhn number needs "card" nearby.
  return valid(isNetworkCardNumber(digits) ? 0.75 : 0.3);
}

function validateIban(value: string): ValidatorResult {
  const electronic = electronicFormatIBAN(value) ?? '';
  return isValidIBAN(electronic) ? valid(0.9) : INVALID;
}

/** Regions tried for a number written without a country code, most common in our data first. */
const NATIONAL_REGIONS: readonly CountryCode[] = ['US', 'GB', 'DE', 'FR', 'ES', 'IT', 'NL', 'IN', 'AU', 'BR'];

function isDateOrAddressShaped(main: string): boolean {
  return (
    /^\d{4}[-./]\d{1,2}[-./]\d{1,2}$/.test(main) ||
    /^\d{1,2}[-./]\d{1,2}[-./]\d{2,4}$/.test(main) ||
    /^\d{1,3}(?:\.\d{1,3}){3}$/.test(main) ||
    /^\d{1,3}(?:\.\d{3}){2,}$/.test(main)
  );
}

/** Nouns whose number is an identifier, with or without `no`/`number`/`id`/`#` (`order`, `invoice no`). */
const ID_NOUNS =
  'order|invoice|ticket|tracking|shipment|parcel|consignment|waybill|fedex|ups|usps|dhl|sku|isbn|issn|ean|upc|gtin|asin|txn|transaction|confirmation|booking|reservation|receipt|ref|reference';
/** Nouns that name an identifier only with `no`/`number`/`id`/`#` after them (`case no`, `call id`). */
const ID_QUALIFIED_NOUNS =
  'case|po|serial|item|product|customer|account|member|user|session|request|trace|span|message|msg|event|job|call|record|batch|build';
const ID_SUFFIX = String.raw`(?:[ _-]?(?:no|num|nr|number|id|#)\.?)`;
/** An identifier label right before a number (`order #`, `invoice no:`, `call_id=`): the number is that id. */
const ID_LABEL_BEFORE = new RegExp(
  String.raw`(?:^|[^\p{L}\p{N}])(?:(?:${ID_NOUNS})${ID_SUFFIX}?|(?:${ID_QUALIFIED_NOUNS})${ID_SUFFIX})[\s#:=("'\[]*$`,
  'iu',
);
/** Short upper-case groups right before a number (`1Z MHV 371 …`), one of them mixing letters and digits. */
const CODE_GROUPS_BEFORE = /(?:^|\s)((?:[A-Z\d]{1,6}[ -]){1,6})$/;

/** Tells whether the number continues a grouped code such as a UPS `1Z` tracking number. */
function continuesCode(before: string): boolean {
  const groups = CODE_GROUPS_BEFORE.exec(before)?.[1]?.split(/[ -]/) ?? [];
  return groups.some((group) => /[A-Z]/.test(group) && /\d/.test(group));
}
/** A column named for an identifier (`order_id`, `tracking number`, `call id`), as words. */
const ID_FIELD = new RegExp(
  String.raw`(?:^|\s)(?:(?:${ID_NOUNS})(?: (?:no|num|nr|number|id))?|(?:${ID_QUALIFIED_NOUNS}) (?:no|num|nr|number|id))$`,
  'i',
);

/**
 * Tells whether a phone-shaped number is labelled as another identifier: an order, invoice, ticket
 * or tracking number, a call or session id. Log lines are full of them, often next to words like
 * `call` or `contact` that would otherwise count as phone context.
 */
function isLabelledIdentifier(ctx: ValidatorContext): boolean {
  const before = ctx.text.slice(Math.max(0, ctx.start - 40), ctx.start);
  if (ID_LABEL_BEFORE.test(before) || continuesCode(before)) return true;
  return ctx.field !== undefined && ID_FIELD.test(fieldWords(ctx.field));
}

function validatePhone(value: string, ctx: ValidatorContext): ValidatorResult {
  const main = value.replace(/\s*(?:x|ext\.?)\s*\d{1,5}$/i, '');
  const digits = digitsOf(main);
  if (digits.length < 7 || digits.length > 15 || /^(\d)\1+$/.test(digits) || isInsideIdentifier(ctx)) {
    return INVALID;
  }
  if (isLabelledIdentifier(ctx)) return INVALID;
  if (main.startsWith('+') || main.startsWith('00')) {
    const phone = parsePhoneNumberFromString(main.startsWith('00') ? `+${main.slice(2)}` : main);
    if (phone === undefined || !phone.isPossible()) return INVALID;
    return valid(phone.isValid() ? 0.75 : 0.45);
  }
  if (isDateOrAddressShaped(main)) return INVALID;
  // Without a country code a number is only plausible: context decides (the recognizer requires it,
  // so only numbers with a phone word nearby get here). Grouped digits read more like a phone number
  // than a solid run; being valid in a common region's numbering plan adds a little.
  const base = /^\d+$/.test(main) ? 0.1 : 0.3;
  const isValidSomewhere = NATIONAL_REGIONS.some((region) =>
    parsePhoneNumberFromString(main, region)?.isValid(),
  );
  return valid(isValidSomewhere ? base + 0.1 : base);
}

/** RFC 2606 / 6761 names that only ever appear in examples. */
const EXAMPLE_DOMAIN = /(?:^|\.)(?:example\.(?:com|org|net)|example|test|invalid|localhost)$/i;

/** `scheme://user:` right before the candidate: it is the password and host of a URL, not an address. */
const URL_USERINFO = /\/\/[^\s/@]*:$/;

function validateEmail(value: string, ctx: ValidatorContext): ValidatorResult {
  if (!validator.isEmail(value, { require_tld: true, allow_ip_domain: false })) return INVALID;
  if (URL_USERINFO.test(ctx.text.slice(Math.max(0, ctx.start - 160), ctx.start))) return INVALID;
  const at = value.lastIndexOf('@');
  const local = value.slice(0, at).toLowerCase();
  const domain = value.slice(at + 1).toLowerCase();
  // `git@github.com` and friends are SSH users, not people.
  if (local === 'git' && /^(?:github\.com|gitlab\.com|bitbucket\.org|ssh\.dev\.azure\.com)$/.test(domain)) {
    return INVALID;
  }
  return valid(EXAMPLE_DOMAIN.test(domain) ? 0.5 : 0.9);
}

/**
 * What makes a dotted quad a version: a label (`version`, `ver.`, `release`, `build`, `firmware`,
 * `rev`, `v`), an upgrade (`upgraded to`, `updated from`) or a package pin (`==`, `~=`, `>=`, `<=`).
 */
const VERSION_CUE =
  /(?:(?:version|release|build|firmware|\bver\.?|\brev\.?|\bv)\s*[:=]?\s*["']?|\b(?:up|down)grad(?:e|ed|ing)\s+(?:to|from)|\bupdat(?:e|ed|ing)\s+(?:to|from)|[=~<>]=)\s*$/i;

function ipv4Score(value: string): number | undefined {
  const [a = 0, b = 0, c = 0] = value.split('.').map(Number);
  if (a === 0 || a === 127 || a >= 224 || a === 255) return undefined;
  if (
    (a === 192 && b === 0 && c === 2) ||
    (a === 198 && b === 51 && c === 100) ||
    (a === 203 && b === 0 && c === 113)
  ) {
    return undefined;
  }
  const isPrivate =
    a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254);
  return isPrivate ? 0.5 : 0.65;
}

/**
 * An IPv4 address that sits next to a version label (`version: 1.2.3.4`, field `version`) is a
 * version string, not an address: the shapes are identical, the context decides.
 */
function validateIp(value: string, ctx: ValidatorContext): ValidatorResult {
  if (value.includes(':')) {
    if (!validator.isIP(value, 6) || /^[0:]*1?$/.test(value)) return INVALID;
    const groups = value.split(':').filter((g) => g !== '').length;
    return groups >= 3 ? valid(0.65) : INVALID;
  }
  if (!validator.isIP(value, 4)) return INVALID;
  const before = ctx.text.slice(Math.max(0, ctx.start - 32), ctx.start);
  if (VERSION_CUE.test(before) || /version|release|build/i.test(ctx.field ?? '')) return INVALID;
  const score = ipv4Score(value);
  return score === undefined ? INVALID : valid(score);
}

function validateMac(value: string, ctx: ValidatorContext): ValidatorResult {
  if (!validator.isMACAddress(value) || isInsideIdentifier(ctx)) return INVALID;
  const hex = value.replace(/[^0-9a-f]/gi, '').toLowerCase();
  return /^(?:0{12}|f{12})$/.test(hex) ? INVALID : valid();
}

/** Passwords that are written-out placeholders, not secrets. */
const PLACEHOLDER_PASSWORD =
  /^(?:\*+|x+|\.+|<[^>]*>|\$\{[^}]*\}|\$[A-Z_][A-Z0-9_]*|%[^%]*%|\{\{[^}]*\}\}|\[[^\]]*\]|pass(?:word)?|passwd|secret|changeme|your[_-]?password)$/i;

function validateUrlCredentials(value: string): ValidatorResult {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return INVALID;
  }
  const password = decodeURIComponentSafe(url.password);
  if (url.username === '' || password === '' || PLACEHOLDER_PASSWORD.test(password)) return INVALID;
  return valid();
}

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function check(test: (value: string) => boolean): Validator {
  return (value, ctx) => (test(value) && !isInsideIdentifier(ctx) ? valid() : INVALID);
}

/**
 * The validator registry recognizer specs name (`validator: iban`): library-backed where a
 * well-kept library exists (libphonenumber-js, ibantools, validator), exact issuer rules elsewhere.
 */
export const VALIDATORS: Readonly<Record<string, Validator>> = {
  luhn: (value, ctx) =>
    validator.isLuhnNumber(digitsOf(value)) && !isInsideIdentifier(ctx) ? valid() : INVALID,
  'credit-card': validateCreditCard,
  iban: validateIban,
  phone: validatePhone,
  email: validateEmail,
  ip: validateIp,
  mac: validateMac,
  'url-credentials': validateUrlCredentials,
  'us-ssn': check(isValidUsSsn),
  'us-itin': check(isValidUsItin),
  'us-passport': check(isPlausibleUsPassport),
  'uk-nhs': check(isValidUkNhs),
  'uk-nino': check(isValidUkNino),
  date: check(isPlausibleDate),
  'record-number': check(isPlausibleRecordNumber),
};

/** Names of the built-in validators, for messages and the schema. */
export const VALIDATOR_NAMES: readonly string[] = Object.keys(VALIDATORS);
