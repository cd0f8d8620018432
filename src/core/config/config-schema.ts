import { dataSettingsSchema, type DataSettings } from '../../data/admission/admission-config.js';
import { promptSettingsSchema, type PromptSettings } from '../../prompts/prompt-config.js';
import { gatewaySettingsSchema, type GatewaySettings } from '../../gateway/gateway-config.js';
import { bomConfigSchema, type BomConfig } from '../../registry/bom/bom-config.js';
import { releasePolicySchema, type ReleaseSettings } from '../../registry/policy/policy-schema.js';
import { z } from 'zod';
import { OUTPUT_FORMATS, type OutputFormat } from '../report/output-format.js';
import { DEFAULT_SCAN_LIMITS } from '../scan/types.js';
import { RULE_ID_PATTERN } from '../rules.js';
import { SEVERITIES, type Severity } from '../severity.js';
import { parseByteSize } from './byte-size.js';

/** The default origin line of the audit log's checkpoints (C2SP tlog-checkpoint). */
export const DEFAULT_AUDIT_ORIGIN = 'bulwark.local/audit';

/** Per-rule settings: a severity override and a switch. */
export interface RuleSettings {
  readonly severity?: Severity;
  readonly enabled?: boolean;
}

/** A validated `bulwark.yaml` with every default filled in. */
export interface Config {
  readonly version: 1;
  readonly scan: {
    /** Files larger than this many bytes are skipped (reported, not read). */
    readonly maxFileSize: number;
    readonly maxDepth: number;
    readonly maxFiles: number;
    /** gitignore-style patterns, applied in addition to `.gitignore` and `.bulwarkignore`. */
    readonly ignore: readonly string[];
    readonly followSymlinks: boolean;
  };
  readonly failOn: Severity;
  readonly format: OutputFormat;
  readonly store: { readonly url?: string };
  readonly audit: { readonly origin: string; readonly trustedKeys: readonly string[] };
  readonly keys: { readonly default?: string };
  readonly registry: {
    readonly blobs?: string;
    readonly encryption?: { readonly keyFile?: string; readonly keyEnv?: string };
  };
  /** What promotion to an alias requires (docs/release-policy.md). */
  readonly release: ReleaseSettings;
  /** Model card facts for `bulwark bom` (docs/bom.md). */
  readonly bom: BomConfig;
  /** Dataset labels and admission (docs/data-admission.md). */
  readonly data: DataSettings;
  /** The prompt shield's thresholds and optional model (docs/prompt-shields.md). */
  readonly prompts: PromptSettings;
  /** The inference gateway of `bulwark serve` (docs/gateway.md). */
  readonly gateway: GatewaySettings;
  readonly rules: { readonly [ruleId: string]: RuleSettings };
  /** Each scanner's own section, validated by that scanner. */
  readonly scanners: { readonly [scannerId: string]: unknown };
}

const SIZE_PATTERN = /^\s*\d+(\.\d+)?\s*([kKmMgGtT]([iI]?[bB])?|[bB])?\s*$/;
const SIZE_HINT = 'expected a whole number of bytes or a size such as "512MiB" or "2GiB"';

/** A byte size in bytes or with a unit ("512MiB"), as a number of bytes. */
export const byteSizeSchema = z
  .union([z.int().min(1), z.string().regex(SIZE_PATTERN, { error: SIZE_HINT })], { error: SIZE_HINT })
  .transform((value, ctx) => {
    const bytes = parseByteSize(value);
    if (bytes === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `${SIZE_HINT} (at most ${Number.MAX_SAFE_INTEGER} bytes)`,
        input: value,
      });
      return z.NEVER;
    }
    return bytes;
  });

const nonEmpty = z.string().min(1);

/** The `scan` section: limits that keep a scan of untrusted input bounded (control D7), and what to skip. */
export const scanSettingsSchema = z.strictObject({
  // prefault, not default: the default goes through parsing, so it shows in the input JSON Schema.
  maxFileSize: byteSizeSchema.prefault(DEFAULT_SCAN_LIMITS.maxFileSize).meta({
    description: 'Files larger than this are skipped: bytes, or a size such as "512MiB" or "2GiB".',
  }),
  maxDepth: z
    .int()
    .min(0)
    .max(4096)
    .default(DEFAULT_SCAN_LIMITS.maxDepth)
    .meta({ description: 'Directory depth below each scan root that is walked (0: only the root).' }),
  maxFiles: z
    .int()
    .min(1)
    .default(DEFAULT_SCAN_LIMITS.maxFiles)
    .meta({ description: 'Files visited at most per scan.' }),
  ignore: z
    .array(z.string())
    .default([])
    .meta({ description: 'gitignore-style patterns to skip, in addition to .gitignore and .bulwarkignore.' }),
  followSymlinks: z.boolean().default(false).meta({
    description: 'Follow symbolic links while walking (off: a link could lead outside the scan root).',
  }),
});

/** The `store` section: where evidence is kept. */
export const storeSettingsSchema = z.strictObject({
  url: nonEmpty.optional().meta({
    description: 'Evidence store URL (postgres://… for PostgreSQL); the embedded SQLite store when absent.',
  }),
});

// Control characters spelled as escapes so that the JSON Schema pattern needs no `u` flag.
// eslint-disable-next-line no-control-regex -- control characters are exactly what an origin must not hold
const ORIGIN = /^[^\s+\u0000-\u001f\u007f]+$/;

/** The `audit` section: the tamper-evident log's identity and the keys trusted to sign its checkpoints. */
export const auditSettingsSchema = z.strictObject({
  origin: z
    .string()
    .regex(ORIGIN, {
      error: 'expected a schema-less URL without spaces or "+", such as "bulwark.local/audit"',
    })
    .default(DEFAULT_AUDIT_ORIGIN)
    .meta({ description: 'Origin line of signed checkpoints (C2SP tlog-checkpoint), a schema-less URL.' }),
  trustedKeys: z.array(nonEmpty).default([]).meta({
    description: 'Keys trusted to sign checkpoints: paths of public key PEM files or C2SP vkey strings.',
  }),
});

/** The `keys` section: signing keys. */
export const keySettingsSchema = z.strictObject({
  default: nonEmpty.optional().meta({ description: 'Path of the default private signing key (PEM).' }),
});

/** The `registry` section: where model blobs live and whether they are encrypted at rest. */
export const registrySettingsSchema = z.strictObject({
  blobs: nonEmpty.optional().meta({
    description: 'Folder of the content-addressed model blobs (default: blobs/ in the evidence folder).',
  }),
  encryption: z
    .strictObject({
      keyFile: nonEmpty.optional().meta({ description: 'File holding the key-encryption key.' }),
      keyEnv: nonEmpty
        .optional()
        .meta({ description: 'Environment variable holding the key-encryption key.' }),
    })
    .refine((value) => (value.keyFile === undefined) !== (value.keyEnv === undefined), {
      error: 'give exactly one of keyFile or keyEnv',
    })
    .optional()
    .meta({
      description: 'Encrypt blobs at rest (AES-256-GCM, one data key per blob, see docs/encryption.md).',
    }),
});

const severity = z.enum(SEVERITIES);

/** One entry of the `rules` section. */
export const ruleSettingsSchema = z.strictObject({
  severity: severity.optional().meta({ description: "Overrides the rule's default severity." }),
  enabled: z.boolean().optional().meta({ description: 'false turns the rule off.' }),
});

/** The whole of `bulwark.yaml`; every setting is optional and has a safe default. */
export const configSchema = z
  .strictObject({
    version: z
      .literal(1, { error: 'unsupported config version; this bulwark reads version 1' })
      .default(1)
      .meta({ description: 'Version of this file format.' }),
    scan: scanSettingsSchema.prefault({}),
    failOn: severity
      .default('high')
      .meta({ description: 'Exit with status 1 when a finding is at or above this severity.' }),
    format: z.enum(OUTPUT_FORMATS).default('table').meta({ description: 'Default output format.' }),
    store: storeSettingsSchema.prefault({}),
    audit: auditSettingsSchema.prefault({}),
    keys: keySettingsSchema.prefault({}),
    registry: registrySettingsSchema.prefault({}),
    release: releasePolicySchema.prefault({}),
    bom: bomConfigSchema.prefault({}),
    data: dataSettingsSchema.prefault({}),
    prompts: promptSettingsSchema.prefault({}),
    gateway: gatewaySettingsSchema.prefault({}),
    rules: z
      .record(
        z.string().regex(RULE_ID_PATTERN, { error: 'expected a rule id such as BW-FILE-001' }),
        ruleSettingsSchema,
      )
      .default({})
      .meta({ description: 'Per-rule settings, by rule id (see docs/rules.md).' }),
    scanners: z
      .record(z.string().min(1), z.unknown())
      .default({})
      .meta({ description: 'Per-scanner options, by scanner id; each scanner validates its own section.' }),
  })
  .meta({ title: 'Bulwark configuration (bulwark.yaml)' });

// A compile-time check that the schema produces exactly the documented Config.
const _configMatches: (value: z.output<typeof configSchema>) => Config = (value) => value;
void _configMatches;

/** The settings used when there is no `bulwark.yaml`, or for every setting it leaves out. */
export const DEFAULT_CONFIG: Config = deepFreeze(configSchema.parse({}));

/**
 * The JSON Schema (draft 2020-12) of `bulwark.yaml`, for editors and for `docs/schema/bulwark.schema.json`.
 * It describes what may be written (sizes as numbers or strings), not the parsed result; each
 * scanner's section is described by its own schema when given.
 */
export function configJsonSchema(
  scannerSchemas: { readonly [scannerId: string]: z.ZodType } = {},
): Record<string, unknown> {
  const schema = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' });
  const scanners = (schema.properties as Record<string, Record<string, unknown>> | undefined)?.['scanners'];
  if (scanners !== undefined && Object.keys(scannerSchemas).length > 0) {
    scanners['properties'] = Object.fromEntries(
      Object.entries(scannerSchemas).map(([id, section]) => {
        const { $schema: _dialect, ...rest } = z.toJSONSchema(section, {
          io: 'input',
          unrepresentable: 'any',
        });
        void _dialect;
        return [id, rest];
      }),
    );
  }
  return schema;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
