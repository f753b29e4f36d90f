import assert from "node:assert/strict";
import { errorResponse, json, preflight, readJson, withCors } from "./http.ts";
import { type ErrorCode } from "./protocol.ts";
import { ApiError } from "./validation.ts";
import { RateLimitedError } from "./rate_limit.ts";

function post(body: BodyInit | null, headers: HeadersInit = {}) {
  return new Request("http://localhost/", { method: "POST", body, headers });
}

function isApiError(code: ErrorCode) {
  return (err: unknown) => err instanceof ApiError && err.code === code;
}

Deno.test("json() sets status, type and extra headers", async () => {
  const res = json({ a: 1 }, 201, { "x-extra": "yes" });
  assert.equal(res.status, 201);
  assert.match(res.headers.get("content-type")!, /^application\/json/);
  assert.equal(res.headers.get("x-extra"), "yes");
  assert.deepEqual(await res.json(), { a: 1 });
});

Deno.test("errorResponse() renders an ApiError", async () => {
  const res = errorResponse(new ApiError("bad_request", "Nope.", "x"));
  assert.equal(res.status, 400);
  assert.deepEqual(await res.json(), {
    error: { code: "bad_request", message: "Nope.", field: "x" },
  });
  const limited = errorResponse(new ApiError("rate_limited", "Slow down."));
  assert.equal(limited.status, 429);
  assert.ok(limited.headers.get("retry-after"));
  await limited.body?.cancel();
});

Deno.test("errorResponse() hides unexpected errors", async () => {
  const original = console.error;
  console.error = () => {};
  try {
    const res = errorResponse(new Error("secret path /etc/passwd"));
    assert.equal(res.status, 500);
    const text = await res.text();
    assert.doesNotMatch(text, /passwd/);
    assert.equal(JSON.parse(text).error.code, "internal_error");
  } finally {
    console.error = original;
  }
});

Deno.test("readJson() parses a body within the limit", async () => {
  assert.deepEqual(await readJson(post('{"a":[1,2]}')), { a: [1, 2] });
  const exact = JSON.stringify("x".repeat(64 * 1024 - 2));
  assert.equal(((await readJson(post(exact))) as string).length, 65534);
});

Deno.test("readJson() refuses malformed JSON and an empty body", async () => {
  await assert.rejects(readJson(post("{nope")), isApiError("bad_request"));
  await assert.rejects(readJson(post(null)), isApiError("bad_request"));
});

Deno.test("readJson() refuses a body over 64 KiB as it streams", async () => {
  await assert.rejects(
    readJson(post(JSON.stringify("x".repeat(64 * 1024)))),
    isApiError("too_large"),
  );
  // A stream with no Content-Length is cut off too.
  let pulls = 0;
  const endless = new ReadableStream<Uint8Array>({
    pull(controller) {
      pulls++;
      controller.enqueue(new Uint8Array(16 * 1024).fill(32));
    },
  });
  await assert.rejects(readJson(post(endless)), isApiError("too_large"));
  assert.ok(pulls < 10);
});

Deno.test("readJson() trusts a large Content-Length to refuse early", async () => {
  const req = post("{}", { "content-length": "999999" });
  await assert.rejects(readJson(req), isApiError("too_large"));
});

Deno.test("withCors() answers only origins the tenant lists", async () => {
  const unlisted = withCors(json({}), "https://a.example", []);
  assert.equal(unlisted.headers.get("access-control-allow-origin"), null);
  const listed = withCors(json({}), "https://a.example", ["https://a.example"]);
  assert.equal(
    listed.headers.get("access-control-allow-origin"),
    "https://a.example",
  );
  assert.equal(listed.headers.get("vary"), "Origin");
  const byPattern = withCors(json({}), "http://localhost:5173", [
    "http://localhost:*",
  ]);
  assert.equal(
    byPattern.headers.get("access-control-allow-origin"),
    "http://localhost:5173",
  );
  const refused = withCors(json({}), "https://evil.example", [
    "https://a.example",
  ]);
  assert.equal(refused.headers.get("access-control-allow-origin"), null);
  const sameOrigin = withCors(json({}), null, ["*"]);
  assert.equal(sameOrigin.headers.get("access-control-allow-origin"), null);
  const pre = withCors(preflight(), "https://a.example", ["https://a.example"]);
  assert.equal(pre.status, 204);
  assert.match(pre.headers.get("access-control-allow-methods")!, /PATCH/);
  assert.match(
    pre.headers.get("access-control-allow-headers")!,
    /authorization/,
  );
  for (const res of [unlisted, listed, byPattern, refused, sameOrigin]) {
    await res.body?.cancel();
  }
});

Deno.test("errorResponse() tells a rate-limited client when to retry", async () => {
  const res = errorResponse(new RateLimitedError("Slow down.", 7));
  assert.equal(res.status, 429);
  assert.equal(res.headers.get("retry-after"), "7");
  assert.equal((await res.json()).error.code, "rate_limited");
});

Deno.test("readJson() reads a body of declared length, and checks its size", async () => {
  const body = '{"a":"é"}';
  const length = String(new TextEncoder().encode(body).byteLength);
  assert.deepEqual(await readJson(post(body, { "content-length": length })), {
    a: "é",
  });
  // A body longer than it said is still held to the limit.
  const big = JSON.stringify("x".repeat(64 * 1024));
  await assert.rejects(
    readJson(post(big, { "content-length": "10" })),
    isApiError("too_large"),
  );
});
