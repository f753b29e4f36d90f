import assert from "node:assert/strict";
import { receiveSsoFromParent } from "./embed_sso.ts";
import type { SsoPayload } from "./sso.ts";

/** A parent window that records what the embed posts to it. */
function fakeParent() {
  const posted: [unknown, string][] = [];
  return {
    posted,
    postMessage(message: unknown, targetOrigin: string) {
      posted.push([message, targetOrigin]);
    },
  };
}

function message(source: unknown, data: unknown): Event {
  return Object.assign(new Event("message"), { source, data });
}

const sso: SsoPayload = {
  userDataJSONBase64: btoa('{"id":"42","name":"Ada"}'),
  verificationHash: "ab".repeat(32),
  timestamp: 1_700_000_000_000,
};

Deno.test("receiveSsoFromParent: asks the parent, then takes its payload", () => {
  const parent = fakeParent();
  const messages = new EventTarget();
  const received: SsoPayload[] = [];
  const stop = receiveSsoFromParent((p) => received.push(p), parent, messages);
  assert.deepEqual(parent.posted, [[{ type: "tack:sso-request" }, "*"]]);
  messages.dispatchEvent(message(parent, { type: "tack:sso", sso }));
  assert.deepEqual(received, [sso]);
  stop();
  messages.dispatchEvent(message(parent, { type: "tack:sso", sso }));
  assert.equal(received.length, 1, "nothing is taken after stop");
});

Deno.test("receiveSsoFromParent: ignores other windows, other messages and malformed payloads", () => {
  const parent = fakeParent();
  const messages = new EventTarget();
  const received: SsoPayload[] = [];
  const stop = receiveSsoFromParent((p) => received.push(p), parent, messages);
  try {
    messages.dispatchEvent(message(fakeParent(), { type: "tack:sso", sso }));
    messages.dispatchEvent(message(parent, { type: "tack:height", sso }));
    messages.dispatchEvent(message(parent, null));
    messages.dispatchEvent(
      message(parent, { type: "tack:sso", sso: { ...sso, timestamp: "1" } }),
    );
    messages.dispatchEvent(message(parent, { type: "tack:sso", sso: "x" }));
    assert.deepEqual(received, []);
  } finally {
    stop();
  }
});

Deno.test("receiveSsoFromParent: outside an iframe there is no one to ask", () => {
  const messages = new EventTarget();
  const received: SsoPayload[] = [];
  const stop = receiveSsoFromParent((p) => received.push(p), null, messages);
  messages.dispatchEvent(message(null, { type: "tack:sso", sso }));
  stop();
  assert.deepEqual(received, []);
});
