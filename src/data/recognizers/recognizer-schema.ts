import { z } from 'zod';
import { BulwarkError } from '../../core/errors.js';
import { compileSafeRegex } from '../../registry/policy/safe-regex.js';
import { SENSITIVE_CATEGORIES, type RecognizerSpec } from '../types.js';
import { VALIDATOR_NAMES } from './validators.js';

/** Flags a recognizer pattern may carry; `g`, `u` and `d` are the engine's to set. */
const PATTERN_FLAGS = /^(?!.*(.).*\1)[ims]*$/;

/** How many capture groups a compiled expression has. */
function countGroups(regex: string): number {
  return (new RegExp(`(?:${regex})|`, 'u').exec('')?.length ?? 1) - 1;
}

function patternSpecSchema(isTrusted: boolean) {
  return z
    .strictObject({
      name: z.string().min(1).max(80).meta({ description: 'Name for messages and evaluation.' }),
      regex: z.string().min(1).meta({
        description:
          'JavaScript regular expression (Unicode mode), at most 256 characters; no backreferences and no group that holds a quantifier and repeats without bound.',
      }),
      flags: z.string().regex(PATTERN_FLAGS, { error: 'flags may only be i, m and s, each once' }).optional(),
      score: z.number().min(0).max(1).meta({ description: '0–1 score of a bare match.' }),
      group: z.int().min(0).optional().meta({ description: 'Capture group holding the value.' }),
    })
    .superRefine((pattern, ctx) => {
      const flags = PATTERN_FLAGS.test(pattern.flags ?? '') ? (pattern.flags ?? '') : '';
      const problem = isTrusted ? compileProblem(pattern.regex, flags) : safeProblem(pattern.regex);
      if (problem !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['regex'], message: problem, input: pattern.regex });
        return;
      }
      const regex = new RegExp(pattern.regex, `u${flags}`);
      if (regex.test('')) {
        ctx.addIssue({ code: 'custom', path: ['regex'], message: 'the pattern matches the empty string' });
      }
      if (pattern.group !== undefined && pattern.group > countGroups(pattern.regex)) {
        ctx.addIssue({
          code: 'custom',
          path: ['group'],
          message: `the pattern has no group ${pattern.group}`,
        });
      }
    });
}

function safeProblem(regex: string): string | undefined {
  const safe = compileSafeRegex(regex);
  return safe.ok ? undefined : safe.problem;
}

function compileProblem(regex: string, flags: string): string | undefined {
  try {
    new RegExp(regex, `u${flags}`);
    return undefined;
  } catch (cause) {
    return `the pattern is not a valid regular expression (${cause instanceof Error ? cause.message : String(cause)})`;
  }
}

const contextSpecSchema = z.strictObject({
  words: z
    .array(z.string().trim().min(1).max(60))
    .min(1)
    .transform((words) => words.map((w) => w.toLowerCase()))
    .meta({ description: 'Words or short phrases near a match (or the column name) that support it.' }),
  window: z.int().min(0).max(1000).optional().meta({ description: 'Characters searched each side (100).' }),
  boost: z.number().min(0).max(1).optional().meta({ description: 'Added to the score with context (0.35).' }),
  required: z.boolean().optional().meta({ description: 'Drop matches without context.' }),
});

/** Options of {@link createRecognizerSpecSchema}. */
export interface RecognizerSchemaOptions {
  /**
   * A built-in pack reviewed as code: patterns only have to compile. Specs from `bulwark.yaml` are
   * never trusted: their patterns are held to 256 characters and refused when they can backtrack
   * exponentially (CWE-1333).
   */
  readonly isTrusted?: boolean;
}

/**
 * The schema of a recognizer spec for validators with the given names; {@link recognizerSpecSchema}
 * is the one for the built-in registry and untrusted (user) specs.
 */
export function createRecognizerSpecSchema(
  validatorNames: readonly string[],
  options: RecognizerSchemaOptions = {},
) {
  return z
    .strictObject({
      id: z
        .string()
        .regex(/^[a-z0-9][a-z0-9._-]{0,99}$/i, { error: 'expected letters, digits, ".", "_" or "-"' }),
      entity: z
        .string()
        .regex(/^[A-Z][A-Z0-9_]{0,63}$/, { error: 'expected an upper-case name such as EMPLOYEE_ID' }),
      category: z.enum(SENSITIVE_CATEGORIES),
      patterns: z
        .array(patternSpecSchema(options.isTrusted ?? false))
        .min(1)
        .max(32),
      validator: z
        .string()
        .refine((name) => validatorNames.includes(name), {
          error: `expected one of the validators ${validatorNames.join(', ')}`,
        })
        .optional(),
      context: contextSpecSchema.optional(),
      minScore: z.number().min(0).max(1).optional().meta({ description: 'Matches below are dropped (0.5).' }),
      denylist: z.array(z.string()).optional().meta({ description: 'Values never reported.' }),
    })
    .meta({ title: 'Sensitive-data recognizer (docs/data-scanning.md)' });
}

/**
 * A recognizer as written in `bulwark.yaml`: safe regular expressions (CWE-1333), scores in [0, 1],
 * a validator that exists.
 */
export const recognizerSpecSchema = createRecognizerSpecSchema(VALIDATOR_NAMES);

/**
 * Validates a list of recognizer specs (`where` names it in messages, e.g. `scanners.data.recognizers`).
 * Throws one `BulwarkError('CONFIG_INVALID')` naming the first bad setting; ids must be unique.
 */
export function parseRecognizerSpecs(
  value: unknown,
  options: RecognizerSchemaOptions & {
    readonly where?: string;
    readonly validatorNames?: readonly string[];
  } = {},
): RecognizerSpec[] {
  const where = options.where ?? 'recognizers';
  const schema = z.array(createRecognizerSpecSchema(options.validatorNames ?? VALIDATOR_NAMES, options));
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = (issue?.path ?? [])
      .filter((key): key is string | number => typeof key !== 'symbol')
      .map((key) => (typeof key === 'number' ? `[${key}]` : `.${key}`))
      .join('');
    const message =
      issue?.code === 'unrecognized_keys'
        ? `unknown key ${issue.keys.join(', ')}`
        : (issue?.message ?? 'is invalid');
    throw new BulwarkError('CONFIG_INVALID', `${where}${path}: ${message.replace(/\s+/g, ' ').trim()}`);
  }
  const seen = new Set<string>();
  for (const [index, spec] of parsed.data.entries()) {
    if (seen.has(spec.id)) {
      throw new BulwarkError('CONFIG_INVALID', `${where}[${index}].id: the id ${spec.id} is used twice`);
    }
    seen.add(spec.id);
  }
  return parsed.data;
}
