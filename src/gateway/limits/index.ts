/** The gateway's limits (control G3): one import for the server. */
export * from './limiter.js';
export { createMemoryLimiter, type MemoryLimiter, type MemoryLimiterOptions } from './memory-limiter.js';
export { createRedisLimiter, type RedisLimiterOptions } from './redis-limiter.js';
export * from './token-estimate.js';
export { limiterUnavailableError, refusalError, tokenPlanError } from './limit-errors.js';
