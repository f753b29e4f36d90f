import assert from "node:assert/strict";
import {
  parseEmbedRoomParams,
  parseImageEmbedParams,
  readEmbedQuery,
} from "./embed_params.ts";
import { ApiError } from "./validation.ts";

const parse = (query: string) =>
  parseImageEmbedParams(new URLSearchParams(query));

Deno.test("parseImageEmbedParams: required fields and defaults", () => {
  assert.deepEqual(parse("tenant=demo&urlId=a&src=/a.png"), {
    tenant: "demo",
    urlId: "a",
    src: "/a.png",
    alt: "",
    readonly: false,
    hasDarkBackground: undefined,
    maxReplyDepth: 0,
    chatSquarePercentage: 5,
  });
});

Deno.test("parseImageEmbedParams: flags and numbers", () => {
  const params = parse(
    "tenant=t&urlId=u&src=https://x.io/i.jpg&readonly=1&dark=0&maxReplyDepth=1&chatSquarePercentage=8&alt=Map",
  );
  assert.equal(params.readonly, true);
  assert.equal(params.hasDarkBackground, false);
  assert.equal(params.maxReplyDepth, 1);
  assert.equal(params.chatSquarePercentage, 8);
  assert.equal(params.alt, "Map");
  assert.equal(
    parse("tenant=t&urlId=u&src=/i&chatSquarePercentage=90")
      .chatSquarePercentage,
    5,
  );
});

Deno.test("parseImageEmbedParams: refuses missing or unsafe values", () => {
  assert.throws(() => parse("urlId=u&src=/i"), { field: "tenant" });
  assert.throws(() => parse("tenant=t&src=/i"), { field: "urlId" });
  assert.throws(() => parse(`tenant=t&urlId=${"x".repeat(1025)}&src=/i`), {
    field: "urlId",
  });
  assert.throws(
    () => parse("tenant=t&urlId=u&src=javascript:alert(1)"),
    (error) => error instanceof ApiError && error.field === "src",
  );
});

Deno.test("parseEmbedRoomParams: the options every embed shares", () => {
  assert.deepEqual(
    parseEmbedRoomParams(
      new URLSearchParams("tenant=t&urlId=u&readonly=true&dark=1&src=/x"),
    ),
    { tenant: "t", urlId: "u", readonly: true, hasDarkBackground: true },
  );
});

Deno.test("readEmbedQuery: a malformed query is a plain-text 400", async () => {
  const bad = readEmbedQuery(
    new Request("http://x/embed/image?urlId=u&src=/i"),
    parseImageEmbedParams,
  );
  assert.ok(bad instanceof Response);
  assert.equal(bad.status, 400);
  assert.equal(bad.headers.get("content-type"), "text/plain; charset=utf-8");
  assert.equal(await bad.text(), `Tack embed: "tenant" is required.`);
  assert.deepEqual(
    readEmbedQuery(
      new Request("http://x/embed/image?tenant=t&urlId=u"),
      parseEmbedRoomParams,
    ),
    { tenant: "t", urlId: "u", readonly: false, hasDarkBackground: undefined },
  );
});

Deno.test("readEmbedQuery: an unexpected error is not swallowed", () => {
  assert.throws(
    () =>
      readEmbedQuery(new Request("http://x/embed"), () => {
        throw new TypeError("bug");
      }),
    TypeError,
  );
});
