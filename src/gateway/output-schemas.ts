/**
 * The JSON the gateway hands out beyond the OpenAI shapes: the caller's usage
 * (`GET /v1/bulwark/usage`) and the audit event of every request (`data` of a `gateway.request`
 * entry), published in docs/schema/ and checked against what the gateway really writes in tests.
 */
import { z } from 'zod';
import { schemaDocs } from '../core/schema-docs.js';
import { PRINCIPAL_KINDS } from './identity/principal.js';

const { field, publish } = schemaDocs();

const count = z.int().min(0);
const text = z.string().min(1);
const limit = z.union([count, z.null()]);

/** `GET /v1/bulwark/usage`: the caller's own limits and what it used of them. */
export const usageSchema = z.strictObject({
  object: z.literal('bulwark.usage'),
  principal: field(
    z.strictObject({ id: text, kind: z.enum(PRINCIPAL_KINDS), name: z.string() }),
    'Who asked: the key id, `iss#sub` of a token, or the mTLS rule.',
  ),
  window_seconds: field(z.literal(60), 'The sliding window of the per-minute limits.'),
  requests: field(
    z.strictObject({ used: count, limit }),
    'Requests in the window, and the rpm limit (null: none).',
  ),
  tokens: field(
    z.strictObject({ used: count, limit }),
    'Tokens in the window (open reservations count), and the tpm limit (null: none).',
  ),
  max_tokens_per_request: field(limit, 'Largest max_tokens one request may ask for (null: no cap).'),
  budget: field(
    z.strictObject({
      unit: field(z.enum(['currency', 'tokens']), 'currency when every route has a price, else tokens.'),
      period: z.enum(['total', 'day', 'month']),
      period_id: field(text, 'The current period: `total`, `day:<days since epoch>`, `month:<n>`.'),
      spent: field(z.number().min(0), 'Spent in the period, open reservations included.'),
      limit: z.union([z.number().min(0), z.null()]),
    }),
    'The budget of the current period.',
  ),
});

/** The endpoints a `gateway.request` event names. */
export const GATEWAY_ENDPOINTS = ['chat', 'embeddings', 'models', 'usage', 'other'] as const;
export type GatewayEndpoint = (typeof GATEWAY_ENDPOINTS)[number];

/** How a request ended. */
export const REQUEST_OUTCOMES = ['allowed', 'blocked', 'limited', 'refused', 'error', 'cancelled'] as const;
export type RequestOutcome = (typeof REQUEST_OUTCOMES)[number];

/** `data` of a `gateway.request` audit entry: one per request the gateway answered or refused. */
export const requestEventSchema = z.strictObject({
  type: z.literal('gateway.request'),
  requestId: field(text, 'Also sent to the caller as `x-request-id`.'),
  endpoint: z.enum(GATEWAY_ENDPOINTS),
  principal: field(text, 'Who asked, once authenticated.').optional(),
  principalKind: z.enum(PRINCIPAL_KINDS).optional(),
  model: field(text, 'The public model (route) asked for.').optional(),
  stream: z.boolean().optional(),
  status: field(count, 'HTTP status answered (200 for a stream ended by a guard).').optional(),
  outcome: z.enum(REQUEST_OUTCOMES).optional(),
  verdicts: field(
    z.array(z.strictObject({ guard: text, action: text, message: text })),
    'Every guard that fired, never with the sensitive value.',
  ),
  promptTokens: count.optional(),
  completionTokens: count.optional(),
  cost: field(z.number().min(0), 'What the request cost, when routes have prices.').optional(),
  latencyMs: field(z.number().min(0), 'From the request to the end of the answer.'),
  reason: field(text, 'Why it was not allowed, as a stable code.').optional(),
  detail: field(text, 'Internal detail of a failure, for the audit log only.').optional(),
});

/** The JSON Schemas of the gateway's own outputs, by file name. */
export function gatewayOutputJsonSchemas(): Record<string, object> {
  return publish([
    ['gateway-usage.schema.json', 'Bulwark gateway usage (GET /v1/bulwark/usage)', usageSchema],
    ['gateway-request-event.schema.json', 'Bulwark gateway.request audit event data', requestEventSchema],
  ]);
}
