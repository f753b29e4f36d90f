import assert from "node:assert/strict";
import {
  flushLogs,
  isoTime,
  type LogFields,
  logLine,
  requestLog,
  setLogSink,
} from "./log.ts";

const MODULE = new URL("./log.ts", import.meta.url).href;

/**
 * Runs `body` with log output captured: returns each chunk the sink got, as
 * text, which `body` sees as they come. Lines buffered before and after go to stdout as usual.
 */
function capture(body: (chunks: string[]) => void): string[] {
  const chunks: string[] = [];
  const decoder = new TextDecoder();
  const previous = setLogSink((bytes) => chunks.push(decoder.decode(bytes)));
  try {
    body(chunks);
  } finally {
    setLogSink(previous);
  }
  return chunks;
}

Deno.test("requestLog reads the tenant from API paths and the room from urlId", () => {
  const url = "http://x/api/v1/acme%20co/image-chats?urlId=page%2F1";
  const expected = {
    event: "request",
    method: "POST",
    path: "/api/v1/acme%20co/image-chats",
    status: 201,
    ms: 12.3,
    tenant: "acme co",
    room: "page/1",
  };
  assert.deepEqual(requestLog("POST", url, 201, 12.345), expected);
  assert.deepEqual(requestLog("POST", new URL(url), 201, 12.345), expected);
});

Deno.test("requestLog leaves out a tenant and room it cannot know", () => {
  const log = requestLog("GET", "http://x/healthz", 200, 1);
  assert.equal("tenant" in log, false);
  assert.equal("room" in log, false);
  const bad = requestLog("GET", "http://x/api/v1/%E0%A4%A/ws", 400, 1);
  assert.equal(bad.tenant, "%E0%A4%A");
  const noRoom = requestLog("GET", "http://x/api/v1/demo/ws?urlId=", 101, 1);
  assert.equal("room" in noRoom, false);
});

Deno.test("logLine writes one JSON line with the time first", () => {
  const chunks = capture(() => {
    logLine({ event: "socket_open", tenant: "demo", skipped: undefined });
    flushLogs();
  });
  assert.equal(chunks.length, 1);
  assert.ok(chunks[0].endsWith("\n"));
  const lines = chunks[0].slice(0, -1).split("\n");
  assert.equal(lines.length, 1);
  const parsed = JSON.parse(lines[0]);
  assert.deepEqual(Object.keys(parsed), ["time", "event", "tenant"]);
  assert.equal(parsed.event, "socket_open");
  assert.ok(Math.abs(Date.parse(parsed.time) - Date.now()) < 5_000);
});

Deno.test("logLine writes what JSON.stringify of the time and fields wrote", () => {
  const cases: LogFields[] = [
    {},
    { skipped: undefined },
    {
      event: "request",
      method: "POST",
      path: "/api/v1/acme%20co/x",
      status: 201,
      ms: 1.5,
    },
    { quote: 'a "b"\n\\c', unicode: "é✓😀", flag: false, nan: NaN },
    { event: "x", time: "given" },
    { time: undefined, event: "y" },
  ];
  const chunks = capture(() => {
    for (const fields of cases) logLine(fields);
    flushLogs();
  });
  const lines = chunks.join("").split("\n");
  assert.equal(lines.pop(), "");
  assert.equal(lines.length, cases.length);
  lines.forEach((line, i) => {
    const time = /^\{"time":"([^"]+)"/.exec(line)?.[1] ?? "";
    // The reference: the old way of writing a line, with this line's time.
    const expected = JSON.stringify({ time, ...cases[i] });
    assert.equal(line, expected, JSON.stringify(cases[i]));
  });
});

Deno.test("isoTime formats like toISOString", () => {
  const base = Date.UTC(2025, 0, 31, 23, 59, 59);
  for (
    const ms of [
      0,
      5,
      -1,
      -1001,
      base,
      base + 7,
      base + 42,
      base + 999,
      base + 1000,
      base + 1001,
      base - 999,
      Date.now(),
      Date.UTC(10000, 0, 1, 0, 0, 0, 12),
    ]
  ) {
    assert.equal(isoTime(ms), new Date(ms).toISOString(), String(ms));
  }
});

Deno.test("logLine buffers lines until a flush, which writes them all in order", () => {
  const chunks = capture((chunks) => {
    logLine({ n: 1 });
    logLine({ n: 2 });
    logLine({ n: 3 });
    assert.deepEqual(chunks, [], "written before any flush");
    flushLogs();
    assert.equal(chunks.length, 1, "one write per flush");
    flushLogs(); // Nothing left: nothing to write.
  });
  assert.equal(chunks.length, 1);
  const ns = chunks[0].trimEnd().split("\n").map((line) => JSON.parse(line).n);
  assert.deepEqual(ns, [1, 2, 3]);
});

Deno.test("logLine flushes by itself once the buffer is full", () => {
  const text = "x".repeat(1000);
  let before = -1;
  const chunks = capture((chunks) => {
    // About 70 KiB in all, more than the buffer holds.
    for (let n = 0; n < 70; n++) logLine({ n, text });
    before = chunks.length;
    flushLogs();
  });
  assert.ok(before >= 1, "nothing written before the explicit flush");
  const all = chunks.join("");
  assert.ok(chunks.every((chunk) => chunk.endsWith("\n")), "a line was split");
  const ns = all.trimEnd().split("\n").map((line) => JSON.parse(line).n);
  assert.deepEqual(ns, Array.from({ length: 70 }, (_, n) => n));
  assert.ok(chunks[0].length <= 64 * 1024);
});

Deno.test("logLine writes a line longer than the whole buffer", () => {
  const text = "é".repeat(40_000); // 80 kB of UTF-8.
  const chunks = capture(() => {
    logLine({ before: true });
    logLine({ text });
    logLine({ after: true });
    flushLogs();
  });
  const lines = chunks.join("").trimEnd().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(lines.map((line) => Object.keys(line)[1]), [
    "before",
    "text",
    "after",
  ]);
  assert.equal(lines[1].text, text);
});

Deno.test("logLine flushes by itself about 50 ms after the first line", async () => {
  const chunks: string[] = [];
  const decoder = new TextDecoder();
  const previous = setLogSink((bytes) => chunks.push(decoder.decode(bytes)));
  try {
    logLine({ event: "delayed" });
    assert.equal(chunks.length, 0);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(chunks.length, 1);
    assert.match(chunks[0], /"event":"delayed"/);
  } finally {
    setLogSink(previous);
  }
});

/** Runs `code` in a child process; returns its stdout. */
async function runChild(code: string): Promise<string> {
  const { stdout, success } = await new Deno.Command(Deno.execPath(), {
    args: ["eval", code],
    stdout: "piped",
    stderr: "null",
  }).output();
  assert.ok(success || code.includes("throw"), "the child failed");
  return new TextDecoder().decode(stdout);
}

Deno.test("buffered lines reach stdout when the process ends", async () => {
  const imports = `import { logLine } from ${JSON.stringify(MODULE)};`;
  const normal = await runChild(`${imports} logLine({ event: "end" });`);
  assert.match(normal, /^\{"time":"[^"]+","event":"end"\}\n$/);
  const exited = await runChild(
    `${imports} logLine({ event: "exit" }); Deno.exit(0);`,
  );
  assert.match(exited, /"event":"exit"/);
  const crashed = await runChild(
    `${imports} logLine({ event: "crash" });
    setTimeout(() => { throw new Error("boom"); }, 0);`,
  );
  assert.match(crashed, /"event":"crash"/);
});

Deno.test("stdout gets the lines of a running process within the delay", async () => {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "eval",
      `import { logLine } from ${JSON.stringify(MODULE)};
      logLine({ event: "live" });
      setInterval(() => {}, 1_000);`,
    ],
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let output = "";
  const deadline = setTimeout(() => child.kill("SIGKILL"), 10_000);
  try {
    while (!output.includes("\n")) {
      const { done, value } = await reader.read();
      if (done) break;
      output += value;
    }
  } finally {
    clearTimeout(deadline);
    try {
      child.kill("SIGKILL");
    } catch {
      // Already gone.
    }
    await reader.cancel();
    await child.status;
  }
  assert.match(output, /"event":"live"/);
});
