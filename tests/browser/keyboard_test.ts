/**
 * Both products without a pointer, and after the network went away before
 * their windows' code had loaded: focus goes where a keyboard user needs it,
 * and a failed load is said plainly and tried again on the next action.
 */

import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import { describe } from "../../utils/anchoring.ts";
import { OFFLINE_MESSAGE } from "../../utils/live_room.ts";
import { LOAD_FAILED_MESSAGE } from "../../utils/use_lazy.ts";
import { createSession, startServer, type TestServer } from "../_server.ts";
import {
  focusInside,
  launchBrowser,
  replyInWindow,
  selectText,
} from "./_browser.ts";

const TIMEOUT = 10_000;
const QUOTE = "Printers and scribes planned that space with care.";

/** Sends a write as `token`'s viewer through the REST API. */
async function write(
  server: TestServer,
  token: string,
  method: string,
  path: string,
  body: object = {},
) {
  const res = await fetch(`${server.url}/api/v1/demo${path}`, {
    method,
    headers: {
      "content-type": "application/json",
      authorization: `Bearer ${token}`,
    },
    body: JSON.stringify({ ...body, broadcastId: crypto.randomUUID() }),
  });
  const text = await res.text();
  assert.ok(res.ok, text);
  return JSON.parse(text);
}

/** Posts a discussion as Mira; her token deletes it. */
async function post(server: TestServer, path: string, body: object) {
  const { token } = await createSession(server.url, "demo", "Mira");
  const { chat } = await write(server, token, "POST", path, body);
  return { token, chatId: chat.id as string };
}

/** Seeds one image discussion and one on {@linkcode QUOTE}. */
async function seed(server: TestServer, browser: Browser) {
  await post(server, "/image-chats", {
    urlId: "demo-image",
    src: "/sample-image.svg",
    x: 30,
    y: 40,
    text: "Is that the old boathouse?",
  });
  const page = await openPage(browser, server, "/demo/text");
  const article = await page.locator("[data-testid=text-chat]").textContent();
  await page.context().close();
  const start = article!.indexOf(QUOTE);
  assert.ok(start >= 0, "the quote is in the article");
  await post(server, "/text-chats", {
    urlId: "demo-text",
    anchor: describe(article!, start, start + QUOTE.length),
    text: "Is there a good source on this?",
  });
}

async function openPage(
  browser: Browser,
  server: TestServer,
  path: string,
): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
  });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  await page.goto(`${server.url}${path}`);
  return page;
}

/** The focused element's test id, and whether it is inside a chat window. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return {
      testId: el?.dataset.testid ?? el?.tagName.toLowerCase() ?? null,
      inWindow: el?.closest("[data-testid=chat-window]") != null,
    };
  });

Deno.test("Keyboard and failed loads: focus moves into windows and back; a load that failed offline works once online", async (t) => {
  const server = await startServer();
  const browser = await launchBrowser();
  try {
    await seed(server, browser);

    await t.step(
      "image: Enter on a marker moves focus into its window, Escape gives it back",
      async () => {
        const page = await openPage(browser, server, "/demo/image");
        const marker = page.locator("[data-testid=marker]");
        await marker.focus();
        await page.keyboard.press("Enter");
        await page.locator("[data-testid=chat-window]").waitFor();
        await focusInside(page, "[data-testid=chat-window]");
        assert.deepEqual(await focused(page), {
          testId: "textarea",
          inWindow: true,
        });
        await page.keyboard.press("Escape");
        await page.locator("[data-testid=chat-window]").waitFor({
          state: "detached",
        });
        assert.deepEqual(await focused(page), {
          testId: "marker",
          inWindow: false,
        });
        await page.context().close();
      },
    );

    await t.step(
      "image: a discussion started from the keyboard keeps focus in reach",
      async () => {
        const page = await openPage(browser, server, "/demo/image");
        await page.locator("[data-testid=marker]").waitFor();
        const add = page.locator(".tack-add");
        // Cancelled: focus goes back to "Add a comment".
        await add.focus();
        await page.keyboard.press("Enter");
        const composer = page.locator("[data-testid=composer]");
        await composer.waitFor();
        await focusInside(page, "[data-testid=composer]");
        await page.keyboard.press("Escape");
        await composer.waitFor({ state: "detached" });
        assert.equal(
          await page.evaluate(() => document.activeElement?.textContent),
          "Add a comment",
        );
        // Posted: the new discussion's window has focus, and then its marker.
        await page.keyboard.press("Enter");
        await composer.waitFor();
        await focusInside(page, "[data-testid=composer]");
        await page.keyboard.type("From the keyboard");
        await page.keyboard.press("Enter");
        await composer.waitFor({ state: "detached" });
        const window = page.locator("[data-testid=chat-window]");
        await window.locator("[data-testid=comment]").first().waitFor();
        await focusInside(page, "[data-testid=chat-window]");
        await page.keyboard.press("Escape");
        await window.waitFor({ state: "detached" });
        const marker = await page.evaluate(() => {
          const el = document.activeElement as HTMLElement | null;
          return { testId: el?.dataset.testid, left: el?.style.left };
        });
        assert.equal(marker.testId, "marker");
        assert.equal(marker.left, "50%");
        await page.context().close();
      },
    );

    await t.step(
      "image: arrow keys move a new discussion's marker, a click moves it too, and the text stays; deleting it focuses the next marker",
      async () => {
        const page = await openPage(browser, server, "/demo/image");
        await page.locator("[data-testid=marker]").first().waitFor();
        await page.locator(".tack-add").focus();
        await page.keyboard.press("Enter");
        const composer = page.locator("[data-testid=composer]");
        await composer.waitFor();
        await focusInside(page, "[data-testid=composer]");
        await page.keyboard.type("Just left of the mast");
        const draft = page.locator("[data-testid=draft-marker]");
        const spot = async () => {
          const style = await draft.evaluate((el: HTMLElement) => el.style);
          return { x: parseFloat(style.left), y: parseFloat(style.top) };
        };
        assert.deepEqual(await spot(), { x: 50, y: 50 });

        // A click elsewhere on the image moves the marker, not the text.
        const box = (await page.locator(".tack-layer").boundingBox())!;
        await page.mouse.click(box.x + box.width * 0.2, box.y + box.height / 4);
        const clicked = await spot();
        assert.ok(Math.abs(clicked.x - 20) < 1 && Math.abs(clicked.y - 25) < 1);
        assert.equal(
          await composer.locator("textarea").inputValue(),
          "Just left of the mast",
        );
        await focusInside(page, "[data-testid=composer]");

        // Shift+Tab reaches the mover before the text box.
        let onMover = false;
        for (let i = 0; i < 3 && !onMover; i++) {
          await page.keyboard.press("Shift+Tab");
          onMover = (await focused(page)).testId === "move-marker";
        }
        assert.ok(onMover, "the marker mover comes before the text box");
        for (let i = 0; i < 3; i++) await page.keyboard.press("ArrowRight");
        await page.keyboard.press("Shift+ArrowDown");
        const moved = await spot();
        assert.deepEqual(moved, {
          x: Math.round((clicked.x + 3) * 100) / 100,
          y: Math.round((clicked.y + 10) * 100) / 100,
        });
        assert.equal(
          await composer.locator(".tack-mover-spot").textContent(),
          `${moved.x}% across, ${moved.y}% down`,
        );
        assert.equal(
          await composer.locator("textarea").inputValue(),
          "Just left of the mast",
        );

        await composer.locator("textarea").focus();
        await page.keyboard.press("Enter");
        await composer.waitFor({ state: "detached" });
        const window = page.locator("[data-testid=chat-window]");
        await window.locator("[data-testid=comment]").first().waitFor();
        assert.match(await window.textContent() ?? "", /left of the mast/);
        const createdId = await page.evaluate(({ x, y }) => {
          const all = document.querySelectorAll<HTMLElement>(
            "[data-testid=marker]",
          );
          const at = [...all].filter((el) =>
            el.style.left === `${x}%` && el.style.top === `${y}%`
          );
          return at.length === 1 ? at[0].dataset.chatId : null;
        }, moved);
        assert.ok(createdId, "one marker sits where the mover left it");
        const markers = await page.locator("[data-testid=marker]").count();

        await window.locator("[data-testid=delete-chat]").focus();
        await page.keyboard.press("Enter");
        // Asking first, focus is on Keep; Delete is just before it.
        await page.waitForFunction(() =>
          document.activeElement?.textContent === "Keep"
        );
        await page.keyboard.press("Shift+Tab");
        assert.equal((await focused(page)).testId, "confirm-delete-chat");
        await page.keyboard.press("Enter");
        await window.waitFor({ state: "detached" });
        await page.waitForFunction(
          (n) => document.querySelectorAll("[data-testid=marker]").length === n,
          markers - 1,
        );
        const after = await page.evaluate(() => {
          const el = document.activeElement as HTMLElement | null;
          return { testId: el?.dataset.testid, chatId: el?.dataset.chatId };
        });
        assert.equal(after.testId, "marker");
        assert.notEqual(after.chatId, createdId);
        await page.context().close();
      },
    );

    await t.step(
      "image: a discussion deleted elsewhere while one types in it: focus goes to the next marker, unless it was elsewhere",
      async () => {
        const { token, chatId } = await post(server, "/image-chats", {
          urlId: "demo-image",
          src: "/sample-image.svg",
          x: 70,
          y: 20,
          text: "Soon gone",
        });
        const page = await openPage(browser, server, "/demo/image");
        const marker = page.locator(`[data-chat-id="${chatId}"]`);
        await marker.focus();
        await page.keyboard.press("Enter");
        const window = page.locator("[data-testid=chat-window]");
        await window.locator("[data-testid=comment]").first().waitFor();
        await focusInside(page, "[data-testid=chat-window]");
        await page.keyboard.type("Half a repl");
        await write(server, token, "DELETE", `/image-chats/${chatId}`);
        await window.waitFor({ state: "detached" });
        await page.locator(".tack-toast").waitFor();
        const after = await page.evaluate(() => {
          const el = document.activeElement as HTMLElement | null;
          return { testId: el?.dataset.testid, chatId: el?.dataset.chatId };
        });
        assert.equal(after.testId, "marker");
        assert.notEqual(after.chatId, chatId);

        // Focus the viewer put elsewhere stays there.
        const other = await post(server, "/image-chats", {
          urlId: "demo-image",
          src: "/sample-image.svg",
          x: 70,
          y: 80,
          text: "Also soon gone",
        });
        await page.locator(`[data-chat-id="${other.chatId}"]`).click();
        await window.locator("[data-testid=comment]").first().waitFor();
        await page.locator(".tack-add").focus();
        await write(
          server,
          other.token,
          "DELETE",
          `/image-chats/${other.chatId}`,
        );
        await window.waitFor({ state: "detached" });
        assert.equal(
          await page.evaluate(() => document.activeElement?.textContent),
          "Add a comment",
        );
        await page.context().close();
      },
    );

    await t.step(
      "text: Tab reaches a highlight, Enter opens it, Escape returns to it",
      async () => {
        const page = await openPage(browser, server, "/demo/text");
        await page.locator("[data-testid=highlight]").first().waitFor();
        let onHighlight = false;
        for (let i = 0; i < 30 && !onHighlight; i++) {
          await page.keyboard.press("Tab");
          onHighlight = (await focused(page)).testId === "highlight";
        }
        assert.ok(onHighlight, "a highlight is a tab stop");
        assert.equal(
          await page.evaluate(() => document.activeElement?.textContent),
          QUOTE,
        );
        await page.keyboard.press("Enter");
        const window = page.locator("[data-testid=chat-window]");
        await window.locator("[data-testid=comment]").first().waitFor();
        assert.match(await window.textContent() ?? "", /a good source/);
        await focusInside(page, "[data-testid=chat-window]");
        await page.keyboard.press("Escape");
        await window.waitFor({ state: "detached" });
        assert.equal((await focused(page)).testId, "highlight");
        await page.context().close();
      },
    );

    await t.step(
      "text: deleting one's discussion moves focus to another passage",
      async () => {
        const page = await openPage(browser, server, "/demo/text");
        await page.locator("[data-testid=highlight]").first().waitFor();
        await selectText(
          page,
          "[data-testid=text-chat]",
          "The notes they left are called marginalia",
        );
        await page.locator("[data-testid=start-discussion]").click();
        const composer = page.locator("[data-testid=composer]");
        await composer.locator("textarea").fill("A lovely word.");
        await composer.locator("[data-testid=submit]").click();
        const window = page.locator("[data-testid=chat-window]");
        await window.locator("[data-testid=comment]").first().waitFor();
        assert.match(await window.textContent() ?? "", /A lovely word\./);

        await window.locator("[data-testid=delete-chat]").focus();
        await page.keyboard.press("Enter");
        await page.waitForFunction(() =>
          document.activeElement?.textContent === "Keep"
        );
        await page.keyboard.press("Shift+Tab");
        await page.keyboard.press("Enter");
        await window.waitFor({ state: "detached" });
        await page.waitForFunction(() =>
          !document.body.textContent?.includes("A lovely word.") &&
          document.activeElement?.matches("[data-testid=highlight]")
        );
        assert.equal(
          await page.evaluate(() => document.activeElement?.textContent),
          QUOTE,
        );
        await page.context().close();
      },
    );

    await t.step(
      "text: starting a discussion offline says so, not that code failed to load",
      async () => {
        const page = await openPage(browser, server, "/demo/text");
        await page.locator("[data-testid=highlight]").first().waitFor();
        // A reply first, so that the viewer has a name and the write itself
        // is what meets the network.
        await page.locator("[data-testid=highlight]").first().click();
        await replyInWindow(page, "Good question.");
        await page.locator("[data-testid=chat-window] [data-testid=comment]")
          .nth(1).waitFor();
        await page.keyboard.press("Escape");
        await page.locator("[data-testid=chat-window]").waitFor({
          state: "detached",
        });
        const passage = "The notes they left are called marginalia";
        await selectText(page, "[data-testid=text-chat]", passage);
        await page.locator("[data-testid=start-discussion]").click();
        const composer = page.locator("[data-testid=composer]");
        await composer.locator("textarea").fill(
          "Where does the word come from?",
        );
        await page.context().setOffline(true);
        await page.locator("[data-testid=offline]").waitFor();
        await composer.locator("[data-testid=submit]").click();
        const error = composer.locator("[data-testid=error]");
        await error.waitFor();
        assert.equal(await error.textContent(), OFFLINE_MESSAGE);
        await page.context().close();
      },
    );

    await t.step(
      "touch screen: a window opens without the keyboard, and Enter adds a line",
      async () => {
        const context = await browser.newContext({
          viewport: { width: 390, height: 844 },
          hasTouch: true,
          isMobile: true,
        });
        const page = await context.newPage();
        page.setDefaultTimeout(TIMEOUT);
        await page.goto(`${server.url}/demo/image`);
        assert.ok(
          await page.evaluate(() => matchMedia("(pointer: coarse)").matches),
        );
        await page.locator("[data-testid=marker]").first().tap();
        const window = page.locator("[data-testid=chat-window]");
        await window.locator("[data-testid=comment]").first().waitFor();
        await page.waitForFunction(() =>
          document.activeElement?.matches("[data-testid=chat-window]")
        );
        const reply = window.locator("[data-testid=reply]");
        await reply.locator("textarea").tap();
        await page.keyboard.type("First line");
        await page.keyboard.press("Enter");
        await page.keyboard.type("second line");
        assert.equal(
          await reply.locator("textarea").inputValue(),
          "First line\nsecond line",
        );
        assert.equal(await window.locator("[data-testid=comment]").count(), 1);
        await reply.locator("[data-testid=submit]").tap();
        await window.locator("[data-testid=comment]").nth(1).waitFor();
        assert.match(
          await window.locator("[data-testid=comment]").nth(1).textContent() ??
            "",
          /First line\s*second line/,
        );
        // Without a keyboard the image is where a marker goes: no mover.
        await window.locator("[aria-label=Close]").tap();
        await window.waitFor({ state: "detached" });
        const layer = page.locator(".tack-layer");
        const box = (await layer.boundingBox())!;
        // An empty corner: the demo's markers sit at the middle.
        await layer.tap({
          position: { x: box.width * 0.85, y: box.height * 0.15 },
        });
        const composer = page.locator("[data-testid=composer]");
        await composer.waitFor();
        assert.equal(
          await page.locator("[data-testid=draft-marker]").count(),
          1,
        );
        assert.equal(
          await composer.locator("[data-testid=move-marker]").isVisible(),
          false,
        );
        await context.close();
      },
    );

    for (
      const [path, opener] of [
        ["/demo/image", "[data-testid=marker]"],
        ["/demo/text", "[data-testid=highlight]"],
      ]
    ) {
      await t.step(
        `${path}: offline before the windows' code loaded, then online: the next click opens`,
        async () => {
          const page = await openPage(browser, server, path);
          await page.locator(opener).first().waitFor();
          await page.context().setOffline(true);
          await page.locator("[data-testid=offline]").waitFor();
          await page.locator(opener).first().click();
          const toast = page.locator(".tack-toast");
          await toast.waitFor();
          assert.match(await toast.textContent() ?? "", /^Couldn't load\./);
          assert.ok(
            (await toast.textContent())!.startsWith(LOAD_FAILED_MESSAGE),
          );
          assert.equal(
            await page.locator("[data-testid=chat-window]").count(),
            0,
          );

          await page.context().setOffline(false);
          await page.locator("[data-testid=offline]").waitFor({
            state: "detached",
          });
          await page.mouse.move(0, 0);
          await page.locator(opener).first().click();
          await page.locator("[data-testid=chat-window]").waitFor();
          await page.context().close();
        },
      );
    }
  } finally {
    await browser.close();
    await server.stop();
  }
});
