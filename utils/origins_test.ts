import assert from "node:assert/strict";
import {
  frameAncestorSources,
  isOriginAllowed,
  LOCAL_ORIGINS,
  originMatches,
  parseOriginList,
  parseOriginPattern,
} from "./origins.ts";

Deno.test("parseOriginList reads one pattern a line and names every bad line", () => {
  assert.deepEqual(
    parseOriginList(" https://a.example/ \r\n\nhttps://A.example\n*\n"),
    ["https://a.example", "*"],
  );
  assert.deepEqual(parseOriginList(""), []);
  assert.throws(
    () => parseOriginList("https://ok.example\nnope\nhttps://x.example/p"),
    (err: Error) =>
      /"nope" is not an origin/.test(err.message) &&
      /"https:\/\/x\.example\/p" is not an origin/.test(err.message),
  );
});

Deno.test("parseOriginPattern normalizes origins and refuses anything else", () => {
  assert.equal(
    parseOriginPattern("HTTPS://Example.com/"),
    "https://example.com",
  );
  assert.equal(
    parseOriginPattern("https://example.com:443"),
    "https://example.com",
  );
  assert.equal(
    parseOriginPattern("http://example.com:8080"),
    "http://example.com:8080",
  );
  assert.equal(parseOriginPattern("http://localhost:*"), "http://localhost:*");
  assert.equal(
    parseOriginPattern("https://*.example.com"),
    "https://*.example.com",
  );
  assert.equal(parseOriginPattern("*"), "*");
  for (
    const bad of [
      "example.com",
      "https://example.com/path",
      "ftp://x.io",
      "https://",
      "javascript:alert(1)",
      "https://a.com?x",
    ]
  ) {
    assert.throws(() => parseOriginPattern(bad), /is not an origin/, bad);
  }
});

Deno.test("originMatches: exact hosts, any port, any subdomain", () => {
  const cases: [string, string, boolean][] = [
    ["https://example.com", "https://example.com", true],
    ["http://example.com", "https://example.com", false],
    ["https://example.com:8443", "https://example.com", false],
    ["https://example.com.evil.io", "https://example.com", false],
    ["https://evilexample.com", "https://*.example.com", false],
    ["https://blog.example.com", "https://*.example.com", true],
    ["https://example.com", "https://*.example.com", false],
    ["http://localhost:5173", "http://localhost:*", true],
    ["http://localhost", "http://localhost:*", true],
    ["http://127.0.0.1:9", "http://127.0.0.1:*", true],
    ["http://[::1]:8000", "http://[::1]:*", true],
    ["null", "http://localhost:*", false],
    ["null", "*", true],
    ["https://example.com/", "https://example.com", false],
    ["not a url", "https://example.com", false],
  ];
  for (const [origin, pattern, expected] of cases) {
    assert.equal(
      originMatches(origin, pattern),
      expected,
      `${origin} ~ ${pattern}`,
    );
  }
});

Deno.test("isOriginAllowed checks every pattern; none allows nothing", () => {
  assert.equal(
    isOriginAllowed("http://127.0.0.1:8000", [...LOCAL_ORIGINS]),
    true,
  );
  assert.equal(
    isOriginAllowed("https://example.com", [...LOCAL_ORIGINS]),
    false,
  );
  assert.equal(isOriginAllowed("https://example.com", []), false);
});

Deno.test("frameAncestorSources leaves out what CSP cannot name", () => {
  assert.deepEqual(frameAncestorSources([...LOCAL_ORIGINS]), [
    "http://localhost:*",
    "http://127.0.0.1:*",
  ]);
});
