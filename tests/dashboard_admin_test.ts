/**
 * The owner's dashboard as a browser without JavaScript uses it: the admin
 * key turns into a session cookie, and the settings' forms change what the
 * JSON API enforces, from Tack's own origin only.
 */

import assert from "node:assert/strict";
import { marker, sendApi } from "./_api.ts";
import {
  createSession,
  dumpKv,
  startServer,
  type TestServer,
} from "./_server.ts";
import { rotateTenantKeys } from "./_tenant.ts";

const TENANT = "acme";
const PAGE = `/dashboard/${TENANT}`;

/** Opens the dashboard with the key; returns the cookie to send back. */
async function signIn(server: TestServer, key: string): Promise<string> {
  const res = await fetch(`${server.url}${PAGE}?key=${key}`, {
    redirect: "manual",
  });
  await res.body?.cancel();
  assert.equal(res.status, 303);
  const setCookie = res.headers.get("set-cookie");
  assert.ok(setCookie, "a session cookie");
  return setCookie.split(";")[0];
}

/** Submits a settings form as the dashboard page would. */
async function submit(
  server: TestServer,
  fields: Record<string, string>,
  headers: Record<string, string>,
): Promise<Response> {
  return await fetch(`${server.url}${PAGE}`, {
    method: "POST",
    headers,
    body: new URLSearchParams(fields),
    redirect: "manual",
  });
}

/** A form the owner submits from the dashboard: its own origin, its cookie. */
async function ownerSubmit(
  server: TestServer,
  cookie: string,
  fields: Record<string, string>,
): Promise<Response> {
  return await submit(server, fields, { origin: server.url, cookie });
}

/** Submits a form that must end in a redirect with `done`. */
async function change(
  server: TestServer,
  cookie: string,
  fields: Record<string, string>,
  done: string,
) {
  const res = await ownerSubmit(server, cookie, fields);
  await res.body?.cancel();
  assert.equal(res.status, 303, JSON.stringify(fields));
  assert.equal(res.headers.get("location"), `${PAGE}?done=${done}#settings`);
}

/** A new marker by `token` in `urlId`, sent from `origin` if given. */
async function write(
  server: TestServer,
  token: string,
  urlId: string,
  origin?: string,
): Promise<number> {
  const headers: Record<string, string> = origin ? { origin } : {};
  const res = await sendApi(
    server,
    "POST",
    `${TENANT}/image-chats`,
    marker(urlId),
    token,
    headers,
  );
  return res.status;
}

async function withTenant(
  run: (server: TestServer, adminKey: string) => Promise<void>,
) {
  const server = await startServer();
  try {
    await run(server, await rotateTenantKeys(server, TENANT, "sso-secret"));
  } finally {
    await server.stop();
  }
}

Deno.test("the admin key starts an owner session and leaves the address bar", async () => {
  await withTenant(async (server, adminKey) => {
    const res = await fetch(
      `${server.url}${PAGE}?key=${adminKey}&done=banned`,
      {
        redirect: "manual",
      },
    );
    await res.body?.cancel();
    assert.equal(res.status, 303);
    assert.equal(res.headers.get("location"), `${PAGE}?done=banned`);
    const setCookie = res.headers.get("set-cookie") ?? "";
    assert.match(setCookie, /^tack_owner=[\w-]+\.[\w-]+; /);
    assert.match(setCookie, /; Path=\/dashboard\/acme;/);
    assert.match(setCookie, /; HttpOnly;/);
    assert.match(setCookie, /; SameSite=Strict$/);

    const cookie = setCookie.split(";")[0];
    const page = await fetch(`${server.url}${PAGE}?done=banned`, {
      headers: { cookie },
    });
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /<h2 id="settings-title">Settings<\/h2>/);
    assert.match(html, /role="status">User banned\.<\/p>/);

    for (const key of ["tack_admin_forged", "nope"]) {
      const wrong = await fetch(`${server.url}${PAGE}?key=${key}`, {
        redirect: "manual",
      });
      await wrong.body?.cancel();
      assert.equal(wrong.status, 401, key);
      assert.equal(wrong.headers.get("set-cookie"), null);
    }
    const none = await fetch(`${server.url}${PAGE}`);
    assert.equal(none.status, 401);
    assert.ok(!(await none.text()).includes("Settings"));
  });
});

Deno.test("origins, bans, locks and revocations set on the dashboard are what the API enforces", async () => {
  await withTenant(async (server, adminKey) => {
    const cookie = await signIn(server, adminKey);
    const { token, user } = await createSession(server.url, TENANT, "Ada");
    const site = "https://new.example";
    assert.equal(await write(server, token, "room", site), 403);

    await change(server, cookie, {
      action: "origins",
      origins: `${site}/\nhttps://*.acme.example`,
    }, "origins");
    assert.equal(await write(server, token, "room", site), 201);
    const page = await (await fetch(`${server.url}${PAGE}`, {
      headers: { cookie },
    })).text();
    assert.match(
      page,
      />https:\/\/new\.example\nhttps:\/\/\*\.acme\.example<\/textarea>/,
    );

    // An invalid list is shown again with its problem, and nothing changes.
    const invalid = await ownerSubmit(server, cookie, {
      action: "origins",
      origins: "https://other.example\n<b>bad</b>",
    });
    assert.equal(invalid.status, 400);
    const shown = await invalid.text();
    assert.match(shown, /&quot;&lt;b>bad&lt;\/b>&quot; is not an origin/);
    assert.match(
      shown,
      />https:\/\/other\.example\n&lt;b>bad&lt;\/b><\/textarea>/,
    );
    assert.equal(await write(server, token, "room", site), 201);

    await change(server, cookie, {
      action: "origins",
      origins: "https://other.example",
    }, "origins");
    assert.equal(await write(server, token, "room", site), 403);

    const bans = async () => {
      const res = await sendApi(
        server,
        "GET",
        `${TENANT}/admin/bans`,
        undefined,
        adminKey,
      );
      return JSON.parse(res.text).bans.map((ban: { userId: string }) =>
        ban.userId
      );
    };
    await change(server, cookie, { action: "ban", userId: user.id }, "banned");
    assert.deepEqual(await bans(), [user.id]);
    assert.equal(await write(server, token, "room"), 403);
    await change(
      server,
      cookie,
      { action: "unban", userId: user.id },
      "unbanned",
    );
    assert.deepEqual(await bans(), []);
    assert.equal(await write(server, token, "room"), 201);

    await change(server, cookie, { action: "lock", urlId: "room" }, "locked");
    assert.equal(await write(server, token, "room"), 403);
    assert.equal(
      await write(server, adminKey, "room"),
      201,
      "moderators write",
    );
    const locked = await (await fetch(`${server.url}${PAGE}`, {
      headers: { cookie },
    })).text();
    assert.match(locked, /<span class="settings-id">room<\/span>/);
    await change(
      server,
      cookie,
      { action: "unlock", urlId: "room" },
      "unlocked",
    );
    assert.equal(await write(server, token, "room"), 201);

    await change(
      server,
      cookie,
      { action: "revoke", userId: user.id },
      "revoked",
    );
    assert.equal(await write(server, token, "room"), 401);
  });
});

Deno.test("a dashboard form from another site, or without the owner, changes nothing", async () => {
  await withTenant(async (server, adminKey) => {
    const cookie = await signIn(server, adminKey);
    const before = await dumpKv(server.kvPath);
    const forms: Record<string, string>[] = [
      { action: "ban", userId: "sso:1" },
      { action: "origins", origins: "*" },
      { action: "rotate-admin-key" },
    ];
    const attempts: [Record<string, string>, number][] = [
      [{ origin: "https://evil.example", cookie }, 403],
      [{ cookie }, 403],
      [{ origin: "null", cookie }, 403],
      [{ origin: server.url }, 401],
      [{ origin: server.url, cookie: "tack_owner=forged.token" }, 401],
    ];
    for (const fields of forms) {
      for (const [headers, status] of attempts) {
        const res = await submit(server, fields, headers);
        await res.body?.cancel();
        assert.equal(
          res.status,
          status,
          `${fields.action} ${JSON.stringify(headers)}`,
        );
      }
    }
    const notAForm = await fetch(`${server.url}${PAGE}`, {
      method: "POST",
      headers: { origin: server.url, cookie, "content-type": "text/plain" },
      body: "action=ban&userId=sso:1",
    });
    await notAForm.body?.cancel();
    assert.equal(notAForm.status, 400);
    assert.equal(await dumpKv(server.kvPath), before);
  });
});

Deno.test("a rotated admin key is shown once and ends the old key and its sessions", async () => {
  await withTenant(async (server, adminKey) => {
    const cookie = await signIn(server, adminKey);
    const res = await ownerSubmit(server, cookie, {
      action: "rotate-admin-key",
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("cache-control"), "no-store");
    const html = await res.text();
    const key =
      /<input[^>]*value="(tack_admin_[\w-]+)"[^>]*data-testid="secret"/
        .exec(html)?.[1];
    assert.ok(key, "the new key is on the page");
    assert.notEqual(key, adminKey);
    assert.match(html, /shown this once/);
    const newCookie = res.headers.get("set-cookie")?.split(";")[0];
    assert.ok(newCookie);

    const old = await fetch(`${server.url}${PAGE}?key=${adminKey}`, {
      redirect: "manual",
    });
    await old.body?.cancel();
    assert.equal(old.status, 401);
    const oldSession = await fetch(`${server.url}${PAGE}`, {
      headers: { cookie },
    });
    await oldSession.body?.cancel();
    assert.equal(oldSession.status, 401);
    const newSession = await fetch(`${server.url}${PAGE}`, {
      headers: { cookie: newCookie },
    });
    await newSession.body?.cancel();
    assert.equal(newSession.status, 200);
    await signIn(server, key);
    const bans = await sendApi(
      server,
      "GET",
      `${TENANT}/admin/bans`,
      undefined,
      key,
    );
    assert.equal(bans.status, 200);

    const sso = await ownerSubmit(server, newCookie, {
      action: "rotate-sso-secret",
    });
    assert.equal(sso.status, 200);
    assert.match(await sso.text(), /New SSO secret/);
    assert.equal(sso.headers.get("set-cookie"), null);
  });
});
