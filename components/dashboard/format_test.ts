import assert from "node:assert/strict";
import { formatBytes, formatCount } from "./format.ts";

Deno.test("formatBytes scales by powers of 1,000", () => {
  assert.equal(formatBytes(0), "0 B");
  assert.equal(formatBytes(999), "999 B");
  assert.equal(formatBytes(1_500), "1.5 KB");
  assert.equal(formatBytes(1_500_000), "1.5 MB");
  assert.equal(formatBytes(250_000_000), "250 MB");
});

Deno.test("formatCount adds thousands separators", () => {
  assert.equal(formatCount(1234567), "1,234,567");
});
