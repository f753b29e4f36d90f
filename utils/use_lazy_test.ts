import assert from "node:assert/strict";
import { lazyModule, LOAD_FAILED_MESSAGE } from "./use_lazy.ts";

Deno.test("lazyModule imports once, however many ask", async () => {
  let imports = 0;
  const module = lazyModule(() => {
    imports++;
    return Promise.resolve({ answer: 42 });
  });
  assert.equal(module.current(), undefined);
  const [a, b] = await Promise.all([module.load(), module.load()]);
  assert.equal(a, b);
  assert.equal(await module.load(), a);
  assert.equal(imports, 1);
  assert.deepEqual(module.current(), { answer: 42 });
});

Deno.test("lazyModule tries again after a failed import", async () => {
  let imports = 0;
  const module = lazyModule(() => {
    imports++;
    return imports === 1
      ? Promise.reject(new Error("offline"))
      : Promise.resolve("loaded");
  });
  // The browser's own message names a chunk's URL; the viewer gets a plain one.
  await assert.rejects(module.load(), { message: LOAD_FAILED_MESSAGE });
  assert.equal(module.current(), undefined);
  assert.equal(await module.load(), "loaded");
  assert.equal(module.current(), "loaded");
  assert.equal(imports, 2);
});

Deno.test("lazyModule does not import before it is asked to", () => {
  let imports = 0;
  const module = lazyModule(() => {
    imports++;
    return Promise.resolve(1);
  });
  assert.equal(module.current(), undefined);
  assert.equal(imports, 0);
});
