/**
 * `gateway` in bulwark.yaml: what `bulwark serve` listens on, the upstreams it may call, the routes
 * that bind a public model name to an upstream and a registry alias, and the guards of each route
 * (controls G1–G12). Every setting has a safe default: no route means no model is served.
 */
import { z } from 'zod';
import { abuseSettingsSchema } from './abuse/abuse-config.js';
import { toolSettingsSchema } from './tools/tools-config.js';
import { GUARD_MODES, type GuardMode } from './guards/guard-types.js';

const nonEmpty = z.string().min(1);
const probability = z.number().min(0).max(1);

const mode = (fallback: GuardMode, what: string) =>
  z
    .enum(GUARD_MODES)
    .default(fallback)
    .meta({ description: `${what}: block, redact, flag (log only) or off.` });

/** An OpenAI-compatible upstream (vLLM, Ollama, OpenAI, Azure OpenAI). */
export const upstreamSchema = z
  .strictObject({
    url: z
      .url({ protocol: /^https?$/ })
      .meta({ description: 'Base URL up to and including /v1 (Azure: the resource URL).' }),
    kind: z
      .enum(['openai', 'azure'])
      .default('openai')
      .meta({ description: 'openai: /chat/completions under url; azure: deployments and api-version.' }),
    apiKeyEnv: nonEmpty
      .optional()
      .meta({ description: 'Environment variable holding the upstream API key (never the key itself).' }),
    apiVersion: nonEmpty.optional().meta({ description: 'Azure OpenAI api-version query parameter.' }),
    connectTimeoutMs: z.int().min(1).default(5_000),
    firstByteTimeoutMs: z.int().min(1).default(60_000).meta({ description: 'Until the response headers.' }),
    idleTimeoutMs: z.int().min(1).default(30_000).meta({ description: 'Between two chunks of a stream.' }),
    totalTimeoutMs: z.int().min(1).default(300_000),
    retries: z
      .int()
      .min(0)
      .max(5)
      .default(2)
      .meta({ description: 'Retries of idempotent failures (connect errors, 502/503/504) before any byte.' }),
    connections: z.int().min(1).max(1024).default(64).meta({ description: 'Pooled connections.' }),
  })
  .meta({ description: 'An OpenAI-compatible upstream the gateway may call; no other host is ever called.' });

/** Input guards of a route. */
export const inputGuardsSchema = z.strictObject({
  shield: mode('block', 'Prompt shield on user messages'),
  documents: mode(
    'block',
    'Prompt shield in document context on tool results and retrieved content (indirect injection)',
  ),
  threshold: z
    .union([probability, z.strictObject({ user: probability.optional(), document: probability.optional() })])
    .optional()
    .meta({ description: 'Shield threshold for this route (default: prompts.shield.threshold).' }),
  spotlight: z
    .enum(['off', 'delimit', 'datamark', 'encode'])
    .default('datamark')
    .meta({ description: 'Spotlighting of tool results before they reach the model.' }),
  dlp: mode('redact', 'Sensitive data in prompts (redact: reversible placeholders upstream)'),
  restore: z
    .boolean()
    .default(true)
    .meta({ description: 'Put redacted values back into the answer for the caller.' }),
});

/** Output guards of a route. */
export const outputGuardsSchema = z.strictObject({
  secrets: mode('block', 'Secrets in answers'),
  pii: mode('flag', 'Personal data in answers that the caller did not send'),
  links: mode('redact', 'Markdown images and links to domains outside allowDomains'),
  allowDomains: z
    .array(nonEmpty)
    .default([])
    .meta({ description: 'Domains (and their subdomains) answers may link to or embed.' }),
  html: mode('block', 'Raw HTML, scripts, event handlers and javascript: URLs in answers'),
  canary: mode('block', 'The system prompt canary leaking into an answer'),
  jsonSchema: mode('block', 'Structured outputs that do not match the requested JSON schema'),
});

/** The guards of a route. */
export const routeGuardsSchema = z.strictObject({
  failClosed: z
    .boolean()
    .default(true)
    .meta({ description: 'A guard that errors blocks the request (false: it is skipped and logged).' }),
  input: inputGuardsSchema.prefault({}),
  output: outputGuardsSchema.prefault({}),
});

/** A route: a public model name bound to an upstream and, normally, a registry alias. */
export const routeSchema = z.strictObject({
  model: nonEmpty.meta({ description: 'The model name clients ask for.' }),
  upstream: nonEmpty.meta({ description: 'Name of an entry of gateway.upstreams.' }),
  upstreamModel: nonEmpty.optional().meta({ description: 'What the upstream calls it (default: model).' }),
  registry: z
    .string()
    .regex(/^[^@\s]+@[^@\s]+$/, { error: 'expected NAME@ALIAS, e.g. acme/chat@production' })
    .optional()
    .meta({
      description:
        'Registry alias the route serves; the release policy must allow it (deploy check) or the route is refused.',
    }),
  unregistered: z
    .boolean()
    .default(false)
    .meta({ description: 'Serve without a registry binding (an explicit, audited exception).' }),
  guards: routeGuardsSchema.prefault({}),
  price: z
    .strictObject({
      promptPerMillion: z
        .number()
        .min(0)
        .meta({ description: 'Price of a million prompt (input) tokens, in the budget currency.' }),
      completionPerMillion: z
        .number()
        .min(0)
        .meta({ description: 'Price of a million completion (output) tokens, in the budget currency.' }),
    })
    .optional()
    .meta({
      description:
        'What the route costs; with prices, key budgets are amounts of money (every route then needs a price). Without, budgets count tokens.',
    }),
});

const stringOrList = z.union([nonEmpty, z.array(nonEmpty).min(1)]);
const claimPath = z
  .union([nonEmpty, z.array(nonEmpty).min(1)])
  .meta({ description: 'A claim name, or a path into nested claims (["realm_access", "roles"]).' });

/** Limits of a principal (all optional: absent means unlimited). */
export const principalLimitsSchema = z.strictObject({
  rpm: z.int().min(0).optional().meta({ description: 'Requests per minute.' }),
  tpm: z.int().min(0).optional().meta({ description: 'Tokens (prompt and completion) per minute.' }),
  maxTokens: z.int().min(0).optional().meta({ description: 'Largest max_tokens one request may ask for.' }),
  budget: z.number().min(0).optional().meta({
    description: 'Most the principal may spend per budgetPeriod: money when routes have prices, else tokens.',
  }),
});

/** JWT bearer tokens verified against a JWKS (control G2); the options of `createJwtVerifier`. */
export const jwtAuthSchema = z
  .strictObject({
    jwksUrl: z
      .url({ protocol: /^https?$/ })
      .optional()
      .meta({ description: 'JWKS endpoint of the identity provider (https; http only on loopback).' }),
    jwksFile: nonEmpty.optional().meta({
      description: 'A JWKS file, relative to bulwark.yaml, read once at start-up (instead of jwksUrl).',
    }),
    issuer: stringOrList.meta({ description: 'Required iss claim (one of).' }),
    audience: stringOrList.meta({ description: 'Required aud claim (one of).' }),
    algorithms: z.array(nonEmpty).min(1).optional().meta({
      description:
        'Accepted alg values (default RS256, PS256, ES256, ES384, EdDSA); none and HS* are refused.',
    }),
    clockToleranceSec: z
      .int()
      .min(0)
      .max(300)
      .optional()
      .meta({ description: 'Clock skew allowed for exp and nbf (default 30).' }),
    maxTokenAgeSec: z
      .int()
      .min(1)
      .optional()
      .meta({ description: 'Refuse tokens whose iat is older than this.' }),
    claims: z
      .strictObject({
        name: claimPath.optional().meta({ description: 'Display name (default name, then sub).' }),
        models: claimPath
          .optional()
          .meta({ description: 'Models the caller may use (default bulwark_models).' }),
        tools: claimPath
          .optional()
          .meta({ description: 'Tools the caller may use (default bulwark_tools).' }),
        rpm: claimPath.optional(),
        tpm: claimPath.optional(),
        maxTokens: claimPath.optional(),
        budget: claimPath.optional(),
      })
      .optional()
      .meta({ description: "Which claims carry the caller's models, tools and limits." }),
    defaults: z
      .strictObject({
        models: z.array(nonEmpty).optional(),
        tools: z.array(nonEmpty).optional(),
        limits: principalLimitsSchema.optional(),
      })
      .optional()
      .meta({
        description: 'Models, tools and limits of tokens whose claims name none (default: nothing allowed).',
      }),
  })
  .refine((jwt) => (jwt.jwksUrl === undefined) !== (jwt.jwksFile === undefined), {
    error: 'set exactly one of jwksUrl and jwksFile',
  })
  .meta({ description: 'JWT bearer tokens verified against a JWKS.' });

/** A client identity of mTLS: what its certificate must carry (every given field) and what it may use. */
export const mtlsRuleSchema = z
  .strictObject({
    id: nonEmpty.meta({ description: 'Principal id for limits and the audit log.' }),
    name: nonEmpty.optional(),
    subject: nonEmpty.optional().meta({ description: 'Required subject common name (CN).' }),
    san: nonEmpty.optional().meta({
      description:
        'Required subject alternative name as Node writes it: DNS:…, URI:…, email:…, IP Address:….',
    }),
    fingerprint256: nonEmpty
      .optional()
      .meta({ description: 'Required SHA-256 fingerprint (pins one certificate).' }),
    models: z.array(nonEmpty).meta({ description: 'Models the client may use.' }),
    tools: z.array(nonEmpty).optional(),
    limits: principalLimitsSchema.optional(),
  })
  .refine(
    (rule) => rule.subject !== undefined || rule.san !== undefined || rule.fingerprint256 !== undefined,
    {
      error: 'an mTLS rule needs subject, san or fingerprint256 (otherwise it would admit any client)',
    },
  );

/** Which credentials the gateway accepts (control G2). */
export const authSettingsSchema = z
  .strictObject({
    apiKeys: z
      .boolean()
      .default(true)
      .meta({ description: 'Accept API keys from `bulwark gateway key create` (stored as hashes).' }),
    jwt: jwtAuthSchema.optional(),
    mtls: z
      .strictObject({ rules: z.array(mtlsRuleSchema).min(1) })
      .optional()
      .meta({ description: 'Client certificates (needs gateway.tls with requestCert and ca).' }),
  })
  .refine((auth) => auth.apiKeys || auth.jwt !== undefined || auth.mtls !== undefined, {
    error: 'the gateway must accept at least one kind of credential (apiKeys, jwt or mtls)',
  });

/** HTTPS for the gateway, and the client CA of mTLS. */
export const tlsSettingsSchema = z
  .strictObject({
    cert: nonEmpty.meta({ description: 'Server certificate chain (PEM), relative to bulwark.yaml.' }),
    key: nonEmpty.meta({ description: 'Server private key (PEM), relative to bulwark.yaml.' }),
    ca: nonEmpty.optional().meta({
      description: 'CA bundle (PEM) that client certificates must chain to, relative to bulwark.yaml.',
    }),
    requestCert: z.boolean().default(false).meta({
      description:
        'Ask clients for a certificate (mTLS); clients without one may still use a bearer credential.',
    }),
  })
  .refine((tls) => !tls.requestCert || tls.ca !== undefined, {
    error: 'requestCert needs ca: client certificates are verified only against your own CA',
  });

/** `gateway` in bulwark.yaml. */
export const gatewaySettingsSchema = z
  .strictObject({
    host: nonEmpty.default('127.0.0.1').meta({ description: 'Address to listen on.' }),
    port: z.int().min(0).max(65_535).default(8080),
    bodyLimit: z
      .int()
      .min(1024)
      .default(1024 * 1024)
      .meta({ description: 'Largest request body in bytes (413 above it).' }),
    requestTimeoutMs: z.int().min(100).default(30_000).meta({
      description:
        'Longest time to receive a whole request, headers and body; a slower client (slowloris) gets 408 and is disconnected. Streamed answers are not limited by it.',
    }),
    upstreams: z.record(nonEmpty, upstreamSchema).default({}),
    routes: z.array(routeSchema).default([]),
    redis: nonEmpty
      .optional()
      .meta({ description: 'redis:// URL: limits shared exactly by every gateway instance.' }),
    budgetPeriod: z.enum(['total', 'day', 'month']).default('total').meta({
      description:
        'When key budgets start again: never (total), at every UTC midnight (day) or on the first of every UTC month (month).',
    }),
    releaseCacheSeconds: z
      .int()
      .min(0)
      .default(60)
      .meta({ description: 'How long a release decision for a route is reused before it is checked again.' }),
    auth: authSettingsSchema
      .prefault({})
      .meta({ description: 'Credentials the gateway accepts: API keys, JWT bearer tokens, mTLS.' }),
    tls: tlsSettingsSchema.optional().meta({ description: 'Listen with HTTPS (and mTLS with requestCert).' }),
    tools: toolSettingsSchema
      .prefault({})
      .meta({ description: 'Tool calls: argument validation and human approval of sensitive tools.' }),
    abuse: abuseSettingsSchema
      .prefault({})
      .meta({ description: 'Abuse and model-extraction detection per key (control G9).' }),
  })
  .meta({ description: 'The inference gateway (bulwark serve): docs/gateway.md.' });

/** Parsed `gateway`. */
export type GatewaySettings = z.output<typeof gatewaySettingsSchema>;
/** Parsed route. */
export type RouteSettings = z.output<typeof routeSchema>;
/** Parsed `gateway.auth`. */
export type AuthSettings = z.output<typeof authSettingsSchema>;
/** Parsed `gateway.tls`. */
export type TlsSettings = z.output<typeof tlsSettingsSchema>;
/** Parsed upstream. */
export type UpstreamSettings = z.output<typeof upstreamSchema>;
