import assert from "node:assert/strict";
import {
  fromBase64Url,
  hmacSha256Hex,
  randomSecret,
  sha256Hex,
  timingSafeEqual,
  toBase64Url,
} from "./crypto.ts";

Deno.test("base64url round-trips bytes and refuses other text", () => {
  const bytes = new Uint8Array([0, 255, 254, 62, 63, 1]);
  const text = toBase64Url(bytes);
  assert.match(text, /^[A-Za-z0-9_-]+$/);
  assert.deepEqual(fromBase64Url(text), bytes);
  assert.equal(fromBase64Url("a+b/"), null);
  assert.equal(fromBase64Url("a"), null);
});

Deno.test("hashes match the published test vectors", async () => {
  assert.equal(
    await sha256Hex("abc"),
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  );
  // RFC 4231, test case 2.
  assert.equal(
    await hmacSha256Hex("Jefe", "what do ya want for nothing?"),
    "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
  );
});

Deno.test("random secrets differ; timingSafeEqual compares exactly", () => {
  assert.notEqual(randomSecret(), randomSecret());
  assert.equal(randomSecret().length, 43);
  assert.equal(timingSafeEqual("abc", "abc"), true);
  assert.equal(timingSafeEqual("abc", "abd"), false);
  assert.equal(timingSafeEqual("abc", "ab"), false);
});
