import assert from "node:assert/strict";
import {
  getChats,
  getComments,
  patchComment,
  postChat,
  postComment,
  postSession,
  removeChat,
  removeComment,
} from "./chat_api.ts";
import { closeKv } from "./db.ts";
import { type ErrorCode } from "./protocol.ts";
import { ApiError } from "./validation.ts";

Deno.env.set("DENO_KV_PATH", ":memory:");

const BASE = "http://localhost/api/v1/demo";

function call(method: string, path: string, body?: unknown, token?: string) {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  return new Request(BASE + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function session(name: string): Promise<string> {
  const res = await postSession(call("POST", "/sessions", { name }), "demo");
  assert.equal(res.status, 201);
  return (await res.json()).token;
}

/** A `POST /image-chats` body with a marker at `x`. */
function newMarker(x: number) {
  return { urlId: "u", src: "/a.png", x, y: 2, text: "hi", broadcastId: "b" };
}

function isApiError(code: ErrorCode, field?: string) {
  return (err: unknown) =>
    err instanceof ApiError && err.code === code && err.field === field;
}

const anchor = {
  quote: "fox",
  prefix: "the ",
  suffix: " ran",
  start: 4,
  end: 7,
};

Deno.test("one set of handlers serves both kinds", async () => {
  try {
    const token = await session("Ada");
    const image = await postChat(
      call("POST", "/image-chats", newMarker(1), token),
      "demo",
      "image",
    );
    assert.equal(image.status, 201);
    const text = await postChat(
      call("POST", "/text-chats", {
        urlId: "u",
        anchor,
        text: "hi",
        broadcastId: "b",
      }, token),
      "demo",
      "text",
    );
    const textBody = await text.json();
    assert.equal(textBody.seq, 2);
    const listed = await (await getChats(
      call("GET", "/text-chats?urlId=u"),
      "demo",
      "text",
    )).json();
    assert.deepEqual(listed, { urlId: "u", seq: 2, chats: [textBody.chat] });
    // A text chat is not found through the image route.
    await assert.rejects(
      removeChat(
        call("DELETE", "/image-chats/x", { broadcastId: "b" }, token),
        "demo",
        textBody.chat.id,
        "image",
      ),
      isApiError("not_found"),
    );
  } finally {
    await closeKv();
  }
});

Deno.test("comment handlers answer with the documented shapes", async () => {
  try {
    const token = await session("Ada");
    const created = await (await postChat(
      call("POST", "/text-chats", {
        urlId: "u",
        anchor,
        text: "first",
        broadcastId: "b",
      }, token),
      "demo",
      "text",
    )).json();
    const chatId = created.chat.id;
    const added = await postComment(
      call("POST", "/c", { text: "second", broadcastId: "b" }, token),
      "demo",
      chatId,
    );
    assert.equal(added.status, 201);
    const { comment, seq } = await added.json();
    assert.equal(seq, 2);
    const patched = await patchComment(
      call("PATCH", "/c", { text: "2nd", broadcastId: "b" }, token),
      "demo",
      chatId,
      comment.id,
    );
    assert.equal((await patched.json()).comment.text, "2nd");
    const removed = await removeComment(
      call("DELETE", "/c", { broadcastId: "b" }, token),
      "demo",
      chatId,
      comment.id,
    );
    assert.deepEqual(await removed.json(), { seq: 4 });
    const { comments } = await (await getComments("demo", chatId)).json();
    assert.deepEqual(comments.map((c: { text: string }) => c.text), ["first"]);
  } finally {
    await closeKv();
  }
});

Deno.test("writes need a token; input is validated", async () => {
  try {
    await assert.rejects(
      postChat(call("POST", "/image-chats", {}), "demo", "image"),
      isApiError("unauthorized"),
    );
    const token = await session("Ada");
    await assert.rejects(
      postChat(
        call("POST", "/image-chats", newMarker(101), token),
        "demo",
        "image",
      ),
      isApiError("bad_request", "x"),
    );
    await assert.rejects(
      getChats(call("GET", "/image-chats"), "demo", "image"),
      isApiError("bad_request", "urlId"),
    );
  } finally {
    await closeKv();
  }
});
