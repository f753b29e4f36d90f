/**
 * Group commit of room writes: the writes queued for one room are planned in
 * order against one consistent read, each seeing the changes of those before
 * it, and then committed as one atomic operation (see `writeRoom` in
 * `db.ts`). This module is the planning: which writes fit one operation and
 * what it must check and change. It does no I/O.
 *
 * A group stays within Deno KV's limits for one operation: one `getMany`
 * (10 keys) reads everything it depends on, it makes at most 10 checks and
 * 1,000 mutations. A write refused by its plan contributes nothing.
 *
 * @module
 */

/** The changes a room write may make: what a group can merge and replay. */
export interface RoomMutations {
  set(key: Deno.KvKey, value: unknown): RoomMutations;
  delete(key: Deno.KvKey): RoomMutations;
}

/** What a planned write asks for: the subset of `RoomWritePlan` used here. */
export interface GroupPlan {
  checks?: Deno.AtomicCheck[];
  mutate: (op: RoomMutations) => void;
}

/** A queued write: the keys it reads and how it plans itself from them. */
export interface GroupWrite<P extends GroupPlan> {
  reads: Deno.KvKey[];
  plan: (entries: Deno.KvEntryMaybe<unknown>[]) => P | Promise<P>;
}

/** The outcome of one write of a group: its plan, or why it was refused. */
export type GroupOutcome<P> = { plan: P } | { error: unknown };

/** A group ready to commit. */
export interface PlannedGroup<P> {
  /** One outcome per write that is part of the group, in queue order. */
  outcomes: GroupOutcome<P>[];
  /** Checks of the accepted writes, one per key, seq not included. */
  checks: Deno.AtomicCheck[];
  /** The final value of each key the accepted writes change; null deletes. */
  mutations: { key: Deno.KvKey; value: unknown }[];
}

/** Keys one `getMany` reads, and checks one atomic operation makes. */
export const MAX_GROUP_KEYS = 10;
/** Mutations of one atomic operation: the writes', their events, the seq. */
const MAX_GROUP_MUTATIONS = 1000;
/**
 * Writes committed together at most; bounds the operation's size (each
 * write stores a few records of at most a few KiB, far below 800 KiB).
 */
export const MAX_GROUP_WRITES = 16;

// A group names each key many times (reads, entries, checks, changes), and
// mostly through the same array: its name is built once per array. Keys
// are not changed once made, so a name never goes stale.
const keyIds = new WeakMap<Deno.KvKey, string>();

/**
 * A string naming a key, for maps: each part with its type and length, so
 * no two keys share one (1 and "1" differ, and no part can mimic two).
 *
 * @example
 * ```ts
 * keyId(["chats", "demo", "01H…"]);
 * ```
 */
export function keyId(key: Deno.KvKey): string {
  let id = keyIds.get(key);
  if (id !== undefined) return id;
  id = "";
  for (const part of key) {
    const text = String(part);
    id += `${typeof part}${text.length}:${text}`;
  }
  keyIds.set(key, id);
  return id;
}

/**
 * How many writes from the head of a queue one group reads in a single
 * `getMany`, and the distinct keys to read, `seqKey` first. The first write
 * always fits (a write reads at most 9 keys besides the seq).
 *
 * @example
 * ```ts
 * const { count, keys } = groupReads(queue, seqKey);
 * const entries = await kv.getMany(keys);
 * ```
 */
export function groupReads(
  writes: { reads: Deno.KvKey[] }[],
  seqKey: Deno.KvKey,
): { count: number; keys: Deno.KvKey[] } {
  const keys = new Map([[keyId(seqKey), seqKey]]);
  let count = 0;
  for (const write of writes.slice(0, MAX_GROUP_WRITES)) {
    const added = write.reads.filter((key) => !keys.has(keyId(key)));
    const distinct = new Set(added.map(keyId));
    if (count > 0 && keys.size + distinct.size > MAX_GROUP_KEYS) break;
    for (const key of added) keys.set(keyId(key), key);
    count++;
  }
  return { count, keys: [...keys.values()] };
}

/** Records a plan's mutations, so the group can merge them. */
class MutationRecorder implements RoomMutations {
  readonly changes = new Map<string, { key: Deno.KvKey; value: unknown }>();

  set(key: Deno.KvKey, value: unknown): this {
    this.changes.set(keyId(key), { key, value });
    return this;
  }

  delete(key: Deno.KvKey): this {
    this.changes.set(keyId(key), { key, value: null });
    return this;
  }
}

/**
 * Runs the plans of `writes` in order over `entries` (what `groupReads`'
 * keys read), each seeing the changes of the writes accepted before it, and
 * merges their checks and mutations. A plan that throws is refused. When a
 * write would take the group past a limit, it and those after it are left
 * out (`outcomes` is shorter than `writes`) for the next group.
 *
 * @example
 * ```ts
 * const group = await planGroup(queue.slice(0, count), entries);
 * const op = kv.atomic().check(seqEntry, ...group.checks);
 * ```
 */
export async function planGroup<P extends GroupPlan>(
  writes: GroupWrite<P>[],
  entries: Deno.KvEntryMaybe<unknown>[],
): Promise<PlannedGroup<P>> {
  const read = new Map(entries.map((entry) => [keyId(entry.key), entry]));
  const changed = new Map<string, { key: Deno.KvKey; value: unknown }>();
  const checks = new Map<string, Deno.AtomicCheck>();
  const outcomes: GroupOutcome<P>[] = [];
  let accepted = 0;
  for (const write of writes) {
    const seen = write.reads.map((key) => {
      const entry = read.get(keyId(key))!;
      const change = changed.get(keyId(key));
      // An earlier write's change shows with the version the group checks.
      return change ? { ...entry, value: change.value } : entry;
    });
    let plan: P;
    try {
      plan = await write.plan(seen as Deno.KvEntryMaybe<unknown>[]);
    } catch (error) {
      outcomes.push({ error });
      continue;
    }
    const recorder = new MutationRecorder();
    plan.mutate(recorder);
    // Everything a write read is checked: another isolate's change to it
    // makes the whole group retry. Reads changed by this group keep the
    // version read before it.
    const ownChecks = [...(plan.checks ?? []), ...seen]
      .filter((check) => !checks.has(keyId(check.key)));
    const newChecks = new Map(ownChecks.map((c) => [keyId(c.key), c]));
    const newChanges = [...recorder.changes.keys()]
      .filter((id) => !changed.has(id)).length;
    const overLimit = checks.size + newChecks.size + 1 > MAX_GROUP_KEYS ||
      changed.size + newChanges + (accepted + 1) + 1 > MAX_GROUP_MUTATIONS;
    if (accepted > 0 && overLimit) break;
    for (const [id, check] of newChecks) checks.set(id, check);
    for (const [id, change] of recorder.changes) changed.set(id, change);
    outcomes.push({ plan });
    accepted++;
  }
  return {
    outcomes,
    checks: [...checks.values()],
    mutations: [...changed.values()],
  };
}
