/**
 * Reads what `serialize.ts` wrote. Runs in the browser, so it imports
 * nothing; the signal factory is passed in.
 *
 * @module
 */

/** The key that marks tagged objects in serialized props. */
export const TAG_KEY = "_f";

type Path = (string | number)[];
type Container = Record<string | number, unknown>;

/**
 * Parses serialized props, reviving signals with `signal` and restoring
 * shared references.
 *
 * @example
 * ```ts
 * import { signal } from "@preact/signals";
 * const props = deserialize('{"v":{"n":{"_f":"s","v":1}}}', signal);
 * ```
 */
export function deserialize(
  text: string,
  signal?: (value: unknown) => unknown,
): unknown {
  const { v, r } = JSON.parse(text, (_key, value) => {
    if (typeof value !== "object" || value === null || !(TAG_KEY in value)) {
      return value;
    }
    switch (value[TAG_KEY]) {
      case "s":
        if (!signal) throw new Error("Props contain a signal: pass `signal`.");
        return signal(value.v);
      case "b":
        return BigInt(value.d);
      case "l":
        value.v[TAG_KEY] = value.k;
        return value.v;
      default:
        throw new Error(`Unknown serialized tag: ${value[TAG_KEY]}`);
    }
  }) as { v: unknown; r?: Path[][] };
  const at = (path: Path) =>
    path.reduce((o: unknown, k) => (o as Container)[k], v);
  for (const [target, ...refs] of r ?? []) {
    const value = at(target);
    for (const ref of refs) {
      (at(ref.slice(0, -1)) as Container)[ref[ref.length - 1]] = value;
    }
  }
  return v;
}
