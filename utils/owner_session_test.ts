import assert from "node:assert/strict";
import { closeKv } from "./db_kv.ts";
import type { Tenant } from "./db_tenants.ts";
import { requireIdentity, signToken, verifyToken } from "./auth.ts";
import { ApiError } from "./validation.ts";
import {
  hasOwnerSession,
  OWNER_COOKIE,
  OWNER_SESSION_MS,
  ownerSessionCookie,
} from "./owner_session.ts";

Deno.env.set("DENO_KV_PATH", ":memory:");

const acme: Tenant = {
  id: "acme",
  name: "Acme",
  origins: [],
  createdAt: 0,
  adminKeyHash: "a".repeat(64),
};

function withCookie(cookie: string | null): Request {
  const headers: HeadersInit = cookie ? { cookie } : {};
  return new Request("http://tack.test/dashboard/acme", { headers });
}

/** The `name=value` part of a Set-Cookie value, as a browser sends it back. */
function sentBack(setCookie: string): string {
  return setCookie.split(";")[0];
}

Deno.test("the owner cookie is HttpOnly, SameSite=Strict and limited to the dashboard", async () => {
  try {
    const cookie = await ownerSessionCookie(acme, "http://tack.test/x");
    assert.ok(cookie);
    assert.ok(cookie.startsWith(`${OWNER_COOKIE}=`));
    const attributes = cookie.split("; ").slice(1);
    assert.deepEqual(attributes, [
      "Path=/dashboard/acme",
      `Max-Age=${OWNER_SESSION_MS / 1000}`,
      "HttpOnly",
      "SameSite=Strict",
    ]);
    const secure = await ownerSessionCookie(acme, "https://tack.test/x");
    assert.ok(secure?.endsWith("; Secure"));
    const keyless = await ownerSessionCookie(
      { ...acme, adminKeyHash: undefined },
      "http://tack.test/x",
    );
    assert.equal(keyless, null);
  } finally {
    await closeKv();
  }
});

Deno.test("an owner session holds for its tenant and admin key until it expires", async () => {
  try {
    const now = Date.now();
    const cookie = sentBack(
      (await ownerSessionCookie(acme, "http://tack.test/", now))!,
    );
    const req = withCookie(`theme=dark; ${cookie}`);
    assert.equal(await hasOwnerSession(req, acme, now), true);
    assert.equal(
      await hasOwnerSession(req, { ...acme, id: "other" }, now),
      false,
      "another tenant",
    );
    assert.equal(
      await hasOwnerSession(
        req,
        { ...acme, adminKeyHash: "b".repeat(64) },
        now,
      ),
      false,
      "a rotated admin key",
    );
    assert.equal(
      await hasOwnerSession(req, acme, now + OWNER_SESSION_MS + 1),
      false,
      "expired",
    );
    assert.equal(await hasOwnerSession(withCookie(null), acme, now), false);
    assert.equal(
      await hasOwnerSession(withCookie(`${cookie}x`), acme, now),
      false,
      "forged",
    );
  } finally {
    await closeKv();
  }
});

Deno.test("owner sessions and API sessions do not stand in for each other", async () => {
  try {
    const now = Date.now();
    const ownerToken = sentBack(
      (await ownerSessionCookie(acme, "http://tack.test/", now))!,
    ).slice(OWNER_COOKIE.length + 1);
    const asBearer = new Request("http://tack.test/api/v1/acme/image-chats", {
      headers: { authorization: `Bearer ${ownerToken}` },
    });
    await assert.rejects(
      requireIdentity(asBearer, "acme"),
      (error) => error instanceof ApiError && error.code === "unauthorized",
    );
    // An API session with the owner's user id is no owner session either.
    const { scope: _, ...apiClaims } = (await verifyToken(ownerToken, now))!;
    const apiToken = await signToken(apiClaims);
    assert.equal(
      await hasOwnerSession(
        withCookie(`${OWNER_COOKIE}=${apiToken}`),
        acme,
        now,
      ),
      false,
    );
  } finally {
    await closeKv();
  }
});
