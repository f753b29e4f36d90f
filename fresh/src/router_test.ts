import assert from "node:assert/strict";
import {
  compilePattern,
  pathToPattern,
  RoutePattern,
  sortRoutePaths,
} from "./router.ts";

Deno.test("pathToPattern converts file paths like Fresh", () => {
  assert.equal(pathToPattern("index"), "/");
  assert.equal(pathToPattern("about"), "/about");
  assert.equal(pathToPattern("blog/index"), "/blog");
  assert.equal(pathToPattern("greet/[name]"), "/greet/:name");
  assert.equal(pathToPattern("files/[...path]"), "/files/:path*");
  assert.equal(pathToPattern("(marketing)/index"), "/");
  assert.equal(pathToPattern("(marketing)/pricing"), "/pricing");
  assert.equal(
    pathToPattern("api/[tenant]/chats/[chatId]"),
    "/api/:tenant/chats/:chatId",
  );
  assert.equal(pathToPattern("docs/[[lang]]"), "/docs{/:lang}?");
  assert.equal(pathToPattern("img/[id]-[size]"), "/img/:id-:size");
  assert.throws(() => pathToPattern("bad/[a][b]"), SyntaxError);
});

Deno.test("RoutePattern matches and decodes parameters", () => {
  assert.deepEqual(new RoutePattern("/about").match("/about"), { params: {} });
  assert.equal(new RoutePattern("/about").match("/about/x"), null);
  assert.deepEqual(
    new RoutePattern("/greet/:name").match("/greet/J%C3%BCrgen"),
    {
      params: { name: "Jürgen" },
    },
  );
  assert.deepEqual(new RoutePattern("/files/:path*").match("/files/a/b"), {
    params: { path: "a/b" },
  });
  assert.deepEqual(new RoutePattern("/files/:path*").match("/files"), {
    params: {},
  });
  assert.deepEqual(new RoutePattern("/docs{/:lang}?").match("/docs"), {
    params: {},
  });
  assert.equal(new RoutePattern("/greet/:name").match("/greet/a/b"), null);
});

Deno.test("sortRoutePaths puts _app first and static before dynamic", () => {
  const sorted = [
    "./routes/[...rest].tsx",
    "./routes/[id].tsx",
    "./routes/about.tsx",
    "./routes/_middleware.ts",
    "./routes/blog/_layout.tsx",
    "./routes/blog/[slug].tsx",
    "./routes/blog/index.tsx",
    "./routes/_layout.tsx",
    "./routes/_app.tsx",
  ].sort(sortRoutePaths);
  assert.deepEqual(sorted, [
    "./routes/_app.tsx",
    "./routes/_middleware.ts",
    "./routes/_layout.tsx",
    "./routes/about.tsx",
    "./routes/blog/_layout.tsx",
    "./routes/blog/index.tsx",
    "./routes/blog/[slug].tsx",
    "./routes/[id].tsx",
    "./routes/[...rest].tsx",
  ]);
});

// Route files of the shapes the app and Fresh use, and the directories whose
// `_middleware` files get a prefix pattern (as `routes.ts` builds it).
const ROUTE_PATHS = [
  "index",
  "about",
  "blog/index",
  "blog/[slug]",
  "api/v1/[tenant]/chats/[chatId]/comments/index",
  "api/v1/[tenant]/chats/[chatId]/comments/[commentId]",
  "[id]-x",
  "img/[id]-[size]",
  "docs/[...rest]",
  "[...rest]",
  "shop/[[lang]]",
  "[[lang]]",
  "(group)/a/[b]",
  "dashboard/[tenant]",
  "a.b/[x]",
  "a$b/[x]",
];
const MIDDLEWARE_DIRS = ["", "blog", "api/v1/[tenant]", "docs/[...rest]"];

const PATTERNS = [
  ...ROUTE_PATHS.map(pathToPattern),
  ...MIDDLEWARE_DIRS.map((dir) => {
    const prefix = pathToPattern(dir);
    return prefix === "/" ? "/*" : `${prefix}{/*}?`;
  }),
];

const PATHS = [
  "/",
  "//",
  "///",
  "/about",
  "/about/",
  "/About",
  "/aboutx",
  "/blog",
  "/blog/",
  "/blog//",
  "/blog/hello",
  "/blog/hello/",
  "/blog/a/b",
  "/blog//a",
  "/blog/J%C3%BCrgen",
  "/blog/%E2%82%AC%20x",
  "/blog/%zz",
  "/blog/a%2Fb",
  "/blog/ü",
  "/blog/日本",
  "/blog/😀",
  "/blog/a b",
  "/blog/a'b$c.d",
  "/blog/..",
  "/blog/../about",
  "/blog/./x",
  "/blog/%2e%2e/about",
  "/blog\\x",
  "/api/v1/acme/chats/c1/comments",
  "/api/v1/acme/chats/c1/comments/",
  "/api/v1/acme/chats/c1/comments/k9",
  "/api/v1/acme/chats/c1/comments/k9/x",
  "/api/v1//chats/c1/comments",
  "/api/v1/acme",
  "/api/v1/acme/",
  "/api/v1/acme/usage",
  "/api/v1",
  "/x-x",
  "/-x",
  "/a-b-x",
  "/x-x/",
  "/x-X",
  "/img/a-b-c",
  "/img/-",
  "/img/a-",
  "/img/--",
  "/docs",
  "/docs/",
  "/docs/a",
  "/docs/a/b",
  "/docs//a",
  "/docs/a/",
  "/docs/a%2Fb/c",
  "/docsx",
  "/shop",
  "/shop/",
  "/shop/en",
  "/shop/en/x",
  "/shop//",
  "/a/b",
  "/a/",
  "/a/b/c",
  "/a.b/1",
  "/aXb/1",
  "/a$b/1",
  "/dashboard/t1",
  "/en",
];

/** What the URLPattern-based router returned for `pathname`. */
function viaURLPattern(pattern: string, pathname: string) {
  const result = new URLPattern({ pathname: pattern }).exec({ pathname });
  if (result === null) return null;
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(result.pathname.groups)) {
    if (value !== undefined) params[key] = safeDecode(value);
  }
  return { params };
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

Deno.test("RoutePattern agrees with URLPattern on every route and path", () => {
  let matched = 0;
  for (const pattern of PATTERNS) {
    // Every pattern here must take the RegExp path, not the fallback.
    assert.notEqual(compilePattern(pattern), null, pattern);
    const route = new RoutePattern(pattern);
    for (const raw of PATHS) {
      // The handler matches `URL.pathname`, which is canonical.
      const pathname = new URL("http://h" + raw).pathname;
      const actual = route.match(pathname);
      const message = `${pattern} on ${raw} (${pathname})`;
      assert.deepEqual(actual, viaURLPattern(pattern, pathname), message);
      // URLPattern canonicalizes raw input the same way, so for a request
      // the result is also what the old router gave.
      assert.deepEqual(actual, viaURLPattern(pattern, raw), message);
      if (actual !== null) matched++;
    }
  }
  // Guards against a list that only ever compares `null` with `null`.
  assert.ok(matched > 100, `only ${matched} matches`);
});

Deno.test("compilePattern builds one anchored RegExp", () => {
  assert.deepEqual(compilePattern("/img/:id-:size"), {
    regexp: /^\/img\/([^/]+?)-([^/]+?)$/,
    names: ["id", "size"],
  });
  assert.deepEqual(compilePattern("/files/:path*")?.names, ["path"]);
  assert.deepEqual(compilePattern("/a{/*}?")?.names, ["0"]);
  assert.deepEqual(
    new RoutePattern("/a/:b{/*}?").match("/a/x/y/z"),
    { params: { b: "x", 0: "y/z" } },
  );
});

Deno.test("RoutePattern falls back to URLPattern outside the subset", () => {
  for (
    const source of ["/:id(\\d+)", "/caf\u00e9/:x", "/a/%2e%2e/:x", "/a\\:b"]
  ) {
    assert.equal(compilePattern(source), null, source);
  }
  const digits = new RoutePattern("/n/:id(\\d+)");
  assert.deepEqual(digits.match("/n/42"), { params: { id: "42" } });
  assert.equal(digits.match("/n/x"), null);
  // URLPattern encodes the literal; a canonical request path is encoded too.
  assert.deepEqual(new RoutePattern("/caf\u00e9/:x").match("/caf%C3%A9/1"), {
    params: { x: "1" },
  });
  assert.throws(() => new RoutePattern("/:a/:a"), TypeError);
});
