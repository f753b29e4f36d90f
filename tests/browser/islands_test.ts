import assert from "node:assert/strict";
import { createHandler } from "$fresh/server.ts";
import { BUILD_ID } from "$fresh/src/server/build_id.ts";
import manifest from "../fixture/fresh.gen.ts";
import config from "../fixture/fresh.config.ts";
import { launchBrowser } from "./_browser.ts";

async function withFixtureServer(fn: (origin: string) => Promise<void>) {
  const controller = new AbortController();
  const server = Deno.serve(
    {
      hostname: "127.0.0.1",
      port: 0,
      signal: controller.signal,
      onListen() {},
    },
    createHandler(manifest, config),
  );
  try {
    await fn(`http://127.0.0.1:${server.addr.port}`);
  } finally {
    controller.abort();
    await server.finished;
  }
}

Deno.test("islands hydrate, share one signal, and keep server-rendered children", async () => {
  await withFixtureServer(async (origin) => {
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on("pageerror", (error) => errors.push(error.message));
      page.on("response", (res) => {
        // Browsers ask for a favicon on their own; the fixture has none.
        if (res.status() >= 400 && !res.url().endsWith("/favicon.ico")) {
          errors.push(`${res.status()} ${res.url()}`);
        }
      });
      await page.goto(`${origin}/islands`);
      await page.waitForSelector('.panel[data-hydrated="yes"]');

      const text = (selector: string) => page.locator(selector).innerText();
      assert.equal(await text("#counter-value"), "3");
      assert.equal(await text("#panel-value"), "3");
      assert.equal(await text(".badge"), "nested 3");
      assert.match(await text(".server-child"), /^Server child/);
      assert.equal(
        await page.locator(".counter").getAttribute("data-label"),
        "</script><!--frsh-x:0:-->",
      );

      await page.click("#increment");
      await page.waitForFunction(() =>
        document.querySelector("#panel-value")?.textContent === "4"
      );
      assert.equal(await text("#counter-value"), "4");
      assert.equal(await text(".badge"), "nested 4");

      // The island nested in the Panel's children is hydrated too.
      await page.click(".badge");
      await page.waitForFunction(() =>
        document.querySelector("#counter-value")?.textContent === "14"
      );
      assert.equal(await text("#panel-value"), "14");
      assert.equal(await text(".badge"), "nested 14");
      assert.equal(await page.locator(".server-child").count(), 1);
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
    }
  });
});

Deno.test("a page without islands ships no script", async () => {
  await withFixtureServer(async (origin) => {
    const html = await (await fetch(`${origin}/`)).text();
    assert.doesNotMatch(html, /<script/);
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      await page.goto(`${origin}/`);
      assert.equal(await page.locator("script").count(), 0);
      assert.equal(await page.title(), "Fixture home");
    } finally {
      await browser.close();
    }
  });
});

Deno.test("a plugin entrypoint can be imported from another origin", async () => {
  await withFixtureServer(async (origin) => {
    // Any request settles the build id the entrypoint URL carries.
    await (await fetch(`${origin}/`)).body?.cancel();
    const entryUrl = origin + `/_frsh/js/${BUILD_ID}/plugin-demo-mount.js`;
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      // Another origin stands in for a third-party page.
      const otherOrigin = origin.replace("127.0.0.1", "localhost");
      await page.goto(`${otherOrigin}/hello.txt`);
      const result = await page.evaluate(async (url) => {
        const module = await import(url);
        return module.mount();
      }, entryUrl);
      assert.equal(result, 42);
    } finally {
      await browser.close();
    }
  });
});
