/**
 * The processes the gateway benchmark drives, each started on its own by bench/gateway.ts so that the
 * load generator, the gateway and the upstream do not share an event loop (in production they do not
 * share a machine):
 *
 * - `upstream [--delay-ms N]`: a fake OpenAI-compatible upstream (node:http, keep-alive) that answers
 *   every chat completion with the same short answer, as JSON or as a five-event stream, after N ms.
 * - `gateway --upstream URL`: the Bulwark gateway on three routes (every guard off, the cheap guards,
 *   every guard) with the memory limiter and the real audit log (signed checkpoints, SQLite store in
 *   a temporary home, as `bulwark serve` runs by default); and, on
 *   a second port, a bare proxy (fastify + the same undici pool, no gateway code at all), the floor
 *   any Node proxy pays for two HTTP hops.
 *
 * Each prints one JSON line when it listens (`{"url": …}`, plus `bareUrl` and `key` for the
 * gateway), answers a `cpu` line on stdin with `{"cpuMicros": N}` (its CPU time so far), and runs
 * until stdin closes, when it prints `{"audit": N}` (gateway) and exits.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Fastify from 'fastify';
import { AuditLog } from '../../src/audit/log.js';
import { generateKeyPair, loadSigner } from '../../src/core/keys.js';
import { createAuditSink } from '../../src/gateway/audit-sink.js';
import { chatCompletionBody, chatCompletionChunks } from '../../src/gateway/demo/openai-shapes.js';
import { closeServer, listen } from '../../src/gateway/demo/demo-server.js';
import { gatewaySettingsSchema } from '../../src/gateway/gateway-config.js';
import { createApiKey } from '../../src/gateway/identity/api-key.js';
import { createAuthenticator } from '../../src/gateway/identity/authenticate.js';
import { createMemoryLimiter } from '../../src/gateway/limits/index.js';
import { createGatewayMetrics } from '../../src/gateway/metrics.js';
import { createReleaseBinding } from '../../src/gateway/release-binding.js';
import { createGatewayServer } from '../../src/gateway/server.js';
import { createUpstream } from '../../src/gateway/upstream/create-upstream.js';
import { SSE_DONE, SSE_HEADERS, formatSseData } from '../../src/gateway/upstream/sse.js';
import { createPromptShield } from '../../src/prompts/shield.js';
import { openStore } from '../../src/store/open-store.js';

// The same fixed answer for every request, built like the demo model and the test upstream build theirs.
const ANSWER = {
  id: 'chatcmpl-bench',
  model: 'bench-model',
  created: 1_700_000_000,
  text: 'Paris is the capital of France.',
  finishReason: 'stop',
  promptTokens: 24,
  completionTokens: 8,
} as const;
const COMPLETION = JSON.stringify(chatCompletionBody(ANSWER));
const STREAM =
  chatCompletionChunks(ANSWER, ['Paris is ', 'the capital ', 'of France.'], true)
    .map(formatSseData)
    .join('') + SSE_DONE;

const OFF = { shield: 'off', documents: 'off', spotlight: 'off', dlp: 'off' } as const;
const OUTPUT_OFF = {
  secrets: 'off',
  pii: 'off',
  links: 'off',
  html: 'off',
  canary: 'off',
  jsonSchema: 'off',
} as const;
/** The gateway's routes: model name → guards. */
const BENCH_ROUTES = {
  off: { input: OFF, output: OUTPUT_OFF },
  cheap: {
    input: { ...OFF, shield: 'block' },
    output: { ...OUTPUT_OFF, links: 'redact', html: 'block' },
  },
  all: {},
} as const;

/** The fixed-answer upstream, answering after `delayMs`. */
async function upstream(delayMs: number): Promise<() => Promise<void>> {
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const parts: Buffer[] = [];
    request.on('data', (part: Buffer) => parts.push(part));
    request.on('end', () => {
      const answer = (): void => {
        if (Buffer.concat(parts).toString('utf8').includes('"stream":true')) {
          response.writeHead(200, SSE_HEADERS);
          response.end(STREAM);
        } else {
          response.writeHead(200, { 'content-type': 'application/json' });
          response.end(COMPLETION);
        }
      };
      if (delayMs > 0) setTimeout(answer, delayMs);
      else answer();
    });
  });
  server.keepAliveTimeout = 60_000;
  process.stdout.write(JSON.stringify({ url: `http://127.0.0.1:${await listen(server)}/v1` }) + '\n');
  return () => closeServer(server);
}

/** The gateway on BENCH_ROUTES, and the bare proxy beside it. */
async function gateway(upstreamUrl: string): Promise<() => Promise<void>> {
  const home = mkdtempSync(join(tmpdir(), 'bulwark-bench-gateway-'));
  const store = await openStore({ home });
  const log = new AuditLog({
    storage: store,
    origin: 'bench.local/audit',
    signer: loadSigner(generateKeyPair('ed25519').privateKeyPem),
  });
  let audited = 0;
  const sink = createAuditSink(async (entries) => {
    await log.appendBatch(entries);
    audited += entries.length;
  });
  const created = createApiKey({ name: 'bench', models: Object.keys(BENCH_ROUTES), limits: {} });
  const client = createUpstream({ name: 'fake', baseUrl: upstreamUrl, retries: 0 });
  const app = createGatewayServer({
    settings: gatewaySettingsSchema.parse({
      upstreams: { fake: { url: upstreamUrl, retries: 0 } },
      routes: Object.entries(BENCH_ROUTES).map(([model, guards]) => ({
        model,
        upstream: 'fake',
        unregistered: true,
        guards,
      })),
    }),
    shield: createPromptShield(),
    upstreams: new Map([['fake', client]]),
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
  const url = await app.listen({ host: '127.0.0.1', port: 0 });

  // The floor: the same upstream client behind fastify, forwarding the body as it is.
  const bare = Fastify({ logger: false });
  const bareClient = createUpstream({ name: 'bare', baseUrl: upstreamUrl, retries: 0 });
  bare.post('/v1/chat/completions', async (req, reply) => {
    const body = req.body as Record<string, unknown>;
    if (body.stream !== true) return (await bareClient.chat(body)).body;
    reply.raw.writeHead(200, SSE_HEADERS);
    for await (const event of await bareClient.chatStream(body)) {
      reply.raw.write(event.kind === 'done' ? SSE_DONE : formatSseData(event.data));
    }
    reply.raw.end();
    return reply;
  });
  const bareUrl = await bare.listen({ host: '127.0.0.1', port: 0 });
  process.stdout.write(
    JSON.stringify({ url: `${url}/v1`, bareUrl: `${bareUrl}/v1`, key: created.key }) + '\n',
  );
  return async () => {
    await app.close();
    await bare.close();
    await client.close();
    await bareClient.close();
    await sink.close();
    await store.close();
    rmSync(home, { recursive: true, force: true });
    process.stdout.write(JSON.stringify({ audit: audited }) + '\n');
  };
}

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { 'delay-ms': { type: 'string', default: '0' }, upstream: { type: 'string' } },
});
const stop =
  positionals[0] === 'upstream'
    ? await upstream(Number(values['delay-ms']))
    : await gateway(values.upstream ?? 'http://127.0.0.1:1/v1');
// A `cpu` line asks for the CPU time this process has used so far (µs, user + system).
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.trim() !== 'cpu') return;
  const used = process.cpuUsage();
  process.stdout.write(JSON.stringify({ cpuMicros: used.user + used.system }) + '\n');
});
process.stdin.on('end', () => {
  void stop().then(() => process.exit(0));
});
