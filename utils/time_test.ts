import assert from "node:assert/strict";
import { absoluteTime, relativeTime } from "./time.ts";

const NOW = Date.UTC(2025, 5, 15, 12, 0, 0);

Deno.test("relativeTime: recent moments read as 'just now'", () => {
  assert.equal(relativeTime(NOW, NOW), "just now");
  assert.equal(relativeTime(NOW - 30_000, NOW), "just now");
  // A timestamp slightly ahead of the local clock is not "in the future".
  assert.equal(relativeTime(NOW + 5_000, NOW), "just now");
});

Deno.test("relativeTime: minutes, hours, yesterday, days", () => {
  assert.equal(relativeTime(NOW - 50_000, NOW), "1 min ago");
  assert.equal(relativeTime(NOW - 5 * 60_000, NOW), "5 min ago");
  assert.equal(relativeTime(NOW - 3 * 3_600_000, NOW), "3 h ago");
  assert.equal(relativeTime(NOW - 30 * 3_600_000, NOW), "yesterday");
  assert.equal(relativeTime(NOW - 4 * 86_400_000, NOW), "4 days ago");
});

Deno.test("relativeTime: older dates show the date, with the year only when it differs", () => {
  assert.equal(relativeTime(Date.UTC(2025, 0, 3), NOW), "Jan 3");
  assert.equal(relativeTime(Date.UTC(2023, 10, 20), NOW), "Nov 20, 2023");
});

Deno.test("absoluteTime: minute precision in UTC", () => {
  assert.equal(
    absoluteTime(Date.UTC(2025, 2, 1, 14, 5, 59)),
    "2025-03-01 14:05 UTC",
  );
});
