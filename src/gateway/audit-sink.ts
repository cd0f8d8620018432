/**
 * Control G11: every request and decision of the gateway goes to the audit log (who, model, guard
 * verdicts, token counts, latency). Appending one Merkle leaf and checkpoint per request would cap
 * throughput at the store's write rate, so events are queued and appended in batches (one
 * checkpoint per batch, every `flushMs` or `maxBatch` events). The queue is bounded: when the log
 * cannot keep up, `record` says so and the gateway refuses new requests rather than lose evidence.
 */
import type { JsonValue } from '../core/findings.js';
import type { AuditEntryInput } from '../audit/log.js';

/** One gateway event, as it goes into the audit log (`kind: event`, `data.type` says which). */
export interface GatewayEvent {
  readonly type: string;
  readonly [field: string]: JsonValue | undefined;
}

/** Options of {@link createAuditSink}. */
export interface AuditSinkOptions {
  /** Longest an event waits before its batch is appended (default 100 ms). */
  readonly flushMs?: number;
  /** Most events per appended batch (default 500). */
  readonly maxBatch?: number;
  /** Most events waiting; beyond it `record` refuses (default 50,000). */
  readonly maxQueue?: number;
  /** Called when a batch could not be appended (the events stay queued and are retried). */
  readonly onError?: (error: unknown) => void;
}

/** The batching writer. */
export interface AuditSink {
  /** Queues an event; false when the queue is full (the caller must refuse the request). */
  record(event: GatewayEvent): boolean;
  /** Appends everything queued so far. */
  flush(): Promise<void>;
  /** Flushes and stops the timer. */
  close(): Promise<void>;
  /** Events waiting. */
  readonly pending: number;
}

/** Creates a sink appending through `append` (an AuditLog's `appendBatch`). */
export function createAuditSink(
  append: (entries: readonly AuditEntryInput[]) => Promise<unknown>,
  options: AuditSinkOptions = {},
): AuditSink {
  const flushMs = options.flushMs ?? 100;
  const maxBatch = options.maxBatch ?? 500;
  const maxQueue = options.maxQueue ?? 50_000;
  const queue: AuditEntryInput[] = [];
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const drain = async (): Promise<void> => {
    while (queue.length > 0) {
      const batch = queue.slice(0, maxBatch);
      try {
        await append(batch);
        queue.splice(0, batch.length);
      } catch (error) {
        options.onError?.(error);
        return;
      }
    }
  };
  const flush = (): Promise<void> => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    running = running.then(drain);
    return running;
  };
  return {
    record(event) {
      if (queue.length >= maxQueue) return false;
      const data = Object.fromEntries(Object.entries(event).filter(([, v]) => v !== undefined)) as {
        [key: string]: JsonValue;
      };
      queue.push({ kind: 'event', data });
      if (queue.length >= maxBatch) void flush();
      else timer ??= setTimeout(() => void flush(), flushMs);
      return true;
    },
    flush,
    async close() {
      await flush();
    },
    get pending() {
      return queue.length;
    },
  };
}
