/**
 * Serializes island props for the page. Beyond JSON it keeps signals (the
 * same signal twice stays one signal), bigints, objects that share a
 * reference or form cycles, and objects that happen to have the tag key.
 * JSX values become `null`: the browser takes them from the rendered HTML.
 *
 * Format (Fresh's): `{"v": value, "r": [[targetPath, ...refPaths], …]}`,
 * tagged objects are `{"_f": "s", "v": …}` (signal), `{"_f": "b", "d": …}`
 * (bigint) and `{"_f": "l", "k": …, "v": …}` (an object with a `_f` key).
 * The reader is `deserialize.ts`.
 *
 * @module
 */
import { isValidElement } from "preact";
import { TAG_KEY } from "./deserialize.ts";

/** The result of {@linkcode serialize}. */
export interface SerializeResult {
  /** JSON text; not yet safe to inline into HTML, see {@linkcode escapeScriptJson}. */
  serialized: string;
  /** Whether the browser needs a signal factory to read it. */
  hasSignals: boolean;
}

interface SignalLike {
  peek(): unknown;
  value: unknown;
}

function isSignal(value: object): value is SignalLike {
  return typeof (value as SignalLike).peek === "function" && "value" in value;
}

type Path = (string | number)[];

/**
 * Serializes a value, see the module docs for the format.
 *
 * @example
 * ```ts
 * const count = signal(1);
 * serialize([{ count }, { count }]).serialized;
 * // '{"v":[{"count":{"_f":"s","v":1}},{"count":0}],"r":[[[0,"count"],[1,"count"]]]}'
 * ```
 */
export function serialize(data: unknown): SerializeResult {
  const seen = new Map<object, Path>();
  const references = new Map<Path, Path[]>();
  let hasSignals = false;

  function encode(value: unknown, path: Path): unknown {
    if (typeof value === "bigint") {
      return { [TAG_KEY]: "b", d: value.toString() };
    }
    if (typeof value !== "object" || value === null) {
      return typeof value === "function" ? undefined : value;
    }
    const firstPath = seen.get(value);
    if (firstPath !== undefined) {
      const refs = references.get(firstPath);
      if (refs) refs.push(path);
      else references.set(firstPath, [path]);
      return 0;
    }
    // Signals pass preact's element check so JSX can render them: test first.
    if (isSignal(value)) {
      seen.set(value, path);
      hasSignals = true;
      return { [TAG_KEY]: "s", v: encode(value.peek(), [...path, "value"]) };
    }
    if (isValidElement(value)) return null;
    seen.set(value, path);
    if (Array.isArray(value)) {
      return value.map((item, i) => encode(item, [...path, i]) ?? null);
    }
    const toJSON = (value as { toJSON?: () => unknown }).toJSON;
    if (typeof toJSON === "function") return toJSON.call(value);
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (key === TAG_KEY) continue;
      const encoded = encode(item, [...path, key]);
      if (encoded !== undefined) out[key] = encoded;
    }
    if (TAG_KEY in value) {
      return {
        [TAG_KEY]: "l",
        k: (value as Record<string, unknown>)[TAG_KEY],
        v: out,
      };
    }
    return out;
  }

  const v = encode(data, []);
  const r = [...references].map(([target, refs]) => [target, ...refs]);
  const serialized = JSON.stringify(r.length > 0 ? { v, r } : { v });
  return { serialized, hasSignals };
}

const SCRIPT_UNSAFE: Record<string, string> = {
  "<": "\\u003c",
  ">": "\\u003e",
  "&": "\\u0026",
  "\u2028": "\\u2028",
  "\u2029": "\\u2029",
};

/**
 * Escapes JSON text so it can sit inside a `<script>` element: no `</script>`
 * or `<!--` can appear, and the JSON still parses to the same value.
 *
 * @example
 * ```ts
 * escapeScriptJson('"</script>"'); // '"\\u003c/script\\u003e"'
 * ```
 */
export function escapeScriptJson(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (char) => SCRIPT_UNSAFE[char]);
}
