/**
 * Test helper: give a test server's tenant keys the test knows, the way an
 * operator does (`deno task tenant:create <id> --rotate`), so tests can sign
 * SSO payloads as the site's backend would.
 *
 * @module
 */

import assert from "node:assert/strict";
import type { TestServer } from "./_server.ts";

const TENANT_CREATE = new URL("../tasks/tenant_create.ts", import.meta.url);

/**
 * Rotates `tenant`'s keys on the server's KV file, setting its SSO secret to
 * `ssoSecret`; returns the new admin key. The server needs no restart: admin-key
 * and SSO checks read the tenant from KV (other reads cache it for 2 s).
 *
 * @example
 * ```ts
 * const adminKey = await rotateTenantKeys(server, "demo", "test-secret");
 * const sso = await signSso("test-secret", { id: "42", name: "Ada" });
 * ```
 */
export async function rotateTenantKeys(
  server: TestServer,
  tenant: string,
  ssoSecret: string,
): Promise<string> {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      TENANT_CREATE.pathname,
      tenant,
      "--rotate",
      "--sso-secret",
      ssoSecret,
    ],
    env: { DENO_KV_PATH: server.kvPath },
    stdin: "null",
  }).output();
  const decoder = new TextDecoder();
  assert.equal(code, 0, decoder.decode(stderr));
  const adminKey = /Admin key:\s+(\S+)/.exec(decoder.decode(stdout))?.[1];
  assert.ok(adminKey, "tenant:create printed an admin key");
  return adminKey;
}
