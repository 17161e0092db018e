import { context, type Context } from "@opentelemetry/api";

/**
 * What the handlers of one batch gather and write once at its end, inside its transaction: the
 * tracker's facts of one saga, the last saga status of an order. A retried or split batch starts
 * a fresh scope, so nothing gathered by a rolled-back attempt is written.
 */
export class BatchScope {
  private readonly pending = new Map<
    string,
    { state: unknown; flush: (state: unknown) => Promise<unknown>; context: Context }
  >();

  /**
   * The state gathered under `key` in this batch: made by `create` the first time, when `flush`
   * is registered to write it after the batch's records have run (keys in the order first used).
   * The write runs in the trace context of the record that first gathered it (its handler's span).
   */
  gather<T>(key: string, create: () => T, flush: (state: T) => Promise<unknown>): T {
    const known = this.pending.get(key);
    if (known) return known.state as T;
    const state = create();
    this.pending.set(key, {
      state,
      flush: flush as (state: unknown) => Promise<unknown>,
      context: context.active(),
    });
    return state;
  }

  /** Writes what was gathered, once per key. */
  async flush(): Promise<void> {
    for (const pending of this.pending.values())
      await context.with(pending.context, () => pending.flush(pending.state));
    this.pending.clear();
  }
}
