/**
 * Embedding Tack on another site: `static/embed.js` turns placeholders into
 * iframes that size themselves, `Tack.imageChat(img, …)` mounts on the host
 * page's own image and `Tack.collabChat(element, …)` on its own text. The
 * host pages are served from a second origin, one the `demo` tenant allows to
 * frame its embeds (a page without an origin, such as `about:blank`, is
 * refused by the embeds' `frame-ancestors`).
 */

import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import { createSession, startServer } from "../_server.ts";
import { launchBrowser, selectText } from "./_browser.ts";

const PASSAGE = "Gulls followed the ferry all the way across the bay.";

/** The host's own article, for `Tack.collabChat`. */
const ARTICLE = `<article id="article" style="max-width:640px">
    <h2>Field notes</h2>
    <p>We left at dawn. ${PASSAGE} Nobody fed them.</p>
    <p>On the far shore, <a href="#harbour">the harbour</a> was still asleep.</p>
  </article>`;

/** A working placeholder beside one without its tenant. */
const MISCONFIGURED = `
  <div style="width:600px" data-tack-image-chat data-tenant="demo"
       data-url-id="embed-ok" data-src="/sample-image.svg"></div>
  <div style="width:600px" data-tack-image-chat
       data-url-id="embed-no-tenant" data-src="/sample-image.svg"></div>`;

function hostPage(tack: string, path: string): string {
  const body = path === "/article"
    ? ARTICLE
    : path === "/misconfigured"
    ? MISCONFIGURED
    : `
  <div id="placeholder" style="width:600px" data-tack-image-chat data-tenant="demo"
       data-url-id="embed-frame" data-src="/sample-image.svg"></div>
  <div id="text-placeholder" style="width:600px" data-tack-collab-chat
       data-tenant="demo" data-url-id="embed-text-frame"></div>
  <img id="photo" src="${tack}/sample-image.svg" alt="Lake" style="width:480px">`;
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>A blog post</title></head>
<body style="margin:0;background:#fff">
  <h1>My trip</h1>
  ${body}
  <script src="${tack}/embed.js"></script>
</body>
</html>`;
}

/** Serves the host pages on their own port (their own origin). */
function serveHost(tack: string) {
  return Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    (req) =>
      new Response(hostPage(tack, new URL(req.url).pathname), {
        headers: { "content-type": "text/html; charset=utf-8" },
      }),
  );
}

async function openHostPage(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage({
    viewport: { width: 1000, height: 900 },
  });
  page.setDefaultTimeout(10_000);
  await page.goto(url);
  return page;
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

/** Waits until the host page's viewer count reads `count`. */
function waitForViewers(page: Page, count: string) {
  return page.waitForFunction(
    (count) =>
      document.querySelector("[data-testid=user-count]")?.textContent ===
        count,
    count,
  );
}

Deno.test("embed.js: iframes that size themselves, and a mount on the host's own image", async (t) => {
  const server = await startServer();
  const host = serveHost(server.url);
  const browser = await launchBrowser();
  try {
    const page = await openHostPage(
      browser,
      `http://127.0.0.1:${host.addr.port}/`,
    );

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
      "the Collab Chat placeholder's iframe goes live and is exactly as tall as its document",
      async () => {
        const frameEl = page.locator("#text-placeholder iframe");
        await frameEl.waitFor();
        const src = new URL((await frameEl.getAttribute("src"))!);
        assert.equal(src.origin, server.url);
        assert.equal(src.pathname, "/embed/text");
        assert.equal(src.searchParams.get("urlId"), "embed-text-frame");
        // Embed iframes load lazily: only once the reader scrolls near them.
        await frameEl.scrollIntoViewIfNeeded();
        const frame = page.frameLocator("#text-placeholder iframe");
        await frame.locator("[data-testid=text-chat] h1").waitFor();
        await frame.locator("[data-testid=user-count]", { hasText: "1" })
          .waitFor();
        const inner = page.frame({ url: /\/embed\/text/ })!;
        // The frame's viewport is its iframe: once sized, the document
        // neither overflows it nor leaves space below its content.
        await inner.waitForFunction(() => {
          const content = document.documentElement.getBoundingClientRect();
          return innerHeight > 1000 &&
            Math.abs(document.documentElement.scrollHeight - innerHeight) <=
              2 &&
            Math.abs(content.height - innerHeight) <= 2;
        });
        const [outside, inside] = await Promise.all([
          frameEl.evaluate((el) => el.getBoundingClientRect().height),
          inner.evaluate(() => document.documentElement.scrollHeight),
        ]);
        assert.ok(Math.abs(outside - inside) <= 2, `${outside} vs ${inside}`);
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

Deno.test("Tack.collabChat: discussions on the host's own article, live, and a clean unmount", async (t) => {
  const server = await startServer();
  const host = serveHost(server.url);
  const browser = await launchBrowser();
  const mount = (page: Page) =>
    page.evaluate(async () => {
      const article = document.getElementById("article")!;
      // deno-lint-ignore no-explicit-any
      const tack = (globalThis as any).Tack;
      article.dataset.original = article.outerHTML;
      // deno-lint-ignore no-explicit-any
      (globalThis as any).articleChat = await tack.collabChat(article, {
        tenant: "demo",
        urlId: "embed-article",
      });
    });
  try {
    const url = `http://127.0.0.1:${host.addr.port}/article`;
    // Each page has its own browser context: two readers.
    const a = await openHostPage(browser, url);
    const b = await openHostPage(browser, url);

    await t.step(
      "both readers mount it on the article, with Tack's styles",
      async () => {
        await mount(a);
        await mount(b);
        await a.locator("#article[data-testid=text-chat]").waitFor();
        const sheets = await a.locator("link[data-tack-styles]").evaluateAll(
          (links) => links.map((link) => (link as HTMLLinkElement).href),
        );
        assert.deepEqual(sheets, [
          `${server.url}/tack.css`,
          `${server.url}/collab.css`,
        ]);
        await waitForViewers(a, "2");
        await waitForViewers(b, "2");
      },
    );

    await t.step(
      "a discussion started on a selection is highlighted for the other reader",
      async () => {
        await selectText(a, "#article", PASSAGE);
        await a.locator("[data-testid=start-discussion]").click();
        const composer = a.locator("[data-testid=composer]");
        await composer.locator("textarea").fill("Were they after the fish?");
        await composer.locator("[data-testid=submit]").click();
        await a.locator("[data-testid=chat-window]").waitFor();

        const marks = b.locator("#article [data-testid=highlight]");
        await marks.first().waitFor();
        assert.equal((await marks.allTextContents()).join(""), PASSAGE);
        await marks.first().click();
        await b.locator("[data-testid=chat-window] [data-testid=comment]", {
          hasText: "Were they after the fish?",
        }).waitFor();
        await b.keyboard.press("Escape");
      },
    );

    await t.step("unmounting puts the article back as it was", async () => {
      const restored = await b.evaluate(() => {
        // deno-lint-ignore no-explicit-any
        (globalThis as any).articleChat.unmount();
        const article = document.getElementById("article")!;
        const original = article.dataset.original;
        delete article.dataset.original;
        return article.outerHTML === original &&
          document.querySelector(
              "[data-testid=top-bar], [data-testid=highlight]",
            ) === null;
      });
      assert.equal(restored, true);
      await waitForViewers(a, "1");
    });
  } finally {
    await browser.close();
    await host.shutdown();
    await server.stop();
  }
});

Deno.test("embed.js: an embed that does not start is reported in the console, a working one is not", async () => {
  const server = await startServer();
  const host = serveHost(server.url);
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    const warnings: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "warning") warnings.push(message.text());
    });
    const warned = page.waitForEvent("console", {
      predicate: (message) => message.text().startsWith("Tack:"),
      timeout: 20_000,
    });
    await page.goto(`http://127.0.0.1:${host.addr.port}/misconfigured`);
    await warned;
    // Both frames loaded together; give the working one's check its time.
    await page.waitForTimeout(1_000);
    const tack = warnings.filter((text) => text.startsWith("Tack:"));
    assert.equal(tack.length, 1, tack.join("\n"));
    assert.match(tack[0], /tenant ""/);
    assert.match(
      tack[0],
      new RegExp(`Is http://127\\.0\\.0\\.1:${host.addr.port} one of`),
    );
  } finally {
    await browser.close();
    await host.shutdown();
    await server.stop();
  }
});
