/**
 * A small HDR-style latency histogram: log-linear buckets over whole
 * microseconds, about 1.6% relative precision from 0 µs to over half an hour,
 * in a fixed 1,664-slot array. Recording is O(1), merging is a vector add, and
 * the counts cross a Worker boundary as a plain array.
 *
 * @module
 */

/** Bits of sub-bucket resolution: 2^7 = 128 sub-buckets, ±1/64 precision. */
const SUB_BUCKET_BITS = 7;
const SUB_BUCKET_COUNT = 1 << SUB_BUCKET_BITS;
const SUB_BUCKET_HALF = SUB_BUCKET_COUNT >> 1;
/** Values are clamped to 2^31 − 1 µs (about 35 minutes). */
const MAX_VALUE_US = 0x7fffffff;
const BUCKET_SLOTS = SUB_BUCKET_COUNT +
  (31 - SUB_BUCKET_BITS) * SUB_BUCKET_HALF;

/** A histogram's state in plain data, for `postMessage` and JSON. */
export interface HistogramData {
  counts: number[];
  total: number;
  /** Exact smallest and largest recorded values, in milliseconds. */
  minMs: number;
  maxMs: number;
  sumMs: number;
}

/** Percentiles of a histogram, in milliseconds. */
export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

function slotOf(us: number): number {
  if (us < SUB_BUCKET_COUNT) return us;
  const msb = 31 - Math.clz32(us);
  const shift = msb - (SUB_BUCKET_BITS - 1);
  return SUB_BUCKET_COUNT + (shift - 1) * SUB_BUCKET_HALF +
    ((us >>> shift) - SUB_BUCKET_HALF);
}

/** The largest value (µs) that lands in `slot`, as HDR reports it. */
function highestInSlot(slot: number): number {
  if (slot < SUB_BUCKET_COUNT) return slot;
  const shift = Math.floor((slot - SUB_BUCKET_COUNT) / SUB_BUCKET_HALF) + 1;
  const sub = (slot - SUB_BUCKET_COUNT) % SUB_BUCKET_HALF + SUB_BUCKET_HALF;
  return (sub + 1) * 2 ** shift - 1;
}

/** Records latencies and answers percentile queries. */
export class Histogram {
  #counts = new Float64Array(BUCKET_SLOTS);
  #total = 0;
  #minMs = Infinity;
  #maxMs = 0;
  #sumMs = 0;

  /** Builds a histogram from data another histogram exported. */
  static from(data: HistogramData): Histogram {
    const histogram = new Histogram();
    histogram.merge(data);
    return histogram;
  }

  /** Number of recorded values. */
  get count(): number {
    return this.#total;
  }

  /**
   * Records one latency.
   *
   * @example
   * ```ts
   * const h = new Histogram();
   * h.record(1.25);
   * h.percentile(50); // ≈ 1.25
   * ```
   */
  record(ms: number): void {
    const clamped = Math.max(0, ms);
    const us = Math.min(MAX_VALUE_US, Math.round(clamped * 1000));
    this.#counts[slotOf(us)]++;
    this.#total++;
    this.#sumMs += clamped;
    if (clamped < this.#minMs) this.#minMs = clamped;
    if (clamped > this.#maxMs) this.#maxMs = clamped;
  }

  /** Adds another histogram's counts to this one. */
  merge(other: HistogramData): void {
    for (let i = 0; i < other.counts.length; i++) {
      this.#counts[i] += other.counts[i];
    }
    this.#total += other.total;
    this.#sumMs += other.sumMs;
    if (other.total > 0) {
      this.#minMs = Math.min(this.#minMs, other.minMs);
      this.#maxMs = Math.max(this.#maxMs, other.maxMs);
    }
  }

  /**
   * The value at or below which `percent` of recorded values fall, in ms
   * (the bucket's upper edge, capped at the exact maximum). 0 when empty.
   */
  percentile(percent: number): number {
    if (this.#total === 0) return 0;
    const rank = Math.max(1, Math.ceil((percent / 100) * this.#total));
    let seen = 0;
    for (let slot = 0; slot < BUCKET_SLOTS; slot++) {
      seen += this.#counts[slot];
      if (seen >= rank) {
        return Math.min(highestInSlot(slot) / 1000, this.#maxMs);
      }
    }
    return this.#maxMs;
  }

  /** p50, p95, p99, max and mean in milliseconds. */
  summary(): LatencySummary {
    return {
      count: this.#total,
      p50: this.percentile(50),
      p95: this.percentile(95),
      p99: this.percentile(99),
      max: this.#maxMs,
      mean: this.#total === 0 ? 0 : this.#sumMs / this.#total,
    };
  }

  /** Plain data for `postMessage`, `Histogram.from` and `merge`. */
  toData(): HistogramData {
    return {
      counts: Array.from(this.#counts),
      total: this.#total,
      minMs: this.#total === 0 ? 0 : this.#minMs,
      maxMs: this.#maxMs,
      sumMs: this.#sumMs,
    };
  }
}
