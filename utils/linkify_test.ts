import assert from "node:assert/strict";
import { linkify } from "./linkify.ts";

Deno.test("linkify: plain text is one text part", () => {
  assert.deepEqual(linkify("no links here"), [
    { kind: "text", text: "no links here" },
  ]);
  assert.deepEqual(linkify(""), []);
});

Deno.test("linkify: links between text, sentence punctuation left out", () => {
  assert.deepEqual(
    linkify("See https://example.com/a?b=1, then http://x.org."),
    [
      { kind: "text", text: "See " },
      {
        kind: "link",
        text: "https://example.com/a?b=1",
        href: "https://example.com/a?b=1",
      },
      { kind: "text", text: ", then " },
      { kind: "link", text: "http://x.org", href: "http://x.org/" },
      { kind: "text", text: "." },
    ],
  );
});

Deno.test("linkify: parentheses belong to a link only when it opened one", () => {
  assert.deepEqual(linkify("(https://a.io/x)")[1], {
    kind: "link",
    text: "https://a.io/x",
    href: "https://a.io/x",
  });
  assert.equal(
    linkify("https://en.wikipedia.org/wiki/Map_(disambiguation)")[0].text,
    "https://en.wikipedia.org/wiki/Map_(disambiguation)",
  );
});

Deno.test("linkify: other schemes and markup stay text", () => {
  const parts = linkify('javascript:alert(1) <a href="https://e.com">x</a>');
  assert.equal(parts.filter((p) => p.kind === "link").length, 1);
  assert.equal(parts[0].kind, "text");
  assert.match(parts[0].text, /^javascript:alert\(1\) <a href="$/);
});
