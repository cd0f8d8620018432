import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scannerOptionSchemas } from '../src/scanners.js';
import { generatedDocs, REPO_ROOT } from '../scripts/gen-docs.js';
import { allRules } from '../src/catalogue.js';
import { configJsonSchema } from '../src/core/config/config-schema.js';
import { renderRulesMarkdown } from '../src/core/report/rules-markdown.js';

describe('generated docs', () => {
  it('covers the rules page and every schema', () => {
    const docs = generatedDocs();
    expect(Object.keys(docs).sort()).toEqual([
      'docs/rules.md',
      'docs/schema/bulwark.schema.json',
      'docs/schema/data-admit.schema.json',
      'docs/schema/data-label.schema.json',
      'docs/schema/decrypt-info.schema.json',
      'docs/schema/gateway-request-event.schema.json',
      'docs/schema/gateway-usage.schema.json',
      'docs/schema/lineage-facets.schema.json',
      'docs/schema/lineage-show.schema.json',
      'docs/schema/lineage.schema.json',
      'docs/schema/redact.schema.json',
      'docs/schema/registry-list.schema.json',
      'docs/schema/registry-push.schema.json',
      'docs/schema/registry-show.schema.json',
      'docs/schema/release-decision.schema.json',
      'docs/schema/report.schema.json',
      'docs/schema/sign.schema.json',
      'docs/schema/unredact.schema.json',
      'docs/schema/verify.schema.json',
    ]);
    expect(docs['docs/rules.md']).toBe(renderRulesMarkdown(allRules()));
    expect(JSON.parse(docs['docs/schema/bulwark.schema.json'] ?? '')).toEqual(
      configJsonSchema(scannerOptionSchemas()),
    );
  });

  it.each(Object.entries(generatedDocs()))('%s is up to date', async (path, expected) => {
    const actual = await readFile(resolve(REPO_ROOT, path), 'utf8').catch(() => '(missing)');
    expect(actual === expected, `${path} is out of date: run \`npm run docs\``).toBe(true);
  });

  it('documents every rule of the catalogue', () => {
    const markdown = generatedDocs()['docs/rules.md'] ?? '';
    for (const rule of allRules()) expect(markdown).toContain(`## ${rule.id}\n`);
  });
});
