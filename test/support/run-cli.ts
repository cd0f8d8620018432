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

/** A `bulwark serve` running in-process: its address, what it wrote to stderr, and how to stop it. */
export interface RunningServe {
  /** `http://…` or `https://…` as the gateway printed it. */
  readonly address: string;
  /** Everything written to stderr so far. */
  stderr(): string;
  /** Stops the gateway like SIGTERM does and resolves with its exit code. */
  stop(): Promise<number>;
}

/**
 * Starts `bulwark serve ARGS` in-process (evidence in `cwd/.bulwark`) and waits up to 5 s for the
 * line that says where it listens.
 */
export async function startServe(args: readonly string[], cwd: string): Promise<RunningServe> {
  const stop = new AbortController();
  const err = new PassThrough();
  let stderr = '';
  err.on('data', (c: Buffer) => (stderr += c.toString()));
  const io: CliIo = {
    stdout: new PassThrough(),
    stderr: err,
    env: { BULWARK_HOME: join(cwd, '.bulwark') },
    cwd,
    exitCode: 0,
    signal: stop.signal,
  };
  const served = main(['node', 'bulwark', 'serve', ...args], io);
  const listening = /listening on (https?:\/\/\S+)/;
  for (let i = 0; i < 200 && !listening.test(stderr); i++) await new Promise((r) => setTimeout(r, 25));
  const address = listening.exec(stderr)?.[1];
  if (address === undefined) {
    stop.abort();
    await served;
    throw new Error(`serve did not start: ${stderr}`);
  }
  return {
    address,
    stderr: () => stderr,
    stop: () => {
      stop.abort();
      return served;
    },
  };
}
