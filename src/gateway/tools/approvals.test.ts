import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256Digest } from '../../core/digest.js';
import { openStore } from '../../store/open-store.js';
import type { Store } from '../../store/store.js';
import { createAuditSink, type GatewayEvent } from '../audit-sink.js';
import type { Authenticator } from '../identity/index.js';
import { authFailure } from '../identity/principal.js';
import { registerApprovalRoutes } from './approval-routes.js';
import { approvalView, buildApprovalStatement, TOOL_APPROVAL_PREDICATE } from './approvals.js';
import { compileTools, type DeclaredTool } from './check-tool-calls.js';
import { guardToolCalls } from './tool-guard.js';
import { toolSettingsSchema } from './tools-config.js';

const TOOLS: DeclaredTool[] = [
  {
    type: 'function',
    function: { name: 'wire_money', parameters: { type: 'object', required: ['amount'] } },
  },
  { type: 'function', function: { name: 'lookup' } },
];
const ARGS = '{"amount":100}';
const policy = toolSettingsSchema.parse({ sensitive: ['wire_*'], approvalTtlSeconds: 60 });
const context = { requestId: 'req-1', principal: 'key-alice', model: 'chat' };
const call = (name: string, args: string, id = `call_${name}`) => ({
  id,
  type: 'function',
  function: { name, arguments: args },
});

let dir: string;
let store: Store;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bulwark-approvals-'));
  store = await openStore({ home: dir });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('guardToolCalls', () => {
  it('stores the sensitive call, replaces its arguments and records the hold', async () => {
    const events: GatewayEvent[] = [];
    const audit = createAuditSink((entries) => {
      events.push(...entries.map((e) => e.data as GatewayEvent));
      return Promise.resolve();
    });
    const result = await guardToolCalls(
      [call('lookup', '{}'), call('wire_money', ARGS)],
      compileTools(TOOLS),
      { policy, store, audit, now: () => new Date('2030-01-01T00:00:00Z') },
      context,
    );
    const held = result.held[0];
    expect(held).toMatchObject({
      toolCallId: 'call_wire_money',
      tool: 'wire_money',
      expiresAt: '2030-01-01T00:01:00.000Z',
    });
    expect(result.toolCalls[0]?.function.arguments).toBe('{}');
    expect(JSON.parse(result.toolCalls[1]?.function.arguments ?? '')).toEqual({
      bulwark_pending_approval: held?.id,
    });
    expect(await store.getApproval(held?.id ?? '')).toMatchObject({
      ...context,
      tool: 'wire_money',
      arguments: ARGS,
      argumentsDigest: sha256Digest(ARGS),
      status: 'pending',
    });
    await audit.close();
    expect(events).toEqual([
      expect.objectContaining({ type: 'gateway.tool-approval.pending', approvalId: held?.id }),
    ]);
    expect(events[0]).not.toHaveProperty('arguments');
  });

  it('stores nothing when the answer is refused', async () => {
    const result = await guardToolCalls(
      [call('wire_money', '{}')],
      compileTools(TOOLS),
      { policy, store },
      context,
    );
    expect(result.blocked?.problem).toBe('arguments-invalid');
    expect(result.held).toEqual([]);
    expect(await store.listApprovals()).toEqual([]);
  });
});

describe('buildApprovalStatement', () => {
  it('names the digest of the exact arguments as its subject', async () => {
    const { held } = await guardToolCalls(
      [call('wire_money', ARGS)],
      compileTools(TOOLS),
      { policy, store },
      context,
    );
    const record = await store.getApproval(held[0]?.id ?? '');
    if (record === undefined) throw new Error('not stored');
    const statement = buildApprovalStatement(record, {
      decision: 'denied',
      approver: 'bob',
      reason: 'too much',
      decidedAt: '2030-01-01T00:00:30.000Z',
    });
    expect(statement.predicateType).toBe(TOOL_APPROVAL_PREDICATE);
    expect(statement.subject[0]?.digest.sha256).toBe(sha256Digest(ARGS).slice('sha256:'.length));
    expect(statement.predicate).toMatchObject({
      approvalId: record.id,
      decision: 'denied',
      reason: 'too much',
    });
    expect(approvalView(record)).not.toHaveProperty('arguments');
  });
});

describe('GET /v1/bulwark/approvals/:id', () => {
  const authenticate: Authenticator = ({ authorization }) =>
    Promise.resolve(
      authorization === 'Bearer alice' || authorization === 'Bearer mallory'
        ? {
            ok: true,
            principal: {
              kind: 'api-key',
              id: `key-${authorization.slice(7)}`,
              name: 'x',
              models: ['*'],
              tools: ['*'],
              limits: {},
            },
          }
        : authFailure('key-unknown', 'test'),
    );

  it('shows the caller its own approval, hides others, and gives the arguments only once approved', async () => {
    const app = Fastify();
    registerApprovalRoutes(app, { store, authenticate });
    const { held } = await guardToolCalls(
      [call('wire_money', ARGS)],
      compileTools(TOOLS),
      { policy, store },
      context,
    );
    const id = held[0]?.id ?? '';
    const get = (who: string | undefined, which = id) =>
      app.inject({
        method: 'GET',
        url: `/v1/bulwark/approvals/${which}`,
        headers: who === undefined ? {} : { authorization: `Bearer ${who}` },
      });
    try {
      const own = await get('alice');
      expect(own.statusCode).toBe(200);
      expect(own.json()).toMatchObject({ id, status: 'pending', tool: 'wire_money' });
      expect(own.json()).not.toHaveProperty('arguments');
      const other = await get('mallory');
      const unknown = await get('alice', 'apr_nope');
      expect(other.statusCode).toBe(404);
      expect(other.json()).toEqual(unknown.json());
      expect(other.json()).toMatchObject({
        error: { code: 'approval_not_found', type: 'invalid_request_error' },
      });
      expect((await get(undefined)).statusCode).toBe(401);
      await store.decideApproval(id, {
        decision: 'approved',
        approver: 'bob',
        envelope: '{"signatures":[]}',
      });
      expect((await get('alice')).json()).toMatchObject({
        status: 'approved',
        arguments: ARGS,
        approver: 'bob',
        envelope: { signatures: [] },
      });
    } finally {
      await app.close();
    }
  });
});
