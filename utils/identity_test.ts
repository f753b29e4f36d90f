import assert from "node:assert/strict";
import { ApiClient } from "./api_client.ts";
import { guestName, Identity, sessionKey } from "./identity.ts";

/** A Storage backed by a Map. */
class MemoryStorage implements Storage {
  #items = new Map<string, string>();
  get length() {
    return this.#items.size;
  }
  clear() {
    this.#items.clear();
  }
  getItem(key: string) {
    return this.#items.get(key) ?? null;
  }
  key(index: number) {
    return [...this.#items.keys()][index] ?? null;
  }
  removeItem(key: string) {
    this.#items.delete(key);
  }
  setItem(key: string, value: string) {
    this.#items.set(key, value);
  }
}

const api = new ApiClient({
  tenant: "demo",
  fetch: (_input, init) =>
    Promise.resolve(
      new Response(
        JSON.stringify({
          token: "tok-1",
          user: { id: "u1", name: JSON.parse(String(init?.body)).name },
        }),
        { status: 201 },
      ),
    ),
});

Deno.test("Identity: identify stores the session under tack:<tenant>:session", async () => {
  const storage = new MemoryStorage();
  const identity = new Identity("demo", storage);
  assert.equal(identity.token(), null);
  const user = await identity.identify(api, "Ada");
  assert.deepEqual(user, { id: "u1", name: "Ada" });
  assert.equal(identity.token(), "tok-1");
  assert.deepEqual(JSON.parse(storage.getItem("tack:demo:session")!), {
    token: "tok-1",
    user: { id: "u1", name: "Ada" },
  });
  // Another tab (a new Identity on the same storage) is the same person.
  assert.deepEqual(new Identity("demo", storage).user(), user);
  assert.equal(new Identity("other", storage).user(), null);
});

Deno.test("Identity: forget clears memory and storage", async () => {
  const storage = new MemoryStorage();
  const identity = new Identity("demo", storage);
  await identity.identify(api, "Ada");
  identity.forget();
  assert.equal(identity.session.value, null);
  assert.equal(storage.getItem(sessionKey("demo")), null);
});

Deno.test("Identity: a corrupt stored value counts as no session", () => {
  const storage = new MemoryStorage();
  storage.setItem(sessionKey("demo"), "{not json");
  assert.equal(new Identity("demo", storage).user(), null);
  storage.setItem(sessionKey("demo"), JSON.stringify({ token: 5 }));
  assert.equal(new Identity("demo", storage).user(), null);
});

Deno.test("Identity: works without storage", async () => {
  const identity = new Identity("demo", null);
  await identity.identify(api, "Bo");
  assert.equal(identity.user()?.name, "Bo");
});

Deno.test("guestName: four digits after Guest", () => {
  assert.equal(guestName(() => 0), "Guest 1000");
  assert.equal(guestName(() => 0.99999), "Guest 9999");
});
