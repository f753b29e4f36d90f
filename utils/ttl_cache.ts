/**
 * A bounded in-memory cache whose entries expire: what the write path uses
 * to skip repeating work whose answer cannot have changed (a verified token)
 * or may be a little stale by design (a tenant record). Least recently used
 * entries go first when it is full.
 *
 * @module
 */

interface Slot<V> {
  value: V;
  /** Milliseconds since the epoch after which the entry is gone. */
  expiresAt: number;
}

/** A map with a size bound and a lifetime per entry. */
export class TtlCache<K, V> {
  readonly #maxEntries: number;
  // A Map iterates in insertion order, so re-inserting on each hit keeps
  // the least recently used entry first.
  readonly #slots = new Map<K, Slot<V>>();

  /**
   * @param maxEntries Entries kept at most; the least recently used go first.
   */
  constructor(maxEntries: number) {
    this.#maxEntries = Math.max(1, Math.floor(maxEntries));
  }

  /** Entries held, expired ones not yet evicted included. */
  get size(): number {
    return this.#slots.size;
  }

  /**
   * The value of `key` unless it is missing or expired at `now`.
   *
   * @example
   * ```ts
   * const cache = new TtlCache<string, number>(100);
   * cache.set("a", 1, Date.now() + 1000);
   * cache.get("a"); // 1
   * ```
   */
  get(key: K, now: number = Date.now()): V | undefined {
    const slot = this.#slots.get(key);
    if (!slot) return undefined;
    this.#slots.delete(key);
    if (slot.expiresAt <= now) return undefined;
    this.#slots.set(key, slot);
    return slot.value;
  }

  /**
   * Stores `value` under `key` until `expiresAt` (milliseconds since the
   * epoch), evicting the least recently used entry when full.
   *
   * @example
   * ```ts
   * cache.set(token, claims, claims.exp);
   * ```
   */
  set(key: K, value: V, expiresAt: number): void {
    this.#slots.delete(key);
    this.#slots.set(key, { value, expiresAt });
    if (this.#slots.size > this.#maxEntries) {
      this.#slots.delete(this.#slots.keys().next().value!);
    }
  }

  /**
   * Forgets `key`, so the next lookup reads the source again.
   *
   * @example
   * ```ts
   * cache.delete("acme");
   * ```
   */
  delete(key: K): void {
    this.#slots.delete(key);
  }
}

/**
 * One cache per owner object (a KV database, a signing key), created on
 * first use and dropped with its owner: tests that reopen KV get fresh ones.
 *
 * @example
 * ```ts
 * const tenants = cachePerOwner<Deno.Kv, string, Tenant>(1000);
 * tenants(kv).get("acme");
 * ```
 */
export function cachePerOwner<O extends object, K, V>(
  maxEntries: number,
): (owner: O) => TtlCache<K, V> {
  const caches = new WeakMap<O, TtlCache<K, V>>();
  return (owner) => {
    let cache = caches.get(owner);
    if (!cache) {
      cache = new TtlCache<K, V>(maxEntries);
      caches.set(owner, cache);
    }
    return cache;
  };
}
