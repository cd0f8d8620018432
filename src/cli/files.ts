import { chmod, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { BulwarkError } from '../core/errors.js';
import type { CliIo } from './io.js';

/** Reads a text file the user named, turning a missing or unreadable file into one clear line. */
export async function readUserFile(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      throw new BulwarkError('INPUT_NOT_FOUND', `${what} not found: ${path}`, { cause: error });
    if (code === 'EISDIR')
      throw new BulwarkError('INPUT_INVALID', `${what} is a directory: ${path}`, { cause: error });
    throw new BulwarkError('INPUT_UNREADABLE', `cannot read ${what} ${path}: ${code ?? 'error'}`, {
      cause: error,
    });
  }
}

/** Tells whether a path exists. */
export async function pathExists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Writes a file atomically (temporary file in the same folder, then rename), so a report or key is
 * never left half-written. `mode` applies before the rename, so a private key is never readable.
 */
export async function writeFileAtomic(path: string, text: string, mode = 0o644): Promise<void> {
  await mkdir(dirname(resolve(path)), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(temp, text, { mode });
    await chmod(temp, mode);
    await rename(temp, path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new BulwarkError('INPUT_UNREADABLE', `cannot write ${path}: ${code}`, { cause: error });
  }
}

/** Writes command output to `--output FILE` when given, else to stdout. */
export async function emit(io: CliIo, text: string, output?: string): Promise<void> {
  if (output === undefined || output === '-') {
    io.stdout.write(text);
    return;
  }
  await writeFileAtomic(resolve(io.cwd, output), text);
}

/** Reads a passphrase from the environment variable the user named (never from the command line). */
export function passphraseFrom(io: CliIo, variable: string | undefined): string | undefined {
  if (variable === undefined) return undefined;
  const value = io.env[variable];
  if (value === undefined || value === '') {
    throw new BulwarkError('USAGE', `environment variable ${variable} (--passphrase-env) is not set`);
  }
  return value;
}
