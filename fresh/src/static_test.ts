import assert from "node:assert/strict";
import { contentType, etagMatches, IMMUTABLE, StaticFiles } from "./static.ts";

Deno.test("content types by extension", () => {
  assert.equal(contentType("/a/styles.CSS"), "text/css; charset=utf-8");
  assert.equal(contentType("/embed.js"), "text/javascript; charset=utf-8");
  assert.equal(contentType("/sample-image.svg"), "image/svg+xml");
  assert.equal(contentType("/blob.bin"), "application/octet-stream");
});

Deno.test("If-None-Match matching, weak and listed tags included", () => {
  assert.equal(etagMatches('"abc"', '"abc"'), true);
  assert.equal(etagMatches('W/"abc"', '"abc"'), true);
  assert.equal(etagMatches('"x", "abc"', '"abc"'), true);
  assert.equal(etagMatches("*", '"abc"'), true);
  assert.equal(etagMatches('"abd"', '"abc"'), false);
  assert.equal(etagMatches(null, '"abc"'), false);
});

Deno.test("static files: ETag, 304, HEAD and caching", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${dir}/css`);
    await Deno.writeTextFile(`${dir}/css/a.css`, "p{}");
    const files = await StaticFiles.load(dir);
    assert.equal(files.has("/css/a.css"), true);
    assert.equal(files.has("/css"), false);

    const url = new URL("http://x/css/a.css");
    const res = await files.serve(new Request(url), "/css/a.css", url);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), "p{}");
    assert.equal(res.headers.get("Cache-Control"), "no-cache");
    const etag = res.headers.get("ETag")!;
    assert.match(etag, /^"[0-9a-f]+"$/);

    const cached = await files.serve(
      new Request(url, { headers: { "If-None-Match": etag } }),
      "/css/a.css",
      url,
    );
    assert.equal(cached.status, 304);
    assert.equal(cached.body, null);

    const head = await files.serve(
      new Request(url, { method: "HEAD" }),
      "/css/a.css",
      url,
    );
    assert.equal(head.body, null);
    assert.equal(head.headers.get("Content-Length"), "3");

    const busted = new URL("http://x/css/a.css?__frsh_c=1");
    const long = await files.serve(new Request(busted), "/css/a.css", busted);
    assert.equal(long.headers.get("Cache-Control"), IMMUTABLE);
    await long.body?.cancel();

    await Deno.writeTextFile(`${dir}/css/a.css`, "p{color:red}");
    // Make sure the modification time moves even on coarse clocks.
    await Deno.utime(`${dir}/css/a.css`, 1, 1);
    const changed = await files.serve(new Request(url), "/css/a.css", url);
    assert.notEqual(changed.headers.get("ETag"), etag);
    assert.equal(await changed.text(), "p{color:red}");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a missing static folder serves nothing", async () => {
  const files = await StaticFiles.load("/nonexistent-static-dir");
  assert.equal(files.has("/index.html"), false);
});
