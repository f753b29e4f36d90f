/**
 * Embedding Tack on another site: `static/embed.js` turns a placeholder into
 * a self-sizing iframe, and `Tack.imageChat(img, …)` mounts on the host
 * page's own image. The host page is served from a second origin.
 */

import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { createSession, startServer } from "../_server.ts";
import { launchBrowser } from "./_browser.ts";

function hostPage(tack: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>A blog post</title></head>
<body style="margin:0;background:#fff">
  <h1>My trip</h1>
  <div id="placeholder" style="width:600px" data-tack-image-chat data-tenant="demo"
       data-url-id="embed-frame" data-src="/sample-image.svg"></div>
  <img id="photo" src="${tack}/sample-image.svg" alt="Lake" style="width:480px">
  <script src="${tack}/embed.js"></script>
</body>
</html>`;
}

/** Serves the host page on its own port (its own origin). */
function serveHost(tack: string) {
  return Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    () =>
      new Response(hostPage(tack), {
        headers: { "content-type": "text/html; charset=utf-8" },
      }),
  );
}

async function addMarker(tack: string, urlId: string, text: string) {
  const { token } = await createSession(tack, "demo", "Ada");
  const res = await fetch(`${tack}/api/v1/demo/image-chats`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: `Bearer ${token}`,
    },
    body: JSON.stringify({
      urlId,
      src: "/sample-image.svg",
      x: 40,
      y: 60,
      text,
      broadcastId: crypto.randomUUID(),
    }),
  });
  assert.equal(res.status, 201, await res.text());
}

Deno.test("embed.js: an iframe that sizes itself, and a mount on the host's own image", async (t) => {
  const server = await startServer();
  const host = serveHost(server.url);
  const browser = await launchBrowser();
  try {
    const page: Page = await browser.newPage({
      viewport: { width: 1000, height: 900 },
    });
    page.setDefaultTimeout(10_000);
    await page.goto(`http://127.0.0.1:${host.addr.port}/`);

    await t.step(
      "the placeholder becomes a transparent iframe as tall as its content",
      async () => {
        const frameEl = page.locator("#placeholder iframe");
        await frameEl.waitFor();
        const src = new URL((await frameEl.getAttribute("src"))!);
        assert.equal(src.origin, server.url);
        assert.equal(src.pathname, "/embed/image");
        assert.equal(src.searchParams.get("urlId"), "embed-frame");
        // The sample image is 3:2, so 600 px wide is 400 px tall.
        await page.waitForFunction(() => {
          const frame = document.querySelector("#placeholder iframe");
          return frame &&
            Math.abs(frame.getBoundingClientRect().height - 400) <= 2;
        });
        const frame = page.frameLocator("#placeholder iframe");
        await frame.locator("[data-testid=image-chat] img").waitFor();
        const background = await frame.locator("body").evaluate((body) =>
          getComputedStyle(body).backgroundColor
        );
        assert.equal(background, "rgba(0, 0, 0, 0)");
        // No site frame inside the embed.
        assert.equal(await frame.locator(".site-header").count(), 0);
      },
    );

    await t.step(
      "Tack.imageChat mounts on the host's <img> and goes live",
      async () => {
        await page.evaluate(() =>
          // deno-lint-ignore no-explicit-any
          (globalThis as any).Tack.imageChat(document.getElementById("photo"), {
            tenant: "demo",
            urlId: "embed-host",
          })
        );
        const root = page.locator("[data-testid=image-chat]:has(> #photo)");
        await root.waitFor();
        await root.locator("[data-testid=user-count]", { hasText: "1" })
          .waitFor();
        await addMarker(server.url, "embed-host", "Seen from the host page");
        await root.locator("[data-testid=marker]").waitFor();
        await root.locator("[data-testid=marker]").click();
        await page.locator("[data-testid=chat-window] [data-testid=comment]", {
          hasText: "Seen from the host page",
        }).waitFor();
      },
    );
  } finally {
    await browser.close();
    await host.shutdown();
    await server.stop();
  }
});
