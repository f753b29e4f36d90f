/**
 * Renders the README's screenshots, at 1280×800: the Image Chat demo
 * (`docs/screenshot-image-chat.png`) and the Collab Chat demo
 * (`docs/screenshot-collab-chat.png`), each with a few discussions and one
 * open chat window.
 *
 *     deno run -A tests/screenshot.ts
 */

import type { Browser, Page } from "playwright-core";
import { describe } from "../utils/anchoring.ts";
import { createSession, startServer } from "./_server.ts";
import { launchBrowser } from "./browser/_browser.ts";

/** [author, text, replyToFirst?] — the first entry opens the discussion. */
type Thread = [string, string, boolean?][];

/** Posts to the demo tenant's API as `name` (one session per name). */
type Post = (path: string, name: string, body: unknown) => Promise<{
  chat: { id: string };
  comment: { id: string };
}>;

interface ImageSeed {
  x: number;
  y: number;
  thread: Thread;
}

const IMAGE_SEEDS: ImageSeed[] = [
  { x: 80, y: 31, thread: [["Mira", "Fresh snow on the north face already?"]] },
  {
    x: 25,
    y: 38,
    thread: [
      ["Jonas", "The light on this peak is unreal. Golden hour done right."],
      [
        "Mira",
        "Agreed — and the way it spills onto the water below is the best part.",
        true,
      ],
      [
        "Ade",
        "Shot at 19:42 if anyone wonders. More in the album: https://example.com/lake",
      ],
    ],
  },
  {
    x: 66.5,
    y: 47,
    thread: [["Ade", "The sun just dipped behind the ridge here."]],
  },
  {
    x: 88.5,
    y: 72,
    thread: [
      ["Ade", "Is the cabin for rent? Looks cosy."],
      ["Jonas", "It is! Booked it last summer."],
    ],
  },
  { x: 46.5, y: 84, thread: [["Mira", "Someone is still out paddling 🛶"]] },
];

interface TextSeed {
  /** The passage, as it reads in the article. */
  quote: string;
  thread: Thread;
}

const TEXT_SEEDS: TextSeed[] = [
  {
    quote: "Printers and scribes planned that space with care.",
    thread: [
      ["Mira", "Is there a good source on how scribes ruled their margins?"],
      [
        "Jonas",
        "De Hamel's book on medieval manuscripts has a whole chapter on it.",
        true,
      ],
      ["Ade", "Thanks, adding it to my list: https://example.com/reading"],
    ],
  },
  {
    quote: "Some of those friends complained.",
    thread: [[
      "Jonas",
      "Fair enough. I'd complain too if my books came back annotated in ink.",
    ]],
  },
  {
    quote: "Historians call that little hand a manicule",
    thread: [
      [
        "Ade",
        "I had never heard the word manicule. Now I see them everywhere ☞",
      ],
      ["Mira", "They're in early printed books too, cut as type.", true],
    ],
  },
];

function poster(url: string): Post {
  const tokens = new Map<string, string>();
  const tokenOf = async (name: string) => {
    if (!tokens.has(name)) {
      tokens.set(name, (await createSession(url, "demo", name)).token);
    }
    return tokens.get(name)!;
  };
  return async (path, name, body) => {
    const res = await fetch(`${url}/api/v1/demo${path}`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${await tokenOf(name)}`,
      },
      body: JSON.stringify({
        ...body as object,
        broadcastId: crypto.randomUUID(),
      }),
    });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return await res.json();
  };
}

/** Starts a discussion with `thread`'s first comment; posts the replies. */
async function postThread(
  post: Post,
  path: string,
  target: object,
  thread: Thread,
): Promise<string> {
  const [[author, text], ...rest] = thread;
  const { chat, comment } = await post(path, author, { ...target, text });
  for (const [name, reply, nested] of rest) {
    await post(`/chats/${chat.id}/comments`, name, {
      text: reply,
      parentId: nested ? comment.id : null,
    });
  }
  return chat.id;
}

async function seedImage(post: Post): Promise<string[]> {
  const chatIds: string[] = [];
  for (const { x, y, thread } of IMAGE_SEEDS) {
    const target = { urlId: "demo-image", src: "/sample-image.svg", x, y };
    chatIds.push(await postThread(post, "/image-chats", target, thread));
  }
  return chatIds;
}

/** Anchors the passages in `article`, the text as the demo page has it. */
async function seedText(post: Post, article: string): Promise<string[]> {
  const chatIds: string[] = [];
  for (const { quote, thread } of TEXT_SEEDS) {
    const start = article.indexOf(quote);
    if (start < 0) throw new Error(`"${quote}" is not in the article`);
    const anchor = describe(article, start, start + quote.length);
    const target = { urlId: "demo-text", anchor };
    chatIds.push(await postThread(post, "/text-chats", target, thread));
  }
  return chatIds;
}

async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    deviceScaleFactor: 1,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  return page;
}

/** Saves the page once the open window's entrance animation has finished. */
async function shoot(page: Page, name: string) {
  await page.waitForTimeout(400);
  const output = new URL(`../docs/${name}`, import.meta.url).pathname;
  await page.screenshot({ path: output });
  await page.context().close();
  console.log(`Wrote ${output}`);
}

async function imageChatScreenshot(browser: Browser, url: string) {
  const chatIds = await seedImage(poster(url));
  const page = await newPage(browser);
  await page.goto(`${url}/demo/image`);
  await page.locator("[data-testid=user-count]", { hasText: "1" }).waitFor();
  await page.evaluate(() => scrollTo(0, 150));
  await page.locator(`[data-chat-id="${chatIds[1]}"]`).click();
  await page.locator("[data-testid=chat-window] [data-testid=comment]").nth(2)
    .waitFor();
  await shoot(page, "screenshot-image-chat.png");
}

async function collabChatScreenshot(browser: Browser, url: string) {
  const page = await newPage(browser);
  await page.goto(`${url}/demo/text`);
  const article = await page.locator("[data-testid=text-chat]").textContent();
  const chatIds = await seedText(poster(url), article ?? "");
  await page.locator("[data-testid=chat-count]", { hasText: "3" }).waitFor();
  // The manicule's discussion: its window opens to the right of the passage,
  // leaving the other two highlights in view.
  const mark = page.locator(`mark[data-chat-id="${chatIds[2]}"]`).first();
  await mark.evaluate((mark) => mark.scrollIntoView({ block: "center" }));
  await page.evaluate(() => scrollBy(0, 60));
  await mark.click();
  await page.locator("[data-testid=chat-window] [data-testid=comment]").nth(1)
    .waitFor();
  await shoot(page, "screenshot-collab-chat.png");
}

const server = await startServer();
const browser = await launchBrowser();
try {
  await imageChatScreenshot(browser, server.url);
  await collabChatScreenshot(browser, server.url);
} finally {
  await browser.close();
  await server.stop();
}
