/**
 * Control G12: a route serves a model only while the release policy allows what its registry alias
 * points at. Decisions are cached per alias for a short time (`releaseCacheSeconds`), so a policy
 * change or a new promotion takes effect within that time, without a registry check per request.
 */

/** What the gateway needs to know about a route's alias. */
export interface ReleaseStatus {
  readonly allowed: boolean;
  /** `NAME@VERSION` the alias pointed at, when it exists. */
  readonly version?: string;
  /** The policy's unmet requirements (or why the alias could not be checked). */
  readonly reasons: readonly string[];
}

/** Checks one `NAME@ALIAS` (the registry's deploy check). */
export type ReleaseChecker = (ref: string) => Promise<ReleaseStatus>;

/** A cached view of release decisions. */
export interface ReleaseBinding {
  status(ref: string): Promise<ReleaseStatus>;
}

/** Caches `check` for `ttlMs`; concurrent requests for one alias share one check; a failed check is a refusal. */
export function createReleaseBinding(
  check: ReleaseChecker,
  ttlMs: number,
  now: () => number = Date.now,
): ReleaseBinding {
  const cache = new Map<string, { at: number; status: Promise<ReleaseStatus> }>();
  return {
    status(ref) {
      const hit = cache.get(ref);
      if (hit !== undefined && now() - hit.at < ttlMs) return hit.status;
      const status = check(ref).catch((error: unknown): ReleaseStatus => ({
        allowed: false,
        reasons: [`release check failed: ${error instanceof Error ? error.message : String(error)}`],
      }));
      cache.set(ref, { at: now(), status });
      return status;
    },
  };
}
