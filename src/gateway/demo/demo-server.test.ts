import { afterEach, describe, expect, it } from 'vitest';
import { createUpstream } from '../upstream/create-upstream.js';
import type { StreamEvent } from '../upstream/upstream-types.js';
import { DEMO_MODEL_ID, demoChat } from './demo-model.js';
import { startDemoUpstream } from './demo-server.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function start(): Promise<string> {
  const demo = await startDemoUpstream({ clock: () => 1 });
  closers.push(() => demo.close());
  return demo.baseUrl;
}

describe('startDemoUpstream', () => {
  it('answers the gateway upstream client exactly like the in-process demo', async () => {
    const baseUrl = await start();
    const upstream = createUpstream({ name: 'demo', baseUrl });
    closers.unshift(() => upstream.close());
    const body = { model: DEMO_MODEL_ID, messages: [{ role: 'user', content: 'hello there' }] };
    expect((await upstream.chat(body)).body).toEqual(demoChat(body, { clock: () => 1 }).body);
    const events: StreamEvent[] = [];
    for await (const event of await upstream.chatStream(body)) events.push(event);
    expect(events.at(-1)).toEqual({ kind: 'done' });
    expect(events.length).toBeGreaterThan(4);
  });

  it('refuses unknown paths, invalid JSON and oversized bodies in the OpenAI error shape', async () => {
    const baseUrl = await start();
    const missing = await fetch(`${baseUrl}/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'not_found' } });
    const post = (body: string): Promise<Response> =>
      fetch(`${baseUrl}/chat/completions`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json' },
      });
    const invalid = await post('{not json');
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ error: { type: 'invalid_request_error' } });
    expect((await post('[1,2]')).status).toBe(400);
    expect((await post(JSON.stringify({ pad: 'x'.repeat(1_100_000) }))).status).toBe(413);
  });
});
