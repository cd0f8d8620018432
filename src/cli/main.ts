import { Command, CommanderError } from 'commander';
import { describeError, isBulwarkError } from '../core/errors.js';
import { VERSION } from '../version.js';
import { registerAttest } from './attest.js';
import { registerAudit } from './audit.js';
import { registerBom } from './bom.js';
import { registerData } from './data.js';
import { registerEncrypt } from './encrypt.js';
import { registerKeys } from './keys.js';
import { registerLineage } from './lineage.js';
import { registerRules } from './rules.js';
import { registerScan } from './scan.js';
import { registerSign } from './sign.js';
import { registerRegistry } from './registry.js';
import { registerRedact } from './redact.js';
import { registerGateway } from './gateway.js';
import { registerServe } from './serve.js';
import type { CliIo } from './io.js';
import { nodeIo } from './io.js';

/**
 * Runs the `bulwark` command line and returns the exit code: 0 nothing at or above the threshold,
 * 1 findings at or above it (or a failed verification), 2 a usage or input error, which is one
 * line on stderr and never a stack trace (unless BULWARK_DEBUG is set).
 */
export async function main(argv: readonly string[], io: CliIo = nodeIo()): Promise<number> {
  const program = buildProgram(io);
  try {
    // `--version` is the root's only as the first word: `registry push --version 1.2` is the model's.
    const args = argv[2] === '--version' ? [...argv.slice(0, 2), '-V', ...argv.slice(3)] : [...argv];
    await program.parseAsync(args);
    return io.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are successes that commander reports by throwing.
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0;
      return 2;
    }
    if (isBulwarkError(error)) {
      io.stderr.write(`bulwark: ${error.message}\n`);
    } else {
      io.stderr.write(`bulwark: internal error: ${describeError(error)} (set BULWARK_DEBUG=1 for details)\n`);
    }
    if (io.env['BULWARK_DEBUG'] && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
    return 2;
  }
}

function buildProgram(io: CliIo): Command {
  const program = new Command('bulwark')
    .description(
      'Zero Trust controls for the AI pipeline: scan, sign, gate, and keep tamper-evident evidence.',
    )
    .version(VERSION, '-V', 'output the version number (also --version, as the first word)')
    .option('--config <file>', 'configuration file (default: ./bulwark.yaml when present)')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: (s, write) => write(`bulwark: ${s.replace(/^error: /, '')}`),
    })
    .exitOverride();
  program.addHelpText(
    'after',
    `
Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it, or a verification failed;
2 usage or input error.
Environment: BULWARK_HOME (evidence folder, default ./.bulwark), BULWARK_DATABASE_URL (postgres://…
to keep evidence in PostgreSQL), NO_COLOR (plain output), BULWARK_DEBUG (stack traces).`,
  );
  registerScan(program, io);
  registerData(program, io);
  registerLineage(program, io);
  registerSign(program, io);
  registerRegistry(program, io);
  registerKeys(program, io);
  registerAttest(program, io);
  registerAudit(program, io);
  registerEncrypt(program, io);
  registerBom(program, io);
  registerRules(program, io);
  registerRedact(program, io);
  registerGateway(program, io);
  registerServe(program, io);
  for (const command of program.commands) inheritErrorHandling(command, io);
  return program;
}

function inheritErrorHandling(command: Command, io: CliIo): void {
  command
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: (s, write) => write(`bulwark: ${s.replace(/^error: /, '')}`),
    });
  for (const sub of command.commands) inheritErrorHandling(sub, io);
}
