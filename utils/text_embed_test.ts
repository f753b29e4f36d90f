import assert from "node:assert/strict";
import {
  DEFAULT_DOCUMENT,
  loadDocument,
  parseTextEmbedParams,
} from "./text_embed.ts";
import { ApiError } from "./validation.ts";

const parse = (query: string) =>
  parseTextEmbedParams(new URLSearchParams(query));

Deno.test("parseTextEmbedParams: defaults and flags", () => {
  assert.deepEqual(parse("tenant=demo&urlId=essay"), {
    tenant: "demo",
    urlId: "essay",
    src: DEFAULT_DOCUMENT,
    readonly: false,
    hasDarkBackground: undefined,
  });
  const flags = parse(
    "tenant=demo&urlId=e&src=/docs/other_doc.html&readonly=1&dark=0",
  );
  assert.equal(flags.src, "/docs/other_doc.html");
  assert.equal(flags.readonly, true);
  assert.equal(flags.hasDarkBackground, false);
});

Deno.test("parseTextEmbedParams: refuses other paths and missing ids", () => {
  for (
    const src of [
      "https://example.com/a.html",
      "/docs/../deno.json",
      "/docs/a/b.html",
      "/static/docs/a.html",
      "//evil.example/docs/a.html",
    ]
  ) {
    assert.throws(
      () => parse(`tenant=demo&urlId=e&src=${encodeURIComponent(src)}`),
      (error) => error instanceof ApiError && error.field === "src",
      src,
    );
  }
  assert.throws(
    () => parse("tenant=demo"),
    (error) => error instanceof ApiError && error.field === "urlId",
  );
  assert.throws(
    () => parse("urlId=e"),
    (error) => error instanceof ApiError && error.field === "tenant",
  );
});

Deno.test("loadDocument reads hosted documents only", async () => {
  const html = await loadDocument(DEFAULT_DOCUMENT);
  assert.ok(html?.includes("<article"));
  assert.equal(await loadDocument("/docs/no-such-document.html"), null);
  assert.equal(await loadDocument("/docs/../../deno.json"), null);
});
