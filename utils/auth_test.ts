import assert from "node:assert/strict";
import {
  createSession,
  requireIdentity,
  SESSION_TTL_MS,
  signToken,
  verifyToken,
} from "./auth.ts";
import { closeKv, getKv } from "./db.ts";
import { getUser } from "./db_tenants.ts";
import { ApiError, type ErrorCode } from "./protocol.ts";

Deno.env.set("DENO_KV_PATH", ":memory:");

function withToken(token?: string) {
  const headers: HeadersInit = token
    ? { authorization: `Bearer ${token}` }
    : {};
  return new Request("http://localhost/api", { method: "POST", headers });
}

function isApiError(code: ErrorCode) {
  return (err: unknown) => err instanceof ApiError && err.code === code;
}

Deno.test("a session's token proves its user", async () => {
  try {
    const { token, user } = await createSession("demo", "Ada");
    assert.equal(user.name, "Ada");
    assert.equal((await getUser("demo", user.id))?.name, "Ada");
    const identity = await requireIdentity(withToken(token), "demo");
    assert.deepEqual(identity, { tenant: "demo", id: user.id, name: "Ada" });
    const claims = await verifyToken(token);
    assert.equal(claims?.exp! - claims?.iat!, SESSION_TTL_MS);
  } finally {
    await closeKv();
  }
});

Deno.test("missing, forged and expired tokens are refused", async () => {
  try {
    const { token } = await createSession("demo", "Ada");
    const [payload, signature] = token.split(".");
    const forgedClaims = btoa(JSON.stringify({
      tenant: "demo",
      userId: "someone-else",
      name: "Eve",
      iat: 0,
      exp: Date.now() + 1000,
    })).replace(/=+$/, "");
    const bad = [
      undefined,
      "garbage",
      `${forgedClaims}.${signature}`,
      `${payload}.${signature.slice(0, -2)}`,
      `${payload}.x`,
      `${token}.extra`,
    ];
    for (const candidate of bad) {
      await assert.rejects(
        requireIdentity(withToken(candidate), "demo"),
        isApiError("unauthorized"),
        String(candidate),
      );
    }
    const now = Date.now();
    const expired = await signToken({
      tenant: "demo",
      userId: "u",
      name: "Old",
      iat: now - 2000,
      exp: now - 1000,
    });
    assert.equal(await verifyToken(expired), null);
  } finally {
    await closeKv();
  }
});

Deno.test("a token of one tenant is forbidden on another", async () => {
  try {
    const { token } = await createSession("demo", "Ada");
    await assert.rejects(
      requireIdentity(withToken(token), "acme"),
      isApiError("forbidden"),
    );
  } finally {
    await closeKv();
  }
});

Deno.test("the moderator claim survives verification", async () => {
  try {
    const now = Date.now();
    const token = await signToken({
      tenant: "demo",
      userId: "m",
      name: "Mod",
      iat: now,
      exp: now + 60_000,
      moderator: true,
    });
    const identity = await requireIdentity(withToken(token), "demo");
    assert.equal(identity.moderator, true);
  } finally {
    await closeKv();
  }
});

Deno.test("the generated secret is stored once and reused", async () => {
  try {
    const { token } = await createSession("demo", "Ada");
    const kv = await getKv();
    const secret = await kv.get<string>(["secrets", "session"]);
    assert.equal(typeof secret.value, "string");
    assert.ok(secret.value!.length >= 32);
    assert.notEqual(await verifyToken(token), null);
  } finally {
    await closeKv();
  }
});
