import assert from "node:assert/strict";
import {
  ApiClient,
  ApiRequestError,
  UNREACHABLE_MESSAGE,
} from "./api_client.ts";

interface Recorded {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

/** A fetch that records each request and answers with `respond`. */
function fakeFetch(respond: (req: Recorded) => Response) {
  const requests: Recorded[] = [];
  const fn: typeof fetch = (input, init) => {
    const req: Recorded = {
      url: String(input),
      method: init?.method ?? "GET",
      headers: (init?.headers ?? {}) as Record<string, string>,
      body: init?.body ? JSON.parse(String(init.body)) : undefined,
    };
    requests.push(req);
    return Promise.resolve(respond(req));
  };
  return { fn, requests };
}

const json = (data: unknown, status = 200) =>
  new Response(JSON.stringify(data), {
    status,
    headers: { "content-type": "application/json" },
  });

Deno.test("ApiClient: builds tenant URLs under the API base", () => {
  const client = new ApiClient({
    tenant: "a b",
    apiBase: "https://t.example/",
  });
  assert.equal(
    client.url("/sessions"),
    "https://t.example/api/v1/a%20b/sessions",
  );
  assert.equal(new ApiClient({ tenant: "demo" }).url("/x"), "/api/v1/demo/x");
});

Deno.test("ApiClient: socketUrl switches to ws(s) and carries since", () => {
  const local = new ApiClient({ tenant: "demo" });
  assert.equal(
    local.socketUrl("demo-image", null, "http://localhost:8000/demo/image"),
    "ws://localhost:8000/api/v1/demo/ws?urlId=demo-image",
  );
  const remote = new ApiClient({
    tenant: "demo",
    apiBase: "https://tack.example",
  });
  assert.equal(
    remote.socketUrl("a&b", 7, "http://host.example/page"),
    "wss://tack.example/api/v1/demo/ws?urlId=a%26b&since=7",
  );
});

Deno.test("ApiClient: writes send JSON and the bearer token", async () => {
  const { fn, requests } = fakeFetch(() =>
    json({ comment: { id: "c2" }, seq: 4 }, 201)
  );
  const client = new ApiClient({
    tenant: "demo",
    getToken: () => "tok",
    fetch: fn,
  });
  const result = await client.addComment("chat/1", {
    text: "hi",
    parentId: null,
    broadcastId: "b1",
  });
  assert.deepEqual(result, { comment: { id: "c2" }, seq: 4 });
  assert.equal(requests[0].method, "POST");
  assert.equal(requests[0].url, "/api/v1/demo/chats/chat%2F1/comments");
  assert.equal(requests[0].headers.authorization, "Bearer tok");
  assert.equal(requests[0].headers["content-type"], "application/json");
  assert.deepEqual(requests[0].body, {
    text: "hi",
    parentId: null,
    broadcastId: "b1",
  });
});

Deno.test("ApiClient: every endpoint uses the documented method and path", async () => {
  const { fn, requests } = fakeFetch(() => json({}));
  const client = new ApiClient({ tenant: "t", fetch: fn });
  await client.createSession("Ada");
  await client.listChats("image", "u 1");
  await client.listChats("text", "doc");
  await client.createImageChat({
    urlId: "u",
    src: "/a.png",
    x: 1,
    y: 2,
    text: "t",
    broadcastId: "b",
  });
  await client.createTextChat({
    urlId: "u",
    anchor: { quote: "q", prefix: "", suffix: "", start: 0, end: 1 },
    text: "t",
    broadcastId: "b",
  });
  await client.deleteChat("image", "c1", "b");
  await client.deleteChat("text", "c2", "b");
  await client.listComments("c1");
  await client.editComment("c1", "m1", { text: "t", broadcastId: "b" });
  await client.deleteComment("c1", "m1", "b");
  assert.deepEqual(requests.map((r) => `${r.method} ${r.url}`), [
    "POST /api/v1/t/sessions",
    "GET /api/v1/t/image-chats?urlId=u%201",
    "GET /api/v1/t/text-chats?urlId=doc",
    "POST /api/v1/t/image-chats",
    "POST /api/v1/t/text-chats",
    "DELETE /api/v1/t/image-chats/c1",
    "DELETE /api/v1/t/text-chats/c2",
    "GET /api/v1/t/chats/c1/comments",
    "PATCH /api/v1/t/chats/c1/comments/m1",
    "DELETE /api/v1/t/chats/c1/comments/m1",
  ]);
  assert.equal(requests[1].headers.authorization, undefined);
  assert.deepEqual(requests[5].body, { broadcastId: "b" });
});

Deno.test("ApiClient: createSsoSession posts the payload as it is", async () => {
  const session = {
    token: "tok-sso",
    user: { id: "sso:42", name: "Ada" },
    moderator: true,
  };
  const { fn, requests } = fakeFetch(() => json(session, 201));
  const client = new ApiClient({ tenant: "demo", fetch: fn });
  const sso = {
    userDataJSONBase64: btoa('{"id":42,"name":"Ada","moderator":true}'),
    verificationHash: "ab".repeat(32),
    timestamp: 1_700_000_000_000,
  };
  assert.deepEqual(await client.createSsoSession(sso), session);
  assert.equal(requests.length, 1);
  assert.equal(requests[0].method, "POST");
  assert.equal(requests[0].url, "/api/v1/demo/sessions");
  assert.deepEqual(requests[0].body, { sso });
});

Deno.test("ApiClient: a refusal carries the server's code, message and field", async () => {
  const { fn } = fakeFetch(() =>
    json({
      error: {
        code: "bad_request",
        message: '"text" must not be empty.',
        field: "text",
      },
    }, 400)
  );
  const client = new ApiClient({ tenant: "demo", fetch: fn });
  const error = await client.listComments("c").catch((e) => e);
  assert.ok(error instanceof ApiRequestError);
  assert.equal(error.code, "bad_request");
  assert.equal(error.status, 400);
  assert.equal(error.field, "text");
  assert.equal(error.message, '"text" must not be empty.');
});

Deno.test("ApiClient: a non-JSON error still yields a readable message", async () => {
  const { fn } = fakeFetch(() => new Response("oops", { status: 502 }));
  const client = new ApiClient({ tenant: "demo", fetch: fn });
  const error = await client.listComments("c").catch((e) => e);
  assert.equal(error.code, "server_error");
  assert.equal(error.status, 502);
  assert.match(error.message, /HTTP 502/);
});

Deno.test("ApiClient: an unreachable server is a network error", async () => {
  const client = new ApiClient({
    tenant: "demo",
    fetch: () => Promise.reject(new TypeError("Failed to fetch")),
  });
  const error = await client.createSession("Ada").catch((e) => e);
  assert.equal(error.code, "network");
  assert.equal(error.status, 0);
  assert.equal(error.message, UNREACHABLE_MESSAGE);
});
