import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sampleGoRegex } from '../../../test/fixtures/secrets/regex-sample.js';
import { seededRandom } from '../../../test/fixtures/secrets/random.js';
import { GITLEAKS_RULES, GITLEAKS_SKIPPED, GITLEAKS_SOURCE } from './gitleaks-rules.generated.js';
import {
  ALL_GITLEAKS_RECOGNIZERS,
  gitleaksEntity,
  gitleaksRecognizers,
  SECRET_CHUNK_LIMITS,
  SUPERSEDED_GITLEAKS_RULES,
} from './gitleaks-rules.js';
import { createSecretAnalyzer } from './secret-analyzer.js';
import { curatedSecretRecognizers } from './secret-recognizers.js';

const here = dirname(fileURLToPath(import.meta.url));
const SHARED = join(here, '../../../../shared/data/secrets');

const gitleaksOnly = createSecretAnalyzer({ specs: ALL_GITLEAKS_RECOGNIZERS });
const all = createSecretAnalyzer();

function found(text: string, analyzer = gitleaksOnly): string[] {
  return analyzer.analyze(text).map((m) => `${m.entity}@${m.start}-${m.end}`);
}

describe('the generated gitleaks rules', () => {
  it('name the upstream commit and list exactly the skipped rules with a reason', () => {
    expect(GITLEAKS_SOURCE.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(GITLEAKS_SKIPPED.map((s) => s.id).sort()).toEqual([
      'freemius-secret-key',
      'hashicorp-tf-password',
      'kubernetes-secret-yaml',
      'nuget-config-password',
      'pkcs12-file',
    ]);
    for (const s of GITLEAKS_SKIPPED) expect(s.reason).toMatch(/path-scoped rule/);
    expect(GITLEAKS_RULES.length + GITLEAKS_SKIPPED.length).toBe(222);
  });

  it.runIf(existsSync(join(SHARED, 'gitleaks.toml')))(
    'are what the generator writes from the rule file',
    async () => {
      const { execFileSync } = await import('node:child_process');
      const root = join(here, '../../..');
      // --check exits 1 when the committed file differs from a fresh translation.
      expect(() =>
        execFileSync(
          process.execPath,
          ['--import', 'tsx', join(root, 'scripts/gen-secret-rules.ts'), '--check', SHARED],
          {
            cwd: root,
            stdio: 'pipe',
          },
        ),
      ).not.toThrow();
      expect(readFileSync(join(SHARED, 'LICENSE'), 'utf8')).toContain('MIT License');
    },
  );

  it('have lower-case keywords, unique ids and entity names, and superseded ids that exist', () => {
    const ids = new Set(GITLEAKS_RULES.map((r) => r.id));
    for (const r of GITLEAKS_RULES) for (const k of r.keywords) expect(k).toBe(k.toLowerCase());
    for (const id of Object.keys(SUPERSEDED_GITLEAKS_RULES)) expect(ids.has(id), id).toBe(true);
    const curated = new Set(curatedSecretRecognizers.map((s) => s.entity));
    for (const entity of Object.values(SUPERSEDED_GITLEAKS_RULES))
      expect(curated.has(entity), entity).toBe(true);
    expect(gitleaksRecognizers.length).toBe(
      GITLEAKS_RULES.length - Object.keys(SUPERSEDED_GITLEAKS_RULES).length,
    );
    expect(new Set(ALL_GITLEAKS_RECOGNIZERS.map((s) => s.entity)).size).toBe(GITLEAKS_RULES.length);
    expect([...SECRET_CHUNK_LIMITS.keys()].sort()).toEqual([
      'secret.gitleaks.curl-auth-header',
      'secret.gitleaks.curl-auth-user',
      'secret.gitleaks.private-key',
    ]);
  });

  it('each find a sample drawn from their own Go regex, next to a keyword', () => {
    // Same regex and keyword as bittrex-access-key: the overlap goes to one of the two.
    const ambiguous = new Set(['bittrex-secret-key', 'bittrex-access-key']);
    const random = seededRandom(20240501);
    const missed: string[] = [];
    for (const rule of GITLEAKS_RULES.filter((r) => !ambiguous.has(r.id))) {
      let hit = false;
      for (let attempt = 0; attempt < 8 && !hit; attempt++) {
        const text = `${rule.keywords[0] ?? ''}\n${sampleGoRegex(rule.source, random).text}\n`;
        hit = gitleaksOnly.analyze(text).some((m) => m.entity === gitleaksEntity(rule.id));
      }
      if (!hit) missed.push(rule.id);
    }
    expect(missed).toEqual([]);
  });
});

describe('gitleaks semantics', () => {
  const token = 'Zx9Kq2Lm7Np4Rt8Vw1Yb';

  it('reports the secret group of a keyword-assignment rule', () => {
    expect(found(`api_token = "${token}"`)).toEqual([`GENERIC_API_KEY@13-33`]);
  });

  it('drops a secret at or below the rule’s entropy threshold', () => {
    expect(found('api_token = "aaaaaaaaaabbbbbbbbbb"')).toEqual([]);
  });

  it('applies regex allowlists against the secret, the match and the line', () => {
    expect(found('AKIAIOSFODNN7EXAMPLE')).toEqual([]);
    expect(found('AKIAZ3MSJV4WWNKWW5FG')).toEqual(['AWS_ACCESS_TOKEN@0-20']);
    expect(found(`author = "${token}"`)).toEqual([]);
    expect(found(`RUN --mount=type=secret,id=npm api_key=${token}`)).toEqual([]);
  });

  it('applies stopwords (a substring of the lower-cased secret) and the global allowlist', () => {
    expect(found('api_key = "Zx9Kq2Lm7Np4zendVw1Yb"')).toEqual([]);
    expect(found('api_key = "${API_KEY_FROM_ENVIRONMENT}"')).toEqual([]);
  });

  it('honours the gitleaks:allow marker on the line', () => {
    expect(found(`api_key = "${token}" # gitleaks:allow`)).toEqual([]);
  });

  it('reports the whole match when gitleaks takes the first non-empty group at run time', () => {
    const line = `curl -s -H "Authorization: Bearer ${token}" https://api.example.org`;
    const m = gitleaksOnly.analyze(line).find((x) => x.entity === 'CURL_AUTH_HEADER');
    expect(m && line.slice(m.start, m.end)).toBe(`curl -s -H "Authorization: Bearer ${token}"`);
  });

  it('feeds quadratic rules long texts in chunks of whole lines, offsets intact', () => {
    const filler = 'lorem ipsum dolor sit amet\n'.repeat(400);
    const line = `curl -u admin:${token} https://api.example.org/v1`;
    const text = `${filler}${line}\n${filler}`;
    const m = gitleaksOnly.analyze(text).find((x) => x.entity === 'CURL_AUTH_USER');
    expect(m && text.slice(m.start, m.end)).toBe(`admin:${token}`);
  });

  it('drops publishable keys that the generic rule would take (a Bulwark addition)', () => {
    expect(found(`stripe_publishable_key = "pk_live_${token}"`)).toEqual([]);
  });

  it('lets the curated recognizers supersede the gitleaks rules they cover', () => {
    const line = `token: ghp_${token}${token.slice(0, 16)}`;
    expect(found(line, all)).toEqual(['GITHUB_TOKEN@7-47']);
  });
});
