/**
 * A room's KV watch, kept alive: a watch stream that fails or ends while the
 * room is still in use is started again after a backoff, so that a hiccup of
 * the database does not leave a room deaf to other isolates' writes.
 *
 * @module
 */

/** What changed in a notification of the watched entries. */
export interface WatchChange {
  /** The room's seq entry changed: there are new events. */
  seq: boolean;
  /** The seq entry's value as read by this notification (the room's seq). */
  seqValue: unknown;
  /** The room's presence revision changed: the viewer count may have. */
  presence: boolean;
}

/** The part of `Deno.Kv` a watch needs. */
export interface Watchable {
  watch(keys: Deno.KvKey[]): ReadableStream<Deno.KvEntryMaybe<unknown>[]>;
}

/** Options of {@linkcode watchRoom}. */
export interface WatchRoomOptions {
  /** The room's seq key and presence revision key, in that order. */
  keys: [Deno.KvKey, Deno.KvKey];
  /** Ends the watch for good. */
  signal: AbortSignal;
  onChange: (change: WatchChange) => void;
  /** Reports a watch that failed; it is restarted after a backoff. */
  onError: (error: unknown) => void;
  /**
   * The pause before restart number `attempt` (0 for the first restart).
   * @default 100 ms doubling up to 5 s
   */
  retryDelayMs?: (attempt: number) => number;
}

/**
 * Watches a room's seq and presence entries until `signal` aborts.
 * Versions are remembered across restarts, and the first notification of
 * each watch reports the current state, so a write made while the watch was
 * down is still noticed.
 *
 * @example
 * ```ts
 * const stop = new AbortController();
 * watchRoom(kv, { keys: [seqKey, presenceKey], signal: stop.signal,
 *   onChange: ({ seq }) => seq && fanOut(), onError: console.error });
 * ```
 */
export async function watchRoom(
  kv: Watchable,
  options: WatchRoomOptions,
): Promise<void> {
  const { signal } = options;
  const delay = options.retryDelayMs ??
    ((attempt) => Math.min(5_000, 100 * 2 ** attempt));
  const versions: (string | null)[] = [null, null];
  let failures = 0;
  while (!signal.aborted) {
    let notified = false;
    try {
      const stream = kv.watch(options.keys);
      for await (const entries of abortable(stream, signal)) {
        notified = true;
        const [seq, presence] = entries.map((entry, i) => {
          const changed = entry.versionstamp !== versions[i];
          versions[i] = entry.versionstamp;
          return changed;
        });
        if (seq || presence) {
          options.onChange({ seq, presence, seqValue: entries[0].value });
        }
      }
      if (signal.aborted) return;
      throw new Error("the watch stream ended");
    } catch (error) {
      if (signal.aborted) return;
      options.onError(error);
    }
    failures = notified ? 0 : failures + 1;
    await sleep(delay(failures), signal);
  }
}

/** Reads a stream until it ends or `signal` aborts (then it is cancelled). */
async function* abortable<T>(
  stream: ReadableStream<T>,
  signal: AbortSignal,
): AsyncGenerator<T> {
  const reader = stream.getReader();
  const cancel = () => reader.cancel().catch(() => {});
  signal.addEventListener("abort", cancel, { once: true });
  try {
    while (!signal.aborted) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    signal.removeEventListener("abort", cancel);
    if (!signal.aborted) await cancel();
  }
}

/** Waits `ms`, or less if `signal` aborts first. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
