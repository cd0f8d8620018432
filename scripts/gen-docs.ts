/**
 * Writes the generated docs: `docs/rules.md` from the rule catalogue and the JSON Schemas of
 * `bulwark.yaml`, of the JSON report and of the JSON outputs of the signing and registry commands. Run with `npm run docs`; `--check` only reports stale files
 * (exit 1), for CI. `test/docs.test.ts` fails when a committed file differs from what this writes.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { allRules } from '../src/catalogue.js';
import { configJsonSchema } from '../src/core/config/config-schema.js';
import { reportJsonSchema } from '../src/core/report/report-schema.js';
import { renderRulesMarkdown } from '../src/core/report/rules-markdown.js';
import { dataOutputJsonSchemas } from '../src/cli/data-schemas.js';
import { redactOutputJsonSchemas } from '../src/data/redact/redact-schema.js';
import { lineageJsonSchemas } from '../src/lineage/lineage-schema.js';
import { gatewayOutputJsonSchemas } from '../src/gateway/output-schemas.js';
import { registryOutputJsonSchemas } from '../src/registry/output-schemas.js';
import { scannerOptionSchemas } from '../src/scanners.js';

/** The repository root, from this file's location. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Every generated file, by path relative to the repository root, with the content it must have now. */
export function generatedDocs(): Record<string, string> {
  return {
    'docs/rules.md': renderRulesMarkdown(allRules()),
    'docs/schema/bulwark.schema.json': jsonFile(configJsonSchema(scannerOptionSchemas())),
    'docs/schema/report.schema.json': jsonFile(reportJsonSchema()),
    ...Object.fromEntries(
      Object.entries({
        ...registryOutputJsonSchemas(),
        ...redactOutputJsonSchemas(),
        ...lineageJsonSchemas(),
        ...dataOutputJsonSchemas(),
        ...gatewayOutputJsonSchemas(),
      }).map(([file, schema]) => [`docs/schema/${file}`, jsonFile(schema)]),
    ),
  };
}

function jsonFile(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** Returns the generated files whose committed content differs from what would be written now. */
export async function staleDocs(root = REPO_ROOT): Promise<string[]> {
  const stale: string[] = [];
  for (const [path, content] of Object.entries(generatedDocs())) {
    const current = await readFile(resolve(root, path), 'utf8').catch(() => undefined);
    if (current !== content) stale.push(path);
  }
  return stale;
}

async function main(args: readonly string[]): Promise<number> {
  if (args.includes('--check')) {
    const stale = await staleDocs();
    for (const path of stale) process.stderr.write(`${path} is out of date; run \`npm run docs\`\n`);
    return stale.length === 0 ? 0 : 1;
  }
  for (const [path, content] of Object.entries(generatedDocs())) {
    const target = resolve(REPO_ROOT, path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, content);
    process.stdout.write(`wrote ${path}\n`);
  }
  return 0;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`gen-docs: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
