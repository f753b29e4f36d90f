import assert from "node:assert/strict";
import { LIMITS } from "./protocol.ts";
import {
  ApiError,
  parseAnchor,
  parseNewComment,
  parseNewImageChat,
  parseSince,
  readString,
} from "./validation.ts";

/** Asserts that `fn` refuses its input as `bad_request` on `field`. */
function refuses(fn: () => unknown, field: string, message?: RegExp) {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof ApiError);
    assert.equal(error.code, "bad_request");
    assert.equal(error.status, 400);
    assert.equal(error.field, field);
    if (message) assert.match(error.message, message);
    return true;
  });
}

Deno.test("readString trims, strips unsafe characters and counts code points", () => {
  assert.equal(readString({ t: "  hi  " }, "t", 1, 10), "hi");
  // A bidi override and a NUL go; tab and newline stay in multi-line text.
  assert.equal(
    readString({ t: "a\u202Eb\u0000c\td\ne" }, "t", 1, 10),
    "abc\td\ne",
  );
  assert.equal(
    readString({ t: "a\t\nb" }, "t", 1, 10, { singleLine: true }),
    "a b",
  );
  // Four emoji are four characters, not eight UTF-16 units.
  assert.equal(readString({ t: "😀😀😀😀" }, "t", 1, 4), "😀😀😀😀");
  refuses(() => readString({ t: "😀😀😀😀😀" }, "t", 1, 4), "t", /at most 4/);
  refuses(() => readString({ t: "   " }, "t", 1, 4), "t", /must not be empty/);
  refuses(() => readString({ t: 3 }, "t", 1, 4), "t", /must be a string/);
  refuses(() => readString({}, "t", 1, 4), "t", /"t" is required/);
  refuses(() => readString({ t: null }, "t", 1, 4), "t", /"t" is required/);
});

Deno.test("an ApiError serializes as the wire's error body", () => {
  const error = new ApiError("not_found", "No such chat.");
  assert.equal(error.status, 404);
  assert.deepEqual(JSON.parse(JSON.stringify(error)), {
    error: { code: "not_found", message: "No such chat." },
  });
});

Deno.test("parseNewImageChat keeps x and y within the image", () => {
  const body = {
    urlId: "room",
    src: "/a.png",
    x: 12.5,
    y: 100,
    text: " Look ",
    broadcastId: "b1",
  };
  assert.deepEqual(parseNewImageChat(body), { ...body, text: "Look" });
  refuses(() => parseNewImageChat({ ...body, x: 100.01 }), "x");
  refuses(() => parseNewImageChat({ ...body, y: Number.NaN }), "y");
  refuses(() => parseNewImageChat([body]), "body");
  refuses(
    () => parseNewImageChat({ ...body, text: "x".repeat(LIMITS.textMax + 1) }),
    "text",
  );
});

Deno.test("parseAnchor requires the offsets to span the quote", () => {
  const anchor = {
    quote: "cat ",
    prefix: "the ",
    suffix: "sat",
    start: 4,
    end: 8,
  };
  assert.deepEqual(parseAnchor(anchor), anchor); // not trimmed: offsets count
  refuses(() => parseAnchor({ ...anchor, end: 9 }), "end", /quote's length/);
  refuses(() => parseAnchor({ ...anchor, start: 8 }), "end", /after "start"/);
  refuses(() => parseAnchor({ ...anchor, quote: "   " }), "quote");
  refuses(() => parseAnchor({ ...anchor, start: 1.5 }), "start");
  refuses(() => parseAnchor(null), "anchor");
});

Deno.test("parseNewComment: parentId is a string or null", () => {
  assert.deepEqual(parseNewComment({ text: "hi", broadcastId: "b" }), {
    text: "hi",
    parentId: null,
    broadcastId: "b",
  });
  refuses(
    () => parseNewComment({ text: "hi", parentId: 7, broadcastId: "b" }),
    "parentId",
  );
});

Deno.test("parseSince: empty is none, else a whole number", () => {
  assert.equal(parseSince(null), null);
  assert.equal(parseSince(""), null);
  assert.equal(parseSince("42"), 42);
  refuses(() => parseSince("-1"), "since");
  refuses(() => parseSince("1e3"), "since");
  refuses(() => parseSince("1".repeat(16)), "since");
});
