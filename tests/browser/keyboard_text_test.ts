/**
 * Collab Chat without a pointer, and both products after the network went
 * away before their windows' code had loaded: a failed load is said plainly
 * and tried again on the next action.
 */

import assert from "node:assert/strict";
import { OFFLINE_MESSAGE } from "../../utils/live_room.ts";
import { LOAD_FAILED_MESSAGE } from "../../utils/use_lazy.ts";
import { startServer } from "../_server.ts";
import {
  focusInside,
  launchBrowser,
  replyInWindow,
  selectText,
} from "./_browser.ts";
import { focused, openPage, QUOTE, seed } from "./_keyboard.ts";

Deno.test("Collab Chat from the keyboard, and loads that failed offline: focus moves into windows and back; the next click once online opens", async (t) => {
  const server = await startServer();
  const browser = await launchBrowser();
  try {
    await seed(server, browser);

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
