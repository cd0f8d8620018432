import { z } from 'zod';
import type { JsonValue } from '../../core/findings.js';
import { SEVERITIES } from '../../core/severity.js';
import { ALIAS_PATTERN, isAliasGlob, matchesAlias, MAX_ALIAS_PATTERN_LENGTH } from './alias-pattern.js';
import { DURATION_HINT, parseDuration } from './duration.js';
import { ORDER_OPS } from './field-condition.js';
import { FIELD_PATH_HINT, parseFieldPath } from './field-path.js';
import { compileSafeRegex } from './safe-regex.js';

/** What happens to an alias that no policy entry names. */
export const DEFAULT_RELEASE_DECISIONS = ['deny', 'allow'] as const;

export type DefaultReleaseDecision = (typeof DEFAULT_RELEASE_DECISIONS)[number];

const nonEmpty = z.string().min(1);
const keyFiles = (description: string) => z.array(nonEmpty).min(1).meta({ description });
const TYPE_URI = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s"<>\\^`{|}]+$/;

/** An age limit such as "30d", as milliseconds. */
export const durationSchema = z.string().transform((value, ctx) => {
  const ms = parseDuration(value);
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: DURATION_HINT, input: value });
    return z.NEVER;
  }
  return ms;
});

const fieldSchema = z
  .string()
  .superRefine((value, ctx) => {
    const parsed = parseFieldPath(value);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.problem, input: value });
  })
  .meta({ description: `Field of the in-toto statement: ${FIELD_PATH_HINT}.` });

const anyJson = z.json();

// z.custom rather than z.json(): a missing value then gets this message instead of "Invalid input".
const jsonValue = z
  .custom<JsonValue>((value) => value !== undefined && anyJson.safeParse(value).success, {
    error: 'expected a JSON value (string, number, boolean, null, list or mapping) to compare with',
  })
  .meta({ description: 'The JSON value to compare with.' });

const patternSchema = z.string().superRefine((value, ctx) => {
  const compiled = compileSafeRegex(value);
  if (!compiled.ok) ctx.addIssue({ code: 'custom', message: compiled.problem, input: value });
});

/** One condition on a field of an attestation's statement (`{ field, op, value }`). */
export const fieldConditionSchema = z.discriminatedUnion(
  'op',
  [
    z.strictObject({ field: fieldSchema, op: z.enum(['eq', 'ne', 'contains']), value: jsonValue }),
    z.strictObject({ field: fieldSchema, op: z.enum(ORDER_OPS), value: z.number() }),
    z.strictObject({ field: fieldSchema, op: z.enum(['in', 'notIn']), value: z.array(jsonValue).min(1) }),
    z.strictObject({
      field: fieldSchema,
      op: z.literal('exists'),
      value: z.boolean().default(true).meta({ description: 'false: the field must be absent.' }),
    }),
    z.strictObject({
      field: fieldSchema,
      op: z.literal('matches'),
      value: patternSchema.meta({
        description: 'A regular expression (Unicode mode), at most 256 characters.',
      }),
    }),
  ],
  {
    error: (issue) =>
      issue.code === 'invalid_union'
        ? 'expected op to be one of eq, ne, lt, lte, gt, gte, in, notIn, exists, matches, contains'
        : undefined,
  },
);

/** The `signature` requirement: trust anchors one verified OMS signature over the stored bytes must lead to. */
export const signatureRequirementSchema = z
  .strictObject({
    keys: z.array(nonEmpty).default([]).meta({
      description: 'Trusted public keys (PEM files, relative to bulwark.yaml) for key-signed OMS bundles.',
    }),
    certificates: z.array(nonEmpty).default([]).meta({
      description: 'Trusted CA certificates (PEM files) for certificate-chain OMS bundles.',
    }),
    sigstore: z
      .strictObject({
        trustedRoot: nonEmpty.meta({ description: 'Sigstore trusted root (trusted_root.json).' }),
        identities: z
          .array(
            z.strictObject({
              identity: nonEmpty.meta({ description: 'Certificate identity (email or URI), exact.' }),
              issuer: nonEmpty.meta({ description: 'OIDC issuer URL, exact.' }),
            }),
          )
          .min(1),
      })
      .optional()
      .meta({ description: 'Trusted Sigstore (keyless) signers.' }),
  })
  .refine((value) => value.keys.length > 0 || value.certificates.length > 0 || value.sigstore, {
    error: 'name at least one trust anchor: keys, certificates or sigstore',
  });

/** The `scan` requirement: a model scan of these exact bytes with nothing at or above a severity. */
export const scanRequirementSchema = z.strictObject({
  required: z.boolean().default(true).meta({
    description: 'A scan of these exact bytes must exist (false: only a scan that exists is judged).',
  }),
  failOn: z
    .enum(SEVERITIES)
    .default('high')
    .meta({ description: 'Refuse when the latest scan has a finding at or above this severity.' }),
  maxAge: durationSchema
    .optional()
    .meta({ description: 'Scans older than this ("30d", "12h") do not count.' }),
});

/** The `datasets` requirement: signed training provenance and an admission for every training dataset. */
export const datasetRequirementSchema = z.strictObject({
  requireProvenance: z
    .boolean()
    .default(true)
    .meta({ description: 'A training provenance attestation signed by a trusted key must exist.' }),
  requireAdmission: z.boolean().default(true).meta({
    description: 'Every dataset the trusted provenance names must have an "admitted" admission attestation.',
  }),
  provenanceKeys: keyFiles('Keys trusted to sign training provenance (default: attesters).').optional(),
  admissionKeys: keyFiles('Keys trusted to sign dataset admissions (default: attesters).').optional(),
});

/** One `attestations` entry: an attestation of a predicate type, signed by a trusted key, whose fields meet conditions. */
export const attestationRequirementSchema = z.strictObject({
  type: z
    .string()
    .regex(TYPE_URI, { error: 'expected a predicate type URI such as https://example.com/redteam/v1' })
    .meta({ description: 'The in-toto predicate type.' }),
  keys: keyFiles('Keys trusted to sign this attestation (default: attesters).').optional(),
  maxAge: durationSchema.optional().meta({ description: 'Attestations older than this do not count.' }),
  where: z
    .array(fieldConditionSchema)
    .default([])
    .meta({ description: 'Conditions the latest trusted attestation must all meet.' }),
});

const aliasPatternSchema = z
  .string()
  .min(1)
  .max(MAX_ALIAS_PATTERN_LENGTH)
  .regex(ALIAS_PATTERN, { error: 'expected an alias name or a pattern with * and ?, without spaces' });

/** One entry of `release.policies`: the aliases it governs and what promotion to them requires. */
export const releasePolicyEntrySchema = z
  .strictObject({
    name: nonEmpty.optional().meta({ description: 'A name for decisions and the audit log.' }),
    aliases: z
      .array(aliasPatternSchema)
      .min(1)
      .meta({ description: 'Alias names or patterns ("prod-*"; "*" is every alias).' }),
    attesters: z.array(nonEmpty).default([]).meta({
      description: 'Public keys (PEM files) trusted to sign evidence: provenance, admissions, attestations.',
    }),
    signature: signatureRequirementSchema.optional(),
    scan: scanRequirementSchema.optional(),
    datasets: datasetRequirementSchema.optional(),
    attestations: z.array(attestationRequirementSchema).default([]),
  })
  .superRefine((entry, ctx) => {
    const needsKeys = (
      keys: readonly string[] | undefined,
      path: (string | number)[],
      what: string,
    ): void => {
      if ((keys ?? []).length === 0 && entry.attesters.length === 0) {
        ctx.addIssue({
          code: 'custom',
          path,
          message: `${what} must be signed by a trusted key: list keys here or in attesters`,
        });
      }
    };
    if (entry.datasets?.requireProvenance || entry.datasets?.requireAdmission) {
      needsKeys(entry.datasets.provenanceKeys, ['datasets', 'provenanceKeys'], 'training provenance');
    }
    if (entry.datasets?.requireAdmission) {
      needsKeys(entry.datasets.admissionKeys, ['datasets', 'admissionKeys'], 'a dataset admission');
    }
    const seen = new Set<string>();
    for (const [index, requirement] of entry.attestations.entries()) {
      needsKeys(requirement.keys, ['attestations', index, 'keys'], `an attestation of ${requirement.type}`);
      if (seen.has(requirement.type)) {
        ctx.addIssue({
          code: 'custom',
          path: ['attestations', index, 'type'],
          message: `${requirement.type} is required twice: put all its conditions in one entry`,
        });
      }
      seen.add(requirement.type);
    }
  });

/**
 * The `release` section of `bulwark.yaml` (controls R6 and V4): what promotion to an alias requires.
 * The first entry naming an alias decides; an alias no entry names gets `defaultPolicy`.
 */
export const releasePolicySchema = z.strictObject({
  defaultPolicy: z.enum(DEFAULT_RELEASE_DECISIONS).default('deny').meta({
    description: 'What happens to an alias no policy names: deny (the zero-trust default) or allow.',
  }),
  policies: z
    .array(releasePolicyEntrySchema)
    .default([])
    .superRefine((entries, ctx) => {
      for (const [later, entry] of entries.entries()) {
        for (const [position, alias] of entry.aliases.entries()) {
          const earlier = shadowingEntry(entries.slice(0, later), alias);
          if (earlier === undefined) continue;
          ctx.addIssue({
            code: 'custom',
            path: [later, 'aliases', position],
            message: `alias "${alias}" can never reach this entry: release.policies[${earlier.index}] (${earlier.pattern}) matches it first; put the more specific entry first`,
          });
        }
      }
    })
    .meta({ description: 'Policy entries, in order: the first entry naming an alias decides for it.' }),
});

/** A validated `release` section with every default filled in. */
export type ReleaseSettings = z.output<typeof releasePolicySchema>;

/** A validated entry of `release.policies`. */
export type ReleasePolicyEntry = ReleaseSettings['policies'][number];

/** A validated `attestations` entry of a policy. */
export type AttestationRequirement = ReleasePolicyEntry['attestations'][number];

/** An earlier entry that catches every alias `alias` can match: `*`, or any pattern matching a plain name. */
function shadowingEntry(
  earlier: readonly ReleasePolicyEntry[],
  alias: string,
): { index: number; pattern: string } | undefined {
  for (const [index, entry] of earlier.entries()) {
    for (const pattern of entry.aliases) {
      const catchesAll = /^\*+$/.test(pattern);
      if (catchesAll || (!isAliasGlob(alias) && matchesAlias(pattern, alias))) return { index, pattern };
      if (pattern === alias) return { index, pattern };
    }
  }
  return undefined;
}
