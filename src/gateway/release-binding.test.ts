import { describe, expect, it } from 'vitest';
import { createReleaseBinding, type ReleaseStatus } from './release-binding.js';

describe('createReleaseBinding', () => {
  it('caches a decision for the TTL, shares concurrent checks and checks again after it', async () => {
    let clock = 0;
    let calls = 0;
    let allowed = true;
    const binding = createReleaseBinding(
      (): Promise<ReleaseStatus> => {
        calls++;
        return Promise.resolve({ allowed, reasons: allowed ? [] : ['signature: none'] });
      },
      60_000,
      () => clock,
    );
    const [a, b] = await Promise.all([binding.status('acme/chat@prod'), binding.status('acme/chat@prod')]);
    expect(a.allowed && b.allowed).toBe(true);
    expect(calls).toBe(1);
    allowed = false;
    clock = 59_999;
    expect((await binding.status('acme/chat@prod')).allowed).toBe(true);
    clock = 60_000;
    expect(await binding.status('acme/chat@prod')).toEqual({ allowed: false, reasons: ['signature: none'] });
    expect(calls).toBe(2);
  });

  it('turns a failing check into a refusal with the reason', async () => {
    const binding = createReleaseBinding(
      () => Promise.reject(new Error('acme/chat has no alias prod')),
      1000,
    );
    expect(await binding.status('acme/chat@prod')).toEqual({
      allowed: false,
      reasons: ['release check failed: acme/chat has no alias prod'],
    });
  });
});
