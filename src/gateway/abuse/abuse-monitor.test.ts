import { describe, expect, it } from 'vitest';
import { BulwarkError } from '../../core/errors.js';
import { AUTHORED_BENIGN_USER } from '../../prompts/classifier/authored-examples.js';
import { createAbuseMonitor } from './abuse-monitor.js';
import { abuseThrottledError } from './abuse-errors.js';

const POOL = AUTHORED_BENIGN_USER.filter((t) => t.lang === 'en').map((t) => t.text);

describe('createAbuseMonitor', () => {
  it('leaves a person alone', () => {
    const monitor = createAbuseMonitor();
    for (let i = 0; i < 60; i++) {
      const result = monitor.observe('alice', { time: i * 45_000, promptText: POOL[i]! });
      expect(result.throttle).toBe(false);
      expect(result.event?.['action']).not.toBe('throttle');
    }
    expect(monitor.isThrottled('alice', 60 * 45_000)).toBeUndefined();
  });

  it('throttles a sweep, emits one event, and lets the key back after the cooldown', () => {
    const monitor = createAbuseMonitor({ cooldownSeconds: 120 });
    const events = [];
    let throttledAt = -1;
    for (let i = 0; i < 40 && throttledAt < 0; i++) {
      const time = i * 3000;
      const result = monitor.observe('mallory', {
        time,
        promptText: `Classify item ${i} as spam or ham.`,
        model: 'chat',
      });
      if (result.event !== undefined) events.push(result.event);
      if (result.throttle) throttledAt = time;
    }
    expect(throttledAt).toBeGreaterThan(0);
    const last = events.at(-1)!;
    expect(last).toMatchObject({
      type: 'gateway.abuse',
      principal: 'mallory',
      action: 'throttle',
      cooldownSeconds: 120,
    });
    expect(JSON.stringify(last['signals'])).toContain('sweep');
    expect(monitor.isThrottled('mallory', throttledAt + 1000)).toEqual({ retryAfterSeconds: 119 });
    expect(monitor.isThrottled('mallory', throttledAt + 120_000)).toBeUndefined();
    expect(monitor.isThrottled('alice', throttledAt)).toBeUndefined();
  });

  it('doubles the cooldown of a repeat offender up to the maximum', () => {
    const monitor = createAbuseMonitor({ cooldownSeconds: 100, maxCooldownSeconds: 150 });
    const cooldowns: unknown[] = [];
    let time = 0;
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 200; i++) {
        time += 200;
        if (monitor.isThrottled('bot', time) !== undefined) continue;
        const result = monitor.observe('bot', { time, promptText: POOL[i % POOL.length]! });
        if (result.event?.['action'] === 'throttle') cooldowns.push(result.event['cooldownSeconds']);
      }
      time += 200_000;
    }
    expect(cooldowns).toEqual([100, 150, 150]);
  });

  it('holds a bounded number of keys and forgets idle ones', () => {
    const monitor = createAbuseMonitor({ maxKeys: 50, idleSeconds: 600 });
    for (let i = 0; i < 1000; i++) monitor.observe(`key-${i}`, { time: i, promptText: 'hello there' });
    expect(monitor.size).toBeLessThanOrEqual(52);
    for (let i = 0; i < 200; i++) monitor.observe('late', { time: 700_000 + i, promptText: 'hello again' });
    expect(monitor.size).toBe(1);
  });

  it('does nothing when disabled', () => {
    const monitor = createAbuseMonitor({ enabled: false });
    for (let i = 0; i < 300; i++)
      expect(monitor.observe('k', { time: i, promptText: `item ${i}` }).score).toBe(0);
    expect(monitor.isThrottled('k', 300)).toBeUndefined();
  });

  it('rejects invalid settings with one clear error', () => {
    expect(() => createAbuseMonitor({ threshold: 2 })).toThrow(BulwarkError);
    expect(() => createAbuseMonitor({ volume: { cap: -1 } })).toThrow(/gateway\.abuse\.volume\.cap/);
  });

  it('maps a throttle to 429 abuse_throttled with Retry-After', () => {
    const error = abuseThrottledError({ retryAfterSeconds: 30 });
    expect(error.status).toBe(429);
    expect(error.options.retryAfterSeconds).toBe(30);
    expect(error.body().error.code).toBe('abuse_throttled');
  });
});
