/**
 * The inference gateway's HTTP server (controls G1–G12): OpenAI-compatible endpoints on fastify,
 * every request authenticated, authorized, rate-limited, guarded in both directions (streams
 * included), routed only to upstreams bound to a released registry alias, and recorded in the
 * audit log and the metrics.
 */
import { randomUUID } from 'node:crypto';
import type { Duplex } from 'node:stream';
import type { ServerOptions as HttpsServerOptions } from 'node:https';
import { TLSSocket } from 'node:tls';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { PromptShield } from '../prompts/shield.js';
import type { Canary } from '../prompts/canary/canary.js';
import { abuseThrottledError, type AbuseMonitor } from './abuse/index.js';
import type { AuditSink } from './audit-sink.js';
import type { GatewaySettings, RouteSettings } from './gateway-config.js';
import {
  createDlp,
  createOutputGuard,
  type Dlp,
  type DlpMapping,
  type OutputGuard,
  type OutputGuardOptions,
} from './guards/index.js';
import {
  authorize,
  authErrorResponse,
  type Authenticator,
  type PresentedCredentials,
  type Principal,
} from './identity/index.js';
import { applyInputGuards, messageText, type ChatMessage, type InputVerdict } from './input-guards.js';
import {
  estimateEmbeddingTokens,
  LimiterUnavailableError,
  limiterUnavailableError,
  planChatTokens,
  refusalError,
  tokenPlanError,
  type Limiter,
  type Reservation,
} from './limits/index.js';
import type { GatewayMetrics } from './metrics.js';
import type { GatewayEndpoint, RequestOutcome } from './output-schemas.js';
import {
  badRequest,
  blockedByGuard,
  forbidden,
  GatewayError,
  internalError,
  tooLarge,
  unknownModel,
  upstreamFailed,
} from './openai-errors.js';
import type { ReleaseBinding } from './release-binding.js';
import {
  chatRequestSchema,
  embeddingsRequestSchema,
  parseRequest,
  type ChatRequest,
} from './request-shapes.js';
import {
  compileTools,
  createToolCallCollector,
  guardToolCalls,
  pendingApprovalsField,
  registerApprovalRoutes,
  type CompiledTools,
  type HeldToolCall,
  type HoldContext,
  type ToolCall,
  type ToolDeps,
} from './tools/index.js';
import { formatSseData, formatSseError, SSE_DONE, SSE_HEADERS } from './upstream/sse.js';
import { UpstreamError } from './upstream/upstream-error.js';
import type { JsonObject, Upstream } from './upstream/upstream-types.js';

/** Everything the server uses; `bulwark serve` builds these from bulwark.yaml. */
export interface GatewayDeps {
  readonly settings: GatewaySettings;
  readonly shield: PromptShield;
  readonly upstreams: ReadonlyMap<string, Upstream>;
  readonly release: ReleaseBinding;
  readonly authenticate: Authenticator;
  readonly limiter: Limiter;
  readonly audit: AuditSink;
  readonly metrics: GatewayMetrics;
  /** Abuse and extraction detection per key (G9); absent: off. */
  readonly abuse?: AbuseMonitor;
  /** Per route: a canary planted in its system prompt, found if it leaks (route model → canary). */
  readonly canaries?: ReadonlyMap<string, Canary>;
  /** Listen with HTTPS on these options (`requestCert` for mTLS); plain HTTP when absent. */
  readonly https?: HttpsServerOptions;
  /** Tool-call checks and approvals; without it tool calls pass through unchecked. */
  readonly tools?: ToolDeps;
}

/** What one request did, for the audit log and the metrics. */
interface RequestRecord {
  readonly id: string;
  readonly started: number;
  endpoint: GatewayEndpoint;
  principal?: Principal;
  route?: string;
  stream?: boolean;
  status?: number;
  outcome?: RequestOutcome;
  verdicts: { guard: string; action: string; message: string }[];
  promptTokens?: number;
  completionTokens?: number;
  /** What the request cost in the budget currency, when routes have prices. */
  cost?: number;
  reason?: string;
  detail?: string;
}

/** A route ready to serve: its settings, upstream and guards, built once. */
interface LiveRoute {
  readonly settings: RouteSettings;
  readonly upstream: Upstream;
  readonly output: OutputGuard;
  /** The options `output` was built with, for requests that add a JSON schema. */
  readonly outputOptions: OutputGuardOptions;
  readonly dlp?: Dlp;
  readonly canary?: Canary;
  /** Budget micro-units per prompt and per completion token (the price per million tokens). */
  readonly price?: { readonly prompt: number; readonly completion: number };
}

/** Budget amounts are kept in millionths of the currency, so the limiter counts integers. */
const MICRO = 1_000_000;

/** Builds the routes, refusing at start-up a route whose upstream is not declared (G12). */
function liveRoutes(deps: GatewayDeps): Map<string, LiveRoute> {
  const routes = new Map<string, LiveRoute>();
  const priced = deps.settings.routes.filter((r) => r.price !== undefined);
  const unpriced = deps.settings.routes.find((r) => r.price === undefined);
  if (priced.length > 0 && unpriced !== undefined)
    throw new GatewayConfigError(
      `route ${unpriced.model} has no price while route ${priced[0]?.model} has one; budgets need one unit, so price every route or none`,
    );
  for (const route of deps.settings.routes) {
    const upstream = deps.upstreams.get(route.upstream);
    if (upstream === undefined)
      throw new GatewayConfigError(`route ${route.model}: upstream ${route.upstream} is not declared`);
    if (route.registry === undefined && !route.unregistered)
      throw new GatewayConfigError(
        `route ${route.model}: no registry binding; name its NAME@ALIAS, or set unregistered: true to serve it anyway`,
      );
    if (routes.has(route.model)) throw new GatewayConfigError(`route ${route.model} is declared twice`);
    const out = route.guards.output;
    const canary = out.canary === 'off' ? undefined : deps.canaries?.get(route.model);
    const input = route.guards.input;
    const outputOptions: OutputGuardOptions = {
      secrets: out.secrets,
      pii: out.pii,
      links: { mode: out.links, allowDomains: out.allowDomains },
      html: out.html,
      ...(canary === undefined ? {} : { canaries: [canary] }),
    };
    routes.set(route.model, {
      settings: route,
      upstream,
      output: createOutputGuard(outputOptions),
      outputOptions,
      ...(input.dlp === 'off' ? {} : { dlp: createDlp({ allowRestore: input.restore }) }),
      ...(canary === undefined ? {} : { canary }),
      ...(route.price === undefined
        ? {}
        : {
            price: {
              prompt: route.price.promptPerMillion,
              completion: route.price.completionPerMillion,
            },
          }),
    });
  }
  return routes;
}

/** A gateway configuration that cannot serve (reported at start-up, never per request). */
export class GatewayConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GatewayConfigError';
  }
}

/** Creates the fastify instance (not listening yet). */
export function createGatewayServer(deps: GatewayDeps): FastifyInstance {
  const { settings, metrics } = deps;
  const routes = liveRoutes(deps);
  // Routes are priced all or none (liveRoutes refuses a mix), so this holds for every request.
  const priced = [...routes.values()].some((r) => r.price !== undefined);
  const timedOut = new WeakSet<object>();
  const app = Fastify({
    clientErrorHandler: (error, socket) => answerClientError(deps, timedOut, error, socket),
    bodyLimit: settings.bodyLimit,
    logger: false,
    return503OnClosing: true,
    // A client must send its whole request in time (slowloris). Node 20 honours that deadline only
    // when createServer gets it, and checks it every connectionsCheckingInterval (default 30 s).
    requestTimeout: settings.requestTimeoutMs,
    // With TLS, fastify builds the server from `https` alone (not `http`), so the check goes there.
    ...(deps.https === undefined
      ? {
          http: {
            requestTimeout: settings.requestTimeoutMs,
            connectionsCheckingInterval: Math.min(1_000, settings.requestTimeoutMs),
          },
        }
      : {
          https: {
            ...deps.https,
            requestTimeout: settings.requestTimeoutMs,
            connectionsCheckingInterval: Math.min(1_000, settings.requestTimeoutMs),
          },
        }),
  });

  app.setNotFoundHandler((_req, reply) => {
    void send(reply, new GatewayError(404, 'invalid_request_error', 'not_found', 'Unknown endpoint.'));
  });
  // Requests fastify refuses before a route runs (bad JSON, too large, a client too slow to send its
  // body) are answered in the OpenAI shape and recorded like every other request.
  app.setErrorHandler((error: Error & { code?: string; statusCode?: number }, req, reply) => {
    const record: RequestRecord = {
      id: randomUUID(),
      started: performance.now(),
      endpoint: endpointOf(req.url),
      verdicts: [],
    };
    reply.header('x-request-id', record.id);
    if (reply.raw.destroyed || req.raw.destroyed) {
      if (timedOut.has(req.raw.socket)) {
        record.status = 408;
        record.outcome = 'refused';
        record.reason = 'request-timeout';
      } else {
        record.outcome = 'cancelled';
        record.reason = 'client-disconnected';
      }
      return finish(deps, record, reply);
    }
    const { failure, reason } = requestFailure(error, settings.bodyLimit);
    record.reason = reason;
    if (reason === 'internal') record.detail = error.message;
    return finish(deps, record, reply, failure);
  });
  app.get('/healthz', () => ({ status: 'ok' }));
  app.get('/readyz', (_req, reply) =>
    deps.audit.pending < MAX_AUDIT_BACKLOG
      ? reply.send({ status: 'ready' })
      : reply.code(503).send({ status: 'audit log behind' }),
  );
  app.get('/metrics', async (_req, reply) => {
    const { body, contentType } = await metrics.render();
    return reply.type(contentType).send(body);
  });

  app.get('/v1/models', (req, reply) =>
    handle(deps, req, reply, 'models', async (record) => {
      const principal = await authenticate(deps, req, record);
      const data = [];
      for (const route of routes.values()) {
        if (!authorize(principal, { model: route.settings.model, tools: [] }).ok) continue;
        data.push({ id: route.settings.model, object: 'model', created: 0, owned_by: 'bulwark' });
      }
      record.outcome = 'allowed';
      return reply.send({ object: 'list', data });
    }),
  );

  // The caller's own limits and what it has used of them (never another principal's).
  app.get('/v1/bulwark/usage', (req, reply) =>
    handle(deps, req, reply, 'usage', async (record) => {
      const principal = await authenticate(deps, req, record);
      const period = deps.settings.budgetPeriod;
      const used = await deps.limiter.usage(principal.id, { budgetPeriod: period });
      const { rpm, tpm, maxTokens, budget } = principal.limits;
      record.outcome = 'allowed';
      return reply.send({
        object: 'bulwark.usage',
        principal: { id: principal.id, kind: principal.kind, name: principal.name },
        window_seconds: 60,
        requests: { used: used.requests, limit: rpm ?? null },
        tokens: { used: used.tokens, limit: tpm ?? null },
        max_tokens_per_request: maxTokens ?? null,
        budget: {
          unit: priced ? 'currency' : 'tokens',
          period,
          period_id: used.budgetPeriodId,
          spent: priced ? used.spent / MICRO : used.spent,
          limit: budget ?? null,
        },
      });
    }),
  );

  app.post('/v1/embeddings', (req, reply) =>
    handle(deps, req, reply, 'embeddings', async (record, signal) => {
      const principal = await authenticate(deps, req, record);
      refuseThrottled(deps, principal, record);
      const parsed = parseRequest(embeddingsRequestSchema, req.body);
      if (!parsed.ok) throw parsed.error;
      observeAbuse(deps, principal, record, () => embeddingText(parsed.value.input), parsed.value.model);
      const route = await admitRoute(deps, routes, principal, parsed.value.model, [], record);
      const demand = demandOf(route, estimateEmbeddingTokens(parsed.value), 0);
      return withReservation(deps, route, principal, demand, record, async () => {
        const answer = await callUpstream(record, () =>
          route.upstream.embeddings(
            { ...parsed.value, model: route.settings.upstreamModel ?? route.settings.model },
            { signal, requestId: record.id },
          ),
        );
        const usage = answer.body['usage'] as { prompt_tokens?: number } | undefined;
        record.promptTokens = usage?.prompt_tokens;
        record.outcome = 'allowed';
        return reply.send({ ...answer.body, model: route.settings.model });
      });
    }),
  );

  app.post('/v1/chat/completions', (req, reply) =>
    handle(deps, req, reply, 'chat', async (record, signal) => {
      const principal = await authenticate(deps, req, record);
      refuseThrottled(deps, principal, record);
      const parsed = parseRequest(chatRequestSchema, req.body);
      if (!parsed.ok) throw parsed.error;
      const body = parsed.value;
      observeAbuse(
        deps,
        principal,
        record,
        () =>
          body.messages
            .filter((m) => m.role === 'user')
            .map((m) => messageText(m.content as ChatMessage['content']))
            .join('\n'),
        body.model,
      );
      const tools = (body.tools ?? []).map((t) => t.function.name);
      const route = await admitRoute(deps, routes, principal, body.model, tools, record);
      const plan = planChatTokens(body, {
        ...(principal.limits.maxTokens === undefined
          ? {}
          : { maxTokensPerRequest: principal.limits.maxTokens }),
      });
      const planError = tokenPlanError(plan);
      if (planError !== null) throw planError;
      const demand = plan.ok ? demandOf(route, plan.promptTokens, plan.completionTokens) : { tokens: 0 };
      return withReservation(deps, route, principal, demand, record, async () => {
        const prepared = await guardInput(deps, route, body, record);
        record.stream = body.stream === true;
        if (body.stream === true) return streamChat(deps, route, prepared, record, signal, reply);
        return completeChat(deps, route, prepared, record, signal, reply);
      });
    }),
  );

  if (deps.tools !== undefined)
    registerApprovalRoutes(app, {
      store: deps.tools.store,
      authenticate: deps.authenticate,
      audit: deps.audit,
      credentialsOf: presentedCredentials,
    });

  app.addHook('onClose', async () => {
    await deps.audit.flush();
  });
  return app;
}

/** Requests refused (503) while this many audit events wait to be appended. */
const MAX_AUDIT_BACKLOG = 10_000;

/** Runs one endpoint: errors become OpenAI-shaped answers; every request ends in the audit log and metrics. */
async function handle(
  deps: GatewayDeps,
  req: FastifyRequest,
  reply: FastifyReply,
  endpoint: GatewayEndpoint,
  body: (record: RequestRecord, signal: AbortSignal) => Promise<FastifyReply | void>,
): Promise<FastifyReply | void> {
  const record: RequestRecord = { id: randomUUID(), started: performance.now(), endpoint, verdicts: [] };
  const abort = new AbortController();
  const onClose = (): void => {
    if (!reply.raw.writableEnded) abort.abort(new Error('client disconnected'));
  };
  reply.raw.on('close', onClose);
  reply.header('x-request-id', record.id);
  if (deps.audit.pending >= MAX_AUDIT_BACKLOG) {
    // The audit log cannot keep up: refuse rather than serve without evidence.
    record.reason = 'audit-backlog';
    return finish(
      deps,
      record,
      reply,
      new GatewayError(503, 'api_error', 'audit_unavailable', 'The gateway is busy; retry later.'),
    );
  }
  try {
    const result = await body(record, abort.signal);
    finish(deps, record, reply);
    return result;
  } catch (error) {
    if (abort.signal.aborted && !(error instanceof GatewayError)) {
      record.outcome = 'cancelled';
      record.reason = 'client-disconnected';
      finish(deps, record, reply);
      return;
    }
    return finish(deps, record, reply, toGatewayError(error, record));
  } finally {
    reply.raw.off('close', onClose);
  }
}

/** An upstream failure's internals, for the audit log only. */
function upstreamDetail(error: UpstreamError): string {
  const d = error.detail;
  return [
    `upstream ${d.upstream}`,
    `attempts ${d.attempts}`,
    d.phase && `phase ${d.phase}`,
    d.cause,
    d.message,
  ]
    .filter((part) => typeof part === 'string' && part !== '')
    .join(', ');
}

/** Maps anything thrown to the answer, keeping internals for the audit log. */
function toGatewayError(error: unknown, record: RequestRecord): GatewayError {
  if (error instanceof GatewayError) return error;
  if (error instanceof UpstreamError) {
    record.reason = `upstream-${error.kind}`;
    record.detail = upstreamDetail(error);
    return upstreamFailed(error.isTimeout);
  }
  if (error instanceof LimiterUnavailableError) {
    record.reason = 'limiter-unavailable';
    return limiterUnavailableError(error);
  }
  record.reason = 'internal';
  record.detail = error instanceof Error ? error.message : String(error);
  return internalError();
}

/**
 * A client that does not send its request in time, or sends garbage HTTP: answered in the OpenAI
 * shape on the raw socket (no request object exists yet), recorded, and the socket closed.
 */
function answerClientError(
  deps: GatewayDeps,
  timedOut: WeakSet<object>,
  error: Error & { code?: string },
  socket: Duplex,
): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const failure =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? new GatewayError(
          408,
          'invalid_request_error',
          'request_timeout',
          'The request was not received in time.',
        )
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? new GatewayError(
            431,
            'invalid_request_error',
            'headers_too_large',
            'Request headers are too large.',
          )
        : badRequest('The request is not valid HTTP.');
  if (failure.status === 408) timedOut.add(socket);
  const body = JSON.stringify(failure.body());
  const record: RequestRecord = {
    id: randomUUID(),
    started: performance.now(),
    endpoint: 'other',
    verdicts: [],
    status: failure.status,
    outcome: 'refused',
    reason: failure.status === 408 ? 'request-timeout' : 'bad-http',
  };
  recordRequest(deps, record);
  socket.end(
    `HTTP/1.1 ${failure.status} ${failure.status === 408 ? 'Request Timeout' : 'Bad Request'}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `x-request-id: ${record.id}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** The endpoint name of a URL, for records made before routing. */
function endpointOf(url: string): GatewayEndpoint {
  if (url.startsWith('/v1/chat/completions')) return 'chat';
  if (url.startsWith('/v1/embeddings')) return 'embeddings';
  if (url.startsWith('/v1/models')) return 'models';
  if (url.startsWith('/v1/bulwark/usage')) return 'usage';
  return 'other';
}

/** The answer to an error fastify raised before a route ran, and its reason code. */
function requestFailure(
  error: Error & { code?: string; statusCode?: number },
  bodyLimit: number,
): { failure: GatewayError; reason: string } {
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
    return { failure: tooLarge(bodyLimit), reason: 'body-too-large' };
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
    return {
      failure: new GatewayError(
        415,
        'invalid_request_error',
        'unsupported_media_type',
        'Send application/json.',
      ),
      reason: 'unsupported-media-type',
    };
  if (
    error.statusCode === 400 ||
    error instanceof SyntaxError ||
    error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY'
  )
    return {
      failure: new GatewayError(400, 'invalid_request_error', 'invalid_json', 'The body is not valid JSON.'),
      reason: 'invalid-json',
    };
  return { failure: internalError(), reason: 'internal' };
}

/** Sends an error (when the answer has not started) and records the request. */
function finish(
  deps: GatewayDeps,
  record: RequestRecord,
  reply: FastifyReply,
  error?: GatewayError,
): FastifyReply | void {
  if (error !== undefined) {
    record.status = error.status;
    record.outcome ??= error.status === 429 ? 'limited' : error.status >= 500 ? 'error' : 'refused';
    if (!reply.sent && !reply.raw.headersSent) void send(reply, error);
  } else {
    record.status ??= reply.raw.headersSent ? reply.raw.statusCode : reply.statusCode;
  }
  recordRequest(deps, record);
}

/** Counts the request in the metrics and queues its audit event. */
function recordRequest(deps: GatewayDeps, record: RequestRecord): void {
  const seconds = (performance.now() - record.started) / 1000;
  const route = record.route ?? '-';
  deps.metrics.requests.inc({
    route,
    status: String(record.status ?? 0),
    outcome: record.outcome ?? 'error',
  });
  deps.metrics.latency.observe({ route, stream: String(record.stream === true) }, seconds);
  for (const v of record.verdicts) deps.metrics.guardVerdicts.inc({ guard: v.guard, action: v.action });
  if (record.promptTokens !== undefined)
    deps.metrics.tokens.inc({ route, kind: 'prompt' }, record.promptTokens);
  if (record.completionTokens !== undefined)
    deps.metrics.tokens.inc({ route, kind: 'completion' }, record.completionTokens);
  deps.audit.record({
    type: 'gateway.request',
    requestId: record.id,
    endpoint: record.endpoint,
    principal: record.principal?.id,
    principalKind: record.principal?.kind,
    model: record.route,
    stream: record.stream,
    status: record.status,
    outcome: record.outcome,
    verdicts: record.verdicts,
    promptTokens: record.promptTokens,
    completionTokens: record.completionTokens,
    cost: record.cost,
    latencyMs: Math.round(seconds * 1e4) / 10,
    reason: record.reason,
    detail: record.detail,
  });
}

function send(reply: FastifyReply, error: GatewayError): FastifyReply {
  if (error.options.retryAfterSeconds !== undefined)
    reply.header('retry-after', String(error.options.retryAfterSeconds));
  return reply.code(error.status).type('application/json').send(error.body());
}

/** 429 while the key is throttled for abuse (G9). */
function refuseThrottled(deps: GatewayDeps, principal: Principal, record: RequestRecord): void {
  const throttle = deps.abuse?.isThrottled(principal.id, Date.now());
  if (throttle === undefined) return;
  record.outcome = 'limited';
  record.reason = 'abuse-throttled';
  throw abuseThrottledError(throttle);
}

/** Scores the request for abuse; a throttle or a newly firing signal goes to the audit log. */
function observeAbuse(
  deps: GatewayDeps,
  principal: Principal,
  record: RequestRecord,
  promptText: () => string,
  model: string,
): void {
  // The text is only put together when a monitor will read it.
  if (deps.abuse === undefined) return;
  const seen = deps.abuse.observe(principal.id, { time: Date.now(), promptText: promptText(), model });
  if (seen?.event !== undefined) deps.audit.record({ ...seen.event, requestId: record.id });
}

/** The text of an embeddings input (token arrays count by length only). */
function embeddingText(input: unknown): string {
  if (typeof input === 'string') return input;
  if (Array.isArray(input)) return input.filter((x): x is string => typeof x === 'string').join('\n');
  return '';
}

async function authenticate(
  deps: GatewayDeps,
  req: FastifyRequest,
  record: RequestRecord,
): Promise<Principal> {
  const result = await deps.authenticate(presentedCredentials(req));
  if (result.ok) {
    record.principal = result.principal;
    return result.principal;
  }
  record.reason = result.reason;
  record.detail = result.detail;
  const response = authErrorResponse(result.reason);
  const body = response.body.error;
  throw new GatewayError(response.status, body.type, body.code, body.message);
}

/** The Authorization header and, over TLS, the client certificate of a request. */
function presentedCredentials(req: FastifyRequest): PresentedCredentials {
  const socket = req.raw.socket;
  const peer = socket instanceof TLSSocket ? socket.getPeerCertificate() : undefined;
  return {
    ...(req.headers.authorization === undefined ? {} : { authorization: req.headers.authorization }),
    // An empty object means the client sent no certificate.
    ...(peer === undefined || Object.keys(peer).length === 0
      ? {}
      : { certificate: { authorized: (socket as TLSSocket).authorized, ...peer } }),
  };
}

/** The route of `model`, if the caller may use it and its registry alias is released (G12). */
async function admitRoute(
  deps: GatewayDeps,
  routes: ReadonlyMap<string, LiveRoute>,
  principal: Principal,
  model: string,
  tools: readonly string[],
  record: RequestRecord,
): Promise<LiveRoute> {
  const route = routes.get(model);
  if (route === undefined) {
    record.reason = 'unknown-model';
    throw unknownModel(model);
  }
  record.route = model;
  const access = authorize(principal, { model, tools });
  if (!access.ok) {
    record.reason = access.reason;
    record.detail = access.detail;
    throw forbidden(
      access.reason === 'tool-not-allowed'
        ? 'A tool in this request is not allowed for this caller.'
        : `This caller may not use the model '${model}'.`,
    );
  }
  if (route.settings.registry !== undefined) {
    const status = await deps.release.status(route.settings.registry);
    if (!status.allowed) {
      record.reason = 'model-not-released';
      record.detail = status.reasons.join('; ');
      throw new GatewayError(
        403,
        'permission_error',
        'model_not_released',
        `The model '${model}' is not released for serving: ${status.reasons.join('; ') || 'the release policy refuses it'}.`,
      );
    }
  }
  return route;
}

/** What a request asks of the limiter: its tokens and, on a priced route, its cost in micro-units. */
function demandOf(
  route: LiveRoute,
  promptTokens: number,
  completionTokens: number,
): { tokens: number; cost?: number } {
  const tokens = promptTokens + completionTokens;
  if (route.price === undefined) return { tokens };
  // Rounded up: a budget is never overspent by rounding.
  return {
    tokens,
    cost: Math.ceil(promptTokens * route.price.prompt + completionTokens * route.price.completion),
  };
}

async function admit(
  deps: GatewayDeps,
  principal: Principal,
  demand: { tokens: number; cost?: number },
  record: RequestRecord,
): Promise<Reservation> {
  const { rpm, tpm, budget } = principal.limits;
  const admission = await deps.limiter.admit(principal.id, demand, {
    ...(rpm === undefined ? {} : { rpm }),
    ...(tpm === undefined ? {} : { tpm }),
    ...(budget === undefined
      ? {}
      : {
          // With prices the budget is money, counted in micro-units like the cost; without, tokens.
          budget: Math.floor(demand.cost === undefined ? budget : budget * MICRO),
          budgetPeriod: deps.settings.budgetPeriod,
        }),
  });
  if (admission.allowed) return admission.reservation;
  record.outcome = 'limited';
  record.reason = `limit-${admission.limit}`;
  throw refusalError(admission);
}

/**
 * Reserves a request's demand against the caller's limits, serves it, and charges the real tokens and
 * cost once the answer is over however it ended, refunding the rest of the reservation.
 */
async function withReservation<T>(
  deps: GatewayDeps,
  route: LiveRoute,
  principal: Principal,
  demand: { tokens: number; cost?: number },
  record: RequestRecord,
  serve: () => Promise<T>,
): Promise<T> {
  const reservation = await admit(deps, principal, demand, record);
  try {
    return await serve();
  } finally {
    await settle(deps, route, reservation, record);
  }
}

/** Charges the real tokens and cost once the answer is over, refunding the rest of the reservation. */
async function settle(
  deps: GatewayDeps,
  route: LiveRoute,
  reservation: Reservation,
  record: RequestRecord,
): Promise<void> {
  const real = demandOf(route, record.promptTokens ?? 0, record.completionTokens ?? 0);
  if (real.cost !== undefined) record.cost = real.cost / MICRO;
  await deps.limiter.settle(reservation, real);
}

async function callUpstream<T>(record: RequestRecord, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof UpstreamError) {
      record.reason = `upstream-${error.kind}`;
      record.detail = upstreamDetail(error);
    }
    throw error;
  }
}

/** A chat request after the input guards: what goes upstream and how to restore the answer. */
interface PreparedChat {
  readonly body: JsonObject;
  readonly mapping?: DlpMapping;
  /** The route's output guard, or one that also checks the request's JSON schema. */
  readonly output: OutputGuard;
  /** The request's tool schemas, compiled when the gateway checks tool calls. */
  readonly tools?: CompiledTools;
}

/** Shield, spotlighting, DLP and the canary; throws when a guard in block mode fires. */
async function guardInput(
  deps: GatewayDeps,
  route: LiveRoute,
  body: ChatRequest,
  record: RequestRecord,
): Promise<PreparedChat> {
  const input = route.settings.guards.input;
  const shield = await applyInputGuards(deps.shield, input, body.messages);
  record.verdicts.push(...shield.verdicts.map(auditVerdict));
  if (shield.blocked !== undefined) {
    record.outcome = 'blocked';
    record.reason = shield.blocked.guard;
    throw blockedByGuard(shield.blocked.guard, shield.blocked.message);
  }
  let messages = shield.messages;
  let mapping: DlpMapping | undefined;
  if (route.dlp !== undefined) {
    const dlp = route.dlp;
    messages = messages.map((m) => {
      if (m.role !== 'user' || typeof m.content !== 'string') return m;
      const protectedText = dlp.protect(m.content, mapping);
      mapping = protectedText.mapping;
      if (protectedText.replaced.length === 0) return m;
      const entities = [...new Set(protectedText.replaced.map((r) => r.entity))].join(', ');
      const action = input.dlp === 'block' ? 'block' : input.dlp === 'flag' ? 'flag' : 'redact';
      record.verdicts.push({ guard: 'dlp', action, message: `sensitive data in the prompt (${entities})` });
      if (action === 'block') {
        record.outcome = 'blocked';
        throw blockedByGuard('dlp', `sensitive data in the prompt (${entities})`);
      }
      return action === 'redact' ? { ...m, content: protectedText.text } : m;
    });
  }
  if (route.canary !== undefined) messages = plantCanary(messages, route.canary);
  return {
    body: { ...body, messages, model: route.settings.upstreamModel ?? route.settings.model },
    ...(mapping === undefined || input.dlp !== 'redact' ? {} : { mapping }),
    output: outputGuardFor(route, body),
    ...(deps.tools === undefined ? {} : { tools: compileTools(body.tools) }),
  };
}

/**
 * Structured outputs (`response_format: json_schema`) are checked against their schema at the end
 * of the answer, by a guard built for the request; an invalid schema is the caller's 400.
 */
function outputGuardFor(route: LiveRoute, body: ChatRequest): OutputGuard {
  const format = body.response_format;
  const mode = route.settings.guards.output.jsonSchema;
  if (mode === 'off' || format?.type !== 'json_schema') return route.output;
  const schema = (format as { json_schema: { schema?: Record<string, unknown> } }).json_schema.schema;
  if (schema === undefined) return route.output;
  try {
    return createOutputGuard({ ...route.outputOptions, jsonSchema: schema });
  } catch {
    throw badRequest('response_format.json_schema.schema is not a valid JSON schema.', 'response_format');
  }
}

function plantCanary(messages: readonly ChatMessage[], canary: Canary): ChatMessage[] {
  const system = messages.findIndex((m) => m.role === 'system' || m.role === 'developer');
  if (system === -1) return [{ role: 'system', content: canary.sentence }, ...messages];
  return messages.map((m, i) =>
    i === system ? { ...m, content: `${messageText(m.content)}\n${canary.sentence}` } : m,
  );
}

function auditVerdict(v: InputVerdict | { guard: string; action: string; message: string }): {
  guard: string;
  action: string;
  message: string;
} {
  return { guard: v.guard, action: v.action, message: v.message };
}

/** An upstream body without what identifies the model build behind the route (G10). */
function withoutModelMetadata(body: JsonObject): JsonObject {
  const copy = { ...body };
  delete copy['system_fingerprint'];
  return copy;
}

/** A non-streamed completion: the output guards on each choice, then DLP restore. */
async function completeChat(
  deps: GatewayDeps,
  route: LiveRoute,
  prepared: PreparedChat,
  record: RequestRecord,
  signal: AbortSignal,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const answer = await callUpstream(record, () =>
    route.upstream.chat(prepared.body, { signal, requestId: record.id }),
  );
  const choices = Array.isArray(answer.body['choices']) ? (answer.body['choices'] as JsonObject[]) : [];
  const guarded = choices.map((choice) => {
    const message = (choice['message'] ?? {}) as JsonObject;
    if (typeof message['content'] !== 'string') return choice;
    const result = prepared.output.check(message['content']);
    record.verdicts.push(...result.verdicts.map(auditVerdict));
    if (result.blocked) {
      record.outcome = 'blocked';
      const first = result.verdicts.find((v) => v.action === 'block');
      throw blockedByGuard(first?.guard ?? 'output', first?.message ?? 'the answer was refused');
    }
    const text =
      prepared.mapping === undefined || route.dlp === undefined
        ? result.text
        : route.dlp.restore(result.text, prepared.mapping);
    return { ...choice, message: { ...message, content: text } };
  });
  const held: HeldToolCall[] = [];
  for (const [i, choice] of guarded.entries()) {
    const message = (choice['message'] ?? {}) as JsonObject;
    if (!Array.isArray(message['tool_calls'])) continue;
    const checked = await checkChoiceTools(deps, prepared, record, message['tool_calls']);
    if (checked === undefined) continue;
    held.push(...checked.held);
    guarded[i] = {
      ...choice,
      message: { ...message, tool_calls: checked.toolCalls as unknown as JsonObject[] },
    };
  }
  const usage = answer.body['usage'] as { prompt_tokens?: number; completion_tokens?: number } | undefined;
  record.promptTokens = usage?.prompt_tokens;
  record.completionTokens = usage?.completion_tokens;
  record.outcome = 'allowed';
  return reply.send({
    ...withoutModelMetadata(answer.body),
    model: route.settings.model,
    choices: guarded,
    ...(held.length === 0 ? {} : { bulwark: pendingApprovalsField(held) }),
  });
}

/**
 * The tool step of one choice: validates the calls (a refusal throws `content_blocked`), holds the
 * sensitive ones as pending approvals and returns the calls to send; undefined when tools are not checked.
 */
async function checkChoiceTools(
  deps: GatewayDeps,
  prepared: PreparedChat,
  record: RequestRecord,
  toolCalls: readonly ToolCall[],
): Promise<{ toolCalls: ToolCall[]; held: readonly HeldToolCall[] } | undefined> {
  if (deps.tools === undefined || prepared.tools === undefined) return undefined;
  const context: HoldContext = {
    requestId: record.id,
    principal: record.principal?.id ?? '-',
    model: record.route ?? '-',
  };
  const result = await guardToolCalls(
    toolCalls,
    prepared.tools,
    { ...deps.tools, audit: deps.audit },
    context,
  );
  record.verdicts.push(...result.verdicts.map(auditVerdict));
  if (result.blocked !== undefined) {
    record.outcome = 'blocked';
    record.reason = `tool-${result.blocked.problem}`;
    throw blockedByGuard('tools', result.blocked.message);
  }
  return { toolCalls: result.toolCalls, held: result.held };
}

/**
 * A streamed completion: every content delta goes through the route's stream guard (per choice)
 * and DLP restorer before it is written; a block ends the stream with an error event.
 */
async function streamChat(
  deps: GatewayDeps,
  route: LiveRoute,
  prepared: PreparedChat,
  record: RequestRecord,
  signal: AbortSignal,
  reply: FastifyReply,
): Promise<void> {
  const stream = await callUpstream(record, () =>
    route.upstream.chatStream(prepared.body, { signal, requestId: record.id, includeUsage: true }),
  );
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, { ...SSE_HEADERS, 'x-request-id': record.id });
  record.status = 200;
  const guards = new Map<number, ReturnType<OutputGuard['stream']>>();
  const restorers = new Map<number, { push(d: string): string; end(): string }>();
  const guardOf = (index: number) => {
    let guard = guards.get(index);
    if (guard === undefined) {
      guard = prepared.output.stream();
      guards.set(index, guard);
      if (prepared.mapping !== undefined && route.dlp !== undefined)
        restorers.set(index, route.dlp.restorer(prepared.mapping));
    }
    return guard;
  };
  let template: JsonObject | undefined;
  let blocked: GatewayError | undefined;
  /** Writes one chunk of choice `index` under the upstream's id and the route's public model name. */
  const writeChunk = (
    index: number,
    delta: JsonObject,
    finish: unknown = null,
    extra: JsonObject = {},
  ): void => {
    const base = template ?? {
      id: `chatcmpl-${record.id}`,
      object: 'chat.completion.chunk',
      created: Math.floor(Date.now() / 1000),
    };
    raw.write(
      formatSseData({
        ...base,
        model: route.settings.model,
        choices: [{ index, delta, finish_reason: finish }],
        ...extra,
      }),
    );
  };
  const emit = (index: number, text: string, finish?: unknown): void => {
    const restorer = restorers.get(index);
    const content = restorer === undefined ? text : restorer.push(text);
    if (content === '' && finish === undefined) return;
    writeChunk(index, content === '' ? {} : { content }, finish ?? null);
  };
  const step = (
    index: number,
    result: {
      release: string;
      verdicts: readonly { guard: string; action: string; message: string }[];
      blocked: boolean;
    },
  ): void => {
    record.verdicts.push(...result.verdicts.map(auditVerdict));
    if (result.release !== '') emit(index, result.release);
    if (result.blocked && blocked === undefined) {
      const first = result.verdicts.find((v) => v.action === 'block');
      blocked = blockedByGuard(first?.guard ?? 'output', first?.message ?? 'the answer was refused');
    }
  };
  const finishes = new Map<number, unknown>();
  // Tool-call fragments are held back until each call is whole and checked.
  const collector = deps.tools === undefined ? undefined : createToolCallCollector();
  try {
    for await (const event of stream) {
      if (event.kind === 'done') break;
      const chunk = event.data;
      const { choices, usage, ...meta } = withoutModelMetadata(chunk);
      template ??= meta;
      if (usage !== undefined && usage !== null) {
        const u = usage as { prompt_tokens?: number; completion_tokens?: number };
        record.promptTokens = u.prompt_tokens;
        record.completionTokens = u.completion_tokens;
      }
      for (const choice of Array.isArray(choices) ? (choices as JsonObject[]) : []) {
        const index = typeof choice['index'] === 'number' ? choice['index'] : 0;
        const delta = (choice['delta'] ?? {}) as JsonObject;
        const { content, tool_calls: toolCallDeltas, ...rest } = delta;
        collector?.push(index, toolCallDeltas);
        const otherDelta =
          collector === undefined && toolCallDeltas !== undefined
            ? { ...rest, tool_calls: toolCallDeltas }
            : rest;
        if (Object.keys(otherDelta).length > 0) {
          // Role, tool calls and other fields pass through as they come (tool arguments are checked by the tool guard).
          writeChunk(index, otherDelta);
        }
        if (typeof content === 'string' && content !== '') step(index, guardOf(index).push(content));
        if (choice['finish_reason'] !== undefined && choice['finish_reason'] !== null)
          finishes.set(index, choice['finish_reason']);
        if (blocked !== undefined) break;
      }
      if (blocked !== undefined) break;
    }
    if (blocked === undefined) {
      for (const [index, guard] of guards) step(index, guard.end());
      for (const [index, restorer] of restorers) {
        const rest = restorer.end();
        if (rest !== '') writeChunk(index, { content: rest });
      }
      for (const index of collector?.choices() ?? []) {
        let checked;
        try {
          checked = await checkChoiceTools(deps, prepared, record, collector?.calls(index) ?? []);
        } catch (error) {
          if (!(error instanceof GatewayError)) throw error;
          blocked = error;
          break;
        }
        if (checked === undefined) continue;
        writeChunk(
          index,
          { tool_calls: checked.toolCalls.map((call, i) => ({ index: i, ...call })) },
          null,
          checked.held.length === 0 ? {} : { bulwark: pendingApprovalsField(checked.held) },
        );
      }
    }
    if (blocked !== undefined) {
      record.outcome = 'blocked';
      record.reason = 'output-guard';
      raw.end(formatSseError(blocked.body()));
      return;
    }
    for (const [index, reason] of finishes) emit(index, '', reason);
    record.outcome = 'allowed';
    raw.end(SSE_DONE);
  } catch (error) {
    const failure = toGatewayError(error, record);
    if (signal.aborted) {
      record.outcome = 'cancelled';
      record.reason = 'client-disconnected';
      raw.destroy();
      return;
    }
    record.outcome = 'error';
    if (!raw.writableEnded) raw.end(formatSseError(failure.body()));
  } finally {
    stream.close();
  }
}
