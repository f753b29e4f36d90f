/**
 * Re-anchoring 300 discussions in a 50,000-character document after edits.
 * The target is well under 100 ms for the whole batch. Run `deno task bench`.
 *
 * @module
 */

import { describe, locateAll } from "../utils/anchoring.ts";
import type { Anchor } from "../utils/protocol.ts";
import { loadArticleText } from "../tests/fixtures/article.ts";

const DOCUMENT_LENGTH = 50_000;
const ANCHOR_COUNT = 300;

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32). */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = seeded(2024);
const pick = <T>(items: readonly T[]): T =>
  items[Math.floor(random() * items.length)];

/**
 * Prose with the sample article's vocabulary and rhythm but no long repeats
 * (a word-level Markov chain), so that anchors are not trivially ambiguous.
 */
function generateDocument(source: string, length: number): string {
  const words = source.split(/\s+/).filter(Boolean);
  const next = new Map<string, string[]>();
  for (let i = 0; i + 1 < words.length; i++) {
    const followers = next.get(words[i]) ?? [];
    followers.push(words[i + 1]);
    next.set(words[i], followers);
  }
  const out: string[] = [];
  let size = 0;
  let word = pick(words);
  while (size < length) {
    out.push(word);
    size += word.length + 1;
    if (word.endsWith(".") && random() < 0.15) out.push("\n\n");
    word = pick(next.get(word) ?? words);
  }
  return out.join(" ").slice(0, length);
}

/** Anchors on word-aligned passages of 10 to 200 characters. */
function sampleAnchors(text: string, count: number): Anchor[] {
  const anchors: Anchor[] = [];
  while (anchors.length < count) {
    const start =
      text.indexOf(" ", Math.floor(random() * (text.length - 250))) +
      1;
    const end = text.lastIndexOf(" ", start + 10 + Math.floor(random() * 190));
    if (end > start) anchors.push(describe(text, start, end));
  }
  return anchors.sort((a, b) => a.start - b.start);
}

/** Replaces one character in the middle of each chosen passage. */
function reword(text: string, anchors: readonly Anchor[]): string {
  let edited = text;
  // From the end backwards, so earlier offsets stay valid.
  for (const { start, end } of [...anchors].reverse()) {
    const at = Math.floor((start + end) / 2);
    edited = edited.slice(0, at) + "#" + edited.slice(at + 1);
  }
  return edited;
}

/** Inserts a paragraph before every tenth anchor, shifting what follows. */
function insertParagraphs(text: string, anchors: readonly Anchor[]): string {
  let edited = text;
  const paragraph =
    "A new paragraph, added by an editor after publication.\n\n";
  for (let i = anchors.length - 1; i >= 0; i -= 10) {
    const at = anchors[i].start - anchors[i].prefix.length;
    edited = edited.slice(0, at) + paragraph + edited.slice(at);
  }
  return edited;
}

const article = await loadArticleText();
const text = generateDocument(article, DOCUMENT_LENGTH);
const anchors = sampleAnchors(text, ANCHOR_COUNT);
const tenth = anchors.filter((_, i) => i % 10 === 3);
const edited = insertParagraphs(reword(text, tenth), anchors);
const allReworded = reword(text, anchors);

Deno.bench({
  name: "300 anchors, unchanged document (offsets hold)",
  group: "re-anchor 300 anchors in 50,000 characters",
  baseline: true,
  fn: () => {
    locateAll(text, anchors);
  },
});

Deno.bench({
  name: "300 anchors, 30 paragraphs inserted and 30 passages reworded",
  group: "re-anchor 300 anchors in 50,000 characters",
  fn: () => {
    locateAll(edited, anchors);
  },
});

Deno.bench({
  name: "300 anchors, every passage reworded (300 approximate searches)",
  group: "re-anchor 300 anchors in 50,000 characters",
  fn: () => {
    locateAll(allReworded, anchors);
  },
});
