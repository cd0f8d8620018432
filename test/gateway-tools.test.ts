/**
 * Tools and agents through the gateway, end to end with the official openai client and the fake
 * upstream: a tool call with arguments outside its schema is refused; a sensitive tool call reaches
 * the client only as a pending approval; a human approves it through `bulwark gateway approvals`,
 * and the client's poll then returns the original arguments with a signature over them; a denial
 * comes back signed with its reason. Needs `GatewayDeps.tools` wired in server.ts.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { verifyAttestation } from '../src/core/attestation.js';
import { sha256Digest } from '../src/core/digest.js';
import { loadTrustedKey } from '../src/core/keys.js';
import { TOOL_APPROVAL_PREDICATE, toolSettingsSchema } from '../src/gateway/tools/index.js';
import { startFakeUpstream, type FakeUpstream } from '../src/gateway/upstream/fake-upstream.test-support.js';
import { openStore } from '../src/store/open-store.js';
import type { Store } from '../src/store/store.js';
import { runCli } from './support/run-cli.js';
import { startTestGateway, type TestGateway } from './support/test-gateway.js';

const TOOLS: OpenAI.Chat.Completions.ChatCompletionTool[] = [
  {
    type: 'function',
    function: {
      name: 'get_weather',
      parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    },
  },
  {
    type: 'function',
    function: {
      name: 'send_email',
      parameters: {
        type: 'object',
        properties: { to: { type: 'string', format: 'email' }, body: { type: 'string' } },
        required: ['to', 'body'],
        additionalProperties: false,
      },
    },
  },
];
const EMAIL_ARGS = '{"to":"bob@example.com","body":"The invoice is attached."}';

let cwd: string;
let store: Store;
let fake: FakeUpstream;
let gateway: TestGateway;
let gatewayUrl: string;
const events: Record<string, unknown>[] = [];

function newKey(): string {
  return gateway.newKey(['chat'], { name: 'agent', tools: ['*'] });
}

function client(key: string): OpenAI {
  return new OpenAI({ apiKey: key, baseURL: `${gatewayUrl}/v1`, maxRetries: 0, timeout: 10_000 });
}

async function poll(key: string, id: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${gatewayUrl}/v1/bulwark/approvals/${id}`, {
    headers: { authorization: `Bearer ${key}` },
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

interface Bulwarked {
  bulwark?: { pending_approvals?: { id: string; tool: string; tool_call_id: string; poll: string }[] };
}

beforeAll(async () => {
  cwd = mkdtempSync(join(tmpdir(), 'bulwark-gwtools-'));
  expect((await runCli(['keys', 'generate', '--out', 'approver'], cwd)).code).toBe(0);
  store = await openStore({ home: join(cwd, '.bulwark') });
  fake = await startFakeUpstream();
  gateway = await startTestGateway({
    upstreams: { fake: { url: fake.baseUrl } },
    settings: { routes: [{ model: 'chat', upstream: 'fake', unregistered: true }] },
    deps: {
      tools: { policy: toolSettingsSchema.parse({ sensitive: ['send_*'], approvalTtlSeconds: 600 }), store },
    },
    onAudit: (entries) => events.push(...entries.map((e) => e.data as Record<string, unknown>)),
  });
  gatewayUrl = gateway.url;
});

afterAll(async () => {
  await gateway.close();
  await fake.close();
  await store.close();
  rmSync(cwd, { recursive: true, force: true });
});

afterEach(() => {
  fake.setBehaviour({});
});

async function heldCall(
  key: string,
): Promise<{ approvalId: string; answer: OpenAI.ChatCompletion & Bulwarked }> {
  fake.setBehaviour({ toolCalls: [{ name: 'send_email', arguments: EMAIL_ARGS }] });
  const answer = (await client(key).chat.completions.create({
    model: 'chat',
    messages: [{ role: 'user', content: 'Send Bob the invoice.' }],
    tools: TOOLS,
  })) as OpenAI.ChatCompletion & Bulwarked;
  const pending = answer.bulwark?.pending_approvals?.[0];
  expect(pending).toBeDefined();
  return { approvalId: pending?.id ?? '', answer };
}

describe('tools through the gateway', () => {
  it('refuses an answer whose tool call breaks the schema', async () => {
    fake.setBehaviour({ toolCalls: [{ name: 'get_weather', arguments: '{"city":42}' }] });
    const call = client(newKey()).chat.completions.create({
      model: 'chat',
      messages: [{ role: 'user', content: 'Weather?' }],
      tools: TOOLS,
    });
    await expect(call).rejects.toMatchObject({ status: 400, code: 'content_blocked' });
  });

  it('hands a valid call of an ordinary tool to the client unchanged', async () => {
    fake.setBehaviour({ toolCalls: [{ name: 'get_weather', arguments: '{"city":"Oslo"}' }] });
    const answer = (await client(newKey()).chat.completions.create({
      model: 'chat',
      messages: [{ role: 'user', content: 'Weather in Oslo?' }],
      tools: TOOLS,
    })) as OpenAI.ChatCompletion & Bulwarked;
    const call = answer.choices[0]?.message.tool_calls?.[0];
    expect(call?.type === 'function' ? call.function.arguments : undefined).toBe('{"city":"Oslo"}');
    expect(answer.bulwark).toBeUndefined();
  });

  it('holds a sensitive call, and the client gets its arguments only after a signed approval', async () => {
    const key = newKey();
    const { approvalId, answer } = await heldCall(key);
    const choice = answer.choices[0];
    expect(choice?.finish_reason).toBe('tool_calls');
    const call = choice?.message.tool_calls?.[0];
    expect(call?.type === 'function' ? JSON.parse(call.function.arguments) : undefined).toEqual({
      bulwark_pending_approval: approvalId,
    });
    expect(JSON.stringify(answer)).not.toContain('bob@example.com');

    const before = await poll(key, approvalId);
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ id: approvalId, status: 'pending', tool: 'send_email' });
    expect(before.body).not.toHaveProperty('arguments');
    expect((await poll(newKey(), approvalId)).status).toBe(404);

    const listed = await runCli(['gateway', 'approvals', 'list', '--status', 'pending'], cwd);
    expect(listed.stdout).toContain(approvalId);
    const approve = await runCli(
      ['gateway', 'approvals', 'approve', approvalId, '--key', 'approver.key', '--approver', 'alice'],
      cwd,
    );
    expect(approve.stderr).toBe('');
    expect(approve.code).toBe(0);

    const after = await poll(key, approvalId);
    expect(after.body).toMatchObject({ status: 'approved', approver: 'alice', arguments: EMAIL_ARGS });
    const verdict = verifyAttestation(
      JSON.stringify(after.body['envelope']),
      [loadTrustedKey(readFileSync(join(cwd, 'approver.pub'), 'utf8'))],
      { predicateType: TOOL_APPROVAL_PREDICATE, subjectDigest: sha256Digest(EMAIL_ARGS) },
    );
    expect(verdict.ok).toBe(true);
    if (verdict.ok) expect(verdict.statement.predicate).toMatchObject({ approvalId, decision: 'approved' });

    const again = await runCli(
      ['gateway', 'approvals', 'deny', approvalId, '--reason', 'x', '--key', 'approver.key'],
      cwd,
    );
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already approved');
  });

  it('returns a signed denial with its reason and never the arguments', async () => {
    const key = newKey();
    const { approvalId } = await heldCall(key);
    const deny = await runCli(
      [
        'gateway',
        'approvals',
        'deny',
        approvalId,
        '--reason',
        'not to external addresses',
        '--key',
        'approver.key',
      ],
      cwd,
    );
    expect(deny.code).toBe(0);
    const after = await poll(key, approvalId);
    expect(after.body).toMatchObject({ status: 'denied', reason: 'not to external addresses' });
    expect(after.body).not.toHaveProperty('arguments');
    expect(after.body['envelope']).toBeDefined();
  });

  it('holds a sensitive call in a stream too', async () => {
    const key = newKey();
    fake.setBehaviour({ toolCalls: [{ name: 'send_email', arguments: EMAIL_ARGS }] });
    const stream = client(key).chat.completions.stream({
      model: 'chat',
      messages: [{ role: 'user', content: 'Send Bob the invoice.' }],
      tools: TOOLS,
    });
    const final = await stream.finalChatCompletion();
    const call = final.choices[0]?.message.tool_calls?.[0];
    const args =
      call?.type === 'function' ? (JSON.parse(call.function.arguments) as Record<string, string>) : {};
    const id = args['bulwark_pending_approval'] ?? '';
    expect(id).toMatch(/^apr_/);
    expect((await poll(key, id)).body).toMatchObject({ status: 'pending' });
  });

  it('records held calls and decisions in the audit logs', async () => {
    await gateway.sink.flush();
    expect(events.some((e) => e['type'] === 'gateway.tool-approval.pending')).toBe(true);
    const count = await store.auditEntryCount();
    const entries = await store.readAuditEntries(0, count);
    const decisions = entries
      .map((e) => JSON.parse(e.payload) as { data?: { action?: string; decision?: string } })
      .filter((p) => p.data?.action === 'gateway-tool-approval')
      .map((p) => p.data?.decision);
    expect(decisions).toEqual(['approved', 'denied']);
  });
});
