import { expect } from 'vitest';
import { BulwarkError } from '../../src/core/errors.js';

/** Asserts that `run` throws a BulwarkError with this code and a message matching `message`. */
export function expectFault(run: () => unknown, code: string, message: RegExp): void {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(BulwarkError);
    expect((error as BulwarkError).code).toBe(code);
    expect((error as BulwarkError).message).toMatch(message);
    return;
  }
  expect.fail('expected a BulwarkError');
}
