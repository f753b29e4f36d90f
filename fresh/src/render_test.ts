import assert from "node:assert/strict";
import { type ComponentChildren, h } from "preact";
import { Head } from "./head.ts";
import { type Island, registerIslands } from "./islands.ts";
import { renderPage } from "./render.ts";

function Greeting(props: { name: string; children?: ComponentChildren }) {
  return h("b", null, `hi ${props.name}`, props.children);
}
function Outer(props: { name: string }) {
  // An island rendered by another island is an ordinary component.
  return h("div", null, h(Greeting, { name: props.name }));
}
const islands: Island[] = [
  {
    id: "greeting_default",
    name: "greeting",
    exportName: "default",
    url: "file:///g.tsx",
    component: Greeting,
  },
  {
    id: "outer_default",
    name: "outer",
    exportName: "default",
    url: "file:///o.tsx",
    component: Outer,
  },
];
registerIslands(islands);

const props = {
  url: new URL("http://x/"),
  params: {},
  data: null,
  state: {},
  route: "/",
};
const scriptUrl = (file: string) => `/_frsh/js/B/${file}`;

function App({ Component }: { Component: () => unknown }) {
  return h(
    "html",
    { lang: "en" },
    h("head", null, h("title", null, "App title")),
    h("body", null, h(Component as () => null, null)),
  );
}

Deno.test("a page without islands renders no script", () => {
  const { html, islands } = renderPage({
    stack: [App, () => h("p", null, "plain")],
    props,
    scriptUrl,
  });
  assert.equal(islands.size, 0);
  assert.equal(
    html,
    '<!DOCTYPE html><html lang="en"><head><title>App title</title></head><body><p>plain</p></body></html>',
  );
});

Deno.test("<Head> children go into the head and its title wins", () => {
  const Page = () =>
    h(
      "main",
      null,
      h(Head, null, h("title", null, "Page title"), h("meta", { name: "x" })),
    );
  const { html } = renderPage({ stack: [App, Page], props, scriptUrl });
  assert.match(
    html,
    /<head><title>Page title<\/title><meta name="x"\/><\/head>/,
  );
  assert.doesNotMatch(html, /App title/);
});

Deno.test("a page without _app gets a default document", () => {
  const { html } = renderPage({
    stack: [() => h("p", null, "bare")],
    props,
    scriptUrl,
  });
  assert.match(html, /^<!DOCTYPE html><html><head><meta charset="utf-8"\/>/);
  assert.match(html, /<body><p>bare<\/p><\/body><\/html>$/);
});

Deno.test("islands get markers, slots, a state script and a boot script", () => {
  const Page = () =>
    h(
      "main",
      null,
      h(Greeting, { name: "a", key: "k1" }),
      h(Greeting, { name: "b" }, h("i", null, "child")),
    );
  const { html, islands: used } = renderPage({
    stack: [App, Page],
    props,
    scriptUrl,
    nonce: "n0nce",
  });
  assert.deepEqual([...used].map((island) => island.id), ["greeting_default"]);
  assert.match(
    html,
    /<main><!--frsh-greeting_default:0:k1--><b>hi a<\/b><!--\/frsh-greeting_default:0:k1-->/,
  );
  assert.match(
    html,
    /<!--frsh-greeting_default:1:--><b>hi b<!--frsh-slot-greeting_default:1:children--><i>child<\/i><!--\/frsh-slot-greeting_default:1:children--><\/b><!--\/frsh-greeting_default:1:-->/,
  );
  assert.match(
    html,
    /<script id="__FRSH_STATE" type="application\/json">\{"v":\[\{"name":"a"\},\{"name":"b"\}\]\}<\/script>/,
  );
  assert.match(
    html,
    /<script type="module" nonce="n0nce">import \{ revive \} from "\/_frsh\/js\/B\/main\.js";/,
  );
  assert.match(
    html,
    /import \* as \$0 from "\/_frsh\/js\/B\/island-greeting\.js";/,
  );
  assert.match(
    html,
    /revive\(\{"greeting_default":\$0\["default"\]\}\);<\/script><\/body>/,
  );
});

Deno.test("an island inside an island is not marked separately", () => {
  const { html, islands: used } = renderPage({
    stack: [() => h(Outer, { name: "x" })],
    props,
    scriptUrl,
  });
  assert.deepEqual([...used].map((island) => island.id), ["outer_default"]);
  assert.doesNotMatch(html, /frsh-greeting/);
  assert.doesNotMatch(html, /nonce=/);
});
