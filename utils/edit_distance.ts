/**
 * Bit-parallel edit distance (Myers 1999, in the block form with Ukkonen's
 * cut-off): 32 rows of the dynamic-programming matrix are advanced per word
 * operation, so scanning a 50,000-character text for a 100-character pattern
 * costs a few hundred thousand integer operations. Pure string functions, no
 * DOM or Deno API; `anchoring.ts` builds on them.
 *
 * Distances count UTF-16 code units, like DOM offsets do.
 *
 * @module
 */

const WORD = 32;

/** A pattern compiled for bit-parallel matching; build with `compile`. */
export interface CompiledPattern {
  /** Length of the pattern in UTF-16 code units. */
  readonly length: number;
  /** Number of 32-row blocks. */
  readonly blocks: number;
  /** Match masks: `blocks` words per letter; letter 0 matches nothing. */
  readonly masks: Int32Array;
  /** Letter of each ASCII code unit (0 when absent from the pattern). */
  readonly asciiLetters: Int32Array;
  /** Letter of each other code unit present in the pattern. */
  readonly otherLetters: Map<number, number>;
  /** Per block, the bit of its last pattern row. */
  readonly lastRowBits: Int32Array;
}

/** An approximate occurrence of a pattern: `text.slice(start, end)`. */
export interface Occurrence {
  start: number;
  end: number;
  /** Edit distance between the pattern and the occurrence. */
  errors: number;
}

/**
 * Compiles `pattern` for `distance`, `scan` and `search`.
 *
 * @example
 * ```ts
 * const pattern = compile("marginalia");
 * pattern.blocks; // 1
 * ```
 */
export function compile(pattern: string): CompiledPattern {
  const length = pattern.length;
  const blocks = Math.max(1, Math.ceil(length / WORD));
  const asciiLetters = new Int32Array(128);
  const otherLetters = new Map<number, number>();
  const letters = new Int32Array(length);
  let letterCount = 0;
  for (let i = 0; i < length; i++) {
    const code = pattern.charCodeAt(i);
    let letter = code < 128 ? asciiLetters[code] : otherLetters.get(code) ?? 0;
    if (letter === 0) {
      letter = ++letterCount;
      if (code < 128) asciiLetters[code] = letter;
      else otherLetters.set(code, letter);
    }
    letters[i] = letter;
  }
  const masks = new Int32Array((letterCount + 1) * blocks);
  for (let i = 0; i < length; i++) {
    masks[letters[i] * blocks + (i >> 5)] |= 1 << (i & 31);
  }
  const lastRowBits = new Int32Array(blocks).fill(1 << 31);
  lastRowBits[blocks - 1] = 1 << ((Math.max(length, 1) - 1) & 31);
  return { length, blocks, masks, asciiLetters, otherLetters, lastRowBits };
}

/** Offset into `masks` of the mask words for one text code unit. */
function maskOffset(pattern: CompiledPattern, code: number): number {
  const letter = code < 128
    ? pattern.asciiLetters[code]
    : pattern.otherLetters.get(code) ?? 0;
  return letter * pattern.blocks;
}

/**
 * Advances one block of vertical deltas by one text column and returns the
 * horizontal delta (-1, 0 or +1) out of the block's last row. `carryIn` is
 * the horizontal delta entering the block's first row from above.
 */
function advanceBlock(
  pv: Int32Array,
  mv: Int32Array,
  block: number,
  match: number,
  carryIn: number,
  lastRowBit: number,
): number {
  const p = pv[block];
  const m = mv[block];
  const xv = match | m;
  const eq = carryIn < 0 ? match | 1 : match;
  // `| 0` keeps the sum a wrapping 32-bit integer, as the algorithm needs
  // (and keeps the JIT on integer arithmetic).
  const xh = ((((eq & p) + p) | 0) ^ p) | eq;
  let ph = m | ~(xh | p);
  let mh = p & xh;
  const carryOut = (ph & lastRowBit) !== 0
    ? 1
    : (mh & lastRowBit) !== 0
    ? -1
    : 0;
  ph <<= 1;
  mh <<= 1;
  if (carryIn < 0) mh |= 1;
  else if (carryIn > 0) ph |= 1;
  pv[block] = mh | ~(xv | ph);
  mv[block] = ph & xv;
  return carryOut;
}

/**
 * Edit distances between the whole pattern and the first `count` code units
 * of `text` read from `from` in direction `step` (+1 forwards, -1 backwards):
 * entry `i` of the result is the distance to the `i` units read so far.
 * Reading backwards with a reversed pattern aligns the pattern's end instead.
 *
 * @example
 * ```ts
 * scan(compile("cat"), "cart", 0, 1, 4); // [3, 2, 1, 1, 1]
 * ```
 */
export function scan(
  pattern: CompiledPattern,
  text: string,
  from: number,
  step: 1 | -1,
  count: number,
): Int32Array {
  const { blocks, masks, lastRowBits } = pattern;
  const pv = new Int32Array(blocks).fill(-1);
  const mv = new Int32Array(blocks);
  const distances = new Int32Array(count + 1);
  let score = pattern.length;
  distances[0] = score;
  for (let i = 0, at = from; i < count; i++, at += step) {
    const offset = maskOffset(pattern, text.charCodeAt(at));
    // The top row is anchored: one more text unit costs one more insertion.
    let carry = 1;
    for (let b = 0; b < blocks; b++) {
      carry = advanceBlock(pv, mv, b, masks[offset + b], carry, lastRowBits[b]);
    }
    score += carry;
    distances[i + 1] = score;
  }
  return distances;
}

/**
 * Levenshtein distance between `a` and `b`, in UTF-16 code units.
 *
 * @example
 * ```ts
 * distance("kitten", "sitting"); // 3
 * ```
 */
export function distance(a: string, b: string): number {
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  return scan(compile(a), b, 0, 1, b.length)[b.length];
}

/**
 * Similarity of two strings in [0, 1]: 1 minus their edit distance over the
 * longer length; two empty strings are identical.
 *
 * @example
 * ```ts
 * similarity("colour", "color"); // 0.833…
 * ```
 */
export function similarity(a: string, b: string): number {
  return similarityTo(a)(b);
}

/**
 * `similarity` with its first string fixed and compiled once, for comparing
 * one string with many.
 *
 * @example
 * ```ts
 * const toPrefix = similarityTo("in the margin ");
 * toPrefix("in the margins "); // 0.933…
 * ```
 */
export function similarityTo(a: string): (b: string) => number {
  const compiled = a.length > 0 ? compile(a) : null;
  return (b) => {
    const longer = Math.max(a.length, b.length);
    if (longer === 0) return 1;
    const d = compiled === null || b.length === 0
      ? longer
      : scan(compiled, b, 0, 1, b.length)[b.length];
    return 1 - d / longer;
  };
}

/**
 * Every end offset in `text` where some substring ending there is within
 * `maxErrors` edits of the pattern (Sellers' search: the match may start
 * anywhere), with that substring's distance. Ukkonen's cut-off skips the
 * blocks that cannot be within `maxErrors`, so the cost grows with
 * `maxErrors`, not with the pattern length.
 */
function findEnds(
  pattern: CompiledPattern,
  text: string,
  maxErrors: number,
  from: number,
  to: number,
): { end: number; errors: number }[] {
  const { blocks, masks, lastRowBits, length } = pattern;
  const lastBlock = blocks - 1;
  const pv = new Int32Array(blocks).fill(-1);
  const mv = new Int32Array(blocks);
  const scores = new Int32Array(blocks);
  let active = Math.max(0, Math.ceil(maxErrors / WORD) - 1);
  for (let b = 0; b <= active; b++) scores[b] = (b + 1) * WORD;
  scores[lastBlock] = length;

  const ends: { end: number; errors: number }[] = [];
  for (let j = from; j < to; j++) {
    const offset = maskOffset(pattern, text.charCodeAt(j));
    // The top row is free: a match may start at any column.
    let carry = 0;
    for (let b = 0; b <= active; b++) {
      carry = advanceBlock(pv, mv, b, masks[offset + b], carry, lastRowBits[b]);
      scores[b] += carry;
    }
    if (
      active < lastBlock && scores[active] - carry <= maxErrors &&
      ((masks[offset + active + 1] & 1) !== 0 || carry < 0)
    ) {
      active++;
      pv[active] = -1;
      mv[active] = 0;
      const rows = active === lastBlock ? length - active * WORD : WORD;
      scores[active] = scores[active - 1] + rows - carry +
        advanceBlock(
          pv,
          mv,
          active,
          masks[offset + active],
          carry,
          lastRowBits[active],
        );
    } else {
      while (active > 0 && scores[active] >= maxErrors + WORD) active--;
    }
    if (active === lastBlock && scores[lastBlock] <= maxErrors) {
      ends.push({ end: j + 1, errors: scores[lastBlock] });
    }
  }
  return ends;
}

/**
 * Keeps, of each run of adjacent ends (which describe one occurrence), the
 * ends with the run's fewest errors: the caller's context decides among them.
 */
function bestOfRuns(
  ends: { end: number; errors: number }[],
): { end: number; errors: number }[] {
  const kept: { end: number; errors: number }[] = [];
  let runStart = 0;
  for (let i = 1; i <= ends.length; i++) {
    if (i < ends.length && ends[i].end === ends[i - 1].end + 1) continue;
    const run = ends.slice(runStart, i);
    const fewest = Math.min(...run.map((e) => e.errors));
    for (const e of run) if (e.errors === fewest) kept.push(e);
    runStart = i;
  }
  return kept;
}

/**
 * Finds the start of the best occurrence ending at `end`: the length whose
 * distance is smallest, the one closest to the pattern's length on ties.
 */
function findStart(
  reversed: CompiledPattern,
  text: string,
  end: number,
  from: number,
  maxErrors: number,
): Occurrence {
  const count = Math.min(end - Math.max(0, from), reversed.length + maxErrors);
  const distances = scan(reversed, text, end - 1, -1, count);
  let best = 0;
  for (let len = 1; len <= count; len++) {
    const d = distances[len];
    if (
      d < distances[best] ||
      (d === distances[best] &&
        Math.abs(len - reversed.length) < Math.abs(best - reversed.length))
    ) {
      best = len;
    }
  }
  return { start: end - best, end, errors: distances[best] };
}

/**
 * Approximate occurrences of `pattern` in `text` with at most `maxErrors`
 * edits, in text order. Where several ends fit one occurrence equally well,
 * each is returned, so that the caller can choose by context. `from` and `to`
 * limit the search to occurrences inside `text.slice(from, to)`.
 *
 * @example
 * ```ts
 * search("the colour of ink", "color", 1).map((o) => o.end); // [8, 9, 10]
 * ```
 */
export function search(
  text: string,
  pattern: string,
  maxErrors: number,
  from = 0,
  to: number = text.length,
): Occurrence[] {
  if (pattern.length === 0) return [];
  const ends = bestOfRuns(
    findEnds(compile(pattern), text, maxErrors, Math.max(0, from), to),
  );
  if (ends.length === 0) return [];
  const reversed = compile([...reverseUnits(pattern)].join(""));
  return ends.map(({ end }) => findStart(reversed, text, end, from, maxErrors));
}

function* reverseUnits(s: string): Generator<string> {
  for (let i = s.length - 1; i >= 0; i--) yield s[i];
}
