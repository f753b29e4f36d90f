/**
 * Image Chat without a pointer, and on a touch screen: focus goes where a
 * keyboard user needs it, and a marker can be placed and moved from the
 * keyboard.
 */

import assert from "node:assert/strict";
import type { Locator } from "playwright-core";
import { startServer } from "../_server.ts";
import { focusInside, launchBrowser } from "./_browser.ts";
import { focused, openPage, post, seed, TIMEOUT, write } from "./_keyboard.ts";

/**
 * Checks that `scope` shows the image zoomed around the spot (`x`%, `y`%):
 * the image is the page's, that point of it is under the preview's ring,
 * and the image covers the preview's width (no blank beside a spot near an
 * edge).
 */
async function assertSpotPreview(scope: Locator, x: number, y: number) {
  const preview = scope.locator("[data-testid=spot-preview]");
  assert.ok(await preview.isVisible(), "the spot preview is shown");
  const image = preview.locator("img");
  await image.evaluate((img: HTMLImageElement) => img.decode());
  assert.match((await image.getAttribute("src"))!, /\/sample-image\.svg$/);
  const box = (await preview.boundingBox())!;
  const img = (await image.boundingBox())!;
  assert.ok(img.width > box.width * 2, "zoomed in");
  assert.ok(img.x <= box.x + 1 && img.x + img.width >= box.x + box.width - 1);
  const ring = (await preview.locator(".tack-spot-ring").boundingBox())!;
  const spotX = img.x + img.width * x / 100;
  const spotY = img.y + img.height * y / 100;
  assert.ok(Math.abs(spotX - (ring.x + ring.width / 2)) < 1, `x: ${spotX}`);
  assert.ok(Math.abs(spotY - (ring.y + ring.height / 2)) < 1, `y: ${spotY}`);
  assert.ok(ring.x >= box.x && ring.x + ring.width <= box.x + box.width);
}

Deno.test("Image Chat from the keyboard and on touch screens: focus moves into windows and back", async (t) => {
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
        // Beside the marker, the window needs no picture of the spot.
        assert.equal(
          await page.locator("[data-testid=spot-preview]").isVisible(),
          false,
        );
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
        // A fingertip just outside a small marker's square still hits it
        // (not left to the browser's own tap adjustment, which not all have).
        const marker = page.locator("[data-testid=marker]").first();
        const square = (await marker.boundingBox())!;
        assert.ok(
          await marker.evaluate(
            (el, [x, y]) => el.contains(document.elementFromPoint(x, y)),
            [square.x - 6, square.y + square.height / 2],
          ),
          "6px left of the marker is the marker",
        );
        await marker.tap();
        const window = page.locator("[data-testid=chat-window]");
        await window.locator("[data-testid=comment]").first().waitFor();
        // Named for who started it, as a passage's window is.
        assert.equal(
          await window.getAttribute("aria-label"),
          "Mira's discussion",
        );
        // The window covers the image: it shows the spot (30%, 40%) itself.
        await assertSpotPreview(window, 30, 40);
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
        const draft = page.locator("[data-testid=draft-marker]");
        const spot = await draft.evaluate((el) => [
          parseFloat((el as HTMLElement).style.left),
          parseFloat((el as HTMLElement).style.top),
        ]);
        await assertSpotPreview(composer, spot[0], spot[1]);
        await context.close();
      },
    );
  } finally {
    await browser.close();
    await server.stop();
  }
});
