/**
 * `gateway` in bulwark.yaml: what `bulwark serve` listens on, the upstreams it may call, the routes
 * that bind a public model name to an upstream and a registry alias, and the guards of each route
 * (controls G1–G12). Every setting has a safe default: no route means no model is served.
 */
import { z } from 'zod';
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
    upstreams: z.record(nonEmpty, upstreamSchema).default({}),
    routes: z.array(routeSchema).default([]),
    redis: nonEmpty
      .optional()
      .meta({ description: 'redis:// URL: limits shared exactly by every gateway instance.' }),
    releaseCacheSeconds: z
      .int()
      .min(0)
      .default(60)
      .meta({ description: 'How long a release decision for a route is reused before it is checked again.' }),
  })
  .meta({ description: 'The inference gateway (bulwark serve): docs/gateway.md.' });

/** Parsed `gateway`. */
export type GatewaySettings = z.output<typeof gatewaySettingsSchema>;
/** Parsed route. */
export type RouteSettings = z.output<typeof routeSchema>;
/** Parsed upstream. */
export type UpstreamSettings = z.output<typeof upstreamSchema>;
