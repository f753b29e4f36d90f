import assert from "node:assert/strict";
import { LiveThread } from "./live_thread.ts";
import type { Comment } from "./protocol.ts";

const comment = (id: string, text = id): Comment => ({
  id,
  chatId: "c",
  parentId: null,
  text,
  author: { id: "u", name: "U" },
  createdAt: 0,
  editedAt: null,
});

Deno.test("LiveThread: changes arriving during a load are applied after it", async () => {
  const thread = new LiveThread("c");
  const ids = () => thread.comments.value?.map((c) => c.id);
  let resolve!: (comments: Comment[]) => void;
  const loading = thread.load(() => new Promise((r) => resolve = r));
  assert.equal(ids(), undefined);
  thread.apply(comment("2"));
  thread.apply({ id: "1" });
  resolve([comment("1")]); // The server answered before those changes.
  await loading;
  assert.deepEqual(ids(), ["2"]);
});

Deno.test("LiveThread: a failed load keeps the message; a later load supersedes", async () => {
  const thread = new LiveThread("c");
  await thread.load(() =>
    Promise.reject(new Error("Couldn't reach the server"))
  );
  assert.equal(thread.error.value, "Couldn't reach the server");
  await thread.load(() => Promise.resolve([comment("1")]));
  assert.equal(thread.error.value, null);
  assert.equal(thread.comments.value?.length, 1);
});

Deno.test("LiveThread: take and restore put a comment back in its place", () => {
  const thread = new LiveThread("c", [
    comment("1"),
    comment("2"),
    comment("3"),
  ]);
  const taken = thread.take("2");
  assert.deepEqual(thread.comments.value?.map((c) => c.id), ["1", "3"]);
  assert.equal(thread.take("zz"), null);
  thread.restore(taken!);
  assert.deepEqual(thread.comments.value?.map((c) => c.id), ["1", "2", "3"]);
});

Deno.test("LiveThread: confirm replaces the optimistic comment", () => {
  const thread = new LiveThread("c", [comment("pending:x", "hi")]);
  thread.confirm("pending:x", comment("m1", "hi"));
  assert.deepEqual(thread.comments.value?.map((c) => c.id), ["m1"]);
  assert.equal(thread.find("m1")?.text, "hi");
});
