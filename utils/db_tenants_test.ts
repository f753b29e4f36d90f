import assert from "node:assert/strict";
import { closeKv, getKv, keys } from "./db_kv.ts";
import { sha256Hex } from "./crypto.ts";
import {
  DEMO_TENANT_ID,
  ensureTenant,
  getCachedSessionsRevokedAt,
  getCachedTenant,
  getOrCreateSessionSecret,
  getSessionsRevokedAt,
  getTenant,
  getUser,
  provisionTenant,
  REVOCATION_CACHE_MS,
  revokeSessions,
  saveSsoUser,
  saveUser,
  TENANT_CACHE_MS,
  updateTenant,
} from "./db_tenants.ts";
import { LOCAL_ORIGINS } from "./origins.ts";

Deno.env.set("DENO_KV_PATH", ":memory:");

Deno.test("the demo tenant exists from the start; others must be made", async () => {
  try {
    const demo = await getTenant(DEMO_TENANT_ID);
    assert.equal(demo?.id, "demo");
    assert.deepEqual(demo?.origins, LOCAL_ORIGINS);
    assert.deepEqual(await getTenant(DEMO_TENANT_ID), demo);
    assert.equal(await getTenant("nobody-made-this"), null);
    assert.equal(await getTenant("x".repeat(5000)), null);
    assert.equal(await getTenant("../demo"), null);
  } finally {
    await closeKv();
  }
});

Deno.test("ensureTenant is idempotent", async () => {
  try {
    const first = await ensureTenant({
      id: "acme",
      name: "Acme",
      origins: ["https://acme.example"],
    });
    const again = await ensureTenant({
      id: "acme",
      name: "Other",
      origins: [],
    });
    assert.deepEqual(again, first);
    assert.deepEqual(await getTenant("acme"), first);
  } finally {
    await closeKv();
  }
});

Deno.test("users are stored per tenant", async () => {
  try {
    const user = { id: "u1", name: "Ada", createdAt: 1 };
    await saveUser("demo", user);
    assert.deepEqual(await getUser("demo", "u1"), user);
    assert.equal(await getUser("acme", "u1"), null);
  } finally {
    await closeKv();
  }
});

Deno.test("the session secret is generated once", async () => {
  try {
    let generated = 0;
    const generate = () => `secret-${++generated}`;
    const first = await getOrCreateSessionSecret(generate);
    assert.equal(first, "secret-1");
    assert.equal(await getOrCreateSessionSecret(generate), first);
    assert.equal(generated, 1);
  } finally {
    await closeKv();
  }
});

Deno.test("provisionTenant shows the admin key once and stores its hash", async () => {
  try {
    const { tenant, adminKey, ssoSecret } = await provisionTenant({
      id: "acme",
      origins: ["https://acme.example"],
    });
    assert.match(adminKey, /^tack_admin_[A-Za-z0-9_-]{43}$/);
    assert.equal(tenant.adminKeyHash, await sha256Hex(adminKey));
    assert.deepEqual(await getTenant("acme"), tenant);
    assert.ok(!JSON.stringify(tenant).includes(adminKey));
    assert.equal(tenant.ssoSecret, ssoSecret);
    await assert.rejects(provisionTenant({ id: "acme" }), /exists already/);
    const rotated = await provisionTenant({
      id: "acme",
      rotate: true,
      ssoSecret: "chosen",
    });
    assert.notEqual(rotated.adminKey, adminKey);
    assert.equal(rotated.tenant.ssoSecret, "chosen");
    assert.deepEqual(rotated.tenant.origins, ["https://acme.example"]);
    assert.equal(rotated.tenant.createdAt, tenant.createdAt);
    for (const bad of ["", "Acme", "a/b", "-a", "a".repeat(64)]) {
      await assert.rejects(provisionTenant({ id: bad }), /not a tenant id/);
    }
  } finally {
    await closeKv();
  }
});

Deno.test("the demo tenant gets keys by rotation, keeping local origins", async () => {
  try {
    const { tenant } = await provisionTenant({ id: "demo", rotate: true });
    assert.deepEqual(tenant.origins, LOCAL_ORIGINS);
    assert.ok(tenant.adminKeyHash);
  } finally {
    await closeKv();
  }
});

Deno.test("an SSO payload's hash can be used once", async () => {
  try {
    const user = { id: "sso:1", name: "Ada", createdAt: 1 };
    assert.equal(await saveSsoUser("demo", user, "hash", 60_000), true);
    assert.deepEqual(await getUser("demo", "sso:1"), user);
    const renamed = { ...user, name: "Eve" };
    assert.equal(await saveSsoUser("demo", renamed, "hash", 60_000), false);
    assert.equal((await getUser("demo", "sso:1"))?.name, "Ada");
    assert.equal(await saveSsoUser("acme", user, "hash", 60_000), true);
  } finally {
    await closeKv();
  }
});

Deno.test("revocation times are kept per user", async () => {
  try {
    assert.equal(await getSessionsRevokedAt("demo", "u1"), null);
    await revokeSessions("demo", "u1", 1234);
    assert.equal(await getSessionsRevokedAt("demo", "u1"), 1234);
    assert.equal(await getSessionsRevokedAt("acme", "u1"), null);
  } finally {
    await closeKv();
  }
});

Deno.test("a cached tenant is reused for a while; changes made here show at once", async () => {
  try {
    const { tenant } = await provisionTenant({ id: "acme", origins: ["a"] });
    const now = Date.now();
    assert.deepEqual(await getCachedTenant("acme", now), tenant);
    // A change by another process, written straight to KV.
    const kv = await getKv();
    await kv.set(keys.tenant("acme"), { ...tenant, origins: ["b"] });
    assert.deepEqual((await getCachedTenant("acme", now + 1))?.origins, ["a"]);
    assert.deepEqual(
      (await getCachedTenant("acme", now + TENANT_CACHE_MS + 1))?.origins,
      ["b"],
      "stale for at most TENANT_CACHE_MS",
    );
    const rotated = await provisionTenant({ id: "acme", rotate: true });
    assert.deepEqual(await getCachedTenant("acme"), rotated.tenant);
    assert.equal(await getCachedTenant("nobody-made-this"), null);
  } finally {
    await closeKv();
  }
});

Deno.test("a cached revocation time is reused for at most a second", async () => {
  try {
    const now = Date.now();
    assert.equal(await getCachedSessionsRevokedAt("demo", "u1", now), null);
    const kv = await getKv();
    await kv.set(keys.sessionsRevoked("demo", "u1"), 1234); // another isolate
    assert.equal(await getCachedSessionsRevokedAt("demo", "u1", now + 1), null);
    assert.equal(
      await getCachedSessionsRevokedAt("demo", "u1", now + REVOCATION_CACHE_MS),
      1234,
    );
    await revokeSessions("demo", "u1", 5678); // this isolate: at once
    assert.equal(await getCachedSessionsRevokedAt("demo", "u1"), 5678);
  } finally {
    await closeKv();
  }
});

Deno.test("updateTenant loses no concurrent change", async () => {
  try {
    await provisionTenant({ id: "acme", origins: ["a"] });
    const add = (origin: string) =>
      updateTenant("acme", (t) => ({ ...t, origins: [...t.origins, origin] }));
    await Promise.all([add("b"), add("c"), add("d")]);
    const stored = await getTenant("acme");
    assert.deepEqual(stored?.origins.toSorted(), ["a", "b", "c", "d"]);
    assert.deepEqual(
      await getCachedTenant("acme"),
      stored,
      "this isolate sees it at once",
    );
    assert.equal(await updateTenant("nobody-made-this", (t) => t), null);
    const demo = await updateTenant(
      DEMO_TENANT_ID,
      (t) => ({ ...t, name: "D" }),
    );
    assert.equal(demo?.name, "D");
    assert.deepEqual(demo?.origins, LOCAL_ORIGINS);
  } finally {
    await closeKv();
  }
});
