/**
 * Origin patterns: which sites a tenant lets call its API from a browser and
 * frame its embeds. A pattern is an origin (`https://example.com`), an origin
 * with any port (`http://localhost:*`), an origin with any subdomain
 * (`https://*.example.com`), or `*` for any site at all.
 *
 * @module
 */

/** Local development origins on any port: the `demo` tenant's default. */
export const LOCAL_ORIGINS: readonly string[] = [
  "http://localhost:*",
  "http://127.0.0.1:*",
  "http://[::1]:*",
];

const PATTERN =
  /^(https?):\/\/(\*\.)?(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:(\d{1,5}|\*))?$/;

/**
 * Checks and normalizes an origin pattern (lower case, no trailing slash,
 * no default port); throws a message fit for a command line when it is not
 * one.
 *
 * @example
 * ```ts
 * parseOriginPattern("HTTPS://Example.com/"); // "https://example.com"
 * parseOriginPattern("https://example.com/path"); // throws
 * ```
 */
export function parseOriginPattern(text: string): string {
  const value = text.trim().toLowerCase().replace(/\/$/, "");
  if (value === "*") return value;
  const match = PATTERN.exec(value);
  if (!match) {
    throw new Error(
      `"${text}" is not an origin: use scheme://host[:port], :* for any port, *. for any subdomain.`,
    );
  }
  const [, scheme, , , , port] = match;
  const defaultPort = scheme === "https" ? "443" : "80";
  return port === defaultPort ? value.slice(0, -port.length - 1) : value;
}

/**
 * Reads origin patterns given one per line (blank lines ignored, duplicates
 * dropped) with {@linkcode parseOriginPattern}; throws one Error naming every
 * line that is not a pattern.
 *
 * @example
 * ```ts
 * parseOriginList("https://a.example\n\nhttp://localhost:*");
 * // ["https://a.example", "http://localhost:*"]
 * ```
 */
export function parseOriginList(text: string): string[] {
  const origins: string[] = [];
  const problems: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === "") continue;
    try {
      const origin = parseOriginPattern(line);
      if (!origins.includes(origin)) origins.push(origin);
    } catch (err) {
      problems.push((err as Error).message);
    }
  }
  if (problems.length > 0) throw new Error(problems.join(" "));
  return origins;
}

/**
 * True when a browser's `Origin` header matches one pattern.
 *
 * @example
 * ```ts
 * originMatches("http://localhost:5173", "http://localhost:*"); // true
 * originMatches("https://blog.example.com", "https://*.example.com"); // true
 * originMatches("https://example.com.evil.io", "https://example.com"); // false
 * ```
 */
export function originMatches(origin: string, pattern: string): boolean {
  if (pattern === "*") return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false; // "null" (sandboxed frames, files) and junk
  }
  // An Origin header is exactly scheme://host[:port]; anything else is forged.
  if (url.origin !== origin) return false;
  const match = PATTERN.exec(pattern);
  if (!match) return false;
  const [, scheme, anySubdomain, host, , port] = match;
  if (url.protocol !== `${scheme}:`) return false;
  if (port !== "*" && url.port !== (port ?? "")) return false;
  if (anySubdomain) return url.hostname.endsWith(`.${host}`);
  return url.hostname === host;
}

/**
 * True when `origin` matches any of `patterns`.
 *
 * @example
 * ```ts
 * isOriginAllowed("http://127.0.0.1:8000", LOCAL_ORIGINS); // true
 * ```
 */
export function isOriginAllowed(origin: string, patterns: string[]): boolean {
  return patterns.some((pattern) => originMatches(origin, pattern));
}

/**
 * The CSP `frame-ancestors` sources for a tenant's origins. CSP cannot name
 * IPv6 literals, so those patterns are left out.
 *
 * @example
 * ```ts
 * frameAncestorSources(["https://example.com", "http://[::1]:*"]);
 * // ["https://example.com"]
 * ```
 */
export function frameAncestorSources(patterns: string[]): string[] {
  return patterns.filter((pattern) => !pattern.includes("["));
}
