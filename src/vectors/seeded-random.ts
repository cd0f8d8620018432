import { seededRandom } from '../core/seeded-random.js';

/** Projections, LSH offsets and reference samples are drawn from the shared seeded PRNG. */
export { seededRandom };

/** A standard normal draw (Box–Muller) from a uniform source. */
export function normalFrom(random: () => number): number {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
