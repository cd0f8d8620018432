/**
 * A real Redis for the limiter tests: `BULWARK_TEST_REDIS` (a redis:// URL) when set, else a
 * throwaway `redis-server` started on a free loopback port with persistence off and killed after the
 * suite. Without either the suites are skipped with the reason in their title, except under CI, where
 * a missing Redis is a failure.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, connect } from 'node:net';

/** How the Redis suites run here. */
export type RedisTestSetting =
  | { readonly kind: 'external'; readonly url: string }
  | { readonly kind: 'spawn' }
  | { readonly kind: 'skipped'; readonly reason: string }
  | { readonly kind: 'required'; readonly reason: string };

const INSTALL_HINT =
  'apt-get install -y --no-install-recommends redis-server, or set BULWARK_TEST_REDIS=redis://127.0.0.1:6379';

/** Whether `redis-server` is on PATH. */
export function hasRedisServer(): boolean {
  const probe = spawnSync('redis-server', ['--version'], { stdio: 'ignore' });
  return probe.error === undefined && probe.status === 0;
}

/** Reads the Redis test setting from the environment and PATH. */
export function redisTestSetting(env: NodeJS.ProcessEnv = process.env): RedisTestSetting {
  const url = env['BULWARK_TEST_REDIS'];
  if (url !== undefined && url !== '') return { kind: 'external', url };
  if (hasRedisServer()) return { kind: 'spawn' };
  const reason = `BULWARK_TEST_REDIS is unset and redis-server is not installed (${INSTALL_HINT})`;
  if (env['CI'] !== undefined && env['CI'] !== '' && env['CI'] !== 'false') {
    return { kind: 'required', reason: `CI must run the Redis suites: ${reason}` };
  }
  return { kind: 'skipped', reason };
}

/** A Redis the tests can use, and how to let go of it. */
export interface TestRedis {
  readonly url: string;
  /** Stops a spawned server (and waits for it to exit); does nothing for an external one. */
  stop(): Promise<void>;
}

/** Picks a free loopback port by binding port 0 and releasing it. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no TCP port was assigned');
  return address.port;
}

/** Starts `redis-server` on a free loopback port and waits until it answers PING. */
export async function startRedisServer(): Promise<TestRedis> {
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = once(child, 'exit');
  try {
    await waitForPing(port, child);
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    throw new Error(`redis-server did not start on port ${port}: ${stderr.trim()}`, { cause: error });
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Returns the Redis of a setting that has one: the external URL or a fresh server. */
export async function openTestRedis(setting: RedisTestSetting): Promise<TestRedis> {
  switch (setting.kind) {
    case 'external':
      return { url: setting.url, stop: () => Promise.resolve() };
    case 'spawn':
      return startRedisServer();
    case 'skipped':
    case 'required':
      throw new Error(setting.reason);
  }
}

async function waitForPing(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with code ${child.exitCode}`);
    if (await answersPing(port)) return;
    if (Date.now() > deadline) throw new Error('no PONG within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    const finish = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => finish(false));
    socket.on('error', () => finish(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) finish(reply.startsWith('+PONG'));
    });
  });
}
