/**
 * Reading the name a value is assigned to (`db_password = …`, `"apiKey": …`, `--token …`,
 * `Authorization: Bearer …`) and deciding whether it names a secret. Names are split into words at
 * `_`, `.`, `-` and camelCase humps, so `tokenizer_path`, `max_tokens`, `author` and `token_url` are
 * not taken for secrets while `dbPassword`, `AWS_SECRET_ACCESS_KEY` and `oauth_token` are.
 */

/** A key-like name found before a value. */
export interface SecretName {
  readonly name: string;
  readonly words: readonly string[];
  /** `password`, `secret`, `token`, `api key`… rather than the weaker `auth` or `pass`. */
  readonly isStrong: boolean;
}

const STRONG_WORDS = new Set(['password', 'passwd', 'secret', 'token', 'apikey', 'passphrase']);
const WEAK_WORDS = new Set(['pwd', 'pass', 'auth', 'authorization']);
/** Pairs of words that together name a secret. */
const STRONG_PAIRS: readonly (readonly [string, string])[] = [
  ['api', 'key'],
  ['access', 'key'],
  ['private', 'key'],
  ['client', 'secret'],
  ['secret', 'key'],
];
/** A name holding one of these is about something public or not a credential. */
const EXCLUDED_WORDS = new Set([
  'public',
  'pub',
  'publishable',
  'csrf',
  'xsrf',
  'captcha',
  'recaptcha',
  'example',
  'sample',
]);
/** A name ending with one of these describes a secret (its URL, length, hash…) rather than holding it. */
const EXCLUDED_LAST_WORDS = new Set([
  'alg',
  'algorithm',
  'arn',
  'audience',
  'backend',
  'budget',
  'checksum',
  'class',
  'cost',
  'count',
  'digest',
  'dir',
  'code',
  'enabled',
  'encoding',
  'endpoint',
  'env',
  'error',
  'errors',
  'exception',
  'expiration',
  'expires',
  'expiry',
  'field',
  'file',
  'format',
  'hash',
  'hashed',
  'header',
  'hint',
  'id',
  'ids',
  'index',
  'issuer',
  'kind',
  'label',
  'len',
  'length',
  'lifetime',
  'limit',
  'location',
  'manager',
  'max',
  'md5',
  'message',
  'method',
  'min',
  'mode',
  'module',
  'name',
  'path',
  'pattern',
  'placeholder',
  'policy',
  'prefix',
  'provider',
  'regex',
  'required',
  'rotation',
  'rule',
  'salt',
  'scope',
  'scopes',
  'sha',
  'sha1',
  'sha256',
  'size',
  'status',
  'strategy',
  'suffix',
  'template',
  'timeout',
  'ttl',
  'type',
  'uri',
  'url',
  'usage',
  'validity',
  'var',
  'version',
]);

const MAX_NAME = 80;

/** Splits a name into lower-case words at separators and camelCase humps (`AWSSecretKey` → aws secret key). */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== '')
    .map((w) => w.toLowerCase());
}

/** `password`, or a run-together name ending in one (`dbpassword`, `apitoken`, `clientsecret`). */
function isStrongWord(word: string): boolean {
  if (STRONG_WORDS.has(word)) return true;
  for (const strong of STRONG_WORDS)
    if (word.length > strong.length + 1 && word.endsWith(strong)) return true;
  return false;
}

/** Classifies a name; undefined when it does not name a secret. */
export function classifySecretName(name: string): SecretName | undefined {
  const words = nameWords(name);
  if (words.length === 0 || describesSecret(name)) return undefined;
  const hasPair = STRONG_PAIRS.some(([a, b]) => words.some((w, i) => w === a && words[i + 1] === b));
  const isStrong = hasPair || words.some(isStrongWord);
  if (!isStrong && !words.some((w) => WEAK_WORDS.has(w))) return undefined;
  return { name, words, isStrong };
}

/**
 * Reads back from `start` (where a value begins) over an opening quote, an auth scheme (`Bearer `),
 * the assignment (`=`, `:`, `:=`, `=>`, `?=`, or spaces after a `--flag`), a closing quote and a
 * subscript bracket, to the name the value is assigned to; undefined when there is none.
 */
export function readAssignedName(text: string, start: number): string | undefined {
  const floor = Math.max(0, start - MAX_NAME - 16);
  let i = start;
  if (/["'`]/.test(text[i - 1] ?? '')) i--;
  // An auth scheme right after the assignment (`Authorization: Bearer …`), not a name ending in it.
  const scheme = /[:=]["']?[ \t]*((?:Bearer|Basic|Token)[ \t]+)$/i.exec(
    text.slice(Math.max(floor, i - 16), i),
  );
  if (scheme) i -= scheme[1]?.length ?? 0;
  let spaces = 0;
  while (i > floor && /[ \t]/.test(text[i - 1] ?? '')) {
    i--;
    spaces++;
  }
  const operator = /(?::=|=>|\?=|[:=])$/.exec(text.slice(Math.max(floor, i - 2), i));
  if (operator) {
    i -= operator[0].length;
    while (i > floor && /[ \t]/.test(text[i - 1] ?? '')) i--;
    // `config["db_password"] = …`: a subscript's closing bracket, then its quote.
    if (text[i - 1] === ']') i--;
    if (/["']/.test(text[i - 1] ?? '')) i--;
  } else if (spaces === 0) {
    return undefined;
  }
  const end = i;
  while (i > floor && /[\w.-]/.test(text[i - 1] ?? '')) i--;
  const name = text.slice(i, end);
  if (name === '' || end - i > MAX_NAME) return undefined;
  // Without an operator only a command-line flag (`--token value`) assigns a value.
  return operator || name.startsWith('-') ? name : undefined;
}

/** The key-like name a value at `start` is assigned to, classified; undefined when it is not a secret's. */
export function assessSecretName(text: string, start: number): SecretName | undefined {
  const name = readAssignedName(text, start);
  return name === undefined ? undefined : classifySecretName(name);
}

/**
 * Tells whether a name describes a secret rather than holding one: it ends with a descriptor
 * (`password_min_length`, `token_url`, `api_key_id`) or names something public (`public_key`).
 */
export function describesSecret(name: string): boolean {
  const words = nameWords(name);
  const last = words[words.length - 1];
  return (last !== undefined && EXCLUDED_LAST_WORDS.has(last)) || words.some((w) => EXCLUDED_WORDS.has(w));
}
