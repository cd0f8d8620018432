/**
 * Our curated secret recognizers: precise entity names, a validator each (secret-validators.ts) and
 * keywords as a prefilter. They take precedence over the gitleaks rules they supersede
 * (SUPERSEDED_GITLEAKS_RULES); {@link SECRET_RECOGNIZERS} is both lists together.
 */
import type { RecognizerSpec } from '../types.js';
import { gitleaksRecognizers } from './gitleaks-rules.js';

const r = String.raw;

/** A token starts where no token character precedes it and ends where none follows. */
const TOKEN_START = r`(?<![\w-])`;
const TOKEN_END = r`(?![\w-])`;

/**
 * A key-like word and the rest of its name, for GENERIC_SECRET. The match starts at the key word
 * (cheap to find); the validator reads the whole name back from the text and decides.
 */
const KEY_NAME = r`(?:pass|pwd|secret|token|api[_.-]?key|access[_.-]?key|private[_.-]?key|auth)[\w.-]{0,40}`;
const ASSIGN = r`["']?\]?[ \t]{0,3}(?::=|=>|\?=|[:=])[ \t]{0,3}(?:(?:Bearer|Basic|Token)[ \t]+)?`;
const PEM_LABEL = r`-----BEGIN[ A-Z0-9_-]{0,40}PRIVATE KEY(?: BLOCK)?-----`;
/** RFC 1421 headers of an encrypted PEM (`Proc-Type: 4,ENCRYPTED`, `DEK-Info: …`). */
const PEM_HEADERS = r`(?:\s*(?:Proc-Type|DEK-Info|Version|Comment):[^\n]{0,100}){0,2}`;
/** Base64 body characters, with the `\n` escapes of a PEM inside a JSON string; no `-`, so a body stops at the next line of dashes. */
const PEM_BODY = r`[A-Za-z0-9+/=\s\\]`;

function secret(spec: Omit<RecognizerSpec, 'category'>): RecognizerSpec {
  return { ...spec, category: 'secret' };
}

/** The curated recognizers, most specific first. */
export const curatedSecretRecognizers: readonly RecognizerSpec[] = [
  secret({
    id: 'secret.aws-access-key',
    entity: 'AWS_ACCESS_KEY',
    patterns: [
      {
        name: 'aws-access-key-id',
        regex: r`(?<![A-Za-z0-9])((?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})(?![A-Za-z0-9])`,
        score: 0.9,
        group: 1,
      },
    ],
    validator: 'secret-aws-access-key',
    keywords: ['akia', 'asia', 'abia', 'acca', 'a3t'],
  }),
  secret({
    id: 'secret.aws-secret-key',
    entity: 'AWS_SECRET_KEY',
    patterns: [
      {
        name: 'aws-secret-access-key',
        regex: r`(?<![A-Za-z0-9/+])([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])`,
        score: 0.5,
        group: 1,
      },
    ],
    validator: 'secret-aws-secret-key',
    context: {
      words: [
        'aws_secret_access_key',
        'aws_secret_key',
        'aws secret access key',
        'aws secret key',
        'secret access key',
        'secretaccesskey',
        'secret_access_key',
        'aws_secret',
      ],
      window: 80,
      boost: 0.4,
      required: true,
    },
    keywords: ['secret'],
  }),
  secret({
    id: 'secret.gcp-service-account-key',
    entity: 'GCP_SERVICE_ACCOUNT_KEY',
    patterns: [
      {
        name: 'gcp-service-account-private-key',
        regex: r`"private_key"\s*:\s*"(${PEM_LABEL}(?:\\[nr])+[A-Za-z0-9+/=\\]{64,16384}?-----END[ A-Z0-9_-]{0,40}PRIVATE KEY-----(?:\\n)?)"`,
        score: 0.95,
        group: 1,
      },
    ],
    validator: 'secret-gcp-service-account',
    keywords: ['private_key'],
  }),
  secret({
    id: 'secret.azure-storage-key',
    entity: 'AZURE_STORAGE_KEY',
    patterns: [
      {
        name: 'azure-account-key',
        regex: r`AccountKey=([A-Za-z0-9+/]{86}==)`,
        flags: 'i',
        score: 0.95,
        group: 1,
      },
      {
        name: 'azure-shared-access-key',
        regex: r`SharedAccessKey=([A-Za-z0-9+/]{42,43}=)(?![A-Za-z0-9+/=])`,
        flags: 'i',
        score: 0.9,
        group: 1,
      },
    ],
    validator: 'secret-token',
    keywords: ['accountkey', 'sharedaccesskey'],
  }),
  secret({
    id: 'secret.github-token',
    entity: 'GITHUB_TOKEN',
    patterns: [
      {
        name: 'github-classic',
        regex: r`${TOKEN_START}(gh[pousr]_[A-Za-z0-9]{36})${TOKEN_END}`,
        score: 0.95,
        group: 1,
      },
      {
        name: 'github-fine-grained',
        regex: r`${TOKEN_START}(github_pat_\w{82})${TOKEN_END}`,
        score: 0.95,
        group: 1,
      },
    ],
    validator: 'secret-token',
    keywords: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_'],
  }),
  secret({
    id: 'secret.gitlab-token',
    entity: 'GITLAB_TOKEN',
    patterns: [
      {
        name: 'gitlab-20',
        regex: r`${TOKEN_START}((?:glpat|gldt|glrt|glft|glsoat|glffct)-[\w-]{20})${TOKEN_END}`,
        score: 0.95,
        group: 1,
      },
      {
        name: 'gitlab-routable',
        regex: r`${TOKEN_START}((?:glpat-|glrt-t\d_)[\w-]{27,300}\.[0-9a-z]{9})${TOKEN_END}`,
        score: 0.95,
        group: 1,
      },
      {
        name: 'gitlab-other',
        regex: r`${TOKEN_START}(glimt-[\w-]{25}|glagent-[\w-]{50}|gloas-[\w-]{64}|glptt-[0-9a-f]{40}|glcbt-[0-9a-zA-Z]{1,5}_[\w-]{20})${TOKEN_END}`,
        score: 0.95,
        group: 1,
      },
    ],
    validator: 'secret-token',
    keywords: [
      'glpat-',
      'gldt-',
      'glrt-',
      'glft-',
      'glsoat-',
      'glffct-',
      'glimt-',
      'glagent-',
      'gloas-',
      'glptt-',
      'glcbt-',
    ],
  }),
  secret({
    id: 'secret.slack-token',
    entity: 'SLACK_TOKEN',
    patterns: [
      {
        name: 'slack-token',
        regex: r`${TOKEN_START}(xox[abeoprs]-(?:\d{1,16}-){1,4}[A-Za-z0-9-]{8,250})${TOKEN_END}`,
        score: 0.9,
        group: 1,
      },
      {
        name: 'slack-config-token',
        regex: r`${TOKEN_START}(xoxe(?:\.xox[bp])?-\d-[A-Z0-9]{140,170})${TOKEN_END}`,
        flags: 'i',
        score: 0.9,
        group: 1,
      },
      {
        name: 'slack-workspace-token',
        regex: r`${TOKEN_START}(xox[ar]-(?:\d-)?[0-9a-zA-Z]{8,48})${TOKEN_END}`,
        score: 0.9,
        group: 1,
      },
      {
        name: 'slack-app-token',
        regex: r`${TOKEN_START}(xapp-\d-[A-Z0-9]+-\d+-[a-z0-9]+)${TOKEN_END}`,
        flags: 'i',
        score: 0.9,
        group: 1,
      },
    ],
    validator: 'secret-token',
    keywords: ['xoxa-', 'xoxb-', 'xoxe', 'xoxo-', 'xoxp-', 'xoxr-', 'xoxs-', 'xapp-'],
  }),
  secret({
    id: 'secret.slack-webhook',
    entity: 'SLACK_WEBHOOK_URL',
    patterns: [
      {
        name: 'slack-webhook',
        regex: r`(?:https?://)?hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9+/]{43,56}(?![A-Za-z0-9+/])`,
        score: 0.9,
      },
    ],
    validator: 'secret-token',
    keywords: ['hooks.slack.com'],
  }),
  secret({
    id: 'secret.stripe-key',
    entity: 'STRIPE_KEY',
    patterns: [
      {
        name: 'stripe-live',
        regex: r`${TOKEN_START}((?:sk|rk)_live_[A-Za-z0-9]{10,99})${TOKEN_END}`,
        score: 0.95,
        group: 1,
      },
      {
        name: 'stripe-test',
        regex: r`${TOKEN_START}((?:sk|rk)_(?:test|prod)_[A-Za-z0-9]{10,99})${TOKEN_END}`,
        score: 0.8,
        group: 1,
      },
    ],
    validator: 'secret-token',
    keywords: ['sk_live_', 'rk_live_', 'sk_test_', 'rk_test_', 'sk_prod_', 'rk_prod_'],
  }),
  secret({
    id: 'secret.openai-api-key',
    entity: 'OPENAI_API_KEY',
    patterns: [
      {
        name: 'openai-project-key',
        regex: r`${TOKEN_START}(sk-(?:proj|svcacct|admin)-[\w-]{20,200}T3BlbkFJ[\w-]{20,200})${TOKEN_END}`,
        score: 0.95,
        group: 1,
      },
      {
        name: 'openai-legacy-key',
        regex: r`${TOKEN_START}(sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20})${TOKEN_END}`,
        score: 0.95,
        group: 1,
      },
      {
        name: 'openai-prefixed-key',
        regex: r`${TOKEN_START}(sk-(?:proj|svcacct|admin)-[\w-]{40,300})${TOKEN_END}`,
        score: 0.8,
        group: 1,
      },
    ],
    validator: 'secret-token',
    keywords: ['t3blbkfj', 'sk-proj-', 'sk-svcacct-', 'sk-admin-'],
  }),
  secret({
    id: 'secret.anthropic-api-key',
    entity: 'ANTHROPIC_API_KEY',
    patterns: [
      {
        name: 'anthropic-key',
        regex: r`${TOKEN_START}(sk-ant-(?:api|admin)\d\d-[\w-]{93}AA)${TOKEN_END}`,
        score: 0.95,
        group: 1,
      },
      {
        name: 'anthropic-other',
        regex: r`${TOKEN_START}(sk-ant-[a-z]{2,10}\d\d-[\w-]{80,120})${TOKEN_END}`,
        score: 0.85,
        group: 1,
      },
    ],
    validator: 'secret-token',
    keywords: ['sk-ant-'],
  }),
  secret({
    id: 'secret.huggingface-token',
    entity: 'HUGGINGFACE_TOKEN',
    patterns: [
      {
        name: 'huggingface-user',
        regex: r`${TOKEN_START}(hf_[A-Za-z]{34})${TOKEN_END}`,
        score: 0.9,
        group: 1,
      },
      {
        name: 'huggingface-org',
        regex: r`${TOKEN_START}(api_org_[A-Za-z]{34})${TOKEN_END}`,
        score: 0.9,
        group: 1,
      },
    ],
    validator: 'secret-token',
    keywords: ['hf_', 'api_org_'],
  }),
  secret({
    id: 'secret.private-key',
    entity: 'PRIVATE_KEY',
    patterns: [
      {
        name: 'pem-block',
        regex: r`${PEM_LABEL}${PEM_HEADERS}${PEM_BODY}{64,16384}?-----END[ A-Z0-9_-]{0,40}PRIVATE KEY(?: BLOCK)?-----`,
        score: 0.95,
      },
      // Scanned line by line, the header is all a unit holds; a block with its END line is the case above.
      // No END within the unit (up to the next line of dashes): a placeholder block `…\n...\n-----END` is not reported.
      { name: 'pem-header', regex: r`${PEM_LABEL}(?![^-]{0,16384}-----END)`, score: 0.85 },
      // A whole PEM file in base64 (`-----BEGIN` encodes to `LS0tLS1CRUdJTi`), as kubeconfig's
      // `client-key-data` and Kubernetes Secrets hold it; the validator decodes it and reads the label.
      {
        name: 'pem-base64',
        regex: r`(?<![A-Za-z0-9+/])(LS0tLS1CRUdJTi[A-Za-z0-9+/]{80,22000}={0,2})(?![A-Za-z0-9+/=])`,
        score: 0.9,
        group: 1,
      },
    ],
    validator: 'secret-private-key',
    keywords: ['private key', 'ls0tls1crudjti'],
  }),
  secret({
    id: 'secret.jwt',
    entity: 'JWT',
    patterns: [
      {
        name: 'jwt',
        regex: r`${TOKEN_START}(eyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]*)${TOKEN_END}`,
        score: 0.85,
        group: 1,
      },
    ],
    validator: 'secret-jwt',
    keywords: ['eyj'],
  }),
  secret({
    id: 'secret.database-connection-string',
    entity: 'DATABASE_CONNECTION_STRING',
    patterns: [
      {
        name: 'database-uri',
        regex: r`(?<![\w+.-])((?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver|cockroachdb|clickhouse|couchdb|neo4j(?:\+s)?)://[^\s:@/'"${'`'}]*:[^\s@/'"${'`'}]+@[^\s/'"${'`'}?#]+(?:/[^\s'"${'`'}?#]*)?(?:\?[^\s'"${'`'}#]*)?)`,
        flags: 'i',
        score: 0.85,
        group: 1,
      },
      {
        name: 'jdbc-password',
        regex: r`(?<![\w.-])(jdbc:[a-z0-9:]+//[^\s'"${'`'}]*?[;?&]password=[^\s;&'"${'`'}]+)`,
        flags: 'i',
        score: 0.85,
        group: 1,
      },
      {
        name: 'jdbc-oracle-thin',
        regex: r`(?<![\w.-])(jdbc:oracle:thin:[^\s/@:'"]+/[^\s/@'"]+@[^\s'"${'`'}]+)`,
        flags: 'i',
        score: 0.85,
        group: 1,
      },
      {
        name: 'ado-net',
        regex: r`(?<![\w])((?:Server|Data Source|Host)=[^;'"${'`'}\n]+;(?:[^;'"${'`'}\n]*;){0,10}?\s*(?:Password|Pwd)=[^;'"${'`'}\n]+)`,
        flags: 'i',
        score: 0.8,
        group: 1,
      },
    ],
    validator: 'secret-connection-string',
    keywords: ['://', 'jdbc:', 'password=', 'pwd='],
  }),
  secret({
    id: 'secret.generic',
    entity: 'GENERIC_SECRET',
    patterns: [
      {
        name: 'generic-double-quoted',
        regex: r`${KEY_NAME}${ASSIGN}"([^"\s\\]{16,256})"`,
        flags: 'i',
        score: 0.6,
        group: 1,
      },
      {
        name: 'generic-single-quoted',
        regex: r`${KEY_NAME}${ASSIGN}'([^'\s\\]{16,256})'`,
        flags: 'i',
        score: 0.6,
        group: 1,
      },
      {
        name: 'generic-bare',
        // A value is not another assignment: in `AuthError: SECRET_KEY=…` the value follows `SECRET_KEY=`.
        regex: r`${KEY_NAME}${ASSIGN}(?![A-Za-z_][\w.-]{2,40}=)([^\s"'${'`'},;\\]{16,256})(?![^\s"'${'`'},;\\])`,
        flags: 'i',
        score: 0.6,
        group: 1,
      },
      {
        name: 'generic-flag',
        regex: r`${KEY_NAME}[ \t]+["']?([^\s"'${'`'}\\]{16,256})`,
        flags: 'i',
        score: 0.6,
        group: 1,
      },
    ],
    validator: 'secret-generic',
    keywords: ['pass', 'pwd', 'secret', 'token', 'key', 'auth'],
  }),
  secret({
    // A table cell or JSON value is the value alone; its column or key is the name (`"password": …`).
    id: 'secret.generic-field',
    entity: 'GENERIC_SECRET',
    patterns: [
      {
        name: 'generic-cell',
        regex: r`^[ \t]*([^\s"'${'`'},;\\]{16,256})[ \t]*$`,
        score: 0.6,
        group: 1,
      },
    ],
    validator: 'secret-generic-field',
    keywords: ['pass', 'pwd', 'secret', 'token', 'key', 'auth'],
  }),
];

/** Every secret recognizer: the curated list and the gitleaks rules it does not supersede. */
export const SECRET_RECOGNIZERS: readonly RecognizerSpec[] = [
  ...curatedSecretRecognizers,
  ...gitleaksRecognizers,
];
