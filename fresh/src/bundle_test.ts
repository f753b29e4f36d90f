import assert from "node:assert/strict";
import manifest from "../../tests/fixture/fresh.gen.ts";
import config from "../../tests/fixture/fresh.config.ts";
import {
  buildSnapshot,
  ClientBundle,
  clientEntries,
  readSnapshot,
} from "./bundle.ts";
import { extractRoutes } from "./routes.ts";

const ROOT = new URL("../../tests/fixture", import.meta.url).pathname;
const inputs = {
  root: ROOT,
  islands: extractRoutes(manifest).islands,
  plugins: config.plugins!,
};

Deno.test("entries: main, one per island module, one per plugin entrypoint", () => {
  const entries = clientEntries(inputs.islands, inputs.plugins);
  assert.deepEqual(entries.map((entry) => entry.name), [
    "main",
    "island-counter",
    "island-panel",
    "plugin-demo-mount",
  ]);
  const panel = entries.find((entry) => entry.name === "island-panel")!;
  assert.match(
    panel.source,
    /^export \{ Badge, default \} from "file:\/\/\/.*\/islands\/Panel\.tsx";/,
  );
});

Deno.test("a prebuilt snapshot is served instead of building", async () => {
  const outDir = await Deno.makeTempDir({ prefix: "fresh-snapshot-test-" });
  try {
    const snapshot = await buildSnapshot(inputs, outDir);
    assert.deepEqual(await readSnapshot(outDir), snapshot);
    for (
      const name of [
        "main.js",
        "island-counter.js",
        "island-panel.js",
        "plugin-demo-mount.js",
      ]
    ) {
      assert.ok(snapshot.files.includes(name), name);
    }
    // One preact for all entries: its SVG namespace string is in one file only.
    const sources = await Promise.all(
      snapshot.files.map((name) => Deno.readTextFile(`${outDir}/js/${name}`)),
    );
    const withPreact = sources.filter((source) =>
      source.includes("http://www.w3.org/2000/svg")
    );
    assert.equal(withPreact.length, 1);

    await Deno.writeTextFile(`${outDir}/js/main.js`, "// from the snapshot");
    const bundle = await ClientBundle.open({
      ...inputs,
      outDir,
      useSnapshot: true,
    });
    assert.equal(bundle.buildId, snapshot.buildId);
    assert.equal(
      new TextDecoder().decode(await bundle.file("main.js")),
      "// from the snapshot",
    );
    assert.equal(await bundle.file("missing.js"), undefined);

    const fresh = await ClientBundle.open({
      ...inputs,
      outDir,
      useSnapshot: false,
    });
    assert.equal(fresh.buildId, snapshot.buildId);
  } finally {
    await Deno.remove(outDir, { recursive: true });
  }
});
