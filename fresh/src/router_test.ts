import assert from "node:assert/strict";
import { pathToPattern, RoutePattern, sortRoutePaths } from "./router.ts";

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
