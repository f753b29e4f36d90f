import assert from "node:assert/strict";
import { createHandler } from "$fresh/server.ts";
import { BUILD_ID } from "$fresh/src/server/build_id.ts";
import manifest from "./fixture/fresh.gen.ts";
import config from "./fixture/fresh.config.ts";
import { upgrades } from "./fixture/routes/api/ws.ts";

const handler = createHandler(manifest, config);
const info: Deno.ServeHandlerInfo = {
  remoteAddr: { transport: "tcp", hostname: "127.0.0.1", port: 4000 },
  completed: Promise.resolve(),
};

function request(path: string, init?: RequestInit): Promise<Response> {
  return handler(new Request(`http://localhost${path}`, init), info);
}

async function page(path: string): Promise<{ status: number; html: string }> {
  const res = await request(path);
  return { status: res.status, html: await res.text() };
}

Deno.test("pages render through _app with params, groups and layouts", async () => {
  const home = await page("/");
  assert.equal(home.status, 200);
  assert.match(home.html, /^<!DOCTYPE html><html lang="en">/);
  assert.match(home.html, /<title>Fixture home<\/title>/);
  assert.match(
    (await page("/greet/J%C3%BCrgen")).html,
    /<p id="greeting">Hello Jürgen<\/p>/,
  );
  assert.match((await page("/greet/about")).html, /static beats dynamic/);
  assert.match((await page("/files/a/b/c")).html, /<p id="path">a\/b\/c<\/p>/);
  assert.match(
    (await page("/grouped")).html,
    /<section class="group-layout"><p id="grouped">inside a group<\/p><\/section>/,
  );
  assert.doesNotMatch((await page("/greet/x")).html, /group-layout/);
  assert.match((await page("/async?v=7")).html, /<p id="async">async 7<\/p>/);
});

Deno.test("ctx.render passes data, status and headers", async () => {
  const res = await request("/data");
  assert.equal(res.status, 201);
  assert.equal(res.headers.get("x-data"), "yes");
  assert.equal(res.headers.get("content-type"), "text/html; charset=utf-8");
  assert.match(await res.text(), /<p id="message">from handler<\/p>/);
});

Deno.test("middleware runs root to leaf around the handler", async () => {
  const res = await request("/api/echo");
  const body = await res.json();
  assert.deepEqual(body, {
    trail: ["root", "api", "api-2"],
    route: "/api/echo",
  });
  assert.equal(res.headers.get("x-trail"), "root,api,api-2");
  // Leaf middleware stays out of other folders.
  assert.equal((await request("/greet/x")).headers.get("x-trail"), null);
});

Deno.test("unknown URLs and ctx.renderNotFound() render _404", async () => {
  for (const path of ["/nope", "/missing"]) {
    const { status, html } = await page(path);
    assert.equal(status, 404);
    assert.match(html, new RegExp(`<p id="not-found">No page at ${path}</p>`));
  }
});

Deno.test("a throwing handler renders _500", async () => {
  const logged: unknown[] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => logged.push(...args);
  try {
    const { status, html } = await page("/boom");
    assert.equal(status, 500);
    assert.match(html, /<p id="error">Failed: boom<\/p>/);
    assert.equal((logged[0] as Error).message, "boom");
  } finally {
    console.error = original;
  }
});

Deno.test("HEAD answers like GET without a body", async () => {
  for (const path of ["/api/echo", "/data", "/"]) {
    const get = await request(path);
    await get.body?.cancel();
    const head = await request(path, { method: "HEAD" });
    assert.equal(head.status, get.status, path);
    assert.equal(head.body, null, path);
    assert.deepEqual(
      [...head.headers].filter(([name]) => name !== "content-length"),
      [...get.headers].filter(([name]) => name !== "content-length"),
      path,
    );
  }
});

Deno.test("methods without a handler get 405 with Allow", async () => {
  const res = await request("/api/echo", { method: "DELETE" });
  assert.equal(res.status, 405);
  assert.equal(res.headers.get("Allow"), "GET, POST, HEAD");
  await res.body?.cancel();
  const page = await request("/greet/x", { method: "POST" });
  assert.equal(page.status, 405);
  assert.equal(page.headers.get("Allow"), "GET, HEAD");
  await page.body?.cancel();
  const posted = await request("/api/echo", { method: "POST", body: "hello" });
  assert.deepEqual(await posted.json(), { posted: "hello" });
});

Deno.test("a handler function handles every method", async () => {
  for (const method of ["GET", "PUT", "PATCH"]) {
    assert.equal(
      await (await request("/api/any", { method })).text(),
      `method ${method}`,
    );
  }
});

Deno.test("static files carry ETags and answer 304", async () => {
  const res = await request("/hello.txt");
  assert.equal(res.status, 200);
  assert.equal(await res.text(), "hello static\n");
  assert.equal(res.headers.get("content-type"), "text/plain; charset=utf-8");
  const etag = res.headers.get("etag")!;
  const again = await request("/hello.txt", {
    headers: { "if-none-match": etag },
  });
  assert.equal(again.status, 304);
  const busted = await request("/hello.txt?__frsh_c=1");
  assert.equal(
    busted.headers.get("cache-control"),
    "public, max-age=31536000, immutable",
  );
  await busted.body?.cancel();
});

Deno.test("client bundle files are immutable, CORS-readable and versioned", async () => {
  const { html } = await page("/islands");
  const scripts = [...html.matchAll(/from "(\/_frsh\/js\/([^/]+)\/[^"]+)"/g)];
  assert.deepEqual(
    scripts.map((match) => match[1].split("/").pop()),
    ["main.js", "island-counter.js", "island-panel.js"],
  );
  const buildId = scripts[0][2];
  assert.match(html, new RegExp(`href="/style.css\\?__frsh_c=${buildId}"`));
  for (const [, url] of scripts) {
    const res = await request(url);
    assert.equal(res.status, 200, url);
    assert.equal(
      res.headers.get("content-type"),
      "text/javascript; charset=utf-8",
    );
    assert.equal(
      res.headers.get("cache-control"),
      "public, max-age=31536000, immutable",
    );
    assert.equal(res.headers.get("access-control-allow-origin"), "*");
    await res.body?.cancel();
  }
  const plugin = await request(`/_frsh/js/${BUILD_ID}/plugin-demo-mount.js`);
  assert.equal(plugin.status, 200);
  assert.match(await plugin.text(), /mount/);
  const stale = await request(`/_frsh/js/not-the-build/main.js`);
  assert.equal(stale.status, 404);
  assert.equal(stale.headers.get("access-control-allow-origin"), "*");
  await stale.body?.cancel();
});

Deno.test("WebSocket upgrade responses pass through middleware untouched", async () => {
  const returned: Response[] = [];
  const controller = new AbortController();
  const server = Deno.serve(
    {
      hostname: "127.0.0.1",
      port: 0,
      signal: controller.signal,
      onListen() {},
    },
    async (req, info) => {
      const res = await handler(req, info);
      returned.push(res);
      return res;
    },
  );
  try {
    const socket = new WebSocket(`ws://127.0.0.1:${server.addr.port}/api/ws`);
    const reply = await new Promise<string>((resolve, reject) => {
      socket.onopen = () => socket.send("ping");
      socket.onmessage = (event) => resolve(event.data);
      socket.onerror = () => reject(new Error("socket failed"));
    });
    assert.equal(reply, "echo ping");
    assert.equal(returned[0], upgrades.at(-1));
    assert.equal(returned[0].status, 101);
    const closed = new Promise((resolve) => socket.onclose = resolve);
    socket.close();
    await closed;
  } finally {
    controller.abort();
    await server.finished;
  }
});
