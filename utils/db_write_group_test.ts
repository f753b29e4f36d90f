import assert from "node:assert/strict";
import {
  type GroupPlan,
  groupReads,
  type GroupWrite,
  keyId,
  MAX_GROUP_KEYS,
  MAX_GROUP_WRITES,
  planGroup,
} from "./db_write_group.ts";

const SEQ: Deno.KvKey = ["room_seq", "demo", "r"];

function entry(key: Deno.KvKey, value: unknown, versionstamp: string | null) {
  return { key, value, versionstamp } as Deno.KvEntryMaybe<unknown>;
}

/** A write that adds 1 to a counter it reads, like a comment's count. */
function increment(key: Deno.KvKey): GroupWrite<GroupPlan> {
  return {
    reads: [key],
    plan: ([counter]) => ({
      mutate: (op) => op.set(key, (counter.value as number) + 1),
    }),
  };
}

Deno.test("keyId tells typed parts apart", () => {
  assert.notEqual(keyId(["a", 1]), keyId(["a", "1"]));
  assert.equal(keyId(["a", 1]), keyId(["a", 1]));
  assert.notEqual(keyId(["a", "b"]), keyId(["a\u0000b"]));
  assert.notEqual(keyId(["a", "b"]), keyId(["a" + keyId(["b"])]));
});

Deno.test("groupReads reads shared keys once and stops at 10 keys", () => {
  const shared = { reads: [["chat"], ["lock"]] as Deno.KvKey[] };
  assert.deepEqual(groupReads([shared, shared, shared], SEQ), {
    count: 3,
    keys: [SEQ, ["chat"], ["lock"]],
  });
  const own = (i: number) => ({ reads: [["a", i], ["b", i], ["c", i]] });
  const { count, keys } = groupReads([own(1), own(2), own(3), own(4)], SEQ);
  assert.equal(count, 3, "1 + 3 × 3 keys fit, a fourth write does not");
  assert.equal(keys.length, MAX_GROUP_KEYS);
  const many = Array.from({ length: 40 }, () => shared);
  assert.equal(groupReads(many, SEQ).count, MAX_GROUP_WRITES);
});

Deno.test("each write sees the changes of the writes before it", async () => {
  const counter: Deno.KvKey = ["count"];
  const group = await planGroup(
    [increment(counter), increment(counter), increment(counter)],
    [entry(counter, 5, "v1")],
  );
  assert.equal(group.outcomes.length, 3);
  assert.deepEqual(group.mutations, [{ key: counter, value: 8 }]);
  assert.deepEqual(
    group.checks.map((c) => [c.key, c.versionstamp]),
    [[counter, "v1"]],
    "checked once, at the version read before the group",
  );
});

Deno.test("a refused write changes nothing and the others go on", async () => {
  const counter: Deno.KvKey = ["count"];
  const refused: GroupWrite<GroupPlan> = {
    reads: [counter],
    plan: () => {
      throw new Error("refused");
    },
  };
  const group = await planGroup(
    [increment(counter), refused, increment(counter)],
    [entry(counter, 0, "v1")],
  );
  assert.equal(group.outcomes.length, 3);
  assert.ok("plan" in group.outcomes[0]);
  assert.ok("error" in group.outcomes[1]);
  assert.equal(
    (group.outcomes[1] as { error: Error }).error.message,
    "refused",
  );
  assert.deepEqual(group.mutations, [{ key: counter, value: 2 }]);
});

Deno.test("a deletion shows as a missing value to later writes", async () => {
  const item: Deno.KvKey = ["item"];
  const seenByLast: unknown[] = [];
  const group = await planGroup<GroupPlan>([
    { reads: [item], plan: () => ({ mutate: (op) => op.delete(item) }) },
    {
      reads: [item],
      plan: ([found]) => {
        seenByLast.push(found.value);
        return { mutate: () => {} };
      },
    },
  ], [entry(item, "there", "v1")]);
  assert.deepEqual(seenByLast, [null]);
  assert.deepEqual(group.mutations, [{ key: item, value: null }]);
});

Deno.test("a write past the check limit is left for the next group", async () => {
  // Each write checks 4 keys of its own: two fit beside the seq, a third not.
  const own = (i: number): GroupWrite<GroupPlan> => ({
    reads: [],
    plan: () => ({
      checks: [1, 2, 3, 4].map((n) => entry(["own", i, n], null, null)),
      mutate: (op) => op.set(["out", i], i),
    }),
  });
  const group = await planGroup([own(1), own(2), own(3)], []);
  assert.equal(group.outcomes.length, 2);
  assert.equal(group.checks.length, 8);
  assert.deepEqual(group.mutations.map((m) => m.value), [1, 2]);
});
