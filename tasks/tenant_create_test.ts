import assert from "node:assert/strict";
import { sha256Hex } from "../utils/crypto.ts";
import type { Tenant } from "../utils/db_tenants.ts";

const SCRIPT = new URL("./tenant_create.ts", import.meta.url).pathname;

async function run(kvPath: string, ...args: string[]) {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", SCRIPT, ...args],
    env: { DENO_KV_PATH: kvPath },
    stdin: "null",
  }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code, out: decode(stdout), err: decode(stderr) };
}

async function storedTenant(kvPath: string, id: string) {
  const kv = await Deno.openKv(kvPath);
  try {
    return (await kv.get<Tenant>(["tenants", id])).value;
  } finally {
    kv.close();
  }
}

Deno.test("tenant:create prints the keys once and stores the admin key's hash", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tack-task-" });
  const kvPath = `${dir}/tack.kv`;
  try {
    const created = await run(
      kvPath,
      "acme",
      "--name",
      "Acme",
      "--origin",
      "https://Acme.example/",
      "--origin",
      "http://localhost:*",
    );
    assert.equal(created.code, 0, created.err);
    const adminKey = /Admin key:\s+(\S+)/.exec(created.out)?.[1];
    const ssoSecret = /SSO secret:\s+(\S+)/.exec(created.out)?.[1];
    assert.ok(adminKey && ssoSecret, created.out);
    const tenant = await storedTenant(kvPath, "acme");
    assert.deepEqual(tenant?.origins, [
      "https://acme.example",
      "http://localhost:*",
    ]);
    assert.equal(tenant?.adminKeyHash, await sha256Hex(adminKey));
    assert.equal(tenant?.ssoSecret, ssoSecret);

    const again = await run(kvPath, "acme");
    assert.equal(again.code, 1);
    assert.match(again.err, /exists already/);
    const badOrigin = await run(kvPath, "other", "--origin", "example.com");
    assert.equal(badOrigin.code, 1);
    assert.match(badOrigin.err, /not an origin/);
    assert.equal(await storedTenant(kvPath, "other"), null);
    const usage = await run(kvPath);
    assert.equal(usage.code, 2);
    assert.match(usage.err, /Usage/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
