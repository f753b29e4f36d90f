import assert from "node:assert/strict";
import { closeKv } from "./db_kv.ts";
import { provisionTenant } from "./db_tenants.ts";
import {
  requireAdminKey,
  requireOwner,
  requireSameOrigin,
} from "./owner_access.ts";
import { ownerSessionCookie } from "./owner_session.ts";
import { type ErrorCode } from "./protocol.ts";
import { ApiError } from "./validation.ts";

Deno.env.set("DENO_KV_PATH", ":memory:");

const PAGE = "http://tack.test/dashboard/acme";
const local: Deno.NetAddr = {
  transport: "tcp",
  hostname: "127.0.0.1",
  port: 1,
};
const remote: Deno.NetAddr = {
  transport: "tcp",
  hostname: "203.0.113.9",
  port: 1,
};

function refusedWith(code: ErrorCode) {
  return (err: unknown) => err instanceof ApiError && err.code === code;
}

Deno.test("changes must come from Tack's own origin", () => {
  const post = (origin?: string) =>
    new Request(PAGE, {
      method: "POST",
      headers: origin ? { origin } : {},
    });
  requireSameOrigin(post("http://tack.test"));
  // Behind a TLS proxy the server sees http:// for an https:// page.
  requireSameOrigin(post("https://tack.test"));
  for (const origin of [undefined, "null", "https://evil.test", "junk"]) {
    assert.throws(
      () => requireSameOrigin(post(origin)),
      refusedWith("forbidden"),
      String(origin),
    );
  }
});

Deno.test("the owner is the admin key, its session, or demo from this machine", async () => {
  try {
    const { tenant, adminKey } = await provisionTenant({ id: "acme" });
    await requireAdminKey(adminKey, "acme");
    await assert.rejects(
      requireAdminKey("tack_admin_forged", "acme"),
      refusedWith("unauthorized"),
    );
    await requireOwner(new Request(`${PAGE}?key=${adminKey}`), "acme", remote);
    await requireOwner(
      new Request(PAGE, { headers: { authorization: `Bearer ${adminKey}` } }),
      "acme",
      remote,
    );
    const cookie = (await ownerSessionCookie(tenant, PAGE))!.split(";")[0];
    await requireOwner(
      new Request(PAGE, { headers: { cookie } }),
      "acme",
      remote,
    );
    // A wrong key is refused even beside a valid session.
    await assert.rejects(
      requireOwner(
        new Request(`${PAGE}?key=tack_admin_forged`, { headers: { cookie } }),
        "acme",
        remote,
      ),
      refusedWith("unauthorized"),
    );
    await assert.rejects(
      requireOwner(new Request(PAGE), "acme", local),
      refusedWith("unauthorized"),
      "only demo is open from this machine",
    );
    await requireOwner(new Request(PAGE), "demo", local);
    await assert.rejects(
      requireOwner(new Request(PAGE), "demo", remote),
      refusedWith("unauthorized"),
    );
  } finally {
    await closeKv();
  }
});
