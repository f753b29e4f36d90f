import assert from "node:assert/strict";
import { lockKvFile } from "./kv_lock.ts";

const MODULE = new URL("./kv_lock.ts", import.meta.url).href;

async function withTempKvPath(fn: (kvPath: string) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "tack-lock-" });
  try {
    await fn(`${dir}/tack.kv`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Takes the lock in another OS process; returns its exit and output. */
async function lockInAnotherProcess(kvPath: string) {
  const code = `import { lockKvFile } from ${JSON.stringify(MODULE)};
    await lockKvFile(${JSON.stringify(kvPath)});`;
  const { code: exitCode, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["eval", code],
    stdout: "null",
    stderr: "piped",
  }).output();
  return { exitCode, stderr: new TextDecoder().decode(stderr) };
}

/** Takes the lock in a worker: another isolate of this same process. */
function lockInWorker(kvPath: string): Promise<string> {
  const source = `import { lockKvFile } from ${JSON.stringify(MODULE)};
    lockKvFile(${JSON.stringify(kvPath)}).then(
      (lock) => { lock.release(); postMessage("locked"); },
      (err) => postMessage(String(err)),
    );`;
  const url = URL.createObjectURL(
    new Blob([source], { type: "application/javascript" }),
  );
  const worker = new Worker(url, { type: "module" });
  return new Promise<string>((resolve) => {
    worker.onmessage = (e) => resolve(String(e.data));
  }).finally(() => {
    worker.terminate();
    URL.revokeObjectURL(url);
  });
}

Deno.test("a second process is refused, naming --parallel and denokv", async () => {
  await withTempKvPath(async (kvPath) => {
    const lock = await lockKvFile(kvPath);
    try {
      const { exitCode, stderr } = await lockInAnotherProcess(kvPath);
      assert.notEqual(exitCode, 0);
      assert.match(stderr, /deno serve --parallel/);
      assert.match(stderr, /denokv/);
      assert.match(stderr, new RegExp(`pid ${Deno.pid}`));
    } finally {
      lock.release();
    }
  });
});

Deno.test("isolates of one process share the lock", async () => {
  await withTempKvPath(async (kvPath) => {
    const lock = await lockKvFile(kvPath);
    try {
      assert.equal(await lockInWorker(kvPath), "locked");
    } finally {
      lock.release();
    }
  });
});

Deno.test("once released, another process may take the lock", async () => {
  await withTempKvPath(async (kvPath) => {
    const lock = await lockKvFile(kvPath);
    lock.release();
    const { exitCode, stderr } = await lockInAnotherProcess(kvPath);
    assert.equal(exitCode, 0, stderr);
  });
});

Deno.test("a sibling isolate waits while the lock still names the last holder", async () => {
  await withTempKvPath(async (kvPath) => {
    // This isolate has just taken the OS lock, as lockKvFile does, but the
    // file still holds the pid of a process that served it before.
    const file = await Deno.open(`${kvPath}.lock`, {
      read: true,
      write: true,
      create: true,
    });
    await file.write(new TextEncoder().encode("999999"));
    assert.ok(await file.tryLock(true));
    try {
      const sibling = lockInWorker(kvPath);
      await new Promise((resolve) => setTimeout(resolve, 200));
      await file.truncate(0);
      await file.seek(0, Deno.SeekMode.Start);
      await file.write(new TextEncoder().encode(String(Deno.pid)));
      assert.equal(await sibling, "locked");
    } finally {
      file.close();
    }
  });
});
