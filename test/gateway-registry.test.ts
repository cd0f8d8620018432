/**
 * The gateway bound to the real registry (control G12), end to end through the CLI: versions pushed
 * and promoted while the release policy asked for nothing, then served under a policy that wants a
 * signature and a clean scan. The signed, scanned version is served; an unsigned one and an
 * unscanned one are refused with 403 `model_not_released` and the policy's reasons, which the audit
 * log keeps.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeKeyPair, writeModel } from './support/model-fixtures.js';
import { runCli, startServe, type RunningServe } from './support/run-cli.js';

let dir: string;
let key: string;
let serve: RunningServe;

const ROUTES = [
  'gateway:',
  '  releaseCacheSeconds: 0',
  '  routes:',
  ...['signed', 'unsigned', 'unscanned'].flatMap((alias) => [
    `    - model: ${alias}-chat`,
    '      upstream: demo',
    '      upstreamModel: bulwark-demo',
    `      registry: acme/chat@${alias}`,
  ]),
];
const policy = (requirements: string[]): string[] => [
  'release:',
  '  policies:',
  '    - aliases: [signed, unsigned, unscanned]',
  ...requirements,
];

async function cli(args: string[]): Promise<string> {
  const run = await runCli(args, dir);
  expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(0);
  return run.stdout;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bulwark-gateway-registry-'));
  writeKeyPair(dir, 'release');
  // While the policy asks for nothing, every version may be promoted.
  writeFileSync(join(dir, 'bulwark.yaml'), [...policy([]), ''].join('\n'));
  const signed = writeModel(dir, 'model-signed');
  await cli(['sign', signed, '--key', 'release.key']);
  await cli(['registry', 'push', signed, '--name', 'acme/chat', '--version', '1']);
  await cli(['registry', 'push', writeModel(dir, 'model-unsigned'), '--name', 'acme/chat', '--version', '2']);
  const unscanned = writeModel(dir, 'model-unscanned');
  await cli(['sign', unscanned, '--key', 'release.key']);
  await cli(['registry', 'push', unscanned, '--name', 'acme/chat', '--version', '3', '--no-scan']);
  await cli(['registry', 'promote', 'acme/chat@1', '--alias', 'signed']);
  await cli(['registry', 'promote', 'acme/chat@2', '--alias', 'unsigned']);
  await cli(['registry', 'promote', 'acme/chat@3', '--alias', 'unscanned']);
  // The policy the gateway serves under: a trusted signature and a scan clean of critical findings.
  writeFileSync(
    join(dir, 'bulwark.yaml'),
    [
      ...policy(['      signature: { keys: [release.pub] }', '      scan: { failOn: critical }']),
      ...ROUTES,
      '',
    ].join('\n'),
  );
  const created = await cli([
    'gateway',
    'key',
    'create',
    '--name',
    'registry',
    '--models',
    'signed-chat,unsigned-chat,unscanned-chat',
    '--format',
    'json',
  ]);
  key = (JSON.parse(created) as { key: string }).key;
  serve = await startServe(['--demo', '--port', '0'], dir);
}, 60_000);

afterAll(async () => {
  await serve.stop();
  rmSync(dir, { recursive: true, force: true });
});

const ask = (model: string) =>
  new OpenAI({ apiKey: key, baseURL: `${serve.address}/v1`, maxRetries: 0 }).chat.completions.create({
    model,
    messages: [{ role: 'user', content: 'hi' }],
  });

describe('the gateway bound to the registry', () => {
  it('serves the alias whose version is signed and scanned clean', async () => {
    const answer = await ask('signed-chat');
    expect(answer.model).toBe('signed-chat');
  });

  it('refuses an alias pointing at an unsigned version, with the policy reason', async () => {
    const refused = ask('unsigned-chat');
    await expect(refused).rejects.toMatchObject({ status: 403, code: 'model_not_released' });
    await expect(refused).rejects.toThrow(/signature: the model is unsigned/);
  });

  it('refuses an alias pointing at an unscanned version, with the policy reason', async () => {
    const refused = ask('unscanned-chat');
    await expect(refused).rejects.toMatchObject({ status: 403, code: 'model_not_released' });
    await expect(refused).rejects.toThrow(/scan: /);
    await expect(refused).rejects.not.toThrow(/signature: /);
  });

  it('records the refusals, with the reasons, in the audit log', async () => {
    await serve.stop();
    const exported = await cli(['audit', 'export']);
    const refusals = exported
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { data?: Record<string, unknown> })
      .filter((e) => e.data?.['type'] === 'gateway.request' && e.data['reason'] === 'model-not-released');
    expect(refusals.map((e) => e.data?.['model'])).toEqual(['unsigned-chat', 'unscanned-chat']);
    expect(String(refusals[0]?.data?.['detail'])).toMatch(/signature/);
    serve = await startServe(['--demo', '--port', '0'], dir);
  });
});
