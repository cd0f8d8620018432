import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { BulwarkError } from '../../core/errors.js';
import { referenceProblems, type BomDocument } from './bom-document.js';

/** Problems reported at most, so a broken BOM gives a readable message. */
const MAX_REPORTED = 5;

let validator: Validation.JsonStrictValidator | undefined;

/**
 * Validates CycloneDX JSON text against the 1.6 schema with the CycloneDX library's strict validator,
 * then checks bom-ref uniqueness and references. Returns one line per problem; empty when valid.
 */
export async function validateBom(json: string): Promise<string[]> {
  validator ??= new Validation.JsonStrictValidator(Spec.Version.v1dot6);
  const errors: unknown = await validator.validate(json);
  if (errors === null) return referenceProblems(JSON.parse(json) as BomDocument);
  return (Array.isArray(errors) ? (errors as unknown[]) : [errors]).map((error) => {
    const { instancePath, message, params } = error as {
      instancePath?: unknown;
      message?: unknown;
      params?: unknown;
    };
    const where = typeof instancePath === 'string' && instancePath !== '' ? instancePath : '/';
    return `${where}: ${typeof message === 'string' ? message : 'invalid'} ${JSON.stringify(params ?? {})}`;
  });
}

/**
 * Serializes a BOM as indented JSON and validates it; an invalid BOM is a bug in Bulwark, so it is an
 * `INTERNAL` fault and the text is never returned for writing.
 */
export async function renderBom(document: BomDocument): Promise<string> {
  const json = `${JSON.stringify(document, null, 2)}\n`;
  const problems = await validateBom(json);
  if (problems.length > 0) {
    const more = problems.length > MAX_REPORTED ? ` (and ${problems.length - MAX_REPORTED} more)` : '';
    throw new BulwarkError(
      'INTERNAL',
      `the generated CycloneDX BOM is invalid: ${problems.slice(0, MAX_REPORTED).join('; ')}${more}`,
    );
  }
  return json;
}
