import assert from "node:assert/strict";
import {
  PendingWrites,
  RecentIds,
  windowConnectivity,
} from "./live_support.ts";

Deno.test("RecentIds: forgets the oldest beyond its limit", () => {
  const ids = new RecentIds(2);
  ids.add("a");
  ids.add("b");
  ids.add("c");
  assert.equal(ids.has("a"), false);
  assert.equal(ids.has("b"), true);
  assert.equal(ids.has("c"), true);
  assert.equal(ids.size, 2);
});

Deno.test("PendingWrites: sums deltas per chat, tracks deletes, forgets settled", () => {
  const pending = new PendingWrites();
  pending.add("w1", { chatId: "a", countDelta: 1 });
  pending.add("w2", { chatId: "a", countDelta: 1 });
  pending.add("w3", { chatId: "b", deletesChat: true });
  assert.equal(pending.countDelta("a"), 2);
  assert.equal(pending.deletes("b"), true);
  assert.equal(pending.deletes("a"), false);
  pending.settle("w1");
  pending.forgetSettled();
  assert.equal(pending.countDelta("a"), 1);
  pending.delete("w2");
  assert.equal(pending.countDelta("a"), 0);
});

Deno.test("windowConnectivity: reports online and offline events until unsubscribed", () => {
  const target = new EventTarget();
  const seen: boolean[] = [];
  const unsubscribe = windowConnectivity(target).subscribe((online) =>
    seen.push(online)
  );
  target.dispatchEvent(new Event("offline"));
  target.dispatchEvent(new Event("online"));
  unsubscribe();
  target.dispatchEvent(new Event("offline"));
  assert.deepEqual(seen, [false, true]);
});
