import assert from "node:assert/strict";
import { requireIdentity } from "./auth.ts";
import {
  applySettingsForm,
  doneMessage,
  readSettings,
} from "./dashboard_settings.ts";
import { closeKv } from "./db_kv.ts";
import { isBanned, isRoomLocked } from "./db_moderation.ts";
import {
  getSessionsRevokedAt,
  getTenant,
  provisionTenant,
} from "./db_tenants.ts";
import { ApiError } from "./validation.ts";

Deno.env.set("DENO_KV_PATH", ":memory:");

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.set(name, value);
  return data;
}

Deno.test("only known confirmations are shown", () => {
  assert.equal(doneMessage("banned"), "User banned.");
  assert.equal(doneMessage("<b>x</b>"), null);
  assert.equal(doneMessage("toString"), null);
  assert.equal(doneMessage(null), null);
});

Deno.test("origins are saved normalized, or the input comes back with every problem", async () => {
  try {
    await provisionTenant({ id: "acme", origins: ["https://old.example"] });
    const saved = await applySettingsForm(
      "acme",
      form({
        action: "origins",
        origins: "HTTPS://Acme.example/\r\n\r\nhttp://localhost:*\n",
      }),
    );
    assert.deepEqual(saved, { kind: "done", done: "origins" });
    assert.deepEqual((await getTenant("acme"))?.origins, [
      "https://acme.example",
      "http://localhost:*",
    ]);

    const text = "https://ok.example\nftp://no.example\nhttps://x.example/path";
    const invalid = await applySettingsForm(
      "acme",
      form({ action: "origins", origins: text }),
    );
    assert.equal(invalid.kind, "invalid");
    if (invalid.kind !== "invalid") return;
    assert.equal(invalid.origins, text);
    assert.match(invalid.message, /"ftp:\/\/no\.example" is not an origin/);
    assert.match(invalid.message, /"https:\/\/x\.example\/path" is not/);
    assert.deepEqual(
      (await getTenant("acme"))?.origins,
      ["https://acme.example", "http://localhost:*"],
      "nothing saved",
    );
  } finally {
    await closeKv();
  }
});

Deno.test("bans, locks and revocations go through the moderation store", async () => {
  try {
    const run = (fields: Record<string, string>) =>
      applySettingsForm("demo", form(fields));
    assert.deepEqual(await run({ action: "ban", userId: " sso:42 " }), {
      kind: "done",
      done: "banned",
    });
    assert.equal(await isBanned("demo", "sso:42"), true);
    assert.deepEqual(await run({ action: "lock", urlId: "room <1>" }), {
      kind: "done",
      done: "locked",
    });
    assert.equal(await isRoomLocked("demo", "room <1>"), true);
    const settings = await readSettings("demo");
    assert.deepEqual(settings?.bans.map((ban) => [ban.userId, ban.by]), [
      ["sso:42", "admin"],
    ]);
    assert.deepEqual(settings?.locks.map((lock) => lock.urlId), ["room <1>"]);

    await run({ action: "unban", userId: "sso:42" });
    await run({ action: "unlock", urlId: "room <1>" });
    assert.equal(await isBanned("demo", "sso:42"), false);
    assert.equal(await isRoomLocked("demo", "room <1>"), false);

    assert.deepEqual(await run({ action: "revoke", userId: "sso:7" }), {
      kind: "done",
      done: "revoked",
    });
    assert.notEqual(await getSessionsRevokedAt("demo", "sso:7"), null);

    const empty = await run({ action: "ban", userId: "  " });
    assert.deepEqual(empty, {
      kind: "invalid",
      action: "ban",
      message: `"userId" must not be empty.`,
    });
    assert.equal((await readSettings("demo"))?.bans.length, 0);
    await assert.rejects(
      run({ action: "explode" }),
      (err) => err instanceof ApiError && err.code === "bad_request",
    );
  } finally {
    await closeKv();
  }
});

Deno.test("rotating the admin key voids the old one; the SSO secret changes alone", async () => {
  try {
    const { adminKey, ssoSecret } = await provisionTenant({ id: "acme" });
    const bearer = (key: string) =>
      new Request("http://tack.test/", {
        headers: { authorization: `Bearer ${key}` },
      });
    const rotated = await applySettingsForm(
      "acme",
      form({ action: "rotate-admin-key" }),
    );
    assert.equal(rotated.kind, "rotated");
    if (rotated.kind !== "rotated") return;
    assert.equal(rotated.secret, "adminKey");
    await assert.rejects(requireIdentity(bearer(adminKey), "acme"));
    assert.equal(
      (await requireIdentity(bearer(rotated.value), "acme")).moderator,
      true,
    );
    assert.equal((await getTenant("acme"))?.ssoSecret, ssoSecret);

    const sso = await applySettingsForm(
      "acme",
      form({ action: "rotate-sso-secret" }),
    );
    assert.equal(sso.kind, "rotated");
    if (sso.kind !== "rotated") return;
    assert.notEqual(sso.value, ssoSecret);
    assert.equal((await getTenant("acme"))?.ssoSecret, sso.value);
    assert.equal(
      (await requireIdentity(bearer(rotated.value), "acme")).id,
      "admin",
    );
  } finally {
    await closeKv();
  }
});
