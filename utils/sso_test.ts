import assert from "node:assert/strict";
import { hmacSha256Hex } from "./crypto.ts";
import { type ErrorCode } from "./protocol.ts";
import { ApiError } from "./validation.ts";
import {
  parseSsoPayload,
  signSso,
  SSO_MAX_AGE_MS,
  SSO_MAX_SKEW_MS,
  verifySso,
} from "./sso.ts";

const SECRET = "site-secret";
const NOW = 1_700_000_000_000;

function isApiError(code: ErrorCode, field?: string) {
  return (err: unknown) =>
    err instanceof ApiError && err.code === code &&
    (field === undefined || err.field === field);
}

Deno.test("a payload signed as FastComments' Secure SSO verifies", async () => {
  const payload = await signSso(SECRET, {
    id: 42,
    name: "Ada",
    email: "ada@example.com",
    avatar: "https://example.com/ada.png",
    moderator: true,
  }, NOW);
  // The scheme, spelled out: hex HMAC-SHA256 of timestamp + base64 JSON.
  assert.equal(
    payload.verificationHash,
    await hmacSha256Hex(SECRET, `${NOW}${payload.userDataJSONBase64}`),
  );
  const user = await verifySso(SECRET, parseSsoPayload(payload), NOW);
  assert.deepEqual(user, {
    id: "42",
    name: "Ada",
    email: "ada@example.com",
    avatar: "https://example.com/ada.png",
    moderator: true,
  });
});

Deno.test("non-ASCII names survive the base64 of UTF-8", async () => {
  const payload = await signSso(SECRET, { id: "z", name: "Zoë 🐙" }, NOW);
  const user = await verifySso(SECRET, payload, NOW);
  assert.equal(user.name, "Zoë 🐙");
  assert.equal(user.moderator, false);
});

Deno.test("forged, expired and future payloads are refused", async () => {
  const payload = await signSso(SECRET, { id: "1", name: "Ada" }, NOW);
  await assert.rejects(
    verifySso("another-secret", payload, NOW),
    isApiError("unauthorized", "sso"),
  );
  const tampered = await signSso(SECRET, {
    id: "1",
    name: "Ada",
    moderator: true,
  }, NOW);
  await assert.rejects(
    verifySso(SECRET, {
      ...payload,
      userDataJSONBase64: tampered.userDataJSONBase64,
    }, NOW),
    isApiError("unauthorized"),
  );
  await assert.rejects(
    verifySso(SECRET, { ...payload, timestamp: NOW + 1 }, NOW),
    isApiError("unauthorized"),
  );
  await assert.rejects(
    verifySso(SECRET, payload, NOW + SSO_MAX_AGE_MS + 1),
    /expired/,
  );
  await assert.rejects(
    verifySso(SECRET, payload, NOW - SSO_MAX_SKEW_MS - 1),
    /future/,
  );
  // At the edges it still passes.
  await verifySso(SECRET, payload, NOW + SSO_MAX_AGE_MS);
  await verifySso(SECRET, payload, NOW - SSO_MAX_SKEW_MS);
});

Deno.test("malformed payloads and unusable user data are bad requests", async () => {
  const good = await signSso(SECRET, { id: "1", name: "Ada" }, NOW);
  const malformed: unknown[] = [
    null,
    "text",
    [],
    { ...good, timestamp: "1" },
    { ...good, timestamp: 1.5 },
    { ...good, verificationHash: "zz" },
    { ...good, verificationHash: "g".repeat(64) },
    { ...good, userDataJSONBase64: 7 },
  ];
  for (const value of malformed) {
    assert.throws(() => parseSsoPayload(value), isApiError("bad_request"));
  }
  const unusable = [
    await signSso(SECRET, { name: "no id" }, NOW),
    await signSso(SECRET, { id: "1", name: "" }, NOW),
    await signSso(SECRET, { id: "1", name: "x".repeat(65) }, NOW),
  ];
  for (const payload of unusable) {
    await assert.rejects(
      verifySso(SECRET, payload, NOW),
      isApiError("bad_request"),
    );
  }
  const notJson = { userDataJSONBase64: btoa("{oops"), timestamp: NOW };
  const signed = {
    ...notJson,
    verificationHash: await hmacSha256Hex(
      SECRET,
      `${NOW}${notJson.userDataJSONBase64}`,
    ),
  };
  await assert.rejects(
    verifySso(SECRET, signed, NOW),
    isApiError("bad_request", "userDataJSONBase64"),
  );
});

Deno.test("control characters are stripped and unsafe avatars dropped", async () => {
  const payload = await signSso(SECRET, {
    id: "1",
    name: "Ev\u202Ee\u0000",
    avatar: "javascript:alert(1)",
  }, NOW);
  const user = await verifySso(SECRET, payload, NOW);
  assert.equal(user.name, "Eve");
  assert.equal(user.avatar, undefined);
});
