/**
 * File-system routing: turns route file paths into URL patterns and ranks
 * them so that static segments win over dynamic ones, as Fresh 1.7 does.
 *
 * @module
 */

/**
 * Converts a route path relative to `routes/`, without its extension, into a
 * URLPattern pathname: `index` is dropped, `[id]` becomes `:id`, `[...rest]`
 * becomes `:rest*`, `[[id]]` becomes an optional segment and `(group)`
 * folders disappear.
 *
 * @example
 * ```ts
 * pathToPattern("blog/[slug]"); // "/blog/:slug"
 * pathToPattern("(marketing)/index"); // "/"
 * ```
 */
export function pathToPattern(path: string): string {
  const parts = path.split("/");
  if (parts[parts.length - 1] === "index") parts.pop();
  let route = "";
  for (const part of parts) {
    if (part === "" || (part.startsWith("(") && part.endsWith(")"))) continue;
    if (part.startsWith("[...") && part.endsWith("]")) {
      route += `/:${part.slice(4, -1)}*`;
    } else if (part.startsWith("[[") && part.endsWith("]]")) {
      route += `{/:${part.slice(2, -2)}}?`;
    } else {
      if (part.includes("][")) {
        throw new SyntaxError(
          `Invalid route pattern "${path}": two parameters need a separator.`,
        );
      }
      // `[id]` anywhere in a segment becomes a named group: `[id]-x` -> `:id-x`.
      route += "/" + part.replace(/\[([^\]]+)\]/g, ":$1");
    }
  }
  return route === "" ? "/" : route;
}

/**
 * Scores the first characters of a path segment: `_middleware` first, then
 * other `_` files, plain names, `[param]`, and `[...rest]` last.
 */
function segmentScore(char: string, next: string): number {
  if (char === "_") return next === "m" ? 4 : 3;
  if (char === "[") return next === "." ? 0 : 1;
  return 2;
}

const APP_FILE = /(^|\/)_app\.[tj]sx?$/;

/**
 * Compares two route file paths (`./routes/…`) so that `_app` comes first,
 * special files precede pages, and in each segment static names rank before
 * `[param]` and `[...rest]`. Use with `Array.prototype.sort`.
 *
 * @example
 * ```ts
 * ["./routes/[id].tsx", "./routes/about.tsx"].sort(sortRoutePaths);
 * // ["./routes/about.tsx", "./routes/[id].tsx"]
 * ```
 */
export function sortRoutePaths(a: string, b: string): number {
  if (APP_FILE.test(a)) return -1;
  if (APP_FILE.test(b)) return 1;
  let segmentStart = 0;
  const maxLen = Math.max(a.length, b.length);
  for (let i = 0; i < maxLen; i++) {
    const charA = a.charAt(i);
    const charB = b.charAt(i);
    if (charA === "/" || charB === "/") {
      segmentStart = i;
      // The path whose segment ends first is more specific.
      if (charA !== "/") return -1;
      if (charB !== "/") return 1;
      continue;
    }
    if (i === segmentStart + 1) {
      const scoreA = segmentScore(charA, a.charAt(i + 1));
      const scoreB = segmentScore(charB, b.charAt(i + 1));
      if (scoreA !== scoreB) return scoreA > scoreB ? -1 : 1;
    }
  }
  return 0;
}

/** The outcome of matching a URL path against a pattern. */
export interface PatternMatch {
  params: Record<string, string>;
}

/**
 * A compiled route pattern. Patterns without parameters compare strings;
 * the rest go through URLPattern.
 */
export class RoutePattern {
  readonly source: string;
  #pattern: URLPattern | null;

  /** @param source a pattern as returned by {@linkcode pathToPattern} */
  constructor(source: string) {
    this.source = source;
    this.#pattern = /[:*{(]/.test(source)
      ? new URLPattern({ pathname: source })
      : null;
  }

  /** Matches a URL pathname, decoding parameters; `null` if it does not match. */
  match(pathname: string): PatternMatch | null {
    if (this.#pattern === null) {
      return this.source === pathname ? { params: {} } : null;
    }
    const result = this.#pattern.exec({ pathname });
    if (result === null) return null;
    const params: Record<string, string> = {};
    for (const [key, value] of Object.entries(result.pathname.groups)) {
      if (value !== undefined) params[key] = safeDecode(value);
    }
    return { params };
  }
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
