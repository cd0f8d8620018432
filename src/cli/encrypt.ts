import { createHash, randomBytes } from 'node:crypto';
import type { Stats } from 'node:fs';
import { readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { Option, type Command } from 'commander';
import type { AuditEntryInput } from '../audit/log.js';
import type { Digest } from '../core/digest.js';
import { BulwarkError, isBulwarkError } from '../core/errors.js';
import { readFully } from '../core/scan/byte-sources.js';
import type { ByteSource } from '../core/scan/types.js';
import { ENCRYPTED_SUFFIX, hashingSource } from '../registry/blob-store.js';
import { decryptStream } from '../registry/encryption/decrypt-stream.js';
import { encryptStream } from '../registry/encryption/encrypt-stream.js';
import { ENCRYPTED_MAGIC } from '../registry/encryption/format.js';
import {
  generateLocalKey,
  LocalKeySource,
  localKeyId,
  parseLocalKey,
} from '../registry/encryption/local-key-source.js';
import { readEncryptedHeader } from '../registry/encryption/read-encrypted-header.js';
import type { ByteSink, KeySource } from '../registry/encryption/types.js';
import { withContext, type CliContext } from './context.js';
import { openFileSource } from './file-source.js';
import { emit, pathExists, writeFileAtomic } from './files.js';
import { fsModelTree } from './fs-model-tree.js';
import { TempFile } from './fs-blob-files.js';
import type { CliIo } from './io.js';

interface KeyOptions {
  keyFile?: string;
  keyEnv?: string;
}

interface CryptOptions extends KeyOptions {
  output?: string;
  recursive: boolean;
  force: boolean;
}

interface DecryptOptions extends CryptOptions {
  info: boolean;
  format: 'table' | 'json';
}

type Action = 'encrypt' | 'decrypt';

/** One file done: what the audit log records (never key material). */
interface FileDone {
  readonly input: string;
  readonly output: string;
  readonly size: number;
  readonly plaintextDigest: Digest;
  readonly ciphertextDigest?: Digest;
}

/** A decryption that failed authentication: exit 1 and nothing written, not a fault. */
class AuthenticationFailed extends Error {
  constructor(
    readonly input: string,
    readonly keyId: string | undefined,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'AuthenticationFailed';
  }
}

const EXIT_CODES = `
Exit codes: 0 done; 1 decryption failed authentication (wrong key, modified, truncated or extended
file), and nothing was written; 2 usage or input error (no key, not an encrypted file, output exists).`;

/**
 * `bulwark encrypt` and `bulwark decrypt`: model artifacts encrypted at rest with AES-256-GCM under a
 * per-file data key wrapped by a local key (control R7), written atomically and audit-logged. Also
 * adds `bulwark keys generate-encryption-key` (see `registerEncryptionKey`).
 */
export function registerEncrypt(program: Command, io: CliIo): void {
  withKeyOptions(
    program
      .command('encrypt')
      .description('encrypt a file (or with --recursive every file of a folder) at rest: AES-256-GCM')
      .argument('<input>', 'file or folder to encrypt')
      .option('-o, --output <path>', `output file or folder (default: INPUT${ENCRYPTED_SUFFIX})`),
  )
    .option('-r, --recursive', 'encrypt every file of a folder into a parallel folder', false)
    .option('-f, --force', 'replace an existing output', false)
    .addHelpText('after', EXIT_CODES)
    .action(async function (this: Command, input: string, opts: CryptOptions) {
      await withContext(io, this, (ctx) => run(ctx, 'encrypt', input, opts));
    });
  withKeyOptions(
    program
      .command('decrypt')
      .description(
        'decrypt and authenticate a file made by `bulwark encrypt`; nothing is written unless it verifies',
      )
      .argument('<input>', `encrypted file or folder (${ENCRYPTED_SUFFIX})`)
      .option('-o, --output <path>', `output file or folder (default: INPUT without ${ENCRYPTED_SUFFIX})`),
  )
    .option('-r, --recursive', 'decrypt every file of a folder made by `encrypt --recursive`', false)
    .option('-f, --force', 'replace an existing output', false)
    .option(
      '--info',
      'print the header (format, key id, chunk size, sizes) without a key or decrypting',
      false,
    )
    .addOption(
      new Option('--format <format>', 'output format of --info').choices(['table', 'json']).default('table'),
    )
    .addHelpText('after', EXIT_CODES)
    .action(async function (this: Command, input: string, opts: DecryptOptions) {
      if (opts.info) return printInfo(io, resolve(io.cwd, input), opts.format);
      await withContext(io, this, (ctx) => run(ctx, 'decrypt', input, opts));
    });
  registerEncryptionKey(program, io);
}

function withKeyOptions(command: Command): Command {
  return command
    .option('--key-file <file>', 'key file: 32 bytes, raw or base64 (bulwark keys generate-encryption-key)')
    .option('--key-env <var>', 'environment variable holding the key in base64');
}

/**
 * `bulwark keys generate-encryption-key -o FILE`: a fresh 32-byte key-encryption key, base64, mode
 * 0600. It wraps the per-file data keys; it is not a data key itself. Added to the `keys` command.
 */
export function registerEncryptionKey(program: Command, io: CliIo): void {
  const keys =
    program.commands.find((command) => command.name() === 'keys') ??
    program.command('keys').description('create and inspect keys');
  if (keys.commands.some((command) => command.name() === 'generate-encryption-key')) return;
  keys
    .command('generate-encryption-key')
    .description('generate a key for `bulwark encrypt`: 32 random bytes, base64, file mode 0600')
    .requiredOption('-o, --output <file>', 'key file to write')
    .option('-f, --force', 'overwrite an existing key file', false)
    .action(async (opts: { output: string; force: boolean }) => {
      const path = resolve(io.cwd, opts.output);
      if (!opts.force && (await pathExists(path))) {
        throw new BulwarkError('USAGE', `${opts.output} exists: use --force to overwrite it`);
      }
      const key = generateLocalKey();
      await writeFileAtomic(path, `${Buffer.from(key).toString('base64')}\n`, 0o600);
      io.stdout.write(`encryption key ${localKeyId(key)} written to ${opts.output} (mode 0600)\n`);
      key.fill(0);
    });
}

async function loadKey(io: CliIo, opts: KeyOptions): Promise<KeySource> {
  const key = await loadKeyBytes(io, opts);
  try {
    return new LocalKeySource(key);
  } finally {
    key.fill(0);
  }
}

/**
 * The 32 bytes of the local key named by a key file (raw or base64) or an environment variable
 * (base64), read as `bulwark encrypt` reads them; `flags` names the two options in messages. The
 * caller zeroes the bytes when done.
 */
export async function loadKeyBytes(
  io: CliIo,
  opts: { readonly keyFile?: string; readonly keyEnv?: string },
  flags: { readonly file: string; readonly env: string } = { file: '--key-file', env: '--key-env' },
): Promise<Uint8Array> {
  if (opts.keyFile !== undefined && opts.keyEnv !== undefined) {
    throw new BulwarkError('USAGE', `give one of ${flags.file} or ${flags.env}, not both`);
  }
  if (opts.keyEnv !== undefined) {
    const value = io.env[opts.keyEnv];
    if (value === undefined || value === '') {
      throw new BulwarkError('USAGE', `environment variable ${opts.keyEnv} (${flags.env}) is not set`);
    }
    return parseLocalKey(value);
  }
  if (opts.keyFile === undefined) {
    throw new BulwarkError(
      'USAGE',
      `a key is needed: ${flags.file} FILE or ${flags.env} VAR (create one with \`bulwark keys generate-encryption-key\`)`,
    );
  }
  const path = resolve(io.cwd, opts.keyFile);
  let content: Buffer;
  try {
    content = await readFile(path);
  } catch (error) {
    throw fileProblem(path, 'key file', error);
  }
  try {
    // A copy: for a raw 32-byte file, parseLocalKey's Buffer#slice shares memory with `content`.
    return new Uint8Array(parseLocalKey(content));
  } finally {
    content.fill(0);
  }
}

async function run(ctx: CliContext, action: Action, input: string, opts: CryptOptions): Promise<void> {
  const { io } = ctx;
  const key = await loadKey(io, opts);
  const inPath = resolve(io.cwd, input);
  const isFolder = (await statOf(inPath, 'input')).isDirectory();
  if (isFolder && !opts.recursive) {
    throw new BulwarkError('USAGE', `${input} is a folder: add --recursive to ${action} every file in it`);
  }
  if (!isFolder && opts.recursive)
    throw new BulwarkError('USAGE', `--recursive needs a folder; ${input} is a file`);
  const outPath = resolve(io.cwd, opts.output ?? defaultOutput(action, input));
  // Replacing a folder that holds the input would delete the input with it.
  if (outPath === inPath || isInside(outPath, inPath) || isInside(inPath, outPath)) {
    throw new BulwarkError('USAGE', `the output ${shown(io, outPath)} and the input overlap`);
  }
  if (!opts.force && (await pathExists(outPath))) {
    throw new BulwarkError('USAGE', `${shown(io, outPath)} exists: use --force to replace it`);
  }
  const done: FileDone[] = [];
  try {
    if (isFolder) await processFolder(action, inPath, outPath, key, opts.force, done);
    else done.push(await processFile(action, inPath, outPath, key, opts.force));
  } catch (error) {
    if (!(error instanceof AuthenticationFailed)) throw error;
    await (
      await ctx.auditLog()
    ).append(auditEntry('decrypt', { input: error.input }, error.keyId ?? null, error.reason));
    io.stderr.write(`bulwark: decryption failed: ${shown(io, error.input)}: ${error.reason}\n`);
    io.exitCode = 1;
    return;
  }
  await (await ctx.auditLog()).appendBatch(done.map((file) => auditEntry(action, file, key.id)));
  const bytes = done.reduce((total, file) => total + file.size, 0);
  const verb = action === 'encrypt' ? 'encrypted' : 'decrypted';
  io.stdout.write(
    isFolder
      ? `${verb} ${done.length} file(s), ${bytes} bytes: ${shown(io, inPath)} -> ${shown(io, outPath)} (key ${key.id})\n`
      : `${verb} ${shown(io, inPath)} -> ${shown(io, outPath)}: ${bytes} bytes, ${done[0]?.plaintextDigest ?? ''} (key ${key.id})\n`,
  );
}

function defaultOutput(action: Action, input: string): string {
  const trimmed = input.replace(/[/\\]+$/, '');
  if (action === 'encrypt') return `${trimmed}${ENCRYPTED_SUFFIX}`;
  if (trimmed.endsWith(ENCRYPTED_SUFFIX) && trimmed.length > ENCRYPTED_SUFFIX.length) {
    return trimmed.slice(0, -ENCRYPTED_SUFFIX.length);
  }
  throw new BulwarkError('USAGE', `${input} does not end in ${ENCRYPTED_SUFFIX}: name the output with -o`);
}

function auditEntry(
  action: Action,
  file: Partial<FileDone> & { input: string },
  keyId: string | null,
  failure?: string,
): AuditEntryInput {
  // Kind `event` with `event: 'encryption'` until AUDIT_ENTRY_KINDS has an `encryption` kind.
  return {
    kind: 'event',
    data: {
      event: 'encryption',
      action,
      outcome: failure === undefined ? 'ok' : 'failed',
      input: file.input,
      keyId,
      ...(file.output === undefined ? {} : { output: file.output }),
      ...(file.size === undefined ? {} : { size: file.size }),
      ...(file.plaintextDigest === undefined ? {} : { plaintextDigest: file.plaintextDigest }),
      ...(file.ciphertextDigest === undefined ? {} : { ciphertextDigest: file.ciphertextDigest }),
      ...(failure === undefined ? {} : { reason: failure }),
    },
  };
}

async function processFile(
  action: Action,
  inPath: string,
  outPath: string,
  key: KeySource,
  replace: boolean,
): Promise<FileDone> {
  const mode = (await statOf(inPath, 'input')).mode & 0o777;
  const source = await openFileSource(inPath);
  const temp = await TempFile.create(dirname(outPath), basename(outPath));
  try {
    const written =
      action === 'encrypt' ? await sealInto(source, temp, key) : await openInto(inPath, source, temp, key);
    if ((await temp.commit(outPath, { mode, replace })) === 'existed') {
      throw new BulwarkError('USAGE', `${outPath} exists: use --force to replace it`);
    }
    return { input: inPath, output: outPath, ...written };
  } finally {
    await temp.discard();
    await source.close();
  }
}

async function sealInto(
  source: ByteSource,
  temp: TempFile,
  key: KeySource,
): Promise<Omit<FileDone, 'input' | 'output'>> {
  const plain = hashingSource(source);
  const sealed = hashingSink(temp);
  const result = await encryptStream(plain.source, sealed.sink, key);
  return { size: result.plaintextSize, plaintextDigest: plain.digest(), ciphertextDigest: sealed.digest() };
}

/** A sink that hashes what it passes on, so a digest costs no second read. */
function hashingSink(inner: ByteSink): { sink: ByteSink; digest(): Digest } {
  const hash = createHash('sha256');
  const sink: ByteSink = {
    write(chunk) {
      hash.update(chunk);
      return inner.write(chunk);
    },
  };
  return { sink, digest: () => `sha256:${hash.digest('hex')}` };
}

/** Decrypts into `temp`; anything that shows the file is not authentic becomes `AuthenticationFailed`. */
async function openInto(
  inPath: string,
  source: ByteSource,
  temp: TempFile,
  key: KeySource,
): Promise<Omit<FileDone, 'input' | 'output'>> {
  const head = await readFully(source, 0, ENCRYPTED_MAGIC.length);
  if (!ENCRYPTED_MAGIC.every((byte, i) => head[i] === byte)) {
    throw new BulwarkError('INPUT_INVALID', `${inPath} is not a Bulwark encrypted file`);
  }
  let keyId: string | undefined;
  try {
    const { header } = await readEncryptedHeader(source);
    keyId = header.keySourceId;
    if (keyId !== key.id) {
      throw new AuthenticationFailed(inPath, keyId, `it needs key ${keyId}, the key given is ${key.id}`);
    }
    const plain = hashingSink(temp);
    const result = await decryptStream(source, plain.sink, [key]);
    return { size: result.plaintextSize, plaintextDigest: plain.digest() };
  } catch (error) {
    // After the magic, a header that does not decode is damage too, not a different kind of file.
    if (isBulwarkError(error) && (error.code === 'SIGNATURE_INVALID' || error.code === 'INPUT_INVALID')) {
      throw new AuthenticationFailed(inPath, keyId, error.message);
    }
    throw error;
  }
}

/**
 * Encrypts or decrypts every file of a folder into a scratch folder beside the output, then moves it
 * into place, so the output folder appears whole or not at all.
 */
async function processFolder(
  action: Action,
  inPath: string,
  outPath: string,
  key: KeySource,
  replace: boolean,
  done: FileDone[],
): Promise<void> {
  const tree = await fsModelTree(inPath);
  const files: string[] = [];
  for (const entry of await tree.list()) {
    const isFile = entry.kind === 'file' || (entry.kind === 'symlink' && entry.link?.kind === 'file');
    if (entry.kind === 'dir') continue;
    if (!isFile) {
      throw new BulwarkError(
        'INPUT_INVALID',
        `${entry.path}: --recursive handles regular files and links to them only`,
      );
    }
    if (action === 'decrypt' && !entry.path.endsWith(ENCRYPTED_SUFFIX)) {
      throw new BulwarkError(
        'INPUT_INVALID',
        `${entry.path} does not end in ${ENCRYPTED_SUFFIX}: not made by encrypt --recursive`,
      );
    }
    files.push(entry.path);
  }
  const scratch = join(dirname(outPath), `.${basename(outPath)}.${randomBytes(6).toString('hex')}.partial`);
  try {
    for (const path of files) {
      const target =
        action === 'encrypt' ? `${path}${ENCRYPTED_SUFFIX}` : path.slice(0, -ENCRYPTED_SUFFIX.length);
      const file = await processFile(
        action,
        join(inPath, ...path.split('/')),
        join(scratch, ...target.split('/')),
        key,
        false,
      );
      done.push({ ...file, output: join(outPath, ...target.split('/')) });
    }
    await placeFolder(scratch, outPath, replace);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function placeFolder(scratch: string, outPath: string, replace: boolean): Promise<void> {
  const aside = `${scratch}.old`;
  const exists = await pathExists(outPath);
  if (exists && !replace) throw new BulwarkError('USAGE', `${outPath} exists: use --force to replace it`);
  try {
    if (exists) await rename(outPath, aside);
    await rename(scratch, outPath);
  } catch (error) {
    throw fileProblem(outPath, 'output', error);
  }
  if (exists) await rm(aside, { recursive: true, force: true });
}

async function printInfo(io: CliIo, path: string, format: 'table' | 'json'): Promise<void> {
  const source = await openFileSource(path);
  try {
    const { header, plaintextSize, chunkCount } = await readEncryptedHeader(source);
    const info = {
      file: shown(io, path),
      formatVersion: header.version,
      cipher: 'AES-256-GCM, STREAM chunks',
      keyId: header.keySourceId,
      chunkSize: header.chunkSize,
      chunks: chunkCount,
      headerBytes: header.headerLength,
      encryptedSize: source.size,
      plaintextSize,
    };
    if (format === 'json') return await emit(io, `${JSON.stringify(info, null, 2)}\n`);
    await emit(
      io,
      [
        `file:           ${info.file}`,
        `format:         Bulwark encrypted v${info.formatVersion} (${info.cipher})`,
        `key id:         ${info.keyId}`,
        `chunk size:     ${info.chunkSize} bytes (${info.chunks} chunk(s))`,
        `encrypted size: ${info.encryptedSize} bytes (header ${info.headerBytes})`,
        `plaintext size: ${info.plaintextSize} bytes (implied by the file size; verified only by decrypting)`,
        '',
      ].join('\n'),
    );
  } finally {
    await source.close();
  }
}

async function statOf(path: string, what: string): Promise<Stats> {
  try {
    return await stat(path);
  } catch (error) {
    throw fileProblem(path, what, error);
  }
}

function fileProblem(path: string, what: string, error: unknown): BulwarkError {
  const code = (error as NodeJS.ErrnoException).code ?? 'error';
  if (code === 'ENOENT')
    return new BulwarkError('INPUT_NOT_FOUND', `${what} not found: ${path}`, { cause: error });
  if (code === 'EISDIR')
    return new BulwarkError('INPUT_INVALID', `${what} is a folder: ${path}`, { cause: error });
  return new BulwarkError('INPUT_UNREADABLE', `cannot use ${what} ${path}: ${code}`, { cause: error });
}

function isInside(path: string, folder: string): boolean {
  return path.startsWith(folder.endsWith(sep) ? folder : folder + sep);
}

/** A path as the user would write it: relative to the working folder when inside it. */
function shown(io: CliIo, path: string): string {
  const rel = relative(io.cwd, path);
  return rel === '' ? '.' : rel.startsWith('..') ? path : rel;
}
