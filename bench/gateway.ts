/**
 * `npm run bench -- gateway [--seconds N] [--connections N] [--upstream-ms N]`: requests/s and
 * p50/p99 latency of the inference gateway with autocannon, for a small JSON completion and a short
 * stream, against a local fake upstream called directly — the baseline, same run — then through a
 * bare proxy (fastify and the gateway's undici client, no gateway code: the floor of any Node proxy)
 * and through the gateway on three routes: every guard off, the cheap guards (prompt shield on user
 * messages, output links and HTML) and every guard. Two upstreams: one that answers at once, which
 * exposes the gateway's whole cost, and one that answers after `--upstream-ms` (default 20), closer to
 * a model. autocannon reports percentiles in whole milliseconds, so the mean time per request from
 * Little's law (connections / throughput) and the mean the gateway adds are printed too;
 * `--connections 1` shows the cost per request without queueing. The load generator (this process),
 * the gateway and the upstream run as three processes (bench/support/gateway-target.ts); `cpu µs/req`
 * is the CPU time per request of the process that answered (the upstream for direct rows, the proxy
 * otherwise), which does not depend on how the processes share the machine's cores.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/** The part of autocannon's result this benchmark reads (the package ships no types). */
interface LoadResult {
  readonly requests: { readonly average: number; readonly total: number };
  readonly latency: { readonly p50: number; readonly p99: number };
  readonly non2xx: number;
  readonly errors: number;
}
type Autocannon = (options: {
  url: string;
  method: 'POST';
  headers: Record<string, string>;
  body: string;
  connections: number;
  duration: number;
}) => Promise<LoadResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

/** The gateway's routes (bench/support/gateway-target.ts): every guard off, the cheap ones, all. */
const ROUTES = ['off', 'cheap', 'all'] as const;

function requestBody(model: string, stream: boolean): string {
  return JSON.stringify({
    model,
    messages: [
      { role: 'system', content: 'You are a helpful assistant. Answer briefly.' },
      { role: 'user', content: 'What is the capital of France? Answer in one sentence.' },
    ],
    max_tokens: 64,
    ...(stream ? { stream: true } : {}),
  });
}

function row(
  name: string,
  { result, cpuMicros }: Measured,
  connections: number,
  baseline?: LoadResult,
): string {
  // Little's law: with `connections` requests always in flight, the mean time per request is
  // connections / throughput; exact where autocannon's whole-millisecond percentiles round to 0.
  const mean = (r: LoadResult): number => (1000 * connections) / Math.max(r.requests.average, 1e-9);
  const cells = [
    name.padEnd(26),
    result.requests.average.toFixed(0).padStart(8),
    result.latency.p50.toFixed(2).padStart(8),
    result.latency.p99.toFixed(2).padStart(8),
    mean(result).toFixed(3).padStart(9),
    cpuMicros.toFixed(0).padStart(11),
  ];
  if (baseline !== undefined) {
    cells.push((result.latency.p50 - baseline.latency.p50).toFixed(2).padStart(10));
    cells.push((mean(result) - mean(baseline)).toFixed(3).padStart(10));
    cells.push(`${((100 * result.requests.average) / baseline.requests.average).toFixed(0)}%`.padStart(8));
  }
  const failed = result.non2xx + result.errors;
  return cells.join(' ') + (failed > 0 ? `   (${failed} failed!)` : '');
}

/** One row's load result and the CPU time per request of the process that answered it. */
interface Measured {
  readonly result: LoadResult;
  /** µs of CPU (user + system) per request: the upstream's for direct rows, else the proxy's. */
  readonly cpuMicros: number;
}

/** Runs `load` and reads `target`'s CPU time around it. */
async function measured(target: Target, load: () => Promise<LoadResult>): Promise<Measured> {
  const before = await target.cpu();
  const result = await load();
  const after = await target.cpu();
  return { result, cpuMicros: (after - before) / Math.max(result.requests.total, 1) };
}

/** A started target process and the JSON line it printed when it began to listen. */
interface Target {
  readonly info: { url: string; bareUrl?: string; key?: string };
  /** CPU time (µs) the process has used so far. */
  cpu(): Promise<number>;
  /** Closes its stdin, waits for its last line and its exit. */
  stop(): Promise<Record<string, unknown>>;
}

const here = dirname(fileURLToPath(import.meta.url));

/** Starts bench/support/gateway-target.ts with `args` and waits until it listens. */
async function startTarget(args: string[]): Promise<Target> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(here, 'support', 'gateway-target.ts'), ...args],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const exited = new Promise<never>((_resolve, reject) =>
    child.once('exit', (code) => reject(new Error(`bench target ${args[0]} exited with ${code}`))),
  );
  exited.catch(() => undefined);
  const next = async (): Promise<Record<string, unknown>> => {
    const line = await Promise.race([lines.next(), exited]);
    if (line.done === true) throw new Error(`bench target ${args[0]} ended without answering`);
    return JSON.parse(line.value) as Record<string, unknown>;
  };
  const info = (await next()) as Target['info'];
  return {
    info,
    async cpu() {
      child.stdin.write('cpu\n');
      return Number((await next()).cpuMicros);
    },
    async stop() {
      child.stdin.end();
      const last = args[0] === 'gateway' ? await next() : {};
      await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(null)));
      return last;
    },
  };
}

/** Runs the benchmark. */
export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      seconds: { type: 'string', default: '5' },
      connections: { type: 'string', default: '10' },
      'upstream-ms': { type: 'string', default: '20' },
    },
  });
  const duration = Number(values.seconds);
  const connections = Number(values.connections);
  const upstreamMs = Number(values['upstream-ms']);
  if (!(duration > 0) || !(connections > 0) || !(upstreamMs >= 0))
    throw new Error('--seconds and --connections must be positive, --upstream-ms at least 0');

  process.stdout.write(
    `gateway throughput, autocannon ${connections} connections × ${duration} s per row; ` +
      'load generator, gateway and upstream in three processes; memory limiter, audit log on SQLite\n',
  );
  let audited = 0;
  for (const delay of [0, upstreamMs]) {
    const upstream = await startTarget(['upstream', '--delay-ms', String(delay)]);
    const gateway = await startTarget(['gateway', '--upstream', upstream.info.url]);
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${gateway.info.key}` };
    const load = (base: string, body: string, seconds = duration) =>
      autocannon({
        url: `${base}/chat/completions`,
        method: 'POST',
        headers,
        body,
        connections,
        duration: seconds,
      });
    try {
      // Warm-up: JIT, pooled upstream connections, the shield's first load.
      await load(gateway.info.url, requestBody('all', false), 1);
      await load(gateway.info.url, requestBody('all', true), 1);
      await load(gateway.info.bareUrl ?? '', requestBody('off', true), 1);
      for (const stream of [false, true]) {
        process.stdout.write(
          `\n${stream ? 'streamed (5 events)' : 'JSON completion'}, upstream answering ` +
            `${delay === 0 ? 'at once' : `after ${delay} ms`}\n` +
            `${'scenario'.padEnd(26)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)}` +
            ` ${'mean ms'.padStart(9)} ${'cpu µs/req'.padStart(11)} ${'+p50 ms'.padStart(10)} ${'+mean ms'.padStart(10)} ${'of direct'.padStart(8)}\n`,
        );
        const direct = await measured(upstream, () =>
          load(upstream.info.url, requestBody('bench-model', stream)),
        );
        process.stdout.write(row('direct to upstream', direct, connections) + '\n');
        const bare = await measured(gateway, () =>
          load(gateway.info.bareUrl ?? '', requestBody('bench-model', stream)),
        );
        process.stdout.write(row('bare proxy (floor)', bare, connections, direct.result) + '\n');
        for (const model of ROUTES) {
          const result = await measured(gateway, () => load(gateway.info.url, requestBody(model, stream)));
          process.stdout.write(row(`gateway, guards ${model}`, result, connections, direct.result) + '\n');
        }
      }
    } finally {
      const last = await gateway.stop();
      audited += Number(last.audit ?? 0);
      await upstream.stop();
    }
  }
  process.stdout.write(`\naudit events recorded by the gateway: ${audited}\n`);
}
