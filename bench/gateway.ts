/**
 * `npm run bench -- gateway [--seconds N] [--connections N]`: requests/s and p50/p99 latency of the
 * inference gateway with autocannon, for a small JSON completion and a short stream, against a local
 * fake upstream (node:http, keep-alive, fixed answers) called directly — the baseline, same run — and
 * through the gateway on three routes: every guard off, the cheap guards (prompt shield on user
 * messages, output links and HTML) and every guard. Prints the median latency the gateway adds and
 * its share of direct throughput. autocannon reports percentiles in whole milliseconds, so the mean
 * time per request from Little's law (connections / throughput) and the mean the gateway adds are
 * printed too; `--connections 1` shows the cost per request without queueing. The gateway uses the memory limiter and an audit sink appending to
 * an in-memory array; load generator, gateway and upstream share this process.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import type { AuditEntryInput } from '../src/audit/log.js';
import { createAuditSink } from '../src/gateway/audit-sink.js';
import { gatewaySettingsSchema } from '../src/gateway/gateway-config.js';
import { createApiKey } from '../src/gateway/identity/api-key.js';
import { createAuthenticator } from '../src/gateway/identity/authenticate.js';
import { createMemoryLimiter } from '../src/gateway/limits/index.js';
import { createGatewayMetrics } from '../src/gateway/metrics.js';
import { createReleaseBinding } from '../src/gateway/release-binding.js';
import { createGatewayServer } from '../src/gateway/server.js';
import { createUpstream } from '../src/gateway/upstream/create-upstream.js';
import { SSE_DONE, SSE_HEADERS, formatSseData } from '../src/gateway/upstream/sse.js';
import { createPromptShield } from '../src/prompts/shield.js';

/** The part of autocannon's result this benchmark reads (the package ships no types). */
interface LoadResult {
  readonly requests: { readonly average: number };
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

const ANSWER = 'Paris is the capital of France.';
const COMPLETION = JSON.stringify({
  id: 'chatcmpl-bench',
  object: 'chat.completion',
  created: 1_700_000_000,
  model: 'bench-model',
  choices: [{ index: 0, message: { role: 'assistant', content: ANSWER }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 24, completion_tokens: 8, total_tokens: 32 },
});
const chunk = (delta: object, finish: string | null = null, usage?: object) => ({
  id: 'chatcmpl-bench',
  object: 'chat.completion.chunk',
  created: 1_700_000_000,
  model: 'bench-model',
  choices: usage === undefined ? [{ index: 0, delta, finish_reason: finish }] : [],
  ...(usage === undefined ? {} : { usage }),
});
const STREAM =
  [
    chunk({ role: 'assistant' }),
    ...['Paris is ', 'the capital ', 'of France.'].map((content) => chunk({ content })),
    chunk({}, 'stop'),
    chunk({}, null, { prompt_tokens: 24, completion_tokens: 8, total_tokens: 32 }),
  ]
    .map(formatSseData)
    .join('') + SSE_DONE;

/** The fixed-answer upstream: JSON, or the same answer as a five-event stream. */
function startUpstream(): Promise<{ server: Server; baseUrl: string }> {
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const parts: Buffer[] = [];
    request.on('data', (part: Buffer) => parts.push(part));
    request.on('end', () => {
      if (Buffer.concat(parts).toString('utf8').includes('"stream":true')) {
        response.writeHead(200, SSE_HEADERS);
        response.end(STREAM);
      } else {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(COMPLETION);
      }
    });
  });
  server.keepAliveTimeout = 60_000;
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      resolve({ server, baseUrl: `http://127.0.0.1:${port}/v1` });
    });
  });
}

const OFF = { shield: 'off', documents: 'off', spotlight: 'off', dlp: 'off' } as const;
const OUTPUT_OFF = {
  secrets: 'off',
  pii: 'off',
  links: 'off',
  html: 'off',
  canary: 'off',
  jsonSchema: 'off',
} as const;
/** The three routes: name → guards. */
const ROUTES = {
  off: { input: OFF, output: OUTPUT_OFF },
  cheap: {
    input: { ...OFF, shield: 'block' },
    output: { ...OUTPUT_OFF, links: 'redact', html: 'block' },
  },
  all: {},
} as const;

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

function row(name: string, result: LoadResult, connections: number, baseline?: LoadResult): string {
  // Little's law: with `connections` requests always in flight, the mean time per request is
  // connections / throughput; exact where autocannon's whole-millisecond percentiles round to 0.
  const mean = (r: LoadResult): number => (1000 * connections) / Math.max(r.requests.average, 1e-9);
  const cells = [
    name.padEnd(26),
    result.requests.average.toFixed(0).padStart(8),
    result.latency.p50.toFixed(2).padStart(8),
    result.latency.p99.toFixed(2).padStart(8),
    mean(result).toFixed(3).padStart(9),
  ];
  if (baseline !== undefined) {
    cells.push((result.latency.p50 - baseline.latency.p50).toFixed(2).padStart(10));
    cells.push((mean(result) - mean(baseline)).toFixed(3).padStart(10));
    cells.push(`${((100 * result.requests.average) / baseline.requests.average).toFixed(0)}%`.padStart(8));
  }
  const failed = result.non2xx + result.errors;
  return cells.join(' ') + (failed > 0 ? `   (${failed} failed!)` : '');
}

/** Runs the benchmark. */
export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { seconds: { type: 'string', default: '10' }, connections: { type: 'string', default: '10' } },
  });
  const duration = Number(values.seconds);
  const connections = Number(values.connections);
  if (!(duration > 0) || !(connections > 0)) throw new Error('--seconds and --connections must be positive');

  const fake = await startUpstream();
  const audit: AuditEntryInput[] = [];
  const sink = createAuditSink((entries) => {
    audit.push(...entries);
    return Promise.resolve();
  });
  const created = createApiKey({ name: 'bench', models: Object.keys(ROUTES), limits: {} });
  const upstream = createUpstream({ name: 'fake', baseUrl: fake.baseUrl, retries: 0 });
  const app = createGatewayServer({
    settings: gatewaySettingsSchema.parse({
      upstreams: { fake: { url: fake.baseUrl, retries: 0 } },
      routes: Object.entries(ROUTES).map(([model, guards]) => ({
        model,
        upstream: 'fake',
        unregistered: true,
        guards,
      })),
    }),
    shield: createPromptShield(),
    upstreams: new Map([['fake', upstream]]),
    release: createReleaseBinding(() => Promise.resolve({ allowed: true, reasons: [] }), 0),
    authenticate: createAuthenticator({
      apiKeys: (prefix) =>
        Promise.resolve(
          prefix === created.record.prefix
            ? { ...created.record, createdAt: new Date().toISOString() }
            : undefined,
        ),
    }),
    limiter: createMemoryLimiter(),
    audit: sink,
    metrics: createGatewayMetrics(false),
  });
  const gateway = await app.listen({ host: '127.0.0.1', port: 0 });
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${created.key}` };
  const load = (url: string, body: string) =>
    autocannon({ url, method: 'POST', headers, body, connections, duration });

  process.stdout.write(
    `gateway throughput, autocannon ${connections} connections × ${duration} s per row; ` +
      'memory limiter, audit sink appending to an in-memory array; one process\n',
  );
  try {
    // Warm-up: JIT, pooled upstream connections, the shield's first load.
    await autocannon({
      url: `${gateway}/v1/chat/completions`,
      method: 'POST',
      headers,
      body: requestBody('all', false),
      connections,
      duration: 1,
    });
    for (const stream of [false, true]) {
      process.stdout.write(
        `\n${stream ? 'streamed (5 events)' : 'JSON completion'}\n` +
          `${'scenario'.padEnd(26)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)}` +
          ` ${'mean ms'.padStart(9)} ${'+p50 ms'.padStart(10)} ${'+mean ms'.padStart(10)} ${'of direct'.padStart(8)}\n`,
      );
      const direct = await load(`${fake.baseUrl}/chat/completions`, requestBody('bench-model', stream));
      process.stdout.write(row('direct to upstream', direct, connections) + '\n');
      for (const model of Object.keys(ROUTES)) {
        const result = await load(`${gateway}/v1/chat/completions`, requestBody(model, stream));
        process.stdout.write(row(`gateway, guards ${model}`, result, connections, direct) + '\n');
      }
    }
    await sink.flush();
    process.stdout.write(`\naudit events recorded: ${audit.length}\n`);
  } finally {
    await app.close();
    await upstream.close();
    fake.server.closeAllConnections();
    await new Promise((resolve) => fake.server.close(resolve));
  }
}
