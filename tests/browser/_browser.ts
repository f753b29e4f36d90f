/**
 * Launches a headless Chromium for browser tests through playwright-core,
 * using a browser installed on the machine (never a downloaded one), and
 * drives the chat window the islands share.
 *
 * @module
 */
import assert from "node:assert/strict";
import {
  type Browser,
  type BrowserContext,
  chromium,
  type FrameLocator,
  type Page,
} from "playwright-core";

const CANDIDATES = [
  "chromium",
  "chromium-browser",
  "google-chrome",
  "google-chrome-stable",
];

/** Flags for a quiet, headless browser that works as root in containers. */
export const CHROME_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

function isExecutable(path: string): boolean {
  try {
    const info = Deno.statSync(path);
    return info.isFile && ((info.mode ?? 0o111) & 0o111) !== 0;
  } catch {
    return false;
  }
}

/**
 * The browser to use: `$CHROME_PATH` if set, else the first of `chromium`,
 * `chromium-browser`, `google-chrome` found on `$PATH`; `null` if none.
 *
 * @example
 * ```ts
 * findChrome(); // "/usr/bin/chromium"
 * ```
 */
export function findChrome(): string | null {
  const configured = Deno.env.get("CHROME_PATH");
  if (configured) return configured;
  const dirs = (Deno.env.get("PATH") ?? "").split(":").filter((dir) =>
    dir !== ""
  );
  for (const name of CANDIDATES) {
    for (const dir of dirs) {
      if (isExecutable(`${dir}/${name}`)) return `${dir}/${name}`;
    }
  }
  return null;
}

/** What to do when no browser is found. */
export const NO_BROWSER_HELP =
  "No Chromium found. Install it (Debian/Ubuntu: `apt-get install chromium`) " +
  "or set CHROME_PATH to a Chrome or Chromium executable.";

/**
 * Launches the browser found by {@linkcode findChrome}; throws with
 * {@linkcode NO_BROWSER_HELP} when there is none. Close it when done.
 *
 * @example
 * ```ts
 * const browser = await launchBrowser();
 * try {
 *   const page = await browser.newPage();
 * } finally {
 *   await browser.close();
 * }
 * ```
 */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = findChrome();
  if (executablePath === null) throw new Error(NO_BROWSER_HELP);
  return await chromium.launch({ executablePath, args: CHROME_ARGS });
}

/** The comments of the open chat window. */
export const windowComments = (scope: Page | FrameLocator) =>
  scope.locator("[data-testid=chat-window] [data-testid=comment]");

/**
 * Replies in the page's open chat window (Enter sends).
 *
 * @example
 * ```ts
 * await replyInWindow(page, "Agreed.");
 * ```
 */
export async function replyInWindow(page: Page, text: string): Promise<void> {
  const reply = page.locator("[data-testid=chat-window] [data-testid=reply]");
  await reply.locator("textarea").fill(text);
  await reply.locator("textarea").press("Enter");
}

/**
 * Waits until the page's open chat window shows `count` comments.
 *
 * @example
 * ```ts
 * await waitForWindowComments(page, 2);
 * ```
 */
export async function waitForWindowComments(
  page: Page,
  count: number,
): Promise<void> {
  await page.waitForFunction(
    (expected) =>
      document.querySelectorAll(
        "[data-testid=chat-window] [data-testid=comment]",
      ).length === expected,
    count,
  );
}

/**
 * `count` separate desktop-sized browser sessions, each its own viewer (own
 * storage, so its own identity).
 *
 * @example
 * ```ts
 * const [contextA, contextB] = await viewerContexts(browser, 2);
 * ```
 */
export function viewerContexts(
  browser: Browser,
  count: number,
): Promise<BrowserContext[]> {
  const viewport = { width: 1280, height: 900 };
  return Promise.all(
    Array.from({ length: count }, () => browser.newContext({ viewport })),
  );
}

/**
 * Selects `passage` inside the element matching `rootSelector`, as a reader
 * would. The passage must lie within one text node.
 *
 * @example
 * ```ts
 * await selectText(page, "#article", "A margin is small.");
 * ```
 */
export async function selectText(
  page: Page,
  rootSelector: string,
  passage: string,
): Promise<void> {
  const found = await page.evaluate(([rootSelector, passage]) => {
    const root = document.querySelector(rootSelector);
    if (!root) return false;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const start = node.textContent!.indexOf(passage);
      if (start < 0) continue;
      const range = document.createRange();
      range.setStart(node, start);
      range.setEnd(node, start + passage.length);
      document.getSelection()!.removeAllRanges();
      document.getSelection()!.addRange(range);
      return true;
    }
    return false;
  }, [rootSelector, passage]);
  assert.ok(found, `"${passage}" is in ${rootSelector}`);
}

/**
 * Waits until focus is inside the element matching `selector`.
 *
 * @example
 * ```ts
 * await focusInside(page, "[data-testid=chat-window]");
 * ```
 */
export async function focusInside(page: Page, selector: string) {
  await page.waitForFunction(
    (selector) => document.activeElement?.closest(selector) != null,
    selector,
  );
}
