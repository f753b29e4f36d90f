import assert from "node:assert/strict";
import { closeKv } from "./db_kv.ts";
import {
  DEMO_TENANT_ID,
  ensureTenant,
  getOrCreateSessionSecret,
  getTenant,
  getUser,
  saveUser,
} from "./db_tenants.ts";

Deno.env.set("DENO_KV_PATH", ":memory:");

Deno.test("the demo tenant exists from the start; others must be made", async () => {
  try {
    const demo = await getTenant(DEMO_TENANT_ID);
    assert.equal(demo?.id, "demo");
    assert.deepEqual(demo?.origins, []);
    assert.deepEqual(await getTenant(DEMO_TENANT_ID), demo);
    assert.equal(await getTenant("nobody-made-this"), null);
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
