/**
 * Collab Chat in Chromium: two browser contexts are two people reading the
 * same article. A discussion started on a selection in one must appear as a
 * highlight in the other, live; overlapping highlights must all stay
 * clickable; the viewer count must follow people arriving and leaving.
 */

import assert from "node:assert/strict";
import type { BrowserContext, Page } from "playwright-core";
import { createSession, startServer } from "../_server.ts";
import {
  launchBrowser,
  replyInWindow,
  viewerContexts,
  waitForWindowComments,
} from "./_browser.ts";

const TIMEOUT = 10_000;

// Two passages of the demo article on one line, sharing "A margin is small."
const FIRST = "the limits of the medium. A margin is small.";
const SECOND = "A margin is small. It invites";

async function openPage(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  await page.goto(`${url}/demo/text`);
  await page.locator("[data-testid=text-chat]").waitFor();
  return page;
}

/**
 * Runs in the page: the DOM Range of `part` inside the first occurrence of
 * `passage` in the annotated content's text (highlights split text nodes, so
 * a passage may span several).
 */
function passageRange(passage: string, part: string): Range | null {
  const root = document.querySelector("[data-testid=text-chat]")!;
  const start = root.textContent!.indexOf(passage) +
    passage.indexOf(part);
  if (start < passage.indexOf(part)) return null;
  const end = start + part.length;
  const range = document.createRange();
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  let position = 0;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const length = (node as Text).length;
    if (start >= position && start < position + length) {
      range.setStart(node, start - position);
    }
    if (end > position && end <= position + length) {
      range.setEnd(node, end - position);
      node.parentElement!.scrollIntoView({ block: "center" });
      return range;
    }
    position += length;
  }
  return null;
}

/** Selects `passage` in the annotated content, as a reader would. */
async function select(page: Page, passage: string) {
  const found = await page.evaluate(
    ([source, passage]) => {
      const range = new Function(`return ${source}`)()(passage, passage);
      if (!range) return false;
      document.getSelection()!.removeAllRanges();
      document.getSelection()!.addRange(range);
      return true;
    },
    [passageRange.toString(), passage],
  );
  assert.ok(found, `"${passage}" is in the article`);
}

/** Selects `quote`, uses the prompt and posts the first comment. */
async function startDiscussion(page: Page, quote: string, text: string) {
  await select(page, quote);
  await page.locator("[data-testid=start-discussion]").click();
  const composer = page.locator("[data-testid=composer]");
  await composer.locator("textarea").fill(text);
  await composer.locator("[data-testid=submit]").click();
  await composer.waitFor({ state: "detached" });
  await page.locator("[data-testid=chat-window]").waitFor();
}

/** Clicks the middle of `part` of `passage` in the annotated content. */
async function clickWords(page: Page, passage: string, part: string) {
  const point = await page.evaluate(
    ([source, passage, part]) => {
      const range = new Function(`return ${source}`)()(passage, part);
      if (!range) return null;
      const box = range.getBoundingClientRect();
      return { x: box.left + box.width / 2, y: box.top + box.height / 2 };
    },
    [passageRange.toString(), passage, part],
  );
  assert.ok(point, `"${part}" of "${passage}" is on the page`);
  await page.mouse.click(point.x, point.y);
}

const text = (page: Page, selector: string) =>
  page.locator(selector).first().textContent();
const highlightIds = (page: Page) =>
  page.locator("[data-testid=highlight]").evaluateAll((marks) => [
    ...new Set(marks.map((m) => (m as HTMLElement).dataset.chatId)),
  ]);
const windowQuote = (page: Page) =>
  text(page, "[data-testid=chat-window] .tack-quote");

Deno.test("Collab Chat: a discussion on a selection reaches the other reader live; overlaps stay clickable; viewers are counted", async (t) => {
  const server = await startServer();
  const browser = await launchBrowser();
  try {
    const [contextA, contextB] = await viewerContexts(browser, 2);
    const a = await openPage(contextA, server.url);
    const waitForCount = (page: Page, testId: string, value: string) =>
      page.waitForFunction(
        ([testId, value]) =>
          document.querySelector(`[data-testid=${testId}]`)?.textContent ===
            value,
        [testId, value],
      );
    let b: Page;

    await t.step(
      "one reader: the top bar counts 1 viewer, 0 discussions",
      async () => {
        await waitForCount(a, "user-count", "1");
        assert.equal(
          await text(a, "[data-testid=top-bar] [data-testid=chat-count]"),
          "0",
        );
      },
    );

    await t.step("a second reader arrives: both count 2", async () => {
      b = await openPage(contextB, server.url);
      await waitForCount(a, "user-count", "2");
      await waitForCount(b, "user-count", "2");
    });

    await t.step(
      "a selection, the prompt, a discussion, and the highlight appears on the other page",
      async () => {
        await startDiscussion(a, FIRST, "Is the margin really that small?");
        assert.equal(await windowQuote(a), FIRST);
        await b.locator("[data-testid=highlight]").first().waitFor();
        const marks = b.locator("[data-testid=highlight]");
        assert.equal(
          (await marks.allTextContents()).join(""),
          FIRST,
        );
        const [idA] = await highlightIds(a);
        assert.deepEqual(await highlightIds(b), [idA]);
        await waitForCount(a, "chat-count", "1");
        await waitForCount(b, "chat-count", "1");
      },
    );

    await t.step(
      "the other reader opens it and replies; the reply arrives",
      async () => {
        await clickWords(b, FIRST, "the limits");
        assert.equal(await windowQuote(b), FIRST);
        await replyInWindow(b, "Small, but enough for Fermat.");
        await waitForWindowComments(a, 2);
        await b.keyboard.press("Escape");
        await a.keyboard.press("Escape");
      },
    );

    await t.step(
      "an overlapping discussion: every part of both highlights is clickable",
      async () => {
        await startDiscussion(b, SECOND, "And what does it invite?");
        await b.keyboard.press("Escape");
        await a.waitForFunction(() =>
          new Set(
            [...document.querySelectorAll("[data-testid=highlight]")].map((m) =>
              (m as HTMLElement).dataset.chatId
            ),
          ).size === 2
        );
        await waitForCount(a, "chat-count", "2");

        // Only the first passage.
        await clickWords(a, FIRST, "the limits");
        assert.equal(await windowQuote(a), FIRST);
        await a.keyboard.press("Escape");
        await a.locator("[data-testid=chat-window]").waitFor({
          state: "detached",
        });

        // Only the second passage.
        await clickWords(a, SECOND, "invites");
        assert.equal(await windowQuote(a), SECOND);
        await a.keyboard.press("Escape");
        await a.locator("[data-testid=chat-window]").waitFor({
          state: "detached",
        });

        // The shared words: one discussion opens, the other is offered.
        await clickWords(a, FIRST, "margin is small");
        const opened = await windowQuote(a);
        assert.ok(opened === FIRST || opened === SECOND, `opened ${opened}`);
        const choice = a.locator("[data-testid=highlight-choice]");
        assert.equal(await choice.count(), 1);
        await choice.click();
        assert.equal(await windowQuote(a), opened === FIRST ? SECOND : FIRST);
        await a.keyboard.press("Escape");
      },
    );

    await t.step(
      "a discussion whose passage is gone is listed as an orphan, still answerable",
      async () => {
        const ada = await createSession(server.url, "demo", "Ada");
        const quote = "A paragraph that an editor later removed.";
        const res = await fetch(`${server.url}/api/v1/demo/text-chats`, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            authorization: `Bearer ${ada.token}`,
          },
          body: JSON.stringify({
            urlId: "demo-text",
            anchor: {
              quote,
              prefix: "",
              suffix: "",
              start: 10,
              end: 10 + quote.length,
            },
            text: "Where did this go?",
            broadcastId: "orphan-test",
          }),
        });
        assert.equal(res.status, 201);
        const orphan = a.locator("[data-testid=orphans] [data-testid=orphan]");
        await orphan.waitFor();
        assert.match(await orphan.textContent() ?? "", /editor later removed/);
        await waitForCount(a, "chat-count", "3");
        await orphan.click();
        assert.equal(await windowQuote(a), quote);
        await replyInWindow(a, "It was cut in the second edition.");
        await waitForWindowComments(a, 2);
        await a.keyboard.press("Escape");
      },
    );

    await t.step(
      "the second reader leaves: the count goes back to 1",
      async () => {
        await contextB.close();
        await waitForCount(a, "user-count", "1");
      },
    );

    await t.step(
      "the embed page shows a hosted document with Collab Chat and no site chrome",
      async () => {
        const refused = await fetch(
          `${server.url}/embed/text?tenant=demo&urlId=e&src=/deno.json`,
        );
        assert.equal(refused.status, 400);
        await refused.body?.cancel();
        const embed = await contextA.newPage();
        embed.setDefaultTimeout(TIMEOUT);
        await embed.goto(
          `${server.url}/embed/text?tenant=demo&urlId=embed-doc`,
        );
        await embed.locator("[data-testid=text-chat] h1").waitFor();
        await waitForCount(embed, "chat-count", "0");
        await waitForCount(embed, "user-count", "1");
        assert.equal(await embed.locator(".site-header").count(), 0);
        await embed.close();
      },
    );

    await contextA.close();
  } finally {
    await browser.close();
    await server.stop();
  }
});
