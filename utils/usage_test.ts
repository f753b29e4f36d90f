import assert from "node:assert/strict";
import {
  parseDayRange,
  periodPresets,
  usageCsv,
  usageCsvFileName,
} from "./usage.ts";
import { ApiError } from "./validation.ts";

const NOW = Date.UTC(2025, 2, 31, 15);

Deno.test("parseDayRange defaults to the last 30 days", () => {
  assert.deepEqual(parseDayRange(null, null, NOW), {
    from: "2025-03-02",
    to: "2025-03-31",
  });
  assert.deepEqual(parseDayRange(null, "2025-01-30", NOW), {
    from: "2025-01-01",
    to: "2025-01-30",
  });
});

Deno.test("parseDayRange refuses bad dates, reversed and overlong ranges", () => {
  for (
    const [from, to] of [
      ["2025-02-30", null],
      ["25-01-01", null],
      ["2025-03-02", "2025-03-01"],
      ["2024-01-01", "2025-01-01"],
    ]
  ) {
    assert.throws(
      () => parseDayRange(from, to, NOW),
      (err) => err instanceof ApiError && err.code === "bad_request",
    );
  }
  assert.deepEqual(parseDayRange("2024-01-01", "2024-12-31", NOW), {
    from: "2024-01-01",
    to: "2024-12-31",
  });
});

Deno.test("usageCsv: a header, then one row per day in metric order", () => {
  const day = (d: string, n: number) => ({
    day: d,
    pubSubMessageCount: n,
    pubSubBandwidth: n * 100,
    conversationCreateCount: 1,
    commentCount: 2,
    peakViewers: 3,
  });
  const report = {
    tenant: "acme",
    from: "2025-01-30",
    to: "2025-01-31",
    days: [day("2025-01-30", 0), day("2025-01-31", 1234567)],
    totals: day("", 1234567),
    busiestRooms: [],
  };
  assert.equal(
    usageCsv(report),
    "day,pubSubMessageCount,pubSubBandwidth,conversationCreateCount,commentCount,peakViewers\r\n" +
      "2025-01-30,0,0,1,2,3\r\n" +
      "2025-01-31,1234567,123456700,1,2,3\r\n",
  );
  assert.equal(
    usageCsvFileName(report),
    "tack-usage-acme-2025-01-30-to-2025-01-31.csv",
  );
});

Deno.test("periodPresets: the last 7, 30 and 90 days, this month and last month", () => {
  // Across a year's start, in a leap year's March.
  assert.deepEqual(periodPresets(Date.UTC(2024, 0, 10, 23, 59)), [
    { label: "Last 7 days", from: "2024-01-04", to: "2024-01-10" },
    { label: "Last 30 days", from: "2023-12-12", to: "2024-01-10" },
    { label: "Last 90 days", from: "2023-10-13", to: "2024-01-10" },
    { label: "This month", from: "2024-01-01", to: "2024-01-10" },
    { label: "Last month", from: "2023-12-01", to: "2023-12-31" },
  ]);
  const march = periodPresets(Date.UTC(2024, 2, 1));
  assert.deepEqual(march.at(-1), {
    label: "Last month",
    from: "2024-02-01",
    to: "2024-02-29",
  });
  // Every preset is a range the dashboard accepts.
  for (const { from, to } of march) {
    assert.deepEqual(parseDayRange(from, to, Date.UTC(2024, 2, 1)), {
      from,
      to,
    });
  }
  // The default period is one of them.
  assert.deepEqual(
    { ...periodPresets(NOW)[1], label: undefined },
    { ...parseDayRange(null, null, NOW), label: undefined },
  );
});
