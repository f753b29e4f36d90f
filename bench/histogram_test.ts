import assert from "node:assert/strict";
import { Histogram, type HistogramData } from "./histogram.ts";

/** A small deterministic pseudo-random generator (mulberry32). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** Latencies spread log-uniformly from 0.05 ms to 100 s. */
function latencies(count: number, seed: number): number[] {
  const next = random(seed);
  const low = Math.log10(0.05);
  const high = Math.log10(100_000);
  return Array.from(
    { length: count },
    () => 10 ** (low + next() * (high - low)),
  );
}

/** The exact value at `percent`, by the same rank rule (nearest rank). */
function exactPercentile(sorted: number[], percent: number): number {
  const rank = Math.max(1, Math.ceil((percent / 100) * sorted.length));
  return sorted[rank - 1];
}

const PERCENTS = [0, 1, 10, 25, 50, 75, 90, 95, 99, 99.9, 100];

Deno.test("percentiles are within the stated ~1.6% of the exact values", () => {
  const values = latencies(20_000, 1);
  const histogram = new Histogram();
  for (const value of values) histogram.record(value);
  const sorted = [...values].sort((a, b) => a - b);
  for (const percent of PERCENTS) {
    const exact = exactPercentile(sorted, percent);
    const got = histogram.percentile(percent);
    // The bucket's upper edge: never below the value (less µs rounding),
    // at most 1/64 above it.
    assert.ok(
      got >= exact - 0.0005,
      `p${percent}: ${got} below exact ${exact}`,
    );
    assert.ok(
      got <= (exact + 0.0005) * (1 + 1 / 64),
      `p${percent}: ${got} more than 1/64 above exact ${exact}`,
    );
    if (exact >= 1) {
      assert.ok(Math.abs(got - exact) / exact <= 0.016, `p${percent}`);
    }
  }
});

Deno.test("summary matches percentile() and exact max and mean", () => {
  const values = latencies(5_000, 2);
  const histogram = new Histogram();
  for (const value of values) histogram.record(value);
  const summary = histogram.summary();
  assert.equal(summary.count, values.length);
  assert.equal(histogram.count, values.length);
  assert.equal(summary.p50, histogram.percentile(50));
  assert.equal(summary.p95, histogram.percentile(95));
  assert.equal(summary.p99, histogram.percentile(99));
  assert.ok(summary.p50 <= summary.p95 && summary.p95 <= summary.p99);
  assert.ok(summary.p99 <= summary.max);
  assert.equal(summary.max, Math.max(...values));
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  assert.ok(Math.abs(summary.mean - mean) < 1e-9 * mean);
});

Deno.test("values under 128 µs are exact to the microsecond", () => {
  const histogram = new Histogram();
  for (let us = 1; us <= 100; us++) histogram.record(us / 1000);
  assert.equal(histogram.percentile(50), 0.05);
  assert.equal(histogram.percentile(1), 0.001);
  assert.equal(histogram.percentile(99), 0.099);
  assert.equal(histogram.percentile(100), 0.1);
});

Deno.test("an empty histogram reports zeros", () => {
  const histogram = new Histogram();
  assert.equal(histogram.count, 0);
  for (const percent of PERCENTS) {
    assert.equal(histogram.percentile(percent), 0);
  }
  assert.deepEqual(histogram.summary(), {
    count: 0,
    p50: 0,
    p95: 0,
    p99: 0,
    max: 0,
    mean: 0,
  });
  const data = histogram.toData();
  assert.equal(data.total, 0);
  assert.equal(data.minMs, 0);
  assert.equal(data.maxMs, 0);
  assert.equal(data.sumMs, 0);
  assert.ok(data.counts.length > 0);
  assert.ok(data.counts.every((count) => count === 0));
  // JSON-safe: no Infinity from the unset minimum.
  assert.deepEqual(JSON.parse(JSON.stringify(data)), data);
});

Deno.test("max is the exact largest value, not a bucket edge", () => {
  const histogram = new Histogram();
  histogram.record(1.2345678);
  histogram.record(1000.123);
  histogram.record(3.3);
  assert.equal(histogram.summary().max, 1000.123);
  // p100 lands in the top value's bucket, whose upper edge is capped at max.
  assert.equal(histogram.percentile(100), 1000.123);
  assert.equal(histogram.toData().maxMs, 1000.123);
  assert.equal(histogram.toData().minMs, 1.2345678);
});

Deno.test("a single value: every percentile is that value (capped at max)", () => {
  const histogram = new Histogram();
  histogram.record(42.42);
  for (const percent of PERCENTS) {
    assert.equal(histogram.percentile(percent), 42.42);
  }
});

Deno.test("negative values are recorded as 0", () => {
  const histogram = new Histogram();
  histogram.record(-5);
  assert.equal(histogram.count, 1);
  assert.deepEqual(histogram.summary(), {
    count: 1,
    p50: 0,
    p95: 0,
    p99: 0,
    max: 0,
    mean: 0,
  });
  histogram.record(2);
  const data = histogram.toData();
  assert.equal(data.minMs, 0);
  assert.equal(data.maxMs, 2);
  assert.equal(data.sumMs, 2); // the negative value adds 0, not −5
  assert.equal(histogram.percentile(50), 0);
  assert.equal(histogram.percentile(100), 2);
});

Deno.test("merge, toData and Histogram.from round-trip", () => {
  const a = new Histogram();
  const b = new Histogram();
  const all = new Histogram();
  latencies(3_000, 3).forEach((value, i) => {
    (i % 3 === 0 ? a : b).record(value);
    all.record(value);
  });

  const copy = Histogram.from(a.toData());
  assert.deepEqual(copy.toData(), a.toData());
  assert.deepEqual(copy.summary(), a.summary());

  // Through JSON, as results cross a Worker boundary or land in a file.
  const viaJson = Histogram.from(
    JSON.parse(JSON.stringify(a.toData())) as HistogramData,
  );
  assert.deepEqual(viaJson.summary(), a.summary());

  const merged = Histogram.from(a.toData());
  merged.merge(b.toData());
  assert.equal(merged.count, all.count);
  assert.deepEqual(merged.toData().counts, all.toData().counts);
  const m = merged.summary();
  const e = all.summary();
  assert.equal(m.p50, e.p50);
  assert.equal(m.p95, e.p95);
  assert.equal(m.p99, e.p99);
  assert.equal(m.max, e.max);
  assert.equal(merged.toData().minMs, all.toData().minMs);
  assert.ok(Math.abs(m.mean - e.mean) < 1e-9 * e.mean);
});

Deno.test("merging an empty histogram changes nothing", () => {
  const histogram = new Histogram();
  histogram.record(5);
  histogram.record(7);
  const before = histogram.toData();
  // An empty histogram exports minMs 0: it must not become the minimum.
  histogram.merge(new Histogram().toData());
  assert.deepEqual(histogram.toData(), before);
  assert.equal(histogram.toData().minMs, 5);

  const empty = new Histogram();
  empty.merge(histogram.toData());
  assert.deepEqual(empty.toData(), before);
});
