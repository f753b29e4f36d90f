/**
 * The KV watches of the hub's rooms. Each room needs to hear of changes to
 * two entries (its seq and its presence revision); a watch takes up to ten
 * keys and each costs the process tens of kilobytes, so rooms share them,
 * five to a watch. A room that comes or goes restarts its watch with the new
 * set of keys. Versions are remembered across restarts, so a restart reports
 * only entries that really changed, and a write made while a watch was down
 * is still noticed. A watch that fails or ends while in use is started again
 * after a backoff, so a hiccup of the database leaves no room deaf.
 *
 * @module
 */

/** What changed in a notification of a room's entries. */
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

/** A room to watch: its two entries and who to tell of their changes. */
export interface WatchedRoom {
  seqKey: Deno.KvKey;
  presenceKey: Deno.KvKey;
  onChange: (change: WatchChange) => void;
}

/** Options of {@linkcode RoomWatches}. */
export interface RoomWatchesOptions {
  /** The database to watch. */
  kv: () => Promise<Watchable>;
  /** Reports a watch that failed (it is restarted after a backoff). */
  onError: (error: unknown) => void;
  /**
   * Rooms that share one watch; KV watches at most 10 keys, two per room.
   * @default 5
   */
  roomsPerWatch?: number;
  /**
   * The pause before restart number `attempt` of a failing watch (0 for the
   * first).
   * @default 100 ms doubling up to 5 s
   */
  retryDelayMs?: (attempt: number) => number;
}

interface Member extends WatchedRoom {
  /** Versionstamps of the seq and presence entries last reported. */
  versions: [string | null, string | null];
}

/** Rooms that share one watch, and the watch currently running for them. */
interface Group {
  rooms: Map<string, Member>;
  running: AbortController | null;
  restartQueued: boolean;
}

/**
 * The watches of a hub's rooms, shared by up to five rooms each.
 *
 * @example
 * ```ts
 * const watches = new RoomWatches({ kv: getKv, onError: console.error });
 * watches.add("room-1", { seqKey, presenceKey,
 *   onChange: ({ seq }) => seq && fanOut() });
 * watches.remove("room-1"); // the room was let go of
 * ```
 */
export class RoomWatches {
  #kv: () => Promise<Watchable>;
  #onError: (error: unknown) => void;
  #roomsPerWatch: number;
  #retryDelayMs: (attempt: number) => number;
  #groups = new Set<Group>();
  #groupOf = new Map<string, Group>();

  constructor(options: RoomWatchesOptions) {
    this.#kv = options.kv;
    this.#onError = options.onError;
    this.#roomsPerWatch = options.roomsPerWatch ?? 5;
    if (!(this.#roomsPerWatch >= 1 && this.#roomsPerWatch <= 5)) {
      throw new RangeError("A watch holds 1 to 5 rooms (10 keys at most).");
    }
    this.#retryDelayMs = options.retryDelayMs ??
      ((attempt) => Math.min(5_000, 100 * 2 ** attempt));
  }

  /** How many watches are running or about to start. */
  get watches(): number {
    return this.#groups.size;
  }

  /**
   * Starts watching a room's entries; its first notification reports their
   * current state. Rooms added in one task start their watches together.
   */
  add(id: string, room: WatchedRoom): void {
    if (this.#groupOf.has(id)) throw new Error(`room ${id} is watched`);
    let group = [...this.#groups].find((g) =>
      g.rooms.size < this.#roomsPerWatch
    );
    if (!group) {
      group = { rooms: new Map(), running: null, restartQueued: false };
      this.#groups.add(group);
    }
    group.rooms.set(id, { ...room, versions: [null, null] });
    this.#groupOf.set(id, group);
    this.#restart(group);
  }

  /** Stops watching a room; nothing more is reported of it. */
  remove(id: string): void {
    const group = this.#groupOf.get(id);
    if (!group) return;
    this.#groupOf.delete(id);
    group.rooms.delete(id);
    this.#restart(group);
  }

  /** Stops every watch. */
  stopAll(): void {
    for (const id of [...this.#groupOf.keys()]) this.remove(id);
  }

  /** Restarts a group's watch with its current rooms, once per task. */
  #restart(group: Group): void {
    if (group.restartQueued) return;
    group.restartQueued = true;
    queueMicrotask(() => {
      group.restartQueued = false;
      group.running?.abort();
      group.running = null;
      if (group.rooms.size === 0) {
        this.#groups.delete(group);
        return;
      }
      const running = new AbortController();
      group.running = running;
      this.#run(group, running.signal).catch(this.#onError);
    });
  }

  /** Runs one watch of a group's rooms until `signal` aborts. */
  async #run(group: Group, signal: AbortSignal): Promise<void> {
    const members = [...group.rooms.values()];
    const keys = members.flatMap((room) => [room.seqKey, room.presenceKey]);
    const kv = await this.#kv();
    let failures = 0;
    while (!signal.aborted) {
      let notified = false;
      try {
        for await (const entries of abortable(kv.watch(keys), signal)) {
          // Versions seen by a watch that was replaced are not recorded:
          // its successor must still report them.
          if (signal.aborted) return;
          notified = true;
          members.forEach((room, i) => {
            const seq = entries[2 * i];
            const presence = entries[2 * i + 1];
            const change: WatchChange = {
              seq: seq.versionstamp !== room.versions[0],
              seqValue: seq.value,
              presence: presence.versionstamp !== room.versions[1],
            };
            room.versions = [seq.versionstamp, presence.versionstamp];
            if (change.seq || change.presence) room.onChange(change);
          });
        }
        if (signal.aborted) return;
        throw new Error("the watch stream ended");
      } catch (error) {
        if (signal.aborted) return;
        this.#onError(error);
      }
      failures = notified ? 0 : failures + 1;
      await sleep(this.#retryDelayMs(failures), signal);
    }
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
