/**
 * Secret recognizers derived from the gitleaks default rule file (https://github.com/gitleaks/gitleaks,
 * MIT, Copyright (c) 2019 Zachary Rice), translated at build time into gitleaks-rules.generated.ts.
 *
 * Each rule becomes a RecognizerSpec (`secret.gitleaks.<rule-id>`) with its keywords as a prefilter
 * and a validator `gitleaks:<rule-id>` that applies what gitleaks does after the regex matches: the
 * secret group (or the first non-empty group), the entropy threshold, the global and rule allowlists
 * (regexes against the secret, the match or the line; stopwords) and the `gitleaks:allow` marker.
 */
import type { Validator, ValidatorContext } from '../recognizers/validators.js';
import type { RecognizerSpec, ValidatorResult } from '../types.js';
import { gitleaksEntropy } from './entropy.js';
import { GITLEAKS_GLOBAL_ALLOWLIST, GITLEAKS_RULES } from './gitleaks-rules.generated.js';
import type { GitleaksAllowlist, GitleaksRule, GitleaksRuleShape } from './gitleaks-types.js';
import { isHexDigest, isUuid } from './placeholders.js';
import { classifySecretName, describesSecret, readAssignedName } from './secret-names.js';

/**
 * Gitleaks rules our curated list (secret-recognizers.ts) covers with a precise entity name and a
 * validator; they are left out of {@link gitleaksRecognizers} so a token is reported once.
 */
export const SUPERSEDED_GITLEAKS_RULES: Readonly<Record<string, string>> = {
  'aws-access-token': 'AWS_ACCESS_KEY',
  'github-pat': 'GITHUB_TOKEN',
  'github-oauth': 'GITHUB_TOKEN',
  'github-app-token': 'GITHUB_TOKEN',
  'github-refresh-token': 'GITHUB_TOKEN',
  'github-fine-grained-pat': 'GITHUB_TOKEN',
  'gitlab-pat': 'GITLAB_TOKEN',
  'gitlab-pat-routable': 'GITLAB_TOKEN',
  'gitlab-deploy-token': 'GITLAB_TOKEN',
  'gitlab-runner-authentication-token': 'GITLAB_TOKEN',
  'gitlab-runner-authentication-token-routable': 'GITLAB_TOKEN',
  'gitlab-ptt': 'GITLAB_TOKEN',
  'gitlab-feed-token': 'GITLAB_TOKEN',
  'gitlab-scim-token': 'GITLAB_TOKEN',
  'gitlab-oauth-app-secret': 'GITLAB_TOKEN',
  'gitlab-kubernetes-agent-token': 'GITLAB_TOKEN',
  'gitlab-incoming-mail-token': 'GITLAB_TOKEN',
  'gitlab-cicd-job-token': 'GITLAB_TOKEN',
  'gitlab-feature-flag-client-token': 'GITLAB_TOKEN',
  'slack-bot-token': 'SLACK_TOKEN',
  'slack-user-token': 'SLACK_TOKEN',
  'slack-app-token': 'SLACK_TOKEN',
  'slack-legacy-bot-token': 'SLACK_TOKEN',
  'slack-legacy-token': 'SLACK_TOKEN',
  'slack-legacy-workspace-token': 'SLACK_TOKEN',
  'slack-config-access-token': 'SLACK_TOKEN',
  'slack-config-refresh-token': 'SLACK_TOKEN',
  'slack-webhook-url': 'SLACK_WEBHOOK_URL',
  'stripe-access-token': 'STRIPE_KEY',
  'openai-api-key': 'OPENAI_API_KEY',
  'anthropic-api-key': 'ANTHROPIC_API_KEY',
  'anthropic-admin-api-key': 'ANTHROPIC_API_KEY',
  'huggingface-access-token': 'HUGGINGFACE_TOKEN',
  'huggingface-organization-api-token': 'HUGGINGFACE_TOKEN',
  'private-key': 'PRIVATE_KEY',
  jwt: 'JWT',
};

/** Base score per rule shape: structured tokens are strong, vendor-name assignments medium, generic low. */
const SHAPE_SCORES: Readonly<Record<GitleaksRuleShape, number>> = {
  token: 0.85,
  assignment: 0.75,
  generic: 0.55,
};

const ALLOW_MARKER = 'gitleaks:allow';

/**
 * Bulwark's additions to gitleaks' generic rule, its noisiest (its findings are low confidence):
 * publishable keys are public by design (Stripe's `pk_live_…`, anything named `publishable`); a UUID
 * is an identifier; a name that describes a secret (`password_min_length`, `token_url`, `api_key_id`)
 * assigns none; and a hex digest under a name that is not a secret's (`cache_key`) is a digest.
 */
const PUBLIC_VALUE = /publishable|(?<![A-Za-z0-9])pk_(?:live|test)_/i;

function isGenericNoise(match: string, secret: string, ctx: ValidatorContext): boolean {
  if (PUBLIC_VALUE.test(match) || isUuid(secret)) return true;
  const name = readAssignedName(ctx.text, ctx.start);
  if (name === undefined) return false;
  return describesSecret(name) || (isHexDigest(secret) && classifySecretName(name) === undefined);
}

/** The recognizer id of a gitleaks rule. */
export function gitleaksRecognizerId(ruleId: string): string {
  return `secret.gitleaks.${ruleId}`;
}

/** The entity name of a gitleaks rule: its id in upper snake case (`adafruit-api-key` → `ADAFRUIT_API_KEY`). */
export function gitleaksEntity(ruleId: string): string {
  const name = ruleId.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
  return /^[A-Z]/.test(name) ? name : `X${name}`;
}

/** The validator name of a gitleaks rule. */
export function gitleaksValidatorName(ruleId: string): string {
  return `gitleaks:${ruleId}`;
}

function toSpec(rule: GitleaksRule): RecognizerSpec {
  return {
    id: gitleaksRecognizerId(rule.id),
    entity: gitleaksEntity(rule.id),
    category: 'secret',
    patterns: [
      {
        name: rule.id,
        regex: rule.regex,
        ...(rule.flags === '' ? {} : { flags: rule.flags }),
        score: SHAPE_SCORES[rule.shape],
        ...(rule.group === 0 ? {} : { group: rule.group }),
      },
    ],
    validator: gitleaksValidatorName(rule.id),
    ...(rule.keywords.length > 0 ? { keywords: rule.keywords } : {}),
  };
}

/** Every translated gitleaks rule as a recognizer spec, superseded ones included. */
export const ALL_GITLEAKS_RECOGNIZERS: readonly RecognizerSpec[] = GITLEAKS_RULES.map(toSpec);

/** The gitleaks recognizers that complement our curated list (superseded rules left out). */
export const gitleaksRecognizers: readonly RecognizerSpec[] = GITLEAKS_RULES.filter(
  (r) => !(r.id in SUPERSEDED_GITLEAKS_RULES),
).map(toSpec);

/**
 * Recognizer id → longest text its patterns run on at once, for the gitleaks rules that backtrack
 * quadratically in V8 (`maxInput` in the generated data); longer texts go in chunks of whole lines.
 */
export const SECRET_CHUNK_LIMITS: ReadonlyMap<string, number> = new Map(
  GITLEAKS_RULES.flatMap((r) =>
    r.maxInput === undefined ? [] : [[gitleaksRecognizerId(r.id), r.maxInput] as const],
  ),
);

interface CompiledAllowlist {
  readonly target: GitleaksAllowlist['target'];
  readonly all: boolean;
  readonly regexes: readonly RegExp[];
  readonly stopwords: readonly string[];
}

function compileAllowlist(list: GitleaksAllowlist): CompiledAllowlist {
  return {
    target: list.target,
    all: list.all,
    regexes: list.regexes.map((r) => new RegExp(r.regex, `u${r.flags}`)),
    stopwords: list.stopwords,
  };
}

/** What gitleaks checks allowlists against, computed only when an allowlist needs it. */
interface FindingParts {
  readonly secret: string;
  readonly match: () => string;
  readonly line: () => string;
}

/** Gitleaks' `checkFindingAllowed` for one allowlist: OR by default, AND when `all`. */
function isAllowed(list: CompiledAllowlist, parts: FindingParts): boolean {
  const checks: boolean[] = [];
  if (list.regexes.length > 0) {
    const target =
      list.target === 'secret' ? parts.secret : list.target === 'match' ? parts.match() : parts.line();
    checks.push(list.regexes.some((re) => re.test(target)));
  }
  if (list.stopwords.length > 0) {
    const lower = parts.secret.toLowerCase();
    checks.push(list.stopwords.some((w) => lower.includes(w)));
  }
  return list.all ? checks.length > 0 && checks.every(Boolean) : checks.some(Boolean);
}

const GLOBAL = compileAllowlist(GITLEAKS_GLOBAL_ALLOWLIST);

/** How far a line is followed each side of a match; beyond, a longer line is cut (bounded work). */
const MAX_LINE_REACH = 4096;

/**
 * The line(s) of `text` holding `[start, end)`, as gitleaks' `Finding.Line`, cut at
 * {@link MAX_LINE_REACH} characters each side so that a megabyte-long line costs no more per match.
 */
export function linesAround(text: string, start: number, end: number): string {
  const floor = Math.max(0, start - MAX_LINE_REACH);
  const ceiling = Math.min(text.length, Math.max(end, start) + MAX_LINE_REACH);
  const before = text.lastIndexOf('\n', start - 1);
  const from = before < floor ? floor : before + 1;
  const newline = text.indexOf('\n', Math.max(end, start));
  return text.slice(from, newline === -1 || newline > ceiling ? ceiling : newline);
}

/**
 * The whole matches of a rule in one text, found once per text: the engine reports the secret group,
 * gitleaks' `match` allowlists need the match it came from. Scanning from the start of the text, as
 * the engine does, gives the same matches; the last text is remembered, since the validator is called
 * for each match of one text in turn.
 */
function createMatchFinder(regex: RegExp): (ctx: ValidatorContext) => string | undefined {
  let lastText: string | undefined;
  let spans: [number, number][] = [];
  return (ctx) => {
    if (ctx.text !== lastText) {
      lastText = ctx.text;
      spans = [];
      regex.lastIndex = 0;
      for (let m = regex.exec(ctx.text); m !== null; m = regex.exec(ctx.text)) {
        if (m[0] === '') regex.lastIndex++;
        else spans.push([m.index, m.index + m[0].length]);
      }
    }
    let low = 0;
    let high = spans.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((spans[mid]?.[0] ?? 0) <= ctx.start) low = mid + 1;
      else high = mid;
    }
    const span = spans[low - 1];
    return span !== undefined && span[1] >= ctx.end ? ctx.text.slice(span[0], span[1]) : undefined;
  };
}

/** Gitleaks trims newlines off a match before it looks at it. */
function trimNewlines(text: string): string {
  return text.replace(/^\n+|\n+$/g, '');
}

/** Gitleaks' secret of a match: `group` when fixed, else the first non-empty group, else the match. */
function secretOf(rule: GitleaksRule, single: RegExp, value: string): string {
  if (!rule.firstNonEmptyGroup) return rule.group === 0 ? trimNewlines(value) : value;
  // The value is the whole match here; gitleaks re-runs the rule on it alone to pick the group.
  const match = trimNewlines(value);
  const groups = single.exec(match);
  return groups?.slice(1).find((g) => g !== undefined && g !== '') ?? match;
}

function createGitleaksValidator(rule: GitleaksRule): Validator {
  const lists = rule.allowlists.map(compileAllowlist);
  const needsMatch =
    rule.shape === 'generic' || lists.some((l) => l.target === 'match' && l.regexes.length > 0);
  const findMatch = createMatchFinder(new RegExp(rule.regex, `gu${rule.flags}`));
  const first = new RegExp(rule.regex, `u${rule.flags}`);
  const verdict: ValidatorResult = { valid: true };
  return (value, ctx) => {
    const line = linesAround(ctx.text, ctx.start, ctx.end);
    if (line.includes(ALLOW_MARKER)) return { valid: false };
    const secret = secretOf(rule, first, value);
    if (rule.entropy !== undefined && gitleaksEntropy(secret) <= rule.entropy) return { valid: false };
    let matchText: string | undefined;
    const parts: FindingParts = {
      secret,
      match: () => {
        matchText ??= needsMatch ? (findMatch(ctx) ?? value) : value;
        return trimNewlines(matchText);
      },
      line: () => line,
    };
    if (isAllowed(GLOBAL, parts) || lists.some((l) => isAllowed(l, parts))) return { valid: false };
    if (rule.shape === 'generic' && isGenericNoise(parts.match(), secret, ctx)) return { valid: false };
    return verdict;
  };
}

/** The validators of the gitleaks recognizers, by name (`gitleaks:<rule-id>`). */
export const gitleaksValidators: Readonly<Record<string, Validator>> = Object.fromEntries(
  GITLEAKS_RULES.map((rule) => [gitleaksValidatorName(rule.id), createGitleaksValidator(rule)]),
);
