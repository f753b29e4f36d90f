/**
 * What the keyboard tests share: a server seeded with one discussion of each
 * kind, and pages opened on it.
 */

import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import { describe } from "../../utils/anchoring.ts";
import { createSession, type TestServer } from "../_server.ts";

export const TIMEOUT = 10_000;
export const QUOTE = "Printers and scribes planned that space with care.";

/** Sends a write as `token`'s viewer through the REST API. */
export async function write(
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
export async function post(server: TestServer, path: string, body: object) {
  const { token } = await createSession(server.url, "demo", "Mira");
  const { chat } = await write(server, token, "POST", path, body);
  return { token, chatId: chat.id as string };
}

/** Seeds one image discussion and one on {@linkcode QUOTE}. */
export async function seed(server: TestServer, browser: Browser) {
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

export async function openPage(
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
export const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return {
      testId: el?.dataset.testid ?? el?.tagName.toLowerCase() ?? null,
      inWindow: el?.closest("[data-testid=chat-window]") != null,
    };
  });
