/**
 * Text anchors: describe a selection so that it can be found again after the
 * document changed. An anchor keeps the quote, some context on each side and
 * the offsets (W3C Web Annotation's TextQuoteSelector plus
 * TextPositionSelector); `locate` tries the offsets, then an exact search,
 * then an approximate one, and gives up (an orphan) rather than guess.
 *
 * The text model is the root element's `textContent`; offsets are UTF-16 code
 * units into it, as DOM Range offsets are. Pure string functions, shared by
 * the server and the islands.
 *
 * @module
 */

import type { Anchor } from "./protocol.ts";
import { search, similarityTo } from "./edit_distance.ts";

/** How an anchor was found again. */
export type LocateMethod = "position" | "exact" | "fuzzy";

/** Where an anchor sits in the current text. */
export interface Located {
  start: number;
  end: number;
  /** Confidence in [0, 1]: quote, context and position agreement. */
  score: number;
  method: LocateMethod;
}

/** Options of `describe`. */
export interface DescribeOptions {
  /**
   * Characters of context kept on each side of the quote.
   * @default 32
   */
  contextLength?: number;
}

/** Options of `locate` and `locateAll`. */
export interface LocateOptions {
  /**
   * Largest share of the quote's length that may differ in an approximate
   * match.
   * @default 0.25
   */
  maxErrorRate?: number;
  /**
   * Absolute cap on the edits an approximate match may have, so that long
   * quotes cannot drift onto unrelated text.
   * @default 64
   */
  maxErrors?: number;
  /**
   * Lowest score an approximate match needs; below it the anchor is an
   * orphan.
   * @default 0.7
   */
  minScore?: number;
}

const DEFAULTS: Required<LocateOptions> & Required<DescribeOptions> = {
  contextLength: 32,
  maxErrorRate: 0.25,
  maxErrors: 64,
  minScore: 0.7,
};

// Weights of the score. A longer quote is stronger evidence on its own, so
// the quote's weight grows with its length (per 32 characters).
const QUOTE_WEIGHT = 50;
const CONTEXT_WEIGHT = 20;
const POSITION_WEIGHT = 2;
// An exact match whose context agrees less than this may be the wrong copy of
// a common phrase, so approximate matches get a chance to beat it.
const TRUSTED_CONTEXT = 0.5;
// Approximate candidates beyond this many (fewest errors first) are not
// scored; only very short quotes in very long texts reach it.
const MAX_CANDIDATES = 500;
// The approximate search looks this far (or twice the quote's length) around
// the expected place before it scans the whole text.
const WINDOW_MARGIN = 512;

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/**
 * Describes the passage `text.slice(start, end)` as an anchor: the quote, up
 * to `contextLength` characters of context on each side (never half of a
 * surrogate pair), and the offsets.
 *
 * @example
 * ```ts
 * describe("Notes in the margin of a book.", 13, 19);
 * // { quote: "margin", prefix: "Notes in the ", suffix: " of a book.", start: 13, end: 19 }
 * ```
 */
export function describe(
  text: string,
  start: number,
  end: number,
  { contextLength = DEFAULTS.contextLength }: DescribeOptions = {},
): Anchor {
  if (!(0 <= start && start < end && end <= text.length)) {
    throw new RangeError(
      `Cannot describe [${start}, ${end}) in a text of ${text.length}.`,
    );
  }
  let prefixStart = Math.max(0, start - contextLength);
  if (prefixStart > 0 && isLowSurrogate(text.charCodeAt(prefixStart))) {
    prefixStart++;
  }
  let suffixEnd = Math.min(text.length, end + contextLength);
  if (
    suffixEnd < text.length && isHighSurrogate(text.charCodeAt(suffixEnd - 1))
  ) {
    suffixEnd--;
  }
  return {
    quote: text.slice(start, end),
    prefix: text.slice(prefixStart, start),
    suffix: text.slice(end, suffixEnd),
    start,
    end,
  };
}

interface Candidate extends Located {
  /** Mean agreement of the prefix and suffix. */
  context: number;
}

type Scorer = (
  start: number,
  end: number,
  errors: number,
  method: LocateMethod,
) => Candidate;

/**
 * Scores candidate occurrences of `anchor`'s quote by quote, context and
 * distance from `expected`, where the passage should be if it did not move.
 */
function scorer(text: string, anchor: Anchor, expected: number): Scorer {
  const { prefix, suffix, quote } = anchor;
  const toPrefix = similarityTo(prefix);
  const toSuffix = similarityTo(suffix);
  const quoteWeight = QUOTE_WEIGHT * Math.max(1, quote.length / 32);
  const total = quoteWeight + 2 * CONTEXT_WEIGHT + POSITION_WEIGHT;
  return (start, end, errors, method) => {
    const prefixSimilarity = toPrefix(
      text.slice(Math.max(0, start - prefix.length), start),
    );
    const suffixSimilarity = toSuffix(text.slice(end, end + suffix.length));
    const drift = Math.abs(start - expected) / Math.max(1, text.length);
    const score = (quoteWeight * (1 - errors / quote.length) +
      CONTEXT_WEIGHT * (prefixSimilarity + suffixSimilarity) +
      POSITION_WEIGHT * (1 - Math.min(1, drift))) / total;
    const context = (prefixSimilarity + suffixSimilarity) / 2;
    return { start, end, score, method, context };
  };
}

function better(a: Candidate | null, b: Candidate | null): Candidate | null {
  return a === null || (b !== null && b.score > a.score) ? b : a;
}

/** The best exact occurrence of the quote, or null if there is none. */
function bestExact(text: string, quote: string, score: Scorer) {
  let best: Candidate | null = null;
  for (
    let at = text.indexOf(quote);
    at !== -1;
    at = text.indexOf(quote, at + 1)
  ) {
    best = better(best, score(at, at + quote.length, 0, "exact"));
  }
  return best;
}

/** The best approximate occurrence inside [from, to), or null. */
function bestFuzzy(
  text: string,
  quote: string,
  maxErrors: number,
  score: Scorer,
  from: number,
  to: number,
): Candidate | null {
  const occurrences = search(text, quote, maxErrors, from, to);
  if (occurrences.length > MAX_CANDIDATES) {
    occurrences.sort((a, b) => a.errors - b.errors);
    occurrences.length = MAX_CANDIDATES;
  }
  let best: Candidate | null = null;
  for (const { start, end, errors } of occurrences) {
    best = better(best, score(start, end, errors, "fuzzy"));
  }
  return best;
}

/**
 * `locate`, expecting the passage near `expected`. The approximate search
 * looks around `expected` first and scans the whole text only when nothing
 * convincing is there: passages are usually edited in place.
 */
function locateNear(
  text: string,
  anchor: Anchor,
  expected: number,
  options: LocateOptions,
): Located | null {
  const { maxErrorRate, maxErrors, minScore } = { ...DEFAULTS, ...options };
  const { quote, start, end } = anchor;
  if (quote.length === 0) return null;
  if (end - start === quote.length && text.slice(start, end) === quote) {
    return { start, end, score: 1, method: "position" };
  }

  const score = scorer(text, anchor, expected);
  const exact = bestExact(text, quote, score);
  if (exact && exact.context >= TRUSTED_CONTEXT) return strip(exact);

  const allowed = Math.min(maxErrors, Math.floor(quote.length * maxErrorRate));
  if (allowed === 0) return exact && strip(exact);
  const convincing = (c: Candidate | null) =>
    c !== null && c.score >= minScore && c.context >= TRUSTED_CONTEXT;
  const margin = Math.max(WINDOW_MARGIN, 2 * quote.length);
  const from = Math.max(0, expected - margin);
  const to = Math.min(text.length, expected + quote.length + margin);
  let fuzzy = bestFuzzy(text, quote, allowed, score, from, to);
  if (!convincing(fuzzy) && (from > 0 || to < text.length)) {
    fuzzy = better(
      fuzzy,
      bestFuzzy(text, quote, allowed, score, 0, text.length),
    );
  }
  if (fuzzy && fuzzy.score < minScore) fuzzy = null;
  const best = better(exact, fuzzy);
  return best && strip(best);
}

/**
 * Finds `anchor` in `text`: at its offsets if they still hold the quote; else
 * the exact occurrence whose context and position agree best; else the best
 * approximate occurrence within the error bound, if it scores at least
 * `minScore`. Returns null when the passage is gone (an orphan).
 *
 * @example
 * ```ts
 * const anchor = describe("Notes in the margin of a book.", 13, 19);
 * locate("Old notes in the margin of a book.", anchor);
 * // { start: 17, end: 23, score: 0.99…, method: "exact" }
 * ```
 */
export function locate(
  text: string,
  anchor: Anchor,
  options: LocateOptions = {},
): Located | null {
  return locateNear(text, anchor, anchor.start, options);
}

function strip({ start, end, score, method }: Candidate): Located {
  return { start, end, score, method };
}

/**
 * Locates each anchor in the same text; entry `i` is where `anchors[i]` is
 * now, or null. Faster than calling `locate` for each, since each passage's
 * approximate search starts where its neighbours were found.
 *
 * @example
 * ```ts
 * const text = "one two three";
 * locateAll(text, [describe(text, 0, 3), describe(text, 8, 13)]);
 * // [{ start: 0, end: 3, … }, { start: 8, end: 13, … }]
 * ```
 */
export function locateAll(
  text: string,
  anchors: readonly Anchor[],
  options: LocateOptions = {},
): (Located | null)[] {
  // In document order, each passage is expected to have moved as far as the
  // one before it did: edits above a passage shift it and its neighbours
  // alike, which keeps the approximate search near the right place.
  const order = anchors.map((_, i) => i).sort((a, b) =>
    anchors[a].start - anchors[b].start
  );
  const results: (Located | null)[] = new Array(anchors.length).fill(null);
  let shift = 0;
  for (const i of order) {
    const anchor = anchors[i];
    const found = locateNear(text, anchor, anchor.start + shift, options);
    if (found) shift = found.start - anchor.start;
    results[i] = found;
  }
  return results;
}
