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
 * A pattern source compiled to one anchored RegExp. Groups are positional
 * with a parallel name list because URLPattern names `*` wildcards `0`, `1`…,
 * which are not valid RegExp group names.
 */
export interface CompiledPattern {
  /** Matches a whole pathname; capture group `i + 1` holds `names[i]`. */
  regexp: RegExp;
  /** Parameter names in group order; unnamed `*` wildcards are `"0"`, `"1"`… */
  names: string[];
}

// URLPattern's defaults for a pathname: `:name` matches within one segment,
// `*` matches anything, and only `/` becomes a part's implicit prefix.
const SEGMENT = "[^/]+?";
const FULL_WILDCARD = ".*";
// A `:name` as URLPattern reads it (identifier code points, `$` and `_`).
const NAME_SOURCE = String.raw`[$_\p{ID_Start}][$\u200C\u200D\p{ID_Continue}]*`;
const NAME = new RegExp(NAME_SOURCE, "uy");
// Literal characters that URLPattern neither treats as syntax nor
// percent-encodes or rewrites (`%` is left out: `%2e%2e` is a dot segment).
const PLAIN_TEXT = /^[A-Za-z0-9\-._~!$&',;=@/]*$/;
const DOT_SEGMENT = /(^|\/)\.\.?(\/|$)/;
// `{prefix:name suffix}` or `{prefix*suffix}`, the only groups understood.
const GROUP = new RegExp(
  String.raw`^([^:*]*)(?::(${NAME_SOURCE})|\*)([^:*]*)$`,
  "u",
);

/**
 * Compiles a pattern source in the subset {@linkcode pathToPattern} and the
 * middleware prefixes produce (literal text, `:name` anywhere in a segment,
 * `*`, the modifiers `?`, `*` and `+`, and `{…}` groups holding one
 * parameter) into one anchored RegExp that matches exactly what
 * `new URLPattern({ pathname: source })` matches on a canonical pathname
 * (`URL.pathname`). Returns `null` for anything else: regexp groups,
 * escapes, and literals URLPattern would encode or resolve.
 *
 * @example
 * ```ts
 * const { regexp, names } = compilePattern("/blog/:slug")!;
 * regexp.exec("/blog/hello")?.[1]; // "hello"
 * names; // ["slug"]
 * ```
 */
export function compilePattern(source: string): CompiledPattern | null {
  const names: string[] = [];
  let regexp = "^";
  let pending = "";
  let wildcards = 0;
  let i = 0;
  const flush = (): boolean => {
    if (!isPlainText(pending)) return false;
    regexp += escapeRegExp(pending);
    pending = "";
    return true;
  };
  // Mirrors URLPattern's "generate a regular expression" for one part.
  const part = (
    prefix: string,
    name: string | undefined,
    suffix: string,
    modifier: string,
  ): boolean => {
    if (!isPlainText(prefix) || !isPlainText(suffix)) return false;
    const key = name ?? String(wildcards++);
    if (names.includes(key)) return false;
    names.push(key);
    const value = name === undefined ? FULL_WILDCARD : SEGMENT;
    const pre = escapeRegExp(prefix);
    const suf = escapeRegExp(suffix);
    if (modifier === "") {
      regexp += `${pre}(${value})${suf}`;
    } else if (modifier === "?") {
      regexp += `(?:${pre}(${value})${suf})?`;
    } else if (prefix === "" && suffix === "") {
      regexp += `((?:${value})${modifier})`;
    } else {
      regexp += `(?:${pre}((?:${value})(?:${suf}${pre}(?:${value}))*)${suf})` +
        (modifier === "*" ? "?" : "");
    }
    return true;
  };
  const modifierAt = (index: number): string => {
    const char = source.charAt(index);
    return char === "?" || char === "*" || char === "+" ? char : "";
  };

  while (i < source.length) {
    const char = source[i];
    if (char === "{") {
      const close = source.indexOf("}", i);
      const group = close === -1
        ? null
        : GROUP.exec(source.slice(i + 1, close));
      if (group === null) return null;
      const modifier = modifierAt(close + 1);
      if (!flush() || !part(group[1], group[2], group[3], modifier)) {
        return null;
      }
      i = close + 1 + modifier.length;
    } else if (char === ":" || char === "*") {
      let name: string | undefined;
      let end = i + 1;
      if (char === ":") {
        NAME.lastIndex = end;
        const found = NAME.exec(source);
        if (found === null) return null;
        name = found[0];
        end += name.length;
      }
      const modifier = modifierAt(end);
      // A `/` right before the parameter is its prefix, so `/:rest*` can
      // match nothing at all; any other character stays literal text.
      const prefix = pending.endsWith("/") ? "/" : "";
      pending = pending.slice(0, pending.length - prefix.length);
      if (!flush() || !part(prefix, name, "", modifier)) return null;
      i = end + modifier.length;
    } else if ("()?+}\\".includes(char)) {
      return null;
    } else {
      pending += char;
      i++;
    }
  }
  if (!flush()) return null;
  return { regexp: new RegExp(regexp + "$"), names };
}

function isPlainText(text: string): boolean {
  return PLAIN_TEXT.test(text) && !DOT_SEGMENT.test(text);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.$\/]/g, "\\$&");
}

/**
 * A compiled route pattern. Patterns without parameters compare strings;
 * the rest run one RegExp built by {@linkcode compilePattern}, which avoids
 * URLPattern's per-call input processing.
 *
 * @example
 * ```ts
 * new RoutePattern("/blog/:slug").match("/blog/J%C3%BCrgen");
 * // { params: { slug: "Jürgen" } }
 * ```
 */
export class RoutePattern {
  readonly source: string;
  #compiled: CompiledPattern | null = null;
  // Sources outside the compiled subset (a route file named with regexp
  // syntax or non-ASCII text) keep going through URLPattern instead of
  // failing at startup: behaviour, construction errors included, stays as
  // it was, and only such unusual routes pay URLPattern's cost.
  #fallback: URLPattern | null = null;
  #dynamic: boolean;

  /** @param source a pattern as returned by {@linkcode pathToPattern} */
  constructor(source: string) {
    this.source = source;
    this.#dynamic = /[:*{(]/.test(source);
    if (this.#dynamic) {
      this.#compiled = compilePattern(source);
      if (this.#compiled === null) {
        this.#fallback = new URLPattern({ pathname: source });
      }
    }
  }

  /**
   * Matches a URL pathname, decoding parameters; `null` if it does not
   * match. The pathname must be canonical, as `URL.pathname` gives it:
   * URLPattern would first resolve `..` and percent-encode, this does not.
   */
  match(pathname: string): PatternMatch | null {
    if (!this.#dynamic) {
      return this.source === pathname ? { params: {} } : null;
    }
    const params: Record<string, string> = {};
    if (this.#compiled !== null) {
      const found = this.#compiled.regexp.exec(pathname);
      if (found === null) return null;
      const { names } = this.#compiled;
      for (let i = 0; i < names.length; i++) {
        const value = found[i + 1];
        if (value !== undefined) params[names[i]] = safeDecode(value);
      }
      return { params };
    }
    const result = this.#fallback!.exec({ pathname });
    if (result === null) return null;
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
