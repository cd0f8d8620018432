import { afterEach } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import type { StoreFlavor, StoreTestLocation } from './postgres.js';

/** A clock that advances one second per reading from 2025-01-01, so "newest first" is deterministic. */
export function steppingClock(): () => Date {
  let t = Date.parse('2025-01-01T00:00:00.000Z');
  return () => new Date((t += 1000));
}

/**
 * Opens stores of `flavor` for one suite (a fresh location unless one is given, a stepping clock
 * unless another is given) and closes every one of them after each test.
 */
export function storeOpener(
  flavor: StoreFlavor,
): (location?: StoreTestLocation, now?: () => Date) => Promise<Store> {
  const opened: Store[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
  });
  return async (location, now = steppingClock()) => {
    const store = await openStore({ ...(location ?? (await flavor.freshLocation())), now });
    opened.push(store);
    return store;
  };
}
