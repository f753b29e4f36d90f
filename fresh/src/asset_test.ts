import assert from "node:assert/strict";
import { asset, getBuildId, setBuildId } from "./asset.ts";

Deno.test("asset() adds the build id to root-relative paths only", () => {
  const previous = getBuildId();
  setBuildId("b1");
  try {
    assert.equal(asset("/styles.css"), "/styles.css?__frsh_c=b1");
    assert.equal(asset("/img.svg?x=1#top"), "/img.svg?x=1&__frsh_c=b1#top");
    assert.equal(asset("/a.css?__frsh_c=old"), "/a.css?__frsh_c=old");
    assert.equal(
      asset("https://cdn.example/a.css"),
      "https://cdn.example/a.css",
    );
    assert.equal(asset("//cdn.example/a.css"), "//cdn.example/a.css");
    assert.equal(asset("relative.css"), "relative.css");
  } finally {
    setBuildId(previous);
  }
});
