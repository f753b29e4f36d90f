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
    moderator: false,
  });
  assert.equal(identity.isModerator(), false);
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

/** An API whose `POST /sessions {sso}` signs in a moderator, counting calls. */
function ssoApi() {
  const bodies: unknown[] = [];
  const client = new ApiClient({
    tenant: "demo",
    fetch: (_input, init) => {
      bodies.push(JSON.parse(String(init?.body)));
      return Promise.resolve(
        new Response(
          JSON.stringify({
            token: `tok-sso-${bodies.length}`,
            user: { id: "sso:42", name: "Ada Site" },
            moderator: true,
          }),
          { status: 201 },
        ),
      );
    },
  });
  return { client, bodies };
}

const payload = (hash: string) => ({
  userDataJSONBase64: btoa('{"id":"42","name":"Ada Site","moderator":true}'),
  verificationHash: hash.repeat(64),
  timestamp: 1_700_000_000_000,
});

Deno.test("Identity: signInWithSso replaces an anonymous session and keeps moderator", async () => {
  const storage = new MemoryStorage();
  const identity = new Identity("demo", storage);
  await identity.identify(api, "Guest 1234");
  const { client, bodies } = ssoApi();
  const user = await identity.signInWithSso(client, payload("a"));
  assert.deepEqual(user, { id: "sso:42", name: "Ada Site" });
  assert.deepEqual(bodies, [{ sso: payload("a") }]);
  assert.equal(identity.token(), "tok-sso-1");
  assert.equal(identity.isModerator(), true);
  // Another tab reads the same moderator session.
  const again = new Identity("demo", storage);
  assert.equal(again.isModerator(), true);
  assert.deepEqual(again.session.value, {
    token: "tok-sso-1",
    user: { id: "sso:42", name: "Ada Site" },
    moderator: true,
    ssoHash: "a".repeat(64),
  });
});

Deno.test("Identity: the same SSO payload is exchanged once, a fresh one again", async () => {
  const storage = new MemoryStorage();
  const { client, bodies } = ssoApi();
  await new Identity("demo", storage).signInWithSso(client, payload("a"));
  // A reload showing the same payload: the server would refuse it as used.
  const reloaded = new Identity("demo", storage);
  await reloaded.signInWithSso(client, payload("a"));
  assert.equal(bodies.length, 1);
  assert.equal(reloaded.token(), "tok-sso-1");
  // The site signed a new payload (e.g. the user's role changed).
  await reloaded.signInWithSso(client, payload("b"));
  assert.equal(bodies.length, 2);
  assert.equal(reloaded.token(), "tok-sso-2");
});

Deno.test("Identity: a refused SSO payload leaves the session as it was", async () => {
  const identity = new Identity("demo", new MemoryStorage());
  await identity.identify(api, "Bo");
  const refusing = new ApiClient({
    tenant: "demo",
    fetch: () =>
      Promise.resolve(
        new Response(
          JSON.stringify({
            error: {
              code: "unauthorized",
              message: "This SSO payload was used already: sign a fresh one.",
              field: "sso",
            },
          }),
          { status: 401 },
        ),
      ),
  });
  await assert.rejects(
    identity.signInWithSso(refusing, payload("c")),
    /used already/,
  );
  assert.equal(identity.user()?.name, "Bo");
  assert.equal(identity.isModerator(), false);
});

Deno.test("Identity: a stored session without moderator reads as not one", () => {
  const storage = new MemoryStorage();
  storage.setItem(
    sessionKey("demo"),
    JSON.stringify({ token: "t", user: { id: "u", name: "Old" } }),
  );
  const identity = new Identity("demo", storage);
  assert.equal(identity.user()?.name, "Old");
  assert.equal(identity.isModerator(), false);
});

Deno.test("guestName: four digits after Guest", () => {
  assert.equal(guestName(() => 0), "Guest 1000");
  assert.equal(guestName(() => 0.99999), "Guest 9999");
});
