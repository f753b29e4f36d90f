import assert from "node:assert/strict";
import {
  importSpecifiers,
  measurePageWeight,
  PAGE_WEIGHT_TARGET_BYTES,
  scriptUrls,
} from "./page_weight.ts";

const PAGE = "http://127.0.0.1:8000/demo/image";
const JS = "http://127.0.0.1:8000/_frsh/js/B";

/** A page shaped like Fresh's output (see fresh/src/render.ts). */
const HTML = `<!DOCTYPE html><html><head>
<meta charset="utf-8">
<link rel="stylesheet" href="/styles.css">
<link rel="modulepreload" href="/_frsh/js/B/chunk-A.js">
<link rel="modulepreload" href='/_frsh/js/B/main.js'>
<script src="/_frsh/js/B/polyfill.js"></script>
<script src="https://cdn.example.com/analytics.js"></script>
</head><body>
<img src="/logo.png"><a href="/demo/text">text</a>
<script id="__FRSH_STATE" type="application/json">{"v":[{"name":"a"}]}</script>
<script type="module" nonce="n">import { revive } from "/_frsh/js/B/main.js";import * as $0 from "/_frsh/js/B/island-imagechat.js";revive({"i0":$0["default"]});
const later = () => import("/_frsh/js/B/island-lazy.js");</script>
</body></html>`;

Deno.test("scriptUrls: src, modulepreload and inline imports under /_frsh/js/", () => {
  const urls = scriptUrls(HTML, PAGE);
  assert.deepEqual([...urls].sort(), [
    `${JS}/chunk-A.js`,
    `${JS}/island-imagechat.js`,
    `${JS}/main.js`,
    `${JS}/polyfill.js`,
  ]);
  // main.js is both preloaded and imported: listed once.
  assert.equal(new Set(urls).size, urls.length);
  // Not the stylesheet, the image, the link, the other origin's script, nor
  // the dynamic import (not fetched on load).
  for (const url of urls) assert.ok(url.startsWith(`${JS}/`), url);
});

Deno.test("scriptUrls resolves relative URLs against the page's URL", () => {
  const html = `<script src="../_frsh/js/B/a.js"></script>
<link rel="modulepreload" href="http://127.0.0.1:8000/_frsh/js/B/b.js">
<script type="module">import "./_frsh/js/B/c.js";</script>`;
  assert.deepEqual(scriptUrls(html, "http://127.0.0.1:8000/demo/image"), [
    `${JS}/a.js`,
    `${JS}/b.js`,
    "http://127.0.0.1:8000/demo/_frsh/js/B/c.js",
  ]);
});

Deno.test("scriptUrls: a page without islands loads no script", () => {
  const html =
    `<html><head><link rel="stylesheet" href="/styles.css"></head><body><script>console.log("inline, no import")</script></body></html>`;
  assert.deepEqual(scriptUrls(html, PAGE), []);
});

Deno.test("importSpecifiers: the static import and export-from forms", () => {
  const code = `import a from "./a.js";
import { b, c as d } from './b.js';
import * as e from "./e.js";
import "./side-effect.js";
import f, { g } from "./fg.js";
import {
  h,
  i,
} from "./multi-line.js";
export { j } from "./j.js";
export * from "./k.js";
export * as l from "./l.js";
import $m from "./dollar.js";`;
  assert.deepEqual(importSpecifiers(code), [
    "./a.js",
    "./b.js",
    "./e.js",
    "./side-effect.js",
    "./fg.js",
    "./multi-line.js",
    "./j.js",
    "./k.js",
    "./l.js",
    "./dollar.js",
  ]);
});

Deno.test("importSpecifiers: minified bundles, as esbuild writes them", () => {
  const code =
    `import{a as t,b as r}from"./chunk-A.js";import*as n from"./chunk-B.js";import"./chunk-C.js";var x=1;export{t as y};export*from"./chunk-D.js";class A{}export*from"./chunk-E.js";{}import"./chunk-F.js";`;
  assert.deepEqual(importSpecifiers(code), [
    "./chunk-A.js",
    "./chunk-B.js",
    "./chunk-C.js",
    "./chunk-D.js",
    "./chunk-E.js",
    "./chunk-F.js",
  ]);
});

Deno.test("importSpecifiers leaves out dynamic import() and non-imports", () => {
  const code = `const lazy = () => import("./lazy.js");
const lazier = import ( "./lazier.js" );
export const name = "not-a-module.js";
export default "also-not.js";
export { local };
const reimport = "x"; reimport
"./after-identifier.js";
console.log("import");`;
  assert.deepEqual(importSpecifiers(code), []);
  assert.deepEqual(importSpecifiers(""), []);
});

/** Serves `files` (path → body) on a loopback port while `run` runs. */
async function withServer(
  files: Record<string, string>,
  run: (baseUrl: string) => Promise<void>,
): Promise<string[]> {
  const requested: string[] = [];
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    (req) => {
      const path = new URL(req.url).pathname;
      requested.push(path);
      const body = files[path];
      if (body === undefined) return new Response("missing", { status: 404 });
      const type = path.endsWith(".js") ? "text/javascript" : "text/html";
      return new Response(body, { headers: { "content-type": type } });
    },
  );
  try {
    await run(`http://127.0.0.1:${server.addr.port}`);
  } finally {
    await server.shutdown();
  }
  return requested;
}

Deno.test("measurePageWeight follows static imports once and sums the sizes", async () => {
  const main =
    `import{a}from"./chunk-a.js";import"./chunk-b.js";import"https://elsewhere.example/x.js";const l=()=>import("./lazy.js");export{a};`;
  const chunkA = `import"./chunk-b.js";export const a=${"1+".repeat(400)}1;`;
  const chunkB = `export const b="${"é".repeat(50)}";`; // multi-byte: bytes ≠ chars
  const files: Record<string, string> = {
    "/page":
      `<html><body><script type="module">import { revive } from "/_frsh/js/B/main.js";revive({});</script></body></html>`,
    "/_frsh/js/B/main.js": main,
    "/_frsh/js/B/chunk-a.js": chunkA,
    "/_frsh/js/B/chunk-b.js": chunkB,
  };
  let pages: Awaited<ReturnType<typeof measurePageWeight>> = [];
  const requested = await withServer(files, async (baseUrl) => {
    pages = await measurePageWeight(baseUrl, ["/page"]);
  });

  assert.equal(pages.length, 1);
  const [page] = pages;
  assert.equal(page.path, "/page");
  const bytes = (text: string) => new TextEncoder().encode(text).byteLength;
  assert.deepEqual(
    page.files.map((f) => [f.url, f.bytes]),
    [
      ["/_frsh/js/B/main.js", bytes(main)],
      ["/_frsh/js/B/chunk-a.js", bytes(chunkA)],
      ["/_frsh/js/B/chunk-b.js", bytes(chunkB)],
    ],
  );
  assert.equal(page.totalBytes, bytes(main) + bytes(chunkA) + bytes(chunkB));
  for (const file of page.files) assert.ok(file.gzipBytes > 0);
  // chunk-a repeats itself: gzip must shrink it.
  assert.ok(page.files[1].gzipBytes < page.files[1].bytes / 4);
  assert.equal(
    page.totalGzipBytes,
    page.files.reduce((sum, f) => sum + f.gzipBytes, 0),
  );
  assert.ok(page.totalGzipBytes <= PAGE_WEIGHT_TARGET_BYTES);
  // Each file fetched once; neither the dynamic import nor the other origin.
  assert.deepEqual(requested, [
    "/page",
    "/_frsh/js/B/main.js",
    "/_frsh/js/B/chunk-a.js",
    "/_frsh/js/B/chunk-b.js",
  ]);
});
