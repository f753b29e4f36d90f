/**
 * Image Chat in Chromium: two browser contexts are two people looking at the
 * same image; everything one does must reach the other without a reload.
 */

import assert from "node:assert/strict";
import type { BrowserContext, Page } from "playwright-core";
import { startServer } from "../_server.ts";
import { CHAT_DELETED_MESSAGE } from "../../utils/use_room_layer.ts";
import {
  launchBrowser,
  replyInWindow,
  viewerContexts,
  waitForWindowComments,
  windowComments,
} from "./_browser.ts";

const TIMEOUT = 10_000;

/** Clicks the image at a point given in percent of its size. */
async function clickImage(page: Page, xPercent: number, yPercent: number) {
  const box = await page.locator("[data-testid=image-chat] img").boundingBox();
  assert.ok(box, "the image is on the page");
  await page.mouse.click(
    box.x + (box.width * xPercent) / 100,
    box.y + (box.height * yPercent) / 100,
  );
}

/** Starts a discussion at a point and waits until it is stored. */
async function startDiscussion(page: Page, x: number, y: number, text: string) {
  await clickImage(page, x, y);
  const composer = page.locator("[data-testid=composer]");
  await composer.locator("textarea").fill(text);
  await composer.locator("[data-testid=submit]").click();
  await page.locator("[data-testid=chat-window]").waitFor();
  await composer.waitFor({ state: "detached" });
}

const markers = (page: Page) => page.locator("[data-testid=marker]");

async function openPage(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  await page.goto(`${url}/demo/image`);
  return page;
}

Deno.test("Image Chat: two viewers see each other's markers, comments and deletes live; offline writes fail clearly", async (t) => {
  const server = await startServer();
  const browser = await launchBrowser();
  try {
    const [contextA, contextB] = await viewerContexts(browser, 2);
    const a = await openPage(contextA, server.url);
    const b = await openPage(contextB, server.url);
    const userCount = (page: Page) =>
      page.locator("[data-testid=user-count]").textContent();
    for (const page of [a, b]) {
      await page.waitForFunction(() =>
        document.querySelector("[data-testid=user-count]")?.textContent === "2"
      );
    }
    assert.equal(await userCount(a), "2");
    assert.equal(await userCount(b), "2");

    await t.step("the empty state invites a first discussion", async () => {
      assert.equal(
        await a.locator("[data-testid=empty]").textContent(),
        "Click or tap anywhere on the image to start a discussion",
      );
    });

    await t.step("a new marker appears on the other page", async () => {
      await startDiscussion(a, 30, 40, "Is that the old boathouse?");
      await markers(b).first().waitFor();
      assert.equal(await markers(b).count(), 1);
      // Placed in percent of the image, where A clicked, 5% of its width wide.
      const place = await markers(b).first().evaluate((el: HTMLElement) => ({
        left: parseFloat(el.style.left),
        top: parseFloat(el.style.top),
        width: el.style.width,
      }));
      assert.ok(Math.abs(place.left - 30) < 0.5, `left ${place.left}`);
      assert.ok(Math.abs(place.top - 40) < 0.5, `top ${place.top}`);
      assert.equal(place.width, "5%");
      assert.equal(
        await markers(a).first().getAttribute("data-chat-id"),
        await markers(b).first().getAttribute("data-chat-id"),
      );
    });

    await t.step(
      "a comment reaches the other page's open chat window",
      async () => {
        await markers(b).first().click();
        await windowComments(b).first().waitFor();
        assert.match(
          await windowComments(b).first().textContent() ?? "",
          /Is that the old boathouse\?/,
        );
        // The count as it is now, to tell it from the one the reply brings.
        await b.locator("[data-testid=marker] .tack-marker-count").evaluate(
          (el) => el.setAttribute("data-before", ""),
        );
        await replyInWindow(
          a,
          "<b>No</b> — it's a cabin, see https://example.com/cabin",
        );
        await waitForWindowComments(b, 2);
        const second = windowComments(b).nth(1);
        // User text is text: the tag shows literally, the link is a safe anchor.
        assert.match(await second.textContent() ?? "", /<b>No<\/b>/);
        assert.equal(await second.locator("b").count(), 0);
        const link = second.locator("a");
        assert.equal(
          await link.getAttribute("href"),
          "https://example.com/cabin",
        );
        assert.equal(await link.getAttribute("rel"), "nofollow ugc noopener");
        await b.locator("[data-testid=marker] >> text=2").waitFor();
        // A changed count is a new badge, which plays its entrance.
        const count = b.locator("[data-testid=marker] .tack-marker-count");
        assert.equal(await count.getAttribute("data-before"), null);
        assert.equal(
          await count.evaluate((el) => getComputedStyle(el).animationName),
          "tack-bump",
        );
      },
    );

    await t.step("Escape closes the chat window", async () => {
      await b.keyboard.press("Escape");
      await b.locator("[data-testid=chat-window]").waitFor({
        state: "detached",
      });
    });

    await t.step(
      "deleting the discussion removes it on both pages",
      async () => {
        // It asks first: Escape keeps the discussion and the window.
        await a.locator("[data-testid=delete-chat]").click();
        const confirm = a.locator("[data-testid=confirm-delete-chat]");
        await confirm.waitFor();
        await a.keyboard.press("Escape");
        await confirm.waitFor({ state: "detached" });
        assert.equal(await a.locator("[data-testid=chat-window]").count(), 1);
        assert.equal(await markers(b).count(), 1);
        // The other viewer is reading it meanwhile: told why it went away.
        await markers(b).first().click();
        await windowComments(b).first().waitFor();
        await a.locator("[data-testid=delete-chat]").click();
        await confirm.click();
        await markers(a).first().waitFor({ state: "detached" });
        await markers(b).first().waitFor({ state: "detached" });
        await b.locator("[data-testid=chat-window]").waitFor({
          state: "detached",
        });
        assert.ok(
          (await b.locator(".tack-toast").textContent())!.startsWith(
            CHAT_DELETED_MESSAGE,
          ),
        );
        // Deleting it oneself needs no such message.
        assert.equal(await a.locator(".tack-toast").count(), 0);
        await b.locator(".tack-toast button").click();
      },
    );

    await t.step(
      "offline: the notice shows and a write fails with a visible message",
      async () => {
        await contextB.setOffline(true);
        await b.locator("[data-testid=offline]").waitFor();
        await startDiscussionExpectingFailure(b);
        // Meanwhile the other viewer keeps talking.
        await startDiscussion(a, 70, 60, "The reflection is perfect here.");
        assert.equal(await markers(b).count(), 0);
      },
    );

    await t.step("back online: what happened meanwhile is there", async () => {
      await contextB.setOffline(false);
      await b.locator("[data-testid=offline]").waitFor({ state: "detached" });
      await markers(b).first().waitFor();
      assert.equal(await markers(b).count(), 1);
      await markers(b).first().click();
      await windowComments(b).first().waitFor();
      assert.match(
        await windowComments(b).first().textContent() ?? "",
        /The reflection is perfect here\./,
      );
    });

    await contextA.close();
    await contextB.close();
  } finally {
    await browser.close();
    await server.stop();
  }
});

/** Tries to start a discussion while offline; expects the offline message. */
async function startDiscussionExpectingFailure(page: Page) {
  await clickImage(page, 50, 50);
  const composer = page.locator("[data-testid=composer]");
  await composer.locator("textarea").fill("Will this get through?");
  await composer.locator("[data-testid=submit]").click();
  const error = composer.locator("[data-testid=error]");
  await error.waitFor();
  assert.equal(
    await error.textContent(),
    "You're offline — this wasn't sent. Try again when you're back online.",
  );
  // Nothing was queued: no marker appeared, and the text is kept for a retry.
  assert.equal(await markers(page).count(), 0);
  assert.equal(
    await composer.locator("textarea").inputValue(),
    "Will this get through?",
  );
  await page.keyboard.press("Escape");
  await composer.waitFor({ state: "detached" });
}

Deno.test("Image Chat: an image that fails to load is reported in words, before or after the island starts", async (t) => {
  const server = await startServer();
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    page.setDefaultTimeout(TIMEOUT);
    const embed = (src: string) =>
      `${server.url}/embed/image?tenant=demo&urlId=broken&src=${src}`;
    const expectReported = async () => {
      const alert = page.locator("[data-testid=image-chat] [role=alert]");
      await alert.waitFor();
      assert.match(await alert.textContent() ?? "", /could not be loaded/);
      assert.equal(await page.locator(".tack-layer").count(), 0);
      assert.equal(
        await page.locator("[data-testid=image-chat] img").isVisible(),
        false,
      );
    };

    await t.step("failed before the island hydrated", async () => {
      await page.goto(embed("/missing.svg"));
      await expectReported();
    });

    await t.step("failed while the island was already live", async () => {
      let fail!: () => void;
      const failed = new Promise<void>((resolve) => fail = resolve);
      await page.route(
        (url) => url.pathname === "/slow-missing.svg",
        async (route) => {
          await failed;
          await route.fulfill({ status: 404, body: "" });
        },
      );
      // The page's load event waits for the image, so this cannot.
      await page.goto(embed("/slow-missing.svg"), {
        waitUntil: "domcontentloaded",
      });
      // Live (so hydrated) while the image is still on its way.
      await page.waitForFunction(() =>
        document.querySelector("[data-testid=user-count]")?.textContent === "1"
      );
      fail();
      await expectReported();
    });
  } finally {
    await browser.close();
    await server.stop();
  }
});
