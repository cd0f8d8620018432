/** The process edges a command uses, passed in so tests can run the CLI in-process. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** Set by a command: 1 when findings reach the threshold or a verification fails. */
  exitCode: number;
  /** Stops long-running commands (`serve`) like SIGTERM does; tests use it. */
  readonly signal?: AbortSignal;
}

/** The real process streams, environment and working directory. */
export function nodeIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    exitCode: 0,
  };
}
