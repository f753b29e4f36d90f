import assert from "node:assert/strict";
import { contentSecurityPolicy, newNonce } from "./csp.ts";

function directives(policy: string): Map<string, string> {
  return new Map(
    policy.split("; ").map((d) => {
      const [name, ...sources] = d.split(" ");
      return [name, sources.join(" ")];
    }),
  );
}

Deno.test("scripts run only from Tack or with the page's nonce", () => {
  const nonce = newNonce();
  assert.match(nonce, /^[A-Za-z0-9_-]{22}$/);
  assert.notEqual(newNonce(), nonce);
  const policy = directives(contentSecurityPolicy({ nonce }));
  assert.equal(policy.get("script-src"), `'self' 'nonce-${nonce}'`);
  assert.equal(policy.get("default-src"), "'self'");
  assert.equal(policy.get("object-src"), "'none'");
  assert.equal(policy.get("base-uri"), "'none'");
  assert.equal(policy.get("frame-ancestors"), "'none'");
  assert.ok(!policy.get("script-src")!.includes("unsafe"));
});

Deno.test("embed pages name the sites that may frame them", () => {
  const policy = directives(contentSecurityPolicy({
    nonce: "n",
    frameAncestors: ["https://blog.example", "http://localhost:*"],
  }));
  assert.equal(
    policy.get("frame-ancestors"),
    "'self' https://blog.example http://localhost:*",
  );
});
