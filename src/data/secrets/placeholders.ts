/**
 * Values that look like secrets but are not: placeholders from templates and docs, references to
 * environment variables or template engines, well-known documentation keys, identifiers and digests.
 */

/** Template references: `${VAR}`, `$VAR`, `{{ var }}`, `%VAR%`, `<your-key>`, `[REDACTED]`, `@VAR@`. */
const TEMPLATE =
  /^(?:\$\{[^}]*\}|\$\(?[A-Za-z_][\w.]*\)?|\{\{[^}]*\}\}|\$\{\{[^}]*\}\}|%[A-Za-z_][\w]*%|<[^<>]*>|\[[^\]]*\]|@[A-Za-z_]\w*@|\{[A-Za-z_][\w]*\})$/;

/** Code that reads a secret rather than holding one: `os.environ[…]`, `process.env.X`, `getenv(…)`. */
const ENV_REFERENCE =
  /^(?:os\.(?:environ|getenv)|process\.env|import\.meta\.env|System\.getenv|Environment\.GetEnvironmentVariable|ENV\[|env\(|getenv\(|settings\.|config\.|secrets\.|vars\.|Deno\.env)/i;

/** Words that mark a value as made up; long enough not to occur by chance in a random token. */
const PLACEHOLDER_WORDS =
  /(?:example|placeholder|changeme|change[_-]me|dummy|sample|redacted|your[_-]?(?:api[_-]?)?(?:key|token|secret|password)|insert[_-]?(?:your|key|token)|replace[_-]?(?:me|with)|notasecret|not[_-]?a[_-]?(?:real|secret)|x{5,}|\*{3}|\.{3})/i;

/** Short marker words, only as whole words (`TODO`, `tbd`), since 3-4 letters occur in random text. */
const MARKER_WORDS = /(?:^|[^A-Za-z0-9])(?:todo|tbd|fake|lorem)(?:$|[^A-Za-z0-9])/i;

/** A member chain (`settings.DB_PASSWORD`, `self.token`, `cfg.get(`) or a whole call or subscript (`get_secret("db")`). */
const CODE_SHAPED = /^[A-Za-z_$][\w$]*(?:(?:\.[A-Za-z_$][\w$]*)+(?:[([].*)?|[([].*[)\]])$/;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Tells whether a value is a placeholder, template reference or environment-variable lookup. */
export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  if (v === '') return true;
  if (TEMPLATE.test(v) || ENV_REFERENCE.test(v) || PLACEHOLDER_WORDS.test(v) || MARKER_WORDS.test(v))
    return true;
  if (/^(.)\1+$/.test(v)) return true;
  return isSequence(v);
}

/** Tells whether a value is a dotted code reference (`settings.DB_PASSWORD`, `self.token`). */
export function isCodeReference(value: string): boolean {
  return CODE_SHAPED.test(value);
}

/** Tells whether a value is a UUID. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** Tells whether a value is a hex digest length (MD5 32, SHA-1 40, SHA-256 64, SHA-512 128). */
export function isHexDigest(value: string): boolean {
  return /^[0-9a-f]+$/i.test(value) && [32, 40, 64, 128].includes(value.length);
}

const SEQUENCES = ['abcdefghijklmnopqrstuvwxyz', '0123456789', 'qwertyuiopasdfghjklzxcvbnm'];

/** `abcdefgh…`, `12345678…`, `qwerty…`, alone or repeated: keyboard and alphabet runs. */
function isSequence(value: string): boolean {
  const lower = value.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (lower.length < 8) return false;
  let covered = 0;
  for (let i = 0; i < lower.length;) {
    let best = 1;
    for (const seq of SEQUENCES) {
      const at = seq.indexOf(lower.slice(i, i + 3));
      if (at === -1) continue;
      let n = 0;
      while (i + n < lower.length && lower[i + n] === seq[at + n]) n++;
      best = Math.max(best, n);
    }
    if (best >= 3) covered += best;
    i += best;
  }
  return covered / lower.length >= 0.6;
}

/**
 * Keys and tokens published in vendor documentation, which appear in tutorials and test data
 * everywhere and grant nothing: AWS's `AKIAIOSFODNN7EXAMPLE` pair and jwt.io's sample token.
 */
export const DOCUMENTATION_SECRETS: ReadonlySet<string> = new Set([
  'AKIAIOSFODNN7EXAMPLE',
  'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  'AKIAI44QH8DHBEXAMPLE',
  'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY',
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
]);
