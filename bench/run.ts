/**
 * Benchmark runner: `npm run bench -- <name>` runs bench/<name>.ts; with no name, lists them.
 * Each benchmark prints its figure next to a baseline measured in the same run.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts')
  .map((f) => f.slice(0, -3));
const name = process.argv[2];
if (!name || !available.includes(name)) {
  process.stderr.write(`usage: npm run bench -- <${available.join('|')}>\n`);
  process.exit(name ? 2 : 0);
}
const bench = (await import(join(here, `${name}.ts`))) as { run: (args: string[]) => Promise<void> };
await bench.run(process.argv.slice(3));
