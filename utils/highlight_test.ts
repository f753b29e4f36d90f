/**
 * Highlights need a real DOM, so these tests run `highlight.ts` in Chromium:
 * the module is bundled, loaded into a page with an article that has its own
 * links, listeners and nested markup, and driven with `page.evaluate`.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { launchBrowser } from "../tests/browser/_browser.ts";
import type * as HighlightModule from "./highlight.ts";
import type * as SelectionModule from "./selection_offsets.ts";

declare global {
  // The bundled modules, as the test page exposes them.
  var highlight: typeof HighlightModule & typeof SelectionModule;
  // Counts clicks on the article's link, set by the page's own script.
  var clicks: number;
}

const ARTICLE = `<!doctype html>
<article id="root"><h2>On <em>margins</em></h2>
  <p id="p1">Readers have always written in books. A <a id="link" href="#">manicule
  points</a> at the sentence that <b>mattered <i>most</i></b> to them.</p>
  <ul><li>Glosses</li><li>Commonplace books</li></ul>
  <p id="p2">Later, the margin moved online, where it had to survive edits.</p>
  <script>window.clicks = 0;</script>
</article>
<p id="outside">Text outside the root.</p>
<script>
  document.getElementById("link").addEventListener("click", (e) => {
    e.preventDefault();
    window.clicks++;
  });
</script>`;

async function bundleHighlight(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "highlight-test-" });
  try {
    const entry = `${dir}/entry.ts`;
    const module = (name: string) => new URL(name, import.meta.url).href;
    await Deno.writeTextFile(
      entry,
      `import * as highlight from "${module("./highlight.ts")}";\n` +
        `import * as selection from "${module("./selection_offsets.ts")}";\n` +
        `globalThis.highlight = { ...highlight, ...selection };\n`,
    );
    const { success, stdout, stderr } = await new Deno.Command(
      Deno.execPath(),
      {
        args: ["bundle", "--platform", "browser", "--format", "esm", entry],
        stdout: "piped",
        stderr: "piped",
      },
    ).output();
    const decoder = new TextDecoder();
    if (!success) throw new Error(decoder.decode(stderr));
    return decoder.decode(stdout);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("highlight.ts in a browser", async (t) => {
  const script = await bundleHighlight();
  const browser = await launchBrowser();
  try {
    const page: Page = await browser.newPage();
    const reset = async () => {
      await page.setContent(ARTICLE);
      await page.addScriptTag({ content: script, type: "module" });
      await page.waitForFunction(() => globalThis.highlight !== undefined);
    };

    await t.step(
      "wraps a passage across elements without changing the text",
      async () => {
        await reset();
        const result = await page.evaluate(() => {
          const root = document.getElementById("root")!;
          const text = root.textContent!;
          const start = text.indexOf("written in books");
          const end = text.indexOf("to them.") + "to them".length;
          const h = highlight.highlightRange(root, start, end, "chat-1");
          return {
            expected: text.slice(start, end),
            marked: h.marks.map((m) => m.textContent).join(""),
            textAfter: root.textContent === text,
            hooks: h.marks.every((m) =>
              m.tagName === "MARK" && m.dataset.testid === "highlight" &&
              m.dataset.chatId === "chat-1" && m.classList.contains("tack-hl")
            ),
            inLink: document.querySelector("#link mark") !== null,
            inItalic: document.querySelector("i mark") !== null,
          };
        });
        // Whitespace-only pieces between elements are not wrapped.
        assert.equal(result.marked, result.expected.replace(/\n\s*$/, ""));
        assert.equal(result.textAfter, true);
        assert.equal(result.hooks, true);
        assert.equal(result.inLink, true);
        assert.equal(result.inItalic, true);
      },
    );

    await t.step("removing restores the DOM exactly", async () => {
      await reset();
      const same = await page.evaluate(() => {
        const root = document.getElementById("root")!;
        const before = root.innerHTML;
        const childCount = (el: Element) => el.childNodes.length;
        const p1 = document.getElementById("p1")!;
        const nodesBefore = childCount(p1);
        const text = root.textContent!;
        const h = highlight.highlightRange(
          root,
          text.indexOf("always"),
          text.indexOf("survive"),
          "c",
        );
        const changed = root.innerHTML !== before;
        highlight.removeHighlight(h);
        return {
          changed,
          restored: root.innerHTML === before,
          nodes: childCount(p1) === nodesBefore,
          noMarks: root.querySelector("mark") === null,
        };
      });
      assert.deepEqual(same, {
        changed: true,
        restored: true,
        nodes: true,
        noMarks: true,
      });
    });

    await t.step(
      "the page's own elements and listeners keep working",
      async () => {
        await reset();
        const clicks = await page.evaluate(() => {
          const root = document.getElementById("root")!;
          const link = document.getElementById("link")!;
          const text = root.textContent!;
          highlight.highlightRange(
            root,
            text.indexOf("manicule"),
            text.indexOf("sentence"),
            "c",
          );
          return document.getElementById("link") === link;
        });
        assert.equal(clicks, true);
        await page.click("#link mark");
        assert.equal(await page.evaluate(() => globalThis.clicks), 1);
      },
    );

    await t.step(
      "overlapping highlights are all reachable and removable in any order",
      async () => {
        await reset();
        const result = await page.evaluate(() => {
          const root = document.getElementById("root")!;
          const before = root.innerHTML;
          const text = root.textContent!;
          const a = highlight.highlightRange(
            root,
            text.indexOf("Readers"),
            text.indexOf("A manicule") + 1,
            "a",
          );
          const b = highlight.highlightRange(
            root,
            text.indexOf("in books"),
            text.indexOf("points"),
            "b",
          );
          const at = (selector: string) =>
            highlight.highlightsAt(root.querySelector(selector), root);
          // The text node holding `word`: what a click on that word targets.
          const idsOf = (word: string) => {
            const walker = document.createTreeWalker(
              root,
              NodeFilter.SHOW_TEXT,
            );
            let node = walker.nextNode();
            while (node && !node.textContent!.includes(word)) {
              node = walker.nextNode();
            }
            return highlight.highlightsAt(node, root);
          };
          const ids = {
            onlyA: idsOf("Readers"),
            both: idsOf("in books"),
            onlyB: at("#link mark"),
            outside: at("#p2"),
          };
          highlight.removeHighlight(a);
          const bAlone =
            root.querySelectorAll('mark[data-chat-id="b"]').length >
              0 && root.querySelector('mark[data-chat-id="a"]') === null;
          highlight.removeHighlight(b);
          return { ids, bAlone, restored: root.innerHTML === before };
        });
        assert.deepEqual(result.ids, {
          onlyA: ["a"],
          both: ["b", "a"],
          onlyB: ["b"],
          outside: [],
        });
        assert.equal(result.bAlone, true);
        assert.equal(result.restored, true);
      },
    );

    await t.step(
      "a passage inside another nests its marks in the outer ones",
      async () => {
        await reset();
        const result = await page.evaluate(() => {
          const root = document.getElementById("root")!;
          const text = root.textContent!;
          const start = text.indexOf("Later");
          highlight.highlightRange(root, start, start + 40, "outer");
          highlight.highlightRange(root, start + 10, start + 20, "inner");
          const inner = root.querySelector('mark[data-chat-id="inner"]')!;
          return {
            nested: inner.parentElement?.dataset.chatId,
            ids: highlight.highlightsAt(inner.firstChild, root),
          };
        });
        assert.equal(result.nested, "outer");
        assert.deepEqual(result.ids, ["inner", "outer"]);
      },
    );

    await t.step(
      "rangeFromOffsets is the inverse of selectionToOffsets",
      async () => {
        await reset();
        const result = await page.evaluate(() => {
          const root = document.getElementById("root")!;
          const text = root.textContent!;
          const start = text.indexOf("margins");
          const end = text.indexOf("Glosses") + 3;
          const range = highlight.rangeFromOffsets(root, start, end)!;
          return {
            text: range.toString(),
            expected: text.slice(start, end),
            back: highlight.selectionToOffsets(root, range),
            start,
            end,
            beyond: highlight.rangeFromOffsets(root, 0, text.length + 1),
          };
        });
        assert.equal(result.text, result.expected);
        assert.deepEqual(result.back, { start: result.start, end: result.end });
        assert.equal(result.beyond, null);
      },
    );

    await t.step(
      "selectionToOffsets maps DOM ranges to text offsets",
      async () => {
        await reset();
        const result = await page.evaluate(() => {
          const root = document.getElementById("root")!;
          const text = root.textContent!;
          const range = document.createRange();
          const em = document.querySelector("em")!.firstChild!;
          const i = document.querySelector("i")!.firstChild!;
          range.setStart(em, 2);
          range.setEnd(i, 2);
          const inside = highlight.selectionToOffsets(root, range)!;
          const spanning = document.createRange();
          spanning.setStartBefore(root);
          spanning.setEnd(document.getElementById("outside")!.firstChild!, 4);
          const clipped = highlight.selectionToOffsets(root, spanning);
          const outside = document.createRange();
          outside.selectNodeContents(document.getElementById("outside")!);
          return {
            inside: text.slice(inside.start, inside.end),
            expected: range.toString(),
            clipped,
            length: text.length,
            outside: highlight.selectionToOffsets(root, outside),
          };
        });
        assert.equal(result.inside, result.expected);
        assert.ok(result.inside.startsWith("rgins"));
        assert.deepEqual(result.clipped, { start: 0, end: result.length });
        assert.equal(result.outside, null);
      },
    );

    await page.close();
  } finally {
    await browser.close();
  }
});
