/**
 * Renders `docs/screenshot-image-chat.png`: the Image Chat demo with a few
 * discussions and one open chat window, at 1280×800.
 *
 *     deno run -A tests/screenshot.ts
 */

import { createSession, startServer } from "./_server.ts";
import { launchBrowser } from "./browser/_browser.ts";

const OUTPUT = new URL("../docs/screenshot-image-chat.png", import.meta.url);
const URL_ID = "demo-image";

interface Seed {
  x: number;
  y: number;
  /** [author, text, replyToFirst?] — the first entry opens the discussion. */
  thread: [string, string, boolean?][];
}

const SEEDS: Seed[] = [
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

async function seed(url: string) {
  const tokens = new Map<string, string>();
  const tokenOf = async (name: string) => {
    if (!tokens.has(name)) {
      tokens.set(name, (await createSession(url, "demo", name)).token);
    }
    return tokens.get(name)!;
  };
  const post = async (path: string, name: string, body: unknown) => {
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
  const chatIds: string[] = [];
  for (const { x, y, thread } of SEEDS) {
    const [[author, text], ...rest] = thread;
    const { chat, comment } = await post("/image-chats", author, {
      urlId: URL_ID,
      src: "/sample-image.svg",
      x,
      y,
      text,
    });
    chatIds.push(chat.id);
    for (const [name, reply, nested] of rest) {
      await post(`/chats/${chat.id}/comments`, name, {
        text: reply,
        parentId: nested ? comment.id : null,
      });
    }
  }
  return chatIds;
}

const server = await startServer();
const browser = await launchBrowser();
try {
  const chatIds = await seed(server.url);
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    deviceScaleFactor: 1,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  await page.goto(`${server.url}/demo/image`);
  await page.locator("[data-testid=user-count]", { hasText: "1" }).waitFor();
  await page.evaluate(() => scrollTo(0, 150));
  await page.locator(`[data-chat-id="${chatIds[1]}"]`).click();
  await page.locator("[data-testid=chat-window] [data-testid=comment]").nth(2)
    .waitFor();
  // Let the window's entrance animation finish.
  await page.waitForTimeout(400);
  await page.screenshot({ path: OUTPUT.pathname });
  await context.close();
  console.log(`Wrote ${OUTPUT.pathname}`);
} finally {
  await browser.close();
  await server.stop();
}
