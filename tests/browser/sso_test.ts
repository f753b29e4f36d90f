/**
 * Signed single sign-on in Chromium. A site's backend signs its users with
 * the tenant's SSO secret; here the host pages do, per request, as such a
 * backend would. A user signed in by the site writes in the iframe embed
 * (the payload reaches it by `postMessage` from `embed.js`) without being
 * asked for a name, under the site's name; a moderator of the site, on a
 * `Tack.imageChat(img, { sso })` mount, deletes that user's comment and
 * marker, and may not edit them; on a `Tack.collabChat` mount, another
 * user's discussion.
 */

import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import { createSession, startServer } from "../_server.ts";
import { rotateTenantKeys } from "../_tenant.ts";
import { signSso } from "../../utils/sso.ts";
import { describe } from "../../utils/anchoring.ts";
import { launchBrowser, windowComments } from "./_browser.ts";

const SSO_SECRET = "sso-browser-test-secret";
const ROOM = "site-users-room";
const ADA = { id: "ada-1", name: "Ada Site" };
const MODERATOR = { id: "mod-1", name: "Mo Derator", moderator: true };
const PASSAGE = "The ferry left at dawn.";

const escapeAttribute = (text: string) =>
  text.replaceAll("&", "&amp;").replaceAll('"', "&quot;");

/** The host site's pages, each with a freshly signed payload. */
async function hostPage(tack: string, path: string): Promise<string> {
  if (path === "/article") {
    return page(`<article id="article"><p>${PASSAGE} The end.</p></article>
       <script src="${tack}/embed.js"></script>
       <script>
         Tack.collabChat(document.getElementById("article"), {
           tenant: "demo",
           urlId: "${ROOM}",
           sso: ${JSON.stringify(await signSso(SSO_SECRET, MODERATOR))},
         });
       </script>`);
  }
  const body = path === "/embed"
    ? `<div id="placeholder" style="width:600px" data-tack-image-chat
         data-tenant="demo" data-url-id="${ROOM}" data-src="/sample-image.svg"
         data-sso="${
      escapeAttribute(JSON.stringify(await signSso(SSO_SECRET, ADA)))
    }"></div>
       <script src="${tack}/embed.js"></script>`
    : `<img id="photo" src="${tack}/sample-image.svg" alt="Lake" style="width:600px">
       <script src="${tack}/embed.js"></script>
       <script>
         Tack.imageChat(document.getElementById("photo"), {
           tenant: "demo",
           urlId: "${ROOM}",
           sso: ${JSON.stringify(await signSso(SSO_SECRET, MODERATOR))},
         });
       </script>`;
  return page(body);
}

function page(body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>A site with accounts</title></head>
<body style="margin:0;background:#fff">${body}</body>
</html>`;
}

/** Serves the host pages on their own port (their own origin). */
function serveHost(tack: string) {
  return Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    async (req) =>
      new Response(await hostPage(tack, new URL(req.url).pathname), {
        headers: { "content-type": "text/html; charset=utf-8" },
      }),
  );
}

async function openPage(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage({
    viewport: { width: 1000, height: 900 },
  });
  page.setDefaultTimeout(10_000);
  await page.goto(url);
  return page;
}

Deno.test("SSO: a site's user writes without a name prompt, and a site's moderator deletes their writes", async (t) => {
  const server = await startServer();
  await rotateTenantKeys(server, "demo", SSO_SECRET);
  const host = serveHost(server.url);
  const hostUrl = `http://127.0.0.1:${host.addr.port}`;
  const browser = await launchBrowser();
  try {
    const adaPage = await openPage(browser, `${hostUrl}/embed`);
    const ada = adaPage.frameLocator("#placeholder iframe");

    await t.step(
      "the embed gets the payload by message and asks no name",
      async () => {
        // The iframe URL carries no payload: it never reaches server logs.
        const src = await adaPage.locator("#placeholder iframe").getAttribute(
          "src",
        );
        assert.ok(src, "the placeholder has an iframe");
        assert.deepEqual(
          [...new URL(src).searchParams.keys()].sort(),
          ["src", "tenant", "urlId"],
        );
        // Live (so hydrated) before the first click: the server renders a
        // count of 0, and only the live socket raises it.
        await ada.locator("[data-testid=user-count]", { hasNotText: "0" })
          .waitFor();
        await ada.locator("[data-testid=image-chat] .tack-layer").click({
          position: { x: 200, y: 120 },
        });
        const composer = ada.locator("[data-testid=composer]");
        await composer.waitFor();
        // Shown at most until the payload arrives, then gone for good.
        await composer.locator(".tack-name").waitFor({ state: "detached" });
        await composer.locator("textarea").fill("Signed in by the site");
        await composer.locator("[data-testid=submit]").click();
        await windowComments(ada).first().waitFor();
        assert.equal(
          await windowComments(ada).first().locator(".tack-author")
            .textContent(),
          ADA.name,
        );
        const reply = ada.locator(
          "[data-testid=chat-window] [data-testid=reply]",
        );
        assert.equal(await reply.locator(".tack-name").count(), 0);
        await reply.locator("textarea").fill("And a second thought");
        await reply.locator("textarea").press("Enter");
        await windowComments(ada).nth(1).locator("[data-testid=edit-comment]")
          .waitFor();
        // Her own: she may edit it, and delete the marker she made.
        assert.equal(await ada.locator("[data-testid=delete-chat]").count(), 1);
      },
    );

    const modPage = await openPage(browser, `${hostUrl}/mount`);

    await t.step(
      "a moderator may delete, not edit, another user's comment",
      async () => {
        await modPage.locator("[data-testid=marker]").first().click();
        await windowComments(modPage).nth(1).waitFor();
        // The delete actions appear once the moderator's session is in.
        await modPage.locator("[data-testid=delete-chat]").waitFor();
        const second = windowComments(modPage).nth(1);
        assert.match(await second.textContent() ?? "", /a second thought/);
        assert.equal(
          await windowComments(modPage).locator("[data-testid=edit-comment]")
            .count(),
          0,
        );
        await second.locator("[data-testid=delete-comment]").click();
        await windowComments(ada).nth(1).waitFor({ state: "detached" });
        assert.equal(await windowComments(modPage).count(), 1);
      },
    );

    await t.step(
      "a moderator deletes another user's marker, live for both",
      async () => {
        await modPage.locator("[data-testid=delete-chat]").click();
        await modPage.locator("[data-testid=confirm-delete-chat]").click();
        await ada.locator("[data-testid=marker]").waitFor({
          state: "detached",
        });
        assert.equal(await modPage.locator("[data-testid=marker]").count(), 0);
      },
    );

    await t.step(
      "in Collab Chat too, a moderator deletes another user's discussion",
      async () => {
        const modArticle = await openPage(browser, `${hostUrl}/article`);
        await modArticle.locator("[data-testid=user-count]", {
          hasNotText: "0",
        }).waitFor();
        const text = await modArticle.locator("#article").evaluate((el) =>
          el.textContent ?? ""
        );
        const start = text.indexOf(PASSAGE);
        const bob = await createSession(server.url, "demo", "Bob");
        const res = await fetch(`${server.url}/api/v1/demo/text-chats`, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            authorization: `Bearer ${bob.token}`,
          },
          body: JSON.stringify({
            urlId: ROOM,
            anchor: describe(text, start, start + PASSAGE.length),
            text: "Which ferry?",
            broadcastId: crypto.randomUUID(),
          }),
        });
        assert.equal(res.status, 201, await res.text());
        await modArticle.locator("[data-testid=highlight]").first().click();
        await windowComments(modArticle).first().waitFor();
        await modArticle.locator("[data-testid=delete-chat]").waitFor();
        const comment = windowComments(modArticle).first();
        assert.equal(
          await comment.locator("[data-testid=edit-comment]").count(),
          0,
        );
        assert.equal(
          await comment.locator("[data-testid=delete-comment]").count(),
          1,
        );
        await modArticle.locator("[data-testid=delete-chat]").click();
        await modArticle.locator("[data-testid=confirm-delete-chat]").click();
        await modArticle.locator("[data-testid=highlight]").waitFor({
          state: "detached",
        });
      },
    );
  } finally {
    await browser.close();
    await host.shutdown();
    await server.stop();
  }
});
