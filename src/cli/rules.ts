import { Option, type Command } from 'commander';
import { allRules } from '../catalogue.js';
import { emit } from './files.js';
import type { CliIo } from './io.js';

/** `bulwark rules`: the rule catalogue with framework mappings (the same data as docs/rules.md). */
export function registerRules(program: Command, io: CliIo): void {
  program
    .command('rules')
    .description('list every rule with its severity, controls and OWASP LLM / ATLAS / NIST AI RMF mappings')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .action(async (opts: { format: string; output?: string }) => {
      const rules = allRules();
      if (opts.format === 'json') {
        await emit(io, `${JSON.stringify(rules, null, 2)}\n`, opts.output);
        return;
      }
      const lines = rules.map(
        (r) =>
          `${r.id.padEnd(12)} ${r.defaultSeverity.padEnd(8)} ${r.controls.join(',').padEnd(8)} ${r.title}\n` +
          `${' '.repeat(13)}${[...r.mappings.owaspLlm, ...r.mappings.atlas, ...r.mappings.nistAiRmf].join(' · ')}\n`,
      );
      await emit(io, lines.join(''), opts.output);
    });
}
