/**
 * Helpers for API integration tests: a small client for a test server, the
 * app's own client signed in as a new user, a stored marker, a check that a refused write left the store as it was, and reads of what the
 * server stored.
 *
 * @module
 */

import assert from "node:assert/strict";
import { createSession, dumpKv, type TestServer } from "./_server.ts";
import { ApiClient } from "../utils/api_client.ts";
import { keys } from "../utils/db_kv.ts";
import type { ImageChat, RoomEvent } from "../utils/protocol.ts";

/** A response's status and parsed JSON body. */
export interface Reply {
  status: number;
  // deno-lint-ignore no-explicit-any
  body: any;
}

/** The expected status, error code and (optionally) field of a refusal. */
export type Refusal = [status: number, code: string, field?: string];

/**
 * Sends a request to `/api/v1/{path}` of a test server, JSON unless `body`
 * is a string (sent as it is, so tests can send malformed JSON), and reads
 * the response as text.
 *
 * @example
 * ```ts
 * const res = await sendApi(server, "POST", "demo/sessions", { name: "Ada" });
 * ```
 */
export async function sendApi(
  server: TestServer,
  method: string,
  path: string,
  body?: unknown,
  token?: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; text: string }> {
  const all: Record<string, string> = {
    "content-type": "application/json",
    ...headers,
  };
  if (token) all.authorization = `Bearer ${token}`;
  const res = await fetch(`${server.url}/api/v1/${path}`, {
    method,
    headers: all,
    body: body === undefined
      ? undefined
      : typeof body === "string"
      ? body
      : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/**
 * A client for `/api/v1/…` of a test server. A string body is sent as it is,
 * so tests can send malformed JSON.
 *
 * @example
 * ```ts
 * const { api, refused } = apiClient(server);
 * await api("POST", "demo/sessions", { name: "Ada" });
 * await refused([401, "unauthorized"], "POST", "demo/image-chats", {});
 * ```
 */
export function apiClient(server: TestServer) {
  const api = async (
    method: string,
    path: string,
    body?: unknown,
    token?: string,
  ): Promise<Reply> => {
    const { status, text } = await sendApi(server, method, path, body, token);
    return { status, body: text ? JSON.parse(text) : null };
  };

  /** Sends a write that must be refused, and checks nothing was stored. */
  const refused = async (
    expected: Refusal,
    method: string,
    path: string,
    body?: unknown,
    token?: string,
  ) => {
    const before = await dumpKv(server.kvPath);
    const { status, body: answer } = await api(method, path, body, token);
    const [wantStatus, wantCode, wantField] = expected;
    const label = `${method} ${path} ${String(body).slice(0, 80)}`;
    assert.equal(status, wantStatus, `${label}: ${JSON.stringify(answer)}`);
    assert.equal(answer.error.code, wantCode, label);
    assert.equal(typeof answer.error.message, "string");
    if (wantField) assert.equal(answer.error.field, wantField, label);
    assert.equal(await dumpKv(server.kvPath), before, `${label} stored data`);
  };

  return { api, refused };
}

/**
 * What a server stored under a key prefix.
 *
 * @example
 * ```ts
 * await storedEntries(server.kvPath, keys.comments("demo", chatId));
 * ```
 */
export async function storedEntries<T>(kvPath: string, prefix: Deno.KvKey) {
  const kv = await Deno.openKv(kvPath);
  try {
    return await Array.fromAsync(kv.list<T>({ prefix }));
  } finally {
    kv.close();
  }
}

/**
 * The events a server logged for a room of the demo tenant, oldest first.
 *
 * @example
 * ```ts
 * const [event] = await storedEvents(server.kvPath, "demo-image");
 * ```
 */
export async function storedEvents(
  kvPath: string,
  urlId: string,
): Promise<RoomEvent[]> {
  const prefix = keys.events("demo", urlId);
  const entries = await storedEntries<{ event: RoomEvent }>(kvPath, prefix);
  return entries.map((entry) => entry.value.event);
}

/**
 * A valid `POST /image-chats` body, with fields overridden.
 *
 * @example
 * ```ts
 * await api("POST", "demo/image-chats", marker("room", { x: 101 }), token);
 * ```
 */
export function marker(urlId: string, over: Record<string, unknown> = {}) {
  return {
    urlId,
    src: "/sample.jpg",
    x: 25,
    y: 75.5,
    text: "Look at this",
    broadcastId: crypto.randomUUID(),
    ...over,
  };
}

/**
 * A marker as the store holds it, for store and hub tests.
 *
 * @example
 * ```ts
 * const chat = storedMarker("c1", "room");
 * ```
 */
export function storedMarker(
  id: string,
  urlId: string,
  createdAt = 1,
): ImageChat {
  return {
    id,
    urlId,
    src: "/a.png",
    x: 10,
    y: 20,
    commentCount: 1,
    createdAt,
    createdBy: { id: "u1", name: "Ada" },
  };
}

/**
 * The app's REST client, signed in as a new anonymous user named `name`.
 *
 * @example
 * ```ts
 * const api = await signedInClient(server.url, "demo", "Ada");
 * ```
 */
export async function signedInClient(
  baseUrl: string,
  tenant: string,
  name: string,
): Promise<ApiClient> {
  const { token } = await createSession(baseUrl, tenant, name);
  return new ApiClient({ tenant, apiBase: baseUrl, getToken: () => token });
}
