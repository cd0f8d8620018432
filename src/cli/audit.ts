import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { EXPORT_FORMATS, renderExportLine, type ExportFormat } from '../audit/export.js';
import { proveConsistency, proveInclusion } from '../audit/proofs.js';
import { verifyAuditLog } from '../audit/verify-log.js';
import { BulwarkError } from '../core/errors.js';
import { VERSION } from '../version.js';
import { withContext } from './context.js';
import { emit, readUserFile } from './files.js';
import type { CliIo } from './io.js';
import { collect, wholeNumberOption } from './options.js';

/** `bulwark audit verify|proof|export|checkpoint`: the tamper-evident log of attestations and decisions. */
export function registerAudit(program: Command, io: CliIo): void {
  const audit = program.command('audit').description('verify, prove and export the tamper-evident audit log');
  audit
    .command('verify')
    .description(
      'recompute every leaf and root and check the signed checkpoints; exit 1 naming the first bad entry',
    )
    .option('-k, --key <file|vkey>', 'trusted checkpoint key (PEM or C2SP vkey); repeatable', collect, [])
    .option(
      '-c, --checkpoint <file>',
      'a checkpoint kept elsewhere (witness copy) the log must still agree with; repeatable',
      collect,
      [],
    )
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action(async function (this: Command, opts: { key: string[]; checkpoint: string[]; format: string }) {
      await withContext(io, this, async (ctx) => {
        const trusted = await ctx.auditVerifiers(opts.key);
        if (trusted.length === 0) {
          throw new BulwarkError(
            'USAGE',
            'no trusted checkpoint key: give --key or set audit.trustedKeys in bulwark.yaml',
          );
        }
        const external = await Promise.all(
          opts.checkpoint.map((f) => readUserFile(resolve(io.cwd, f), 'checkpoint file')),
        );
        const verdict = await verifyAuditLog({
          storage: await ctx.store(),
          trusted,
          origin: ctx.config.audit.origin,
          external,
        });
        if (!verdict.ok) io.exitCode = 1;
        if (opts.format === 'json') {
          const json = verdict.ok
            ? {
                ok: true,
                size: verdict.size,
                rootHash: Buffer.from(verdict.rootHash).toString('hex'),
                checkpoints: verdict.checkpoints,
              }
            : { ok: false, size: verdict.size, problem: verdict.problem };
          await emit(io, `${JSON.stringify(json, null, 2)}\n`);
          return;
        }
        if (verdict.ok) {
          io.stdout.write(
            `audit log OK: ${verdict.size} entries, ${verdict.checkpoints} signed checkpoints, root ${Buffer.from(verdict.rootHash).toString('hex')}\n`,
          );
        } else {
          io.stdout.write(`audit log FAILED: ${verdict.problem.message}\n`);
        }
      });
    });
  audit
    .command('proof')
    .description('print an RFC 9162 inclusion proof (--entry) or consistency proof (--from) as JSON')
    .option('-e, --entry <n>', 'entry (0-based) to prove inclusion of')
    .option('--from <size>', 'older tree size for a consistency proof')
    .option('--size <size>', 'tree size to prove against (default: latest checkpoint)')
    .option('-o, --output <file>', 'write the proof to a file')
    .action(async function (
      this: Command,
      opts: { entry?: string; from?: string; size?: string; output?: string },
    ) {
      if ((opts.entry === undefined) === (opts.from === undefined)) {
        throw new BulwarkError(
          'USAGE',
          'give exactly one of --entry N (inclusion) or --from SIZE (consistency)',
        );
      }
      await withContext(io, this, async (ctx) => {
        const storage = await ctx.store();
        const size = opts.size === undefined ? undefined : wholeNumberOption(opts.size, '--size');
        const doc =
          opts.entry !== undefined
            ? await proveInclusion(storage, wholeNumberOption(opts.entry, '--entry'), size)
            : await proveConsistency(storage, wholeNumberOption(opts.from ?? '', '--from'), size);
        await emit(io, `${JSON.stringify(doc, null, 2)}\n`, opts.output);
      });
    });
  audit
    .command('export')
    .description('export the log as JSON lines or as OCSF Compliance Finding events')
    .addOption(new Option('--format <format>', 'export format').choices(EXPORT_FORMATS).default('jsonl'))
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .action(async function (this: Command, opts: { format: ExportFormat; output?: string }) {
      await withContext(io, this, async (ctx) => {
        const storage = await ctx.store();
        const count = await storage.auditEntryCount();
        const lines: string[] = [];
        for (let from = 0; from < count; from += 10_000) {
          for (const entry of await storage.readAuditEntries(from, from + 10_000)) {
            lines.push(renderExportLine(entry, opts.format, VERSION));
          }
        }
        await emit(io, lines.length === 0 ? '' : `${lines.join('\n')}\n`, opts.output);
      });
    });
  audit
    .command('checkpoint')
    .description('print the latest signed checkpoint (keep a copy elsewhere to detect rollback)')
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .action(async function (this: Command, opts: { output?: string }) {
      await withContext(io, this, async (ctx) => {
        const latest = await (await ctx.store()).latestCheckpoint();
        if (!latest)
          throw new BulwarkError('NOT_FOUND', 'the audit log is empty: nothing has been logged yet');
        await emit(io, latest.note, opts.output);
      });
    });
}
