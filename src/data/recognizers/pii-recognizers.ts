import type { RecognizerSpec } from '../types.js';

const r = String.raw;

/** A comma-separated word list (phrases keep their spaces). */
const words = (list: string): readonly string[] => list.split(', ');

/** Not preceded by a character that would make the digits part of a longer token. */
const NUM_START = r`(?<![\w+.\-/:@])`;
/** Not followed by one (a sentence's final dot or colon is fine). */
const NUM_END = r`(?![\w@/]|[.\-:]\d)`;
const EXTENSION = r`(?:\s?(?:x|ext\.?)\s?\d{1,5})?`;

const PHONE_WORDS = words(
  'phone, telephone, tel, tel., mobile, cell, cellphone, fax, call, calling, contact, sms, text me, whatsapp, landline, hotline, desk, office, dial, ext., extension, message, messages, voicemail, answering, reach me, telefon, telefonnummer, handy, mobil, rufnummer, festnetz, téléphone, portable, appeler, teléfono, móvil, celular, llamar',
);

const BIRTH_WORDS = words(
  'dob, d.o.b, date of birth, birth date, birthdate, birthday, born, birth, geburtsdatum, geboren, geb., né, née, date de naissance, naissance, fecha de nacimiento, nacimiento, nacido, nacida',
);

const IBAN_WORDS = words(
  'iban, bank, account, transfer, bic, swift, konto, kontonummer, überweisung, compte, virement, cuenta, transferencia',
);

const MONTH = r`(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]{0,6}\.?`;
const YEAR = r`(?:19|20)\d{2}`;

/**
 * The built-in PII, PHI and financial recognizers: each a pattern, a validator from a well-kept
 * library or the issuer's rules, context words (en, de, fr, es where cheap) and a threshold.
 * Numbers written without a country code, dates of birth, record numbers and passports need their
 * context: bare digits in logs are the false positives users of other tools complain about most.
 * PERSON and LOCATION come from the entity tagger (heuristic-tagger.ts), not from here.
 */
export const PII_RECOGNIZERS: readonly RecognizerSpec[] = [
  {
    id: 'pii.email',
    entity: 'EMAIL_ADDRESS',
    category: 'pii',
    patterns: [
      {
        name: 'email',
        regex: r`(?<![\w.+%-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.){1,8}[A-Za-z]{2,24}(?![\w-])`,
        score: 0.5,
      },
    ],
    validator: 'email',
    context: { words: ['email', 'e-mail', 'mail', 'courriel', 'correo'], boost: 0.1 },
  },
  {
    id: 'pii.phone',
    entity: 'PHONE_NUMBER',
    category: 'pii',
    patterns: [
      {
        name: 'international',
        regex: r`${NUM_START}(?:\+|00)[1-9]\d{0,2}[ .\-]?(?:\(0\)[ .\-]?)?(?:\(\d{1,4}\)[ .\-]?)?\d{1,12}(?:[ .\-]\d{1,8}){0,5}${EXTENSION}${NUM_END}`,
        score: 0.4,
      },
    ],
    validator: 'phone',
    context: { words: PHONE_WORDS, window: 60 },
  },
  {
    // Without a country code a number is only a phone number when the text says so.
    id: 'pii.phone-national',
    entity: 'PHONE_NUMBER',
    category: 'pii',
    patterns: [
      {
        name: 'national-grouped',
        regex: r`${NUM_START}(?:\(\d{1,4}\)[ .\-]?|\d{1,4}[ .\-])(?:\d{1,5}[ .\-]){0,4}\d{2,8}${EXTENSION}${NUM_END}`,
        score: 0.3,
      },
      { name: 'national-solid', regex: r`${NUM_START}\d{7,15}${NUM_END}`, score: 0.1 },
    ],
    validator: 'phone',
    context: { words: PHONE_WORDS, window: 60, required: true },
  },
  {
    id: 'pii.credit-card',
    entity: 'CREDIT_CARD',
    category: 'financial',
    patterns: [
      {
        name: 'card-number',
        regex: r`(?<![\w-]|\d[ -])\d(?:[ -]?\d){11,18}(?![ -]?\d)(?![\w-])`,
        score: 0.3,
      },
    ],
    validator: 'credit-card',
    context: {
      words: [
        'card',
        'credit',
        'debit',
        'visa',
        'mastercard',
        'amex',
        'cc',
        'pan',
        'cvv',
        'expiry',
        'karte',
        'kreditkarte',
        'carte',
        'tarjeta',
      ],
    },
  },
  {
    id: 'pii.iban',
    entity: 'IBAN_CODE',
    category: 'financial',
    patterns: [
      {
        name: 'iban-grouped',
        regex: r`(?<!\w)[A-Z]{2}\d{2}(?: [A-Z0-9]{4}){2,7}(?: [A-Z0-9]{1,4})?(?!\w)`,
        score: 0.5,
      },
      { name: 'iban-solid', regex: r`(?<!\w)[A-Z]{2}\d{2}[A-Z0-9]{11,30}(?!\w)`, flags: 'i', score: 0.5 },
    ],
    validator: 'iban',
    context: { words: IBAN_WORDS, boost: 0.1 },
  },
  {
    id: 'pii.us-ssn',
    entity: 'US_SSN',
    category: 'pii',
    patterns: [
      { name: 'ssn-dashed', regex: r`(?<![\w.\-])\d{3}-\d{2}-\d{4}(?![\w\-]|\.\d)`, score: 0.5 },
      { name: 'ssn-spaced', regex: r`(?<![\w.\-]|\d )\d{3} \d{2} \d{4}(?![\w\-]| \d|\.\d)`, score: 0.3 },
      { name: 'ssn-solid', regex: r`(?<![\w.\-])\d{9}(?![\w\-]|\.\d)`, score: 0.2 },
    ],
    validator: 'us-ssn',
    context: { words: ['ssn', 'ssn#', 'ss#', 'social security', 'social security number', 'social sec'] },
  },
  {
    id: 'pii.us-itin',
    entity: 'US_ITIN',
    category: 'pii',
    patterns: [
      { name: 'itin-dashed', regex: r`(?<![\w.\-])9\d{2}-\d{2}-\d{4}(?![\w\-]|\.\d)`, score: 0.5 },
      { name: 'itin-plain', regex: r`(?<![\w.\-])9\d{2} ?\d{2} ?\d{4}(?![\w\-]|\.\d)`, score: 0.3 },
    ],
    validator: 'us-itin',
    context: { words: ['itin', 'taxpayer', 'tax id', 'tax identification', 'tin'] },
  },
  {
    id: 'pii.us-passport',
    entity: 'US_PASSPORT',
    category: 'pii',
    patterns: [{ name: 'passport', regex: r`(?<![\w\-])(?:[A-Z]\d{8}|\d{9})(?![\w\-])`, score: 0.4 }],
    validator: 'us-passport',
    context: {
      words: [
        'passport',
        'passport no',
        'passport number',
        'passport#',
        'travel document',
        'reisepass',
        'passeport',
        'pasaporte',
      ],
      window: 50,
      required: true,
    },
  },
  {
    id: 'phi.uk-nhs',
    entity: 'UK_NHS',
    category: 'phi',
    patterns: [
      { name: 'nhs-number', regex: r`(?<![\w.\-])\d{3}[ -]?\d{3}[ -]?\d{4}(?![\w\-]|\.\d)`, score: 0.3 },
    ],
    validator: 'uk-nhs',
    context: { words: ['nhs', 'nhs number', 'nhs no', 'national health', 'health service', 'patient'] },
  },
  {
    id: 'pii.uk-nino',
    entity: 'UK_NINO',
    category: 'pii',
    patterns: [{ name: 'nino', regex: r`(?<!\w)[A-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D](?!\w)`, score: 0.5 }],
    validator: 'uk-nino',
    context: { words: ['national insurance', 'nino', 'ni number', 'ni no', 'insurance number'] },
  },
  {
    id: 'pii.ip-address',
    entity: 'IP_ADDRESS',
    category: 'pii',
    patterns: [
      {
        name: 'ipv4',
        regex: r`(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?!\w|\.\d)`,
        score: 0.5,
      },
      {
        name: 'ipv6',
        regex: r`(?<![\w:])(?:[0-9A-Fa-f]{1,4}|:)(?::[0-9A-Fa-f]{0,4}){2,7}(?![\w:])`,
        score: 0.5,
      },
    ],
    validator: 'ip',
    context: {
      words: [
        'ip',
        'ip address',
        'ipv4',
        'ipv6',
        'client',
        'remote',
        'host',
        'addr',
        'src',
        'dst',
        'ip-adresse',
        'adresse ip',
        'dirección ip',
      ],
      window: 40,
    },
  },
  {
    id: 'pii.mac-address',
    entity: 'MAC_ADDRESS',
    category: 'pii',
    patterns: [
      {
        name: 'mac-colon',
        regex: r`(?<![\w:\-])[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5}(?![\w:\-])`,
        score: 0.6,
      },
      { name: 'mac-dash', regex: r`(?<![\w:\-])[0-9A-Fa-f]{2}(?:-[0-9A-Fa-f]{2}){5}(?![\w:\-])`, score: 0.6 },
    ],
    validator: 'mac',
    context: { words: ['mac', 'mac address', 'hwaddr', 'ether', 'bssid', 'hardware address'], window: 40 },
  },
  {
    id: 'secret.url-credentials',
    entity: 'URL_WITH_CREDENTIALS',
    category: 'secret',
    patterns: [
      {
        name: 'userinfo',
        regex: r`(?<![\w+.\-])[A-Za-z][A-Za-z0-9+.\-]{1,31}://[^\s:/?#@"'<>]{1,128}:[^\s/?#@"'<>]{1,256}@[^\s/?#"'<>]{1,255}`,
        score: 0.9,
      },
    ],
    validator: 'url-credentials',
  },
  {
    id: 'pii.date-of-birth',
    entity: 'DATE_OF_BIRTH',
    category: 'pii',
    patterns: [
      {
        name: 'numeric',
        regex: r`(?<![\w/.\-])\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})(?![\w/\-]|\.\d)`,
        score: 0.4,
      },
      { name: 'iso', regex: r`(?<![\w/.\-])${YEAR}-\d{2}-\d{2}(?![\w\-]|\.\d)`, score: 0.4 },
      {
        name: 'day-month',
        regex: r`(?<!\w)\d{1,2}(?:st|nd|rd|th)?\.? ${MONTH},? ${YEAR}(?!\w)`,
        flags: 'i',
        score: 0.4,
      },
      {
        name: 'month-day',
        regex: r`(?<!\w)${MONTH} \d{1,2}(?:st|nd|rd|th)?,? ${YEAR}(?!\w)`,
        flags: 'i',
        score: 0.4,
      },
    ],
    validator: 'date',
    context: { words: BIRTH_WORDS, window: 50, boost: 0.45, required: true },
  },
  {
    id: 'phi.medical-record-number',
    entity: 'MEDICAL_RECORD_NUMBER',
    category: 'phi',
    patterns: [
      { name: 'record-number', regex: r`(?<![\w\-])(?:[A-Z]{1,3}[\- ]?)?\d{5,10}(?![\w\-])`, score: 0.4 },
    ],
    validator: 'record-number',
    context: {
      words: [
        'mrn',
        'medical record',
        'medical record number',
        'med rec',
        'patient id',
        'patient number',
        'patient no',
        'chart number',
        'chart no',
        'hospital number',
        'patientennummer',
        'dossier médical',
        'historia clínica',
      ],
      window: 40,
      boost: 0.45,
      required: true,
    },
  },
];
