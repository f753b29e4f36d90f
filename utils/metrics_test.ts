import assert from "node:assert/strict";
import { closeKv } from "./db_kv.ts";
import { UsageMeter, utcDay } from "./metrics.ts";
import { readUsage } from "./usage.ts";

Deno.env.set("DENO_KV_PATH", ":memory:");

const DAY = Date.UTC(2025, 4, 10, 12);

Deno.test("utcDay names the UTC day", () => {
  assert.equal(utcDay(Date.UTC(2025, 0, 31, 23, 59)), "2025-01-31");
});

Deno.test("a flush sums what several meters counted, per day and room", async () => {
  let now = DAY;
  const clock = () => now;
  const a = new UsageMeter({ now: clock, isolateId: "a" });
  const b = new UsageMeter({ now: clock, isolateId: "b" });
  try {
    a.delivered("t", "room-1", 3, 300);
    b.delivered("t", "room-1", 2, 200);
    b.delivered("t", "room-2", 1, 50);
    a.conversationCreated("t");
    b.commentAdded("t");
    await Promise.all([a.flush(), b.flush()]);
    now += 86_400_000;
    a.delivered("t", "room-2", 10, 1_000);
    await a.flush();

    const report = await readUsage("t", {
      from: utcDay(DAY),
      to: utcDay(now),
    });
    assert.deepEqual(report.days.map((d) => d.pubSubMessageCount), [6, 10]);
    assert.deepEqual(report.totals, {
      pubSubMessageCount: 16,
      pubSubBandwidth: 1_550,
      conversationCreateCount: 1,
      commentCount: 2,
      peakViewers: 0,
    });
    assert.deepEqual(report.busiestRooms, [
      { urlId: "room-2", pubSubMessageCount: 11, pubSubBandwidth: 1_050 },
      { urlId: "room-1", pubSubMessageCount: 5, pubSubBandwidth: 500 },
    ]);
  } finally {
    await Promise.all([a.stop(), b.stop()]);
    await closeKv();
  }
});

Deno.test("the peak of viewers adds up isolates and keeps short visits", async () => {
  const now = () => DAY;
  const a = new UsageMeter({ now, isolateId: "a" });
  const b = new UsageMeter({ now, isolateId: "b" });
  try {
    a.viewers("t", 1);
    a.viewers("t", 1);
    await a.flush();
    // Three come and go between two flushes of b: they still count.
    for (let i = 0; i < 3; i++) b.viewers("t", 1);
    for (let i = 0; i < 3; i++) b.viewers("t", -1);
    await b.flush();
    const report = await readUsage("t", { from: utcDay(DAY), to: utcDay(DAY) });
    assert.equal(report.totals.peakViewers, 5);
  } finally {
    await Promise.all([a.stop(), b.stop()]);
    await closeKv();
  }
});

Deno.test("counts of a failed flush are kept for the next one", async () => {
  const errors: unknown[] = [];
  const meter = new UsageMeter({
    now: () => DAY,
    onError: (error) => errors.push(error),
  });
  try {
    meter.delivered("t", "r", 1, 10);
    // KV cannot open under a path whose "folder" is a file.
    const file = await Deno.makeTempFile();
    Deno.env.set("DENO_KV_PATH", `${file}/x.kv`);
    await meter.flush();
    assert.equal(errors.length, 1);
    await closeKv().catch(() => {});
    await Deno.remove(file);
    Deno.env.set("DENO_KV_PATH", ":memory:");
    meter.delivered("t", "r", 1, 10);
    await meter.flush();
    const report = await readUsage("t", { from: utcDay(DAY), to: utcDay(DAY) });
    assert.equal(report.totals.pubSubMessageCount, 2);
  } finally {
    Deno.env.set("DENO_KV_PATH", ":memory:");
    await meter.stop();
    await closeKv();
  }
});
