import type { ServerOptions as HttpsServerOptions } from 'node:https';
import { resolve } from 'node:path';
import { createSecureContext } from 'node:tls';
import type { Command } from 'commander';
import { BulwarkError } from '../core/errors.js';
import { createCanary, type Canary } from '../prompts/canary/canary.js';
import { createPromptShield } from '../prompts/shield.js';
import { openShieldModel } from './onnx-model.js';
import { createAbuseMonitor } from '../gateway/abuse/index.js';
import { createAuditSink } from '../gateway/audit-sink.js';
import { DEMO_MODEL_ID, createDemoUpstream } from '../gateway/demo/demo-model.js';
import { gatewaySettingsSchema, type GatewaySettings } from '../gateway/gateway-config.js';
import {
  cachedKeyLookup,
  createAuthenticator,
  createJwtVerifier,
  type Authenticator,
  type JwksSource,
  type JwtVerifier,
} from '../gateway/identity/index.js';
import { createMemoryLimiter, createRedisLimiter } from '../gateway/limits/index.js';
import { createGatewayMetrics } from '../gateway/metrics.js';
import { createReleaseBinding } from '../gateway/release-binding.js';
import { GatewayConfigError, createGatewayServer } from '../gateway/server.js';
import { createUpstream } from '../gateway/upstream/create-upstream.js';
import type { Upstream } from '../gateway/upstream/upstream-types.js';
import type { Store } from '../store/store.js';
import { withContext, type CliContext } from './context.js';
import { readUserFile } from './files.js';
import type { CliIo } from './io.js';
import { wholeNumberOption } from './options.js';
import { deploymentCheck } from './registry.js';

interface ServeOptions {
  host?: string;
  port?: string;
  demo: boolean;
}

/** The demo route `--demo` adds: the built-in deterministic demo model, never used unless asked for. */
const DEMO_ROUTE = { model: DEMO_MODEL_ID, upstream: 'demo', unregistered: true } as const;

/**
 * `bulwark serve`: the inference gateway (docs/gateway.md) on the settings of `gateway` in
 * bulwark.yaml, until SIGINT or SIGTERM (or `io.signal`, in tests).
 */
export function registerServe(program: Command, io: CliIo): void {
  program
    .command('serve')
    .description(
      'run the inference gateway: OpenAI-compatible, authenticated, rate-limited, shielded, audited',
    )
    .option('--host <address>', 'address to listen on (default: gateway.host, 127.0.0.1)')
    .option('--port <n>', 'port to listen on, 0 for any free port (default: gateway.port, 8080)')
    .option(
      '--demo',
      `also serve the built-in demo model "${DEMO_MODEL_ID}" (a labelled, deterministic stand-in)`,
      false,
    )
    .action(async function (this: Command, opts: ServeOptions) {
      await withContext(io, this, (ctx) => serve(ctx, opts, io.signal));
    });
}

async function serve(ctx: CliContext, opts: ServeOptions, signal: AbortSignal | undefined): Promise<void> {
  const settings = gatewaySettingsSchema.parse({
    ...ctx.config.gateway,
    ...(opts.host === undefined ? {} : { host: opts.host }),
    ...(opts.port === undefined ? {} : { port: wholeNumberOption(opts.port, '--port') }),
    ...(opts.demo ? { routes: [...ctx.config.gateway.routes, DEMO_ROUTE] } : {}),
  });
  const https = await readTls(ctx, settings);
  const store = await ctx.store();
  const authenticate = await openAuthenticator(ctx, settings, store);
  const upstreams = openUpstreams(ctx, settings, opts.demo);
  const auditLog = await ctx.auditLog();
  const shieldThreshold = ctx.config.prompts.shield.threshold;
  const limiter =
    settings.redis === undefined ? createMemoryLimiter() : createRedisLimiter({ redis: settings.redis });
  const audit = createAuditSink((entries) => auditLog.appendBatch(entries), {
    onError: (error) =>
      ctx.io.stderr.write(
        `bulwark serve: audit log: ${error instanceof Error ? error.message : String(error)}\n`,
      ),
  });
  // The shield's model tier (prompts.shield.model), when configured: every scanned message then
  // goes through it as well as through the fast tier.
  const shieldModel = await openShieldModel(ctx, undefined);
  const canaries = new Map<string, Canary>();
  for (const route of settings.routes)
    if (route.guards.output.canary !== 'off') canaries.set(route.model, createCanary());
  let app;
  try {
    app = createGatewayServer({
      settings,
      shield: createPromptShield({
        ...(shieldThreshold === undefined ? {} : { threshold: shieldThreshold }),
        ...(shieldModel === undefined ? {} : { detectors: [shieldModel] }),
      }),
      upstreams,
      release: createReleaseBinding(async (ref) => {
        const check = await deploymentCheck(ctx, ref);
        return {
          allowed: check.decision.allowed,
          version: `${check.version.name}@${check.version.version}`,
          reasons: check.decision.requirements.filter((r) => !r.met).map((r) => `${r.id}: ${r.reason}`),
        };
      }, settings.releaseCacheSeconds * 1000),
      authenticate,
      limiter,
      audit,
      metrics: createGatewayMetrics(),
      canaries,
      abuse: createAbuseMonitor(settings.abuse),
      tools: { policy: settings.tools, store },
      ...(https === undefined ? {} : { https }),
    });
  } catch (error) {
    await shieldModel?.close();
    if (error instanceof GatewayConfigError)
      throw new BulwarkError('CONFIG_INVALID', `gateway: ${error.message}`);
    throw error;
  }
  const address = await app.listen({ host: settings.host, port: settings.port });
  const routes = settings.routes.map((r) =>
    r.model === DEMO_MODEL_ID && opts.demo ? `${r.model} (demo model)` : r.model,
  );
  ctx.io.stderr.write(
    `bulwark gateway listening on ${address} (routes: ${routes.join(', ') || 'none'})\n` +
      (shieldModel === undefined ? '' : `prompt shield model: ${shieldModel.modelPath}\n`) +
      (opts.demo ? `demo: "${DEMO_MODEL_ID}" is a built-in deterministic demo model, not a real one\n` : ''),
  );
  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    signal?.addEventListener('abort', stop, { once: true });
  });
  await app.close();
  await audit.close();
  await limiter.close();
  await Promise.all([...upstreams.values()].map((u) => u.close()));
  await shieldModel?.close();
}

function openUpstreams(ctx: CliContext, settings: GatewaySettings, demo: boolean): Map<string, Upstream> {
  const upstreams = new Map<string, Upstream>();
  for (const [name, s] of Object.entries(settings.upstreams)) {
    const apiKey = s.apiKeyEnv === undefined ? undefined : ctx.io.env[s.apiKeyEnv];
    if (s.apiKeyEnv !== undefined && apiKey === undefined)
      throw new BulwarkError('CONFIG_INVALID', `gateway.upstreams.${name}: ${s.apiKeyEnv} is not set`);
    upstreams.set(
      name,
      createUpstream({
        name,
        baseUrl: s.url,
        kind: s.kind,
        ...(s.apiVersion === undefined ? {} : { apiVersion: s.apiVersion }),
        ...(apiKey === undefined ? {} : { apiKey }),
        connectTimeoutMs: s.connectTimeoutMs,
        headersTimeoutMs: s.firstByteTimeoutMs,
        idleTimeoutMs: s.idleTimeoutMs,
        totalTimeoutMs: s.totalTimeoutMs,
        retries: s.retries,
        connections: s.connections,
      }),
    );
  }
  if (demo) {
    if (upstreams.has('demo'))
      throw new BulwarkError('CONFIG_INVALID', 'gateway.upstreams.demo is reserved for --demo');
    upstreams.set('demo', createDemoUpstream());
  }
  return upstreams;
}

/** The authenticator of `gateway.auth`: API keys from the store, JWTs against a JWKS, mTLS rules. */
async function openAuthenticator(
  ctx: CliContext,
  settings: GatewaySettings,
  store: Store,
): Promise<Authenticator> {
  const { auth, tls } = settings;
  if (auth.mtls !== undefined && tls?.requestCert !== true)
    throw new BulwarkError(
      'CONFIG_INVALID',
      'gateway.auth.mtls needs gateway.tls with requestCert: true and ca, or no client sends a certificate',
    );
  return createAuthenticator({
    ...(auth.apiKeys ? { apiKeys: cachedKeyLookup((prefix) => store.getGatewayKeyByPrefix(prefix)) } : {}),
    ...(auth.jwt === undefined ? {} : { jwt: await openJwtVerifier(ctx, auth.jwt) }),
    ...(auth.mtls === undefined ? {} : { mtls: auth.mtls.rules }),
  });
}

async function openJwtVerifier(
  ctx: CliContext,
  jwt: NonNullable<GatewaySettings['auth']['jwt']>,
): Promise<JwtVerifier> {
  const { jwksUrl, jwksFile, ...rest } = jwt;
  const jwks: JwksSource =
    jwksFile === undefined ? { url: jwksUrl ?? '' } : { file: resolve(ctx.configDir, jwksFile) };
  try {
    return await createJwtVerifier({ ...rest, jwks });
  } catch (error) {
    if (error instanceof BulwarkError)
      throw new BulwarkError(error.code, `gateway.auth.jwt: ${error.message}`, { cause: error });
    throw error;
  }
}

/**
 * The HTTPS options of `gateway.tls`, files relative to bulwark.yaml. Client certificates are asked
 * for but not required at the handshake (`rejectUnauthorized: false`): a bearer credential still
 * works, and the authenticator admits a certificate only if it chains to `ca` and matches a rule.
 */
async function readTls(ctx: CliContext, settings: GatewaySettings): Promise<HttpsServerOptions | undefined> {
  const tls = settings.tls;
  if (tls === undefined) return undefined;
  const read = (path: string, what: string): Promise<string> =>
    readUserFile(resolve(ctx.configDir, path), `gateway TLS ${what}`);
  const options = {
    cert: await read(tls.cert, 'certificate'),
    key: await read(tls.key, 'key'),
    ...(tls.ca === undefined ? {} : { ca: await read(tls.ca, 'client CA') }),
  };
  try {
    createSecureContext(options);
  } catch (error) {
    throw new BulwarkError('CONFIG_INVALID', `gateway.tls: ${(error as Error).message}`, { cause: error });
  }
  return { ...options, requestCert: tls.requestCert, rejectUnauthorized: false };
}
