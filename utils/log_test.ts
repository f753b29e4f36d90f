import assert from "node:assert/strict";
import { logLine, requestLog } from "./log.ts";

Deno.test("requestLog reads the tenant from API paths and the room from urlId", () => {
  const req = new Request(
    "http://x/api/v1/acme%20co/image-chats?urlId=page%2F1",
    { method: "POST" },
  );
  assert.deepEqual(requestLog(req, 201, 12.345), {
    event: "request",
    method: "POST",
    path: "/api/v1/acme%20co/image-chats",
    status: 201,
    ms: 12.3,
    tenant: "acme co",
    room: "page/1",
  });
});

Deno.test("requestLog leaves out a tenant and room it cannot know", () => {
  const log = requestLog(new Request("http://x/healthz"), 200, 1);
  assert.equal("tenant" in log, false);
  assert.equal("room" in log, false);
  const bad = requestLog(new Request("http://x/api/v1/%E0%A4%A/ws"), 400, 1);
  assert.equal(bad.tenant, "%E0%A4%A");
});

Deno.test("logLine writes one JSON line with the time first", () => {
  const lines: string[] = [];
  const original = console.log;
  console.log = (line: string) => lines.push(line);
  try {
    logLine({ event: "socket_open", tenant: "demo", skipped: undefined });
  } finally {
    console.log = original;
  }
  assert.equal(lines.length, 1);
  const parsed = JSON.parse(lines[0]);
  assert.deepEqual(Object.keys(parsed), ["time", "event", "tenant"]);
  assert.equal(parsed.event, "socket_open");
  assert.ok(!Number.isNaN(Date.parse(parsed.time)));
});
