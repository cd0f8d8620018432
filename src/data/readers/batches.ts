/**
 * Yields the items of batches one by one. Readers produce batches (one per chunk read) because an
 * async generator costs a few hundred nanoseconds per item; consumers that care iterate the batches.
 */
export async function* flattenBatches<T>(batches: AsyncIterable<readonly T[]>): AsyncGenerator<T> {
  for await (const batch of batches) yield* batch;
}
