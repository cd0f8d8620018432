/**
 * A gateway on a loopback port for tests, built as `bulwark serve` builds one but from parts a test
 * controls: named upstreams (usually the fake upstream), API keys held in a map, the memory limiter,
 * an audit sink that collects what it is given, and the real prompt shield. Any dependency can be
 * replaced (a Redis limiter, a release binding that refuses, tools with a store…).
 */
import type { AuditEntryInput } from '../../src/audit/log.js';
import { createAuditSink, type AuditSink } from '../../src/gateway/audit-sink.js';
import { gatewaySettingsSchema } from '../../src/gateway/gateway-config.js';
import { createApiKey } from '../../src/gateway/identity/api-key.js';
import { createAuthenticator } from '../../src/gateway/identity/authenticate.js';
import { createMemoryLimiter } from '../../src/gateway/limits/index.js';
import { createGatewayMetrics } from '../../src/gateway/metrics.js';
import { requestEventSchema } from '../../src/gateway/output-schemas.js';
import { createReleaseBinding } from '../../src/gateway/release-binding.js';
import { createGatewayServer, type GatewayDeps } from '../../src/gateway/server.js';
import { createUpstream, type UpstreamOptions } from '../../src/gateway/upstream/create-upstream.js';
import { createPromptShield, type PromptShield } from '../../src/prompts/shield.js';
import type { GatewayKeyRecord } from '../../src/store/store.js';

/** One shield for every test gateway in a file: its tables load once. */
let sharedShield: PromptShield | undefined;

export interface TestGatewayOptions {
  /** The `gateway` section; `upstreams` defaults to the ones below, without retries. */
  readonly settings: Record<string, unknown>;
  /** Upstream clients by name: their base URL and any client options (retries default to 0). */
  readonly upstreams: Readonly<Record<string, { readonly url: string } & Partial<UpstreamOptions>>>;
  /** Replaces the default parts (limiter, release binding, abuse, tools, metrics…). */
  readonly deps?: Partial<Omit<GatewayDeps, 'settings' | 'upstreams' | 'audit' | 'authenticate'>>;
  /** Receives each audit batch instead of the collecting array. */
  readonly onAudit?: (entries: readonly AuditEntryInput[]) => void;
  /** API keys the gateway accepts, shared between instances (default: its own). */
  readonly keys?: Map<string, GatewayKeyRecord>;
}

export interface TestGateway {
  /** `http://127.0.0.1:PORT`, without `/v1`. */
  readonly url: string;
  /** What the audit sink was given (flush `sink` first). */
  readonly audit: AuditEntryInput[];
  readonly sink: AuditSink;
  /** Creates an API key the gateway accepts. */
  newKey(models: readonly string[], options?: KeyOptions): string;
  /** The `gateway.request` audit events so far, as JSON, after a flush; throws if one is off its schema. */
  requestEvents(): Promise<Record<string, unknown>[]>;
  /** Closes the gateway, then its audit sink, its upstream clients and the limiter. */
  close(): Promise<void>;
}

export interface KeyOptions {
  readonly tools?: readonly string[];
  readonly limits?: { rpm?: number; tpm?: number; maxTokens?: number; budget?: number };
  readonly name?: string;
}

/** Starts a gateway for a test; close it in afterAll. */
export async function startTestGateway(options: TestGatewayOptions): Promise<TestGateway> {
  const keys = options.keys ?? new Map<string, GatewayKeyRecord>();
  const audit: AuditEntryInput[] = [];
  const sink = createAuditSink(
    (entries) => {
      if (options.onAudit === undefined) audit.push(...entries);
      else options.onAudit(entries);
      return Promise.resolve();
    },
    { flushMs: 5 },
  );
  const upstreams = new Map(
    Object.entries(options.upstreams).map(([name, { url, ...client }]) => [
      name,
      createUpstream({ retries: 0, ...client, name, baseUrl: url }),
    ]),
  );
  const limiter = options.deps?.limiter ?? createMemoryLimiter();
  const app = createGatewayServer({
    shield: (sharedShield ??= createPromptShield()),
    release: createReleaseBinding(() => Promise.resolve({ allowed: true, reasons: [] }), 0),
    metrics: createGatewayMetrics(false),
    ...options.deps,
    limiter,
    settings: gatewaySettingsSchema.parse({
      upstreams: Object.fromEntries(
        Object.entries(options.upstreams).map(([name, { url }]) => [name, { url, retries: 0 }]),
      ),
      ...options.settings,
    }),
    upstreams,
    authenticate: createAuthenticator({ apiKeys: (prefix) => Promise.resolve(keys.get(prefix)) }),
    audit: sink,
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url,
    audit,
    sink,
    newKey(models, key = {}) {
      const created = createApiKey({
        name: key.name ?? 'test',
        models: [...models],
        ...(key.tools === undefined ? {} : { tools: [...key.tools] }),
        limits: key.limits ?? {},
      });
      keys.set(created.record.prefix, { ...created.record, createdAt: new Date().toISOString() });
      return created.key;
    },
    async requestEvents() {
      await sink.flush();
      const events = audit
        .map((e) => JSON.parse(JSON.stringify(e.data)) as Record<string, unknown>)
        .filter((d) => d['type'] === 'gateway.request');
      // Every event is what docs/schema/gateway-request-event.schema.json says.
      for (const event of events) {
        const checked = requestEventSchema.safeParse(event);
        if (!checked.success)
          throw new Error(`audit event off its schema: ${checked.error.message}\n${JSON.stringify(event)}`);
      }
      return events;
    },
    async close() {
      await app.close();
      await sink.close();
      await Promise.all([...upstreams.values()].map((u) => u.close()));
      await limiter.close();
    },
  };
}
