import { z } from 'zod';
import {
  HASH_HEX_LENGTH,
  HASH_TYPES,
  parseShardName,
  pathProblem,
  rootDigest,
  type HashType,
  type Manifest,
  type ManifestResource,
  type SerializationParams,
} from './manifest.js';
import { normalizeIgnorePath } from './serialization.js';
import { IN_TOTO_STATEMENT_V1, LEGACY_PREDICATE_TYPE, OMS_PREDICATE_TYPE } from './statement.js';

/** Largest DSSE payload parsed (a manifest of a million resources fits well below it). */
export const MAX_STATEMENT_BYTES = 256 * 1024 * 1024;

/** Most resources a parsed statement may list. */
export const MAX_STATEMENT_RESOURCES = 1_000_000;

/** Problems reported at most, so a hostile payload cannot make the report itself huge. */
const MAX_PROBLEMS = 50;

/** A verified statement's content: the signed manifest and how to reproduce it. */
export interface ParsedStatement {
  readonly predicateType: typeof OMS_PREDICATE_TYPE | typeof LEGACY_PREDICATE_TYPE;
  /** True for the deprecated v0.1 predicate (one subject per file, no serialization object). */
  readonly isLegacy: boolean;
  /** `subject[0].name`: informational only (§6.5). */
  readonly subjectName: string;
  /** `subject[0].digest.sha256` for the v1.0 predicate. */
  readonly rootDigest?: string;
  /** True when the payload recorded `serialization.ignore_paths` (model_signing v1.1.0 and later). */
  readonly hasRecordedIgnorePaths: boolean;
  /** The signed manifest, resources in the order signed. */
  readonly manifest: Manifest;
}

/** The result of parsing a DSSE payload: the statement, or every problem found. */
export type ParseStatementResult =
  | { readonly ok: true; readonly statement: ParsedStatement }
  | { readonly ok: false; readonly problems: readonly string[] };

const subjectSchema = z.looseObject({
  name: z.string().min(1),
  digest: z.record(z.string(), z.string()),
});

const statementSchema = z.looseObject({
  _type: z.literal(IN_TOTO_STATEMENT_V1),
  subject: z.array(subjectSchema).min(1).max(MAX_STATEMENT_RESOURCES),
  predicateType: z.string(),
  predicate: z.unknown().optional(),
});

const predicateSchema = z.looseObject({
  serialization: z.looseObject({
    method: z.enum(['files', 'shards']),
    hash_type: z.string(),
    allow_symlinks: z.boolean(),
    shard_size: z.number().optional(),
    ignore_paths: z.array(z.string()).max(10_000).optional(),
  }),
  resources: z
    .array(z.looseObject({ name: z.string(), algorithm: z.string(), digest: z.string() }))
    .max(MAX_STATEMENT_RESOURCES),
});

function zodProblems(prefix: string, error: z.ZodError): string[] {
  return error.issues.map(
    (issue) => `${prefix}${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`,
  );
}

function decodeJson(bytes: Uint8Array): { value: unknown } | { problem: string } {
  if (bytes.length > MAX_STATEMENT_BYTES)
    return { problem: `payload is ${bytes.length} bytes (limit ${MAX_STATEMENT_BYTES})` };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { problem: 'payload is not valid UTF-8' };
  }
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (error) {
    return { problem: `payload is not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
}

function checkDigest(hex: string, hashType: HashType, where: string, problems: string[]): string {
  const digest = hex.toLowerCase();
  if (!/^[0-9a-f]*$/.test(digest) || digest.length !== HASH_HEX_LENGTH[hashType]) {
    problems.push(`${where}: digest is not a ${hashType} hex digest`);
  }
  return digest;
}

function parseLegacy(subjects: z.infer<typeof subjectSchema>[], problems: string[]): ParsedStatement {
  const seen = new Set<string>();
  const resources: ManifestResource[] = subjects.map((subject, i) => {
    if (seen.has(subject.name)) problems.push(`subject[${i}] '${subject.name}': listed twice`);
    seen.add(subject.name);
    const problem = pathProblem(subject.name);
    if (problem !== undefined) problems.push(`subject[${i}].name '${subject.name}': ${problem}`);
    const digest = subject.digest['sha256'];
    if (digest === undefined) problems.push(`subject[${i}]: no sha256 digest`);
    const hex = checkDigest(digest ?? '', 'sha256', `subject[${i}]`, problems);
    return { name: subject.name, path: subject.name, algorithm: 'sha256', digest: hex };
  });
  const serialization: SerializationParams = {
    method: 'files',
    hashType: 'sha256',
    allowSymlinks: false,
    ignorePaths: [],
  };
  return {
    predicateType: LEGACY_PREDICATE_TYPE,
    isLegacy: true,
    subjectName: subjects[0]?.name ?? '',
    hasRecordedIgnorePaths: false,
    manifest: { modelName: subjects[0]?.name ?? '', serialization, resources },
  };
}

function parseSerialization(
  raw: z.infer<typeof predicateSchema>['serialization'],
  problems: string[],
): SerializationParams {
  const hashType = (HASH_TYPES as readonly string[]).includes(raw.hash_type)
    ? (raw.hash_type as HashType)
    : undefined;
  if (hashType === undefined) problems.push(`serialization.hash_type '${raw.hash_type}' is not supported`);
  const ignorePaths: string[] = [];
  for (const path of raw.ignore_paths ?? []) {
    const normalized = normalizeIgnorePath(path);
    if (normalized === undefined)
      problems.push(`serialization.ignore_paths: '${path}' is not a relative path`);
    else ignorePaths.push(normalized);
  }
  const base = {
    method: raw.method,
    hashType: hashType ?? 'sha256',
    allowSymlinks: raw.allow_symlinks,
    ignorePaths,
  };
  if (raw.method === 'files') {
    if (raw.shard_size !== undefined)
      problems.push('serialization.shard_size must be absent for method files');
    return base;
  }
  // model_signing writes shard_size through a protobuf Struct, so 1000000000.0 arrives as a float.
  const size = raw.shard_size;
  if (size === undefined || !Number.isSafeInteger(size) || size <= 0) {
    problems.push('serialization.shard_size must be a positive integer for method shards');
    return { ...base, shardSize: 1 };
  }
  return { ...base, shardSize: size };
}

function parseResources(
  raw: z.infer<typeof predicateSchema>['resources'],
  params: SerializationParams,
  problems: string[],
): ManifestResource[] {
  const accepted =
    params.method === 'shards'
      ? [params.hashType, `${params.hashType}-sharded-${params.shardSize}`]
      : [params.hashType];
  const seen = new Set<string>();
  return raw.map((item, i) => {
    const where = `resources[${i}] '${item.name}'`;
    if (seen.has(item.name)) problems.push(`${where}: listed twice`);
    seen.add(item.name);
    if (!accepted.includes(item.algorithm))
      problems.push(`${where}: algorithm '${item.algorithm}' does not match hash_type`);
    const digest = checkDigest(item.digest, params.hashType, where, problems);
    if (params.method === 'files') {
      const problem = pathProblem(item.name);
      if (problem !== undefined) problems.push(`${where}: ${problem}`);
      return { name: item.name, path: item.name, algorithm: item.algorithm, digest };
    }
    const shard = parseShardName(item.name);
    const size = params.shardSize ?? 1;
    if (shard === undefined) {
      problems.push(`${where}: not a path:start:end shard name`);
      return { name: item.name, path: item.name, algorithm: item.algorithm, digest };
    }
    const problem = pathProblem(shard.path);
    if (problem !== undefined) problems.push(`${where}: ${problem}`);
    if (shard.start % size !== 0 || shard.end - shard.start > size) {
      problems.push(`${where}: range does not fit shard size ${size}`);
    }
    const range = { start: shard.start, end: shard.end };
    return { name: item.name, path: shard.path, range, algorithm: item.algorithm, digest };
  });
}

function parseOms(
  statement: z.infer<typeof statementSchema>,
  problems: string[],
): ParsedStatement | undefined {
  if (statement.subject.length !== 1)
    problems.push(`subject must hold exactly one entry, found ${statement.subject.length}`);
  const predicate = predicateSchema.safeParse(statement.predicate);
  if (!predicate.success) {
    problems.push(...zodProblems('predicate.', predicate.error));
    return undefined;
  }
  const serialization = parseSerialization(predicate.data.serialization, problems);
  const resources = parseResources(predicate.data.resources, serialization, problems);
  if (resources.length === 0)
    problems.push('predicate.resources is empty (OMS §5.2.1 needs at least one file)');
  const subject = statement.subject[0];
  const signedRoot = subject?.digest['sha256']?.toLowerCase();
  if (signedRoot === undefined) problems.push('subject[0] has no sha256 digest');
  else if (signedRoot !== rootDigest(resources.filter((r) => /^[0-9a-f]*$/.test(r.digest)))) {
    problems.push('subject[0].digest.sha256 is not the root digest of predicate.resources');
  }
  return {
    predicateType: OMS_PREDICATE_TYPE,
    isLegacy: false,
    subjectName: subject?.name ?? '',
    ...(signedRoot === undefined ? {} : { rootDigest: signedRoot }),
    hasRecordedIgnorePaths: predicate.data.serialization.ignore_paths !== undefined,
    manifest: { modelName: subject?.name ?? '', serialization, resources },
  };
}

/**
 * Parses a DSSE payload (the bytes as signed) into the signed manifest, accepting the historical
 * variants model_signing has written; malformed input gives a list of problems, never an exception.
 */
export function parseStatement(payload: Uint8Array): ParseStatementResult {
  const decoded = decodeJson(payload);
  if ('problem' in decoded) return { ok: false, problems: [decoded.problem] };
  const statement = statementSchema.safeParse(decoded.value);
  if (!statement.success)
    return { ok: false, problems: zodProblems('', statement.error).slice(0, MAX_PROBLEMS) };
  const problems: string[] = [];
  let parsed: ParsedStatement | undefined;
  if (statement.data.predicateType === OMS_PREDICATE_TYPE) parsed = parseOms(statement.data, problems);
  else if (statement.data.predicateType === LEGACY_PREDICATE_TYPE)
    parsed = parseLegacy(statement.data.subject, problems);
  else problems.push(`predicateType '${statement.data.predicateType}' is not an OMS predicate`);
  if (problems.length > 0 || parsed === undefined) {
    const shown = problems.slice(0, MAX_PROBLEMS);
    if (problems.length > MAX_PROBLEMS) shown.push(`... and ${problems.length - MAX_PROBLEMS} more problems`);
    return { ok: false, problems: shown };
  }
  return { ok: true, statement: parsed };
}
