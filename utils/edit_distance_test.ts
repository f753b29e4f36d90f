import assert from "node:assert/strict";
import {
  compile,
  distance,
  scan,
  search,
  similarity,
} from "./edit_distance.ts";

/** Textbook dynamic-programming Levenshtein distance, the reference. */
function referenceDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      next.push(Math.min(row[j] + 1, next[j - 1] + 1, substitution));
    }
    row = next;
  }
  return row[b.length];
}

/** Deterministic pseudo-random strings (mulberry32), so failures reproduce. */
function randomStrings(seed: number) {
  let state = seed;
  const random = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return (maxLength: number, alphabet: string) => {
    const length = Math.floor(random() * maxLength);
    let s = "";
    for (let i = 0; i < length; i++) {
      s += alphabet[Math.floor(random() * alphabet.length)];
    }
    return s;
  };
}

Deno.test("distance: known values", () => {
  assert.equal(distance("kitten", "sitting"), 3);
  assert.equal(distance("", "abc"), 3);
  assert.equal(distance("abc", ""), 3);
  assert.equal(distance("flaw", "lawn"), 2);
  assert.equal(distance("same", "same"), 0);
});

Deno.test("distance agrees with the textbook algorithm across block sizes", () => {
  const random = randomStrings(7);
  for (let i = 0; i < 400; i++) {
    // Up to 150 units: patterns of one to five 32-row blocks.
    const a = random(150, "abcd");
    const b = random(150, "abcde");
    assert.equal(distance(a, b), referenceDistance(a, b), `"${a}" vs "${b}"`);
  }
});

Deno.test("distance counts UTF-16 units, like DOM offsets", () => {
  assert.equal(distance("a📚b", "ab"), 2);
  assert.equal(distance("注释", "註釋"), 2);
});

Deno.test("similarity is 1 for equal strings and falls with edits", () => {
  assert.equal(similarity("", ""), 1);
  assert.equal(similarity("margin", "margin"), 1);
  assert.equal(similarity("colour", "color"), 1 - 1 / 6);
  assert.equal(similarity("abc", "xyz"), 0);
});

Deno.test("scan gives the distance to every prefix of the text", () => {
  assert.deepEqual([...scan(compile("cat"), "cart", 0, 1, 4)], [3, 2, 1, 1, 1]);
  // Backwards with a reversed pattern: distances to suffixes of "xcat".
  assert.deepEqual([...scan(compile("tac"), "xcat", 3, -1, 4)], [
    3,
    2,
    1,
    0,
    1,
  ]);
});

Deno.test("search finds each approximate occurrence with its errors", () => {
  const text = "the colour of ink, the color of paper, the odour of glue";
  const found = search(text, "color", 1);
  const exact = found.find((o) => o.errors === 0);
  assert.deepEqual(exact, { start: 23, end: 28, errors: 0 });
  assert.ok(found.some((o) => text.slice(o.start, o.end) === "colour"));
  assert.ok(found.every((o) => o.errors <= 1));
  assert.ok(!found.some((o) => text.slice(o.start, o.end).includes("odour")));
  assert.deepEqual(search(text, "", 1), []);
  assert.deepEqual(search(text, "zzzzzz", 1), []);
});

Deno.test("search reports every best occurrence the textbook algorithm finds", () => {
  const random = randomStrings(11);
  for (let i = 0; i < 60; i++) {
    const pattern = random(100, "abc") || "a";
    const text = random(250, "abc");
    const maxErrors = Math.floor(pattern.length / 4);
    for (const { start, end, errors } of search(text, pattern, maxErrors)) {
      assert.ok(errors <= maxErrors);
      assert.equal(referenceDistance(pattern, text.slice(start, end)), errors);
      // No substring ending at `end` is closer to the pattern.
      for (
        let s = Math.max(0, end - pattern.length - maxErrors);
        s < end;
        s++
      ) {
        assert.ok(referenceDistance(pattern, text.slice(s, end)) >= errors);
      }
    }
  }
});
