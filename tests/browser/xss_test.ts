/**
 * User text is text: a comment, a name and a quoted passage made of markup
 * render as the characters typed in both islands, a room id made of markup
 * renders as text on the usage dashboard, user and room ids and origins typed
 * into the dashboard's settings show as text, no element is created from them
 * and no dialog ever opens. The pages run under their strict CSP
 * without a single violation.
 */

import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { createSession, startServer } from "../_server.ts";
import { launchBrowser } from "./_browser.ts";

const PAYLOAD = "<img src=x onerror=alert(1)>";
const NAME = "<img src=x onerror=alert(2)>";
const QUOTE = "<script>alert(3)</script> a passage no article has";
const ROOM = "<img src=x onerror=alert(4)>";
const BANNED = "<img src=x onerror=alert(5)>";
const LOCKED = "<img src=x onerror=alert(6)>";
const ORIGIN = "<img src=x onerror=alert(7)>";

async function post(url: string, path: string, token: string, body: unknown) {
  const res = await fetch(`${url}/api/v1/demo/${path}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: `Bearer ${token}`,
    },
    body: JSON.stringify(body),
  });
  assert.equal(res.status, 201, await res.text());
}

/** Records dialogs and CSP violations of a page. */
function watch(page: Page) {
  const dialogs: string[] = [];
  const violations: string[] = [];
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    dialog.dismiss().catch(() => {});
  });
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) {
      violations.push(message.text());
    }
  });
  return { dialogs, violations };
}

/** Elements that only the payloads could have created. */
function injected(page: Page): Promise<number> {
  return page.evaluate(() =>
    document.querySelectorAll('img[src="x"], script:not([src]):not([type])')
      .length
  );
}

Deno.test("markup in comments, names, quotes, room and user ids renders as text in both islands and the dashboard", async (t) => {
  const server = await startServer();
  const browser = await launchBrowser();
  try {
    const { token } = await createSession(server.url, "demo", NAME);
    await post(server.url, "image-chats", token, {
      urlId: "demo-image",
      src: "/sample-image.svg",
      x: 30,
      y: 40,
      text: PAYLOAD,
      broadcastId: "xss",
    });
    await post(server.url, "text-chats", token, {
      urlId: "demo-text",
      anchor: {
        quote: QUOTE,
        prefix: "",
        suffix: "",
        start: 0,
        end: QUOTE.length,
      },
      text: PAYLOAD,
      broadcastId: "xss",
    });
    const page = await browser.newPage({
      viewport: { width: 1280, height: 900 },
    });
    page.setDefaultTimeout(10_000);
    const seen = watch(page);

    await t.step("Image Chat", async () => {
      await page.goto(`${server.url}/demo/image`);
      const marker = page.locator("[data-testid=marker]");
      await marker.waitFor();
      await marker.click();
      const comment = page.locator(
        "[data-testid=chat-window] [data-testid=comment]",
      );
      await comment.waitFor();
      assert.match(await comment.innerText(), /<img src=x onerror=alert\(1\)>/);
      assert.match(await comment.innerText(), /<img src=x onerror=alert\(2\)>/);
      assert.equal(await injected(page), 0);
    });

    await t.step("Collab Chat", async () => {
      await page.goto(`${server.url}/demo/text`);
      const orphan = page.locator("[data-testid=orphans] [data-testid=orphan]");
      await orphan.waitFor();
      assert.match(await orphan.innerText(), /<script>alert\(3\)<\/script>/);
      await orphan.click();
      const comment = page.locator(
        "[data-testid=chat-window] [data-testid=comment]",
      );
      await comment.waitFor();
      assert.match(await comment.innerText(), /<img src=x onerror=alert\(1\)>/);
      assert.equal(await injected(page), 0);
    });

    await t.step("usage dashboard", async () => {
      // A viewer in the hostile room, so that a write there is delivered and
      // the room counts among the busiest.
      const embed = new URL(`${server.url}/embed/image`);
      embed.search = new URLSearchParams({
        tenant: "demo",
        urlId: ROOM,
        src: "/sample-image.svg",
      }).toString();
      await page.goto(embed.href);
      await page.locator("[data-testid=user-count]", { hasNotText: "0" })
        .waitFor();
      await post(server.url, "image-chats", token, {
        urlId: ROOM,
        src: "/sample-image.svg",
        x: 50,
        y: 50,
        text: PAYLOAD,
        broadcastId: "xss-room",
      });
      await page.locator("[data-testid=marker]").waitFor();
      // Usage is written about once a second: reload until the room shows.
      const row = page.locator(".usage-rooms td", { hasText: ROOM });
      for (let attempt = 0; attempt < 20; attempt++) {
        await page.goto(`${server.url}/dashboard/demo`);
        if (await row.count() > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      assert.equal(await row.first().innerText(), ROOM);
      assert.equal(await injected(page), 0);
    });

    await t.step("dashboard settings", async () => {
      await page.goto(`${server.url}/dashboard/demo`);
      await page.fill("#ban-userId", BANNED);
      await page.click("#ban-userId ~ button");
      await page.fill("#lock-urlId", LOCKED);
      await page.click("#lock-urlId ~ button");
      await page.locator(".settings-flash", { hasText: "Room locked." })
        .waitFor();
      const ids = page.locator(".settings-id");
      assert.deepEqual(await ids.allInnerTexts(), [BANNED, LOCKED]);
      assert.equal(await injected(page), 0);

      await page.fill("#origins", ORIGIN);
      await page.click("#origins ~ button");
      const problem = page.locator("#origins-error");
      assert.match(await problem.innerText(), /<img src=x onerror=alert\(7\)>/);
      assert.equal(await page.inputValue("#origins"), ORIGIN);
      assert.equal(await injected(page), 0);

      await page.goto(`${server.url}/dashboard/demo`);
      await page.click("[data-testid=bans] button");
      await page.locator(".settings-flash", { hasText: "Ban lifted." })
        .waitFor();
      await page.click("[data-testid=locks] button");
      await page.locator(".settings-flash", { hasText: "Room unlocked." })
        .waitFor();
      assert.equal(await ids.count(), 0);
    });

    assert.deepEqual(seen.dialogs, []);
    assert.deepEqual(seen.violations, []);
  } finally {
    await browser.close();
    await server.stop();
  }
});
