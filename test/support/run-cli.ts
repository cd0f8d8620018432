import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/io.js';

/** What one in-process run of the CLI gave. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `bulwark ARGS` in-process with captured output, `cwd` as the working directory and the
 * evidence folder at `cwd/.bulwark` unless `env.BULWARK_HOME` says otherwise.
 */
export async function runCli(
  args: readonly string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const io: CliIo = {
    stdout,
    stderr,
    env: { BULWARK_HOME: join(cwd, '.bulwark'), ...env },
    cwd,
    exitCode: 0,
  };
  const code = await main(['node', 'bulwark', ...args], io);
  return { code, stdout: out, stderr: err };
}
