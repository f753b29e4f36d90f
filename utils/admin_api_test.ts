import assert from "node:assert/strict";
import {
  deleteBan,
  getBans,
  postBan,
  postRevokeSessions,
  postRoomLock,
} from "./admin_api.ts";
import { createSession } from "./auth.ts";
import { closeKv } from "./db.ts";
import { isBanned, isRoomLocked } from "./db_moderation.ts";
import { getSessionsRevokedAt, provisionTenant } from "./db_tenants.ts";
import { type ErrorCode } from "./protocol.ts";
import { ApiError } from "./validation.ts";

Deno.env.set("DENO_KV_PATH", ":memory:");

function call(method: string, body: unknown, token: string) {
  return new Request("http://localhost/api/v1/acme/admin", {
    method,
    headers: { authorization: `Bearer ${token}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

function isApiError(code: ErrorCode, field?: string) {
  return (err: unknown) =>
    err instanceof ApiError && err.code === code &&
    (field === undefined || err.field === field);
}

Deno.test("the admin key locks rooms, bans users and revokes sessions", async () => {
  try {
    const { adminKey } = await provisionTenant({ id: "acme" });
    const locked = await postRoomLock(
      call("POST", { urlId: "r", locked: true }, adminKey),
      "acme",
    );
    assert.deepEqual(await locked.json(), { urlId: "r", locked: true });
    assert.equal(await isRoomLocked("acme", "r"), true);

    const banned = await postBan(
      call("POST", { userId: "u1" }, adminKey),
      "acme",
    );
    assert.equal(banned.status, 201);
    assert.equal(await isBanned("acme", "u1"), true);
    const list = await (await getBans(call("GET", undefined, adminKey), "acme"))
      .json();
    assert.deepEqual(list.bans.map((b: { userId: string }) => b.userId), [
      "u1",
    ]);
    await deleteBan(call("DELETE", { userId: "u1" }, adminKey), "acme");
    assert.equal(await isBanned("acme", "u1"), false);

    const revoked = await postRevokeSessions(
      call("POST", { userId: "u2" }, adminKey),
      "acme",
    );
    const { revokedAt } = await revoked.json();
    assert.equal(await getSessionsRevokedAt("acme", "u2"), revokedAt);
  } finally {
    await closeKv();
  }
});

Deno.test("admin requests need a moderator and well-formed bodies", async () => {
  try {
    const { adminKey } = await provisionTenant({ id: "acme" });
    const { token } = await createSession("acme", "Ada");
    await assert.rejects(
      postBan(call("POST", { userId: "u1" }, token), "acme"),
      isApiError("forbidden"),
    );
    await assert.rejects(
      postRoomLock(
        call("POST", { urlId: "r", locked: "yes" }, adminKey),
        "acme",
      ),
      isApiError("bad_request", "locked"),
    );
    await assert.rejects(
      postBan(call("POST", { userId: "" }, adminKey), "acme"),
      isApiError("bad_request", "userId"),
    );
    assert.equal(await isBanned("acme", "u1"), false);
  } finally {
    await closeKv();
  }
});
