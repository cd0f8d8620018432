import { createHash } from 'node:crypto';
import type { Stats } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, relative, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import type { Digest } from '../core/digest.js';
import type { JsonValue } from '../core/findings.js';
import { BulwarkError, isBulwarkError } from '../core/errors.js';
import type { ByteSink } from '../registry/encryption/types.js';
import { createDataAnalyzer, entityCategories } from '../data/analyzer.js';
import { redactedLabel, restoredLabel } from '../data/labels.js';
import { dataOptionsSchema } from '../data/data-scanner.js';
import { HEADER_MODES, type HeaderMode } from '../data/readers/csv-reader.js';
import { DATA_FORMATS, type DataFormat } from '../data/readers/read-data.js';
import { parseRecognizerSpecs } from '../data/recognizers/index.js';
import { parseEntityList, parseEntityOperators } from '../data/redact/entity-options.js';
import { redactData, unredactData } from '../data/redact/redact-data.js';
import type { RedactReport, UnredactReport } from '../data/redact/redact-schema.js';
import { renderRedactSummary, renderUnredactSummary } from '../data/redact/redact-summary.js';
import { redactKeysFromKey, redactKeysFromSalt, type RedactKeys } from '../data/redact/redact-tokens.js';
import { REDACT_OPERATORS, type RedactOperator } from '../data/redact/redactor.js';
import { CONFIDENCE_TIERS, type ConfidenceTier } from '../data/types.js';
import { withContext, type CliContext } from './context.js';
import { digestFile } from './digest-file.js';
import { loadKeyBytes } from './encrypt.js';
import { openFileSource } from './file-source.js';
import { emit, pathExists } from './files.js';
import { localDataset, recordRunEvent } from './lineage.js';
import { TempFile } from './fs-blob-files.js';
import type { CliIo } from './io.js';
import { collect } from './options.js';

interface CommonOptions {
  output: string;
  key?: string;
  keyEnv?: string;
  inputFormat?: DataFormat;
  format: 'table' | 'json';
  force: boolean;
}

interface RedactOptions extends CommonOptions {
  operator: RedactOperator;
  entities?: string;
  minConfidence?: ConfidenceTier;
  replacement?: string;
  entityOperator: string[];
  saltFile?: string;
  header: HeaderMode;
}

const EXIT_CODES = `
Exit codes: 0 done; 1 (unredact) a token did not authenticate: wrong key or changed token, and nothing
was written; 2 usage or input error (no key, output exists, the output is the input).`;

/**
 * `bulwark redact` and `bulwark unredact` (control D3): a sanitized copy of a data file in the same
 * format, with sensitive values masked, replaced, hashed or reversibly encrypted, and the way back for
 * encrypted values. Both write atomically, never over the input, store both files as artifacts and
 * log an audit event with digests and counts (never values).
 */
export function registerRedact(program: Command, io: CliIo): void {
  const redact = program
    .command('redact')
    .description(
      'write a copy of a data file with its sensitive values masked, replaced, hashed or encrypted',
    )
    .argument('<input>', 'text, Markdown, log, CSV/TSV, JSON, JSON Lines or Parquet file')
    .requiredOption('-o, --output <file>', 'the redacted copy to write (same format as the input)')
    .addOption(
      new Option('--operator <operator>', 'what replaces a sensitive value')
        .choices(REDACT_OPERATORS)
        .default('mask'),
    )
    .option('--entities <list>', 'only these entity types, comma-separated (default: all)')
    .addOption(
      new Option(
        '--min-confidence <tier>',
        'leave matches below this confidence (default: scanners.data.minConfidence)',
      ).choices(CONFIDENCE_TIERS),
    )
    .option('--replacement <text>', 'replace: the text put in; {entity} is filled in (default <ENTITY>)')
    .option(
      '--entity-operator <ENTITY=OPERATOR>',
      'another operator for one entity type; repeatable',
      collect,
      [],
    )
    .option('-k, --key <file>', 'hash and encrypt: key file (bulwark keys generate-encryption-key)')
    .option('--key-env <var>', 'hash and encrypt: environment variable holding the key in base64')
    .option('--salt-file <file>', 'hash only: key the hash with this file of 16 or more secret bytes instead')
    .addOption(new Option('--input-format <format>', 'the format (default: sniffed)').choices(DATA_FORMATS))
    .addOption(
      new Option('--header <mode>', 'CSV/TSV: is the first record a header')
        .choices(HEADER_MODES)
        .default('auto'),
    );
  withCommonOptions(redact).action(async function (this: Command, input: string, opts: RedactOptions) {
    await withContext(io, this, (ctx) => runRedact(ctx, input, opts));
  });
  const unredact = program
    .command('unredact')
    .description(
      'restore the values `redact --operator encrypt` encrypted; nothing is written unless all authenticate',
    )
    .argument('<input>', 'a file written by `bulwark redact --operator encrypt`')
    .requiredOption('-o, --output <file>', 'the restored copy to write')
    .option('-k, --key <file>', 'the key file the values were encrypted with')
    .option('--key-env <var>', 'environment variable holding the key in base64')
    .addOption(new Option('--input-format <format>', 'the format (default: sniffed)').choices(DATA_FORMATS));
  withCommonOptions(unredact).action(async function (this: Command, input: string, opts: CommonOptions) {
    await withContext(io, this, (ctx) => runUnredact(ctx, input, opts));
  });
}

/** The options both verbs share: summary format, --force, and the exit codes in the help. */
function withCommonOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--format <format>', 'output format of the summary')
        .choices(['table', 'json'])
        .default('table'),
    )
    .option('-f, --force', 'replace an existing output', false)
    .addHelpText('after', EXIT_CODES);
}

async function runRedact(ctx: CliContext, input: string, opts: RedactOptions): Promise<void> {
  const { io } = ctx;
  const started = performance.now();
  const paths = await checkPaths(io, input, opts);
  const dataOptions = dataOptionsSchema.parse(ctx.config.scanners['data'] ?? {});
  const analyzer = createDataAnalyzer(
    parseRecognizerSpecs(dataOptions.recognizers, { where: 'scanners.data.recognizers' }),
  );
  const entities =
    opts.entities === undefined ? undefined : parseEntityList(opts.entities, analyzer.entities);
  const entityOperators = parseEntityOperators(opts.entityOperator, analyzer.entities);
  const used = new Set([opts.operator, ...Object.values(entityOperators)]);
  const keys =
    used.has('hash') || used.has('encrypt') ? await redactKeys(io, opts, used.has('encrypt')) : undefined;
  const minConfidence = opts.minConfidence ?? dataOptions.minConfidence;
  const inputDigest = await digestFile(paths.input);
  const done = await writeThrough(paths, opts.force, (source, sink) =>
    redactData(source, sink, {
      policy: {
        analyzer,
        minConfidence,
        operator: opts.operator,
        entityOperators,
        ...(entities === undefined ? {} : { entities: new Set(entities) }),
        ...(opts.replacement === undefined ? {} : { replacement: opts.replacement }),
        ...(keys === undefined ? {} : { keys }),
      },
      ...(opts.inputFormat === undefined ? {} : { format: opts.inputFormat }),
      header: opts.header,
    }),
  );
  const { result } = done;
  const report: RedactReport = {
    action: 'redact',
    input: { path: paths.input, digest: inputDigest, size: paths.inputSize },
    output: { path: paths.output, digest: done.digest, size: done.size },
    format: result.format,
    ...(result.encoding === undefined ? {} : { encoding: result.encoding }),
    operator: opts.operator,
    entityOperators,
    ...(entities === undefined ? {} : { entities }),
    minConfidence,
    ...(keys === undefined ? {} : { keyId: keys.keyId }),
    unit: result.unit,
    units: result.counts.units,
    changedUnits: result.counts.changedUnits,
    replacements: result.counts.replacements,
    byEntity: { ...result.counts.byEntity },
    byOperator: { ...result.counts.byOperator },
    malformed: result.counts.malformed,
    convertedColumns: [...result.convertedColumns],
    seconds: Math.round(performance.now() - started) / 1000,
  };
  await record(ctx, report);
  if (opts.format === 'json') return emit(io, `${JSON.stringify(report, null, 2)}\n`);
  return emit(
    io,
    renderRedactSummary(report, { input: shown(io, paths.input), output: shown(io, paths.output) }),
  );
}

async function runUnredact(ctx: CliContext, input: string, opts: CommonOptions): Promise<void> {
  const { io } = ctx;
  const started = performance.now();
  const paths = await checkPaths(io, input, opts);
  const keys = await redactKeys(io, opts, true);
  const inputDigest = await digestFile(paths.input);
  let done;
  try {
    done = await writeThrough(paths, opts.force, (source, sink) =>
      unredactData(source, sink, {
        keys,
        ...(opts.inputFormat === undefined ? {} : { format: opts.inputFormat }),
      }),
    );
  } catch (error) {
    if (!isBulwarkError(error) || error.code !== 'SIGNATURE_INVALID') throw error;
    await (
      await ctx.auditLog()
    ).append({
      kind: 'event',
      data: {
        event: 'redaction',
        action: 'unredact',
        outcome: 'failed',
        input: { path: paths.input, digest: inputDigest, size: paths.inputSize },
        keyId: keys.keyId,
        reason: error.message,
      },
    });
    io.stderr.write(`bulwark: unredact failed: ${error.message}; nothing was written\n`);
    io.exitCode = 1;
    return;
  }
  const { result } = done;
  const report: UnredactReport = {
    action: 'unredact',
    input: { path: paths.input, digest: inputDigest, size: paths.inputSize },
    output: { path: paths.output, digest: done.digest, size: done.size },
    format: result.format,
    ...(result.encoding === undefined ? {} : { encoding: result.encoding }),
    keyId: keys.keyId,
    tokens: result.counts.tokens,
    byEntity: { ...result.counts.byEntity },
    restoredColumns: [...result.restoredColumns],
    stringColumns: [...result.stringColumns],
    seconds: Math.round(performance.now() - started) / 1000,
  };
  await record(ctx, report);
  if (opts.format === 'json') return emit(io, `${JSON.stringify(report, null, 2)}\n`);
  return emit(
    io,
    renderUnredactSummary(report, { input: shown(io, paths.input), output: shown(io, paths.output) }),
  );
}

interface Paths {
  readonly input: string;
  readonly inputSize: number;
  readonly inputMode: number;
  readonly output: string;
}

/** The input must be a file; the output must not be the input, and must not exist unless --force. */
async function checkPaths(io: CliIo, input: string, opts: CommonOptions): Promise<Paths> {
  const inPath = resolve(io.cwd, input);
  const outPath = resolve(io.cwd, opts.output);
  const inStat = await statOf(inPath, 'input');
  if (!inStat.isFile()) throw new BulwarkError('INPUT_INVALID', `the input is not a file: ${input}`);
  const outStat = await stat(outPath).catch(() => undefined);
  if (
    outPath === inPath ||
    (outStat !== undefined && outStat.dev === inStat.dev && outStat.ino === inStat.ino)
  ) {
    throw new BulwarkError('USAGE', `the output ${opts.output} is the input: name another file`);
  }
  if (outStat?.isDirectory() === true)
    throw new BulwarkError('USAGE', `the output ${opts.output} is a folder`);
  if (!opts.force && (await pathExists(outPath))) {
    throw new BulwarkError('USAGE', `${shown(io, outPath)} exists: use --force to replace it`);
  }
  return { input: inPath, inputSize: inStat.size, inputMode: inStat.mode & 0o777, output: outPath };
}

/**
 * Runs `work` from the input into a temporary file beside the output, hashing what it writes, then
 * moves it into place: a fault or a failed authentication leaves no output at all.
 */
async function writeThrough<T>(
  paths: Paths,
  replace: boolean,
  work: (source: Awaited<ReturnType<typeof openFileSource>>, sink: ByteSink) => Promise<T>,
): Promise<{ result: T; digest: Digest; size: number }> {
  const source = await openFileSource(paths.input);
  const temp = await TempFile.create(dirname(paths.output), basename(paths.output));
  try {
    const hash = createHash('sha256');
    let size = 0;
    const result = await work(source, {
      write(chunk) {
        hash.update(chunk);
        size += chunk.length;
        return temp.write(chunk);
      },
    });
    if ((await temp.commit(paths.output, { mode: paths.inputMode, replace })) === 'existed') {
      throw new BulwarkError('USAGE', `${paths.output} exists: use --force to replace it`);
    }
    return { result, digest: `sha256:${hash.digest('hex')}`, size };
  } finally {
    await temp.discard();
    await source.close();
  }
}

/**
 * Records the run as evidence: both files as datasets (manifests stored), the output's label (a full
 * redaction declassifies to the default label; an unredaction restores its entities' labels), an
 * OpenLineage run from input to output, and the audit event (digests and counts, never values).
 */
async function record(ctx: CliContext, report: RedactReport | UnredactReport): Promise<void> {
  const store = await ctx.store();
  const extra = parseRecognizerSpecs(dataOptionsSchema.parse(ctx.config.scanners['data'] ?? {}).recognizers, {
    where: 'scanners.data.recognizers',
  });
  const settings = ctx.config.data.labels;
  const inputDataset = await localDataset(ctx, report.input.path);
  const outputDataset = await localDataset(ctx, report.output.path);
  const label =
    report.action === 'redact'
      ? redactedLabel(report.entities === undefined, settings)
      : restoredLabel(Object.keys(report.byEntity), (e) => entityCategories(extra).get(e), settings);
  if (label !== undefined && outputDataset.digest !== undefined)
    await store.putDatasetLabels({
      digest: outputDataset.digest,
      label,
      entities: report.action === 'unredact' ? { ...report.byEntity } : {},
      source: 'redaction',
    });
  await recordRunEvent(ctx, {
    job: { name: report.action === 'redact' ? 'redact' : 'unredact' },
    jobType: report.action.toUpperCase(),
    inputs: [inputDataset],
    // A full redaction stands below its input: the output keeps the label just stored.
    outputs: [{ ...outputDataset, inherit: report.action === 'unredact' || label === undefined }],
  });
  const { action, input, output, format, byEntity } = report;
  const details: { readonly [key: string]: JsonValue } =
    report.action === 'redact'
      ? {
          operator: report.operator,
          entityOperators: report.entityOperators,
          minConfidence: report.minConfidence,
          replacements: report.replacements,
          units: report.units,
          changedUnits: report.changedUnits,
          convertedColumns: report.convertedColumns,
          keyId: report.keyId ?? null,
        }
      : { tokens: report.tokens, keyId: report.keyId, restoredColumns: report.restoredColumns };
  await (
    await ctx.auditLog()
  ).append({
    kind: 'event',
    data: { event: 'redaction', action, outcome: 'ok', input, output, format, byEntity, ...details },
  });
}

/** Keys for hash and encrypt: from --key or --key-env, or (hash only) from --salt-file. */
async function redactKeys(
  io: CliIo,
  opts: { key?: string; keyEnv?: string; saltFile?: string },
  needsKey: boolean,
): Promise<RedactKeys> {
  if (opts.saltFile !== undefined) {
    if (opts.key !== undefined || opts.keyEnv !== undefined) {
      throw new BulwarkError('USAGE', 'give --salt-file or a key (--key, --key-env), not both');
    }
    if (needsKey)
      throw new BulwarkError('USAGE', 'the encrypt operator needs a key (--key or --key-env), not a salt');
    const path = resolve(io.cwd, opts.saltFile);
    let salt: Buffer;
    try {
      salt = await readFile(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      throw new BulwarkError(
        code === 'ENOENT' ? 'INPUT_NOT_FOUND' : 'INPUT_UNREADABLE',
        `cannot read the salt file ${opts.saltFile}: ${code}`,
        { cause: error },
      );
    }
    try {
      return redactKeysFromSalt(salt);
    } finally {
      salt.fill(0);
    }
  }
  const key = await loadKeyBytes(
    io,
    { keyFile: opts.key, keyEnv: opts.keyEnv },
    { file: '--key', env: '--key-env' },
  );
  try {
    return redactKeysFromKey(key);
  } finally {
    key.fill(0);
  }
}

async function statOf(path: string, what: string): Promise<Stats> {
  try {
    return await stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    if (code === 'ENOENT')
      throw new BulwarkError('INPUT_NOT_FOUND', `${what} not found: ${path}`, { cause: error });
    throw new BulwarkError('INPUT_UNREADABLE', `cannot read ${what} ${path}: ${code}`, { cause: error });
  }
}

/** A path as the user would write it: relative to the working folder when inside it. */
function shown(io: CliIo, path: string): string {
  const rel = relative(io.cwd, path);
  return rel === '' ? '.' : rel.startsWith('..') ? path : rel;
}
