/**
 * `npx tsx scripts/gen-secret-rules.ts [--check] [CONFIG_DIR]`: translates the gitleaks rule file
 * (default ../shared/data/secrets/gitleaks.toml, MIT, Copyright (c) 2019 Zachary Rice) into
 * src/data/secrets/gitleaks-rules.generated.ts at build time, so nothing parses TOML at run time.
 * Each Go regex is translated exactly (src/data/secrets/go-regex.ts) or the rule is skipped and listed
 * with the reason. `--check` exits 1 when the committed file differs from what would be written.
 */
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { parse } from 'smol-toml';
import { translateGoRegex } from '../src/data/secrets/go-regex.js';
import { type GoNode, parseGoRegex } from '../src/data/secrets/go-regex-parse.js';
import type {
  GitleaksAllowlist,
  GitleaksRule,
  GitleaksRuleShape,
  SkippedGitleaksRule,
  TranslatedRegex,
} from '../src/data/secrets/gitleaks-types.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUTPUT = join(ROOT, 'src/data/secrets/gitleaks-rules.generated.ts');

interface TomlAllowlist {
  description?: string;
  regexTarget?: string;
  condition?: string;
  regexes?: string[];
  paths?: string[];
  stopwords?: string[];
  commits?: string[];
}

interface TomlRule {
  id: string;
  description?: string;
  regex?: string;
  entropy?: number;
  keywords?: string[];
  path?: string;
  secretGroup?: number;
  allowlists?: TomlAllowlist[];
}

interface Provenance {
  repository: string;
  commit: string;
  describe: string;
}

/** A rule that cannot be translated exactly; the message is the reason listed in the output. */
class Untranslatable extends Error {}

function translate(
  source: string,
  what: string,
): TranslatedRegex & { captures: number; mandatory: number[] } {
  const t = translateGoRegex(source);
  if (!t.ok) throw new Untranslatable(`${what}: ${t.reason}`);
  return { regex: t.regex, flags: t.flags, captures: t.captureCount, mandatory: [...t.mandatoryCaptures] };
}

function convertAllowlist(list: TomlAllowlist, notes: string[]): GitleaksAllowlist | undefined {
  const target = list.regexTarget ?? 'secret';
  if (target !== 'secret' && target !== 'match' && target !== 'line') {
    throw new Untranslatable(`allowlist regexTarget "${target}"`);
  }
  const all = list.condition?.toUpperCase() === 'AND';
  const hasContent = (list.regexes?.length ?? 0) > 0 || (list.stopwords?.length ?? 0) > 0;
  const hasScope = (list.paths?.length ?? 0) > 0 || (list.commits?.length ?? 0) > 0;
  if (!hasContent) {
    notes.push('path/commit-only allowlist not applicable to content');
    return undefined;
  }
  if (all && hasScope) {
    notes.push('AND allowlist needing a path or commit never applies to content');
    return undefined;
  }
  return {
    target,
    all,
    regexes: (list.regexes ?? []).map((r) => {
      const { regex, flags } = translate(r, 'allowlist regex');
      return { regex, flags };
    }),
    stopwords: (list.stopwords ?? []).map((w) => w.toLowerCase()),
  };
}

/** Texts longer than this are fed in chunks of whole lines to rules that backtrack quadratically. */
const CHUNK_LENGTH = 2048;

/**
 * Whether a pattern repeats, without bound, a class holding nearly every printable character (`.*?`):
 * Go's RE2 runs it in linear time, V8 backtracks through it from every start, quadratic in the line.
 */
function hasWideUnboundedRepeat(source: string): boolean {
  const printable = (node: Extract<GoNode, { kind: 'set' }>) => {
    let n = 0;
    for (let c = 0x20; c <= 0x7e; c++) if (node.set.some(([lo, hi]) => c >= lo && c <= hi)) n++;
    return n;
  };
  const visit = (node: GoNode): boolean => {
    switch (node.kind) {
      case 'repeat':
        return (
          (node.max === Infinity && node.body.kind === 'set' && printable(node.body) >= 85) ||
          visit(node.body)
        );
      case 'group':
        return visit(node.body);
      case 'alt':
        return node.branches.some(visit);
      case 'concat':
        return node.items.some(visit);
      case 'set':
      case 'assert':
        return false;
    }
  };
  return visit(parseGoRegex(source));
}

function shapeOf(rule: TomlRule): GitleaksRuleShape {
  if (rule.id.startsWith('generic')) return 'generic';
  return /^(?:\(\?i\))?\[\\w\.-\]\{0,50\}\?/.test(rule.regex ?? '') ? 'assignment' : 'token';
}

function convertRule(rule: TomlRule, notes: string[]): GitleaksRule {
  if (rule.path !== undefined) {
    throw new Untranslatable(`path-scoped rule (${rule.path}): data units carry no file path`);
  }
  if (rule.regex === undefined) throw new Untranslatable('rule without a content regex');
  const t = translate(rule.regex, 'regex');
  const wanted = rule.secretGroup ?? (t.captures > 0 ? 1 : 0);
  if (wanted > t.captures) throw new Untranslatable(`secretGroup ${wanted} beyond ${t.captures} groups`);
  // Gitleaks takes the first non-empty group unless secretGroup is set; that is group 1 exactly when
  // group 1 always participates with text. Otherwise the secret is found at run time, as gitleaks does.
  const fixed = wanted === 0 || t.mandatory.includes(wanted);
  const allowlists = (rule.allowlists ?? [])
    .map((a) => convertAllowlist(a, notes))
    .filter((a): a is GitleaksAllowlist => a !== undefined);
  return {
    id: rule.id,
    description: rule.description ?? rule.id,
    shape: shapeOf(rule),
    source: rule.regex,
    regex: t.regex,
    flags: t.flags,
    group: fixed ? wanted : 0,
    firstNonEmptyGroup: !fixed,
    keywords: (rule.keywords ?? []).map((k) => k.toLowerCase()),
    ...(rule.entropy !== undefined ? { entropy: rule.entropy } : {}),
    ...(hasWideUnboundedRepeat(rule.regex) ? { maxInput: CHUNK_LENGTH } : {}),
    allowlists,
  };
}

async function readProvenance(dir: string): Promise<Provenance> {
  const readme = await readFile(join(dir, 'README.md'), 'utf8');
  const repository = /source repository \| (\S+)/.exec(readme)?.[1] ?? 'https://github.com/gitleaks/gitleaks';
  const commit = /commit \| `([0-9a-f]{40})`/.exec(readme)?.[1];
  const describe = /`git describe`: `([^`]+)`/.exec(readme)?.[1];
  if (!commit || !describe) throw new Error(`${dir}/README.md does not name the gitleaks commit`);
  return { repository, commit, describe };
}

/** Renders the generated module for the gitleaks file in `dir`. */
export async function renderGitleaksModule(dir: string): Promise<string> {
  const raw = await readFile(join(dir, 'gitleaks.toml'), 'utf8');
  const provenance = await readProvenance(dir);
  const toml = parse(raw) as { rules?: TomlRule[]; allowlist?: TomlAllowlist };
  const rules: GitleaksRule[] = [];
  const skipped: SkippedGitleaksRule[] = [];
  const notes = new Map<string, string[]>();
  for (const rule of toml.rules ?? []) {
    const ruleNotes: string[] = [];
    try {
      rules.push(convertRule(rule, ruleNotes));
      if (ruleNotes.length > 0) notes.set(rule.id, ruleNotes);
    } catch (error) {
      if (!(error instanceof Untranslatable)) throw error;
      skipped.push({ id: rule.id, reason: error.message });
    }
  }
  const globalNotes: string[] = [];
  const global = toml.allowlist ? convertAllowlist({ ...toml.allowlist, paths: [] }, globalNotes) : undefined;
  const paths = (toml.allowlist?.paths ?? []).map((p) => {
    const { regex, flags } = translate(p, 'global path');
    return { regex, flags };
  });
  const sha256 = createHash('sha256').update(raw).digest('hex');
  const chunked = rules.filter((r) => r.maxInput !== undefined).map((r) => r.id);
  const noteLines = [...notes].map(([id, n]) => ` *   - ${id}: ${[...new Set(n)].join('; ')}`);
  const skipLines = skipped.map((s) => ` *   - ${s.id}: ${s.reason}`);
  return `/**
 * GENERATED by scripts/gen-secret-rules.ts; do not edit. Regenerate with
 * \`npx tsx scripts/gen-secret-rules.ts\`.
 *
 * Derived from the gitleaks default rule file (config/gitleaks.toml), ${provenance.repository}
 * at commit ${provenance.commit} (${provenance.describe}), sha256 ${sha256}.
 * gitleaks is MIT-licensed: Copyright (c) 2019 Zachary Rice. The regexes are translated from Go RE2
 * syntax to JavaScript exactly (src/data/secrets/go-regex.ts).
 *
 * ${rules.length} of ${(toml.rules ?? []).length} rules translated. Skipped (${skipped.length}):
${skipLines.join('\n')}
 *
 * Allowlist parts that need a file path or commit, which content scanning does not have, are dropped:
${noteLines.join('\n')}
 *
 * Rules that repeat \`.\`-like classes without bound backtrack quadratically in V8 (Go's RE2 is
 * linear), so they see texts in chunks of whole lines of at most ${CHUNK_LENGTH} characters: ${chunked.join(', ')}.
 */
import type { GitleaksAllowlist, GitleaksRule, SkippedGitleaksRule, TranslatedRegex } from './gitleaks-types.js';

/** Where the rules come from. */
export const GITLEAKS_SOURCE = ${JSON.stringify({ ...provenance, sha256 }, null, 2)} as const;

/** The translated rules, in the file's order. */
export const GITLEAKS_RULES: readonly GitleaksRule[] = ${JSON.stringify(rules, null, 2)};

/** Rules not translated, with the reason. */
export const GITLEAKS_SKIPPED: readonly SkippedGitleaksRule[] = ${JSON.stringify(skipped, null, 2)};

/** The global allowlist (regexes against the secret, stopwords). */
export const GITLEAKS_GLOBAL_ALLOWLIST: GitleaksAllowlist = ${JSON.stringify(global ?? { target: 'secret', all: false, regexes: [], stopwords: [] }, null, 2)};

/** Global path allowlist: files gitleaks never scans (lock files, vendored code, images…). */
export const GITLEAKS_ALLOWED_PATHS: readonly TranslatedRegex[] = ${JSON.stringify(paths, null, 2)};
`;
}

const args = process.argv.slice(2);
const check = args.includes('--check');
const dir = resolve(args.find((a) => !a.startsWith('--')) ?? join(ROOT, '../shared/data/secrets'));
const rendered = await format(await renderGitleaksModule(dir), {
  ...(await resolveConfig(OUTPUT)),
  filepath: OUTPUT,
});
if (check) {
  const current = await readFile(OUTPUT, 'utf8').catch(() => '');
  if (current !== rendered) {
    process.stderr.write(`${OUTPUT} is stale; run npx tsx scripts/gen-secret-rules.ts\n`);
    process.exitCode = 1;
  }
} else {
  await writeFile(OUTPUT, rendered);
  process.stdout.write(`wrote ${OUTPUT}\n`);
}
