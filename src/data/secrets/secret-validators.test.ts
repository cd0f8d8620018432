import { describe, expect, it } from 'vitest';
import { alphabetOf, gitleaksEntropy, relativeEntropy, shannonEntropy } from './entropy.js';
import { createKeywordIndex } from './keyword-index.js';
import { isCodeReference, isPlaceholder } from './placeholders.js';
import { assessSecretName, classifySecretName, describesSecret, nameWords } from './secret-names.js';
import { curatedSecretValidators, secretValidators } from './secret-validators.js';

const at = (text: string, value: string) => ({
  text,
  start: text.indexOf(value),
  end: text.indexOf(value) + value.length,
});

function validate(name: string, value: string, text = value) {
  const validator = curatedSecretValidators[name];
  if (!validator) throw new Error(`no validator ${name}`);
  return validator(value, at(text, value));
}

const b64url = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

describe('secret-jwt', () => {
  const sig = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';

  it('accepts three base64url parts whose header is JSON with alg; a JSON payload scores higher', () => {
    expect(
      validate('secret-jwt', `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url({ sub: 'u1' })}.${sig}`),
    ).toEqual({ valid: true, score: 0.9 });
    expect(validate('secret-jwt', `${b64url({ alg: 'none' })}.${b64url({ sub: 'u1' })}.`)).toEqual({
      valid: true,
      score: 0.8,
    });
    expect(
      validate(
        'secret-jwt',
        `${b64url({ alg: 'RS256' })}.${Buffer.from('binary').toString('base64url')}.${sig}`,
      ),
    ).toEqual({ valid: true, score: 0.7 });
  });

  it('refuses headers that are not JSON objects with a string alg, and jwt.io’s sample', () => {
    expect(validate('secret-jwt', `${b64url({ typ: 'JWT' })}.${b64url({ sub: 'u1' })}.${sig}`)).toEqual({
      valid: false,
    });
    expect(validate('secret-jwt', `${b64url(['alg'])}.${b64url({})}.${sig}`)).toEqual({ valid: false });
    expect(validate('secret-jwt', `eyJub3QganNvbg.${b64url({})}.${sig}`)).toEqual({ valid: false });
    expect(validate('secret-jwt', `${b64url({ alg: 1 })}.${b64url({})}.${sig}`)).toEqual({ valid: false });
    expect(
      validate(
        'secret-jwt',
        'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
      ),
    ).toEqual({ valid: false });
  });
});

describe('secret-connection-string', () => {
  it('needs a real password', () => {
    expect(validate('secret-connection-string', 'postgres://app:Xk9mQ2vL7p@db/app')).toEqual({ valid: true });
    expect(validate('secret-connection-string', 'mongodb+srv://app:p%40ss%3Aw0rd99@c.mongodb.net/x')).toEqual(
      { valid: true },
    );
    expect(validate('secret-connection-string', 'redis://:Xk9mQ2vL7p@cache:6379')).toEqual({ valid: true });
    expect(validate('secret-connection-string', 'jdbc:oracle:thin:scott/Xk9mQ2vL7p@db:1521/orcl')).toEqual({
      valid: true,
    });
    for (const placeholder of [
      'postgres://u:password@db/x',
      'postgres://u:${PGPASS}@db/x',
      'mysql://u:<password>@db/x',
      'mysql://u:****@db/x',
      'Server=x;Password=;',
    ]) {
      expect(validate('secret-connection-string', placeholder), placeholder).toEqual({ valid: false });
    }
  });
});

describe('secret-generic', () => {
  it('needs a secret’s name before the value and a high-entropy value', () => {
    expect(
      validate('secret-generic', 'Xk9mQ2vL7pR4nW8zT1', 'db_password = "Xk9mQ2vL7pR4nW8zT1"'),
    ).toMatchObject({ valid: true });
    expect(validate('secret-generic', 'Xk9mQ2vL7pR4nW8zT1', 'db_host = "Xk9mQ2vL7pR4nW8zT1"')).toEqual({
      valid: false,
    });
    expect(validate('secret-generic', 'aaaabbbbccccdddd11', 'password = "aaaabbbbccccdddd11"')).toEqual({
      valid: false,
    });
    expect(
      validate(
        'secret-generic',
        '550e8400-e29b-41d4-a716-446655440000',
        'token: 550e8400-e29b-41d4-a716-446655440000',
      ),
    ).toEqual({ valid: false });
    expect(
      validate('secret-generic', 'https://vault.internal/v1/x', 'token: https://vault.internal/v1/x'),
    ).toEqual({ valid: false });
  });

  it('scores strong names and very random values higher (medium tier at most)', () => {
    const strong = validate('secret-generic', 'Xk9mQ2vL7pR4nW8zT1', 'password: Xk9mQ2vL7pR4nW8zT1');
    const weak = validate('secret-generic', 'Xk9mQ2vL7pR4nW8zT1', 'auth: Xk9mQ2vL7pR4nW8zT1');
    expect(strong).toEqual({ valid: true, score: 0.72 });
    expect(weak).toEqual({ valid: true, score: 0.64 });
  });
});

describe('other validators', () => {
  it('drop AWS documentation keys and SHA-1 hex as AWS secrets', () => {
    expect(validate('secret-aws-access-key', 'AKIAIOSFODNN7EXAMPLE')).toEqual({ valid: false });
    expect(validate('secret-aws-access-key', 'AKIAZ3MSJV4WWNKWW5FG')).toEqual({ valid: true });
    expect(validate('secret-aws-secret-key', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY')).toEqual({
      valid: false,
    });
    expect(validate('secret-aws-secret-key', '3f786850e387550fdab836ed7e6dc881de23001b')).toEqual({
      valid: false,
    });
  });

  it('drop placeholder tokens and PEM blocks without a key body', () => {
    expect(validate('secret-token', 'ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx')).toEqual({ valid: false });
    expect(validate('secret-token', 'ghp_Zx9Kq2Lm7Np4Rt8Vw1Yb5Cd3Fg6Hj0Kl2Mn4')).toEqual({ valid: true });
    expect(
      validate(
        'secret-private-key',
        '-----BEGIN PRIVATE KEY-----\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n-----END PRIVATE KEY-----',
      ),
    ).toEqual({ valid: false });
    expect(validate('secret-private-key', '-----BEGIN PRIVATE KEY-----')).toEqual({ valid: true });
  });

  it('are registered under names the engine can take as extra validators', () => {
    for (const name of Object.keys(curatedSecretValidators)) expect(name).toMatch(/^secret-/);
    expect(Object.keys(secretValidators).filter((n) => n.startsWith('gitleaks:')).length).toBe(217);
  });
});

describe('secret names', () => {
  it('splits names into words at separators and camelCase humps', () => {
    expect(nameWords('AWSSecretAccessKey')).toEqual(['aws', 'secret', 'access', 'key']);
    expect(nameWords('--db-password')).toEqual(['db', 'password']);
    expect(nameWords('config.smtp_PASSWORD')).toEqual(['config', 'smtp', 'password']);
  });

  it('tells secret names from names that merely contain a key word', () => {
    for (const name of [
      'db_password',
      'dbPassword',
      'DBPASSWORD',
      'AWS_SECRET_ACCESS_KEY',
      'apiKey',
      'client_secret',
      'oauth_token',
      'auth',
    ]) {
      expect(classifySecretName(name), name).toBeDefined();
    }
    for (const name of [
      'tokenizer',
      'max_tokens',
      'author',
      'token_url',
      'password_min_length',
      'public_key',
      'csrf_token',
      'api_key_id',
      'secretary',
      'AuthError',
    ]) {
      expect(classifySecretName(name), name).toBeUndefined();
    }
    expect(describesSecret('token_url')).toBe(true);
    expect(describesSecret('db_password')).toBe(false);
  });

  it('reads the assigned name back from the value', () => {
    const read = (text: string, value: string) => assessSecretName(text, text.indexOf(value))?.name;
    expect(read('export DB_PASSWORD=abc', 'abc')).toBe('DB_PASSWORD');
    expect(read('"apiKey": "abc"', 'abc')).toBe('apiKey');
    expect(read('cfg["db_password"] = \'abc\'', 'abc')).toBe('db_password');
    expect(read('--api-token abc', 'abc')).toBe('--api-token');
    expect(read('Authorization: Bearer abc', 'abc')).toBe('Authorization');
    expect(read('the token abc', 'abc')).toBeUndefined();
  });
});

describe('entropy and placeholders', () => {
  it('computes gitleaks’ entropy (divided by UTF-8 bytes) and the alphabet-relative entropy', () => {
    expect(gitleaksEntropy('aabb')).toBe(1);
    expect(shannonEntropy('aabb')).toBe(1);
    // Go divides by len(string), UTF-8 bytes: two 2-byte runes count as probability 2/4.
    expect(gitleaksEntropy('éé')).toBe(0.5);
    expect(shannonEntropy('éé')).toBe(0);
    expect(alphabetOf('deadbeef')).toBe('hex');
    expect(alphabetOf('Zx9-_')).toBe('base64');
    expect(relativeEntropy('0123456789abcdef')).toBe(1);
    expect(relativeEntropy('passwordpassword')).toBeLessThan(0.75);
  });

  it('recognizes placeholders, references and code', () => {
    for (const v of [
      '${DB_PASSWORD}',
      '{{ secrets.X }}',
      '<your-key>',
      'changeme',
      'xxxxxxxx',
      'your_api_key_here',
      'abcdefghijklmnop',
      'TODO',
    ]) {
      expect(isPlaceholder(v), v).toBe(true);
    }
    expect(isPlaceholder('eyBYWpZylMLGH8yEo9hvtBDr')).toBe(false);
    expect(isCodeReference('settings.DB_PASSWORD')).toBe(true);
    expect(isCodeReference('get_secret("db")')).toBe(true);
    expect(isCodeReference('ihC5(}<6^CViTurW')).toBe(false);
  });
});

describe('keyword index', () => {
  const index = createKeywordIndex([['pass'], ['password', 'pwd'], ['sk-ant-'], [], ['key']]);

  it('finds every recognizer with a keyword, overlapping and case-insensitive, plus those without keywords', () => {
    expect(index.match('DB_PASSWORD=x')).toEqual([0, 1, 3]);
    expect(index.match('SK-ANT-api')).toEqual([2, 3]);
    expect(index.match('monkey business')).toEqual([3, 4]);
    expect(index.match('na\u00efve caf\u00e9')).toEqual([3]);
  });

  it('refuses non-ASCII keywords', () => {
    expect(() => createKeywordIndex([['caf\u00e9']])).toThrow(RangeError);
  });
});
