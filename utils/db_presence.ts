/**
 * Presence in KV: how many viewers of a room each isolate holds. An entry
 * is written when its count changes, never to refresh it. Instead each
 * isolate beats once per heartbeat (one key, whatever its rooms), and
 * readers count the entries of isolates whose beat has not run out. So an
 * idle isolate costs one write per heartbeat, not one per room, and the
 * viewers of a crashed one drop out when its beat runs out. Readers delete
 * the entries of isolates that stopped beating, once each.
 *
 * @module
 */

import { getKv, keys, retryContention } from "./db_kv.ts";

/** One isolate's viewers of a room; they count while the isolate beats. */
interface PresenceEntry {
  count: number;
}

/** An isolate's beat. Local KV deletes expired keys lazily: check this. */
interface IsolateBeat {
  expiresAt: number;
}

/** A room's viewers held by other isolates, and how long each still beats. */
export interface PresenceCount {
  /** Viewers of the room held by other isolates that still beat. */
  others: number;
  /** Each of those isolates, with the milliseconds until its beat runs out. */
  beats: Map<string, number>;
}

/**
 * Records how many of a room's viewers this isolate holds; a count of 0
 * removes the entry. Bumps the room's presence revision when the visible
 * total changes, that is when `count` differs from `visible`: what readers
 * see now of this isolate (its last count, or 0 while its beat had run out).
 *
 * @example
 * ```ts
 * await setPresence("demo", "demo-image", isolateId, 3, 2);
 * ```
 */
export async function setPresence(
  tenant: string,
  urlId: string,
  isolateId: string,
  count: number,
  visible: number,
): Promise<void> {
  const kv = await getKv();
  const key = keys.presenceEntry(tenant, urlId, isolateId);
  await retryContention(() => {
    const op = kv.atomic();
    if (count > 0) op.set(key, { count } satisfies PresenceEntry);
    else op.delete(key);
    if (count !== visible) op.sum(keys.presenceRev(tenant, urlId), 1n);
    return op.commit();
  });
}

/**
 * Records that this isolate is alive for `ttlMs` more: until then its
 * presence entries count.
 *
 * @example
 * ```ts
 * await beatIsolate(isolateId, 20_000);
 * ```
 */
export async function beatIsolate(
  isolateId: string,
  ttlMs: number,
): Promise<void> {
  const kv = await getKv();
  const beat: IsolateBeat = { expiresAt: Date.now() + ttlMs };
  await retryContention(() =>
    kv.set(keys.isolateBeat(isolateId), beat, {
      expireIn: Math.max(1, Math.ceil(ttlMs)),
    })
  );
}

/**
 * Milliseconds until each isolate's beat runs out; 0 for one that no
 * longer beats (or never did).
 *
 * @example
 * ```ts
 * const left = await readBeats(["iso-a", "iso-b"]);
 * if (left.get("iso-b") === 0) console.log("iso-b is gone");
 * ```
 */
export async function readBeats(
  isolateIds: readonly string[],
): Promise<Map<string, number>> {
  const kv = await getKv();
  const now = Date.now();
  const left = new Map<string, number>();
  // getMany reads at most 10 keys.
  for (let i = 0; i < isolateIds.length; i += 10) {
    const ids = isolateIds.slice(i, i + 10);
    const beats = await kv.getMany<IsolateBeat[]>(ids.map(keys.isolateBeat));
    beats.forEach((beat, j) => {
      left.set(ids[j], Math.max(0, (beat.value?.expiresAt ?? 0) - now));
    });
  }
  return left;
}

/**
 * Counts a room's viewers held by isolates other than `self` that still
 * beat, and deletes the entries of those that stopped (best effort: the
 * next count tries again).
 *
 * @example
 * ```ts
 * const { others } = await countPresence("demo", "demo-image", isolateId);
 * ```
 */
export async function countPresence(
  tenant: string,
  urlId: string,
  self: string,
): Promise<PresenceCount> {
  const kv = await getKv();
  const entries: Deno.KvEntry<PresenceEntry>[] = [];
  const prefix = keys.presence(tenant, urlId);
  for await (const entry of kv.list<PresenceEntry>({ prefix })) {
    if (entry.key.at(-1) !== self) entries.push(entry);
  }
  const left = await readBeats(entries.map((e) => String(e.key.at(-1))));
  const beats = new Map<string, number>();
  let others = 0;
  for (const entry of entries) {
    const isolateId = String(entry.key.at(-1));
    const ms = left.get(isolateId) ?? 0;
    if (ms > 0) {
      others += entry.value.count;
      beats.set(isolateId, ms);
    } else {
      // Readers already leave it out, so deleting it changes no count; the
      // check keeps an entry its isolate rewrote meanwhile.
      await kv.atomic().check(entry).delete(entry.key).commit()
        .catch(() => {});
    }
  }
  return { others, beats };
}
