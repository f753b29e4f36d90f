import assert from "node:assert/strict";
import { describe, locate, locateAll } from "./anchoring.ts";
import type { Anchor } from "./protocol.ts";
import { loadArticleText } from "../tests/fixtures/article.ts";

const article = await loadArticleText();

/** The anchor of the first occurrence of `quote` in `text`. */
function anchorOf(text: string, quote: string, occurrence = 0) {
  let at = -1;
  for (let i = 0; i <= occurrence; i++) {
    at = text.indexOf(quote, at + 1);
    assert.notEqual(at, -1, `fixture lacks occurrence ${i} of "${quote}"`);
  }
  return describe(text, at, at + quote.length);
}

/** The text from the first `first` through the next `last`, line breaks included. */
function between(text: string, first: string, last: string): string {
  const start = text.indexOf(first);
  const end = text.indexOf(last, start);
  assert.ok(start !== -1 && end !== -1, `fixture lacks "${first}…${last}"`);
  return text.slice(start, end + last.length);
}

/** Replaces the first occurrence of `from` with `to`. */
function edit(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  assert.notEqual(at, -1, `fixture lacks "${from}"`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

const PASSAGE = between(article, "A margin is small.", "private shorthand.");
const NEW_PARAGRAPH = "An editor's note added at the top, long after the " +
  "essay first appeared, explaining what changed and why.\n    ";
const FIRST_HEADING = "The space around the words";

Deno.test("the fixture is a real-length document", () => {
  assert.ok(article.length > 15_000, `only ${article.length} characters`);
});

Deno.test("describe keeps the quote, 32 characters of context and offsets", () => {
  const anchor = anchorOf(article, PASSAGE);
  assert.equal(anchor.quote, PASSAGE);
  assert.equal(anchor.prefix.length, 32);
  assert.equal(anchor.suffix.length, 32);
  assert.ok(article.slice(0, anchor.start).endsWith(anchor.prefix));
  assert.ok(article.slice(anchor.end).startsWith(anchor.suffix));
  assert.equal(anchor.end - anchor.start, PASSAGE.length);
});

Deno.test("describe rejects an empty or out-of-range selection", () => {
  assert.throws(() => describe(article, 10, 10), RangeError);
  assert.throws(() => describe(article, -1, 4), RangeError);
  assert.throws(() => describe("short", 2, 9), RangeError);
});

Deno.test("unchanged text: every anchor is found at its offsets", () => {
  const anchors: Anchor[] = [];
  for (let start = 100; start + 120 < article.length; start += 997) {
    anchors.push(describe(article, start, start + 40 + (start % 80)));
  }
  const found = locateAll(article, anchors);
  assert.equal(found.length, anchors.length);
  found.forEach((result, i) => {
    assert.deepEqual(result, {
      start: anchors[i].start,
      end: anchors[i].end,
      score: 1,
      method: "position",
    });
  });
});

Deno.test("text inserted before the passage: exact search finds it shifted", () => {
  const anchor = anchorOf(article, PASSAGE);
  const edited = edit(article, FIRST_HEADING, NEW_PARAGRAPH + FIRST_HEADING);
  const found = locate(edited, anchor);
  assert.ok(found);
  assert.equal(found.method, "exact");
  assert.equal(found.start, anchor.start + NEW_PARAGRAPH.length);
  assert.equal(edited.slice(found.start, found.end), PASSAGE);
});

Deno.test("a word changed inside the passage: the approximate match covers the new wording", () => {
  const anchor = anchorOf(article, PASSAGE);
  const changed = PASSAGE.replace("confident", "bold");
  const edited = edit(
    edit(article, PASSAGE, changed),
    FIRST_HEADING,
    NEW_PARAGRAPH + FIRST_HEADING,
  );
  const found = locate(edited, anchor);
  assert.ok(found);
  assert.equal(found.method, "fuzzy");
  assert.equal(edited.slice(found.start, found.end), changed);
  assert.ok(found.score > 0.8 && found.score < 1, `score ${found.score}`);
});

Deno.test("a word changed right at the passage's edge: context fixes the boundary", () => {
  const passage =
    "Printing made books cheaper, and cheaper books made readers bolder.";
  const anchor = anchorOf(article, passage);
  const changed = passage.replace("bolder", "braver");
  const edited = edit(article, passage, changed);
  const found = locate(edited, anchor);
  assert.ok(found);
  assert.equal(edited.slice(found.start, found.end), changed);
});

Deno.test("the passage moved to another paragraph: found at its new place", () => {
  const moved = "A margin is small.";
  const anchor = anchorOf(article, moved);
  const target = "Other famous margins are famous for their volume.";
  const edited = edit(
    edit(article, moved + " ", ""),
    target,
    target + " " + moved,
  );
  const found = locate(edited, anchor);
  assert.ok(found);
  assert.equal(found.method, "exact");
  assert.equal(edited.slice(found.start, found.end), moved);
  assert.equal(found.start, edited.indexOf(target) + target.length + 1);
});

Deno.test("the same quote several times: context picks the right occurrence", () => {
  const quote = "the margin";
  const count = article.split(quote).length - 1;
  assert.ok(count >= 4, `only ${count} occurrences`);
  const anchors = Array.from(
    { length: count },
    (_, i) => anchorOf(article, quote, i),
  );
  // The inserted paragraph shifts every offset, so no anchor is found by
  // position and each must be told apart from the others by its context.
  const edited = NEW_PARAGRAPH + article;
  const found = locateAll(edited, anchors);
  found.forEach((result, i) => {
    assert.ok(result, `occurrence ${i} lost`);
    assert.equal(result.method, "exact");
    assert.equal(result.start, anchors[i].start + NEW_PARAGRAPH.length);
  });
});

Deno.test("same quote, context gone: the occurrence nearest the old offset wins", () => {
  const text = "ink and paper. ".repeat(40);
  const anchor = { ...describe(text, 300, 303), prefix: "", suffix: "" };
  const found = locate("x" + text, anchor);
  assert.ok(found);
  assert.equal(found.start, 301);
});

Deno.test("the passage deleted: it is an orphan", () => {
  const anchor = anchorOf(article, PASSAGE);
  assert.equal(locate(edit(article, PASSAGE, ""), anchor), null);
});

Deno.test("a whole paragraph deleted: anchors inside it are orphans, others survive", () => {
  const first = "The story is usually told as a joke";
  const last = "who needs room to explain.";
  const start = article.indexOf(first);
  const end = article.indexOf(last, start) + last.length;
  const gone = describe(article, start + 40, start + 120);
  const kept = anchorOf(article, "Charles Darwin read with");
  const edited = article.slice(0, start) + article.slice(end);
  assert.equal(locate(edited, gone), null);
  const found = locate(edited, kept);
  assert.ok(found);
  assert.equal(
    edited.slice(found.start, found.end),
    "Charles Darwin read with",
  );
});

Deno.test("a short quote does not drift onto similar words elsewhere", () => {
  const anchor = anchorOf(article, "manicule");
  const edited = edit(article, "manicule", "pointer");
  assert.equal(locate(edited, anchor), null);
});

Deno.test("quote at the start and at the end of the text", () => {
  const text = article.trim();
  const first = describe(text, 0, 24);
  const last = describe(text, text.length - 30, text.length);
  assert.equal(first.prefix, "");
  assert.equal(last.suffix, "");
  const edited = "Preface. " + text + " The end.";
  const foundFirst = locate(edited, first);
  const foundLast = locate(edited, last);
  assert.ok(foundFirst && foundLast);
  assert.equal(foundFirst.start, 9);
  assert.equal(edited.slice(foundLast.start, foundLast.end), last.quote);
});

Deno.test("unicode: offsets are UTF-16 units and context never splits a pair", () => {
  const text = "Émile wrote 🖋️ beside «le passage» — 注释 in the margin 📚📚.";
  const quote = "«le passage» — 注释";
  const start = text.indexOf(quote);
  const anchor = describe(text, start, start + quote.length, {
    contextLength: 4,
  });
  assert.equal(anchor.quote, quote);
  // Four units back lands inside the 🖋 surrogate pair, so it is dropped.
  assert.ok(!/^[\udc00-\udfff]/.test(anchor.prefix));
  const tail = describe(
    text,
    text.indexOf("margin"),
    text.indexOf("margin") + 6,
    {
      contextLength: 2,
    },
  );
  assert.equal(tail.suffix, " ");
  const found = locate("Ajout. " + text.replace("注释", "註釋"), anchor);
  assert.ok(found);
  assert.equal(found.method, "fuzzy");
});

Deno.test("locateAll returns one result per anchor, orphans as null", () => {
  const a = anchorOf(article, PASSAGE);
  const b = anchorOf(article, "Charles Darwin read with");
  const edited = edit(article, PASSAGE, "");
  const results = locateAll(edited, [a, b]);
  assert.equal(results.length, 2);
  assert.equal(results[0], null);
  assert.equal(results[1]?.method, "exact");
  assert.equal(results[1]?.start, b.start - PASSAGE.length);
});
