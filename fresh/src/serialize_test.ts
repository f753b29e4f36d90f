import assert from "node:assert/strict";
import { computed, type Signal, signal } from "@preact/signals";
import { h } from "preact";
import { deserialize } from "./deserialize.ts";
import { escapeScriptJson, serialize } from "./serialize.ts";

function roundTrip(value: unknown): unknown {
  const { serialized } = serialize(value);
  return deserialize(
    escapeScriptJson(serialized),
    signal as (v: unknown) => unknown,
  );
}

Deno.test("JSON values round-trip, nested ones included", () => {
  const value = {
    text: "hi",
    n: 1.5,
    ok: true,
    none: null,
    list: [1, "two", { three: [3] }],
    nested: { deeper: { deepest: ["x"] } },
  };
  assert.deepEqual(roundTrip(value), value);
  assert.equal(serialize(value).hasSignals, false);
});

Deno.test("strings that look like markup or markers survive and cannot end the script", () => {
  const tricky = [
    "</script><script>alert(1)</script>",
    "<!--frsh-x:0:-->",
    "a & b",
    "\u2028",
  ];
  const { serialized } = serialize(tricky);
  const escaped = escapeScriptJson(serialized);
  assert.doesNotMatch(escaped, /<\/script|<!--|[<>\u2028]/i);
  assert.deepEqual(roundTrip(tricky), tricky);
});

Deno.test("objects with the tag key are kept as they were", () => {
  const value = { _f: "s", v: 1, other: { _f: "l" } };
  assert.deepEqual(roundTrip(value), value);
});

Deno.test("bigints round-trip", () => {
  assert.deepEqual(roundTrip({ big: 2n ** 70n }), { big: 2n ** 70n });
});

Deno.test("a signal revives as a signal with its value", () => {
  const { serialized, hasSignals } = serialize({ count: signal(3) });
  assert.equal(hasSignals, true);
  const revived = deserialize(
    serialized,
    signal as (v: unknown) => unknown,
  ) as {
    count: Signal<number>;
  };
  assert.equal(revived.count.value, 3);
  revived.count.value = 4;
  assert.equal(revived.count.peek(), 4);
});

Deno.test("the same signal in two places revives as one signal", () => {
  const shared = signal("a");
  const revived = roundTrip([{ s: shared }, {
    s: shared,
    other: signal("b"),
  }]) as {
    s: Signal<string>;
    other?: Signal<string>;
  }[];
  assert.equal(revived[0].s, revived[1].s);
  assert.notEqual(revived[1].other, revived[1].s);
  revived[0].s.value = "changed";
  assert.equal(revived[1].s.value, "changed");
});

Deno.test("computed signals revive as signals holding their value", () => {
  const base = signal(2);
  const double = computed(() => base.value * 2);
  const revived = roundTrip({ double }) as { double: Signal<number> };
  assert.equal(revived.double.value, 4);
});

Deno.test("shared objects and cycles keep their identity", () => {
  const shared = { name: "shared" };
  const cyclic: Record<string, unknown> = { name: "cycle" };
  cyclic.self = cyclic;
  const revived = roundTrip({ a: shared, b: [shared], cyclic }) as {
    a: unknown;
    b: unknown[];
    cyclic: Record<string, unknown>;
  };
  assert.equal(revived.a, revived.b[0]);
  assert.deepEqual(revived.a, shared);
  assert.equal(revived.cyclic.self, revived.cyclic);
});

Deno.test("objects inside a signal's value can be shared", () => {
  const item = { id: 1 };
  const revived = roundTrip({ list: signal([item]), first: item }) as {
    list: Signal<unknown[]>;
    first: unknown;
  };
  assert.equal(revived.list.value[0], revived.first);
});

Deno.test("JSX becomes null and functions are dropped", () => {
  assert.deepEqual(
    roundTrip({ jsx: h("p", null, "x"), fn: () => 1, keep: 1 }),
    {
      jsx: null,
      keep: 1,
    },
  );
});
