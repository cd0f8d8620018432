/**
 * Structured-output enforcement (control G7): the whole answer must be JSON valid against the
 * route's schema. Only the whole answer can be judged, so for a stream this runs at its end.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import { BulwarkError } from '../../core/errors.js';
import type { GuardVerdict } from './guard-types.js';

/** Longest answer the schema check parses (4 Mi characters); a longer one fails the check. */
export const MAX_JSON_ANSWER_LENGTH = 4 * 1024 * 1024;

/** A compiled schema check of whole answers. */
export interface JsonSchemaGuard {
  /** The verdicts (empty when valid) of a complete answer. */
  check(answer: string): GuardVerdict[];
}

/** Compiles `schema` (JSON Schema 2020-12); throws `CONFIG_INVALID` when it is not a valid schema. */
export function compileJsonSchemaGuard(schema: object): JsonSchemaGuard {
  let validate;
  try {
    validate = new Ajv2020({ strict: false, allErrors: false }).compile(schema);
  } catch (error) {
    throw new BulwarkError('CONFIG_INVALID', `jsonSchema: ${(error as Error).message}`, { cause: error });
  }
  const verdict = (message: string): GuardVerdict[] => [
    { guard: 'json-schema', action: 'block', ruleId: 'gateway.output.json-schema', message },
  ];
  return {
    check(answer) {
      if (answer.length > MAX_JSON_ANSWER_LENGTH)
        return verdict(`the answer is longer than ${MAX_JSON_ANSWER_LENGTH} characters and was not checked`);
      let value: unknown;
      try {
        value = JSON.parse(answer);
      } catch {
        return verdict('the answer is not valid JSON');
      }
      if (validate(value)) return [];
      const first = validate.errors?.[0];
      const where =
        first?.instancePath === undefined || first.instancePath === '' ? '(root)' : first.instancePath;
      return verdict(`the answer does not match the schema: ${where} ${first?.message ?? 'is invalid'}`);
    },
  };
}
