import assert from "node:assert/strict";
import { cachePerOwner, TtlCache } from "./ttl_cache.ts";

Deno.test("an entry is returned until it expires", () => {
  const cache = new TtlCache<string, number>(10);
  cache.set("a", 1, 1000);
  assert.equal(cache.get("a", 999), 1);
  assert.equal(cache.get("a", 1000), undefined);
  assert.equal(cache.size, 0, "an expired entry is dropped when read");
  assert.equal(cache.get("missing", 0), undefined);
});

Deno.test("a full cache evicts the least recently used entry", () => {
  const cache = new TtlCache<string, number>(2);
  cache.set("a", 1, 1000);
  cache.set("b", 2, 1000);
  assert.equal(cache.get("a", 0), 1); // "b" is now the least recently used
  cache.set("c", 3, 1000);
  assert.equal(cache.size, 2);
  assert.equal(cache.get("b", 0), undefined);
  assert.equal(cache.get("a", 0), 1);
  assert.equal(cache.get("c", 0), 3);
});

Deno.test("set replaces a value and delete forgets it", () => {
  const cache = new TtlCache<string, number>(2);
  cache.set("a", 1, 1000);
  cache.set("a", 2, 2000);
  assert.equal(cache.size, 1);
  assert.equal(cache.get("a", 1500), 2);
  cache.delete("a");
  assert.equal(cache.get("a", 0), undefined);
});

Deno.test("each owner gets its own cache", () => {
  const cacheOf = cachePerOwner<object, string, number>(5);
  const first = {};
  const second = {};
  cacheOf(first).set("a", 1, 1000);
  assert.equal(cacheOf(first), cacheOf(first));
  assert.equal(cacheOf(first).get("a", 0), 1);
  assert.equal(cacheOf(second).get("a", 0), undefined);
});
