// Test-only: validates BOMs against the CycloneDX 1.6 schema with Ajv, independently of the library.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

const SCHEMA_DIR = resolve(import.meta.dirname, '../../../test/fixtures/bom/cyclonedx');

let compiled: ValidateFunction | undefined;

/**
 * Validates a parsed BOM against `test/fixtures/bom/cyclonedx/bom-1.6.schema.json` (draft-07, with its
 * SPDX and JSF schemas preloaded) and returns Ajv's errors as one line each; empty when valid.
 */
export function schemaErrors(bom: unknown): string[] {
  if (compiled === undefined) {
    const load = (name: string): object => JSON.parse(readFileSync(join(SCHEMA_DIR, name), 'utf8')) as object;
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats.default(ajv);
    // Not in ajv-formats; simple checks keep them from being silently ignored.
    ajv.addFormat('idn-email', /^[^\s@]+@[^\s@]+$/u);
    ajv.addFormat('iri-reference', /^[^\s<>"{}|\\^`]*$/u);
    ajv.addSchema(load('spdx.schema.json'));
    ajv.addSchema(load('jsf-0.82.schema.json'));
    compiled = ajv.compile(load('bom-1.6.schema.json'));
  }
  if (compiled(bom)) return [];
  return (compiled.errors ?? []).map(
    (e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`,
  );
}
