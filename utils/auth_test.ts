import assert from "node:assert/strict";
import {
  createSession,
  createSsoSession,
  requireIdentity,
  requireModerator,
  SESSION_TTL_MS,
  signToken,
  verifyToken,
} from "./auth.ts";
import { closeKv, getKv } from "./db.ts";
import { banUser } from "./db_moderation.ts";
import { getUser, provisionTenant, revokeSessions } from "./db_tenants.ts";
import { signSso } from "./sso.ts";
import { type ErrorCode } from "./protocol.ts";
import { ApiError } from "./validation.ts";

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

Deno.test("revoking a user's sessions voids older tokens only", async () => {
  try {
    const { token, user } = await createSession("demo", "Ada");
    const { iat } = (await verifyToken(token))!;
    await revokeSessions("demo", user.id, iat);
    await assert.rejects(
      requireIdentity(withToken(token), "demo"),
      (err) => isApiError("unauthorized")(err) && /revoked/.test(String(err)),
    );
    const later = await signToken({
      tenant: "demo",
      userId: user.id,
      name: "Ada",
      iat: iat + 1,
      exp: iat + 60_000,
    });
    assert.equal((await requireIdentity(withToken(later), "demo")).id, user.id);
  } finally {
    await closeKv();
  }
});

Deno.test("the admin key acts as a moderator of its own tenant only", async () => {
  try {
    const { adminKey } = await provisionTenant({ id: "acme" });
    const admin = await requireModerator(withToken(adminKey), "acme");
    assert.equal(admin.moderator, true);
    await assert.rejects(
      requireIdentity(withToken(adminKey), "demo"),
      isApiError("unauthorized"),
    );
    await assert.rejects(
      requireIdentity(withToken(adminKey + "x"), "acme"),
      isApiError("unauthorized"),
    );
    const { token } = await createSession("acme", "Ada");
    await assert.rejects(
      requireModerator(withToken(token), "acme"),
      isApiError("forbidden"),
    );
  } finally {
    await closeKv();
  }
});

Deno.test("an SSO payload becomes a namespaced session, once", async () => {
  try {
    const { ssoSecret } = await provisionTenant({ id: "acme" });
    const sso = await signSso(ssoSecret, {
      id: "42",
      name: "Ada",
      email: "ada@example.com",
      moderator: true,
    });
    const session = await createSsoSession("acme", sso);
    assert.deepEqual(session.user, { id: "sso:42", name: "Ada" });
    assert.equal(session.moderator, true);
    const identity = await requireIdentity(withToken(session.token), "acme");
    assert.equal(identity.moderator, true);
    assert.equal((await getUser("acme", "sso:42"))?.email, "ada@example.com");
    await assert.rejects(
      createSsoSession("acme", sso),
      (err) =>
        isApiError("unauthorized")(err) && /used already/.test(String(err)),
    );
    // Without a secret there is no SSO; a banned user gets no session.
    await assert.rejects(
      createSsoSession("demo", sso),
      isApiError("forbidden"),
    );
    await banUser("acme", "sso:7", "admin");
    await assert.rejects(
      createSsoSession(
        "acme",
        await signSso(ssoSecret, { id: 7, name: "Eve" }),
      ),
      isApiError("forbidden"),
    );
  } finally {
    await closeKv();
  }
});

Deno.test("verified tokens are cached until they expire; forged ones never", async () => {
  try {
    const now = Date.now();
    const token = await signToken({
      tenant: "demo",
      userId: "u1",
      name: "Ada",
      iat: now,
      exp: now + 60_000,
    });
    assert.equal((await verifyToken(token, now))?.userId, "u1");
    assert.equal((await verifyToken(token, now + 1))?.userId, "u1");
    assert.equal(await verifyToken(token, now + 60_000), null, "expired");
    const [payload] = token.split(".");
    const forged = `${payload}.${"A".repeat(43)}`;
    assert.equal(await verifyToken(forged, now), null);
    assert.equal(await verifyToken(forged, now), null, "still refused");
  } finally {
    await closeKv();
  }
});
