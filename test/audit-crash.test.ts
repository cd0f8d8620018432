import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { noteVerifierOf } from '../src/audit/checkpoint.js';
import { verifyAuditLog } from '../src/audit/verify-log.js';
import { generateKeyPair, loadTrustedKey } from '../src/core/keys.js';
import { openStore } from '../src/store/open-store.js';

const CHILD = fileURLToPath(new URL('./fixtures/append-child.ts', import.meta.url));
const ORIGIN = 'bulwark.test/crash';

/** Runs the appending child until it has acknowledged `target` appends, then SIGKILLs it. */
function burstThenKill(home: string, keyFile: string, target: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, home, keyFile, ORIGIN], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let acks = 0;
    let lastAcked = -1;
    let buffered = '';
    let stderr = '';
    let killed = false;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const match = /^acked (\d+)$/.exec(line);
        if (!match) continue;
        lastAcked = Number(match[1]);
        acks += 1;
        if (acks >= target && !killed) {
          killed = true;
          child.kill('SIGKILL');
        }
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      if (signal === 'SIGKILL') resolve(lastAcked);
      else reject(new Error(`child exited without being killed: ${stderr}`));
    });
  });
}

describe('audit log durability', () => {
  it('keeps every acknowledged append and still verifies after SIGKILL during a burst', async () => {
    const home = mkdtempSync(join(tmpdir(), 'bw-crash-'));
    try {
      const pair = generateKeyPair('ed25519');
      const keyFile = join(home, 'audit.key');
      writeFileSync(keyFile, pair.privateKeyPem, { mode: 0o600 });
      const trusted = [noteVerifierOf(ORIGIN, loadTrustedKey(pair.publicKeyPem))];
      let lastAcked = -1;
      // Three bursts into the same log: each kill lands at a different point of an append.
      for (const target of [40, 75, 120]) {
        lastAcked = await burstThenKill(home, keyFile, target);
        const store = await openStore({ home });
        try {
          const verdict = await verifyAuditLog({ storage: store, trusted, origin: ORIGIN });
          expect(verdict.ok, JSON.stringify(verdict)).toBe(true);
          expect(verdict.ok && verdict.size).toBeGreaterThanOrEqual(lastAcked + 1);
        } finally {
          await store.close();
        }
      }
      expect(lastAcked).toBeGreaterThan(100);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  }, 120_000);
});
