import { describe, expect, it } from 'vitest';
import { NEGATIVE_MAKERS } from '../../../test/fixtures/secrets/negatives.js';
import { seededRandom } from '../../../test/fixtures/secrets/random.js';
import { createRecognizerSpecSchema } from '../recognizers/recognizer-schema.js';
import { VALIDATOR_NAMES } from '../recognizers/validators.js';
import { createSecretAnalyzer } from './secret-analyzer.js';
import { curatedSecretRecognizers, SECRET_RECOGNIZERS } from './secret-recognizers.js';
import { curatedSecretValidators, secretValidators } from './secret-validators.js';

const analyzer = createSecretAnalyzer();

/** `[entity, value]` for every match, so a test states the exact value (and so the offsets) found. */
function scan(text: string): [string, string, number][] {
  return analyzer.analyze(text).map((m) => [m.entity, text.slice(m.start, m.end), m.start]);
}

const T36 = 'Zx9Kq2Lm7Np4Rt8Vw1Yb5Cd3Fg6Hj0Kl2Mn4';
const B64_40 = 'q8Vh3Yb1KpZ7LmN0xR2sT5uW9yA4cE6gJ8iK1mO3';
const PEM_BODY = Array.from({ length: 6 }, (_, i) =>
  `${T36}${B64_40.slice(0, 28)}`.replace(/^./, String(i)),
).join('\n');

describe('curated secret recognizers: exact offsets', () => {
  const cases: [string, string, string][] = [
    ['AWS_ACCESS_KEY', 'aws_access_key_id = AKIAZ3MSJV4WWNKWW5FG', 'AKIAZ3MSJV4WWNKWW5FG'],
    ['AWS_SECRET_KEY', `export AWS_SECRET_ACCESS_KEY=${B64_40}`, B64_40],
    [
      'AZURE_STORAGE_KEY',
      `DefaultEndpointsProtocol=https;AccountName=a;AccountKey=${B64_40}${B64_40}${T36.slice(0, 6)}==;EndpointSuffix=core.windows.net`,
      `${B64_40}${B64_40}${T36.slice(0, 6)}==`,
    ],
    ['GITHUB_TOKEN', `git clone https://x:ghp_${T36}@github.com/a/b`, `ghp_${T36}`],
    ['GITLAB_TOKEN', `GITLAB_TOKEN=glpat-${T36.slice(0, 20)}`, `glpat-${T36.slice(0, 20)}`],
    [
      'SLACK_TOKEN',
      `slack: xoxb-123456789012-1234567890123-${T36.slice(0, 24)}`,
      `xoxb-123456789012-1234567890123-${T36.slice(0, 24)}`,
    ],
    [
      'SLACK_WEBHOOK_URL',
      `hook = https://hooks.slack.com/services/T8K2L9Q4M/B7N3P5R1S2/${T36.slice(0, 24)}`,
      `https://hooks.slack.com/services/T8K2L9Q4M/B7N3P5R1S2/${T36.slice(0, 24)}`,
    ],
    ['STRIPE_KEY', `stripe.api_key = "sk_live_${T36}"`, `sk_live_${T36}`],
    [
      'OPENAI_API_KEY',
      `OpenAI(api_key="sk-proj-${T36}${T36}T3BlbkFJ${T36}${T36}")`,
      `sk-proj-${T36}${T36}T3BlbkFJ${T36}${T36}`,
    ],
    [
      'ANTHROPIC_API_KEY',
      `key: sk-ant-api03-${T36}${T36}${T36.slice(0, 21)}AA`,
      `sk-ant-api03-${T36}${T36}${T36.slice(0, 21)}AA`,
    ],
    [
      'HUGGINGFACE_TOKEN',
      'login(token="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")',
      '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',
    ],
    [
      'PRIVATE_KEY',
      `key = """-----BEGIN RSA PRIVATE KEY-----\n${PEM_BODY}\n-----END RSA PRIVATE KEY-----"""`,
      `-----BEGIN RSA PRIVATE KEY-----\n${PEM_BODY}\n-----END RSA PRIVATE KEY-----`,
    ],
    ['PRIVATE_KEY', '-----BEGIN OPENSSH PRIVATE KEY-----', '-----BEGIN OPENSSH PRIVATE KEY-----'],
    [
      'JWT',
      'Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyLTQyIiwiaWF0IjoxNzAwMDAwMDAwfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyLTQyIiwiaWF0IjoxNzAwMDAwMDAwfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
    ],
    [
      'DATABASE_CONNECTION_STRING',
      'DATABASE_URL=postgres://admin:S3cr3tP4ssw0rd@db.internal:5432/app?sslmode=require',
      'postgres://admin:S3cr3tP4ssw0rd@db.internal:5432/app?sslmode=require',
    ],
    [
      'DATABASE_CONNECTION_STRING',
      'url: jdbc:sqlserver://db:1433;databaseName=x;user=sa;password=Xk9mQ2vL7pR4nW8',
      'jdbc:sqlserver://db:1433;databaseName=x;user=sa;password=Xk9mQ2vL7pR4nW8',
    ],
    [
      'DATABASE_CONNECTION_STRING',
      'conn = "Server=tcp:db,1433;Database=app;User Id=sa;Password=Xk9mQ2vL7pR4nW8;"',
      'Server=tcp:db,1433;Database=app;User Id=sa;Password=Xk9mQ2vL7pR4nW8',
    ],
    ['GENERIC_SECRET', 'db_password = "Xk9#mQ2$vL7pR4nW8zT1"', 'Xk9#mQ2$vL7pR4nW8zT1'],
    [
      'GENERIC_SECRET',
      '"clientSecret": "a2e685c4ac5345cb89e190282c0b1df0",',
      'a2e685c4ac5345cb89e190282c0b1df0',
    ],
    ['GENERIC_SECRET', 'config["SMTP_PASSWORD"] = \'Rt8Vw1Yb5Cd3Fg6Hj0Kl\'', 'Rt8Vw1Yb5Cd3Fg6Hj0Kl'],
    ['GENERIC_SECRET', './deploy.sh --api-token Rt8Vw1Yb5Cd3Fg6Hj0Kl --verbose', 'Rt8Vw1Yb5Cd3Fg6Hj0Kl'],
    ['GENERIC_SECRET', 'AUTH_TOKEN=Rt8Vw1Yb5Cd3Fg6Hj0Kl2Mn4', 'Rt8Vw1Yb5Cd3Fg6Hj0Kl2Mn4'],
  ];
  for (const [entity, text, value] of cases) {
    it(`${entity}: ${text.slice(0, 50)}`, () => {
      expect(scan(text)).toEqual([[entity, value, text.indexOf(value)]]);
    });
  }

  it('GCP_SERVICE_ACCOUNT_KEY: the private_key of a service-account JSON', () => {
    const pem = `-----BEGIN PRIVATE KEY-----\\n${PEM_BODY.replace(/\n/g, '\\n')}\\n-----END PRIVATE KEY-----\\n`;
    const text = `{"type": "service_account", "private_key": "${pem}", "client_email": "a@b.iam.gserviceaccount.com"}`;
    expect(scan(text)).toEqual([['GCP_SERVICE_ACCOUNT_KEY', pem, text.indexOf(pem)]]);
  });

  it('AWS_SECRET_KEY only near an AWS secret-key name (or in such a column)', () => {
    expect(scan(`checksum: ${B64_40}`)).toEqual([]);
    const cell = analyzer.analyze(B64_40, { field: 'aws_secret_access_key' });
    expect(cell.map((m) => [m.entity, m.start, m.end])).toEqual([['AWS_SECRET_KEY', 0, 40]]);
  });

  it('reports confidence tiers: high for issuer-formatted tokens, medium for generic assignments', () => {
    expect(analyzer.analyze(`ghp_${T36}`)[0]?.confidence).toBe('high');
    expect(analyzer.analyze('db_password = "Xk9#mQ2$vL7pR4nW8zT1"')[0]?.confidence).toBe('medium');
  });
});

describe('hard negatives stay silent', () => {
  const random = seededRandom(4242);
  for (const [family, make] of Object.entries(NEGATIVE_MAKERS)) {
    it(family, () => {
      for (let i = 0; i < 40; i++) {
        const text = make(random);
        expect(scan(text), text).toEqual([]);
      }
    });
  }

  it('placeholders, references and names that describe a secret rather than hold it', () => {
    for (const text of [
      'password_min_length = "Xk9mQ2vL7pR4nW8zT1Xk"',
      'token_endpoint: "Xk9mQ2vL7pR4nW8zT1Xk"',
      'max_tokens = 4096',
      'tokenizer_name = "Xk9mQ2vL7pR4nW8zT1Xk"',
      'csrf_token = "Xk9mQ2vL7pR4nW8zT1Xk"',
      'secret_key = "abcdefghijklmnopqrstuvwxyz"',
      'api_key = "1234567890123456789"',
      'password = "correct-horse-battery-staple"',
      'DB_PASSWORD=${DB_PASSWORD}',
      'password = get_secret("db")',
      'stripe_key = "sk_test_xxxxxxxxxxxxxxxxxxxxxxxx"',
      'redis://localhost:6379/0',
      'postgres://user:${PGPASSWORD}@db:5432/app',
      '-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----',
      // JWT-shaped, but the header is not JSON, or has no `alg`.
      'eyJub3QganNvbg.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLXNpZ25hdHVyZQ',
      'eyJ0eXAiOiJKV1QifQ.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLXNpZ25hdHVyZQ',
    ]) {
      expect(scan(text), text).toEqual([]);
    }
  });
});

describe('specs for the engine', () => {
  it('pass the recognizer schema of bulwark.yaml (keywords aside) and name existing validators', () => {
    const schema = createRecognizerSpecSchema([...VALIDATOR_NAMES, ...Object.keys(curatedSecretValidators)]);
    for (const { keywords, ...spec } of curatedSecretRecognizers) {
      expect(keywords?.length, spec.id).toBeGreaterThan(0);
      const parsed = schema.safeParse(spec);
      expect(parsed.success, `${spec.id}: ${parsed.error?.message ?? ''}`).toBe(true);
    }
  });

  it('use validator names that do not clash with the built-in registry', () => {
    for (const name of Object.keys(secretValidators)) expect(VALIDATOR_NAMES).not.toContain(name);
    for (const spec of SECRET_RECOGNIZERS)
      expect(secretValidators[spec.validator ?? ''], spec.id).toBeTypeOf('function');
    expect(new Set(SECRET_RECOGNIZERS.map((s) => s.id)).size).toBe(SECRET_RECOGNIZERS.length);
  });
});
