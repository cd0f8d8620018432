// Fuzz and property tests replay exactly from the same seeded PRNG as the engines.
export { seededRandom } from '../../src/core/seeded-random.js';
